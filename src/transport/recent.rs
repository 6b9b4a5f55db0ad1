//! When each origin (`scheme://host:port`) last answered through an agent (shared by the
//! clients of equal transport settings, `agents.rs`): the warm-up asks whether a
//! connection to the API host is likely still idle in the shared pool (an answer within
//! [`POOL_IDLE_AGE`](super::POOL_IDLE_AGE) left it there), so a second warm-up, of this
//! client or another, sends nothing.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Origins never grow past this many (a client talks to one or two hosts; the oldest
/// entry makes room).
const MAX_ORIGINS: usize = 8;

/// The last answer per origin.
#[derive(Default)]
pub(crate) struct Recent {
    answers: Mutex<Vec<(String, Instant)>>,
}

impl Recent {
    /// Records that `url`'s origin answered now.
    pub(crate) fn answered(&self, url: &str) {
        let Some(origin) = origin(url) else { return };
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        answers.retain(|(o, _)| *o != origin);
        if answers.len() >= MAX_ORIGINS {
            answers.remove(0);
        }
        answers.push((origin, Instant::now()));
    }

    /// Whether `url`'s origin answered within `age`.
    pub(crate) fn answered_within(&self, url: &str, age: Duration) -> bool {
        let Some(origin) = origin(url) else {
            return false;
        };
        let answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        answers
            .iter()
            .any(|(o, at)| *o == origin && at.elapsed() < age)
    }
}

/// `scheme://host:port` of `url` (the port explicit), as the pool keys connections.
fn origin(url: &str) -> Option<String> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let host = uri.host()?.to_ascii_lowercase();
    let port = uri
        .port_u16()
        .unwrap_or(if scheme == "https" { 443 } else { 80 });
    Some(format!("{scheme}://{host}:{port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_its_scheme_host_and_port() {
        assert_eq!(
            origin("https://App.example.com/api/v3/system").as_deref(),
            Some("https://app.example.com:443")
        );
        assert_eq!(
            origin("http://127.0.0.1:8787").as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(origin("not a url"), None);
    }

    #[test]
    fn an_answer_counts_for_its_origin_only_and_for_its_age() {
        let recent = Recent::default();
        assert!(!recent.answered_within("http://a.example/x", Duration::from_secs(60)));
        recent.answered("http://a.example/api/v3/system");
        assert!(recent.answered_within("http://a.example", Duration::from_secs(60)));
        assert!(!recent.answered_within("https://a.example", Duration::from_secs(60)));
        assert!(!recent.answered_within("http://a.example", Duration::ZERO));
    }
}
