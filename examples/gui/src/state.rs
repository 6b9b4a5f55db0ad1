//! What the window shows: the forms, the call that runs, the notice under them. Plain
//! data, touched only on the UI thread (the calls' handlers get it as `&mut State` from the
//! SDK's `Inbox`).

use std::time::Instant;

use authing::{QrCodeUpdate, RequestHandle, ResetToken, UserInfo};

use crate::text::Language;

/// The window's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Password,
    PassCode,
    QrCode,
    Forgot,
}

/// Email or phone, for the pass-code and recovery forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Channel {
    #[default]
    Email,
    Phone,
}

/// The call that runs; at most one at a time, and every action button is disabled while
/// it does. Its handle is what "Cancel" uses.
pub(crate) struct Running {
    pub handle: RequestHandle,
    /// What the browser sign-in shows while it waits, when that is the call; it goes away
    /// with the call, whatever its end.
    pub browser: Option<BrowserWait>,
}

/// The browser sign-in while it waits for the user: the page it opened, once it did.
pub(crate) struct BrowserWait {
    /// Which browser sign-in this is (the window numbers them), so a page a cancelled one
    /// opened late is not shown for the next.
    pub flow: u64,
    /// The sign-in page's address, shown so the user can open it by hand.
    pub url: Option<String>,
    /// The browser could not be opened: the user has to open the address themselves.
    pub not_opened: bool,
}

/// The line under the forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Notice {
    Info(String),
    Error(String),
}

#[derive(Default)]
pub(crate) struct Forms {
    pub email: String,
    pub phone: String,
    pub password: String,
    pub code: String,
    pub new_password: String,
    pub channel: Channel,
}

#[derive(Default)]
pub(crate) struct State {
    pub lang: Language,
    pub tab: Tab,
    pub forms: Forms,
    pub running: Option<Running>,
    pub notice: Option<Notice>,
    /// No new code may be asked for before this (from a throttled send's `retry_after()`).
    pub resend_at: Option<Instant>,
    /// The recovery flow's token, once the code was verified.
    pub reset_token: Option<ResetToken>,
    /// The QR code shown and its latest status, while the QR sign-in runs.
    pub qr: Option<QrCodeUpdate>,
    /// The signed-in user's profile.
    pub user: Option<UserInfo>,
}

impl State {
    pub(crate) fn busy(&self) -> bool {
        self.running.is_some()
    }

    pub(crate) fn info(&mut self, text: &str) {
        self.notice = Some(Notice::Info(text.to_owned()));
    }
}
