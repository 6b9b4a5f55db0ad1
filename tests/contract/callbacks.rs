//! The callback contract (see the crate docs), line by line.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{self, Reply, Server, DEADLINE, QUIET};
use crate::{payload, PHONE, VERIFY_OK};
use authing::{codes, AuthCallback, AuthClient, AuthError, AuthResponse, ResetPasswordPayload};

fn client_for(server: &Server) -> AuthClient {
    common::client_at(server.base_url())
}

#[test]
fn a_closure_callback_runs_exactly_once() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (tx, rx) = mpsc::channel();
    let keep_open = tx.clone();
    let handle = client_for(&server).reset_password_request(
        PHONE,
        payload(),
        move |response: AuthResponse| {
            tx.send(response.status_code()).unwrap();
        },
    );
    assert_eq!(rx.recv_timeout(DEADLINE), Ok(200));
    assert_eq!(rx.recv_timeout(QUIET), Err(RecvTimeoutError::Timeout));
    handle.join().unwrap();
    drop(keep_open);
}

struct Recorder {
    tx: mpsc::Sender<(i32, thread::ThreadId)>,
}

impl AuthCallback for Recorder {
    fn call(self, response: AuthResponse) {
        self.tx
            .send((response.status_code(), thread::current().id()))
            .unwrap();
    }
}

#[test]
fn a_struct_implementing_auth_callback_is_accepted_and_runs_off_the_callers_thread() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (tx, rx) = mpsc::channel();
    client_for(&server)
        .reset_password_request(PHONE, payload(), Recorder { tx })
        .join()
        .unwrap();
    let (status, thread) = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(status, 200);
    assert_ne!(thread, thread::current().id());
}

#[test]
fn a_boxed_dyn_callback_is_accepted() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (tx, rx) = mpsc::channel();
    let boxed: Box<dyn AuthCallback> = Box::new(Recorder { tx });
    client_for(&server)
        .reset_password_request(PHONE, payload(), boxed)
        .join()
        .unwrap();
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().0, 200);
}

#[test]
fn a_sender_receives_the_response_and_is_dropped_after_one_send() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let _handle = client_for(&server).reset_password_request(PHONE, payload(), tx);
    let response = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(
        response.reset_password_data().unwrap().token_expires_in(),
        60
    );
    // The sender was consumed by its one delivery, so the channel closes.
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap_err(),
        RecvTimeoutError::Disconnected
    );
}

#[test]
fn a_sync_sender_is_accepted() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (tx, rx) = mpsc::sync_channel::<AuthResponse>(1);
    let _handle = client_for(&server).reset_password_request(PHONE, payload(), tx);
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
}

#[test]
fn bad_input_is_answered_once_through_the_callback_and_never_sent() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (tx, rx) = mpsc::channel();
    let keep_open = tx.clone();
    let handle = client_for(&server).reset_password_request(
        PHONE,
        ResetPasswordPayload::new(),
        move |response: AuthResponse| tx.send(response).unwrap(),
    );
    let response = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(response.status_code(), codes::INVALID_INPUT);
    assert!(matches!(response.error(), Some(AuthError::InvalidInput(_))));
    assert!(rx.recv_timeout(QUIET).is_err());
    handle.join().unwrap();
    server.assert_no_request();
    drop(keep_open);
}

#[test]
fn an_unconfigured_client_answers_config_not_found_through_the_callback() {
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let client = AuthClient::builder().build().unwrap();
    client
        .reset_password_request(PHONE, payload(), tx)
        .join()
        .unwrap();
    let response = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(response.status_code(), codes::CONFIG_NOT_FOUND);
    assert!(response
        .error()
        .unwrap()
        .to_string()
        .starts_with("config not found: no app id or app host"));
}

#[test]
fn an_executor_hops_the_callback_to_the_thread_it_chooses() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (task_tx, task_rx) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
    let task_tx = Mutex::new(task_tx);
    let client = common::builder_at(server.base_url())
        .callback_executor(move |task| task_tx.lock().unwrap().send(task).unwrap())
        .build()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let handle = client.reset_password_request(PHONE, payload(), move |response: AuthResponse| {
        tx.send((response.status_code(), thread::current().id()))
            .unwrap();
    });
    // Play the GUI loop: the delivery arrives as a task, and runs here.
    let task = task_rx.recv_timeout(DEADLINE).expect("a delivery task");
    assert!(!handle.is_finished());
    task();
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap(),
        (200, thread::current().id())
    );
    assert!(handle.is_finished());
    handle.join().unwrap();
}

