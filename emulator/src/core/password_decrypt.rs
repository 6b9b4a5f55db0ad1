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
    String::from_utf8(pkcs1v15_open(&sealed)?).ok()
}

/// RSAES-PKCS1-v1_5 decryption (RFC 8017 §7.2.2) with the emulator's key, `None` when the
/// ciphertext or its padding is wrong.
///
/// Not `rsa`'s own PKCS#1 v1.5 decryption: since rsa 0.10 it answers a wrong padding with
/// made-up bytes instead of an error ("implicit rejection", against padding oracles), which
/// the emulator would read as a wrong password, or even as a password, instead of "does not
/// decrypt". The key is a published test key with nothing to protect, so the emulator
/// checks the padding itself, after rsa's raw private-key operation.
fn pkcs1v15_open(sealed: &[u8]) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;

    let key = &keys().rsa;
    let k = key.size();
    if k < 11 || sealed.len() != k {
        return None;
    }
    let c = rsa::BoxedUint::from_be_slice(sealed, key.n_bits_precision()).ok()?;
    let m = rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut getrandom::SysRng), &c).ok()?;
    // EM = I2OSP(m, k): m < n, so the bytes above the last k are zero.
    let bytes = m.to_be_bytes();
    let (high, em) = bytes.split_at(bytes.len().checked_sub(k)?);
    if high.iter().any(|&b| b != 0) {
        return None;
    }
    // EM = 0x00 || 0x02 || PS (at least 8 non-zero bytes) || 0x00 || M.
    let (&[0x00, 0x02], rest) = em.split_at(2) else {
        return None;
    };
    let zero = rest.iter().position(|&b| b == 0)?;
    (zero >= 8).then(|| rest[zero + 1..].to_vec())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// RSA over `em` as it is, with no padding added: a ciphertext whose padding is `em`'s.
    fn raw_rsa(em: &[u8]) -> Vec<u8> {
        use rsa::traits::PublicKeyParts;
        let key = keys().rsa.to_public_key();
        let m = rsa::BoxedUint::from_be_slice(em, key.n_bits_precision()).unwrap();
        let c = rsa::hazmat::rsa_encrypt(&key, &m).unwrap();
        c.to_be_bytes()[..].to_vec()
    }

    #[test]
    fn rsa_opens_pkcs1v15_and_says_when_the_padding_is_wrong() {
        let sealed = keys()
            .rsa
            .to_public_key()
            .pkcs1v15_encrypt("新 passw0rd".as_bytes())
            .unwrap();
        assert_eq!(
            open_rsa(&codec::base64(&sealed)).as_deref(),
            Some("新 passw0rd")
        );

        let mut em = vec![0x5a; 256];
        em[..2].copy_from_slice(&[0x00, 0x02]);
        em[250] = 0x00;
        assert_eq!(
            pkcs1v15_open(&raw_rsa(&em)).as_deref(),
            Some(&[0x5a; 5][..])
        );
        // A block type 1 (signature) padding, and a padding string of 7 bytes: refused,
        // where rsa's own decryption would hand back made-up bytes.
        let mut block_type_1 = em.clone();
        block_type_1[1] = 0x01;
        let mut short_ps = em.clone();
        short_ps[9] = 0x00;
        for em in [block_type_1, short_ps] {
            let sealed = raw_rsa(&em);
            assert_eq!(pkcs1v15_open(&sealed), None);
            assert!(keys().rsa.pkcs1v15_decrypt(&sealed).is_ok());
        }
        assert_eq!(pkcs1v15_open(&[0x5a; 255]), None);
    }
}
