//! Keeping secrets out of `Debug` output.

use std::fmt;

use serde_json::Value;

/// What `Debug` shows in place of a secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// Whether a JSON key names a secret: `*token` (reset, access, id, refresh, MFA and
/// enrolment tokens), passwords, pass codes, secrets, MFA recovery codes, and the OTP
/// enrolment's `qrCodeUri` and `qrCodeDataUrl` (they carry the shared secret).
/// `tokenExpiresIn` is not one.
pub(crate) fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.ends_with("token")
        || [
            "password",
            "passcode",
            "secret",
            "recoverycode",
            "qrcodeuri",
            "qrcodedataurl",
        ]
        .iter()
        .any(|needle| key.contains(needle))
}

/// `Debug` of a JSON value with the values of secret keys replaced, at any depth.
pub(crate) struct RedactedJson<'a>(pub(crate) &'a Value);

impl fmt::Debug for RedactedJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Object(map) => {
                let mut m = f.debug_map();
                for (k, v) in map {
                    if is_secret_key(k) && !v.is_null() {
                        m.entry(k, &format_args!("{REDACTED}"));
                    } else {
                        m.entry(k, &RedactedJson(v));
                    }
                }
                m.finish()
            }
            Value::Array(items) => f
                .debug_list()
                .entries(items.iter().map(RedactedJson))
                .finish(),
            other => write!(f, "{other}"),
        }
    }
}

/// `Debug` of an optional secret: whether it is set, never its value.
pub(crate) struct SecretField<'a>(pub(crate) &'a Option<String>);

impl fmt::Debug for SecretField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str(REDACTED),
            None => f.write_str("None"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_hidden_at_any_depth() {
        let v = serde_json::json!({"passwordResetToken": "abc", "nested": [{"accessToken": "xyz", "n": 1}], "tokenExpiresIn": 600});
        let shown = format!("{:?}", RedactedJson(&v));
        assert!(!shown.contains("abc") && !shown.contains("xyz"), "{shown}");
        assert!(shown.contains("\"n\": 1"), "{shown}");
        assert!(shown.contains("\"tokenExpiresIn\": 600"), "{shown}");
    }
}
