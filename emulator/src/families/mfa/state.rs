//! The emulator's MFA state: the app's policy, which users turned MFA on, the enrolled
//! factors (an OTP factor's secret and recovery code included), enrolments under way, and
//! the sign-in challenges waiting for a second factor. It lives in [`State`](crate::core::state)
//! and a reset clears it.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use crate::core::contact::Target;
use crate::core::random;
use crate::core::vocab::FactorType;
use crate::families::mfa::totp;

/// How long an enrolment token lasts (the spec: one minute).
pub(crate) const ENROLLMENT_TTL: Duration = Duration::from_secs(60);
/// The default life of an `mfaToken` **(our choice)**: ten minutes.
pub const DEFAULT_MFA_TOKEN_TTL: Duration = Duration::from_secs(600);
/// Factors kept before the oldest pending enrolments and challenges are pruned.
const PRUNE_AT: usize = 10_000;

/// The app's MFA policy (the console's "MFA" page of an application), set with
/// [`Emulator::set_app_mfa`](crate::Emulator::set_app_mfa).
///
/// ```
/// use authing_emulator::FactorType;
/// use authing_emulator::AppMfaPolicy;
/// let policy = AppMfaPolicy::required(&[FactorType::OTP, FactorType::SMS]);
/// assert!(policy.required);
/// assert_eq!(AppMfaPolicy::default().factors, vec![FactorType::OTP, FactorType::SMS, FactorType::EMAIL]);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AppMfaPolicy {
    /// Whether every sign-in to the app needs a second factor (apiCode 1636). Off by
    /// default: then only users who turned MFA on themselves are asked (apiCode 1635).
    pub required: bool,
    /// The factor types the app offers, in order: what users may enrol
    /// (`list-factors-to-enroll`) and what a 1636 challenge lists. `FACE` is refused: the
    /// emulator does not do face recognition. Default: `OTP`, `SMS`, `EMAIL`.
    pub factors: Vec<FactorType>,
    /// How long an `mfaToken` lasts. Default: [`DEFAULT_MFA_TOKEN_TTL`].
    pub mfa_token_ttl: Duration,
}

impl Default for AppMfaPolicy {
    fn default() -> AppMfaPolicy {
        AppMfaPolicy {
            required: false,
            factors: vec![FactorType::OTP, FactorType::SMS, FactorType::EMAIL],
            mfa_token_ttl: DEFAULT_MFA_TOKEN_TTL,
        }
    }
}

impl AppMfaPolicy {
    /// A policy that requires a second factor on every sign-in, offering `factors`.
    ///
    /// ```
    /// let policy = authing_emulator::AppMfaPolicy::required(&[authing_emulator::FactorType::OTP]);
    /// assert_eq!(policy.factors.len(), 1);
    /// ```
    pub fn required<F: Copy + Into<FactorType>>(factors: &[F]) -> AppMfaPolicy {
        AppMfaPolicy {
            required: true,
            factors: factors.iter().map(|&f| f.into()).collect(),
            ..AppMfaPolicy::default()
        }
    }

    /// The same policy with another `mfaToken` life.
    ///
    /// ```
    /// use std::time::Duration;
    /// let policy = authing_emulator::AppMfaPolicy::default().mfa_token_ttl(Duration::from_secs(60));
    /// assert_eq!(policy.mfa_token_ttl.as_secs(), 60);
    /// ```
    pub fn mfa_token_ttl(mut self, ttl: Duration) -> AppMfaPolicy {
        self.mfa_token_ttl = ttl;
        self
    }
}

/// Why the emulator refused an MFA admin operation.
///
/// ```
/// use authing_emulator::FactorType;
/// use authing_emulator::{AppMfaPolicy, Emulator, MfaAdminError};
/// let emulator = Emulator::start()?;
/// let refused = emulator.set_app_mfa(AppMfaPolicy::required(&[FactorType::FACE]));
/// assert!(matches!(refused, Err(MfaAdminError::InvalidPolicy(_))));
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MfaAdminError {
    /// A policy the emulator cannot apply: `FACE`, a factor listed twice, MFA required
    /// with no factor, or an `mfaToken` life of 0 or over 100 years.
    #[error("invalid mfa policy: {0}")]
    InvalidPolicy(String),
    /// No user is named so.
    #[error("no such user: {0}")]
    UnknownUser(String),
}

