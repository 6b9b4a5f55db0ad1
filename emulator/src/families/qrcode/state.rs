//! QR codes for QR sign-in: their status, expiry on the emulator clock, who scanned them,
//! and the single-use ticket an authorized code hands out.
//!
//! A code is `PENDING` when generated; `SCAN` (by a signed-in user) makes it `SCANNED`;
//! then that same user's `CONFIRM` makes it `AUTHORIZED` (and issues its ticket) or
//! `CANCEL` makes it `CANCELLED`. A code still `PENDING` or `SCANNED` when its two minutes
//! are up is `EXPIRED`. `AUTHORIZED` and `CANCELLED` are final and do not expire; the
//! ticket does, two minutes after the authorization, and is spent by its first exchange.
//!
//! A fast authentication code (`gene-fastpass-qrcode-info`) runs the other way: it has an
//! owner, the signed-in user who made it. The app that scans it lists the client apps
//! (`PENDING` -> `SCANNED`, the owner as the one shown) and signs in with it (`APP_LOGIN`:
//! `AUTHORIZED`, no ticket: the app gets the owner's tokens at once). The two kinds do not
//! mix: the phone's `change-qrcode-status` refuses a fast authentication code, and
//! `qrcode-app-login` a sign-in code.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::core::random;
use crate::core::vocab::{Action, QrCodeStatus};

/// How long a new code can be scanned and confirmed **(our choice: two minutes, the span
/// between `createdAt` and `expireAt` in the QR payload Authing's Android docs show)**.
pub const QR_CODE_TTL: Duration = Duration::from_secs(120);
/// How long the ticket of an authorized code can be exchanged **(our choice)**.
pub const QR_TICKET_TTL: Duration = Duration::from_secs(120);
/// Codes kept; at this count the oldest final or expired ones are forgotten.
const MAX_QR_CODES: usize = 10_000;

/// A QR code as the emulator holds it, for the admin API and
/// [`Emulator::qr_codes`](crate::Emulator::qr_codes).
///
/// ```
/// let emulator = authing_emulator::Emulator::start()?;
/// for code in emulator.qr_codes() {
///     println!("{} {} {:?}", code.qrcode_id, code.status, code.user_id);
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCodeInfo {
    /// The code's id (`qrcodeId`).
    pub qrcode_id: String,
    /// Its status now, on the emulator clock (`EXPIRED` once its time is up).
    pub status: QrCodeStatus,
    /// The user who scanned it, from `SCANNED` on.
    pub user_id: Option<String>,
    /// When it was generated, in emulator time.
    pub created_at: SystemTime,
    /// When it expires unless authorized or cancelled first, in emulator time.
    pub expires_at: SystemTime,
    /// Whether its ticket was issued (it was authorized) and then exchanged.
    pub ticket_used: bool,
}

/// Where a code is, before expiry is taken into account.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Pending,
    Scanned,
    Authorized,
    Cancelled,
}

struct Record {
    id: String,
    stage: Stage,
    user: Option<String>,
    created_at: SystemTime,
    expires_at: SystemTime,
    custom_data: Option<Map<String, Value>>,
    ticket: Option<Ticket>,
    /// A fast authentication code's owner and the scope its app login gets.
    fastpass: Option<Fastpass>,
}

struct Fastpass {
    owner: String,
    scope: Option<String>,
}

struct Ticket {
    value: String,
    expires_at: SystemTime,
    used: bool,
}

impl Record {
    fn status(&self, now: SystemTime) -> QrCodeStatus {
        match self.stage {
            Stage::Pending | Stage::Scanned if now >= self.expires_at => QrCodeStatus::EXPIRED,
            Stage::Pending => QrCodeStatus::PENDING,
            Stage::Scanned => QrCodeStatus::SCANNED,
            Stage::Authorized => QrCodeStatus::AUTHORIZED,
            Stage::Cancelled => QrCodeStatus::CANCELLED,
        }
    }

    fn info(&self, now: SystemTime) -> QrCodeInfo {
        QrCodeInfo {
            qrcode_id: self.id.clone(),
            status: self.status(now),
            user_id: self.user.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            ticket_used: self.ticket.as_ref().is_some_and(|t| t.used),
        }
    }
}

