//! The dispatcher's edges: a cancelled call's place in the queue, the courier's bounded
//! queue under a flood of rejections, and waits without a deadline.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::common::{self, Reply, Server, DEADLINE, QUIET};
use crate::{payload, PHONE, VERIFY_OK};
use authing::{codes, AuthClient, AuthResponse};

/// A server that holds every request until `release` sends once per request (or is
/// dropped), then answers 200.
fn gated_server() -> (Server, Sender<()>) {
    let (release, gate) = mpsc::channel::<()>();
    let gate: Mutex<Receiver<()>> = Mutex::new(gate);
    let server = Server::scripted(move |_| {
        let _ = gate.lock().unwrap().recv_timeout(DEADLINE);
        Reply::Json(VERIFY_OK.into())
    });
    (server, release)
}

/// One worker and a queue of `max_queued`, against `server`.
fn narrow_client(server: &Server, max_queued: usize) -> AuthClient {
    common::builder_at(server.base_url())
        .max_concurrent_requests(1)
        .max_queued_requests(max_queued)
        .build()
        .unwrap()
}

#[test]
fn cancelling_a_queued_call_frees_its_place_for_the_next_call() {
    let (server, release) = gated_server();
    let client = narrow_client(&server, 1);
    let (tx, busy_answer) = mpsc::channel::<AuthResponse>();
    let busy = client.reset_password_request(PHONE, payload(), tx);
    server.next_request(); // the only worker is busy
    let (tx, queued_answer) = mpsc::channel::<AuthResponse>();
    let queued = client.reset_password_request(PHONE, payload(), tx);
    assert!(queued.cancel());
    assert_eq!(
        queued_answer.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::CANCELLED
    );
    assert_eq!(client.load().queued(), 0);

    // The queue of one is free again: the next call waits in it instead of being rejected.
    let (tx, next_answer) = mpsc::channel::<AuthResponse>();
    let next = client.reset_password_request(PHONE, payload(), tx);
    assert_eq!(client.load().queued(), 1);
    release.send(()).unwrap();
    assert_eq!(
        busy_answer.recv_timeout(DEADLINE).unwrap().status_code(),
        200
    );
    server.next_request(); // the next call reached the wire
    release.send(()).unwrap();
    assert_eq!(
        next_answer.recv_timeout(DEADLINE).unwrap().status_code(),
        200
    );
    for handle in [busy, queued, next] {
        handle.join().unwrap();
    }
    assert!(queued_answer.recv_timeout(QUIET).is_err(), "one delivery");
    server.assert_no_request();
}

#[test]
fn a_flood_of_rejections_never_queues_more_answers_than_the_limit_and_each_is_delivered_once() {
    const LIMIT: usize = 2;
    const FLOOD: usize = 1_000;
    let (server, release) = gated_server();
    let client = narrow_client(&server, LIMIT);
    let (tx, wire_answers) = mpsc::channel::<AuthResponse>();
    let mut handles = vec![client.reset_password_request(PHONE, payload(), tx.clone())];
    server.next_request(); // the only worker is busy
    for _ in 0..LIMIT {
        handles.push(client.reset_password_request(PHONE, payload(), tx.clone()));
    }
    drop(tx);
    assert_eq!(client.load().queued(), LIMIT, "the queue is full");

    // A rejection whose callback holds the courier thread until told to let go.
    let (courier_busy_tx, courier_busy) = mpsc::channel::<thread::ThreadId>();
    let (free_courier, courier_gate) = mpsc::channel::<()>();
    let blocker = client.reset_password_request(PHONE, payload(), move |r: AuthResponse| {
        assert_eq!(r.status_code(), codes::REJECTED);
        courier_busy_tx.send(thread::current().id()).unwrap();
        let _ = courier_gate.recv_timeout(DEADLINE);
    });
    let courier = courier_busy.recv_timeout(DEADLINE).unwrap();
    assert_ne!(courier, thread::current().id());

    // The flood: each call is rejected; its answer waits for the courier while there is
    // room, and is delivered here, at once, once `LIMIT` answers wait.
    let delivered: Arc<Vec<AtomicUsize>> =
        Arc::new((0..FLOOD).map(|_| AtomicUsize::new(0)).collect());
    let (done_tx, done) = mpsc::channel::<(usize, i32, thread::ThreadId)>();
    let mut most_waiting = 0;
    for i in 0..FLOOD {
        let delivered = Arc::clone(&delivered);
        let done_tx = done_tx.clone();
        handles.push(
            client.reset_password_request(PHONE, payload(), move |r: AuthResponse| {
                delivered[i].fetch_add(1, Ordering::SeqCst);
                done_tx
                    .send((i, r.status_code(), thread::current().id()))
                    .unwrap();
            }),
        );
        most_waiting = most_waiting.max(client.load().answers_waiting());
    }
    drop(done_tx);
    assert_eq!(most_waiting, LIMIT);
    assert_eq!(client.load().answers_waiting(), LIMIT);
    let here: Vec<(usize, i32, thread::ThreadId)> = done.try_iter().collect();
    assert_eq!(
        here.len(),
        FLOOD - LIMIT,
        "answered on the submitting thread"
    );
    for (i, status, thread) in &here {
        assert_eq!(*status, codes::REJECTED, "call {i}");
        assert_eq!(*thread, thread::current().id(), "call {i}");
    }
    // The first `LIMIT` of the flood were the ones that waited; the courier delivers them.
    assert!(here.iter().all(|(i, _, _)| *i >= LIMIT));
    free_courier.send(()).unwrap();
    for _ in 0..LIMIT {
        let (i, status, thread) = done.recv_timeout(DEADLINE).unwrap();
        assert!(i < LIMIT);
        assert_eq!((status, thread), (codes::REJECTED, courier));
    }

    // The calls on the wire and in the queue end normally.
    for _ in 0..=LIMIT {
        release.send(()).unwrap();
    }
    for _ in 0..=LIMIT {
        assert_eq!(
            wire_answers.recv_timeout(DEADLINE).unwrap().status_code(),
            200
        );
    }
    for handle in handles.into_iter().chain([blocker]) {
        handle.join().unwrap();
    }
    assert!(done.recv_timeout(QUIET).is_err(), "no second delivery");
    assert!(
        delivered.iter().all(|n| n.load(Ordering::SeqCst) == 1),
        "each callback exactly once"
    );
    assert_eq!(client.load().answers_waiting(), 0);
}

#[test]
fn wait_timeout_with_duration_max_waits_without_a_deadline_instead_of_panicking() {
    let (server, release) = gated_server();
    let client = common::client_at(server.base_url());
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let handle = client.reset_password_request(PHONE, payload(), tx);
    // Let the call go only once it is on the wire, while this thread already waits.
    let releaser = thread::spawn(move || {
        server.next_request();
        release.send(()).unwrap();
        server
    });
    assert!(handle.wait_timeout(Duration::MAX));
    assert!(handle.is_finished());
    assert_eq!(rx.recv_timeout(DEADLINE).unwrap().status_code(), 200);
    // A finished call answers at once, whatever the timeout.
    assert!(handle.wait_timeout(Duration::MAX));
    assert!(handle.wait_timeout(Duration::from_secs(u64::MAX)));
    drop(releaser.join().unwrap());
}
