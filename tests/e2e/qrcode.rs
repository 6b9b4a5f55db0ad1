//! QR-code sign-in end to end, the SDK against the emulator: the desktop polls while the
//! phone (the emulator's admin, or a second SDK client signed in as the phone's user) scans,
//! confirms or cancels; expiry on the emulator clock; cancellation through the handle; the
//! single-use ticket; and where the status updates run.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

use crate::common::{self, DEADLINE, QUIET};
use authing::emulator::{Emulator, NewUser, QR_CODE_TTL};
use authing::{
    codes, Action, AuthClient, AuthError, AuthResponse, QrCodeSignInOptions, QrCodeStatus,
    QrCodeUpdate,
};

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
const PASSWORD: &str = "secret-123";

/// An emulator with Alice (nickname "Alice", a photo) and Bob, and a desktop client.
fn setup() -> (Emulator, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(
        NewUser::with_email(ALICE, PASSWORD)
            .nickname("Alice")
            .photo("https://example.com/alice.png"),
    )
    .expect("alice");
    emu.add_user(NewUser::with_email(BOB, PASSWORD))
        .expect("bob");
    let client = client_of(&emu);
    (emu, client)
}

fn client_of(emu: &Emulator) -> AuthClient {
    common::client_at(emu.base_url())
}

/// Polls every 50 ms, so a test waits little for each check.
fn fast() -> QrCodeSignInOptions {
    let mut options = QrCodeSignInOptions::new();
    options.set_interval(Duration::from_millis(50));
    options
}

