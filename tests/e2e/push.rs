//! Push sign-in end to end, the SDK against the emulator: the desktop polls while the
//! phone (the emulator's admin, or a second SDK client signed in as the user) approves or
//! refuses; expiry on the emulator clock; cancellation through the handle; the relation
//! apps; where the status updates run.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{self, DEADLINE, QUIET};
use authing::emulator::{Emulator, NewUser, PUSH_CODE_TTL};
use authing::{
    codes, AuthClient, AuthError, AuthResponse, PushCodeAction, PushCodeStatus, PushCodeUpdate,
    PushSignInOptions,
};

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
const PASSWORD: &str = "secret-123";

/// An emulator with Alice and Bob, and a desktop client.
fn setup() -> (Emulator, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(ALICE, PASSWORD))
        .expect("alice");
    emu.add_user(NewUser::with_email(BOB, PASSWORD))
        .expect("bob");
    let client = common::client_at(emu.base_url());
    (emu, client)
}

/// Polls every 50 ms, so a test waits little for each check.
fn fast() -> PushSignInOptions {
    let mut options = PushSignInOptions::new();
    options.set_interval(Duration::from_millis(50));
    options
}

fn next(updates: &Receiver<PushCodeUpdate>) -> PushCodeUpdate {
    updates
        .recv_timeout(DEADLINE)
        .expect("a status update in time")
}

fn quiet<T: std::fmt::Debug>(rx: &Receiver<T>, what: &str) {
    match rx.recv_timeout(QUIET) {
        Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        Ok(extra) => panic!("an extra {what}: {extra:?}"),
    }
}

/// Starts the desktop flow for `account`; the updates and the one answer arrive on
/// channels.
fn start(
    client: &AuthClient,
    account: &str,
    options: PushSignInOptions,
) -> (
    authing::RequestHandle,
    Receiver<PushCodeUpdate>,
    Receiver<AuthResponse>,
) {
    let (tx, updates) = mpsc::channel();
    let (done, answers) = mpsc::channel();
    let handle = client.sign_in_by_push(
        account,
        options,
        move |update: PushCodeUpdate| {
            let _ = tx.send(update);
        },
        done,
    );
    (handle, updates, answers)
}

#[test]
fn the_desktop_reports_each_state_once_in_order_and_signs_in_when_the_phone_approves() {
    let (emu, desktop) = setup();
    let (handle, updates, answers) = start(&desktop, ALICE, fast());

    let pushed = next(&updates);
    assert_eq!(pushed.status(), PushCodeStatus::PUSHED);
    assert_eq!(pushed.push_code().expire_time(), PUSH_CODE_TTL);
    let id = pushed.push_code().push_code_id().to_string();
    let waiting = emu
        .pending_push_code(ALICE)
        .expect("alice's phone shows it");
    assert_eq!(waiting.push_code_id, id);
    // Several checks answer PUSHED meanwhile; the listener hears it once.
    quiet(&updates, "update while nobody answered");
    assert!(
        desktop.get_current_user().is_none(),
        "not before the approval"
    );

    emu.change_push_code_status(&id, PushCodeAction::CONFIRM)
        .unwrap();
    assert_eq!(next(&updates).status(), PushCodeStatus::AUTHORIZED);
    let answer = answers.recv_timeout(DEADLINE).expect("the answer");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert!(answer.login_token_data().unwrap().refresh_token().is_some());
    quiet(&updates, "update");
    quiet(&answers, "answer");
    handle.join().unwrap();

    let alice = emu.user_state(ALICE).unwrap();
    assert_eq!(desktop.get_current_user().unwrap().user_id(), alice.user_id);
    assert!(emu.push_code(&id).unwrap().tokens_handed_over);
    let profile = desktop.get_profile_blocking(false, false, false);
    assert_eq!(
        profile.user_info().unwrap().user_id(),
        alice.user_id,
        "the session's bearer is alice's"
    );
}

