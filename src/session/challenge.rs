//! The sign-in's pending second-factor challenge: the `mfaToken` a sign-in answered with
//! apiCode 1635 or 1636, kept until an `mfa_verify_by_*` call completes the sign-in.
//!
//! It lives beside the session, never in it: no token is saved until the second factor
//! passes. It is kept in memory only (not in the token store: it lasts minutes), and a
//! new session, a sign-out or a new sign-in ends it.

use std::sync::{Mutex, PoisonError};

use crate::model::MfaChallenge;

/// At most one challenge, the latest sign-in's.
#[derive(Default)]
pub(crate) struct PendingChallenge {
    slot: Mutex<Option<MfaChallenge>>,
}

impl PendingChallenge {
    /// Replaces any earlier challenge.
    pub(crate) fn set(&self, challenge: MfaChallenge) {
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(challenge);
    }

    /// The pending challenge, if any.
    pub(crate) fn get(&self) -> Option<MfaChallenge> {
        self.slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Ends the challenge whose token is `mfa_token`, if it is still the pending one (a
    /// newer sign-in's challenge stays).
    pub(crate) fn end(&self, mfa_token: &str) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|c| c.mfa_token() == mfa_token) {
            *slot = None;
        }
    }

    /// Ends any challenge.
    pub(crate) fn clear(&self) {
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}
