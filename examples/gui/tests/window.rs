//! The account window, clicked through headlessly with egui_kittest against the SDK's
//! embedded emulator: what the window shows after each step. No sleeps: the harness is
//! stepped until what a test waits for is on screen, with a deadline. The browser sign-in
//! tests play the browser with the SDK's `HostedBrowser` (plain HTTP on the emulator's
//! hosted pages).

use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use authing::emulator::Fault;
use authing::emulator::{HostedBrowser, HostedPage as Page};
use authing::{Action, AuthClient, FactorProfile, FactorType, Lang, QrCodeSignInOptions};
use authing_gui::{AccountApp, Backend, Language, DEMO_EMAIL, DEMO_PASSWORD, DEMO_PHONE};
use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;

/// How long a test waits for the window to show something.
const DEADLINE: Duration = Duration::from_secs(10);

/// Whether a CJK font is there for the Chinese words (the language button says "中文" on
/// every page).
fn cjk_font() -> bool {
    authing_gui::CJK_FONT_PATHS
        .iter()
        .any(|p| std::path::Path::new(p).is_file())
        || std::env::var_os(authing_gui::CJK_FONT_ENV).is_some()
}

/// A window on a fresh emulator, attached to the harness's egui context as eframe would.
/// The harness panics on a character no font draws; without a CJK font the "中文" button
/// would be one, so the window then allows missing glyphs, and says so.
fn window() -> Harness<'static, AccountApp> {
    if cjk_font() {
        window_with(Harness::builder())
    } else {
        eprintln!(
            "no CJK font installed (apt-get install fonts-wqy-microhei): Chinese shows as boxes, glyphs not checked"
        );
        window_with(Harness::builder().allow_missing_glyphs())
    }
}

fn window_with(builder: egui_kittest::HarnessBuilder<AccountApp>) -> Harness<'static, AccountApp> {
    let backend = Backend::emulator(Lang::EnUs).expect("the emulator starts");
    let mut app = AccountApp::new(backend, Language::English);
    let mut fast = QrCodeSignInOptions::new();
    fast.set_interval(Duration::from_millis(50));
    app.set_qr_options(fast);
    let mut harness = builder
        .with_size(egui::vec2(
            authing_gui::WINDOW_SIZE[0],
            authing_gui::MAX_HEIGHT,
        ))
        .with_context_setup(|ctx| {
            authing_gui::load_cjk_font(ctx);
            authing_gui::apply_look(ctx);
        })
        .build_ui_state(|ui, app: &mut AccountApp| app.show(ui), app);
    let ctx = harness.ctx.clone();
    harness.state_mut().attach(&ctx);
    harness.run_steps(2);
    harness
}

/// Steps the window until `holds`, failing with `what` after the deadline.
fn step_until(
    h: &mut Harness<'_, AccountApp>,
    what: &str,
    holds: impl Fn(&Harness<'_, AccountApp>) -> bool,
) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        h.step();
        if holds(h) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the window never showed: {what}; it shows: {:?}",
            on_screen(h)
        );
        std::thread::yield_now();
    }
}

/// Every text the window shows, for a failure's message.
fn on_screen(h: &Harness<'_, AccountApp>) -> Vec<String> {
    h.query_all_by_label_contains("")
        .map(|node| text_of(&node))
        .filter(|text| !text.is_empty())
        .collect()
}

fn shows(h: &Harness<'_, AccountApp>, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn wait_for_text(h: &mut Harness<'_, AccountApp>, text: &str) {
    step_until(h, text, |h| shows(h, text));
}

fn click(h: &mut Harness<'_, AccountApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
}

fn type_into(h: &mut Harness<'_, AccountApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(1);
}

/// The text a node shows (egui puts a label's text in its accessible label or value).
fn text_of(node: &egui_kittest::Node<'_>) -> String {
    let n = node.accesskit_node();
    n.label().or_else(|| n.value()).unwrap_or_default()
}