#[test]
fn a_phone_signed_in_with_the_sdk_checks_the_relation_apps_and_approves() {
    let (emu, desktop) = setup();
    let phone = common::client_at(emu.base_url());
    let signed_in = phone.sign_in_by_email_password_blocking(BOB, PASSWORD, None);
    assert_eq!(signed_in.status_code(), 200, "{signed_in:?}");

    let (_handle, updates, answers) = start(&desktop, BOB, fast());
    let id = next(&updates).push_code().push_code_id().to_string();
    let apps = phone
        .get_push_login_relation_apps_blocking(&id, emu.app_id())
        .push_login_relation_apps()
        .unwrap();
    assert_eq!(apps, [emu.app_id()], "the app is related to itself");

    let (tx, approved) = mpsc::channel();
    let confirm = phone.change_push_code_status(&id, PushCodeAction::CONFIRM, tx);
    let approval = approved.recv_timeout(DEADLINE).unwrap();
    assert_eq!(approval.status_code(), 200, "{approval:?}");
    assert!(approval.data().is_none(), "CommonResponseDto has no data");
    confirm.join().unwrap();
    assert_eq!(next(&updates).status(), PushCodeStatus::AUTHORIZED);
    assert_eq!(answers.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    assert_eq!(desktop.get_current_user().unwrap().email(), Some(BOB));
    assert_eq!(
        phone.get_current_user().unwrap().email(),
        Some(BOB),
        "the phone stays signed in"
    );
}

#[test]
fn the_phone_refusing_ends_the_flow_with_10020_and_one_answer() {
    let (emu, desktop) = setup();
    let phone = common::client_at(emu.base_url());
    assert_eq!(
        phone
            .sign_in_by_email_password_blocking(ALICE, PASSWORD, None)
            .status_code(),
        200
    );
    let (_handle, updates, answers) = start(&desktop, ALICE, fast());
    let id = next(&updates).push_code().push_code_id().to_string();
    let refused = phone.change_push_code_status_blocking(&id, PushCodeAction::CANCEL);
    assert_eq!(refused.status_code(), 200, "{refused:?}");
    assert_eq!(next(&updates).status(), PushCodeStatus::CANCELLED);
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::PUSH_NOT_AUTHORIZED);
    assert_eq!(
        answer.error().unwrap().to_string(),
        "push sign-in not authorized (CANCELLED): the user refused on the phone"
    );
    assert_eq!(answer.data().unwrap()["status"], "CANCELLED");
    assert!(desktop.get_current_user().is_none());
    quiet(&answers, "answer");
    quiet(&updates, "update");
    let again = phone.change_push_code_status_blocking(&id, PushCodeAction::CONFIRM);
    assert_eq!((again.status_code(), again.api_code()), (400, 2372));
}

#[test]
fn a_push_nobody_answers_expires_on_the_emulator_clock_and_the_answer_says_so() {
    let (emu, desktop) = setup();
    let (_handle, updates, answers) = start(&desktop, ALICE, fast());
    let id = next(&updates).push_code().push_code_id().to_string();
    emu.advance_clock(PUSH_CODE_TTL);
    assert_eq!(next(&updates).status(), PushCodeStatus::EXPIRED);
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert!(matches!(
        answer.error(),
        Some(AuthError::PushNotAuthorized {
            status: PushCodeStatus::EXPIRED,
            ..
        })
    ));
    assert_eq!(
        answer.error().unwrap().to_string(),
        "push sign-in not authorized (EXPIRED): the push expired before the user approved it"
    );
    assert_eq!(
        answer.message(),
        "推送登录未获授权（EXPIRED）：推送在用户同意前已过期",
        "the client's language, zh-CN by default"
    );
    assert!(desktop.get_current_user().is_none());
    let late = emu.change_push_code_status(&id, PushCodeAction::CONFIRM);
    assert!(late.unwrap_err().to_string().contains("expired"));
    quiet(&updates, "update");
    quiet(&answers, "answer");
}

#[test]
fn cancelling_mid_poll_stops_the_checks_at_once_and_answers_once_with_the_cancellation() {
    let (emu, desktop) = setup();
    let (handle, updates, answers) = start(&desktop, ALICE, fast());
    let id = next(&updates).push_code().push_code_id().to_string();
    // Mid-poll: let a few checks go by first.
    let polling = emu.stats().requests;
    let deadline = Instant::now() + DEADLINE;
    while emu.stats().requests < polling + 3 {
        assert!(Instant::now() < deadline, "the desktop polls");
        // The flow is still running (this wait is also the pause between two looks).
        assert!(!handle.wait_timeout(Duration::from_millis(20)));
    }
    assert!(handle.cancel());
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::CANCELLED);
    assert!(handle.wait_timeout(DEADLINE));
    quiet(&answers, "answer");
    let settled = emu.stats().requests;
    quiet(&updates, "update");
    assert_eq!(emu.stats().requests, settled, "the polling went on");
    // Approving now signs nobody in on this desktop, and nobody collects the tokens.
    emu.change_push_code_status(&id, PushCodeAction::CONFIRM)
        .unwrap();
    quiet(&updates, "update");
    assert!(desktop.get_current_user().is_none());
    assert!(!emu.push_code(&id).unwrap().tokens_handed_over);
}

#[test]
fn an_unknown_account_gets_one_answer_and_no_update() {
    let (emu, desktop) = setup();
    let (_handle, updates, answers) = start(&desktop, "nobody@example.com", fast());
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!((answer.status_code(), answer.api_code()), (404, 2004));
    quiet(&updates, "update");
    quiet(&answers, "answer");
    assert!(emu.push_codes().is_empty());
}

