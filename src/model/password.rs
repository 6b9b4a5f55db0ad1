//! How a password travels: [`PasswordEncryptType`], shared by every call that sends one.

use std::fmt;

/// How the new password travels to `reset_password` (Java: `PasswordEncryptType`, its
/// constants spelled `none`, `rsa`, `sm2`); sent top-level as `passwordEncryptType`.
///
/// - `none`: as typed, protected by TLS only.
/// - `rsa`: RSA PKCS#1 v1.5 over the UTF-8 password, base64 (cargo feature `rsa`).
/// - `sm2`: SM2 (C1C2C3) over the base64 of the password, hex (cargo feature `sm2`).
///
/// The public key comes from `GET /api/v3/system`, fetched once per client. If it cannot be
/// had, or the feature is off, the call fails ([`AuthError::Encryption`](crate::AuthError::Encryption)): it never falls
/// back to sending the password in plain text.
///
/// ```
/// use authing::PasswordEncryptType;
/// assert_eq!(PasswordEncryptType::none, PasswordEncryptType::Plain);
/// assert_eq!(PasswordEncryptType::sm2.as_str(), "sm2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PasswordEncryptType {
    /// No encryption beyond TLS (`"none"`, the default).
    #[default]
    Plain,
    /// RSA PKCS#1 v1.5, base64 (`"rsa"`).
    Rsa,
    /// SM2 C1C2C3, hex (`"sm2"`).
    Sm2,
}

#[allow(non_upper_case_globals)]
impl PasswordEncryptType {
    /// Java's `PasswordEncryptType.none`.
    pub const none: PasswordEncryptType = PasswordEncryptType::Plain;
    /// Java's `PasswordEncryptType.rsa`.
    pub const rsa: PasswordEncryptType = PasswordEncryptType::Rsa;
    /// Java's `PasswordEncryptType.sm2`.
    pub const sm2: PasswordEncryptType = PasswordEncryptType::Sm2;

    /// The name on the wire.
    ///
    /// ```
    /// assert_eq!(authing::PasswordEncryptType::none.as_str(), "none");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordEncryptType::Plain => "none",
            PasswordEncryptType::Rsa => "rsa",
            PasswordEncryptType::Sm2 => "sm2",
        }
    }
}

impl fmt::Display for PasswordEncryptType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
