//! Pushes of push sign-in: whom each one asks (the app that started it and the user), its
//! status, expiry on the emulator clock, and the one hand-over of its tokens; and the
//! relation apps of each app.
//!
//! A push is `PUSHED` when created; the user's phone (signed in as that user) makes it
//! `AUTHORIZED` (`CONFIRM`) or `CANCELLED` (`CANCEL`). A push still `PUSHED` when its two
//! minutes are up is `EXPIRED`, and so is one a newer push for the same app and user
//! replaced **(our choice: a phone shows one sign-in request per app at a time)**.
//! `AUTHORIZED` and `CANCELLED` are final and do not expire. The tokens of an authorized
//! push are issued by the first status check that asks after the approval and handed over
//! by that check only, within two minutes of the approval **(our choice, as the QR ticket
//! is single use)**; later checks still answer `AUTHORIZED`, without them.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::core::random;
use crate::core::vocab::{PushCodeAction, PushCodeStatus};

/// How long the user has to answer a push **(our choice: 120 s, the spec's example of
/// `expireTime`)**; `signin-by-push` answers it as `expireTime`.
pub const PUSH_CODE_TTL: Duration = Duration::from_secs(120);
/// How long after the approval the tokens can be collected by a status check **(our
/// choice)**.
pub const PUSH_TOKEN_TTL: Duration = Duration::from_secs(120);
/// Pushes kept; at this count the oldest final or expired ones are forgotten.
const MAX_PUSH_CODES: usize = 10_000;

/// A push as the emulator holds it, for the admin API and
/// [`Emulator::push_codes`](crate::Emulator::push_codes).
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// for push in emulator.push_codes() {
///     println!("{} {} {}", push.push_code_id, push.status, push.user_id);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushCodeInfo {
    /// The push's id (`pushCodeId`).
    pub push_code_id: String,
    /// The app that started it (its `x-authing-app-id`).
    pub app_id: String,
    /// The user it asks.
    pub user_id: String,
    /// Its status now, on the emulator clock (`EXPIRED` once its time is up).
    pub status: PushCodeStatus,
    /// When it was created, in emulator time.
    pub created_at: SystemTime,
    /// When it expires unless answered first, in emulator time.
    pub expires_at: SystemTime,
    /// Whether a status check has handed its tokens over (it was authorized).
    pub tokens_handed_over: bool,
}

/// Where a push is, before expiry is taken into account.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Pushed,
    /// A newer push for the same app and user took its place.
    Replaced,
    Authorized {
        at: SystemTime,
    },
    Cancelled,
}

struct Record {
    id: String,
    app_id: String,
    user: String,
    scope: String,
    stage: Stage,
    created_at: SystemTime,
    expires_at: SystemTime,
    custom_data: Option<Map<String, Value>>,
    handed_over: bool,
}

impl Record {
    fn status(&self, now: SystemTime) -> PushCodeStatus {
        match self.stage {
            Stage::Replaced => PushCodeStatus::EXPIRED,
            Stage::Pushed if now >= self.expires_at => PushCodeStatus::EXPIRED,
            Stage::Pushed => PushCodeStatus::PUSHED,
            Stage::Authorized { .. } => PushCodeStatus::AUTHORIZED,
            Stage::Cancelled => PushCodeStatus::CANCELLED,
        }
    }

    fn info(&self, now: SystemTime) -> PushCodeInfo {
        PushCodeInfo {
            push_code_id: self.id.clone(),
            app_id: self.app_id.clone(),
            user_id: self.user.clone(),
            status: self.status(now),
            created_at: self.created_at,
            expires_at: self.expires_at,
            tokens_handed_over: self.handed_over,
        }
    }
}

/// A new push: whom it asks and what the sign-in asks for.
pub(crate) struct NewPush {
    pub(crate) app_id: String,
    pub(crate) user: String,
    pub(crate) scope: String,
    pub(crate) custom_data: Option<Map<String, Value>>,
}

/// What `check-pushcode-status` tells about a push.
pub(crate) struct Seen {
    pub(crate) status: PushCodeStatus,
    /// The user and scope to issue tokens for: the first check after the approval only.
    pub(crate) hand_over: Option<(String, String)>,
}

