//! Keeping secrets out of `Debug` output.

use std::fmt;

use serde_json::Value;

/// What `Debug` shows in place of a secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// Whether a JSON key names a secret: `*token` (reset, access, id, refresh, MFA and
/// enrolment tokens), passwords, pass codes, secrets, MFA recovery codes, the OTP
/// enrolment's `qrCodeUri` and `qrCodeDataUrl` (they carry the shared secret), tickets (a
/// QR sign-in's ticket signs someone in), token sets, WeChat's session key, and a bare `key`
/// (a social binding's key, which finishes a sign-in). `tokenExpiresIn` is not one, nor
/// are names that only end in `key` (`apiKey` stays visible: it names no secret here).
pub(crate) fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key == "key"
        || key.ends_with("token")
        || [
            "password",
            "passcode",
            "secret",
            "recoverycode",
            "qrcodeuri",
            "qrcodedataurl",
            "ticket",
            "tokenset",
            "token_hint",
            "tokenhint",
            "sessionkey",
            "session_key",
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
            Value::String(text) if text.contains('?') => {
                write!(f, "{}", Value::String(redact_query(text)))
            }
            other => write!(f, "{other}"),
        }
    }
}

/// A URL with the values of its secret query parameters (`id_token_hint=…`, `code=…`'s
/// kin by name: see [`is_secret_key`]) replaced, as a string value of an answer may carry
/// one (`build_logout_url`'s `url`).
fn redact_query(text: &str) -> String {
    let Some((head, query)) = text.split_once('?') else {
        return text.to_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, frag)) => (q, Some(frag)),
        None => (query, None),
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_key(name) => format!("{name}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{head}?{}", pairs.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
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
    fn a_url_value_shows_its_secret_query_parameters_redacted() {
        let v = serde_json::json!({"url": "https://a.example/oidc/session/end?id_token_hint=eyJ.secret.sig&post_logout_redirect_uri=https%3A%2F%2Fb&state=s1"});
        let shown = format!("{:?}", RedactedJson(&v));
        assert!(!shown.contains("eyJ.secret.sig"), "{shown}");
        assert!(
            shown.contains("id_token_hint=") && shown.contains("state=s1"),
            "{shown}"
        );
        assert!(
            shown.contains("post_logout_redirect_uri=https%3A%2F%2Fb"),
            "{shown}"
        );
    }

    #[test]
    fn secret_values_are_hidden_at_any_depth() {
        let v = serde_json::json!({"passwordResetToken": "abc", "nested": [{"accessToken": "xyz", "n": 1}], "tokenExpiresIn": 600});
        let shown = format!("{:?}", RedactedJson(&v));
        assert!(!shown.contains("abc") && !shown.contains("xyz"), "{shown}");
        assert!(shown.contains("\"n\": 1"), "{shown}");
        assert!(shown.contains("\"tokenExpiresIn\": 600"), "{shown}");
    }

    #[test]
    fn a_binding_key_and_a_session_key_are_hidden_but_other_keys_are_not() {
        let v = serde_json::json!({"data": {"key": "bind-me", "methods": ["register"]},
            "sessionKey": "wx-session", "keyword": "visible"});
        let shown = format!("{:?}", RedactedJson(&v));
        assert!(
            !shown.contains("bind-me") && !shown.contains("wx-session"),
            "{shown}"
        );
        assert!(
            shown.contains("register") && shown.contains("visible"),
            "{shown}"
        );
    }
}