#[test]
fn an_executor_that_drops_the_task_still_finishes_the_handle_and_says_so() {
    let (report_tx, reports) = mpsc::channel::<String>();
    let client = AuthClient::builder()
        .callback_executor(drop)
        .reporter(move |line: &str| report_tx.send(line.to_string()).unwrap())
        .build()
        .unwrap();
    let handle = client.reset_password_request(PHONE, payload(), |_r: AuthResponse| {});
    let error = handle.join().unwrap_err();
    assert!(error.message().contains("dropped the delivery"), "{error}");
    assert_eq!(
        reports.recv_timeout(DEADLINE).unwrap(),
        "the callback executor dropped the delivery without running it"
    );
    assert!(reports.recv_timeout(QUIET).is_err(), "one report");
}

#[test]
fn when_an_executor_drops_the_task_the_callback_is_gone_before_the_handle_finishes() {
    /// Says, when it is dropped, whether the SDK had already reported the dropped delivery
    /// (which it does just before it finishes the handle).
    struct Captured {
        reports: mpsc::Receiver<String>,
        dropped: mpsc::Sender<bool>,
    }
    impl Drop for Captured {
        fn drop(&mut self) {
            let reported_already = self.reports.try_recv().is_ok();
            let _ = self.dropped.send(reported_already);
        }
    }
    let (report_tx, reports) = mpsc::channel::<String>();
    let report_tx = std::sync::Mutex::new(report_tx);
    let client = AuthClient::builder()
        .callback_executor(drop)
        .reporter(move |line: &str| {
            let _ = report_tx.lock().unwrap().send(line.to_string());
        })
        .build()
        .unwrap();
    let (dropped_tx, dropped) = mpsc::channel();
    let captured = Captured {
        reports,
        dropped: dropped_tx,
    };
    let handle = client.reset_password_request(PHONE, payload(), move |_r: AuthResponse| {
        let _keep = &captured;
    });
    assert!(handle.join().is_err(), "the delivery was dropped");
    // The callback (and what it held: an Inbox's sender, say) went first, then the report
    // and the handle's end: once join returns, an Inbox handler has its 10013 queued.
    assert_eq!(
        dropped.recv_timeout(DEADLINE),
        Ok(false),
        "the callback was dropped after the handle finished"
    );
}

#[test]
fn a_panicking_callback_is_reported_through_join_and_the_reporter_and_the_next_call_works() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (report_tx, reports) = mpsc::channel::<String>();
    let client = common::builder_at(server.base_url())
        .max_concurrent_requests(1)
        .reporter(move |line: &str| report_tx.send(line.to_string()).unwrap())
        .build()
        .unwrap();
    // Rust's panic hook still prints the panic; the test harness captures that output.
    let panic = client
        .reset_password_request(PHONE, payload(), |_r: AuthResponse| {
            panic!("ui state was gone")
        })
        .join()
        .unwrap_err();
    assert_eq!(panic.message(), "ui state was gone");
    assert_eq!(
        reports.recv_timeout(DEADLINE).unwrap(),
        "a callback panicked: ui state was gone"
    );
    // The same (single) worker serves the next call.
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .reset_password_request(PHONE, payload(), tx)
        .join()
        .unwrap();
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    assert!(reports.recv_timeout(QUIET).is_err(), "one report");
}

#[test]
fn a_reporter_that_panics_is_ignored_and_the_handle_still_finishes() {
    let (report_tx, reports) = mpsc::channel::<String>();
    let client = AuthClient::builder()
        .reporter(move |line: &str| {
            report_tx.send(line.to_string()).unwrap();
            panic!("the reporter broke");
        })
        .build()
        .unwrap();
    let panic = client
        .reset_password_request(PHONE, payload(), |_r: AuthResponse| panic!("first"))
        .join()
        .unwrap_err();
    assert_eq!(panic.message(), "first");
    assert_eq!(
        reports.recv_timeout(DEADLINE).unwrap(),
        "a callback panicked: first"
    );
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .reset_password_request(PHONE, payload(), tx)
        .join()
        .unwrap();
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::CONFIG_NOT_FOUND
    );
}

#[test]
fn join_waits_until_the_callback_has_run() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    let handle =
        client_for(&server).reset_password_request(PHONE, payload(), move |_r: AuthResponse| {
            flag.store(true, Ordering::SeqCst);
        });
    handle.join().unwrap();
    assert!(ran.load(Ordering::SeqCst));
}

#[test]
fn cancelling_a_call_on_the_wire_delivers_one_cancellation_and_drops_the_answer() {
    let server = Server::start(Reply::Hang);
    let client = common::builder_at(server.base_url())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let keep_open = tx.clone();
    let handle =
        client.reset_password_request(PHONE, payload(), move |r: AuthResponse| tx.send(r).unwrap());
    server.next_request(); // it is on the wire
    assert!(handle.cancel());
    assert!(!handle.cancel(), "a second cancel is too late");
    let response = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(response.status_code(), codes::CANCELLED);
    assert_eq!(response.error(), Some(&AuthError::Cancelled));
    // The real answer (a time-out after 500 ms) is suppressed.
    assert_eq!(
        rx.recv_timeout(Duration::from_millis(1500))
            .map(|r| r.status_code()),
        Err(RecvTimeoutError::Timeout)
    );
    handle.join().unwrap();
    drop(keep_open);
}