/// Why a phone's action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PushError {
    NotFound,
    Expired,
    /// The push is already `AUTHORIZED` or `CANCELLED`.
    Finished(PushCodeStatus),
    /// The push asks another user.
    OtherUser,
}

/// Every push the emulator sent and still remembers, and the relation apps.
#[derive(Default)]
pub(crate) struct Pushes {
    codes: HashMap<String, Record>,
    /// Push ids, oldest first.
    order: Vec<String>,
    /// App id to the apps related to it, as the admin set them.
    relations: HashMap<String, Vec<String>>,
}

impl Pushes {
    /// Sends a `PUSHED` push; its id. A push of the same app and user still waiting is
    /// replaced (it reads `EXPIRED` from now on).
    pub(crate) fn create(&mut self, now: SystemTime, new: NewPush) -> String {
        self.prune(now);
        for record in self.codes.values_mut() {
            if record.app_id == new.app_id
                && record.user == new.user
                && record.status(now) == PushCodeStatus::PUSHED
            {
                record.stage = Stage::Replaced;
            }
        }
        let id = format!("push-{}", random::token());
        self.order.push(id.clone());
        self.codes.insert(
            id.clone(),
            Record {
                id: id.clone(),
                app_id: new.app_id,
                user: new.user,
                scope: new.scope,
                stage: Stage::Pushed,
                created_at: now,
                expires_at: now + PUSH_CODE_TTL,
                custom_data: new.custom_data,
                handed_over: false,
            },
        );
        id
    }

    /// What a status check sees; `None` for an unknown push. The first check after the
    /// approval (within [`PUSH_TOKEN_TTL`]) takes the hand-over.
    pub(crate) fn check(&mut self, id: &str, now: SystemTime) -> Option<Seen> {
        let record = self.codes.get_mut(id)?;
        let status = record.status(now);
        let hand_over = match record.stage {
            Stage::Authorized { at } if !record.handed_over && now < at + PUSH_TOKEN_TTL => {
                record.handed_over = true;
                Some((record.user.clone(), record.scope.clone()))
            }
            _ => None,
        };
        Some(Seen { status, hand_over })
    }

    /// Gives back a hand-over [`check`](Self::check) took but could not complete (the
    /// user was locked): a later check, within [`PUSH_TOKEN_TTL`], takes it again.
    pub(crate) fn return_hand_over(&mut self, id: &str) {
        if let Some(record) = self.codes.get_mut(id) {
            record.handed_over = false;
        }
    }

    /// Applies the phone's `action` as `user`. On a `CONFIRM`, the push's custom data (to
    /// store on the user).
    pub(crate) fn change(
        &mut self,
        id: &str,
        user: &str,
        action: PushCodeAction,
        now: SystemTime,
    ) -> Result<Option<Map<String, Value>>, PushError> {
        let record = self.codes.get_mut(id).ok_or(PushError::NotFound)?;
        if record.user != user {
            return Err(PushError::OtherUser);
        }
        match record.status(now) {
            PushCodeStatus::PUSHED => {}
            PushCodeStatus::EXPIRED => return Err(PushError::Expired),
            status => return Err(PushError::Finished(status)),
        }
        match action {
            PushCodeAction::CONFIRM => {
                record.stage = Stage::Authorized { at: now };
                Ok(record.custom_data.take())
            }
            PushCodeAction::CANCEL => {
                record.stage = Stage::Cancelled;
                Ok(None)
            }
        }
    }

    /// The app that started the push `id`.
    pub(crate) fn app_of(&self, id: &str) -> Option<&str> {
        self.codes.get(id).map(|r| r.app_id.as_str())
    }

    /// The apps related to `app_id`: as the admin set them, else the app itself **(our
    /// choice: an app's own phone app may answer its pushes)**.
    pub(crate) fn relation_apps(&self, app_id: &str) -> Vec<String> {
        self.relations
            .get(app_id)
            .cloned()
            .unwrap_or_else(|| vec![app_id.to_owned()])
    }

    /// Sets the apps related to `app_id`.
    pub(crate) fn set_relation_apps(&mut self, app_id: &str, apps: Vec<String>) {
        self.relations.insert(app_id.to_owned(), apps);
    }

