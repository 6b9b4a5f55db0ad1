//! Users, codes, cooldowns, reset tokens, sessions, faults, the clock offset and each
//! family's state ([`FamilyStates`]): everything a reset clears, behind one mutex. Who a
//! code goes to is `contact.rs`, the user directory `users.rs`, the session tokens
//! `tokens.rs`.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::core::config::{EmulatorConfig, MAX_DURATION};
use crate::core::contact::Target;
use crate::core::password_hash;
use crate::core::tokens::Tokens;
use crate::core::users::{self, Creation, Source, Users};
use crate::families::{FamilyStates, FAMILIES};
use crate::EmulatorError;
use crate::Fault;
use crate::IssuedCode;
use crate::NewUser;
use crate::PasswordForm;

/// Codes kept for the admin API; older ones are forgotten.
const MAX_CODES: usize = 10_000;

#[derive(serde::Serialize, serde::Deserialize)]
struct CodeRecord {
    channel: String,
    target: Target,
    code: String,
    expires_at: SystemTime,
    used: bool,
    wrong: u32,
    voided: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Token {
    user: usize,
    expires_at: SystemTime,
}

/// Why a send was refused.
pub(crate) enum SendError {
    UserNotFound,
    Throttled(u64),
}

/// Why a verification was refused.
pub(crate) enum VerifyError {
    UserNotFound,
    WrongCode,
    Expired,
    TooManyAttempts,
}

/// Why a reset was refused.
pub(crate) enum ResetError {
    BadToken,
    BadPassword,
}

/// All mutable emulator state.
///
/// What a state file keeps (`persist.rs`) is what serializes: the send cooldowns and the
/// injected faults do not (they are rate-limit counters and test plumbing), nor what each
/// family marks as in flight in [`FamilyStates`].
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct State {
    /// How far the emulator's clock is ahead of real time.
    offset: Duration,
    pub(crate) users: Users,
    /// Access and refresh tokens of signed-in users.
    pub(crate) sessions: Tokens,
    /// Verification codes sent (pending, spent or voided).
    codes: Vec<CodeRecord>,
    #[serde(skip)]
    cooldowns: HashMap<(Target, String), SystemTime>,
    /// Reset-password tokens.
    tokens: HashMap<String, Token>,
    #[serde(skip)]
    faults: HashMap<String, VecDeque<(Fault, u32)>>,
    /// Each family's own state (`families/<family>/state.rs`), gathered in
    /// `families/mod.rs` so that a new family adds its field there, not here.
    pub(crate) families: FamilyStates,
}

impl State {
    /// A fresh state holding the configured users.
    pub(crate) fn new(config: &EmulatorConfig) -> Result<State, EmulatorError> {
        let mut state = State::empty();
        for user in &config.users {
            state.add_user(config, user)?;
        }
        Ok(state)
    }

    /// A state with no users at all.
    pub(crate) fn empty() -> State {
        State {
            offset: Duration::ZERO,
            users: Users::default(),
            sessions: Tokens::default(),
            codes: Vec::new(),
            cooldowns: HashMap::new(),
            tokens: HashMap::new(),
            faults: HashMap::new(),
            families: FamilyStates::default(),
        }
    }

    /// The emulator's clock: real time plus the offset.
    pub(crate) fn now(&self) -> SystemTime {
        SystemTime::now() + self.offset
    }

    /// Moves the clock forward; `false`, and no move, when that would put it more than
    /// [`MAX_DURATION`] ahead of real time (which keeps every time computed from the clock
    /// and a configured duration, itself at most [`MAX_DURATION`], far from overflow).
    pub(crate) fn advance(&mut self, by: Duration) -> bool {
        match self.offset.checked_add(by) {
            Some(offset) if offset <= MAX_DURATION => {
                self.offset = offset;
                true
            }
            _ => false,
        }
    }

    /// The clock offset.
    pub(crate) fn offset(&self) -> Duration {
        self.offset
    }

    /// Adds a user (created by the admin) after checking its identities; returns its id.
    pub(crate) fn add_user(
        &mut self,
        config: &EmulatorConfig,
        user: &NewUser,
    ) -> Result<String, EmulatorError> {
        let how = Creation {
            source: Source::AdminCreated,
            register_source: "import:manual",
            now: self.now(),
            iterations: config.session.password_hash_iterations,
            verified: false,
        };
        let index = self.users.add(user, &how)?;
        Ok(self
            .users
            .get(index)
            .map(|u| u.id.clone())
            .unwrap_or_default())
    }

