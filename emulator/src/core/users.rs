//! The user directory: user records, the sign-up rules, the password policy, the look-ups
//! that sign-in needs, and the wrong-password lockout. Passwords are kept only as hashes
//! (`password_hash.rs`).

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::contact::Target;
use crate::core::password_hash::hash_password;
use crate::core::random;
use crate::EmulatorError;

/// A user to create: a username, an email, a phone, or an account in an AD or LDAP
/// directory, and a password.
///
/// Deserializes from camelCase JSON (`username`, `email`, `phoneNumber`,
/// `phoneCountryCode`, `password`, `name`, `nickname`, `photo`, `customData`, `directory`,
/// `sAMAccountName`), as the admin API and the binary's `--users` file use.
///
/// A directory account (`directory` `"AD"` or `"LDAP"` with a `sAMAccountName`) signs in
/// only through its connection (`AD` or `LDAP`), with `password` as its directory
/// password; it has no password for the `PASSWORD` connection.
///
/// ```
/// use authing_emulator::NewUser;
/// let by_phone = NewUser::with_phone("+86", "18812345678", "secret-1");
/// let by_email = NewUser::with_email("alice@example.com", "secret-1");
/// let by_name = NewUser::with_username("alice", "secret-1").nickname("Al");
/// let in_ad = NewUser::ad("alice", "secret-1");
/// let parsed: NewUser = serde_json::from_str(r#"{"phoneNumber":"18812345678","password":"pw"}"#)?;
/// assert_eq!(parsed.phone_number.as_deref(), Some("18812345678"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    /// The email (matched in any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The phone number, digits only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The country code, e.g. `"+86"`; left out means `+86`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_country_code: Option<String>,
    /// The password; the emulator keeps only its hash.
    pub password: String,
    /// The username (unique, matched exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's real name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// A link to the user's picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
    /// Custom data, as `get-profile?withCustomData=true` shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Map<String, Value>>,
    /// The directory the account lives in, for `AD` and `LDAP` sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<Directory>,
    /// The account name in that directory.
    #[serde(
        default,
        rename = "sAMAccountName",
        skip_serializing_if = "Option::is_none"
    )]
    pub sam_account_name: Option<String>,
}

/// A directory an emulated AD or LDAP connection signs users in against.
///
/// ```
/// use authing_emulator::Directory;
/// assert_eq!(serde_json::to_string(&Directory::LDAP)?, r#""LDAP""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Directory {
    /// A Windows Active Directory (connection `AD`, identity provider `ad`).
    AD,
    /// An LDAP directory (connection `LDAP`, identity provider `ldap`).
    LDAP,
}

impl Directory {
    /// The identity provider name of `IdentityDto.provider`: `ad` or `ldap`.
    pub(crate) fn provider(self) -> &'static str {
        match self {
            Directory::AD => "ad",
            Directory::LDAP => "ldap",
        }
    }
}

impl NewUser {
    /// A user known by phone number.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_phone("+86", "18812345678", "secret-1");
    /// assert_eq!(user.phone_country_code.as_deref(), Some("+86"));
    /// ```
    pub fn with_phone(
        country_code: impl Into<String>,
        number: impl Into<String>,
        password: impl Into<String>,
    ) -> NewUser {
        NewUser {
            phone_number: Some(number.into()),
            phone_country_code: Some(country_code.into()),
            password: password.into(),
            ..NewUser::default()
        }
    }

    /// A user known by email.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_email("alice@example.com", "secret-1");
    /// assert_eq!(user.email.as_deref(), Some("alice@example.com"));
    /// ```
    pub fn with_email(email: impl Into<String>, password: impl Into<String>) -> NewUser {
        NewUser {
            email: Some(email.into()),
            password: password.into(),
            ..NewUser::default()
        }
    }

    /// A user known by username.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_username("alice", "secret-1");
    /// assert_eq!(user.username.as_deref(), Some("alice"));
    /// ```
    pub fn with_username(username: impl Into<String>, password: impl Into<String>) -> NewUser {
        NewUser {
            username: Some(username.into()),
            password: password.into(),
            ..NewUser::default()
        }
    }

