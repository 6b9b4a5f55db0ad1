//! Sign-in through the browser: the SDK's `sign_in_by_browser` (OpenID Connect with PKCE
//! and a loopback redirect) behind a button under the password form, how its sign-in page
//! is opened, and what the window shows while the user finishes in the browser.
//!
//! The page is opened by the window's opener: the user's default browser, or the function
//! given to [`AccountApp::set_browser_opener`](crate::AccountApp::set_browser_opener) (the
//! tests play the browser with one). Either way the window also shows the page's address,
//! selectable, with "Copy link", so a user whose browser did not open can still go there. A
//! browser that does not open does not end the sign-in: the window says so and keeps
//! waiting for the address to be visited, until the user cancels or the time-out passes.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use authing::{BrowserSignIn, DEFAULT_BROWSER_TIMEOUT};
use eframe::egui::{self, Label, RichText};

use crate::calls::Calls;
use crate::form::{action, ERROR_COLOR};
use crate::signin::signed_in;
use crate::state::{BrowserWait, State};

/// Shows the sign-in page at the address it gets; `Err` (a reason, for stderr) when it
/// could not. It runs on the SDK's worker thread and should return soon.
pub(crate) type Opener = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// What an opener reported, for the browser sign-in numbered with it.
enum Event {
    /// The page's address, before the opener runs.
    Opening(String),
    /// The opener failed.
    NotOpened,
}

/// How the window's browser sign-ins open their page, how long they wait, and the reports
/// of their openers (which run on the SDK's worker threads) on their way to the window.
pub(crate) struct BrowserSetup {
    opener: Opener,
    timeout: Duration,
    events_tx: Sender<(u64, Event)>,
    events_rx: Receiver<(u64, Event)>,
    /// How many browser sign-ins the window has started.
    flows: u64,
}

impl BrowserSetup {
    /// The user's default browser, and the SDK's default time-out (5 minutes).
    pub(crate) fn new() -> BrowserSetup {
        let (events_tx, events_rx) = mpsc::channel();
        BrowserSetup {
            opener: Arc::new(|url: &str| {
                BrowserSignIn::system_browser(url).map_err(|e| e.to_string())
            }),
            timeout: DEFAULT_BROWSER_TIMEOUT,
            events_tx,
            events_rx,
            flows: 0,
        }
    }

    pub(crate) fn set_opener(&mut self, opener: Opener) {
        self.opener = opener;
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Puts what the openers reported since the last frame on the browser sign-in that
    /// runs, when they are its; reports of one that has ended are dropped.
    pub(crate) fn drain(&self, state: &mut State) {
        while let Ok((flow, event)) = self.events_rx.try_recv() {
            let Some(wait) = state
                .running
                .as_mut()
                .and_then(|running| running.browser.as_mut())
                .filter(|wait| wait.flow == flow)
            else {
                continue;
            };
            match event {
                Event::Opening(url) => wait.url = Some(url),
                Event::NotOpened => wait.not_opened = true,
            }
        }
    }

    /// The next browser sign-in's number and options. Its opener tells the window the
    /// address first, then opens it; the window is repainted after each report, as the
    /// SDK's delivery hook does not run for an opener.
    fn next(&mut self, ctx: &egui::Context) -> (u64, BrowserSignIn) {
        self.flows += 1;
        let flow = self.flows;
        let (tx, opener, ctx) = (
            self.events_tx.clone(),
            Arc::clone(&self.opener),
            ctx.clone(),
        );
        let options = BrowserSignIn::new()
            .timeout(self.timeout)
            .open_with(move |url: &str| {
                let _ = tx.send((flow, Event::Opening(url.to_owned())));
                ctx.request_repaint();
                if let Err(reason) = opener(url) {
                    eprintln!("authing-gui: the sign-in page was not opened: {reason}");
                    let _ = tx.send((flow, Event::NotOpened));
                    ctx.request_repaint();
                }
            });
        (flow, options)
    }
}

/// "Sign in with the browser", and while it waits: what to do, the page's address and
/// "Copy link". On success the profile shows, as after a password sign-in.
pub(crate) fn show(
    ui: &mut egui::Ui,
    state: &mut State,
    calls: &Calls<'_>,
    setup: &mut BrowserSetup,
) {
    let t = state.lang.text();
    if action(ui, state, t.sign_in_browser, true) {
        let (flow, options) = setup.next(ui.ctx());
        let client = calls.client.clone();
        calls.start(
            state,
            move |c, cb| c.sign_in_by_browser(options, cb),
            move |state, _| signed_in(state, &client),
        );
        if let Some(running) = state.running.as_mut() {
            running.browser = Some(BrowserWait {
                flow,
                url: None,
                not_opened: false,
            });
        }
    }
    let Some(wait) = state.running.as_ref().and_then(|r| r.browser.as_ref()) else {
        return;
    };
    ui.label(t.browser_waiting);
    let Some(url) = &wait.url else {
        return;
    };
    if wait.not_opened {
        ui.label(RichText::new(t.browser_not_opened).color(ERROR_COLOR));
    } else {
        ui.weak(t.browser_link);
    }
    ui.add(Label::new(RichText::new(url).monospace()).selectable(true));
    if ui.button(t.copy_link).clicked() {
        ui.ctx().copy_text(url.clone());
    }
}
