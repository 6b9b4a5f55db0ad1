//! Password encryption for `reset_password`: RSA (feature `rsa`) and SM2 (feature `sm2`).
//!
//! Never falls back to plain text: without the feature, or with a bad key, it is an error.

use crate::model::PasswordEncryptType;

/// Encrypts `password` with the server's `public_key` as `kind` asks; the text to send.
pub(crate) fn encrypt(
    kind: PasswordEncryptType,
    public_key: &str,
    password: &str,
) -> Result<String, String> {
    match kind {
        PasswordEncryptType::Plain => Ok(password.to_string()),
        PasswordEncryptType::Rsa => rsa(public_key, password),
        PasswordEncryptType::Sm2 => sm2(public_key, password),
    }
}

fn rsa(_public_key: &str, _password: &str) -> Result<String, String> {
    Err("rsa encryption needs the cargo feature `rsa` of the authing crate".into())
}

fn sm2(_public_key: &str, _password: &str) -> Result<String, String> {
    Err("sm2 encryption needs the cargo feature `sm2` of the authing crate".into())
}
