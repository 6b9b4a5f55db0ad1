//! The captcha cookie: the `name=value` pairs the server set with the last captcha image
//! (`GET /api/v3/captcha-code`). The real server ties a captcha to a cookie (Authing's
//! Guard fetches the image with the browser's credentials and keeps image and sign-in
//! in pairs because "captcha images replace a shared HttpOnly cookie"), so the client
//! sends the cookie back, as a browser would, with its calls to the app's API until a
//! sign-in succeeds.
//!
//! It lives beside the session, in memory only: a captcha lasts minutes. Every client
//! sharing the session (each `AuthClient::new()` of one app) shares it, so a captcha
//! fetched by one answers the sign-in of another. It is forgotten when a sign-in
//! succeeds, when the session ends (sign-out), and [`CAPTCHA_COOKIE_LIFETIME`] after it
//! was set, whichever comes first, so it does not ride on every later call.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a captcha's cookie is sent back at most: a captcha is answered within minutes
/// (the emulator's live 5), and a pending one is worth nothing after that.
pub(crate) const CAPTCHA_COOKIE_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// At most one cookie, the latest captcha's, with when it was set.
#[derive(Default)]
pub(crate) struct CaptchaCookie {
    slot: Mutex<Option<(String, Instant)>>,
}

impl CaptchaCookie {
    /// Keeps the cookies a captcha answer set (replacing the earlier captcha's); nothing
    /// changes when it set none.
    pub(crate) fn set(&self, pairs: &[String]) {
        if pairs.is_empty() {
            return;
        }
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((pairs.join("; "), Instant::now()));
    }

    /// The `cookie` header to send, if a captcha is pending (set less than
    /// [`CAPTCHA_COOKIE_LIFETIME`] ago; an older one is forgotten here).
    pub(crate) fn get(&self) -> Option<String> {
        self.get_at(Instant::now())
    }

    fn get_at(&self, now: Instant) -> Option<String> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        match &*slot {
            Some((_, set_at))
                if now.saturating_duration_since(*set_at) >= CAPTCHA_COOKIE_LIFETIME =>
            {
                *slot = None;
                None
            }
            Some((cookie, _)) => Some(cookie.clone()),
            None => None,
        }
    }

    /// Forgets the cookie (a sign-in succeeded: its captcha did its job; or the session
    /// ended).
    pub(crate) fn clear(&self) {
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_captchas_cookies_are_kept_until_cleared() {
        let cookie = CaptchaCookie::default();
        assert_eq!(cookie.get(), None);
        cookie.set(&["a=1".into(), "b=2".into()]);
        cookie.set(&[]);
        assert_eq!(cookie.get().as_deref(), Some("a=1; b=2"));
        cookie.set(&["a=3".into()]);
        assert_eq!(cookie.get().as_deref(), Some("a=3"));
        cookie.clear();
        assert_eq!(cookie.get(), None);
    }

    #[test]
    fn a_cookie_is_forgotten_once_its_lifetime_is_over() {
        let cookie = CaptchaCookie::default();
        cookie.set(&["a=1".into()]);
        let set_at = Instant::now();
        let almost = set_at + CAPTCHA_COOKIE_LIFETIME - Duration::from_secs(1);
        assert_eq!(cookie.get_at(almost).as_deref(), Some("a=1"));
        let over = set_at + CAPTCHA_COOKIE_LIFETIME + Duration::from_secs(1);
        assert_eq!(cookie.get_at(over), None);
        assert_eq!(cookie.get_at(almost), None, "forgotten for good");
    }
}
