//! The emulator's social account binding state: the sign-ins waiting to be bound (a key
//! each, single-use, expiring on the emulator clock) and whether a new account may be
//! created for an identity (apiCode 1641) or only an existing one bound (1640).

use std::time::{Duration, SystemTime};

use crate::core::random;
use crate::families::social::state::{NewProviderCode, SocialConnection};

/// How long a binding key lives (**the emulator's own choice**: the spec names none).
pub const BINDING_KEY_TTL: Duration = Duration::from_secs(600);

/// The most pending bindings kept; the oldest are forgotten beyond it.
const MAX_PENDING: usize = 10_000;

/// One sign-in waiting to be bound.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) key: String,
    /// The WeChat identity the code stood for.
    pub(crate) identity: NewProviderCode,
    /// The app's connection it came through.
    pub(crate) connection: SocialConnection,
    /// The scope the first sign-in asked for.
    pub(crate) scope: String,
    /// The ids of the users whose email or phone is the identity's.
    pub(crate) accounts: Vec<String>,
    /// Whether a new account may be created (apiCode 1641).
    pub(crate) may_register: bool,
    pub(crate) expires_at: SystemTime,
}

/// Why a key was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRefusal {
    /// No pending binding has this key (or it was used).
    Unknown,
    /// Its time ran out.
    Expired,
}

/// The social binding state.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub(crate) struct SocialBindings {
    /// Whether a new identity may get a new account (1641) or must be bound to an
    /// existing one (1640). True by default.
    pub(crate) allow_register: bool,
    /// Not kept in a state file: minutes long, like the providers' codes.
    #[serde(skip)]
    pending: Vec<Pending>,
}

impl Default for SocialBindings {
    fn default() -> Self {
        SocialBindings {
            allow_register: true,
            pending: Vec::new(),
        }
    }
}

impl SocialBindings {
    /// Keeps a new pending binding; its key.
    pub(crate) fn open(
        &mut self,
        identity: NewProviderCode,
        connection: SocialConnection,
        scope: &str,
        accounts: Vec<String>,
        now: SystemTime,
    ) -> Pending {
        if self.pending.len() >= MAX_PENDING {
            self.pending.remove(0);
        }
        let pending = Pending {
            key: uuid(),
            identity,
            connection,
            scope: scope.to_owned(),
            accounts,
            may_register: self.allow_register,
            expires_at: now + BINDING_KEY_TTL,
        };
        self.pending.push(pending.clone());
        pending
    }

    /// The pending binding of `key`, still usable.
    pub(crate) fn get(&self, key: &str, now: SystemTime) -> Result<&Pending, KeyRefusal> {
        let found = self
            .pending
            .iter()
            .find(|p| p.key == key)
            .ok_or(KeyRefusal::Unknown)?;
        if now >= found.expires_at {
            return Err(KeyRefusal::Expired);
        }
        Ok(found)
    }

    /// Spends `key`: a binding done, it cannot be used again.
    pub(crate) fn spend(&mut self, key: &str) {
        self.pending.retain(|p| p.key != key);
    }
}

/// A random key in the form the spec's example has (`03f4f724-7b5f-44af-92fc-068aea204298`).
fn uuid() -> String {
    let hex = random::hex(16);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_usable_until_spent_or_expired() {
        let mut state = SocialBindings::default();
        let now = SystemTime::now();
        let identity = NewProviderCode::new("wechat", "wx-1");
        let connection = SocialConnection::new("wechat:mobile", "wechat-mobile");
        let key = state
            .open(identity, connection, "openid", Vec::new(), now)
            .key;
        assert_eq!(key.len(), 36);
        assert!(state.get(&key, now).unwrap().may_register);
        assert_eq!(
            state.get(&key, now + BINDING_KEY_TTL).unwrap_err(),
            KeyRefusal::Expired
        );
        state.spend(&key);
        assert_eq!(state.get(&key, now).unwrap_err(), KeyRefusal::Unknown);
    }
}
