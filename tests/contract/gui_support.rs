//! What GUI code gets from the SDK (issue 13): the delivery hook that wakes an event loop,
//! settable after the client is built; `send_with`, a sender of the app's own messages;
//! and the `Inbox`, whose callbacks stay on the UI thread. Real HTTP to the scripted
//! loopback server or the emulator throughout.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::common::{self, Reply, Server, DEADLINE, QUIET};
use authing::emulator::Emulator;
use authing::{codes, AuthResponse, Inbox, QrCodeSignInOptions, QrCodeUpdate, SmsType};

const SENT: &str = r#"{"statusCode":200,"message":"sent"}"#;

/// What happened, in order, as seen from any thread.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    Callback(i32),
    Wake,
    Update,
}

fn send_sms(
    client: &authing::AuthClient,
    callback: impl authing::AuthCallback,
) -> authing::RequestHandle {
    client.send_sms(
        "+86",
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        callback,
    )
}

#[test]
fn the_delivery_hook_runs_once_after_each_callback_has_run() {
    let server = Server::start(Reply::Json(SENT.into()));
    let (tx, events) = mpsc::channel();
    let wake_tx = Mutex::new(tx.clone());
    let client = common::builder_at(server.base_url())
        .on_delivery(move || {
            let _ = wake_tx.lock().unwrap().send(Event::Wake);
        })
        .build()
        .unwrap();
    for _ in 0..2 {
        let tx = tx.clone();
        let handle = send_sms(&client, move |r: AuthResponse| {
            let _ = tx.send(Event::Callback(r.status_code()));
        });
        assert_eq!(events.recv_timeout(DEADLINE), Ok(Event::Callback(200)));
        assert_eq!(events.recv_timeout(DEADLINE), Ok(Event::Wake));
        handle.join().unwrap();
    }
    assert_eq!(events.recv_timeout(QUIET), Err(RecvTimeoutError::Timeout));
}

#[test]
fn a_hook_set_after_the_client_is_built_wakes_for_its_clones_and_can_be_removed() {
    let server = Server::start(Reply::Json(SENT.into()));
    let client = common::client_at(server.base_url());
    let clone = client.clone();
    let wakes = Arc::new(AtomicUsize::new(0));

    send_sms(&client, |_: AuthResponse| {}).join().unwrap();
    assert_eq!(wakes.load(Ordering::SeqCst), 0, "no hook yet");

    let counter = Arc::clone(&wakes);
    client.set_on_delivery(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    // join returns once the callback ran; the hook rings right after it, on the worker.
    let (tx, rang) = mpsc::channel();
    let tx = Mutex::new(tx);
    let counter = Arc::clone(&wakes);
    clone.set_on_delivery(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let _ = tx.lock().unwrap().send(());
    });
    let _detached = send_sms(&client, |_: AuthResponse| {});
    rang.recv_timeout(DEADLINE)
        .expect("the clone's hook rang for the original");
    assert_eq!(
        wakes.load(Ordering::SeqCst),
        1,
        "the second hook replaced the first"
    );

    client.clear_on_delivery();
    send_sms(&clone, |_: AuthResponse| {}).join().unwrap();
    // The cleared hook is dropped (with the sender it held), and nothing rang.
    assert_eq!(
        rang.recv_timeout(QUIET),
        Err(RecvTimeoutError::Disconnected)
    );
    assert_eq!(wakes.load(Ordering::SeqCst), 1);
}

