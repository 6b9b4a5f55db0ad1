//! A browser for the tests, made of plain HTTP: it opens the emulator's hosted login page,
//! posts its forms as a person would, keeps the session cookie, and follows redirects only
//! when told to (to watch each hop). Real sockets, real HTTP; no JavaScript is needed, as
//! the emulator's pages have none.

use std::time::Duration;

/// What one request answered.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub body: String,
    /// The `Location` of a redirect.
    pub location: Option<String>,
}

impl Page {
    /// The `action` of the page's form, made absolute against `origin`.
    pub fn form_action(&self, origin: &str) -> String {
        let start = self
            .body
            .find("action=\"")
            .unwrap_or_else(|| panic!("the page has a form: {}", self.body))
            + "action=\"".len();
        let end = start + self.body[start..].find('"').expect("a closed attribute");
        let action = self.body[start..end].replace("&amp;", "&");
        if action.starts_with('/') {
            format!("{origin}{action}")
        } else {
            action
        }
    }
}

/// A cookie-keeping HTTP client that does not follow redirects.
pub struct Browser {
    agent: ureq::Agent,
    cookie: Option<String>,
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

/// `scheme://host:port` of `url`.
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("an absolute url");
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// The value of query parameter `name` in `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| {
            crate::common::proxy::decode_pairs(&format!("v={v}"))[0]
                .1
                .clone()
        })
    })
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

    fn keep_cookie(&mut self, response: &ureq::http::Response<ureq::Body>) {
        if let Some(set) = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
        {
            let pair = set.split(';').next().unwrap_or_default().to_string();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
    }

    fn page(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Page {
        self.keep_cookie(&response);
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

    pub fn get(&mut self, url: &str) -> Page {
        let mut request = self.agent.get(url);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.call().expect("the server answers");
        self.page(response)
    }

    pub fn post_form(&mut self, url: &str, pairs: &[(&str, &str)]) -> Page {
        let body: String = pairs
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
        let response = request.send(body).expect("the server answers");
        self.page(response)
    }

    /// Opens `authorize_url`, signs in with `account` and `password`, allows or denies
    /// consent: the `Location` the server sends the browser back to.
    pub fn sign_in(
        &mut self,
        authorize_url: &str,
        account: &str,
        password: &str,
        allow: bool,
    ) -> String {
        let origin = origin(authorize_url);
        let login = self.get(authorize_url);
        assert_eq!(login.status, 200, "the login page: {}", login.body);
        let consent = self.post_form(
            &login.form_action(&origin),
            &[("account", account), ("password", password)],
        );
        assert_eq!(consent.status, 200, "the consent page: {}", consent.body);
        self.decide(&consent, &origin, allow)
    }

    /// Posts the consent page's form: the `Location` of the answer.
    pub fn decide(&mut self, consent: &Page, origin: &str, allow: bool) -> String {
        let decision = if allow { "allow" } else { "deny" };
        let back = self.post_form(&consent.form_action(origin), &[("decision", decision)]);
        assert_eq!(back.status, 302, "consent redirects: {}", back.body);
        back.location.expect("a location")
    }
}

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
