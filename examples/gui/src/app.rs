//! The window: the header (the app's name, the language), then the page: sign-in (its
//! tabs), the sign-in's second step, or the signed-in account; the running call's "Cancel",
//! and the notice.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

use authing::emulator::Emulator;
use authing::{AuthClient, Inbox, QrCodeSignInOptions, QrCodeUpdate};
use eframe::egui::{self, Align, Align2, Color32, FontId, Layout, Margin, RichText, Sense, Vec2};

use crate::backend::Backend;
use crate::browser_signin::BrowserSetup;
use crate::calls::Calls;
use crate::form::ERROR_COLOR;
use crate::live::Live;
use crate::state::{Notice, State, Tab};
use crate::text::Language;
use crate::{browser_signin, mfa, profile, qr_signin, recovery, signin};

/// The window's size at start (the sign-in page's). The window then follows its content:
/// each time the page's height changes, it asks to be that high (within [`MIN_SIZE`] and
/// [`MAX_HEIGHT`]; past that the page scrolls), so it is never a mostly empty window.
pub const WINDOW_SIZE: [f32; 2] = [560.0, 420.0];
/// The smallest window: the tabs fit on one line in either language.
pub const MIN_SIZE: [f32; 2] = [540.0, 240.0];
/// The tallest the window makes itself.
pub const MAX_HEIGHT: f32 = 780.0;

/// The colour of the app's mark and its main buttons, in both themes.
pub(crate) const BRAND: Color32 = Color32::from_rgb(0x39, 0x6a, 0xff);

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
    /// The event stream while someone is signed in (`live.rs`).
    live: Live,
    /// The window height last asked for (eframe only).
    asked_height: f32,
}

impl AccountApp {
    /// A window over `backend`, before any toolkit exists (the client may already be in
    /// use); [`attach`](Self::attach) connects it to egui once eframe runs. A client that
    /// is already signed in opens on the account page.
    pub fn new(backend: Backend, lang: Language) -> AccountApp {
        let (qr_tx, qr_rx) = mpsc::channel();
        let mut state = State {
            lang,
            ..State::default()
        };
        state.sign_in_as(backend.client.get_current_user());
        AccountApp {
            client: backend.client,
            emulator: backend.emulator,
            inbox: Inbox::new(),
            state,
            qr_tx,
            qr_rx,
            qr_options: QrCodeSignInOptions::new(),
            browser: BrowserSetup::new(),
            live: Live::default(),
            asked_height: WINDOW_SIZE[1],
        }
    }

    /// Connects the window to egui's context: every delivery repaints it (the SDK's
    /// delivery hook, set now that the context exists). Load the CJK font with
    /// [`load_cjk_font`](crate::load_cjk_font) and set the look with
    /// [`apply_look`](crate::apply_look) before the first frame, too.
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

    /// The window's client (the tests read the server's side through it).
    pub fn client(&self) -> &AuthClient {
        &self.client
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
        profile::complete(ui.ctx(), state, &self.client);
        header(ui, state);
        let t = state.lang.text();
        egui::Frame::new()
            .inner_margin(Margin::symmetric(16, 12))
            .show(ui, |ui| {
                card(ui, |ui| {
                    if state.user.is_some() {
                        profile::show(ui, state, &calls);
                    } else if state.mfa.is_some() {
                        mfa::show(ui, state, &calls);
                    } else {
                        sign_in(
                            ui,
                            state,
                            &calls,
                            &self.qr_tx,
                            &self.qr_options,
                            &mut self.browser,
                        );
                    }
                });
                ui.add_space(8.0);
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
                        ui.add(egui::Label::new(text.as_str()).selectable(true));
                    }
                    Some(Notice::Error(text)) => {
                        ui.label(RichText::new(text).color(ERROR_COLOR));
                    }
                    None => {}
                }
                if self.emulator.is_some() {
                    ui.add_space(4.0);
                    ui.label(RichText::new(t.demo_hint).small().weak());
                }
            });
        // After the page: a sign-in that just happened starts the stream, a "Sign out"
        // just clicked stops it.
        self.live.sync(&self.client, &self.inbox, &self.state);
    }

    /// Whether the window listens to the event stream now (signed in).
    pub fn is_listening(&self) -> bool {
        self.live.is_on()
    }
}

/// The top of the window: the app's mark and name, and the language switch.
fn header(ui: &mut egui::Ui, state: &mut State) {
    let t = state.lang.text();
    let fill = ui.visuals().faint_bg_color;
    egui::Frame::new()
        .fill(fill)
        .inner_margin(Margin::symmetric(16, 12))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(36.0), Sense::hover());
                ui.painter().rect_filled(rect, 8.0, BRAND);
                ui.painter().text(
                    rect.center(),
                    Align2::CENTER_CENTER,
                    "A",
                    FontId::proportional(22.0),
                    Color32::WHITE,
                );
                ui.vertical(|ui| {
                    ui.label(RichText::new(t.app_name).size(19.0).strong());
                    ui.weak(if state.user.is_some() {
                        t.tagline_signed_in
                    } else {
                        t.tagline
                    });
                });
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if ui.button(t.switch_language).clicked() {
                        state.lang = match state.lang {
                            Language::English => Language::Chinese,
                            Language::Chinese => Language::English,
                        };
                    }
                });
            });
        });
}

/// The page's card: a framed panel the width of the window.
fn card(ui: &mut egui::Ui, content: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style())
        .inner_margin(Margin::same(16))
        .corner_radius(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            content(ui);
        });
}

/// The sign-in page: its tabs, and the tab's form.
fn sign_in(
    ui: &mut egui::Ui,
    state: &mut State,
    calls: &Calls<'_>,
    qr_tx: &Sender<QrCodeUpdate>,
    qr_options: &QrCodeSignInOptions,
    browser: &mut BrowserSetup,
) {
    let t = state.lang.text();
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
    ui.add_space(4.0);
    match state.tab {
        Tab::Password => {
            signin::password(ui, state, calls);
            ui.add_space(4.0);
            ui.separator();
            ui.vertical_centered(|ui| ui.weak(t.or));
            browser_signin::show(ui, state, calls, browser);
        }
        Tab::PassCode => signin::pass_code(ui, state, calls),
        Tab::QrCode => qr_signin::show(ui, state, calls, qr_tx, qr_options),
        Tab::Forgot => recovery::show(ui, state, calls),
    }
}

impl eframe::App for AccountApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let height = egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).inner_margin(0))
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink(false)
                    .show(ui, |ui| ui.scope(|ui| self.show(ui)).response.rect.height())
                    .inner
            })
            .inner;
        // The window follows the page's height (the content's, not the window's: no loop).
        let wanted = height.ceil().clamp(MIN_SIZE[1], MAX_HEIGHT);
        if (wanted - self.asked_height).abs() > 2.0 {
            self.asked_height = wanted;
            let width = ui.ctx().content_rect().width();
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::InnerSize(Vec2::new(width, wanted)));
        }
    }
}
