//! The captcha cookie: the `name=value` pairs the server set with the last captcha image
//! (`GET /api/v3/captcha-code`). The real server ties a captcha to a cookie (Authing's
//! Guard fetches the image with the browser's credentials and keeps image and sign-in
//! in pairs because "captcha images replace a shared HttpOnly cookie"), so the client
//! sends the cookie back, as a browser would, with its calls to the app's API until a
//! sign-in succeeds.
//!
//! It lives beside the session, in memory only: a captcha lasts minutes. Every client
//! sharing the session (each `AuthClient::new()` of one app) shares it, so a captcha
//! fetched by one answers the sign-in of another.

use std::sync::{Mutex, PoisonError};

/// At most one cookie, the latest captcha's.
#[derive(Default)]
pub(crate) struct CaptchaCookie {
    slot: Mutex<Option<String>>,
}

impl CaptchaCookie {
    /// Keeps the cookies a captcha answer set (replacing the earlier captcha's); nothing
    /// changes when it set none.
    pub(crate) fn set(&self, pairs: &[String]) {
        if pairs.is_empty() {
            return;
        }
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(pairs.join("; "));
    }

    /// The `cookie` header to send, if a captcha is pending.
    pub(crate) fn get(&self) -> Option<String> {
        self.slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the cookie (a sign-in succeeded: its captcha did its job).
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
}