    /// An account of the emulated Windows AD directory (sign-in connection `AD`).
    ///
    /// ```
    /// use authing_emulator::{Directory, NewUser};
    /// let user = NewUser::ad("alice", "secret-1");
    /// assert_eq!(user.directory, Some(Directory::AD));
    /// ```
    pub fn ad(sam_account_name: impl Into<String>, password: impl Into<String>) -> NewUser {
        NewUser::in_directory(Directory::AD, sam_account_name, password)
    }

    /// An account of the emulated LDAP directory (sign-in connection `LDAP`).
    ///
    /// ```
    /// use authing_emulator::{Directory, NewUser};
    /// let user = NewUser::ldap("bob", "secret-1");
    /// assert_eq!(user.sam_account_name.as_deref(), Some("bob"));
    /// ```
    pub fn ldap(sam_account_name: impl Into<String>, password: impl Into<String>) -> NewUser {
        NewUser::in_directory(Directory::LDAP, sam_account_name, password)
    }

    fn in_directory(
        directory: Directory,
        sam_account_name: impl Into<String>,
        password: impl Into<String>,
    ) -> NewUser {
        NewUser {
            directory: Some(directory),
            sam_account_name: Some(sam_account_name.into()),
            password: password.into(),
            ..NewUser::default()
        }
    }

    /// The same user with a username too.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_email("a@example.com", "pw-123").username("alice");
    /// ```
    pub fn username(mut self, username: impl Into<String>) -> NewUser {
        self.username = Some(username.into());
        self
    }

    /// The same user with an email too.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_username("alice", "pw-123").email("a@example.com");
    /// ```
    pub fn email(mut self, email: impl Into<String>) -> NewUser {
        self.email = Some(email.into());
        self
    }

    /// The same user with a phone too.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_username("alice", "pw-123").phone("+86", "18812345678");
    /// ```
    pub fn phone(mut self, country_code: impl Into<String>, number: impl Into<String>) -> NewUser {
        self.phone_country_code = Some(country_code.into());
        self.phone_number = Some(number.into());
        self
    }

    /// The same user with a real name.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_username("alice", "pw-123").name("Alice Liddell");
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> NewUser {
        self.name = Some(name.into());
        self
    }

    /// The same user with a nickname.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_username("alice", "pw-123").nickname("Al");
    /// ```
    pub fn nickname(mut self, nickname: impl Into<String>) -> NewUser {
        self.nickname = Some(nickname.into());
        self
    }

    /// The same user with a picture link.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_username("alice", "pw-123")
    ///     .photo("https://example.com/alice.png");
    /// ```
    pub fn photo(mut self, photo: impl Into<String>) -> NewUser {
        self.photo = Some(photo.into());
        self
    }

    /// The same user with one more custom data field.
    ///
    /// ```
    /// let user = authing_emulator::NewUser::with_username("alice", "pw-123")
    ///     .custom_data("school", "pku");
    /// assert_eq!(user.custom_data.unwrap()["school"], "pku");
    /// ```
    pub fn custom_data(mut self, key: impl Into<String>, value: impl Into<Value>) -> NewUser {
        self.custom_data
            .get_or_insert_with(Map::new)
            .insert(key.into(), value.into());
        self
    }
}

/// A snapshot of one user's state, for tests and the admin API.
///
/// ```
/// use authing_emulator::{Emulator, NewUser};
/// let emulator = Emulator::start()?;
/// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
/// let state = emulator.user_state("alice").unwrap();
/// assert!(!state.locked);
/// assert_eq!(state.failed_attempts, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserState {
    /// The user id (24 hex digits), `sub` of the user's tokens.
    pub user_id: String,
    /// The username.
    pub username: Option<String>,
    /// The email, lowercase.
    pub email: Option<String>,
    /// The phone number.
    pub phone_number: Option<String>,
    /// The phone's country code, with `+`.
    pub phone_country_code: Option<String>,
    /// The directory of a directory account.
    pub directory: Option<Directory>,
    /// The account name in that directory.
    pub sam_account_name: Option<String>,
    /// Wrong passwords since the last successful sign-in (or reset, or lock).
    pub failed_attempts: u32,
    /// Whether the account is locked now.
    pub locked: bool,
    /// Until when it is locked, in emulator time.
    pub locked_until: Option<SystemTime>,
    /// Successful sign-ins.
    pub logins_count: u64,
    /// Access tokens that would be accepted now (not expired, not revoked).
    pub access_tokens: usize,
    /// Refresh tokens that would be accepted now.
    pub refresh_tokens: usize,
}

