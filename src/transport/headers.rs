//! The HTTP headers of a call: the SDK's own (`x-authing-*`, `authorization`, `accept`) and
//! the caller's extra ones ([`AuthClientBuilder::header`](crate::AuthClientBuilder::header)),
//! with the checks an extra header passes before a client is built.

use crate::client::config::{ConfigError, Lang};

/// `x-authing-request-from`: which SDK sent the call (Android sends `SDK-Android@1.0.1`).
pub(crate) const REQUEST_FROM: &str = concat!("SDK-Rust@", env!("CARGO_PKG_VERSION"));
/// `x-authing-sdk-version`.
pub(crate) const SDK_VERSION: &str = concat!("rust:", env!("CARGO_PKG_VERSION"));
/// `user-agent`, unless an extra header replaces it.
pub(crate) const USER_AGENT: &str = concat!("authing-rust/", env!("CARGO_PKG_VERSION"));
/// `content-type` of every body the SDK sends.
pub(crate) const JSON: &str = "application/json; charset=utf-8";

/// What a call needs to say who it is.
pub(crate) struct Headers<'a> {
    pub(crate) app_id: Option<&'a str>,
    pub(crate) user_pool_id: Option<&'a str>,
    pub(crate) lang: Lang,
    pub(crate) access_token: Option<&'a str>,
    /// The `cookie` a captcha answer set, sent back until a sign-in succeeds (see
    /// `session/captcha.rs`).
    pub(crate) cookie: Option<&'a str>,
    /// `accept`: [`ACCEPT_JSON`] but for the captcha image ([`ACCEPT_IMAGE`]).
    pub(crate) accept: &'static str,
}

/// `accept` of every call that answers JSON.
pub(crate) const ACCEPT_JSON: &str = "application/json";
/// `accept` of the captcha image (`GET /api/v3/captcha-code`), which answers SVG.
pub(crate) const ACCEPT_IMAGE: &str = "image/svg+xml, image/*";

/// Adds the SDK's headers, then the caller's extra ones (checked by [`extra_header`], so
/// they never repeat one of the SDK's).
pub(crate) fn apply<B>(
    mut request: ureq::RequestBuilder<B>,
    headers: &Headers<'_>,
    extra: &[(String, String)],
) -> ureq::RequestBuilder<B> {
    if let Some(app_id) = headers.app_id {
        request = request.header("x-authing-app-id", app_id);
    }
    if let Some(pool) = headers.user_pool_id {
        request = request.header("x-authing-userpool-id", pool);
    }
    request = request
        .header("x-authing-request-from", REQUEST_FROM)
        .header("x-authing-sdk-version", SDK_VERSION)
        .header("x-authing-lang", headers.lang.as_str())
        .header("accept", headers.accept);
    if let Some(token) = headers.access_token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    // One `cookie` header at most (RFC 6265 section 5.4): the app's extra cookie header,
    // if any, and a pending captcha's cookie are joined into it.
    let app_cookie = extra
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("cookie"))
        .map(|(_, value)| value.as_str());
    match (app_cookie, headers.cookie) {
        (Some(app), Some(captcha)) => {
            request = request.header("cookie", format!("{app}; {captcha}"))
        }
        (None, Some(captcha)) => request = request.header("cookie", captcha),
        _ => {}
    }
    for (name, value) in extra {
        if headers.cookie.is_some() && name.eq_ignore_ascii_case("cookie") {
            continue;
        }
        request = request.header(name.as_str(), value.as_str());
    }
    request
}

/// Headers an extra header may not set, and what to use instead. Every `x-authing-*` name is
/// refused too: those are the SDK's (`x-authing-app-id`, `-userpool-id`, `-lang`, ...).
const RESERVED: [(&str, &str); 12] = [
    ("authorization", "it is the sdk's; set access_token instead"),
    (
        "accept",
        "it is the sdk's: answers are read as json (the captcha image as an image)",
    ),
    ("content-type", "it is the sdk's: every body is json"),
    (
        "accept-encoding",
        "it is the sdk's: the http client decodes only what it asks for",
    ),
    (
        "content-length",
        "it frames the body; the http client sets it",
    ),
    (
        "transfer-encoding",
        "it frames the body; the http client sets it",
    ),
    ("host", "it comes from the url; set app_host instead"),
    ("connection", "it is hop-by-hop; the http client manages it"),
    ("keep-alive", "it is hop-by-hop; the http client manages it"),
    ("te", "it is hop-by-hop; the http client manages it"),
    ("upgrade", "it is hop-by-hop; the http client manages it"),
    ("expect", "the http client does not wait for 100-continue"),
];