fn next(updates: &Receiver<QrCodeUpdate>) -> QrCodeUpdate {
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

/// Starts the desktop flow; the updates and the one answer arrive on channels.
fn start(
    client: &AuthClient,
    options: QrCodeSignInOptions,
) -> (
    authing::RequestHandle,
    Receiver<QrCodeUpdate>,
    Receiver<AuthResponse>,
) {
    let (tx, updates) = mpsc::channel();
    let (done, answers) = mpsc::channel();
    let handle = client.sign_in_by_qr_code(
        options,
        move |update: QrCodeUpdate| {
            let _ = tx.send(update);
        },
        done,
    );
    (handle, updates, answers)
}

#[test]
fn the_desktop_reports_each_change_once_in_order_and_signs_in_when_the_phone_confirms() {
    let (emu, desktop) = setup();
    let (handle, updates, answers) = start(&desktop, fast());

    let pending = next(&updates);
    assert_eq!(pending.status(), QrCodeStatus::PENDING);
    let id = pending.qr_code().qrcode_id().to_string();
    assert_eq!(pending.qr_code().content(), id);
    assert_eq!(emu.qr_code(&id).unwrap().status, QrCodeStatus::PENDING);

    emu.change_qr_code_status(&id, ALICE, Action::SCAN).unwrap();
    let scanned = next(&updates);
    assert_eq!(scanned.status(), QrCodeStatus::SCANNED);
    assert_eq!(scanned.display_name(), Some("Alice"));
    assert_eq!(scanned.photo(), Some("https://example.com/alice.png"));
    assert!(
        desktop.get_current_user().is_none(),
        "not before the confirm"
    );

    emu.change_qr_code_status(&id, ALICE, Action::CONFIRM)
        .unwrap();
    assert_eq!(next(&updates).status(), QrCodeStatus::AUTHORIZED);
    let answer = answers.recv_timeout(DEADLINE).expect("the answer");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert!(answer.login_token_data().unwrap().refresh_token().is_some());
    quiet(&updates, "update");
    quiet(&answers, "answer");
    handle.join().unwrap();

    let alice = emu.user_state(ALICE).unwrap();
    assert_eq!(desktop.get_current_user().unwrap().user_id(), alice.user_id);
    assert!(emu.qr_code(&id).unwrap().ticket_used);
    assert_eq!(
        desktop
            .get_profile_blocking(false, false, false)
            .user_info()
            .unwrap()
            .user_id(),
        alice.user_id,
        "the session's bearer is alice's"
    );
}

#[test]
fn a_phone_signed_in_with_the_sdk_scans_and_confirms_and_the_desktop_signs_in_as_that_user() {
    let (emu, desktop) = setup();
    let phone = client_of(&emu);
    let signed_in = phone.sign_in_by_email_password_blocking(BOB, PASSWORD, None);
    assert_eq!(signed_in.status_code(), 200, "{signed_in:?}");

    let (_handle, updates, answers) = start(&desktop, fast());
    let id = next(&updates).qr_code().qrcode_id().to_string();
    let scan = phone.change_qr_code_status_blocking(&id, Action::SCAN);
    assert_eq!(scan.status_code(), 200, "{scan:?}");
    assert!(scan.data().is_none(), "CommonResponseDto has no data");
    assert_eq!(next(&updates).display_name(), Some(BOB));

    let (tx, confirmed) = mpsc::channel();
    let confirm = phone.change_qr_code_status(&id, Action::CONFIRM, tx);
    assert_eq!(confirmed.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    confirm.join().unwrap();
    assert_eq!(next(&updates).status(), QrCodeStatus::AUTHORIZED);
    assert_eq!(answers.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    assert_eq!(
        desktop.get_current_user().unwrap().email(),
        Some(BOB),
        "the desktop is bob's now"
    );
    assert_eq!(
        phone.get_current_user().unwrap().email(),
        Some(BOB),
        "the phone stays signed in"
    );
}

#[test]
fn a_code_nobody_confirms_expires_on_the_emulator_clock_and_the_answer_says_so() {
    let (emu, desktop) = setup();
    let (_handle, updates, answers) = start(&desktop, fast());
    let id = next(&updates).qr_code().qrcode_id().to_string();
    emu.change_qr_code_status(&id, ALICE, Action::SCAN).unwrap();
    assert_eq!(next(&updates).status(), QrCodeStatus::SCANNED);

    emu.advance_clock(QR_CODE_TTL);
    assert_eq!(next(&updates).status(), QrCodeStatus::EXPIRED);
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::QR_CODE_NOT_AUTHORIZED);
    assert!(matches!(
        answer.error(),
        Some(AuthError::QrCodeNotAuthorized {
            status: QrCodeStatus::EXPIRED,
            ..
        })
    ));
    assert_eq!(
        answer.error().unwrap().to_string(),
        "qr code sign-in not authorized (EXPIRED): the qr code expired before the user confirmed it"
    );
    assert_eq!(answer.data().unwrap()["status"], "EXPIRED");
    assert!(desktop.get_current_user().is_none());
    let late = emu.change_qr_code_status(&id, ALICE, Action::CONFIRM);
    assert!(late.unwrap_err().to_string().contains("expired"));
    quiet(&updates, "update");
}

#[test]
fn a_code_cancelled_on_the_phone_ends_the_flow_with_the_cancelled_status() {
    let (emu, desktop) = setup();
    let (_handle, updates, answers) = start(&desktop, fast());
    let id = next(&updates).qr_code().qrcode_id().to_string();
    emu.change_qr_code_status(&id, ALICE, Action::SCAN).unwrap();
    assert_eq!(next(&updates).status(), QrCodeStatus::SCANNED);
    emu.change_qr_code_status(&id, ALICE, Action::CANCEL)
        .unwrap();
    let cancelled = next(&updates);
    assert_eq!(cancelled.status(), QrCodeStatus::CANCELLED);
    assert_eq!(cancelled.display_name(), Some("Alice"));
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), 10018);
    assert!(answer
        .error()
        .unwrap()
        .to_string()
        .contains("the user cancelled on the phone"));
    assert!(desktop.get_current_user().is_none());
    quiet(&answers, "answer");
}

#[test]
fn cancelling_the_handle_stops_the_polling_and_answers_once_with_the_cancellation() {
    let (emu, desktop) = setup();
    let (handle, updates, answers) = start(&desktop, fast());
    let id = next(&updates).qr_code().qrcode_id().to_string();
    assert!(handle.cancel());
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::CANCELLED);
    assert!(handle.wait_timeout(DEADLINE));
    // A check that was on the wire when the cancel came has landed by now; after it,
    // nothing more is sent.
    quiet(&answers, "answer");
    let settled = emu.stats().requests;
    quiet(&updates, "update");
    assert_eq!(emu.stats().requests, settled, "the polling went on");
    // The phone's confirm now signs nobody in on this desktop.
    emu.change_qr_code_status(&id, ALICE, Action::SCAN).unwrap();
    emu.change_qr_code_status(&id, ALICE, Action::CONFIRM)
        .unwrap();
    quiet(&updates, "update");
    assert!(desktop.get_current_user().is_none());
    assert!(!emu.qr_code(&id).unwrap().ticket_used);
}

