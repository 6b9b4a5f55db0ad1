//! What the SDK logs, through the `log` facade (docs/CONFIGURATION.md, "Logging").
//!
//! Every record has the target [`TARGET`], `authing`, named explicitly rather than taken
//! from the module path: a filter `authing=debug` catches them all, and the modules they
//! come from stay free to move.
//!
//! - **debug**: one record per HTTP exchange, when it answers ([`exchange`]): method,
//!   path (never the query, which can carry tokens), HTTP status, `statusCode`, `apiCode`,
//!   `requestId`, duration, and whether it was resent (`retried`, a password sent again
//!   with a fresh key) or went out with a token refreshed for it (`refreshed`).
//! - **info**: the session's events: signed in, refreshed, ended, signed out, a token
//!   store that failed.
//! - **warn**: what the SDK recovers from: a password key fetched again, a 401 answered by
//!   a refresh and a resend, a token store read again to adopt a newer session.
//!
//! **Never logged**: a token (access, refresh, id, MFA, reset, QR ticket), a password, a
//! passcode, an authorization code, a secret (client, TOTP, recovery code), a request or
//! answer body, a query string, a header, a proxy URL, a server's message (which can
//! quote what was sent), an email address or a phone number. A user is named by user id.
//! `tests/isolated_logging.rs` holds the SDK to it.

use std::borrow::Cow;
use std::cell::Cell;
use std::time::Instant;

use crate::error::AuthError;
use crate::response::AuthResponse;

/// The target of every record the SDK writes.
pub(crate) const TARGET: &str = "authing";

/// How the exchanges a call sends now came about (see [`marked`]).
#[derive(Clone, Copy, Default)]
pub(crate) struct Marks {
    /// Sent again, after the server could not decrypt the password (a fresh key).
    pub(crate) retried: bool,
    /// Sent with an access token refreshed for this call (expired here, or rejected by
    /// the server with 401).
    pub(crate) refreshed: bool,
}

thread_local! {
    /// The marks of the exchanges this thread sends now.
    static MARKS: Cell<Marks> = const {
        Cell::new(Marks {
            retried: false,
            refreshed: false,
        })
    };
}