fn is_enabled(h: &Harness<'_, AccountApp>, label: &str) -> bool {
    !h.get_by_label(label).accesskit_node().is_disabled()
}

fn latest_code(h: &Harness<'_, AccountApp>, target: &str) -> String {
    h.state()
        .emulator()
        .unwrap()
        .latest_code(target)
        .expect("the emulator sent a code")
}

#[test]
fn forgot_password_by_email_sends_a_code_verifies_it_sets_a_new_password_and_signs_in_with_it() {
    let mut h = window();
    click(&mut h, "Forgot password");
    type_into(&mut h, "Email", DEMO_EMAIL);
    click(&mut h, "Send code");
    wait_for_text(&mut h, "We sent you a code.");
    let code = latest_code(&h, DEMO_EMAIL);
    type_into(&mut h, "Code", &code);
    click(&mut h, "Verify");
    wait_for_text(&mut h, "Code accepted. Choose a new password.");
    type_into(&mut h, "New password", "brand-new-42");
    click(&mut h, "Set new password");
    wait_for_text(&mut h, "Your password was changed.");
    assert!(h
        .state()
        .emulator()
        .unwrap()
        .check_password(DEMO_EMAIL, "brand-new-42"));

    click(&mut h, "Password sign-in");
    // The email typed for the recovery is still in the form.
    type_into(&mut h, "Password", "brand-new-42");
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Signed in as alice@example.com");
}

#[test]
fn a_wrong_code_is_shown_in_words_not_json() {
    let mut h = window();
    click(&mut h, "Forgot password");
    type_into(&mut h, "Email", DEMO_EMAIL);
    click(&mut h, "Send code");
    wait_for_text(&mut h, "We sent you a code.");
    let code = latest_code(&h, DEMO_EMAIL);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    type_into(&mut h, "Code", wrong);
    click(&mut h, "Verify");
    wait_for_text(&mut h, "That code is not right. Check it and try again.");
    assert!(!shows(&h, "{"), "no raw JSON on screen");
    assert!(!shows(&h, "Choose a new password"));
}

#[test]
fn a_second_send_within_the_cooldown_shows_a_countdown_and_disables_send_code() {
    let mut h = window();
    click(&mut h, "Forgot password");
    click(&mut h, "By phone");
    type_into(&mut h, "Phone (+86)", DEMO_PHONE);
    click(&mut h, "Send code");
    wait_for_text(&mut h, "We sent you a code.");
    click(&mut h, "Send code");
    wait_for_text(&mut h, "Too many tries. Wait a moment and try again.");
    // The emulator's cooldown is 60 s: the countdown starts from the answer's retry_after().
    let countdown = text_of(
        &h.query_by_label_contains("You can ask for a new code in")
            .expect("a countdown"),
    );
    let secs: u64 = countdown
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .expect("a number of seconds");
    assert!((55..=60).contains(&secs), "{countdown}");
    assert!(!is_enabled(&h, "Send code"));
}

#[test]
fn sign_in_by_password_shows_the_profile_and_sign_out_brings_back_the_tabs() {
    let mut h = window();
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", DEMO_PASSWORD);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    assert!(shows(&h, "Alice"), "the nickname");
    click(&mut h, "Sign out");
    wait_for_text(&mut h, "You are signed out.");
    assert!(shows(&h, "Forgot password"));
}

#[test]
fn a_wrong_password_is_shown_in_words() {
    let mut h = window();
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", "not-the-password");
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "The account or password is not right.");
}

#[test]
fn sign_in_by_phone_pass_code_shows_the_profile() {
    let mut h = window();
    click(&mut h, "Pass code sign-in");
    click(&mut h, "By phone");
    type_into(&mut h, "Phone (+86)", DEMO_PHONE);
    click(&mut h, "Send code");
    wait_for_text(&mut h, "We sent you a code.");
    let code = latest_code(&h, DEMO_PHONE);
    type_into(&mut h, "Code", &code);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Signed in as alice@example.com");
}