#[test]
fn a_replayed_ticket_is_refused_and_the_manual_calls_sign_in_once() {
    let (emu, desktop) = setup();
    let code = desktop.gene_qr_code_blocking(None).qr_code().unwrap();
    let pending = desktop.check_qr_code_status_blocking(code.qrcode_id());
    assert_eq!(
        pending.qr_code_state().unwrap().status(),
        QrCodeStatus::PENDING
    );
    emu.change_qr_code_status(code.qrcode_id(), ALICE, Action::SCAN)
        .unwrap();
    emu.change_qr_code_status(code.qrcode_id(), ALICE, Action::CONFIRM)
        .unwrap();
    let state = desktop
        .check_qr_code_status_blocking(code.qrcode_id())
        .qr_code_state()
        .unwrap();
    assert_eq!(state.status(), QrCodeStatus::AUTHORIZED);
    assert!(!format!("{state:?}").contains(state.ticket().unwrap()));
    let ticket = state.ticket().unwrap().to_string();

    let first = desktop.exchange_token_set_with_qr_code_blocking(&ticket, None, None);
    assert_eq!(first.status_code(), 200, "{first:?}");
    assert_eq!(desktop.get_current_user().unwrap().email(), Some(ALICE));
    let replay = desktop.exchange_token_set_with_qr_code_blocking(&ticket, None, None);
    assert_eq!(replay.status_code(), 400);
    assert_eq!(replay.api_code(), 2327, "{}", replay.message());
    let after = desktop
        .check_qr_code_status_blocking(code.qrcode_id())
        .qr_code_state()
        .unwrap();
    assert_eq!(after.status(), QrCodeStatus::AUTHORIZED);
    assert_eq!(
        after.ticket(),
        None,
        "a spent ticket is not handed out again"
    );
}

#[test]
fn another_users_confirm_is_refused_and_an_unknown_code_is_not_found() {
    let (emu, desktop) = setup();
    let code = desktop.gene_qr_code_blocking(None).qr_code().unwrap();
    emu.change_qr_code_status(code.qrcode_id(), ALICE, Action::SCAN)
        .unwrap();
    let bob = client_of(&emu);
    assert_eq!(
        bob.sign_in_by_email_password_blocking(BOB, PASSWORD, None)
            .status_code(),
        200
    );
    let refused = bob.change_qr_code_status_blocking(code.qrcode_id(), Action::CONFIRM);
    assert_eq!((refused.status_code(), refused.api_code()), (403, 2326));
    let missing = desktop.check_qr_code_status_blocking("qr-none");
    assert_eq!((missing.status_code(), missing.api_code()), (404, 2324));
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
    let _handle = desktop.sign_in_by_qr_code(
        fast(),
        move |update: QrCodeUpdate| {
            let line = format!("{} {}", update.status(), update.qr_code().qrcode_id());
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
            if let Some(id) = line.strip_prefix("PENDING ") {
                emu.change_qr_code_status(id, ALICE, Action::SCAN).unwrap();
                emu.change_qr_code_status(id, ALICE, Action::CONFIRM)
                    .unwrap();
            }
            seen.push(line.split(' ').next().unwrap().to_string());
        }
    }
    // The phone scans and confirms at once, so a check may or may not fall in between.
    seen.retain(|s| s != "SCANNED");
    assert_eq!(seen, ["PENDING", "AUTHORIZED", "done"]);
}

#[test]
fn an_update_already_handed_to_the_executor_is_not_shown_after_cancel() {
    let emu = Emulator::start().unwrap();
    let (to_ui, ui_tasks) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
    let to_ui = Mutex::new(to_ui);
    let desktop = common::builder_at(emu.base_url())
        .callback_executor(move |task| {
            let _ = to_ui.lock().unwrap().send(task);
        })
        .build()
        .unwrap();
    let (updates_tx, updates) = mpsc::channel::<QrCodeUpdate>();
    let (done, answers) = mpsc::channel::<AuthResponse>();
    let handle = desktop.sign_in_by_qr_code(
        fast(),
        move |update: QrCodeUpdate| {
            let _ = updates_tx.send(update);
        },
        done,
    );
    // The first update (the code, PENDING) is handed to the ui queue; the ui thread is
    // busy and runs it only after the user pressed Cancel.
    let first = ui_tasks
        .recv_timeout(DEADLINE)
        .expect("the first update is handed to the executor");
    assert!(handle.cancel());
    first();
    let answer = loop {
        if let Ok(answer) = answers.try_recv() {
            break answer;
        }
        let task = ui_tasks
            .recv_timeout(DEADLINE)
            .expect("the cancellation reaches the ui queue");
        task();
    };
    assert_eq!(answer.status_code(), codes::CANCELLED);
    quiet(&updates, "status update after cancel()");
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
    let _handle = desktop.sign_in_by_qr_code(
        fast(),
        move |update: QrCodeUpdate| {
            if update.status() == QrCodeStatus::PENDING {
                panic!("the window is gone");
            }
            let _ = tx.send(update.status());
        },
        done,
    );
    assert_eq!(
        reports.recv_timeout(DEADLINE).unwrap(),
        "a qr code status listener panicked: the window is gone"
    );
    let id = emu.qr_codes()[0].qrcode_id.clone();
    emu.change_qr_code_status(&id, ALICE, Action::SCAN).unwrap();
    assert_eq!(
        updates.recv_timeout(DEADLINE).unwrap(),
        QrCodeStatus::SCANNED
    );
    emu.change_qr_code_status(&id, ALICE, Action::CONFIRM)
        .unwrap();
    assert_eq!(answers.recv_timeout(DEADLINE).unwrap().status_code(), 200);
}

