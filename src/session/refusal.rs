//! What the SDK says when the server refuses a session's refresh token (10015): the
//! server's own words, never a guess. Authing answers `invalid_grant` with an
//! `error_description` ("grant request is invalid" on the real server; the emulator says
//! whether it does not know the token or it expired); the message quotes it, so that a
//! token the server does not know (a restarted emulator without `--state`, a token
//! already used by another copy of the app) is not reported as an expired session.

/// The longest `error_description` quoted, in characters.
const MAX_DESCRIPTION: usize = 200;

/// Why the server refused the refresh token, for the 10015 message: the OAuth `error`,
/// and the server's `error_description` when it gave one, on one line, at most 200
/// characters, with the refresh token itself (should the server echo it) left out.
pub(crate) fn refusal_reason(
    error: &str,
    description: Option<&str>,
    refresh_token: &str,
) -> String {
    // Both are the server's words: one line each, at most 200 characters, the token out.
    let clean = |text: &str| {
        let text = if refresh_token.trim().is_empty() {
            text.to_string()
        } else {
            text.replace(refresh_token.trim(), "<refresh token>")
        };
        let one_line: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let trimmed = one_line.trim();
        match trimmed.char_indices().nth(MAX_DESCRIPTION) {
            Some((cut, _)) => format!("{}…", &trimmed[..cut]),
            None => trimmed.to_string(),
        }
    };
    let error = clean(error);
    match description.map(clean).filter(|d| !d.is_empty()) {
        Some(description) => format!("{error}: {description}"),
        None => error,
    }
}

/// The 10015 message (after `not signed in: `) of a refused refresh token.
pub(crate) fn refused_message(reason: &str) -> String {
    format!("the server refused the session's refresh token ({reason}); sign in again")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_quotes_the_servers_description_on_one_line_without_the_token() {
        let unknown = "this server does not know the refresh token: it never issued it";
        assert_eq!(
            refusal_reason("invalid_grant", Some(unknown), "rt-1"),
            format!("invalid_grant: {unknown}")
        );
        assert_eq!(
            refusal_reason("invalid_grant", None, "rt-1"),
            "invalid_grant"
        );
        assert_eq!(
            refusal_reason("invalid_grant", Some("  "), "rt-1"),
            "invalid_grant"
        );
        assert_eq!(
            refusal_reason("invalid_grant", Some("token rt-1\nis\tbad"), "rt-1"),
            "invalid_grant: token <refresh token> is bad"
        );
        let long = "x".repeat(500);
        let reason = refusal_reason("invalid_grant", Some(&long), "rt-1");
        assert_eq!(
            reason.chars().count(),
            "invalid_grant: ".len() + MAX_DESCRIPTION + 1
        );
    }

    #[test]
    fn the_message_says_the_server_refused_and_not_that_the_session_expired() {
        let message = refused_message("invalid_grant: grant request is invalid");
        assert_eq!(
            message,
            "the server refused the session's refresh token (invalid_grant: grant request \
             is invalid); sign in again"
        );
        assert!(!message.contains("expired"));
    }
}