#[test]
fn qr_sign_in_draws_the_code_and_signs_in_when_the_phone_confirms() {
    let mut h = window();
    click(&mut h, "QR code sign-in");
    click(&mut h, "Show QR code");
    wait_for_text(&mut h, "Scan this code with the app on your phone.");
    let image = text_of(&h.get_by_role(egui::accesskit::Role::Image));
    assert!(image.starts_with("QR code "), "{image}");
    assert!(image.contains('×'), "a drawn matrix: {image}");
    let id = h.state().emulator().unwrap().qr_codes()[0]
        .qrcode_id
        .clone();
    let emu = h.state().emulator().unwrap();
    emu.change_qr_code_status(&id, DEMO_EMAIL, Action::SCAN)
        .unwrap();
    wait_for_text(&mut h, "Scanned. Confirm on your phone.");
    let emu = h.state().emulator().unwrap();
    emu.change_qr_code_status(&id, DEMO_EMAIL, Action::CONFIRM)
        .unwrap();
    wait_for_text(&mut h, "Signed in as alice@example.com");
}

#[test]
fn every_button_is_disabled_while_a_call_runs_and_cancel_stops_it() {
    let mut h = window();
    h.state().emulator().unwrap().inject_fault(
        "/api/v3/signin",
        Fault::Delay(Duration::from_secs(30)),
        1,
    );
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", DEMO_PASSWORD);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Working…");
    assert!(!is_enabled(&h, "Sign in"));
    assert!(!is_enabled(&h, "Forgot password"), "other tabs wait too");
    click(&mut h, "Cancel");
    wait_for_text(&mut h, "Cancelled.");
    assert!(is_enabled(&h, "Sign in"));
    assert!(!shows(&h, "Working…"));
    assert!(!h.state().is_busy());
}

#[test]
fn a_server_fault_is_shown_as_a_server_problem() {
    let mut h = window();
    h.state().emulator().unwrap().inject_fault(
        "/api/v3/signin",
        Fault::Status {
            status: 502,
            body: "<html>bad gateway</html>".into(),
        },
        1,
    );
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", DEMO_PASSWORD);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "The server had a problem. Try again later.");
    assert!(!shows(&h, "bad gateway"), "no raw body on screen");
}

#[test]
fn chinese_text_renders_when_a_cjk_font_is_installed() {
    // The harness panics on any character no font can draw, so a Chinese frame that lays
    // out is one whose glyphs all rendered.
    let font = cjk_font();
    let mut h = window();
    click(&mut h, "中文");
    h.run_steps(2);
    assert!(shows(&h, "忘记密码"));
    assert!(shows(&h, "密码登录"));
    type_into(&mut h, "邮箱", DEMO_EMAIL);
    type_into(&mut h, "密码", "not-the-password");
    click(&mut h, "登录");
    wait_for_text(&mut h, "账号或密码不正确。");
    if font {
        let drawable = h
            .ctx
            .fonts_mut(|f| f.has_glyphs(&egui::FontId::proportional(14.0), "账号或密码不正确"));
        assert!(drawable, "the CJK font draws the Chinese words");
    }
    // The signed-in page's tabs, in Chinese: each frame laid out is one whose glyphs drew.
    replace_text(&mut h, "密码", DEMO_PASSWORD);
    click(&mut h, "登录");
    wait_for_text(&mut h, "已登录：alice@example.com");
    assert!(shows(&h, "保存修改"));
    click(&mut h, "安全");
    wait_for_text(&mut h, "设置身份验证器 App");
    click(&mut h, "登录记录");
    wait_for_text(&mut h, "登录总次数：");
}

// ---- sign-in through the browser ---------------------------------------------------------

