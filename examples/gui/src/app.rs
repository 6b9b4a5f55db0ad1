//! The window: the top bar (language), the tabs or the profile, the running call's
//! "Cancel", and the notice.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use authing::emulator::Emulator;
use authing::{AuthClient, Inbox, QrCodeSignInOptions, QrCodeUpdate};
use eframe::egui::{self, RichText};

use crate::backend::Backend;
use crate::browser_signin::BrowserSetup;
use crate::calls::Calls;
use crate::form::ERROR_COLOR;
use crate::state::{Notice, State, Tab};
use crate::text::Language;
use crate::{browser_signin, profile, qr_signin, recovery, signin};

/// The account window.
pub struct AccountApp {
    client: AuthClient,
    emulator: Option<Emulator>,
    /// The calls' handlers, waiting on this thread for their answers.
    inbox: Inbox<State>,
    state: State,
    qr_tx: Sender<QrCodeUpdate>,
    qr_rx: Receiver<QrCodeUpdate>,
    qr_options: QrCodeSignInOptions,
    browser: BrowserSetup,
}

impl AccountApp {
    /// A window over `backend`, before any toolkit exists (the client may already be in
    /// use); [`attach`](Self::attach) connects it to egui once eframe runs.
    pub fn new(backend: Backend, lang: Language) -> AccountApp {
        let (qr_tx, qr_rx) = mpsc::channel();
        AccountApp {
            client: backend.client,
            emulator: backend.emulator,
            inbox: Inbox::new(),
            state: State {
                lang,
                ..State::default()
            },
            qr_tx,
            qr_rx,
            qr_options: QrCodeSignInOptions::new(),
            browser: BrowserSetup::new(),
        }
    }

    /// Connects the window to egui's context: every delivery repaints it (the SDK's
    /// delivery hook, set now that the context exists). Load the CJK font with
    /// [`load_cjk_font`](crate::load_cjk_font) before the first frame, too.
    pub fn attach(&mut self, ctx: &egui::Context) {
        let ctx_for_hook = ctx.clone();
        self.client
            .set_on_delivery(move || ctx_for_hook.request_repaint());
    }

    /// The options of the QR sign-in the window starts (tests poll faster).
    pub fn set_qr_options(&mut self, options: QrCodeSignInOptions) {
        self.qr_options = options;
    }

    /// How "Sign in with the browser" shows the sign-in page: `open` gets its address on
    /// the SDK's worker thread and answers `Err` (a reason, printed to stderr) when it could
    /// not show it; it should return soon. The default is the user's default browser
    /// (`BrowserSignIn::system_browser`). Whatever the opener, the window also shows the
    /// address with "Copy link", and keeps waiting when the opener fails. The tests play
    /// the browser with an opener of their own.
    pub fn set_browser_opener(
        &mut self,
        open: impl Fn(&str) -> Result<(), String> + Send + Sync + 'static,
    ) {
        self.browser.set_opener(Arc::new(open));
    }

    /// How long "Sign in with the browser" waits for the browser to come back (default the
    /// SDK's 5 minutes); then the window says the sign-in was not finished in time.
    pub fn set_browser_timeout(&mut self, timeout: Duration) {
        self.browser.set_timeout(timeout);
    }

    /// The embedded emulator, when the window runs against it.
    pub fn emulator(&self) -> Option<&Emulator> {
        self.emulator.as_ref()
    }

    /// Whether a call runs.
    pub fn is_busy(&self) -> bool {
        self.state.busy()
    }

    /// Draws the window into `ui`, after running the handlers of the answers that arrived.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.inbox.run_pending(&mut self.state);
        self.browser.drain(&mut self.state);
        while let Ok(update) = self.qr_rx.try_recv() {
            self.state.qr = Some(update);
        }
        let calls = Calls {
            client: &self.client,
            inbox: &self.inbox,
        };
        let state = &mut self.state;
        let t = state.lang.text();
        ui.horizontal(|ui| {
            ui.heading(t.title);
            if ui.button(t.switch_language).clicked() {
                state.lang = match state.lang {
                    Language::English => Language::Chinese,
                    Language::Chinese => Language::English,
                };
            }
        });
        let t = state.lang.text();
        if self.emulator.is_some() {
            ui.weak(t.demo_hint);
        }
        ui.separator();
        if state.user.is_some() {
            profile::show(ui, state, &calls);
        } else {
            ui.horizontal_wrapped(|ui| {
                for (tab, name) in [
                    (Tab::Password, t.tab_password),
                    (Tab::PassCode, t.tab_pass_code),
                    (Tab::QrCode, t.tab_qr),
                    (Tab::Forgot, t.tab_forgot),
                ] {
                    let enabled = !state.busy() || state.tab == tab;
                    ui.add_enabled_ui(enabled, |ui| ui.selectable_value(&mut state.tab, tab, name));
                }
            });
            ui.separator();
            match state.tab {
                Tab::Password => {
                    signin::password(ui, state, &calls);
                    ui.separator();
                    browser_signin::show(ui, state, &calls, &mut self.browser);
                }
                Tab::PassCode => signin::pass_code(ui, state, &calls),
                Tab::QrCode => qr_signin::show(ui, state, &calls, &self.qr_tx, &self.qr_options),
                Tab::Forgot => recovery::show(ui, state, &calls),
            }
        }
        ui.separator();
        if let Some(running) = &state.running {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t.working);
                if ui.button(t.cancel).clicked() {
                    // The cancellation arrives through the inbox like any answer.
                    let _ = running.handle.cancel();
                }
            });
        }
        match &state.notice {
            Some(Notice::Info(text)) => {
                ui.label(text);
            }
            Some(Notice::Error(text)) => {
                ui.label(RichText::new(text).color(ERROR_COLOR));
            }
            None => {}
        }
    }
}

impl eframe::App for AccountApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| self.show(ui));
    }
}