#[test]
fn updates_and_then_the_answer_go_through_the_callback_executor_in_order() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_email(ALICE, PASSWORD)).unwrap();
    let (to_ui, ui_tasks) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
    let to_ui = Mutex::new(to_ui);
    let desktop = common::builder_at(emu.base_url())
        .callback_executor(move |task| {
            let _ = to_ui.lock().unwrap().send(task);
        })
        .build()
        .unwrap();
    let ui = thread::current().id();
    let (events_tx, events) = mpsc::channel::<(String, thread::ThreadId)>();
    let done_tx = events_tx.clone();
    let _handle = desktop.sign_in_by_push(
        ALICE,
        fast(),
        move |update: PushCodeUpdate| {
            let line = format!("{} {}", update.status(), update.push_code().push_code_id());
            let _ = events_tx.send((line, thread::current().id()));
        },
        move |response: AuthResponse| {
            let _ = done_tx.send((
                format!("done {}", response.status_code()),
                thread::current().id(),
            ));
        },
    );
    let mut seen = Vec::new();
    while !seen.iter().any(|s: &String| s.starts_with("done")) {
        let task = ui_tasks
            .recv_timeout(DEADLINE)
            .expect("a task for the ui thread");
        task();
        while let Ok((line, thread)) = events.try_recv() {
            assert_eq!(thread, ui, "{line} ran off the ui thread");
            if let Some(id) = line.strip_prefix("PUSHED ") {
                emu.change_push_code_status(id, PushCodeAction::CONFIRM)
                    .unwrap();
            }
            seen.push(line.split(' ').next().unwrap().to_string());
        }
    }
    assert_eq!(seen, ["PUSHED", "AUTHORIZED", "done"]);
}

#[test]
fn a_listener_that_panics_is_reported_and_the_sign_in_goes_on() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_email(ALICE, PASSWORD)).unwrap();
    let (report_tx, reports) = mpsc::channel::<String>();
    let report_tx = Mutex::new(report_tx);
    let desktop = common::builder_at(emu.base_url())
        .reporter(move |line: &str| {
            let _ = report_tx.lock().unwrap().send(line.to_string());
        })
        .build()
        .unwrap();
    let (tx, updates) = mpsc::channel();
    let (done, answers) = mpsc::channel();
    let _handle = desktop.sign_in_by_push(
        ALICE,
        fast(),
        move |update: PushCodeUpdate| {
            if update.status() == PushCodeStatus::PUSHED {
                panic!("the window is gone");
            }
            let _ = tx.send(update.status());
        },
        done,
    );
    assert_eq!(
        reports.recv_timeout(DEADLINE).unwrap(),
        "a push status listener panicked: the window is gone"
    );
    emu.answer_pending_push(ALICE, PushCodeAction::CONFIRM)
        .unwrap();
    assert_eq!(
        updates.recv_timeout(DEADLINE).unwrap(),
        PushCodeStatus::AUTHORIZED
    );
    assert_eq!(answers.recv_timeout(DEADLINE).unwrap().status_code(), 200);
}

#[test]
fn the_push_options_reach_the_server_and_the_custom_data_lands_on_the_user() {
    let (emu, desktop) = setup();
    let mut auth = authing::AuthOptions::new();
    auth.set_custom_data(serde_json::json!({"device": "desk-7"}));
    let mut options = fast();
    options.set_auth_options(auth);
    let answer = desktop.sign_in_by_push_blocking(ALICE, options, |update: PushCodeUpdate| {
        if update.status() == PushCodeStatus::PUSHED {
            emu.change_push_code_status(update.push_code().push_code_id(), PushCodeAction::CONFIRM)
                .unwrap();
        }
    });
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    let profile = desktop.get_profile_blocking(true, false, false);
    assert_eq!(
        profile.data().unwrap()["customData"]["device"],
        "desk-7",
        "{profile:?}"
    );
}

#[test]
fn the_qr_and_the_push_flows_run_side_by_side_on_one_client() {
    use authing::{Action, QrCodeSignInOptions, QrCodeStatus, QrCodeUpdate};
    let (emu, desktop) = setup();
    let mut qr_options = QrCodeSignInOptions::new();
    qr_options.set_interval(Duration::from_millis(50));
    let (qr_tx, qr_updates) = mpsc::channel();
    let (qr_done, qr_answers) = mpsc::channel();
    let qr = desktop.sign_in_by_qr_code(
        qr_options,
        move |u: QrCodeUpdate| {
            let _ = qr_tx.send(u);
        },
        qr_done,
    );
    let (push, updates, answers) = start(&desktop, ALICE, fast());
    let code = qr_updates.recv_timeout(DEADLINE).unwrap();
    assert_eq!(code.status(), QrCodeStatus::PENDING);
    assert_eq!(next(&updates).status(), PushCodeStatus::PUSHED);
    // The push wins; the user then dismisses the QR code.
    emu.answer_pending_push(ALICE, PushCodeAction::CONFIRM)
        .unwrap();
    assert_eq!(answers.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    assert!(qr.cancel());
    assert_eq!(
        qr_answers.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::CANCELLED
    );
    push.join().unwrap();
    emu.change_qr_code_status(code.qr_code().qrcode_id(), ALICE, Action::SCAN)
        .unwrap();
    quiet(&qr_updates, "qr update after cancel()");
    assert_eq!(desktop.get_current_user().unwrap().email(), Some(ALICE));
}