/// The person at the browser, played by the SDK's `HostedBrowser` over plain HTTP: opens
/// `url` (the emulator's hosted sign-in page), signs in as the demo user, allows or denies
/// consent, and goes back to the app: the page the SDK's loopback listener answered.
fn play_browser(url: &str, allow: bool) -> Page {
    let mut browser = HostedBrowser::new();
    let back = browser
        .sign_in(url, DEMO_EMAIL, DEMO_PASSWORD, allow)
        .unwrap_or_else(|e| panic!("{e}"));
    browser.get(&back).unwrap_or_else(|e| panic!("{e}"))
}

/// An opener that plays the browser on a thread of its own, as a person would: opens the
/// sign-in page, signs in as the demo user, allows (or denies) on the consent page, and
/// follows the redirect back to the window's loopback listener. The page that listener
/// answered comes out of the receiver.
fn browser_that_signs_in(
    allow: bool,
) -> (
    impl Fn(&str) -> Result<(), String> + Send + Sync + 'static,
    Receiver<Page>,
) {
    let (pages_tx, pages) = mpsc::channel();
    let opener = move |url: &str| {
        let (url, pages_tx) = (url.to_owned(), pages_tx.clone());
        std::thread::spawn(move || {
            let page = play_browser(&url, allow);
            let _ = pages_tx.send(page);
        });
        Ok(())
    };
    (opener, pages)
}

/// An opener that opens nothing (the user never goes to the page); the addresses it got
/// come out of the receiver.
fn browser_left_alone() -> (
    impl Fn(&str) -> Result<(), String> + Send + Sync + 'static,
    Receiver<String>,
) {
    let (urls_tx, urls) = mpsc::channel();
    let opener = move |url: &str| {
        let _ = urls_tx.send(url.to_owned());
        Ok(())
    };
    (opener, urls)
}

/// The sign-in page's address as the window shows it.
fn link_shown(h: &Harness<'_, AccountApp>) -> String {
    text_of(
        &h.query_by_label_contains("/oidc/auth?")
            .expect("the window shows the sign-in page's address"),
    )
}

#[test]
fn signing_in_with_the_browser_shows_the_profile_as_a_password_sign_in_does() {
    let mut h = window();
    let (opener, pages) = browser_that_signs_in(true);
    h.state_mut().set_browser_opener(opener);
    click(&mut h, "Sign in with the browser");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    assert!(shows(&h, "Alice"), "the nickname");
    assert!(!shows(&h, "Finish signing in in your browser."));
    let page = pages.recv_timeout(DEADLINE).expect("the browser came back");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("You are signed in"), "{}", page.body);
    click(&mut h, "Sign out");
    wait_for_text(&mut h, "You are signed out.");
}

#[test]
fn declining_consent_in_the_browser_is_shown_in_words_and_brings_the_tabs_back() {
    let mut h = window();
    let (opener, pages) = browser_that_signs_in(false);
    h.state_mut().set_browser_opener(opener);
    click(&mut h, "Sign in with the browser");
    wait_for_text(&mut h, "You declined the sign-in in the browser.");
    assert!(!shows(&h, "Signed in as"), "nobody is signed in");
    assert!(!h.state().is_busy());
    assert!(is_enabled(&h, "Forgot password"), "the tabs are back");
    assert!(is_enabled(&h, "Sign in with the browser"));
    assert!(
        !shows(&h, "/oidc/auth?"),
        "the link went away with the sign-in"
    );
    let page = pages.recv_timeout(DEADLINE).expect("the browser came back");
    assert!(!page.body.contains("You are signed in"), "{}", page.body);
}

#[test]
fn cancel_while_the_browser_is_open_shows_cancelled_and_enables_the_button_again() {
    let mut h = window();
    let (opener, urls) = browser_left_alone();
    h.state_mut().set_browser_opener(opener);
    click(&mut h, "Sign in with the browser");
    wait_for_text(&mut h, "Finish signing in in your browser.");
    wait_for_text(&mut h, "/oidc/auth?");
    let opened = urls.recv_timeout(DEADLINE).expect("the page was opened");
    assert_eq!(
        link_shown(&h),
        opened,
        "the window shows the address it opened"
    );
    assert!(shows(
        &h,
        "If your browser did not open, go to this address:"
    ));
    assert!(!is_enabled(&h, "Sign in with the browser"));
    assert!(!is_enabled(&h, "Forgot password"), "other tabs wait too");
    click(&mut h, "Cancel");
    wait_for_text(&mut h, "Cancelled.");
    assert!(is_enabled(&h, "Sign in with the browser"));
    assert!(!shows(&h, "Finish signing in in your browser."));
    assert!(!shows(&h, "/oidc/auth?"));
    assert!(!h.state().is_busy());
}

