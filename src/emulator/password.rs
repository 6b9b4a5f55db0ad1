//! How a `reset-password` password arrives, and which form the emulator saw.
//!
//! Authing's public sources disagree on SM2. Its Android and iOS SDKs encrypt the
//! **base64 of the password** with SM2 in **C1C2C3** order and send lowercase hex (C1
//! with its `04` byte). The demo its documentation links (`Authing/password-encryption`,
//! sm-crypto's `doEncrypt`) encrypts the **password itself** in **C1C3C2** order, sends
//! hex with C1 *without* its `04` byte, and puts `sm2:` in front. The emulator reads
//! both, and records which one set a user's password ([`PasswordForm`]).

use std::fmt;

use super::keys::keys;
use crate::model::PasswordEncryptType;

/// The form in which a user's current password reached `reset-password`.
///
/// Read it with [`Emulator::password_form`](super::Emulator::password_form) or the
/// admin API's `check-password` (`passwordForm`, spelled as [`as_str`](Self::as_str)).
///
/// ```
/// use authing::emulator::PasswordForm;
/// assert_eq!(PasswordForm::Sm2C1C3C2.as_str(), "sm2-c1c3c2");
/// assert_eq!(PasswordForm::Sm2C1C2C3Base64.to_string(), "sm2-c1c2c3-base64");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PasswordForm {
    /// `passwordEncryptType` `none` (or left out): the password in clear.
    Plain,
    /// `rsa`: base64 of RSA PKCS#1 v1.5 over the UTF-8 password.
    Rsa,
    /// `sm2` as Authing's Android and iOS SDKs (and this crate) send it: hex of SM2
    /// C1C2C3 (C1 with or without `04`) over the base64 of the password.
    Sm2C1C2C3Base64,
    /// `sm2` as the demo in Authing's documentation sends it: `sm2:` (optional) and hex
    /// of SM2 C1C3C2 (C1 with or without `04`) over the password itself.
    Sm2C1C3C2,
}

impl PasswordForm {
    /// The name the admin API uses: `none`, `rsa`, `sm2-c1c2c3-base64`, `sm2-c1c3c2`.
    ///
    /// ```
    /// assert_eq!(authing::emulator::PasswordForm::Plain.as_str(), "none");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordForm::Plain => "none",
            PasswordForm::Rsa => "rsa",
            PasswordForm::Sm2C1C2C3Base64 => "sm2-c1c2c3-base64",
            PasswordForm::Sm2C1C3C2 => "sm2-c1c3c2",
        }
    }
}

impl fmt::Display for PasswordForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The password a client sent, decrypted as `kind` says, and the form it came in; `None`
/// when it does not decrypt.
pub(crate) fn open(kind: PasswordEncryptType, wire: &str) -> Option<(String, PasswordForm)> {
    match kind {
        PasswordEncryptType::none => Some((wire.to_owned(), PasswordForm::Plain)),
        PasswordEncryptType::rsa => {
            crate::crypto::rsa_decrypt(&keys().rsa, wire).map(|p| (p, PasswordForm::Rsa))
        }
        PasswordEncryptType::sm2 => open_sm2(wire),
    }
}

/// SM2 in either form: with the `sm2:` prefix, the demo's form; without it, the SDKs'
/// form, then the demo's (sent without its prefix). Each form ends in its own SM3 check,
/// so a ciphertext opens in one form only.
fn open_sm2(wire: &str) -> Option<(String, PasswordForm)> {
    let wire = wire.trim();
    let sdk = || {
        crate::crypto::sm2_decrypt(&keys().sm2, wire).map(|p| (p, PasswordForm::Sm2C1C2C3Base64))
    };
    match wire.strip_prefix("sm2:") {
        Some(hex) => c1c3c2_raw(hex).map(|p| (p, PasswordForm::Sm2C1C3C2)),
        None => sdk().or_else(|| c1c3c2_raw(wire).map(|p| (p, PasswordForm::Sm2C1C3C2))),
    }
}

/// Hex, SM2 C1C3C2 (C1 with or without its `04` byte), UTF-8.
fn c1c3c2_raw(hex: &str) -> Option<String> {
    use sm2::pke::{DecryptingKey, Mode};

    let sealed = crate::crypto::hex_decode(hex)?;
    let key = DecryptingKey::new_with_mode(keys().sm2.to_nonzero_scalar(), Mode::C1C3C2);
    let plain = key.decrypt(&sealed).ok().or_else(|| {
        let mut prefixed = Vec::with_capacity(sealed.len() + 1);
        prefixed.push(0x04);
        prefixed.extend_from_slice(&sealed);
        key.decrypt(&prefixed).ok()
    })?;
    String::from_utf8(plain).ok()
}
