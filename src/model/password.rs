//! How a password travels: [`PasswordEncryptType`], shared by every call that sends one.

use std::fmt;

/// How the new password travels to `reset_password` (Java: `PasswordEncryptType`); sent
/// top-level as `passwordEncryptType`.
///
/// The variants are Java's constants, spelled as on the wire; that is their one name, and
/// what `Debug` and `Display` print.
///
/// - `none`: as typed, protected by TLS only (the default).
/// - `rsa`: RSA PKCS#1 v1.5 over the UTF-8 password, base64 (cargo feature `rsa`).
/// - `sm2`: SM2 over the base64 of the password, `04` + C1C2C3 in hex, the form of
///   Authing's Android and iOS SDKs (cargo feature `sm2`; see `docs/ERRORS.md` on what is
///   and is not known about Authing's SM2 format).
///
/// The public key comes from `GET /api/v3/system`, fetched once per client. If it cannot be
/// had, or the feature is off, the call fails ([`AuthError::Encryption`](crate::AuthError::Encryption)): it never falls
/// back to sending the password in plain text.
///
/// ```
/// use authing::PasswordEncryptType;
/// assert_eq!(PasswordEncryptType::default(), PasswordEncryptType::none);
/// assert_eq!(PasswordEncryptType::sm2.as_str(), "sm2");
/// assert_eq!(format!("{:?}", PasswordEncryptType::rsa), "rsa");
/// assert_eq!(PasswordEncryptType::none.to_string(), "none");
/// ```
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PasswordEncryptType {
    /// No encryption beyond TLS (`"none"`, the default).
    #[default]
    none,
    /// RSA PKCS#1 v1.5, base64 (`"rsa"`).
    rsa,
    /// SM2, `04` + C1C2C3, hex (`"sm2"`).
    sm2,
}

impl PasswordEncryptType {
    /// The name on the wire.
    ///
    /// ```
    /// assert_eq!(authing::PasswordEncryptType::none.as_str(), "none");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordEncryptType::none => "none",
            PasswordEncryptType::rsa => "rsa",
            PasswordEncryptType::sm2 => "sm2",
        }
    }
}

impl fmt::Debug for PasswordEncryptType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for PasswordEncryptType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
