//! The webauthn family's state: the settings (relying party, allowed origins, whether user
//! verification is required), the challenges handed out (tickets, single use, expiring)
//! and every user's registered credentials with their public key and signature counter.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// How long a challenge (ticket) may be answered: the `timeout` the options announce.
pub(crate) const CHALLENGE_TTL: Duration = Duration::from_secs(300);
/// The most challenges kept waiting: past it the oldest is forgotten.
const MAX_TICKETS: usize = 4096;
/// The most credentials one user may register.
pub(crate) const MAX_CREDENTIALS_PER_USER: usize = 32;

/// The relying party the emulator plays, and what it asks of an authenticator.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Settings {
    /// The RP id: the options' `rp.id`/`rpId`; its SHA-256 must open every
    /// authenticatorData. Default `localhost`.
    pub(crate) rp_id: String,
    /// The RP name of the creation options. Default `Authing Emulator`.
    pub(crate) rp_name: String,
    /// The origins clientDataJSON may name. Empty (the default): only `https://<rp id>`.
    pub(crate) origins: Vec<String>,
    /// Whether the UV flag must be set. Default false: the spec's options carry no
    /// `userVerification`, and WebAuthn's default for it is `preferred`, under which a
    /// relying party must not require the flag. UP is always required.
    pub(crate) require_user_verification: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            rp_id: "localhost".into(),
            rp_name: "Authing Emulator".into(),
            origins: Vec::new(),
            require_user_verification: false,
        }
    }
}

impl Settings {
    /// Whether clientDataJSON's `origin` is one the emulator accepts.
    pub(crate) fn origin_allowed(&self, origin: &str) -> bool {
        if self.origins.is_empty() {
            origin == format!("https://{}", self.rp_id)
        } else {
            self.origins.iter().any(|o| o == origin)
        }
    }
}

/// What a challenge was handed out for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// A registration for this user id.
    Register(String),
    /// A sign-in (no user known yet).
    Authenticate,
}

/// One challenge handed out with its ticket.
#[derive(Debug, Clone)]
pub(crate) struct Ticket {
    pub(crate) purpose: Purpose,
    /// base64url, as sent in the options and expected in clientDataJSON.
    pub(crate) challenge: String,
    pub(crate) expires_at: SystemTime,
}

/// One registered credential.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Credential {
    /// The credential id, base64url (no padding).
    pub(crate) id: String,
    pub(crate) user: String,
    /// The P-256 public key, SEC1 uncompressed (0x04 || x || y).
    pub(crate) public_key: Vec<u8>,
    /// The signature counter last seen.
    pub(crate) counter: u32,
    /// `fingerprint`, `face` or `other`, as registered (`other` when none was sent).
    pub(crate) authenticator_code: String,
    pub(crate) transports: Vec<String>,
    pub(crate) created_at: SystemTime,
    pub(crate) last_used_at: Option<SystemTime>,
}

/// The family's state.
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(crate) struct Webauthn {
    pub(crate) settings: Settings,
    /// Challenges in flight, by ticket: minutes long, not kept across a restart.
    #[serde(skip)]
    tickets: BTreeMap<String, Ticket>,
    /// Every credential, registration order.
    credentials: Vec<Credential>,
}

impl Webauthn {
    /// Keeps a new challenge under `ticket`, forgetting expired ones (and the oldest past
    /// the cap).
    pub(crate) fn hand_out(&mut self, ticket: String, entry: Ticket, now: SystemTime) {
        self.tickets.retain(|_, t| t.expires_at > now);
        if self.tickets.len() >= MAX_TICKETS {
            let oldest = self
                .tickets
                .iter()
                .min_by_key(|(_, t)| t.expires_at)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.tickets.remove(&oldest);
            }
        }
        self.tickets.insert(ticket, entry);
    }

    /// Takes the challenge of `ticket` (single use: gone whatever the verification says);
    /// `None` when unknown, used or expired.
    pub(crate) fn take(&mut self, ticket: &str, now: SystemTime) -> Option<Ticket> {
        self.tickets.remove(ticket).filter(|t| t.expires_at > now)
    }

    /// The credential with this id, of any user.
    pub(crate) fn credential(&self, id: &str) -> Option<&Credential> {
        self.credentials.iter().find(|c| c.id == id)
    }

    pub(crate) fn credential_mut(&mut self, id: &str) -> Option<&mut Credential> {
        self.credentials.iter_mut().find(|c| c.id == id)
    }

    /// A user's credentials, registration order.
    pub(crate) fn of<'a>(&'a self, user: &'a str) -> impl Iterator<Item = &'a Credential> + 'a {
        self.credentials.iter().filter(move |c| c.user == user)
    }

    pub(crate) fn add(&mut self, credential: Credential) {
        self.credentials.push(credential);
    }

    /// Removes `user`'s credential `id`; whether there was one.
    pub(crate) fn remove(&mut self, user: &str, id: &str) -> bool {
        let before = self.credentials.len();
        self.credentials.retain(|c| !(c.user == user && c.id == id));
        before != self.credentials.len()
    }

    /// Removes `user`'s credentials of `code` (all of them for `None`); how many.
    pub(crate) fn remove_all(&mut self, user: &str, code: Option<&str>) -> usize {
        let before = self.credentials.len();
        self.credentials
            .retain(|c| !(c.user == user && code.is_none_or(|k| c.authenticator_code == k)));
        before - self.credentials.len()
    }

    /// Forgets a deleted user's credentials.
    pub(crate) fn forget_user(&mut self, user: &str) {
        self.credentials.retain(|c| c.user != user);
        self.tickets
            .retain(|_, t| t.purpose != Purpose::Register(user.to_owned()));
    }
}
