//! [`BrowserSignIn`]: the settings of a sign-in through the system browser.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::InputError;
use crate::model::AuthRequest;
use crate::oidc::OidcError;

/// How long [`sign_in_by_browser`](crate::AuthClient::sign_in_by_browser) waits for the
/// browser to come back, by default: 5 minutes.
///
/// ```
/// assert_eq!(authing::DEFAULT_BROWSER_TIMEOUT.as_secs(), 300);
/// ```
pub const DEFAULT_BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

/// The path of the loopback redirect URL, by default: `/callback`.
///
/// ```
/// assert_eq!(authing::DEFAULT_REDIRECT_PATH, "/callback");
/// ```
pub const DEFAULT_REDIRECT_PATH: &str = "/callback";

/// What shows the sign-in page to the user.
#[derive(Clone)]
enum Opener {
    /// The user's default browser (cargo feature `browser`).
    System,
    /// The app's own function, its outcome made a `Result` by [`OpenOutcome`].
    App(AppOpener),
}

/// An `open_with` function, its outcome an error message or nothing.
type AppOpener = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// What a [`BrowserSignIn::open_with`] function returns: `()` (it showed the page), or a
/// `Result<(), E>` whose `Err` ends the sign-in at once with
/// [`OidcError::Browser`] and `E`'s message, instead of waiting for a browser that will
/// not come. Sealed: these are the two forms. (A closure whose body only panics has the
/// never type `!`, which is neither: give it a return type.)
///
/// ```
/// use authing::BrowserSignIn;
/// // Shows the page and says nothing:
/// let quiet = BrowserSignIn::new().open_with(|url: &str| println!("{url}"));
/// // Says when it could not: the sign-in then ends with that reason.
/// let checked = BrowserSignIn::new().open_with(|url: &str| {
///     if url.is_empty() { Err("nothing to open") } else { Ok(()) }
/// });
/// # let _ = (quiet, checked);
/// ```
#[diagnostic::on_unimplemented(
    message = "an `open_with` function returns `()` or `Result<(), E>`, not `{Self}`",
    note = "a closure that only panics returns `!`: give it a return type, `|url: &str| -> Result<(), String> {{ .. }}`"
)]
pub trait OpenOutcome: sealed::Sealed {
    /// The outcome as a `Result`, the error as its message.
    fn into_outcome(self) -> Result<(), String>;
}