/// An enrolled factor as the admin API shows it, secrets included (for tests).
///
/// ```
/// use authing_emulator::{Emulator, NewUser};
/// let emulator = Emulator::start()?;
/// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
/// assert!(emulator.mfa_factors("alice").is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolledFactor {
    /// The factor's id (`factorId`).
    pub factor_id: String,
    /// Its type.
    pub factor_type: FactorType,
    /// The phone of an `SMS` factor.
    pub phone_number: Option<String>,
    /// Its country code, with `+`.
    pub phone_country_code: Option<String>,
    /// The email of an `EMAIL` factor.
    pub email: Option<String>,
    /// The base32 secret of an `OTP` factor.
    pub secret: Option<String>,
    /// The current recovery code of an `OTP` factor (each works once).
    pub recovery_code: Option<String>,
}

/// One enrolled factor.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct FactorRecord {
    pub(crate) id: String,
    pub(crate) user: String,
    pub(crate) kind: FactorType,
    pub(crate) target: Option<Target>,
    pub(crate) secret: Option<Vec<u8>>,
    pub(crate) recovery_code: Option<String>,
}

impl FactorRecord {
    pub(crate) fn snapshot(&self) -> EnrolledFactor {
        let (phone_number, phone_country_code, email) = match &self.target {
            Some(Target::Phone { cc, number }) => (Some(number.clone()), Some(cc.clone()), None),
            Some(Target::Email(e)) => (None, None, Some(e.clone())),
            None => (None, None, None),
        };
        EnrolledFactor {
            factor_id: self.id.clone(),
            factor_type: self.kind,
            phone_number,
            phone_country_code,
            email,
            secret: self.secret.as_deref().map(totp::base32),
            recovery_code: self.recovery_code.clone(),
        }
    }
}

/// An enrolment between `send-enroll-factor-request` and `enroll-factor`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Enrolment {
    pub(crate) user: String,
    pub(crate) kind: FactorType,
    pub(crate) target: Option<Target>,
    pub(crate) secret: Option<Vec<u8>>,
    pub(crate) recovery_code: Option<String>,
    pub(crate) expires_at: SystemTime,
}

/// A sign-in waiting for its second factor: what it needs to issue the tokens after.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Challenge {
    pub(crate) user: String,
    pub(crate) scope: String,
    pub(crate) nonce: Option<String>,
    pub(crate) client_ip: Option<String>,
    pub(crate) issuer: String,
    /// The factor types the challenge offered (a recovery code counts as `OTP`).
    pub(crate) offered: Vec<FactorType>,
    /// When the `mfaToken` was issued (its `iat` at `/mfa/token/introspection`).
    pub(crate) issued_at: SystemTime,
    pub(crate) expires_at: SystemTime,
    pub(crate) wrong: u32,
}

/// Why an `mfaToken` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChallengeError {
    /// Not given, never issued, already used or voided.
    Unknown,
    /// Past its life.
    Expired,
}

/// The MFA part of the emulator's state.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Mfa {
    pub(crate) policy: AppMfaPolicy,
    /// Users (by id) who turned MFA on.
    enabled: HashSet<String>,
    factors: Vec<FactorRecord>,
    enrolments: HashMap<String, Enrolment>,
    challenges: HashMap<String, Challenge>,
}

impl Mfa {
    /// Turns personal MFA on or off for `user`.
    pub(crate) fn set_enabled(&mut self, user: &str, on: bool) {
        if on {
            self.enabled.insert(user.to_owned());
        } else {
            self.enabled.remove(user);
        }
    }

    /// Whether `user` turned MFA on.
    pub(crate) fn is_enabled(&self, user: &str) -> bool {
        self.enabled.contains(user)
    }

    /// The apiCode of the challenge a sign-in of `user` gets, if any: 1636 when the app
    /// requires MFA, else 1635 when the user turned it on and has a factor.
    pub(crate) fn challenge_code(&self, user: &str) -> Option<u32> {
        if self.policy.required {
            return Some(1636);
        }
        (self.is_enabled(user) && self.factors.iter().any(|f| f.user == user)).then_some(1635)
    }