    fn find_user(&self, target: &Target) -> Option<usize> {
        self.users.by_target(target)
    }

    fn user_named(&self, query: &str) -> Option<&users::User> {
        self.users.iter().find(|u| u.matches(query))
    }

    /// Whether the user named by `query` (id, username, email, phone or directory account
    /// name) exists and has `password` (its own, or its directory password).
    pub(crate) fn check_password(&self, query: &str, password: &str) -> bool {
        self.users.iter().filter(|u| u.matches(query)).any(|u| {
            let directory = u.directory.as_ref().map(|d| d.kind);
            [
                u.hash_for(None),
                directory.and_then(|d| u.hash_for(Some(d))),
            ]
            .into_iter()
            .flatten()
            .any(|hash| password_hash::verify_password(hash, password))
        })
    }

    /// How the current password of the user named by `query` reached `reset-password`:
    /// `None` when there is no such user, `Some(None)` when it was never reset.
    pub(crate) fn password_form(&self, query: &str) -> Option<Option<PasswordForm>> {
        self.user_named(query).map(|u| u.form)
    }

    /// Issues `code` to `target` on `channel`, unless throttled or (for password resets)
    /// the user does not exist.
    pub(crate) fn send_code(
        &mut self,
        config: &EmulatorConfig,
        channel: &str,
        target: Target,
        code: String,
    ) -> Result<IssuedCode, SendError> {
        if channel == "CHANNEL_RESET_PASSWORD" && self.find_user(&target).is_none() {
            return Err(SendError::UserNotFound);
        }
        let now = self.now();
        let key = (target, channel.to_owned());
        if let Some(last) = self.cooldowns.get(&key) {
            let since = now.duration_since(*last).unwrap_or(Duration::ZERO);
            if since < config.send_cooldown {
                let left = config.send_cooldown - since;
                let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                return Err(SendError::Throttled(secs.max(1)));
            }
        }
        let (target, channel) = key.clone();
        self.cooldowns.insert(key, now);
        let ttl = match target {
            Target::Phone { .. } => config.sms_code_ttl,
            Target::Email(_) => config.email_code_ttl,
        };
        if self.codes.len() >= MAX_CODES {
            self.codes.remove(0);
        }
        let record = CodeRecord {
            channel,
            target,
            code,
            expires_at: now + ttl,
            used: false,
            wrong: 0,
            voided: false,
        };
        let out = issued(&record);
        self.codes.push(record);
        Ok(out)
    }

    /// Checks a reset-password code; on success stores `token` for the user and returns
    /// the token's lifetime in seconds.
    pub(crate) fn verify(
        &mut self,
        config: &EmulatorConfig,
        target: &Target,
        code: &str,
        token: String,
    ) -> Result<u64, VerifyError> {
        let user = self.find_user(target).ok_or(VerifyError::UserNotFound)?;
        self.consume_code(config, target, "CHANNEL_RESET_PASSWORD", code)?;
        let now = self.now();
        self.tokens.insert(
            token,
            Token {
                user,
                expires_at: now + config.reset_token_ttl,
            },
        );
        Ok(config.reset_token_ttl.as_secs())
    }

    /// Spends the newest code sent to `target` on `channel` if it is `code` and still
    /// usable; counts a wrong try otherwise (the last allowed wrong try voids the code).
    pub(crate) fn consume_code(
        &mut self,
        config: &EmulatorConfig,
        target: &Target,
        channel: &str,
        code: &str,
    ) -> Result<(), VerifyError> {
        self.try_code(config, target, channel, code, true)
    }

    /// Checks a code as [`consume_code`](Self::consume_code) does without spending it: the
    /// right code stays usable; a wrong one counts a wrong try all the same.
    pub(crate) fn check_code(
        &mut self,
        config: &EmulatorConfig,
        target: &Target,
        channel: &str,
        code: &str,
    ) -> Result<(), VerifyError> {
        self.try_code(config, target, channel, code, false)
    }