/// What `check-qrcode-status` tells about a code.
pub(crate) struct Seen {
    pub(crate) status: QrCodeStatus,
    pub(crate) user: Option<String>,
    /// The ticket, while authorized and not yet exchanged or expired.
    pub(crate) ticket: Option<String>,
}

/// Why a phone's action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum QrError {
    NotFound,
    Expired,
    /// `CONFIRM` or `CANCEL` on a code nobody scanned.
    ScanFirst,
    /// The code is already `AUTHORIZED` or `CANCELLED`.
    Finished(QrCodeStatus),
    /// Another user scanned it.
    OtherUser,
    /// A fast authentication code given to the phone's `change-qrcode-status` (`true`), or
    /// a sign-in code given to `qrcode-app-login` (`false`).
    WrongKind {
        fastpass: bool,
    },
}

/// Why a ticket was refused.
pub(crate) enum TicketError {
    /// Unknown, already exchanged or expired (one answer for all three).
    Invalid,
}

/// A spent ticket: whom it signs in, and the code's custom data.
pub(crate) struct Spent {
    pub(crate) user: String,
}

/// A fast authentication code's app login: whom it signs in, with which scope, and the
/// custom data to store on them.
pub(crate) struct AppLogin {
    pub(crate) owner: String,
    pub(crate) scope: Option<String>,
    pub(crate) custom_data: Option<Map<String, Value>>,
}

/// Every QR code the emulator generated and still remembers.
#[derive(Default)]
pub(crate) struct QrCodes {
    codes: HashMap<String, Record>,
    /// Ticket value to code id.
    tickets: HashMap<String, String>,
    /// Code ids, oldest first.
    order: Vec<String>,
}

impl QrCodes {
    /// Generates a `PENDING` code; its id.
    pub(crate) fn create(
        &mut self,
        now: SystemTime,
        custom_data: Option<Map<String, Value>>,
    ) -> String {
        self.prune(now);
        let id = format!("qr-{}", random::token());
        self.order.push(id.clone());
        self.codes.insert(
            id.clone(),
            Record {
                id: id.clone(),
                stage: Stage::Pending,
                user: None,
                created_at: now,
                expires_at: now + QR_CODE_TTL,
                custom_data,
                ticket: None,
                fastpass: None,
            },
        );
        id
    }

    /// Generates a `PENDING` fast authentication code owned by `owner`; its id.
    pub(crate) fn create_fastpass(
        &mut self,
        now: SystemTime,
        owner: &str,
        scope: Option<String>,
        custom_data: Option<Map<String, Value>>,
    ) -> String {
        let id = self.create(now, custom_data);
        if let Some(record) = self.codes.get_mut(&id) {
            record.fastpass = Some(Fastpass {
                owner: owner.to_owned(),
                scope,
            });
        }
        id
    }

    /// The live fast authentication code `id` (not expired, not final).
    fn live_fastpass(&mut self, id: &str, now: SystemTime) -> Result<&mut Record, QrError> {
        let record = self.codes.get_mut(id).ok_or(QrError::NotFound)?;
        if record.fastpass.is_none() {
            return Err(QrError::WrongKind { fastpass: false });
        }
        match record.status(now) {
            QrCodeStatus::EXPIRED => Err(QrError::Expired),
            status @ (QrCodeStatus::AUTHORIZED | QrCodeStatus::CANCELLED) => {
                Err(QrError::Finished(status))
            }
            _ => Ok(record),
        }
    }

    /// The scanning app read the fast authentication code `id` (it lists the client apps):
    /// `PENDING` becomes `SCANNED`, with the owner as the user shown.
    pub(crate) fn fastpass_scan(&mut self, id: &str, now: SystemTime) -> Result<(), QrError> {
        let record = self.live_fastpass(id, now)?;
        if record.stage == Stage::Pending {
            record.stage = Stage::Scanned;
            record.user = record.fastpass.as_ref().map(|f| f.owner.clone());
        }
        Ok(())
    }

