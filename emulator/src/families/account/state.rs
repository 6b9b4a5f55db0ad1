//! The account family's state: the one-time tokens of its verify-then-act calls (change
//! the phone, change the email, delete the account) and the avatar uploads, kept behind the
//! state's mutex with everything a reset clears.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use crate::core::contact::Target;
use crate::core::random;

/// How long a verify-then-act token lives: 60 s, the lifetime the spec documents for
/// `updateEmailToken` and `deleteAccountToken` (and, by the emulator's choice, for
/// `updatePhoneToken`, whose lifetime the spec does not give).
pub(crate) const ACCOUNT_TOKEN_TTL: Duration = Duration::from_secs(60);
/// The most uploads kept; the oldest goes first.
const MAX_UPLOADS: usize = 256;
/// The most bytes of uploads kept; the oldest go first.
const MAX_UPLOAD_STORE_BYTES: usize = 64 * 1024 * 1024;

/// What a verify-then-act token does once spent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Action {
    /// Makes this phone the user's.
    UpdatePhone(Target),
    /// Makes this email the user's.
    UpdateEmail(Target),
    /// Deletes the user.
    DeleteAccount,
}

impl Action {
    fn same_kind(&self, other: &Action) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Pending {
    action: Action,
    user_id: String,
    expires_at: SystemTime,
}

/// An uploaded file, as the emulator keeps and serves it.
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// for upload in emulator.uploads() {
///     println!("{} {} ({} bytes) at {}", upload.key, upload.content_type, upload.bytes.len(), upload.url);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its key, `<folder>/<24 hex digits>.<extension>`, such as `photos/…png`.
    pub key: String,
    /// The URL the upload answered, where `GET` serves the bytes back.
    pub url: String,
    /// The media type, by the file's signature: `image/png`, `image/jpeg`, `image/gif` or
    /// `image/webp`.
    pub content_type: String,
    /// The file.
    pub bytes: Vec<u8>,
    /// When it arrived, in emulator time.
    pub uploaded_at: SystemTime,
}

/// The account family's state.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Account {
    pending: HashMap<String, Pending>,
    /// Not kept in a state file: the bytes would swell it, and their URLs name the old
    /// emulator's address anyway.
    #[serde(skip)]
    uploads: VecDeque<Upload>,
}

impl Account {
    /// Issues a one-time token that does `action` for `user_id` until `now + ttl`.
    pub(crate) fn issue(&mut self, action: Action, user_id: &str, now: SystemTime) -> String {
        self.pending.retain(|_, p| now < p.expires_at);
        let token = random::token();
        self.pending.insert(
            token.clone(),
            Pending {
                action,
                user_id: user_id.to_owned(),
                expires_at: now + ACCOUNT_TOKEN_TTL,
            },
        );
        token
    }

    /// Spends `token` if it is `user_id`'s, of `kind`'s kind, and not expired at `now`;
    /// its action. A token of another user or kind stays unspent; an expired one goes.
    pub(crate) fn spend(
        &mut self,
        token: &str,
        user_id: &str,
        kind: &Action,
        now: SystemTime,
    ) -> Option<Action> {
        let pending = self.pending.get(token.trim())?;
        if now >= pending.expires_at {
            self.pending.remove(token.trim());
            return None;
        }
        if pending.user_id != user_id || !pending.action.same_kind(kind) {
            return None;
        }
        self.pending.remove(token.trim()).map(|p| p.action)
    }

    /// Forgets the tokens of a deleted user.
    pub(crate) fn forget_user(&mut self, user_id: &str) {
        self.pending.retain(|_, p| p.user_id != user_id);
    }

    /// Keeps an upload, forgetting the oldest ones beyond the limits.
    pub(crate) fn store(&mut self, upload: Upload) {
        self.uploads.push_back(upload);
        let mut total: usize = self.uploads.iter().map(|u| u.bytes.len()).sum();
        while self.uploads.len() > MAX_UPLOADS
            || (total > MAX_UPLOAD_STORE_BYTES && self.uploads.len() > 1)
        {
            if let Some(old) = self.uploads.pop_front() {
                total -= old.bytes.len();
            }
        }
    }

    /// The upload of `key`.
    pub(crate) fn upload(&self, key: &str) -> Option<&Upload> {
        self.uploads.iter().find(|u| u.key == key)
    }

    /// Every upload kept, oldest first.
    pub(crate) fn uploads(&self) -> impl Iterator<Item = &Upload> {
        self.uploads.iter()
    }
}

/// A new upload key in `folder`: `<folder>/<24 hex digits>.<extension>`.
pub(crate) fn upload_key(folder: &str, extension: &str) -> String {
    format!("{folder}/{}.{extension}", random::hex(12))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_spent_once_by_its_user_for_its_kind_before_it_expires() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut account = Account::default();
        let token = account.issue(Action::DeleteAccount, "u1", now);
        let phone = Action::UpdatePhone(Target::phone(None, "18812345678").unwrap());
        assert_eq!(
            account.spend(&token, "u2", &Action::DeleteAccount, now),
            None
        );
        assert_eq!(account.spend(&token, "u1", &phone, now), None);
        assert_eq!(
            account.spend(&token, "u1", &Action::DeleteAccount, now),
            Some(Action::DeleteAccount)
        );
        assert_eq!(
            account.spend(&token, "u1", &Action::DeleteAccount, now),
            None
        );
        let late = account.issue(Action::DeleteAccount, "u1", now);
        let expired = now + ACCOUNT_TOKEN_TTL;
        assert_eq!(
            account.spend(&late, "u1", &Action::DeleteAccount, expired),
            None
        );
    }

    #[test]
    fn the_oldest_uploads_go_beyond_the_count_limit() {
        let mut account = Account::default();
        for i in 0..=MAX_UPLOADS {
            account.store(Upload {
                key: format!("photos/{i}.png"),
                url: String::new(),
                content_type: "image/png".into(),
                bytes: vec![0; 1],
                uploaded_at: SystemTime::UNIX_EPOCH,
            });
        }
        assert_eq!(account.uploads().count(), MAX_UPLOADS);
        assert!(account.upload("photos/0.png").is_none());
        assert!(account
            .upload(&format!("photos/{MAX_UPLOADS}.png"))
            .is_some());
    }
}