    fn try_code(
        &mut self,
        config: &EmulatorConfig,
        target: &Target,
        channel: &str,
        code: &str,
        spend: bool,
    ) -> Result<(), VerifyError> {
        let now = self.now();
        let record = self
            .codes
            .iter_mut()
            .rev()
            .find(|c| c.target == *target && c.channel == channel)
            .ok_or(VerifyError::WrongCode)?;
        if record.voided {
            return Err(VerifyError::TooManyAttempts);
        }
        if record.used {
            return Err(VerifyError::WrongCode);
        }
        if now >= record.expires_at {
            return Err(VerifyError::Expired);
        }
        if record.code != code.trim() {
            record.wrong += 1;
            if record.wrong >= config.max_code_attempts {
                record.voided = true;
            }
            return Err(VerifyError::WrongCode);
        }
        record.used = spend;
        Ok(())
    }

    /// Spends a reset token on a new password that arrived in `form`.
    pub(crate) fn reset_password(
        &mut self,
        config: &EmulatorConfig,
        token: &str,
        password: &str,
        form: PasswordForm,
    ) -> Result<(), ResetError> {
        let now = self.now();
        match self.tokens.get(token) {
            Some(t) if now < t.expires_at => {}
            Some(_) => {
                self.tokens.remove(token);
                return Err(ResetError::BadToken);
            }
            None => return Err(ResetError::BadToken),
        }
        if !users::password_ok(password, config.password_min, config.password_max) {
            return Err(ResetError::BadPassword);
        }
        let Some(t) = self.tokens.remove(token) else {
            return Err(ResetError::BadToken);
        };
        // A new password also lifts a wrong-password lock.
        if let Some(user) = self.users.get_mut(t.user) {
            user.set_password(password, config.session.password_hash_iterations, now);
            user.form = Some(form);
        }
        Ok(())
    }

    /// Deletes the user at `index`: out of the directory, its reset tokens, its sessions
    /// and what each family keeps for it (each family's `forget_user` in [`FAMILIES`]:
    /// the account family's verify-then-act tokens, the MFA state) with it. The reset
    /// tokens of the users after it follow their users' new places.
    pub(crate) fn remove_user(&mut self, index: usize) -> Option<users::User> {
        let user = self.users.remove(index)?;
        self.tokens.retain(|_, t| t.user != index);
        for t in self.tokens.values_mut() {
            if t.user > index {
                t.user -= 1;
            }
        }
        self.sessions.end_sessions(&user.id, None);
        for family in FAMILIES {
            (family.forget_user)(&mut self.families, &user.id);
        }
        Some(user)
    }

    /// Every code issued since the last reset, oldest first.
    pub(crate) fn codes(&self) -> Vec<IssuedCode> {
        self.codes.iter().map(issued).collect()
    }

    /// The newest code for `query` that can still be used.
    pub(crate) fn latest_code(&self, query: &str) -> Option<String> {
        self.codes
            .iter()
            .rev()
            .find(|c| !c.used && !c.voided && c.target.matches(query))
            .map(|c| c.code.clone())
    }

    /// Queues `fault` for the next `times` requests to `path`.
    pub(crate) fn inject_fault(&mut self, path: &str, fault: Fault, times: u32) {
        if times > 0 {
            self.faults
                .entry(path.to_owned())
                .or_default()
                .push_back((fault, times));
        }
    }

    /// Takes the next fault queued for `path`, if any.
    pub(crate) fn take_fault(&mut self, path: &str) -> Option<Fault> {
        if self.faults.is_empty() {
            return None;
        }
        let queue = self.faults.get_mut(path)?;
        let (fault, left) = queue.front_mut()?;
        let fault = fault.clone();
        *left -= 1;
        if *left == 0 {
            queue.pop_front();
            if queue.is_empty() {
                self.faults.remove(path);
            }
        }
        Some(fault)
    }
}

fn issued(c: &CodeRecord) -> IssuedCode {
    let (email, phone_number, phone_country_code) = match &c.target {
        Target::Email(e) => (Some(e.clone()), None, None),
        Target::Phone { cc, number } => (None, Some(number.clone()), Some(cc.clone())),
    };
    IssuedCode {
        channel: c.channel.clone(),
        email,
        phone_number,
        phone_country_code,
        code: c.code.clone(),
        expires_at: c.expires_at,
        used: c.used || c.voided,
    }
}

/// Seconds since the Unix epoch of an emulator time.
pub(crate) fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// An emulator time as ISO 8601 in UTC with milliseconds, e.g. `2022-08-17T06:35:28.376Z`.
pub(crate) fn iso8601(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_formats_known_instants() {
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_660_718_128_376);
        assert_eq!(iso8601(t), "2022-08-17T06:35:28.376Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(iso8601(leap), "2000-02-29T00:00:00.000Z");
    }
}