#[test]
fn a_cancelled_call_still_in_the_queue_is_never_sent() {
    let server = Server::scripted(|req| {
        if req.body_text().contains("\"passCode\":\"1111\"") {
            Reply::Hang
        } else {
            Reply::Json(VERIFY_OK.into())
        }
    });
    let client = common::builder_at(server.base_url())
        .max_concurrent_requests(1)
        .timeout(Duration::from_millis(800))
        .build()
        .unwrap();
    let mut slow = payload();
    slow.set_pass_code("1111");
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let first = client.reset_password_request(PHONE, slow, tx.clone());
    server.next_request(); // the only worker is busy with the first call
    let second = client.reset_password_request(PHONE, payload(), tx);
    assert!(second.cancel());
    let answers: Vec<i32> = (0..2)
        .map(|_| rx.recv_timeout(DEADLINE).unwrap().status_code())
        .collect();
    assert!(answers.contains(&codes::CANCELLED), "{answers:?}");
    assert!(answers.contains(&codes::NETWORK_ERROR), "{answers:?}");
    first.join().unwrap();
    second.join().unwrap();
    server.assert_no_request();
}

#[test]
fn dropping_a_handle_detaches_and_the_callback_still_runs() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    drop(client_for(&server).reset_password_request(PHONE, payload(), tx));
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
}

#[test]
fn a_full_queue_rejects_the_call_through_its_callback() {
    let server = Server::start(Reply::Hang);
    let client = common::builder_at(server.base_url())
        .max_concurrent_requests(1)
        .max_queued_requests(1)
        .timeout(Duration::from_millis(600))
        .build()
        .unwrap();
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let first = client.reset_password_request(PHONE, payload(), tx.clone());
    server.next_request();
    let queued = client.reset_password_request(PHONE, payload(), tx.clone());
    let rejected = client.reset_password_request(PHONE, payload(), tx);
    let first_answer = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(
        first_answer.status_code(),
        codes::REJECTED,
        "{first_answer:?}"
    );
    assert!(matches!(first_answer.error(), Some(AuthError::Rejected(_))));
    for handle in [first, queued, rejected] {
        handle.join().unwrap();
    }
    // The other two ended in time-outs, one answer each.
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::NETWORK_ERROR
    );
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::NETWORK_ERROR
    );
    assert!(rx.recv_timeout(QUIET).is_err());
}

#[test]
fn idle_workers_exit() {
    let server = Server::start(Reply::Json(VERIFY_OK.into()));
    let client = common::builder_at(server.base_url())
        .idle_timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .reset_password_request(PHONE, payload(), tx)
        .join()
        .unwrap();
    rx.recv_timeout(DEADLINE).unwrap();
    // Poll the pool's own count until the worker has gone, with a deadline.
    let deadline = Instant::now() + DEADLINE;
    while client.load().workers() > 0 && Instant::now() < deadline {
        thread::park_timeout(Duration::from_millis(10));
    }
    assert_eq!(client.load().workers(), 0);
    // And a new call starts a worker again.
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    client
        .reset_password_request(PHONE, payload(), tx)
        .join()
        .unwrap();
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
}

#[test]
fn clients_and_handles_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<AuthClient>();
    assert_send_sync::<authing::RequestHandle>();
    assert_send_sync::<AuthResponse>();
    assert_send_sync::<AuthError>();
}

#[test]
fn cancelling_a_composite_call_while_it_verifies_never_sends_the_reset() {
    let (release, gate) = mpsc::channel::<()>();
    let gate = Mutex::new(gate);
    let server = Server::scripted(move |req| {
        if req.path.ends_with("verify-reset-password-request") {
            gate.lock().unwrap().recv_timeout(DEADLINE).ok();
            Reply::Json(VERIFY_OK.into())
        } else {
            Reply::Json(r#"{"statusCode":200,"message":"ok","data":{"success":true}}"#.into())
        }
    });
    let client = client_for(&server);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let handle = client.reset_password_by_phone(
        None,
        "18812345678",
        "1234",
        "brand-new-pass",
        authing::PasswordEncryptType::none,
        tx,
    );
    assert_eq!(
        server.next_request().path,
        "/api/v3/verify-reset-password-request"
    );
    assert!(handle.cancel());
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::CANCELLED
    );
    release.send(()).unwrap(); // the verify answers; the reset must not follow
    handle.join().unwrap();
    server.assert_no_request();
}