/// How a user came to be, as `UserDto.userSourceType` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Source {
    /// Signed up through `/api/v3/signup` or an auto-registering sign-in.
    Register,
    /// Created through the emulator's admin API, its Rust handle or its config.
    AdminCreated,
}

/// An account in a directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DirectoryAccount {
    pub(crate) kind: Directory,
    pub(crate) sam_account_name: String,
    password: String,
}

/// One user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) username: Option<String>,
    /// Lowercase.
    pub(crate) email: Option<String>,
    /// Country code with `+`, and number.
    pub(crate) phone: Option<(String, String)>,
    /// The hash of the password for the `PASSWORD` connection; none for users who signed up
    /// with a pass code until they reset their password.
    password: Option<String>,
    pub(crate) directory: Option<DirectoryAccount>,
    /// Profile fields named as in `UserDto` (`name`, `nickname`, `photo`, `gender`, ...),
    /// strings only.
    pub(crate) profile: Map<String, Value>,
    pub(crate) custom_data: Map<String, Value>,
    pub(crate) created_at: SystemTime,
    pub(crate) updated_at: SystemTime,
    pub(crate) password_last_set_at: Option<SystemTime>,
    pub(crate) source: Source,
    pub(crate) register_source: Vec<String>,
    pub(crate) email_verified: bool,
    pub(crate) phone_verified: bool,
    pub(crate) logins_count: u64,
    pub(crate) last_login: Option<SystemTime>,
    pub(crate) last_ip: Option<String>,
    pub(crate) failed_attempts: u32,
    /// How the current password reached `reset-password` (which SM2 form, say); `None`
    /// until the first reset.
    pub(crate) form: Option<crate::PasswordForm>,
    pub(crate) locked_until: Option<SystemTime>,
    /// The local password's strength, as `get-security-info` reports it: 0 without a
    /// password, else 1, 2, 3 for `PasswordStrength`'s weak, medium, strong (account
    /// family; rated when the password is set, since only its hash is kept).
    pub(crate) password_level: u8,
}

impl User {
    /// Whether `target` is this user's email or phone.
    pub(crate) fn has_target(&self, target: &Target) -> bool {
        match target {
            Target::Email(e) => self.email.as_deref() == Some(e.as_str()),
            Target::Phone { cc, number } => self
                .phone
                .as_ref()
                .is_some_and(|(c, n)| c == cc && n == number),
        }
    }

    /// Whether `query` names this user: the user id, the username, the email in any case,
    /// the phone with or without its country code, or the directory account name.
    pub(crate) fn matches(&self, query: &str) -> bool {
        let query = query.trim();
        self.id == query
            || self.username.as_deref() == Some(query)
            || self.matches_email(query)
            || self.matches_phone(query)
            || self
                .directory
                .as_ref()
                .is_some_and(|d| d.sam_account_name.eq_ignore_ascii_case(query))
    }