    /// The factors of `user`, in enrolment order.
    pub(crate) fn factors_of<'a>(
        &'a self,
        user: &'a str,
    ) -> impl Iterator<Item = &'a FactorRecord> {
        self.factors.iter().filter(move |f| f.user == user)
    }

    /// The factor `id` of `user`.
    pub(crate) fn factor(&self, user: &str, id: &str) -> Option<&FactorRecord> {
        self.factors.iter().find(|f| f.user == user && f.id == id)
    }

    /// The factor of `kind` of `user`.
    pub(crate) fn factor_of_kind(&self, user: &str, kind: FactorType) -> Option<&FactorRecord> {
        self.factors
            .iter()
            .find(|f| f.user == user && f.kind == kind)
    }

    /// Forgets everything of a deleted `user`: its MFA switch, factors, enrolments and
    /// sign-in challenges (the account family's `delete-account`).
    pub(crate) fn forget_user(&mut self, user: &str) {
        self.enabled.remove(user);
        self.factors.retain(|f| f.user != user);
        self.enrolments.retain(|_, e| e.user != user);
        self.challenges.retain(|_, c| c.user != user);
    }

    /// Removes the factor `id` of `user`; whether there was one.
    pub(crate) fn remove(&mut self, user: &str, id: &str) -> bool {
        let before = self.factors.len();
        self.factors.retain(|f| !(f.user == user && f.id == id));
        before != self.factors.len()
    }

    /// Starts an enrolment; its token.
    pub(crate) fn start_enrolment(&mut self, enrolment: Enrolment, now: SystemTime) -> String {
        if self.enrolments.len() >= PRUNE_AT {
            self.enrolments.retain(|_, e| now < e.expires_at);
        }
        let token = random::token();
        self.enrolments.insert(token.clone(), enrolment);
        token
    }

    /// The enrolment of `token`, if it is `user`'s and still valid.
    pub(crate) fn enrolment(&self, token: &str, user: &str, now: SystemTime) -> Option<&Enrolment> {
        self.enrolments
            .get(token.trim())
            .filter(|e| e.user == user && now < e.expires_at)
    }

    /// Ends the enrolment of `token` with a new factor; the factor's id.
    pub(crate) fn finish_enrolment(&mut self, token: &str) -> Option<String> {
        let e = self.enrolments.remove(token.trim())?;
        let id = random::hex(12);
        self.factors.push(FactorRecord {
            id: id.clone(),
            user: e.user,
            kind: e.kind,
            target: e.target,
            secret: e.secret,
            recovery_code: e.recovery_code,
        });
        Some(id)
    }

    /// Opens a challenge; its `mfaToken`.
    pub(crate) fn open_challenge(&mut self, challenge: Challenge, now: SystemTime) -> String {
        if self.challenges.len() >= PRUNE_AT {
            self.challenges.retain(|_, c| now < c.expires_at);
        }
        let token = random::token();
        self.challenges.insert(token.clone(), challenge);
        token
    }

    /// The challenge of `token`, if it can still be answered; an expired one is removed.
    pub(crate) fn challenge(
        &mut self,
        token: &str,
        now: SystemTime,
    ) -> Result<&mut Challenge, ChallengeError> {
        let token = token.trim();
        match self.challenges.get(token) {
            None => return Err(ChallengeError::Unknown),
            Some(c) if now >= c.expires_at => {
                self.challenges.remove(token);
                return Err(ChallengeError::Expired);
            }
            Some(_) => {}
        }
        self.challenges
            .get_mut(token)
            .ok_or(ChallengeError::Unknown)
    }

    /// The challenge of `token` if it can still be answered at `now` (a look that changes
    /// nothing, for `/mfa/token/introspection`).
    pub(crate) fn live_challenge(&self, token: &str, now: SystemTime) -> Option<&Challenge> {
        self.challenges
            .get(token.trim())
            .filter(|c| now < c.expires_at)
    }

    /// Counts a wrong second factor; the `max`th voids the challenge. Whether it did.
    pub(crate) fn wrong_try(&mut self, token: &str, max: u32) -> bool {
        let token = token.trim();
        let Some(c) = self.challenges.get_mut(token) else {
            return false;
        };
        c.wrong += 1;
        if max > 0 && c.wrong >= max {
            self.challenges.remove(token);
            return true;
        }
        false
    }

    /// Ends a challenge that was answered; its record.
    pub(crate) fn close_challenge(&mut self, token: &str) -> Option<Challenge> {
        self.challenges.remove(token.trim())
    }

    /// Spends `user`'s OTP recovery code `code` and sets a new one; the new one.
    pub(crate) fn use_recovery_code(&mut self, user: &str, code: &str) -> Option<String> {
        let factor = self
            .factors
            .iter_mut()
            .find(|f| f.user == user && f.kind == FactorType::OTP)?;
        let current = factor.recovery_code.as_deref()?;
        let given = code.trim();
        let same = current.len() == given.len()
            && current
                .bytes()
                .zip(given.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return None;
        }
        let next = new_recovery_code();
        factor.recovery_code = Some(next.clone());
        Some(next)
    }
}

/// A recovery code shaped as the spec's example: six groups of four hex digits.
pub(crate) fn new_recovery_code() -> String {
    let hex = random::hex(12);
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}