#[test]
fn a_browser_that_does_not_open_leaves_a_link_to_copy_and_signing_in_there_still_works() {
    let mut h = window();
    h.state_mut()
        .set_browser_opener(|_url: &str| Err("no browser on this test machine".to_owned()));
    click(&mut h, "Sign in with the browser");
    wait_for_text(
        &mut h,
        "Your browser did not open. Go to this address in a browser:",
    );
    wait_for_text(&mut h, "/oidc/auth?");
    let url = link_shown(&h);
    h.get_by_label("Copy link").click();
    let copied = egui::OutputCommand::CopyText(url.clone());
    step_until(&mut h, "the link on the clipboard", |h| {
        h.output().platform_output.commands.contains(&copied)
    });
    // The user pastes it into a browser; the sign-in was waiting all along.
    let page = play_browser(&url, true);
    assert!(page.body.contains("You are signed in"), "{}", page.body);
    wait_for_text(&mut h, "Signed in as alice@example.com");
}

#[test]
fn a_browser_sign_in_nobody_finishes_is_shown_as_timed_out() {
    let mut h = window();
    let (opener, _urls) = browser_left_alone();
    h.state_mut().set_browser_opener(opener);
    h.state_mut()
        .set_browser_timeout(Duration::from_millis(200));
    click(&mut h, "Sign in with the browser");
    wait_for_text(
        &mut h,
        "The sign-in in the browser was not finished in time. Try again.",
    );
    assert!(is_enabled(&h, "Sign in with the browser"));
    assert!(!shows(&h, "Signed in as"));
}

#[test]
fn an_opener_that_fails_outright_ends_the_sign_in_with_words_for_the_browser() {
    let mut h = window();
    // The SDK ends the sign-in when its opener panics (a bug in an opener, not a browser
    // that did not open: the window's opener reports that and keeps waiting).
    h.state_mut()
        .set_browser_opener(|_url: &str| panic!("this test's opener fails on purpose"));
    click(&mut h, "Sign in with the browser");
    wait_for_text(&mut h, "The browser could not be opened.");
    assert!(is_enabled(&h, "Sign in with the browser"));
    assert!(!shows(&h, "/oidc/auth?"));
}

// ---- the signed-in page: profile, authenticator, sign-in history ------------------------

/// Signs the demo user in by password, through the window.
fn sign_in_as_demo(h: &mut Harness<'_, AccountApp>) {
    sign_in_with_password(h);
    wait_for_text(h, "Signed in as alice@example.com");
}

/// Types the demo user's email and password (over what the fields hold) and clicks
/// "Sign in".
fn sign_in_with_password(h: &mut Harness<'_, AccountApp>) {
    replace_text(h, "Email", DEMO_EMAIL);
    replace_text(h, "Password", DEMO_PASSWORD);
    click(h, "Sign in");
}

/// Replaces what the field `label` holds with `text`, as a user does: select all, type.
fn replace_text(h: &mut Harness<'_, AccountApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(1);
}