    fn matches_email(&self, query: &str) -> bool {
        self.email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(query.trim()))
    }

    fn matches_phone(&self, query: &str) -> bool {
        let query = query.trim();
        self.phone.as_ref().is_some_and(|(cc, number)| {
            query == number || query.strip_prefix(cc.as_str()) == Some(number.as_str())
        })
    }

    /// The password hash for `connection`: the local one, or the directory's.
    pub(crate) fn hash_for(&self, directory: Option<Directory>) -> Option<&str> {
        match directory {
            None => self.password.as_deref(),
            Some(kind) => self
                .directory
                .as_ref()
                .filter(|d| d.kind == kind)
                .map(|d| d.password.as_str()),
        }
    }

    /// Sets a new local password: its hash (`iterations` rounds) and its strength.
    pub(crate) fn set_password(&mut self, password: &str, iterations: u32, now: SystemTime) {
        self.set_password_hash(hash_password(password, iterations), now);
        self.password_level = password_level(password);
    }

    /// Sets a new local password (already hashed).
    pub(crate) fn set_password_hash(&mut self, hash: String, now: SystemTime) {
        self.password = Some(hash);
        self.password_last_set_at = Some(now);
        self.updated_at = now;
        self.failed_attempts = 0;
        self.locked_until = None;
    }

    /// How long the account stays locked, if it is locked at `now`.
    pub(crate) fn locked_for(&self, now: SystemTime) -> Option<Duration> {
        self.locked_until
            .and_then(|until| until.duration_since(now).ok())
            .filter(|left| !left.is_zero())
    }

    /// Counts a wrong password; locks the account when `threshold` (not 0) is reached.
    /// Returns how long it is now locked, if it is.
    pub(crate) fn record_failure(
        &mut self,
        now: SystemTime,
        threshold: u32,
        lock_for: Duration,
    ) -> Option<Duration> {
        if self.locked_until.is_some() && self.locked_for(now).is_none() {
            // An expired lock starts a fresh count.
            self.locked_until = None;
            self.failed_attempts = 0;
        }
        self.failed_attempts += 1;
        if threshold > 0 && self.failed_attempts >= threshold && !lock_for.is_zero() {
            self.locked_until = Some(now + lock_for);
            return Some(lock_for);
        }
        None
    }

    /// Records a successful sign-in.
    pub(crate) fn record_success(&mut self, now: SystemTime, ip: Option<&str>) {
        self.failed_attempts = 0;
        self.locked_until = None;
        self.logins_count += 1;
        self.last_login = Some(now);
        if let Some(ip) = ip.filter(|ip| !ip.trim().is_empty()) {
            self.last_ip = Some(ip.trim().to_owned());
        }
    }
}

/// How a password sign-in names its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountKey {
    /// Username, email or phone, tried in that order.
    Account,
    Username,
    Email,
    Phone,
}

/// Every user, in creation order.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Users {
    list: Vec<User>,
}

/// What a new user starts with, beyond its identities.
pub(crate) struct Creation {
    pub(crate) source: Source,
    pub(crate) register_source: &'static str,
    pub(crate) now: SystemTime,
    pub(crate) iterations: u32,
    /// The email or phone was proven with a pass code.
    pub(crate) verified: bool,
}

impl Users {
    /// The user at `index`.
    pub(crate) fn get(&self, index: usize) -> Option<&User> {
        self.list.get(index)
    }

    /// The user at `index`, to change.
    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut User> {
        self.list.get_mut(index)
    }