#[test]
fn the_blocking_twin_calls_its_listener_on_the_callers_thread_which_need_not_be_send() {
    let (emu, desktop) = setup();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&seen);
    let caller = thread::current().id();
    let answer = desktop.sign_in_by_qr_code_blocking(fast(), |update: QrCodeUpdate| {
        assert_eq!(thread::current().id(), caller);
        log.borrow_mut().push(update.status());
        if update.status() == QrCodeStatus::PENDING {
            let id = update.qr_code().qrcode_id();
            emu.change_qr_code_status(id, ALICE, Action::SCAN).unwrap();
            emu.change_qr_code_status(id, ALICE, Action::CONFIRM)
                .unwrap();
        }
    });
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert_eq!(
        *seen.borrow(),
        [QrCodeStatus::PENDING, QrCodeStatus::AUTHORIZED]
    );
    assert_eq!(desktop.get_current_user().unwrap().email(), Some(ALICE));
}

#[test]
fn options_out_of_range_are_refused_before_a_code_is_generated_with_one_answer() {
    let (emu, desktop) = setup();
    let mut options = QrCodeSignInOptions::new();
    options.set_interval(Duration::from_millis(1));
    let (_handle, updates, answers) = start(&desktop, options);
    let answer = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::INVALID_INPUT);
    assert_eq!(
        answer.error().unwrap().to_string(),
        "invalid input: interval must be from 50 ms to 60 s"
    );
    let mut options = QrCodeSignInOptions::new();
    options.set_custom_data(serde_json::json!(["not", "an", "object"]));
    let refused = desktop.sign_in_by_qr_code_blocking(options, |_| {});
    assert_eq!(
        refused.error().unwrap().to_string(),
        "invalid input: custom_data must be a json object"
    );
    quiet(&answers, "answer");
    quiet(&updates, "update");
    assert!(emu.qr_codes().is_empty());
    assert_eq!(emu.stats().requests, 0, "nothing reached the server");
}

#[test]
fn the_custom_data_of_a_code_is_stored_on_the_user_who_confirms() {
    let (emu, desktop) = setup();
    let mut options = fast();
    options.set_custom_data(serde_json::json!({"device": "desk-7"}));
    let answer = desktop.sign_in_by_qr_code_blocking(options, |update: QrCodeUpdate| {
        if update.status() == QrCodeStatus::PENDING {
            let id = update.qr_code().qrcode_id();
            emu.change_qr_code_status(id, ALICE, Action::SCAN).unwrap();
            emu.change_qr_code_status(id, ALICE, Action::CONFIRM)
                .unwrap();
        }
    });
    assert_eq!(answer.status_code(), 200);
    let profile = desktop.get_profile_blocking(true, false, false);
    assert_eq!(
        profile.data().unwrap()["customData"]["device"],
        "desk-7",
        "{profile:?}"
    );
}

// --- fast authentication: the signed-in desktop shows a code, an app signs in with it ----

/// Waits for the answer a callback sent on `rx`.
fn answer(rx: &Receiver<AuthResponse>) -> AuthResponse {
    rx.recv_timeout(DEADLINE).expect("the callback ran in time")
}