    /// The scanning app signs in with the fast authentication code `id`: it becomes
    /// `AUTHORIZED`, once.
    pub(crate) fn app_login(&mut self, id: &str, now: SystemTime) -> Result<AppLogin, QrError> {
        let record = self.live_fastpass(id, now)?;
        let fastpass = record
            .fastpass
            .as_ref()
            .ok_or(QrError::WrongKind { fastpass: false })?;
        let login = AppLogin {
            owner: fastpass.owner.clone(),
            scope: fastpass.scope.clone(),
            custom_data: record.custom_data.take(),
        };
        record.stage = Stage::Authorized;
        record.user = Some(login.owner.clone());
        Ok(login)
    }

    /// What a status check sees; `None` for an unknown code.
    pub(crate) fn seen(&self, id: &str, now: SystemTime) -> Option<Seen> {
        let record = self.codes.get(id)?;
        let ticket = record
            .ticket
            .as_ref()
            .filter(|t| !t.used && now < t.expires_at)
            .map(|t| t.value.clone());
        Some(Seen {
            status: record.status(now),
            user: record.user.clone(),
            ticket,
        })
    }

    /// Applies the phone's `action` as `user`. On a `CONFIRM`, the code's custom data (to
    /// store on the user).
    pub(crate) fn change(
        &mut self,
        id: &str,
        user: &str,
        action: Action,
        now: SystemTime,
    ) -> Result<Option<Map<String, Value>>, QrError> {
        let record = self.codes.get_mut(id).ok_or(QrError::NotFound)?;
        if record.fastpass.is_some() {
            return Err(QrError::WrongKind { fastpass: true });
        }
        match record.status(now) {
            QrCodeStatus::EXPIRED => return Err(QrError::Expired),
            status @ (QrCodeStatus::AUTHORIZED | QrCodeStatus::CANCELLED) => {
                return Err(QrError::Finished(status))
            }
            _ => {}
        }
        if record
            .user
            .as_deref()
            .is_some_and(|scanner| scanner != user)
        {
            return Err(QrError::OtherUser);
        }
        if record.stage == Stage::Pending && action != Action::SCAN {
            return Err(QrError::ScanFirst);
        }
        match action {
            Action::SCAN => {
                record.stage = Stage::Scanned;
                record.user = Some(user.to_owned());
                Ok(None)
            }
            Action::CONFIRM => {
                let value = random::token();
                record.stage = Stage::Authorized;
                record.ticket = Some(Ticket {
                    value: value.clone(),
                    expires_at: now + QR_TICKET_TTL,
                    used: false,
                });
                self.tickets.insert(value, id.to_owned());
                Ok(record.custom_data.take())
            }
            Action::CANCEL => {
                record.stage = Stage::Cancelled;
                Ok(None)
            }
        }
    }

    /// Spends a ticket: the first exchange of a live ticket succeeds, every later one fails.
    pub(crate) fn spend(&mut self, ticket: &str, now: SystemTime) -> Result<Spent, TicketError> {
        let id = self
            .tickets
            .get(ticket.trim())
            .ok_or(TicketError::Invalid)?;
        let record = self.codes.get_mut(id).ok_or(TicketError::Invalid)?;
        let Some(t) = record.ticket.as_mut() else {
            return Err(TicketError::Invalid);
        };
        if t.used || now >= t.expires_at {
            return Err(TicketError::Invalid);
        }
        t.used = true;
        let user = record.user.clone().ok_or(TicketError::Invalid)?;
        Ok(Spent { user })
    }

    /// One code's view.
    pub(crate) fn info(&self, id: &str, now: SystemTime) -> Option<QrCodeInfo> {
        self.codes.get(id).map(|r| r.info(now))
    }

    /// Every code, oldest first.
    pub(crate) fn list(&self, now: SystemTime) -> Vec<QrCodeInfo> {
        self.order
            .iter()
            .filter_map(|id| self.codes.get(id))
            .map(|r| r.info(now))
            .collect()
    }