    /// One push's view.
    pub(crate) fn info(&self, id: &str, now: SystemTime) -> Option<PushCodeInfo> {
        self.codes.get(id).map(|r| r.info(now))
    }

    /// The newest push still waiting for `user`'s answer.
    pub(crate) fn pending_for(&self, user: &str, now: SystemTime) -> Option<PushCodeInfo> {
        self.order
            .iter()
            .rev()
            .filter_map(|id| self.codes.get(id))
            .find(|r| r.user == user && r.status(now) == PushCodeStatus::PUSHED)
            .map(|r| r.info(now))
    }

    /// Every push, oldest first.
    pub(crate) fn list(&self, now: SystemTime) -> Vec<PushCodeInfo> {
        self.order
            .iter()
            .filter_map(|id| self.codes.get(id))
            .map(|r| r.info(now))
            .collect()
    }

    /// Forgets the pushes that ask `user` (a deleted user).
    pub(crate) fn forget_user(&mut self, user: &str) {
        self.codes.retain(|_, r| r.user != user);
        self.order.retain(|id| self.codes.contains_key(id));
    }

    /// At the cap, forgets pushes that can no longer change (expired, cancelled, or
    /// authorized and handed over), oldest first.
    fn prune(&mut self, now: SystemTime) {
        if self.codes.len() < MAX_PUSH_CODES {
            return;
        }
        self.codes.retain(|_, r| match r.status(now) {
            PushCodeStatus::EXPIRED | PushCodeStatus::CANCELLED => false,
            PushCodeStatus::AUTHORIZED => !r.handed_over,
            _ => true,
        });
        self.order.retain(|id| self.codes.contains_key(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_push(user: &str) -> NewPush {
        NewPush {
            app_id: "app-1".into(),
            user: user.into(),
            scope: "openid".into(),
            custom_data: None,
        }
    }

    #[test]
    fn a_push_is_approved_once_by_its_user_and_hands_its_tokens_over_once() {
        let mut pushes = Pushes::default();
        let now = SystemTime::now();
        let id = pushes.create(now, new_push("u1"));
        assert_eq!(
            pushes.check(&id, now).unwrap().status,
            PushCodeStatus::PUSHED
        );
        assert_eq!(
            pushes.change(&id, "u2", PushCodeAction::CONFIRM, now),
            Err(PushError::OtherUser)
        );
        pushes
            .change(&id, "u1", PushCodeAction::CONFIRM, now)
            .unwrap();
        assert_eq!(
            pushes.change(&id, "u1", PushCodeAction::CANCEL, now),
            Err(PushError::Finished(PushCodeStatus::AUTHORIZED))
        );
        let first = pushes.check(&id, now).unwrap();
        assert_eq!(first.status, PushCodeStatus::AUTHORIZED);
        assert_eq!(first.hand_over.unwrap().0, "u1");
        let again = pushes.check(&id, now).unwrap();
        assert_eq!(again.status, PushCodeStatus::AUTHORIZED);
        assert!(again.hand_over.is_none());
        // A hand-over given back (its user was locked) is taken by the next check.
        pushes.return_hand_over(&id);
        assert_eq!(pushes.check(&id, now).unwrap().hand_over.unwrap().0, "u1");
        assert!(pushes.check(&id, now).unwrap().hand_over.is_none());
    }

    #[test]
    fn a_push_expires_and_a_newer_one_replaces_it() {
        let mut pushes = Pushes::default();
        let now = SystemTime::now();
        let old = pushes.create(now, new_push("u1"));
        let other = pushes.create(now, new_push("u2"));
        let new = pushes.create(now, new_push("u1"));
        assert_eq!(
            pushes.check(&old, now).unwrap().status,
            PushCodeStatus::EXPIRED
        );
        assert_eq!(pushes.pending_for("u1", now).unwrap().push_code_id, new);
        let later = now + PUSH_CODE_TTL;
        assert_eq!(
            pushes.check(&other, later).unwrap().status,
            PushCodeStatus::EXPIRED
        );
        assert_eq!(
            pushes.change(&new, "u1", PushCodeAction::CONFIRM, later),
            Err(PushError::Expired)
        );
        assert!(pushes.pending_for("u1", later).is_none());
    }
}