#[test]
fn with_an_executor_the_hook_rings_once_the_task_is_queued_before_it_runs() {
    let server = Server::start(Reply::Json(SENT.into()));
    let (to_ui, ui_tasks) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
    let (tx, events) = mpsc::channel();
    let wake_tx = Mutex::new(tx.clone());
    let client = common::builder_at(server.base_url())
        .callback_executor(move |task| {
            let _ = to_ui.send(task);
        })
        .on_delivery(move || {
            let _ = wake_tx.lock().unwrap().send(Event::Wake);
        })
        .build()
        .unwrap();
    let handle = send_sms(&client, move |r: AuthResponse| {
        let _ = tx.send(Event::Callback(r.status_code()));
    });
    // The "UI thread" (this one) is woken while the callback still waits in its queue.
    assert_eq!(events.recv_timeout(DEADLINE), Ok(Event::Wake));
    assert!(!handle.is_finished());
    let task = ui_tasks.recv_timeout(DEADLINE).expect("the queued task");
    task();
    assert_eq!(events.recv_timeout(DEADLINE), Ok(Event::Callback(200)));
    assert!(handle.is_finished());
    handle.join().unwrap();
}

#[test]
fn a_cancellation_rings_the_hook_too() {
    let server = Server::start(Reply::Hang);
    let (tx, rang) = mpsc::channel();
    let tx = Mutex::new(tx);
    let client = common::builder_at(server.base_url())
        .on_delivery(move || {
            let _ = tx.lock().unwrap().send(());
        })
        .build()
        .unwrap();
    let (answers_tx, answers) = mpsc::channel();
    let handle = send_sms(&client, answers_tx);
    let _ = server.next_request();
    assert!(handle.cancel());
    let answer: AuthResponse = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), codes::CANCELLED);
    rang.recv_timeout(DEADLINE)
        .expect("the hook rang for the cancellation");
    handle.join().unwrap();
}

#[test]
fn a_panicking_hook_is_reported_and_the_call_still_finishes() {
    let server = Server::start(Reply::Json(SENT.into()));
    let (report_tx, reports) = mpsc::channel::<String>();
    let report_tx = Mutex::new(report_tx);
    let client = common::builder_at(server.base_url())
        .reporter(move |line: &str| {
            let _ = report_tx.lock().unwrap().send(line.to_string());
        })
        .on_delivery(|| panic!("the window is gone"))
        .build()
        .unwrap();
    let (tx, answers) = mpsc::channel();
    let handle = send_sms(&client, tx);
    let answer: AuthResponse = answers.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), 200);
    assert_eq!(
        reports.recv_timeout(DEADLINE).unwrap(),
        "the delivery hook panicked: the window is gone"
    );
    handle.join().unwrap();
    // The worker survived: the next call works.
    let (tx, answers) = mpsc::channel();
    send_sms(&client, tx).join().unwrap();
    assert_eq!(answers.recv_timeout(DEADLINE).unwrap().status_code(), 200);
}

#[test]
fn each_qr_code_status_update_rings_the_hook_after_the_listener_ran() {
    let emu = Emulator::start().expect("the emulator starts");
    let (tx, events) = mpsc::channel();
    let wake_tx = Mutex::new(tx.clone());
    let client = common::builder_at(emu.base_url())
        .on_delivery(move || {
            let _ = wake_tx.lock().unwrap().send(Event::Wake);
        })
        .build()
        .unwrap();
    let mut options = QrCodeSignInOptions::new();
    options.set_interval(std::time::Duration::from_millis(50));
    let update_tx = tx.clone();
    let handle = client.sign_in_by_qr_code(
        options,
        move |_: QrCodeUpdate| {
            let _ = update_tx.send(Event::Update);
        },
        move |r: AuthResponse| {
            let _ = tx.send(Event::Callback(r.status_code()));
        },
    );
    assert_eq!(events.recv_timeout(DEADLINE), Ok(Event::Update), "pending");
    assert_eq!(events.recv_timeout(DEADLINE), Ok(Event::Wake));
    assert!(handle.cancel());
    assert_eq!(
        events.recv_timeout(DEADLINE),
        Ok(Event::Callback(codes::CANCELLED))
    );
    assert_eq!(events.recv_timeout(DEADLINE), Ok(Event::Wake));
    handle.join().unwrap();
}