#[test]
fn editing_the_profile_saves_it_and_a_fresh_get_profile_sees_it() {
    let mut h = window();
    sign_in_as_demo(&mut h);
    assert!(
        shows(&h, "Avatar AL") || shows(&h, "Avatar A"),
        "the initials badge"
    );
    replace_text(&mut h, "Nickname", "Alice Liddell");
    type_into(&mut h, "City", "Oxford");
    type_into(&mut h, "Company", "Wonderland Ltd");
    click(&mut h, "Save changes");
    wait_for_text(&mut h, "Your profile was saved.");
    // The header shows the new name; the server has it (a fresh read, not the window's copy).
    assert!(shows(&h, "Alice Liddell"));
    let fresh = h.state().client().get_profile_blocking(false, false, false);
    let user = fresh.user_info().expect("get_profile answers the user");
    assert_eq!(user.nickname(), Some("Alice Liddell"));
    assert_eq!(user.data()["city"], "Oxford");
    assert_eq!(user.data()["company"], "Wonderland Ltd");
    // Saving again with nothing changed sends nothing.
    click(&mut h, "Save changes");
    wait_for_text(&mut h, "Nothing changed: there is nothing to save.");
    assert!(!h.state().is_busy());
}

#[test]
fn the_profile_form_takes_the_full_profile_when_it_arrives_after_the_sign_in() {
    let mut h = window();
    // The company is on the server (saved in another session), not in the id_token's
    // claims: the page first shows the claims' user, then the full profile the SDK fetches
    // after the sign-in's callback.
    let other = {
        let emu = h.state().emulator().expect("the demo emulator");
        AuthClient::builder()
            .app_id(emu.app_id())
            .app_host(emu.base_url())
            .build()
            .unwrap()
    };
    let signed_in = other.sign_in_by_email_password_blocking(DEMO_EMAIL, DEMO_PASSWORD, None);
    assert!(signed_in.is_success(), "{}", signed_in.status_code());
    let mut profile = authing::Profile::new();
    profile.set_company("Wonderland Ltd");
    let saved = other.update_profile_blocking(profile);
    assert!(saved.is_success(), "{}", saved.status_code());
    sign_in_as_demo(&mut h);
    step_until(
        &mut h,
        "the company of the full profile in its field",
        |h| {
            h.get_by_label("Company")
                .accesskit_node()
                .value()
                .as_deref()
                == Some("Wonderland Ltd")
        },
    );
}

/// Enrols an authenticator app for the demo user and turns its MFA on, as the user would
/// have in another session (a client of its own); the authenticator's secret.
fn demo_user_with_an_authenticator(emu: &authing::emulator::Emulator) -> String {
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap();
    let signed_in = client.sign_in_by_email_password_blocking(DEMO_EMAIL, DEMO_PASSWORD, None);
    assert!(signed_in.is_success(), "{}", signed_in.status_code());
    let enrolment = client
        .send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new())
        .enroll_factor_request_data()
        .expect("an enrolment");
    let secret = enrolment.otp_data().unwrap().secret().unwrap().to_owned();
    let code = authing::totp::generate(&secret, emu.now()).unwrap();
    let enrolled =
        client.enroll_factor_blocking(FactorType::OTP, enrolment.enrollment_token(), &code);
    assert!(enrolled.is_success(), "{}", enrolled.status_code());
    emu.set_user_mfa(DEMO_EMAIL, true).unwrap();
    // The next code, not the one the enrolment used.
    emu.advance_clock(Duration::from_secs(30));
    secret
}

#[test]
fn a_sign_in_that_asks_for_a_second_step_takes_the_authenticator_code() {
    let mut h = window();
    let secret = demo_user_with_an_authenticator(h.state().emulator().unwrap());
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", DEMO_PASSWORD);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Two-step verification");
    assert!(!shows(&h, "Signed in as"), "not signed in yet");
    assert!(h.state().client().get_current_user().is_none());
    // A wrong code: words, and the step stays for another try.
    let code = authing::totp::generate(&secret, h.state().emulator().unwrap().now()).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    type_into(&mut h, "Authenticator code", wrong);
    click(&mut h, "Verify");
    wait_for_text(&mut h, "That authenticator code is not right.");
    assert!(shows(&h, "Two-step verification"));
    type_into(&mut h, "Authenticator code", &code);
    click(&mut h, "Verify");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    assert!(!shows(&h, "Two-step verification"));
}

