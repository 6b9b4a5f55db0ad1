//! How a `reset-password` password arrives, and which form the emulator saw.
//!
//! Authing's public sources disagree on SM2. Its Android and iOS SDKs encrypt the
//! **base64 of the password** with SM2 in **C1C2C3** order and send lowercase hex (C1
//! with its `04` byte). The demo its documentation links (`Authing/password-encryption`,
//! sm-crypto's `doEncrypt`) encrypts the **password itself** in **C1C3C2** order, sends
//! hex with C1 *without* its `04` byte, and puts `sm2:` in front. The emulator reads
//! both, and records which one set a user's password ([`PasswordForm`]).

use std::fmt;

use crate::core::codec;
use crate::core::keys::keys;

/// The `passwordEncryptType` of a request: how its password is sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encryption {
    /// `none`, or left out: the password in clear.
    Plain,
    /// `rsa`.
    Rsa,
    /// `sm2`.
    Sm2,
}

impl Encryption {
    /// The value of `passwordEncryptType` (any case; left out means `none`); `None` for
    /// any other word.
    pub(crate) fn parse(value: Option<&str>) -> Option<Encryption> {
        match value {
            None => Some(Encryption::Plain),
            Some(t) if t.eq_ignore_ascii_case("none") => Some(Encryption::Plain),
            Some(t) if t.eq_ignore_ascii_case("rsa") => Some(Encryption::Rsa),
            Some(t) if t.eq_ignore_ascii_case("sm2") => Some(Encryption::Sm2),
            Some(_) => None,
        }
    }

    /// The wire word.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Encryption::Plain => "none",
            Encryption::Rsa => "rsa",
            Encryption::Sm2 => "sm2",
        }
    }
}

/// The form in which a user's current password reached `reset-password`.
///
/// Read it with [`Emulator::password_form`](crate::Emulator::password_form) or the
/// admin API's `check-password` (`passwordForm`, spelled as [`as_str`](Self::as_str)).
///
/// ```
/// use authing_emulator::PasswordForm;
/// assert_eq!(PasswordForm::Sm2C1C3C2.as_str(), "sm2-c1c3c2");
/// assert_eq!(PasswordForm::Sm2C1C2C3Base64.to_string(), "sm2-c1c2c3-base64");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PasswordForm {
    /// `passwordEncryptType` `none` (or left out): the password in clear.
    #[serde(rename = "none")]
    Plain,
    /// `rsa`: base64 of RSA PKCS#1 v1.5 over the UTF-8 password.
    Rsa,
    /// `sm2` as Authing's Android and iOS SDKs (and this crate) send it: hex of SM2
    /// C1C2C3 (C1 with or without `04`) over the base64 of the password.
    #[serde(rename = "sm2-c1c2c3-base64")]
    Sm2C1C2C3Base64,
    /// `sm2` as the demo in Authing's documentation sends it: `sm2:` (optional) and hex
    /// of SM2 C1C3C2 (C1 with or without `04`) over the password itself.
    #[serde(rename = "sm2-c1c3c2")]
    Sm2C1C3C2,
}

impl PasswordForm {
    /// The name the admin API uses: `none`, `rsa`, `sm2-c1c2c3-base64`, `sm2-c1c3c2` (and
    /// serde too).
    ///
    /// ```
    /// use authing_emulator::PasswordForm;
    /// assert_eq!(PasswordForm::Plain.as_str(), "none");
    /// for form in [PasswordForm::Plain, PasswordForm::Sm2C1C2C3Base64] {
    ///     assert_eq!(serde_json::to_value(form)?, form.as_str());
    /// }
    /// # Ok::<(), serde_json::Error>(())
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
pub(crate) fn open(kind: Encryption, wire: &str) -> Option<(String, PasswordForm)> {
    match kind {
        Encryption::Plain => Some((wire.to_owned(), PasswordForm::Plain)),
        Encryption::Rsa => open_rsa(wire).map(|p| (p, PasswordForm::Rsa)),
        Encryption::Sm2 => open_sm2(wire),
    }
}

/// Base64 (whitespace anywhere ignored), RSA PKCS#1 v1.5 with the emulator's key, UTF-8.
fn open_rsa(wire: &str) -> Option<String> {
    let compact: String = wire.chars().filter(|c| !c.is_whitespace()).collect();
    let sealed = codec::unbase64(&compact)?;
    let plain = keys().rsa.decrypt(rsa::Pkcs1v15Encrypt, &sealed).ok()?;
    String::from_utf8(plain).ok()
}

/// SM2 in either form: with the `sm2:` prefix, the demo's form; without it, the SDKs'
/// form, then the demo's (sent without its prefix). Each form ends in its own SM3 check,
/// so a ciphertext opens in one form only.
fn open_sm2(wire: &str) -> Option<(String, PasswordForm)> {
    let wire = wire.trim();
    let sdk = || c1c2c3_base64(wire).map(|p| (p, PasswordForm::Sm2C1C2C3Base64));
    match wire.strip_prefix("sm2:") {
        Some(hex) => c1c3c2_raw(hex).map(|p| (p, PasswordForm::Sm2C1C3C2)),
        None => sdk().or_else(|| c1c3c2_raw(wire).map(|p| (p, PasswordForm::Sm2C1C3C2))),
    }
}

/// Hex, SM2 C1C2C3 (C1 with or without its `04` byte), base64, UTF-8: the SDKs' form.
fn c1c2c3_base64(hex: &str) -> Option<String> {
    let text = sm2_open(hex, sm2::pke::Mode::C1C2C3)?;
    let plain = codec::unbase64(std::str::from_utf8(&text).ok()?)?;
    String::from_utf8(plain).ok()
}

/// Hex, SM2 C1C3C2 (C1 with or without its `04` byte), UTF-8: the documentation demo's form.
fn c1c3c2_raw(hex: &str) -> Option<String> {
    String::from_utf8(sm2_open(hex, sm2::pke::Mode::C1C3C2)?).ok()
}

/// The plain bytes of hex SM2 ciphertext in `mode`, whether C1 comes with its `04` byte
/// (BouncyCastle) or without it (sm-crypto).
fn sm2_open(hex: &str, mode: sm2::pke::Mode) -> Option<Vec<u8>> {
    let sealed = codec::unhex(hex)?;
    let key = sm2::pke::DecryptingKey::new_with_mode(keys().sm2.to_nonzero_scalar(), mode);
    key.decrypt(&sealed).ok().or_else(|| {
        let mut prefixed = Vec::with_capacity(sealed.len() + 1);
        prefixed.push(0x04);
        prefixed.extend_from_slice(&sealed);
        key.decrypt(&prefixed).ok()
    })
}
