//! The tests' browser: the emulator's own [`HostedBrowser`] (plain HTTP on the hosted login
//! and consent pages, cookie kept, redirects shown and not followed), with every step
//! expected to work, so a test reads as the person's steps; and two URL helpers. The SDK's
//! tests use this file too (`tests/common/mod.rs` includes it by path): one browser for
//! both crates' tests.

use authing_emulator::HostedBrowser;
pub use authing_emulator::HostedPage as Page;

/// A [`HostedBrowser`] whose steps panic, with the reason, when they do not work.
#[derive(Default)]
pub struct Browser(HostedBrowser);

/// `scheme://host:port` of `url`.
pub fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("an absolute url");
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// The value of query parameter `name` in `url`, percent-decoded (`+` is a space).
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| decode(v))
    })
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            let pair = bytes.get(at..at + 2)?;
            u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()
        };
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if hex(i + 1).is_some() => {
                out.push(hex(i + 1).unwrap_or_default());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Browser {
    pub fn new() -> Browser {
        Browser(HostedBrowser::new())
    }

    pub fn get(&mut self, url: &str) -> Page {
        self.0.get(url).expect("the server answers")
    }

    pub fn post_form(&mut self, url: &str, pairs: &[(&str, &str)]) -> Page {
        self.0.post_form(url, pairs).expect("the server answers")
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
        self.0
            .sign_in(authorize_url, account, password, allow)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Posts the consent page's form: the `Location` of the answer.
    pub fn decide(&mut self, consent: &Page, allow: bool) -> String {
        self.0
            .decide(consent, allow)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}