#[test]
fn a_recovery_code_also_takes_the_second_step_and_the_next_one_is_shown() {
    let mut h = window();
    demo_user_with_an_authenticator(h.state().emulator().unwrap());
    let recovery = h.state().emulator().unwrap().mfa_factors(DEMO_EMAIL)[0]
        .recovery_code
        .clone()
        .expect("the authenticator's recovery code");
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", DEMO_PASSWORD);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Two-step verification");
    click(&mut h, "Use a recovery code instead");
    type_into(&mut h, "Recovery code", &recovery);
    click(&mut h, "Verify");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    let next = h.state().emulator().unwrap().mfa_factors(DEMO_EMAIL)[0]
        .recovery_code
        .clone()
        .unwrap();
    assert_ne!(next, recovery, "a recovery code works once");
    assert!(shows(&h, "Your new recovery code"));
    assert!(shows(&h, &next), "the next recovery code is shown");
}

#[test]
fn setting_up_an_authenticator_shows_its_key_and_the_apps_code_confirms_it() {
    let mut h = window();
    sign_in_as_demo(&mut h);
    click(&mut h, "Security");
    wait_for_text(&mut h, "Not set up");
    click(&mut h, "Set up an authenticator app");
    wait_for_text(&mut h, "otpauth://");
    assert!(shows(&h, "Authenticator QR code"), "the QR code is drawn");
    // The user reads the key (or scans the URI) into the app: the test plays the app.
    let uri = text_of(&h.query_by_label_contains("otpauth://").unwrap());
    let secret = uri
        .split(['?', '&'])
        .find_map(|part| part.strip_prefix("secret="))
        .expect("the URI has the secret")
        .to_owned();
    assert!(shows(&h, &secret), "the key is shown as text too");
    let code = authing::totp::generate(&secret, h.state().emulator().unwrap().now()).unwrap();
    type_into(&mut h, "Code from the app", &code);
    click(&mut h, "Confirm");
    wait_for_text(&mut h, "The authenticator app is set up.");
    step_until(&mut h, "the authenticator listed as on", |h| {
        h.query_by_label("On").is_some() && !shows(h, "Set up an authenticator app")
    });
    let factors = h.state().emulator().unwrap().mfa_factors(DEMO_EMAIL);
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].secret.as_deref(), Some(secret.as_str()));

    // The next sign-in asks for the app's code (the demo user's MFA switch is on).
    click(&mut h, "Sign out");
    wait_for_text(&mut h, "You are signed out.");
    sign_in_with_password(&mut h);
    wait_for_text(&mut h, "Two-step verification");
    let emu = h.state().emulator().unwrap();
    emu.advance_clock(Duration::from_secs(30));
    let code = authing::totp::generate(&secret, emu.now()).unwrap();
    type_into(&mut h, "Authenticator code", &code);
    click(&mut h, "Verify");
    wait_for_text(&mut h, "Signed in as alice@example.com");
}

#[test]
fn the_sign_in_history_lists_this_sign_in_and_the_failed_one_before_it() {
    let mut h = window();
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", "not-the-password");
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "The account or password is not right.");
    h.get_by_label("Password").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Password").type_text(DEMO_PASSWORD);
    h.run_steps(1);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    click(&mut h, "Sign-in history");
    wait_for_text(&mut h, "Sign-ins in all:");
    assert!(shows(&h, "Sign-ins in all: 2"));
    assert!(h.query_by_label("Signed in").is_some(), "this sign-in");
    assert!(h.query_by_label("Failed").is_some(), "the wrong password");
    assert_eq!(h.query_all_by_label("127.0.0.1").count(), 2, "where from");
    assert!(
        shows(&h, "Devices: the SDK cannot list"),
        "no made-up devices"
    );
}