    /// Every user.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &User> {
        self.list.iter()
    }

    /// Takes the user at `index` out of the directory (the users after it move down one).
    pub(crate) fn remove(&mut self, index: usize) -> Option<User> {
        (index < self.list.len()).then(|| self.list.remove(index))
    }

    /// The user with this id.
    pub(crate) fn by_id(&self, id: &str) -> Option<usize> {
        self.list.iter().position(|u| u.id == id)
    }

    /// The user whose email or phone is `target`.
    pub(crate) fn by_target(&self, target: &Target) -> Option<usize> {
        self.list.iter().position(|u| u.has_target(target))
    }

    /// The user named by `query` (see [`User::matches`]). When it names several, the
    /// kinds of name are tried in this order, and the oldest user of the first kind that
    /// matches wins: user id, username, email, phone, directory account name. (The admin
    /// HTTP API answers 409 instead: see [`all_by_query`](Self::all_by_query).)
    pub(crate) fn by_query(&self, query: &str) -> Option<usize> {
        let query = query.trim();
        let first = |test: &dyn Fn(&User) -> bool| self.list.iter().position(test);
        first(&|u| u.id == query)
            .or_else(|| first(&|u| u.username.as_deref() == Some(query)))
            .or_else(|| first(&|u| u.matches_email(query)))
            .or_else(|| first(&|u| u.matches_phone(query)))
            .or_else(|| {
                first(&|u| {
                    u.directory
                        .as_ref()
                        .is_some_and(|d| d.sam_account_name.eq_ignore_ascii_case(query))
                })
            })
    }

    /// Every user `query` names (see [`User::matches`]), oldest first: more than one
    /// makes the name ambiguous to the admin HTTP API.
    pub(crate) fn all_by_query(&self, query: &str) -> Vec<usize> {
        (0..self.list.len())
            .filter(|&i| self.list[i].matches(query))
            .collect()
    }

    /// The user a password sign-in names.
    pub(crate) fn by_account(&self, key: AccountKey, value: &str) -> Option<usize> {
        let value = value.trim();
        let username = || {
            self.list
                .iter()
                .position(|u| u.username.as_deref() == Some(value))
        };
        let email = || self.list.iter().position(|u| u.matches_email(value));
        let phone = || self.list.iter().position(|u| u.matches_phone(value));
        match key {
            AccountKey::Account => username().or_else(email).or_else(phone),
            AccountKey::Username => username(),
            AccountKey::Email => email(),
            AccountKey::Phone => phone(),
        }
    }

    /// The directory account `name` (any case) in `kind`.
    pub(crate) fn by_directory(&self, kind: Directory, name: &str) -> Option<usize> {
        let name = name.trim();
        self.list.iter().position(|u| {
            u.directory
                .as_ref()
                .is_some_and(|d| d.kind == kind && d.sam_account_name.eq_ignore_ascii_case(name))
        })
    }

    /// Adds a user after checking its identities, its profile and that none is taken;
    /// returns its index.
    pub(crate) fn add(&mut self, new: &NewUser, how: &Creation) -> Result<usize, EmulatorError> {
        let invalid = |what: String| EmulatorError::InvalidUser(what);
        let email = match &new.email {
            Some(email) => match Target::email(email) {
                Some(Target::Email(e)) => Some(e),
                _ => return Err(invalid(format!("bad email {email:?}"))),
            },
            None => None,
        };
        let phone = match &new.phone_number {
            Some(number) => match Target::phone(new.phone_country_code.as_deref(), number) {
                Some(Target::Phone { cc, number }) => Some((cc, number)),
                _ => return Err(invalid(format!("bad phone {number:?}"))),
            },
            None => None,
        };
        let username = match &new.username {
            Some(name) if valid_username(name) => Some(name.trim().to_owned()),
            Some(name) => return Err(invalid(format!("bad username {name:?}"))),
            None => None,
        };
        let directory = match (new.directory, &new.sam_account_name) {
            (Some(kind), Some(name)) if valid_username(name) => Some((kind, name.trim())),
            (Some(_), Some(name)) => {
                return Err(invalid(format!("bad sAMAccountName {name:?}")));
            }
            (Some(_), None) => {
                return Err(invalid("a directory account needs a sAMAccountName".into()));
            }
            (None, Some(_)) => {
                return Err(invalid(
                    "a sAMAccountName needs a directory (AD or LDAP)".into(),
                ));
            }
            (None, None) => None,
        };
        if email.is_none() && phone.is_none() && username.is_none() && directory.is_none() {
            return Err(invalid(
                "a user needs a username, an email, a phone number or a directory account"
                    .to_owned(),
            ));
        }
        if let Some(e) = email
            .as_ref()
            .filter(|e| self.list.iter().any(|u| u.email.as_ref() == Some(*e)))
        {
            return Err(EmulatorError::DuplicateUser(e.clone()));
        }
        if let Some((cc, number)) = &phone {
            let target = Target::Phone {
                cc: cc.clone(),
                number: number.clone(),
            };
            if self.by_target(&target).is_some() {
                return Err(EmulatorError::DuplicateUser(target.display()));
            }
        }
        if let Some(name) = username
            .as_ref()
            .filter(|n| self.list.iter().any(|u| u.username.as_ref() == Some(*n)))
        {
            return Err(EmulatorError::DuplicateUser(format!("username {name}")));
        }
        if let Some((kind, name)) =
            directory.filter(|(kind, name)| self.by_directory(*kind, name).is_some())
        {
            return Err(EmulatorError::DuplicateUser(format!(
                "{} account {name}",
                kind.provider()
            )));
        }
        let mut profile = Map::new();
        for (key, value) in [
            ("name", &new.name),
            ("nickname", &new.nickname),
            ("photo", &new.photo),
        ] {
            if let Some(value) = value {
                profile.insert(key.to_owned(), Value::String(value.clone()));
            }
        }
        let hash = hash_password(&new.password, how.iterations);
        let (password, directory) = match directory {
            Some((kind, name)) => (
                None,
                Some(DirectoryAccount {
                    kind,
                    sam_account_name: name.to_owned(),
                    password: hash,
                }),
            ),
            None => (Some(hash), None),
        };
        let verified = how.verified;
        let level = match &password {
            Some(_) => password_level(&new.password),
            None => 0,
        };
        self.list.push(User {
            id: random::hex(12),
            email_verified: verified && email.is_some(),
            phone_verified: verified && phone.is_some(),
            username,
            email,
            phone,
            password_last_set_at: password.as_ref().map(|_| how.now),
            password,
            directory,
            profile,
            custom_data: new.custom_data.clone().unwrap_or_default(),
            created_at: how.now,
            updated_at: how.now,
            source: how.source,
            register_source: vec![how.register_source.to_owned()],
            logins_count: 0,
            last_login: None,
            last_ip: None,
            failed_attempts: 0,
            form: None,
            locked_until: None,
            password_level: level,
        });
        Ok(self.list.len() - 1)
    }

    /// Adds a user signed up with a pass code: no password, its email or phone verified.
    pub(crate) fn add_by_target(
        &mut self,
        target: &Target,
        how: &Creation,
    ) -> Result<usize, EmulatorError> {
        let mut new = match target {
            Target::Email(e) => NewUser::with_email(e.clone(), String::new()),
            Target::Phone { cc, number } => NewUser::with_phone(cc.clone(), number.clone(), ""),
        };
        new.password.clear();
        self.add_without_password(&new, how)
    }

    /// Adds the user `new` without a password (its `password` is ignored): a user who
    /// signs in with a pass code or a social provider until it resets its password.
    pub(crate) fn add_without_password(
        &mut self,
        new: &NewUser,
        how: &Creation,
    ) -> Result<usize, EmulatorError> {
        let index = self.add(new, how)?;
        let user = &mut self.list[index];
        user.password = None;
        user.password_last_set_at = None;
        user.password_level = 0;
        Ok(index)
    }
}

