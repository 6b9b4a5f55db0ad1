//! The person at the browser on the emulator's hosted pages, over http or https: the
//! emulator's own `HostedBrowser` speaks plain http only, so the benchmark has this one,
//! on a `ureq` agent that trusts the emulator's CA. Like `HostedBrowser` it keeps the
//! session cookie, follows no redirect, and hands back where the provider sends the
//! browser (the app's redirect URI with the code). Its steps are not timed.

use ureq::tls::{Certificate, RootCerts, TlsConfig};

use crate::target::{Target, TIMEOUT};

pub struct Browser {
    agent: ureq::Agent,
    cookie: Option<String>,
}

pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
}

impl Browser {
    pub fn new(t: &Target) -> Browser {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(TIMEOUT));
        if let Some(pem) = t.emu.ca_pem() {
            let der = Certificate::from_pem(pem.as_bytes())
                .expect("the emulator's ca")
                .to_owned();
            config = config.tls_config(
                TlsConfig::builder()
                    .root_certs(RootCerts::new_with_certs(&[der]))
                    .build(),
            );
        }
        Browser {
            agent: config.build().into(),
            cookie: None,
        }
    }

    pub fn get(&mut self, url: &str) -> Page {
        let mut r = self.agent.get(url);
        if let Some(c) = &self.cookie {
            r = r.header("cookie", c);
        }
        self.page(r.call().expect("the page answers"))
    }

    fn post_form(&mut self, url: &str, fields: &[(&str, &str)]) -> Page {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut r = self
            .agent
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = &self.cookie {
            r = r.header("cookie", c);
        }
        self.page(r.send(body).expect("the form answers"))
    }

    fn page(&mut self, mut r: ureq::http::Response<ureq::Body>) -> Page {
        if let Some(set) = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()) {
            self.cookie = set.split(';').next().map(str::to_owned);
        }
        Page {
            status: r.status().as_u16(),
            location: r
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: r.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    /// Opens `authorize`, signs in, allows consent: the URL the browser is sent back to.
    pub fn sign_in(&mut self, authorize: &str, account: &str, password: &str) -> String {
        let login = self.get(authorize);
        let action = form_action(authorize, &login);
        let consent = self.post_form(&action, &[("account", account), ("password", password)]);
        let action = form_action(authorize, &consent);
        let back = self.post_form(&action, &[("decision", "allow")]);
        back.location
            .unwrap_or_else(|| panic!("consent answered {} with no redirect", back.status))
    }
}

/// The page's first form's action, made absolute against `url`'s origin.
fn form_action(url: &str, page: &Page) -> String {
    let start = page
        .body
        .find("action=\"")
        .unwrap_or_else(|| panic!("no form on the page (http {})", page.status))
        + "action=\"".len();
    let end = start + page.body[start..].find('"').expect("a closing quote");
    let action = page.body[start..end].replace("&amp;", "&");
    if !action.starts_with('/') {
        return action;
    }
    let (scheme, rest) = url.split_once("://").expect("an absolute url");
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{scheme}://{host}{action}")
}

/// Form encoding: RFC 3986 unreserved characters kept, the rest percent-encoded.
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