#[test]
fn the_window_follows_the_system_theme() {
    // On its own context: the harness sets a theme of its own for its pictures.
    let ctx = egui::Context::default();
    let preference = authing_gui::apply_look(&ctx);
    assert_eq!(preference, ctx.options(|o| o.theme_preference));
    if std::env::var_os(authing_gui::THEME_ENV).is_none() {
        assert_eq!(preference, egui::ThemePreference::System);
    }
}

#[test]
fn a_second_step_that_waited_too_long_sends_back_to_the_sign_in() {
    let mut h = window();
    let secret = demo_user_with_an_authenticator(h.state().emulator().unwrap());
    sign_in_with_password(&mut h);
    wait_for_text(&mut h, "Two-step verification");
    // The challenge's mfaToken lasts 10 minutes (the emulator's default).
    let emu = h.state().emulator().unwrap();
    emu.advance_clock(authing::emulator::DEFAULT_MFA_TOKEN_TTL + Duration::from_secs(1));
    let code = authing::totp::generate(&secret, emu.now()).unwrap();
    type_into(&mut h, "Authenticator code", &code);
    click(&mut h, "Verify");
    wait_for_text(
        &mut h,
        "The sign-in waited too long for its second step. Sign in again.",
    );
    assert!(!shows(&h, "Two-step verification"));
    assert!(is_enabled(&h, "Sign in"), "back on the sign-in page");
}

#[test]
fn removing_the_authenticator_ends_the_second_step() {
    let mut h = window();
    let secret = demo_user_with_an_authenticator(h.state().emulator().unwrap());
    sign_in_with_password(&mut h);
    wait_for_text(&mut h, "Two-step verification");
    let code = authing::totp::generate(&secret, h.state().emulator().unwrap().now()).unwrap();
    type_into(&mut h, "Authenticator code", &code);
    click(&mut h, "Verify");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    click(&mut h, "Security");
    wait_for_text(&mut h, "Remove");
    assert!(h.query_by_label("On").is_some());
    click(&mut h, "Remove");
    wait_for_text(&mut h, "The authenticator app was removed");
    wait_for_text(&mut h, "Set up an authenticator app");
    assert!(h
        .state()
        .emulator()
        .unwrap()
        .mfa_factors(DEMO_EMAIL)
        .is_empty());
    click(&mut h, "Sign out");
    wait_for_text(&mut h, "You are signed out.");
    sign_in_as_demo(&mut h);
}

#[test]
fn a_session_revoked_on_another_device_signs_the_window_out_at_once() {
    let mut h = window();
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", DEMO_PASSWORD);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    step_until(&mut h, "the window listening to the event stream", |h| {
        h.state().is_listening()
            && h.state()
                .emulator()
                .is_some_and(|e| e.event_subscribers() == 1)
    });
    // The phone, another device of the same user, signs the window's device out.
    let emulator = h.state().emulator().expect("the emulator");
    let phone = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .device_id("alices-phone")
        .build()
        .unwrap();
    phone
        .sign_in_by_email_password_blocking(DEMO_EMAIL, DEMO_PASSWORD, None)
        .into_result()
        .expect("the phone signs in");
    let window_device = h.state().client().device_id().expect("a device id");
    phone
        .revoke_blocking(&window_device)
        .into_result()
        .expect("the phone signs the window out");
    wait_for_text(&mut h, "You were signed out on another device.");
    assert!(shows(&h, "Forgot password"), "back on the sign-in page");
    assert!(!h.state().is_listening());
    assert!(h.state().client().get_current_user().is_none());
}

#[test]
fn signing_out_here_is_not_taken_for_another_device() {
    let mut h = window();
    type_into(&mut h, "Email", DEMO_EMAIL);
    type_into(&mut h, "Password", DEMO_PASSWORD);
    click(&mut h, "Sign in");
    wait_for_text(&mut h, "Signed in as alice@example.com");
    step_until(&mut h, "the window listening", |h| h.state().is_listening());
    click(&mut h, "Sign out");
    wait_for_text(&mut h, "You are signed out.");
    assert!(!shows(&h, "another device"));
}
