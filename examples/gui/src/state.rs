//! What the window shows: the forms, the call that runs, the notice under them. Plain
//! data, touched only on the UI thread (the calls' handlers get it as `&mut State` from the
//! SDK's `Inbox`).

use std::time::Instant;

use authing::{
    EnrollFactorRequestData, Factor, LoginRecord, MfaChallenge, Page, QrCodeUpdate, RequestHandle,
    ResetToken, UserInfo,
};

use crate::text::Language;

/// The sign-in page's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Password,
    PassCode,
    QrCode,
    Forgot,
}

/// The signed-in page's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum AccountTab {
    #[default]
    Profile,
    Security,
    History,
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

/// Something the signed-in page fetches when its tab is first shown.
#[derive(Default)]
pub(crate) enum Load<T> {
    /// Not asked for yet: the tab asks when it is shown and no other call runs.
    #[default]
    NotYet,
    Loaded(T),
    /// The call failed (its words are the notice); "Retry" asks again.
    Failed,
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

/// The profile's editable fields, as typed.
#[derive(Default, Clone, PartialEq, Eq)]
pub(crate) struct ProfileForm {
    pub nickname: String,
    pub name: String,
    pub username: String,
    pub company: String,
    pub city: String,
}

impl ProfileForm {
    /// The fields as `user` has them.
    pub(crate) fn of(user: &UserInfo) -> ProfileForm {
        let text = |key: &str| {
            user.data()
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        ProfileForm {
            nickname: user.nickname().unwrap_or_default().to_owned(),
            name: user.name().unwrap_or_default().to_owned(),
            username: user.username().unwrap_or_default().to_owned(),
            company: text("company"),
            city: text("city"),
        }
    }
}

/// The second step of a sign-in that asked for one.
pub(crate) struct MfaStep {
    pub challenge: MfaChallenge,
    pub code: String,
    /// The user types a recovery code instead of the authenticator's code.
    pub use_recovery: bool,
}

/// The signed-in page's data and forms; all of it goes with the user at sign-out.
#[derive(Default)]
pub(crate) struct Account {
    pub tab: AccountTab,
    pub profile: ProfileForm,
    pub factors: Load<Vec<Factor>>,
    /// An authenticator enrolment started: its token, URI, secret and recovery code.
    pub enrolment: Option<EnrollFactorRequestData>,
    pub enrol_code: String,
    pub history: Load<Page<LoginRecord>>,
    /// Until when the page looks for the full profile that replaces a partial user (the
    /// id_token's, shown at once after a sign-in), see `profile::complete`.
    pub full_profile_until: Option<Instant>,
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
    /// A sign-in waiting for its second step.
    pub mfa: Option<MfaStep>,
    /// The signed-in user's profile.
    pub user: Option<UserInfo>,
    /// "Sign out" was clicked: the event stream stops before the sign-out is sent, so
    /// this window's own sign-out is not taken for one on another device.
    pub signing_out: bool,
    pub account: Account,
}

impl State {
    pub(crate) fn busy(&self) -> bool {
        self.running.is_some()
    }

    pub(crate) fn info(&mut self, text: &str) {
        self.notice = Some(Notice::Info(text.to_owned()));
    }

    pub(crate) fn error(&mut self, text: String) {
        self.notice = Some(Notice::Error(text));
    }

    /// `user` is signed in: the signed-in page starts afresh with them.
    pub(crate) fn sign_in_as(&mut self, user: Option<UserInfo>) {
        self.mfa = None;
        self.signing_out = false;
        self.account = Account {
            profile: user.as_ref().map(ProfileForm::of).unwrap_or_default(),
            ..Account::default()
        };
        self.user = user;
    }
}
