//! [`HostedBrowser`]: a person at a browser on the emulator's hosted sign-in pages
//! (`pages.rs`), for testing a browser sign-in offline.

use std::time::Duration;

use crate::EmulatorError;

/// How long one request of the [`HostedBrowser`] may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What one request of a [`HostedBrowser`] answered.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedPage {
    /// The URL that was asked for.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
    /// The `Location` header of a redirect.
    pub location: Option<String>,
}

impl HostedPage {
    /// The `action` of the page's first form, made absolute against the page's origin;
    /// `None` when the page has no form.
    ///
    /// ```
    /// # use authing_emulator::HostedBrowser;
    /// # let emulator = authing_emulator::Emulator::start()?;
    /// # let url = format!("{}/oidc/auth?client_id={}&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&scope=openid&state=s&nonce=n&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256", emulator.base_url(), emulator.app_id());
    /// let login = HostedBrowser::new().get(&url)?;
    /// assert!(login.form_action().unwrap().starts_with(&emulator.base_url()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn form_action(&self) -> Option<String> {
        let start = self.body.find("action=\"")? + "action=\"".len();
        let end = start + self.body[start..].find('"')?;
        let action = self.body[start..end].replace("&amp;", "&");
        Some(if action.starts_with('/') {
            format!("{}{action}", origin(&self.url))
        } else {
            action
        })
    }
}

/// A person at a browser, made of plain HTTP, on the emulator's hosted login and consent
/// pages: for testing a browser sign-in (such as the `authing` SDK's `sign_in_by_browser`, or
/// an app built on it) offline, with no real browser. It keeps the session cookie as a
/// browser does, and does not follow redirects: each answer is shown, and
/// [`sign_in`](Self::sign_in) hands back the URL the provider sends the browser to (the
/// app's redirect URI with `code` and `state`, or with `error`), for the test to visit
/// with [`get`](Self::get) as the browser would. The emulator's pages need no JavaScript.
///
/// Here it plays the person for an authorization URL built by hand; with the `authing` SDK,
/// a test gives `BrowserSignIn::open_with` an opener that runs it on a thread of its own
/// (the SDK's docs show that example on their `emulator` re-export):
///
/// ```
/// use authing_emulator::{Emulator, HostedBrowser, NewUser};
///
/// let emulator = Emulator::start()?;
/// emulator.add_user(NewUser::with_email("mike@example.com", "passw0rd-1"))?;
/// // The URL an app opens (its loopback redirect URI, any port).
/// let authorize = format!(
///     "{}/oidc/auth?client_id={}&response_type=code&scope=openid&state=st-1&nonce=n-1\
///      &redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback",
///     emulator.base_url(),
///     emulator.app_id(),
/// );
/// let mut browser = HostedBrowser::new();
/// let back = browser.sign_in(&authorize, "mike@example.com", "passw0rd-1", true)?;
/// assert!(back.starts_with("http://127.0.0.1:9/callback?code="));
/// assert!(back.contains("state=st-1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct HostedBrowser {
    agent: ureq::Agent,
    cookie: Option<String>,
}

impl Default for HostedBrowser {
    fn default() -> Self {
        HostedBrowser::new()
    }
}

impl std::fmt::Debug for HostedBrowser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostedBrowser")
            .field("has_cookie", &self.cookie.is_some())
            .finish_non_exhaustive()
    }
}

impl HostedBrowser {
    /// A browser with no cookie: nobody is signed in at the provider yet.
    ///
    /// ```
    /// let browser = authing_emulator::HostedBrowser::new();
    /// # let _ = browser;
    /// ```
    pub fn new() -> HostedBrowser {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build()
            .into();
        HostedBrowser {
            agent,
            cookie: None,
        }
    }