#[test]
fn an_app_that_scans_the_signed_in_desktops_fast_authentication_code_signs_in_as_that_user() {
    let (emu, desktop) = setup();
    assert_eq!(
        desktop
            .sign_in_by_email_password_blocking(ALICE, PASSWORD, None)
            .status_code(),
        200
    );
    let mut options = authing::FastpassOptions::new();
    options.set_custom_data(serde_json::json!({"seat": "12A"}));
    let (tx, rx) = mpsc::channel();
    desktop
        .gene_fastpass_qrcode_info(options, move |r: AuthResponse| {
            let _ = tx.send(r);
        })
        .join()
        .expect("the call ends");
    let code = answer(&rx).fastpass_qr_code().expect("a code");
    assert_eq!(code.user().display_name(), "Alice");
    assert_eq!(code.app_id(), emu.app_id());
    assert_eq!(code.userpool().id(), emu.user_pool_id());
    assert_eq!(code.api_host(), emu.base_url());
    let status = |client: &AuthClient| {
        let (tx, rx) = mpsc::channel();
        client
            .get_qr_code_status(code.qrcode_id(), move |r: AuthResponse| {
                let _ = tx.send(r);
            })
            .join()
            .expect("the call ends");
        answer(&rx).qr_code_state().expect("a state")
    };
    assert_eq!(status(&desktop).status(), QrCodeStatus::PENDING);

    // The app on the phone, not signed in, reads the code and lists the client apps.
    let phone = client_of(&emu);
    assert!(phone.get_current_user().is_none());
    let (tx, rx) = mpsc::channel();
    phone
        .get_fastpass_params(code.qrcode_id(), code.app_id(), move |r: AuthResponse| {
            let _ = tx.send(r);
        })
        .join()
        .expect("the call ends");
    let apps = answer(&rx).fastpass_apps().expect("the apps");
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].id(), emu.app_id());
    let scanned = status(&desktop);
    assert_eq!(scanned.status(), QrCodeStatus::SCANNED);
    assert_eq!(scanned.display_name(), Some("Alice"));

    // It signs in with the code: as Alice, with a session of its own.
    let (tx, rx) = mpsc::channel();
    phone
        .qr_code_app_login(code.qrcode_id(), move |r: AuthResponse| {
            let _ = tx.send(r);
        })
        .join()
        .expect("the call ends");
    let signed_in = answer(&rx);
    assert_eq!(signed_in.status_code(), 200, "{}", signed_in.message());
    let phone_user = phone.get_current_user().expect("the phone is signed in");
    let desktop_user = desktop.get_current_user().expect("the desktop still is");
    assert_eq!(phone_user.user_id(), desktop_user.user_id());
    assert_ne!(
        phone.get_token().unwrap().access_token(),
        desktop.get_token().unwrap().access_token()
    );
    assert_eq!(status(&desktop).status(), QrCodeStatus::AUTHORIZED);
    let profile = phone.get_profile_blocking(true, false, false);
    assert_eq!(
        profile.data().unwrap()["customData"]["seat"],
        "12A",
        "{profile:?}"
    );

    // A code signs one app in.
    let again = client_of(&emu).qr_code_app_login_blocking(code.qrcode_id());
    assert_eq!(again.status_code(), 400);
    assert_ne!(again.api_code(), 0);
}

#[test]
fn fast_authentication_and_sign_in_codes_do_not_take_each_others_calls_and_both_expire() {
    let (emu, desktop) = setup();
    let phone = client_of(&emu);
    assert_eq!(
        phone
            .sign_in_by_email_password_blocking(BOB, PASSWORD, None)
            .status_code(),
        200
    );
    // The desktop's sign-in code cannot be used to sign an app in.
    let sign_in = desktop
        .gene_qr_code_blocking(None)
        .qr_code()
        .expect("a code");
    let refused = client_of(&emu).qr_code_app_login_blocking(sign_in.qrcode_id());
    assert_eq!(refused.status_code(), 400, "{}", refused.message());
    // A fast authentication code is not confirmed by the phone's change-qrcode-status.
    let fast = phone
        .gene_fastpass_qrcode_info_blocking(None)
        .fastpass_qr_code()
        .expect("a code");
    let seen = desktop.get_qr_code_status_blocking(fast.qrcode_id());
    assert_eq!(seen.status_code(), 200, "the status is anyone's to read");
    let refused = phone.change_qr_code_status_blocking(fast.qrcode_id(), Action::SCAN);
    assert_eq!(refused.status_code(), 400, "{}", refused.message());
    // Another app id is no client app of this code.
    let other = client_of(&emu).get_fastpass_params_blocking(fast.qrcode_id(), "another-app");
    assert_eq!(other.status_code(), 404);
    // Unused, it expires on the emulator clock as a sign-in code does.
    emu.advance_clock(QR_CODE_TTL);
    let state = desktop
        .get_qr_code_status_blocking(fast.qrcode_id())
        .qr_code_state()
        .expect("a state");
    assert_eq!(state.status(), QrCodeStatus::EXPIRED);
    let late = client_of(&emu).qr_code_app_login_blocking(fast.qrcode_id());
    assert_eq!(late.status_code(), 400);
    assert!(client_of(&emu).get_current_user().is_none());
    // Without a session there is no code to make, and nothing is sent.
    let none = client_of(&emu).gene_fastpass_qrcode_info_blocking(None);
    assert_eq!(none.status_code(), codes::NOT_SIGNED_IN);
}
