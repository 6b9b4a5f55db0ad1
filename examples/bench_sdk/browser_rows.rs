//! Browser sign-in end to end on the emulator: authorize, the hosted login page, consent,
//! the redirect to the SDK's loopback listener, the code exchange and the id_token check.
//! The "browser" is this program, over plain HTTP (the emulator's pages need no
//! JavaScript), as in `tests/oidc.rs`.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use authing::{AuthClient, AuthResponse, BrowserSignIn};

use crate::ab::Pct;
use crate::child::{EmulatorProcess, EMAIL, PASSWORD};
use crate::clients::sdk_client;
use crate::target;

const SIGN_INS: usize = 15;

pub struct Browser {
    /// From the call to its callback, browser steps included.
    whole: Pct,
    /// From the redirect reaching the loopback listener to the callback: the code
    /// exchange, the id_token check and the profile fetch.
    after_redirect: Pct,
    ok: usize,
}

pub fn measure(emu: &mut EmulatorProcess) -> Browser {
    let client = sdk_client(&emu.base_url, &emu.app_id, 8);
    let mut whole = Vec::new();
    let mut after = Vec::new();
    let mut ok = 0;
    for _ in 0..SIGN_INS {
        let (w, a, good) = once(&client);
        whole.push(w);
        after.push(a);
        ok += usize::from(good);
    }
    Browser {
        whole: Pct::of(&mut whole),
        after_redirect: Pct::of(&mut after),
        ok,
    }
}

/// One sign-in: (whole ns, after-redirect ns, answered 200).
fn once(client: &AuthClient) -> (u64, u64, bool) {
    let (url_tx, url_rx) = mpsc::channel::<String>();
    let options = BrowserSignIn::new().open_with(move |url: &str| {
        let _ = url_tx.send(url.to_owned());
    });
    let (tx, rx) = mpsc::channel::<(Instant, AuthResponse)>();
    let t = Instant::now();
    let _handle = client.sign_in_by_browser(options, move |r: AuthResponse| {
        let _ = tx.send((Instant::now(), r));
    });
    let url = url_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the flow opens the page");
    let mut browser = Page::agent();
    let origin = origin(&url);
    let login = browser.get(&url);
    let consent = browser.post(
        &form_action(&login, &origin),
        &[("account", EMAIL), ("password", PASSWORD)],
    );
    let back = browser.post(&form_action(&consent, &origin), &[("decision", "allow")]);
    let location = back.location.expect("consent redirects");
    let redirected = Instant::now();
    let _ = browser.get(&location);
    let (at, answer) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the callback runs");
    (
        at.duration_since(t).as_nanos() as u64,
        at.duration_since(redirected).as_nanos() as u64,
        answer.status_code() == 200 && answer.login_token_data().is_ok(),
    )
}

/// A browser without JavaScript: one cookie, no automatic redirects.
struct Page {
    agent: ureq::Agent,
    cookie: Option<String>,
}

struct Answer {
    body: String,
    location: Option<String>,
}

impl Page {
    fn agent() -> Page {
        Page {
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .into(),
            cookie: None,
        }
    }

    fn read(&mut self, mut r: ureq::http::Response<ureq::Body>) -> Answer {
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        if let Some(set) = header("set-cookie") {
            self.cookie = Some(set.split(';').next().unwrap_or_default().to_owned());
        }
        let location = header("location");
        Answer {
            body: r.body_mut().read_to_string().unwrap_or_default(),
            location,
        }
    }

    fn get(&mut self, url: &str) -> Answer {
        let mut req = self.agent.get(url);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let r = req.call().expect("the server answers");
        self.read(r)
    }

    fn post(&mut self, url: &str, pairs: &[(&str, &str)]) -> Answer {
        let body = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = self
            .agent
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let r = req.send(body).expect("the server answers");
        self.read(r)
    }
}

fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("an absolute url");
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// The page's form `action`, absolute.
fn form_action(page: &Answer, origin: &str) -> String {
    let start = page.body.find("action=\"").expect("a form") + "action=\"".len();
    let end = start + page.body[start..].find('"').expect("a closed attribute");
    let action = page.body[start..end].replace("&amp;", "&");
    if action.starts_with('/') {
        format!("{origin}{action}")
    } else {
        action
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

impl Browser {
    pub fn print(&self) {
        println!(
            "11. browser sign-in ({SIGN_INS} runs)          p50 ms   p99 ms\n    \
             whole flow, call -> callback         {:>7.2}  {:>7.2}\n    \
             redirect -> callback (code exchange, id_token check, profile) {:>7.2}  {:>7.2}\n",
            self.whole.p50 as f64 / 1e6,
            self.whole.p99 as f64 / 1e6,
            self.after_redirect.p50 as f64 / 1e6,
            self.after_redirect.p99 as f64 / 1e6
        );
    }

    pub fn targets(&self) {
        target(
            self.ok == SIGN_INS,
            &format!(
                "11. every browser sign-in answers 200 with tokens: {} of {SIGN_INS}",
                self.ok
            ),
        );
        target(
            self.whole.p50 <= 100_000_000,
            &format!(
                "11. browser sign-in on the emulator, end to end, p50 <= 100 ms: {:.1} ms",
                self.whole.p50 as f64 / 1e6
            ),
        );
    }
}
