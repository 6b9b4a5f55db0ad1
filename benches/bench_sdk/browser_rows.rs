//! Browser sign-in end to end on the emulator: authorize, the hosted login page, consent,
//! the redirect to the SDK's loopback listener, the code exchange and the id_token check.
//! The "browser" is the SDK's `emulator::HostedBrowser` (plain HTTP; the emulator's pages
//! need no JavaScript), as in `tests/e2e/oidc.rs`.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use authing::emulator::HostedBrowser;
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
    let mut browser = HostedBrowser::new();
    let location = browser
        .sign_in(&url, EMAIL, PASSWORD, true)
        .expect("the hosted pages sign the person in");
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