impl OpenOutcome for () {
    fn into_outcome(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: fmt::Display> OpenOutcome for Result<(), E> {
    fn into_outcome(self) -> Result<(), String> {
        self.map_err(|error| error.to_string())
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for () {}
    impl<E: std::fmt::Display> Sealed for Result<(), E> {}
}

/// The settings of [`sign_in_by_browser`](crate::AuthClient::sign_in_by_browser): how the
/// sign-in page is shown, how long to wait, and the authorization request.
///
/// | setting | default |
/// |---|---|
/// | [`open_with`](Self::open_with) | the system browser with the cargo feature `browser` ([`BrowserSignIn::system_browser`]); without it, none: the call answers 10019 until you give one |
/// | [`timeout`](Self::timeout) | [`DEFAULT_BROWSER_TIMEOUT`] (5 minutes) |
/// | [`auth_request`](Self::auth_request) | a fresh [`AuthRequest::new`] |
/// | [`redirect_path`](Self::redirect_path) | [`DEFAULT_REDIRECT_PATH`] |
///
/// The redirect URL is always the loopback listener's,
/// `http://127.0.0.1:<ephemeral port><redirect path>` (RFC 8252 section 7.3): whatever
/// redirect URL the given [`AuthRequest`] holds is replaced.
///
/// ```
/// use std::time::Duration;
/// use authing::BrowserSignIn;
///
/// let options = BrowserSignIn::new()
///     .open_with(|url: &str| println!("Open this page to sign in: {url}"))
///     .timeout(Duration::from_secs(120));
/// # let _ = options;
/// ```
#[derive(Clone)]
pub struct BrowserSignIn {
    opener: Option<Opener>,
    timeout: Duration,
    auth_request: Option<AuthRequest>,
    redirect_path: String,
    ext_idp: Option<String>,
}

impl BrowserSignIn {
    /// The default settings: the system browser (with the cargo feature `browser`), 5
    /// minutes, a fresh authorization request, `/callback`.
    ///
    /// ```
    /// let options = authing::BrowserSignIn::new();
    /// assert_eq!(options.get_timeout(), authing::DEFAULT_BROWSER_TIMEOUT);
    /// ```
    pub fn new() -> BrowserSignIn {
        BrowserSignIn {
            opener: cfg!(feature = "browser").then_some(Opener::System),
            timeout: DEFAULT_BROWSER_TIMEOUT,
            auth_request: None,
            redirect_path: DEFAULT_REDIRECT_PATH.to_string(),
            ext_idp: None,
        }
    }

    /// Signs in through the external identity provider connection `ext_idp_conn_id`
    /// directly (GitHub, WeChat, an enterprise IdP the app offers), skipping the hosted
    /// login page: the browser opens the spec's `GET /api/v3/signin-by-extidp` (see
    /// [`build_sign_in_by_ext_idp_url`](crate::AuthClient::build_sign_in_by_ext_idp_url))
    /// instead of `/oidc/auth`; the rest of the flow is the same.
    ///
    /// ```
    /// let options = authing::BrowserSignIn::new().ext_idp("my-github");
    /// assert_eq!(options.get_ext_idp(), Some("my-github"));
    /// ```
    pub fn ext_idp(mut self, ext_idp_conn_id: impl Into<String>) -> BrowserSignIn {
        self.ext_idp = Some(ext_idp_conn_id.into());
        self
    }

    /// The external identity provider connection set by [`ext_idp`](Self::ext_idp), if any.
    ///
    /// ```
    /// assert_eq!(authing::BrowserSignIn::new().get_ext_idp(), None);
    /// ```
    pub fn get_ext_idp(&self) -> Option<&str> {
        self.ext_idp.as_deref()
    }

    /// Shows the sign-in page with `open` instead of the system browser: it gets the
    /// authorize URL once, on the call's worker thread, and should return soon (show the
    /// URL, hand it to a web view, open a browser of your choice). It returns `()`, or a
    /// `Result<(), E>` ([`OpenOutcome`]): an `Err` ends the call at once with
    /// [`OidcError::Browser`] (`the browser could not be opened: <your message>`), and the
    /// listener is closed. A panic in it ends the call the same way. To keep waiting when
    /// your own way of opening fails (and show the URL for the user to copy, as
    /// `examples/gui` does), return `()` (or `Ok`) instead. It is not a delivery: the client's
    /// [`on_delivery`](crate::AuthClientBuilder::on_delivery) hook does not run for it, so
    /// a UI that shows the URL wakes itself (egui: `ctx.request_repaint()`).
    ///
    /// ```
    /// use authing::BrowserSignIn;
    /// let shown = BrowserSignIn::new().open_with(|url: &str| eprintln!("{url}"));
    /// // The system browser, and the sign-in ends at once when it cannot be opened:
    /// let checked = BrowserSignIn::new().open_with(BrowserSignIn::system_browser);
    /// # let _ = (shown, checked);
    /// ```
    pub fn open_with<R: OpenOutcome>(
        mut self,
        open: impl Fn(&str) -> R + Send + Sync + 'static,
    ) -> BrowserSignIn {
        self.opener = Some(Opener::App(Arc::new(move |url: &str| {
            open(url).into_outcome()
        })));
        self
    }

    /// How long to wait for the browser to come back before answering
    /// [`OidcError::TimedOut`] (default 5 minutes). The clock starts when the page is
    /// opened.
    ///
    /// ```
    /// let options = authing::BrowserSignIn::new().timeout(std::time::Duration::from_secs(60));
    /// assert_eq!(options.get_timeout().as_secs(), 60);
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> BrowserSignIn {
        self.timeout = timeout;
        self
    }

    /// The time-out in force.
    ///
    /// ```
    /// assert_eq!(authing::BrowserSignIn::new().get_timeout().as_secs(), 300);
    /// ```
    pub fn get_timeout(&self) -> Duration {
        self.timeout
    }

    /// The authorization request to use (its scope, prompt, state, nonce), instead of a
    /// fresh one. Its redirect URL is replaced by the loopback listener's.
    ///
    /// ```
    /// let mut auth_request = authing::AuthRequest::new();
    /// auth_request.set_scope("openid profile offline_access");
    /// let options = authing::BrowserSignIn::new().auth_request(auth_request);
    /// # let _ = options;
    /// ```
    pub fn auth_request(mut self, auth_request: AuthRequest) -> BrowserSignIn {
        self.auth_request = Some(auth_request);
        self
    }

    /// The path of the loopback redirect URL (default `/callback`): it must start with `/`
    /// and hold no `?` or `#`. Requests to other paths (a browser's `/favicon.ico`) get a
    /// 404 and are otherwise ignored.
    ///
    /// ```
    /// let options = authing::BrowserSignIn::new().redirect_path("/authing/done");
    /// # let _ = options;
    /// ```
    pub fn redirect_path(mut self, path: impl Into<String>) -> BrowserSignIn {
        self.redirect_path = path.into();
        self
    }

    /// Opens `url` in the user's default browser, with the platform's launcher
    /// (`xdg-open`, `open`, `start`; the `open` crate), as [`BrowserSignIn::new`] does. For
    /// an [`open_with`](Self::open_with) function that also shows the URL. Without the
    /// cargo feature `browser` it answers [`OidcError::FeatureDisabled`]. Only `http` and
    /// `https` URLs are opened.
    ///
    /// ```no_run
    /// let options = authing::BrowserSignIn::new().open_with(|url: &str| {
    ///     println!("Sign in at {url}");
    ///     if let Err(error) = authing::BrowserSignIn::system_browser(url) {
    ///         println!("({error}; open the address yourself)");
    ///     }
    /// });
    /// # let _ = options;
    /// ```
    pub fn system_browser(url: &str) -> Result<(), OidcError> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(OidcError::Browser(
                "only http and https urls are opened".into(),
            ));
        }
        open_system(url)
    }

    /// The redirect path, checked.
    pub(crate) fn checked_redirect_path(&self) -> Result<&str, InputError> {
        const FIELD: &str = "redirect_path";
        let path = &self.redirect_path;
        if !path.starts_with('/') {
            return Err(InputError::new(FIELD, "must start with /"));
        }
        if path.len() > 256
            || !path
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'?' && b != b'#')
        {
            return Err(InputError::new(
                FIELD,
                "must be at most 256 visible ascii characters without ? or #",
            ));
        }
        Ok(path)
    }