/// The largest extra header value, in bytes.
pub(crate) const MAX_VALUE_BYTES: usize = 4096;

/// Checks an extra header and gives it back with its name in lower case.
///
/// The name is an HTTP token (letters, digits and ``!#$%&'*+-.^_`|~``), at most 256 bytes,
/// not one of the SDK's own headers ([`RESERVED`], any `x-authing-*`). The value is 1 to
/// 4096 bytes of visible ASCII, spaces and tabs, without leading or trailing whitespace: no
/// CR, LF or other control characters, so it can never start a header of its own. Errors
/// name the header but never repeat the value (it may be a key).
pub(crate) fn extra_header(name: &str, value: &str) -> Result<(String, String), ConfigError> {
    let refuse = |problem: String| Err(ConfigError::new("header", problem));
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() {
        return refuse("the name is empty".into());
    }
    if name.len() > 256 || !name.bytes().all(is_tchar) {
        return refuse(format!(
            "the name {:?} is not an http header name (letters, digits and !#$%&'*+-.^_`|~, at most 256)",
            truncate(name, 64)
        ));
    }
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("x-authing-") {
        return refuse(format!(
            "{lower} is the sdk's own header; set it with its builder setting (app_id, user_pool_id, lang)"
        ));
    }
    if let Some((_, why)) = RESERVED.iter().find(|(reserved, _)| *reserved == lower) {
        return refuse(format!("{lower} cannot be set: {why}"));
    }
    if value.is_empty() {
        return refuse(format!("the value of {lower} is empty"));
    }
    if value.len() > MAX_VALUE_BYTES {
        return refuse(format!(
            "the value of {lower} is longer than {MAX_VALUE_BYTES} bytes"
        ));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n') {
        return refuse(format!(
            "the value of {lower} contains a line break (cr or lf)"
        ));
    }
    if !value
        .bytes()
        .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
    {
        return refuse(format!(
            "the value of {lower} must be visible ascii, spaces and tabs"
        ));
    }
    if value.starts_with([' ', '\t']) || value.ends_with([' ', '\t']) {
        return refuse(format!(
            "the value of {lower} starts or ends with whitespace"
        ));
    }
    Ok((lower, value.to_string()))
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_header_is_kept_with_its_name_in_lower_case() {
        assert_eq!(
            extra_header("X-Real-IP", "203.0.113.7"),
            Ok(("x-real-ip".into(), "203.0.113.7".into()))
        );
        assert!(extra_header("User-Agent", "my-app/1.2 (desktop)").is_ok());
    }

    #[test]
    fn line_breaks_and_control_characters_are_refused_without_echoing_the_value() {
        for value in [
            "a\r\nx-evil: 1",
            "a\nb",
            "a\rb",
            "a\0b",
            "ключ",
            " lead",
            "trail ",
        ] {
            let error = extra_header("x-api-key", value).unwrap_err();
            assert_eq!(error.setting(), "header");
            assert!(error.to_string().contains("x-api-key"), "{error}");
            assert!(!error.to_string().contains(value.trim()), "{error}");
        }
    }

    #[test]
    fn the_sdks_own_headers_and_bad_names_are_refused() {
        for name in [
            "x-authing-app-id",
            "X-Authing-Lang",
            "Authorization",
            "content-type",
            "Host",
            "content-length",
        ] {
            let error = extra_header(name, "v").unwrap_err();
            assert!(
                error.to_string().contains(&name.to_ascii_lowercase()),
                "{error}"
            );
        }
        for name in ["", "has space", "colon:", "new\nline", "ünï"] {
            assert!(extra_header(name, "v").is_err(), "{name:?}");
        }
    }
}