    /// At the cap, forgets codes that can no longer change (expired, cancelled, or whose
    /// ticket is spent or expired), oldest first.
    fn prune(&mut self, now: SystemTime) {
        if self.codes.len() < MAX_QR_CODES {
            return;
        }
        let done = |r: &Record| match r.status(now) {
            QrCodeStatus::EXPIRED | QrCodeStatus::CANCELLED => true,
            QrCodeStatus::AUTHORIZED => r
                .ticket
                .as_ref()
                .is_none_or(|t| t.used || now >= t.expires_at),
            _ => false,
        };
        let gone: Vec<String> = self
            .order
            .iter()
            .filter(|id| self.codes.get(*id).is_some_and(done))
            .cloned()
            .collect();
        for id in &gone {
            if let Some(record) = self.codes.remove(id) {
                if let Some(t) = record.ticket {
                    self.tickets.remove(&t.value);
                }
            }
        }
        self.order.retain(|id| self.codes.contains_key(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_goes_pending_scanned_authorized_and_its_ticket_is_spent_once() {
        let mut codes = QrCodes::default();
        let now = SystemTime::now();
        let id = codes.create(now, None);
        assert_eq!(codes.seen(&id, now).unwrap().status, QrCodeStatus::PENDING);
        assert_eq!(
            codes.change(&id, "u1", Action::CONFIRM, now),
            Err(QrError::ScanFirst)
        );
        codes.change(&id, "u1", Action::SCAN, now).unwrap();
        assert_eq!(
            codes.change(&id, "u2", Action::CONFIRM, now),
            Err(QrError::OtherUser)
        );
        codes.change(&id, "u1", Action::CONFIRM, now).unwrap();
        let seen = codes.seen(&id, now).unwrap();
        assert_eq!(seen.status, QrCodeStatus::AUTHORIZED);
        let ticket = seen.ticket.unwrap();
        assert_eq!(
            codes.spend(&ticket, now).ok().map(|s| s.user).as_deref(),
            Some("u1")
        );
        assert!(codes.spend(&ticket, now).is_err());
        assert!(codes.seen(&id, now).unwrap().ticket.is_none());
    }

    #[test]
    fn a_fast_authentication_code_is_scanned_then_signs_one_app_in_and_kinds_do_not_mix() {
        let mut codes = QrCodes::default();
        let now = SystemTime::now();
        let fast = codes.create_fastpass(now, "u1", None, None);
        let plain = codes.create(now, None);
        assert_eq!(
            codes.change(&fast, "u1", Action::SCAN, now),
            Err(QrError::WrongKind { fastpass: true })
        );
        assert!(matches!(
            codes.app_login(&plain, now),
            Err(QrError::WrongKind { fastpass: false })
        ));
        codes.fastpass_scan(&fast, now).unwrap();
        let seen = codes.seen(&fast, now).unwrap();
        assert_eq!(seen.status, QrCodeStatus::SCANNED);
        assert_eq!(seen.user.as_deref(), Some("u1"));
        assert_eq!(codes.app_login(&fast, now).unwrap().owner, "u1");
        assert_eq!(
            codes.seen(&fast, now).unwrap().status,
            QrCodeStatus::AUTHORIZED
        );
        assert!(matches!(
            codes.app_login(&fast, now),
            Err(QrError::Finished(QrCodeStatus::AUTHORIZED))
        ));
        let late = codes.create_fastpass(now, "u1", None, None);
        assert!(matches!(
            codes.app_login(&late, now + QR_CODE_TTL),
            Err(QrError::Expired)
        ));
    }

    #[test]
    fn a_pending_or_scanned_code_expires_and_a_final_one_does_not() {
        let mut codes = QrCodes::default();
        let now = SystemTime::now();
        let later = now + QR_CODE_TTL;
        let pending = codes.create(now, None);
        let cancelled = codes.create(now, None);
        codes.change(&cancelled, "u1", Action::SCAN, now).unwrap();
        codes.change(&cancelled, "u1", Action::CANCEL, now).unwrap();
        assert_eq!(
            codes.seen(&pending, later).unwrap().status,
            QrCodeStatus::EXPIRED
        );
        assert_eq!(
            codes.change(&pending, "u1", Action::SCAN, later),
            Err(QrError::Expired)
        );
        assert_eq!(
            codes.seen(&cancelled, later).unwrap().status,
            QrCodeStatus::CANCELLED
        );
    }
}
