//! The tests' browser, made of plain HTTP (ureq): it opens the emulator's hosted sign-in
//! page, posts its forms as a person would, keeps the session cookie, and follows the
//! redirect back to the SDK's loopback listener. The emulator's pages are plain HTML
//! without JavaScript, so real sockets and real HTTP are all it takes.

use std::time::Duration;

/// What one request answered.
pub struct Page {
    pub status: u16,
    pub body: String,
    /// The `Location` of a redirect.
    pub location: Option<String>,
}

/// A cookie-keeping HTTP client that does not follow redirects on its own.
pub struct Browser {
    agent: ureq::Agent,
    cookie: Option<String>,
}

impl Browser {
    pub fn new() -> Browser {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        Browser {
            agent,
            cookie: None,
        }
    }

    /// Opens `authorize_url`, signs in with `account` and `password` on the login page,
    /// allows or denies on the consent page, and follows the redirect back to the app: the
    /// page the app's loopback listener answered.
    pub fn sign_in(
        &mut self,
        authorize_url: &str,
        account: &str,
        password: &str,
        allow: bool,
    ) -> Page {
        let origin = origin(authorize_url);
        let login = self.get(authorize_url);
        assert_eq!(login.status, 200, "the login page: {}", login.body);
        let consent = self.post_form(
            &form_action(&login, &origin),
            &[("account", account), ("password", password)],
        );
        assert_eq!(consent.status, 200, "the consent page: {}", consent.body);
        let decision = if allow { "allow" } else { "deny" };
        let back = self.post_form(&form_action(&consent, &origin), &[("decision", decision)]);
        assert_eq!(back.status, 302, "consent redirects: {}", back.body);
        self.get(&back.location.expect("a location"))
    }

    fn get(&mut self, url: &str) -> Page {
        let mut request = self.agent.get(url);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.page(request.call().expect("the server answers"))
    }

    fn post_form(&mut self, url: &str, pairs: &[(&str, &str)]) -> Page {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = self
            .agent
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.page(request.send(body).expect("the server answers"))
    }

    fn page(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Page {
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
        Page {
            status: response.status().as_u16(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
            location,
        }
    }
}

/// `scheme://host:port` of `url`.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("an absolute url");
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// The `action` of the page's form, made absolute against `origin`.
fn form_action(page: &Page, origin: &str) -> String {
    let start = page
        .body
        .find("action=\"")
        .unwrap_or_else(|| panic!("the page has a form: {}", page.body))
        + "action=\"".len();
    let end = start + page.body[start..].find('"').expect("a closed attribute");
    let action = page.body[start..end].replace("&amp;", "&");
    if action.starts_with('/') {
        format!("{origin}{action}")
    } else {
        action
    }
}

/// Percent-encodes a form value.
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