/// Whether `name` can be a username or a directory account name: 1 to 128 characters,
/// no whitespace, no `@` (so that an `account` is never both a username and an email).
pub(crate) fn valid_username(name: &str) -> bool {
    let name = name.trim();
    let len = name.chars().count();
    (1..=128).contains(&len) && !name.chars().any(|c| c.is_whitespace() || c == '@')
}

/// The strength level of `password` as `get-security-info` reports it, on the emulator's
/// own scale (the spec's `passwordSecurityLevel` is a number with no scale given): 1 for
/// fewer than 6 characters or one kind of character, 2 for two kinds, 3 for all three
/// kinds: letters, ASCII digits, and anything else that is not whitespace.
pub(crate) fn password_level(password: &str) -> u8 {
    if password.chars().count() < 6 {
        return 1;
    }
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    let others = password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace());
    match u8::from(letters) + u8::from(digits) + u8::from(others) {
        3 => 3,
        2 => 2,
        _ => 1,
    }
}

/// Whether `password` passes the password policy: `min..=max` characters (Unicode scalar
/// values) and not only whitespace.
pub(crate) fn password_ok(password: &str, min: usize, max: usize) -> bool {
    let chars = password.chars().count();
    chars >= min && chars <= max && !password.chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_comes_at_the_threshold_and_goes_when_it_expires() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut users = Users::default();
        let how = Creation {
            source: Source::AdminCreated,
            register_source: "import:manual",
            now,
            iterations: 1,
            verified: false,
        };
        let i = users
            .add(&NewUser::with_username("alice", "pw-123"), &how)
            .unwrap();
        let user = users.get_mut(i).unwrap();
        let minute = Duration::from_secs(60);
        assert_eq!(user.record_failure(now, 2, minute), None);
        assert_eq!(user.record_failure(now, 2, minute), Some(minute));
        assert_eq!(user.locked_for(now), Some(minute));
        assert_eq!(user.locked_for(now + minute), None);
        assert_eq!(user.record_failure(now + minute, 2, minute), None);
        assert_eq!(user.failed_attempts, 1);
    }
}