/// Runs `send` with `marks` added to the debug record of every exchange it makes on this
/// thread (a call's exchanges run on the thread that runs the call).
pub(crate) fn marked<T>(marks: Marks, send: impl FnOnce() -> T) -> T {
    let before = MARKS.with(Cell::get);
    MARKS.with(|m| {
        m.set(Marks {
            retried: before.retried || marks.retried,
            refreshed: before.refreshed || marks.refreshed,
        })
    });
    // Restored even if `send` panics (a callback's panic is caught further up).
    struct Restore(Marks);
    impl Drop for Restore {
        fn drop(&mut self) {
            MARKS.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(before);
    send()
}

/// The debug record of one HTTP exchange: `method url` answered `response` (HTTP status
/// `http`, when an answer came) after it started at `started`.
pub(crate) fn exchange(
    method: &str,
    url: &str,
    http: Option<u16>,
    started: Instant,
    response: &AuthResponse,
) {
    if !log::log_enabled!(target: TARGET, log::Level::Debug) {
        return;
    }
    let marks = MARKS.with(Cell::get);
    let http = http.map_or_else(|| "none".to_string(), |s| s.to_string());
    let failure = match response.error() {
        Some(error) if http == "none" => format!(" error={}", local_kind(error)),
        _ => String::new(),
    };
    log::debug!(
        target: TARGET,
        "{method} {path} http={http} statusCode={status} apiCode={api} requestId={request} duration_ms={ms} retried={retried} refreshed={refreshed}{failure}",
        path = path_of(url),
        status = response.status_code(),
        api = response.api_code(),
        request = word(response.request_id().unwrap_or("none")),
        ms = started.elapsed().as_millis(),
        retried = marks.retried,
        refreshed = marks.refreshed,
    );
}

/// The path of `url`: no scheme, host, user info, query or fragment.
pub(crate) fn path_of(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    // The authority ends at the first `/`, `?` or `#`; only a `/` starts a path.
    let path = match after_scheme.find(['/', '?', '#']) {
        Some(at) if after_scheme[at..].starts_with('/') => &after_scheme[at..],
        _ => "/",
    };
    let end = path.find(['?', '#']).unwrap_or(path.len());
    &path[..end]
}

/// What kind of local failure ended an exchange without an answer, in a fixed word (an
/// error's text can quote a proxy or a URL).
fn local_kind(error: &AuthError) -> String {
    match error {
        AuthError::Timeout { phase, .. } => {
            // ureq's phase ("connect", "receive response"), without the proxy the
            // transport names after it (`through the proxy http://host:port`).
            let (phase, proxied) = match phase.split_once(" through the proxy") {
                Some((phase, _)) => (phase, true),
                None => (phase.as_str(), false),
            };
            let via = if proxied { "_through_a_proxy" } else { "" };
            format!("timeout({}){via}", word(&phase.replace(' ', "_")))
        }
        AuthError::Connection { .. } => "connection".into(),
        AuthError::UnreadableBody { .. } => "unreadable_body".into(),
        AuthError::BodyTooLarge { .. } => "body_too_large".into(),
        AuthError::Config(_) => "config".into(),
        AuthError::HttpStatus { .. } => "http_status".into(),
        _ => "other".into(),
    }
}

/// The user a session is of, for a record: the user id, or `unknown` (never an email or
/// a phone number).
pub(crate) fn user_of(user: Option<&crate::model::UserInfo>) -> Cow<'_, str> {
    user.map_or(Cow::Borrowed("unknown"), |u| word(u.user_id()))
}

/// The longest server-given word (a requestId, a user id) a record repeats.
const MAX_WORD_CHARS: usize = 64;

/// A word the server gave (a requestId, a user id) as a record shows it: at most
/// [`MAX_WORD_CHARS`] characters, anything but ASCII letters, digits, `-`, `_`, `.` and
/// `:` replaced by `?`, so a hostile server cannot forge a line or a field of a record.
pub(crate) fn word(text: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    if text.len() <= MAX_WORD_CHARS && !text.is_empty() && text.chars().all(plain) {
        return Cow::Borrowed(text);
    }
    if text.is_empty() {
        return Cow::Borrowed("none");
    }
    let shown: String = text
        .chars()
        .take(MAX_WORD_CHARS)
        .map(|c| if plain(c) { c } else { '?' })
        .collect();
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_keeps_nothing_but_the_path() {
        assert_eq!(
            path_of("https://u:p@host.test:8443/api/v3/get-profile?token=x#y"),
            "/api/v3/get-profile"
        );
        assert_eq!(path_of("http://host.test"), "/");
        assert_eq!(path_of("http://host.test?x=1"), "/");
        assert_eq!(path_of("http://host.test?token=a/b"), "/");
        assert_eq!(path_of("http://host.test#a/b"), "/");
        assert_eq!(path_of("/oidc/token"), "/oidc/token");
    }

    #[test]
    fn a_server_given_word_cannot_forge_a_line_or_a_field() {
        assert_eq!(word("365f07034c42275d00000004"), "365f07034c42275d00000004");
        assert_eq!(word("a\nWARN x=1"), "a?WARN?x?1");
        assert_eq!(word(""), "none");
        assert_eq!(word(&"x".repeat(100)).len(), MAX_WORD_CHARS);
    }

    #[test]
    fn marks_nest_and_are_restored() {
        let seen = marked(
            Marks {
                refreshed: true,
                ..Marks::default()
            },
            || {
                marked(
                    Marks {
                        retried: true,
                        ..Marks::default()
                    },
                    || MARKS.with(Cell::get),
                )
            },
        );
        assert!(seen.retried && seen.refreshed);
        let after = MARKS.with(Cell::get);
        assert!(!after.retried && !after.refreshed);
    }
}