    /// `GET url`, with the cookie: the page, whatever its status. `Err` only when no
    /// answer came (the address refused the connection, or 10 s passed).
    ///
    /// ```
    /// # let emulator = authing_emulator::Emulator::start()?;
    /// let page = authing_emulator::HostedBrowser::new().get(&format!("{}/api/v3/system", emulator.base_url()))?;
    /// assert_eq!(page.status, 200);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&mut self, url: &str) -> Result<HostedPage, EmulatorError> {
        let mut request = self.agent.get(url);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.call().map_err(|e| no_answer(url, &e))?;
        Ok(self.page(url, response))
    }

    /// `POST url` of a form with `fields` (percent-encoded), with the cookie.
    ///
    /// ```
    /// # let emulator = authing_emulator::Emulator::start()?;
    /// let url = format!("{}/oidc/interaction/none/login", emulator.base_url());
    /// let page = authing_emulator::HostedBrowser::new().post_form(&url, &[("account", "x"), ("password", "y")])?;
    /// assert_ne!(page.status, 200, "no sign-in is under way");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn post_form(
        &mut self,
        url: &str,
        fields: &[(&str, &str)],
    ) -> Result<HostedPage, EmulatorError> {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = self
            .agent
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send(body).map_err(|e| no_answer(url, &e))?;
        Ok(self.page(url, response))
    }

    /// Opens `authorize_url`, signs in with `account` and `password` on the login page,
    /// and allows (`true`) or denies consent: the URL the provider sends the browser back
    /// to. A browser already signed in at the provider (an earlier `sign_in` of this
    /// `HostedBrowser`) goes straight to consent, as a real one does.
    ///
    /// `Err` ([`EmulatorError::Browser`]) when a page is not what a person would expect:
    /// the login page refused the password, or the authorize URL was refused.
    /// See the example on [`HostedBrowser`].
    ///
    /// ```
    /// # let emulator = authing_emulator::Emulator::start()?;
    /// let err = authing_emulator::HostedBrowser::new()
    ///     .sign_in(&format!("{}/oidc/auth?client_id=nobody", emulator.base_url()), "a", "b", true)
    ///     .unwrap_err();
    /// assert!(err.to_string().starts_with("the hosted browser"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_in(
        &mut self,
        authorize_url: &str,
        account: &str,
        password: &str,
        allow: bool,
    ) -> Result<String, EmulatorError> {
        let first = self.get(authorize_url)?;
        let login = expect_form(first, "the login page")?;
        let is_consent = login.body.contains("name=\"decision\"");
        let consent = if is_consent {
            login
        } else {
            let action = form_of(&login, "the login page")?;
            let answer =
                self.post_form(&action, &[("account", account), ("password", password)])?;
            expect_form(answer, "the consent page")?
        };
        self.decide(&consent, allow)
    }

    /// Answers a consent page: allows (`true`) or denies. The URL the provider sends the
    /// browser back to.
    ///
    /// ```
    /// use authing_emulator::{Emulator, HostedBrowser, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("mike@example.com", "passw0rd-1"))?;
    /// let url = format!("{}/oidc/auth?client_id={}&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&scope=openid&state=s&nonce=n&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256", emulator.base_url(), emulator.app_id());
    /// let mut browser = HostedBrowser::new();
    /// let login = browser.get(&url)?;
    /// let consent = browser.post_form(
    ///     &login.form_action().expect("the login form"),
    ///     &[("account", "mike@example.com"), ("password", "passw0rd-1")],
    /// )?;
    /// let back = browser.decide(&consent, false)?;
    /// assert!(back.starts_with("http://127.0.0.1:9/callback?error=access_denied"), "{back}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(&mut self, consent: &HostedPage, allow: bool) -> Result<String, EmulatorError> {
        let action = form_of(consent, "the consent page")?;
        let decision = if allow { "allow" } else { "deny" };
        let answer = self.post_form(&action, &[("decision", decision)])?;
        match (answer.status, answer.location) {
            (302 | 303, Some(location)) => Ok(location),
            (status, _) => Err(EmulatorError::Browser(format!(
                "the consent page's answer was http {status}, not a redirect: {}",
                snippet(&answer.body)
            ))),
        }
    }

    fn page(&mut self, url: &str, mut response: ureq::http::Response<ureq::Body>) -> HostedPage {
        if let Some(set) = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
        {
            let pair = set.split(';').next().unwrap_or_default().to_string();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        HostedPage {
            url: url.to_string(),
            status: response.status().as_u16(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
            location,
        }
    }
}

/// The page, if it is a 200 with a form; else why not.
fn expect_form(page: HostedPage, what: &str) -> Result<HostedPage, EmulatorError> {
    if page.status == 200 && page.form_action().is_some() {
        return Ok(page);
    }
    Err(EmulatorError::Browser(format!(
        "{what} was not shown (http {}): {}",
        page.status,
        snippet(&page.body)
    )))
}

fn form_of(page: &HostedPage, what: &str) -> Result<String, EmulatorError> {
    page.form_action()
        .ok_or_else(|| EmulatorError::Browser(format!("{what} has no form")))
}

fn no_answer(url: &str, error: &ureq::Error) -> EmulatorError {
    EmulatorError::Browser(format!("no answer from {}: {error}", origin(url)))
}

/// The start of a body, for an error message.
fn snippet(body: &str) -> String {
    let text: String = body.chars().take(200).collect();
    text.replace('\n', " ")
}

/// `scheme://host:port` of `url`.
fn origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// Form encoding (RFC 3986 unreserved kept, everything else percent-encoded).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_form_action_is_made_absolute_against_the_pages_origin() {
        let page = HostedPage {
            url: "http://127.0.0.1:9/oidc/auth?x=1".into(),
            status: 200,
            body: r#"<form method="post" action="/oidc/interaction/a&amp;b/login">"#.into(),
            location: None,
        };
        assert_eq!(
            page.form_action().as_deref(),
            Some("http://127.0.0.1:9/oidc/interaction/a&b/login")
        );
    }

    #[test]
    fn form_fields_are_percent_encoded() {
        assert_eq!(encode("a b&c=d+é"), "a%20b%26c%3Dd%2B%C3%A9");
    }
}