#[test]
fn send_with_tells_the_receiver_which_call_answered() {
    #[derive(Debug)]
    enum Msg {
        CodeSent(i32),
        SignedIn,
    }
    let server = Server::start(Reply::Json(SENT.into()));
    let client = common::client_at(server.base_url());
    let (tx, messages) = mpsc::channel::<Msg>();
    send_sms(
        &client,
        authing::send_with(tx.clone(), |r: AuthResponse| Msg::CodeSent(r.status_code())),
    )
    .join()
    .unwrap();
    match messages.recv_timeout(DEADLINE).unwrap() {
        Msg::CodeSent(code) => assert_eq!(code, 200),
        other => panic!("the wrong message: {other:?}"),
    }
    let _other_calls_answer_as = Msg::SignedIn;
}

#[test]
fn an_inbox_runs_a_callback_that_is_not_send_on_its_own_thread_with_the_apps_state() {
    let server = Server::start(Reply::Json(SENT.into()));
    let client = common::client_at(server.base_url());
    let inbox: Inbox<Vec<i32>> = Inbox::new();
    let ui_thread = thread::current().id();
    let ran_on = Rc::new(RefCell::new(None)); // an Rc: this closure could not be Send
    let seen = Rc::clone(&ran_on);
    let handle = send_sms(
        &client,
        inbox.callback(move |codes: &mut Vec<i32>, r: AuthResponse| {
            codes.push(r.status_code());
            *seen.borrow_mut() = Some(thread::current().id());
        }),
    );
    assert_eq!(inbox.waiting(), 1);
    let mut state = Vec::new();
    // The handle finishes when the answer is in the inbox; the closure runs only here.
    assert!(handle.wait_timeout(DEADLINE));
    assert!(ran_on.borrow().is_none());
    assert_eq!(inbox.run_pending(&mut state), 1);
    assert_eq!(state, vec![200]);
    assert_eq!(*ran_on.borrow(), Some(ui_thread));
    assert_eq!(inbox.waiting(), 0);
    assert_eq!(inbox.run_pending(&mut state), 0, "exactly once");
    handle.join().unwrap();
}

#[test]
fn an_inbox_handler_may_start_the_next_call_from_inside_run_pending() {
    let server = Server::start(Reply::Json(SENT.into()));
    let client = common::client_at(server.base_url());
    let inbox: Rc<Inbox<Vec<&'static str>>> = Rc::new(Inbox::new());
    let (inner_inbox, inner_client) = (Rc::clone(&inbox), client.clone());
    let first = send_sms(
        &client,
        inbox.callback(move |log: &mut Vec<&'static str>, _: AuthResponse| {
            log.push("first");
            let _detached = send_sms(
                &inner_client,
                inner_inbox
                    .callback(|log: &mut Vec<&'static str>, _: AuthResponse| log.push("second")),
            );
        }),
    );
    assert!(first.wait_timeout(DEADLINE));
    let mut log = Vec::new();
    inbox.run_pending(&mut log);
    assert_eq!(inbox.waiting(), 1, "the second call's handler waits");
    let deadline = std::time::Instant::now() + DEADLINE;
    while inbox.waiting() > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the second answer in time"
        );
        inbox.run_pending(&mut log);
        thread::yield_now();
    }
    assert_eq!(log, vec!["first", "second"]);
}

#[test]
fn an_inbox_callback_dropped_unanswered_runs_its_handler_once_with_10013() {
    let inbox: Inbox<Vec<i32>> = Inbox::new();
    let callback = inbox.callback(|seen: &mut Vec<i32>, response: AuthResponse| {
        seen.push(response.status_code());
    });
    assert_eq!(inbox.waiting(), 1);
    // As an executor that drops its delivery task drops the callback inside it.
    drop(callback);
    let mut seen = Vec::new();
    inbox.run_pending(&mut seen);
    assert_eq!(seen, vec![codes::INTERNAL]);
    assert_eq!(inbox.waiting(), 0);
    inbox.run_pending(&mut seen);
    assert_eq!(seen, vec![codes::INTERNAL], "once");
}
