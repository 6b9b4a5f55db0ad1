//! Users, codes, cooldowns, reset tokens, faults and the clock offset: everything a reset
//! clears, behind one mutex. Who a code goes to is `target.rs`.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::config::{EmulatorConfig, MAX_DURATION};
use super::target::Target;
use super::{EmulatorError, Fault, IssuedCode, NewUser, PasswordForm};

/// Codes kept for the admin API; older ones are forgotten.
const MAX_CODES: usize = 10_000;

struct User {
    targets: Vec<Target>,
    password: String,
    /// How the current password reached `reset-password`; `None` until the first reset.
    form: Option<PasswordForm>,
}

struct CodeRecord {
    channel: String,
    target: Target,
    code: String,
    expires_at: SystemTime,
    used: bool,
    wrong: u32,
    voided: bool,
}

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
pub(crate) struct State {
    offset: Duration,
    users: Vec<User>,
    codes: Vec<CodeRecord>,
    cooldowns: HashMap<(Target, String), SystemTime>,
    tokens: HashMap<String, Token>,
    faults: HashMap<String, VecDeque<(Fault, u32)>>,
}

impl State {
    /// A fresh state holding the configured users.
    pub(crate) fn new(config: &EmulatorConfig) -> Result<State, EmulatorError> {
        let mut state = State::empty();
        for user in &config.users {
            state.add_user(user)?;
        }
        Ok(state)
    }

    /// A state with no users at all.
    pub(crate) fn empty() -> State {
        State {
            offset: Duration::ZERO,
            users: Vec::new(),
            codes: Vec::new(),
            cooldowns: HashMap::new(),
            tokens: HashMap::new(),
            faults: HashMap::new(),
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

    /// Adds a user after checking its identity.
    pub(crate) fn add_user(&mut self, user: &NewUser) -> Result<(), EmulatorError> {
        let mut targets = Vec::new();
        if let Some(email) = &user.email {
            let target = Target::email(email)
                .ok_or_else(|| EmulatorError::InvalidUser(format!("bad email {email:?}")))?;
            targets.push(target);
        }
        if let Some(number) = &user.phone_number {
            let target = Target::phone(user.phone_country_code.as_deref(), number)
                .ok_or_else(|| EmulatorError::InvalidUser(format!("bad phone {number:?}")))?;
            targets.push(target);
        }
        if targets.is_empty() {
            return Err(EmulatorError::InvalidUser(
                "a user needs an email or a phone number".to_owned(),
            ));
        }
        for target in &targets {
            if self.find_user(target).is_some() {
                return Err(EmulatorError::DuplicateUser(target.display()));
            }
        }
        self.users.push(User {
            targets,
            password: user.password.clone(),
            form: None,
        });
        Ok(())
    }

    fn find_user(&self, target: &Target) -> Option<usize> {
        self.users.iter().position(|u| u.targets.contains(target))
    }

    fn user_named(&self, query: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.targets.iter().any(|t| t.matches(query)))
    }

    /// Whether the user named by `query` exists and has `password`.
    pub(crate) fn check_password(&self, query: &str, password: &str) -> bool {
        self.user_named(query)
            .is_some_and(|u| u.password == password)
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
        let now = self.now();
        let record = self
            .codes
            .iter_mut()
            .rev()
            .find(|c| c.target == *target && c.channel == "CHANNEL_RESET_PASSWORD")
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
        record.used = true;
        self.tokens.insert(
            token,
            Token {
                user,
                expires_at: now + config.reset_token_ttl,
            },
        );
        Ok(config.reset_token_ttl.as_secs())
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
        let chars = password.chars().count();
        if chars < config.password_min
            || chars > config.password_max
            || password.chars().all(char::is_whitespace)
        {
            return Err(ResetError::BadPassword);
        }
        let Some(t) = self.tokens.remove(token) else {
            return Err(ResetError::BadToken);
        };
        if let Some(user) = self.users.get_mut(t.user) {
            user.password = password.to_owned();
            user.form = Some(form);
        }
        Ok(())
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