    /// The authorization request to send: the given one, or a fresh one.
    pub(crate) fn take_auth_request(&mut self) -> AuthRequest {
        self.auth_request.take().unwrap_or_default()
    }

    /// Shows `url` to the user.
    pub(crate) fn open(&self, url: &str) -> Result<(), OidcError> {
        match &self.opener {
            Some(Opener::System) => BrowserSignIn::system_browser(url),
            Some(Opener::App(open)) => {
                let open = Arc::clone(open);
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open(url))) {
                    Ok(outcome) => outcome.map_err(OidcError::Browser),
                    Err(_) => Err(OidcError::Browser("the open_with function panicked".into())),
                }
            }
            None => Err(OidcError::FeatureDisabled {
                feature: "browser",
                needed_by: "opening the system browser (or give BrowserSignIn::open_with a function that shows the url)",
            }),
        }
    }
}

#[cfg(feature = "browser")]
fn open_system(url: &str) -> Result<(), OidcError> {
    // The launcher's error quotes the url (its state and challenge): not in the message.
    open::that(url).map_err(|e| {
        OidcError::Browser(format!(
            "the platform's launcher (xdg-open, open or start) failed: {}",
            e.to_string().replace(url, "<the url>")
        ))
    })
}

#[cfg(not(feature = "browser"))]
fn open_system(_url: &str) -> Result<(), OidcError> {
    Err(OidcError::FeatureDisabled {
        feature: "browser",
        needed_by: "opening the system browser",
    })
}

impl Default for BrowserSignIn {
    /// The same as [`BrowserSignIn::new`].
    fn default() -> BrowserSignIn {
        BrowserSignIn::new()
    }
}

impl fmt::Debug for BrowserSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opener = match &self.opener {
            Some(Opener::System) => "system browser",
            Some(Opener::App(_)) => "open_with",
            None => "none",
        };
        f.debug_struct("BrowserSignIn")
            .field("opener", &opener)
            .field("timeout", &self.timeout)
            .field("auth_request", &self.auth_request)
            .field("redirect_path", &self.redirect_path)
            .field("ext_idp", &self.ext_idp)
            .finish()
    }
}
