//! Authing's event stream end to end, against the emulator's WebSocket: events in order
//! and once each, a dropped stream reconnecting (the emulator's replay recognised), a
//! token that expires while subscribed, unsubscribing from inside the callback, 100
//! subscriptions at once, a session revoked from another device, and `pub_event`.
//! Every wait is a channel read with a deadline.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use authing::emulator::{Emulator, NewRole, NewUser};
use authing::{AuthClient, EventEnd, EventSubscription, Profile, SubEvent};

const ALICE: &str = "alice";
const PASSWORD: &str = "secret-123";
/// The longest wait for any update.
const WAIT: Duration = Duration::from_secs(15);

fn emulator_with_alice() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username(ALICE, PASSWORD))
        .expect("alice");
    emu
}

fn signed_in_on(emu: &Emulator, device_id: &str) -> AuthClient {
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .device_id(device_id)
        .build()
        .expect("valid settings");
    let response = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    client
}

fn next(updates: &Receiver<SubEvent>) -> SubEvent {
    updates
        .recv_timeout(WAIT)
        .expect("an update within the deadline")
}

/// Subscribes `client` to `code` and waits until the stream is open.
fn subscribed(client: &AuthClient, code: &str) -> (EventSubscription, Receiver<SubEvent>) {
    let (tx, updates) = mpsc::channel();
    let subscription = client.sub_event(code, tx);
    assert_eq!(next(&updates), SubEvent::Connected { reconnected: false });
    (subscription, updates)
}

/// The next update, which must be an event; its `(id, data)`.
fn event(updates: &Receiver<SubEvent>) -> (String, serde_json::Value) {
    match next(updates) {
        SubEvent::Event(event) => (event.id().expect("an id").to_owned(), event.data()),
        other => panic!("expected an event, got {other:?}"),
    }
}

/// Skips `Reconnecting` updates; the first other one.
fn after_reconnecting(updates: &Receiver<SubEvent>) -> SubEvent {
    loop {
        match next(updates) {
            SubEvent::Reconnecting { .. } => {}
            other => return other,
        }
    }
}

#[test]
fn profile_changes_arrive_in_order_and_once_each() {
    let emu = emulator_with_alice();
    let client = signed_in_on(&emu, "laptop-1");
    let (subscription, updates) = subscribed(&client, "authing.user.updated");
    for nickname in ["one", "two", "three"] {
        let mut profile = Profile::new();
        profile.set_nickname(nickname);
        assert_eq!(client.update_profile_blocking(profile).status_code(), 200);
    }
    let mut ids = Vec::new();
    for nickname in ["one", "two", "three"] {
        let (id, data) = event(&updates);
        assert_eq!(data["changed"][0], "profile");
        assert_eq!(data["user"]["nickname"], nickname);
        ids.push(id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "three distinct events");
    // A role given through the admin API is an update too.
    emu.assign_role(ALICE, NewRole::new("admin")).unwrap();
    let (_, data) = event(&updates);
    assert_eq!(data["changed"][0], "roles");
    assert!(subscription.unsubscribe());
    assert_eq!(next(&updates), SubEvent::Ended(EventEnd::Unsubscribed));
    assert_eq!(
        updates.recv_timeout(Duration::from_millis(200)),
        Err(RecvTimeoutError::Disconnected),
        "nothing after the end, and the callback is dropped"
    );
    assert_eq!(subscription.end(), Some(EventEnd::Unsubscribed));
}

#[test]
fn a_dropped_stream_reconnects_and_a_replayed_event_is_not_delivered_twice() {
    let emu = emulator_with_alice();
    let client = signed_in_on(&emu, "laptop-1");
    let (subscription, updates) = subscribed(&client, "myapp.notice");
    assert!(client
        .pub_event_blocking("myapp.notice", "first")
        .is_event_published());
    let (first, data) = event(&updates);
    assert_eq!(data, "first");
    assert_eq!(emu.drop_event_streams(), 1);
    match next(&updates) {
        SubEvent::Reconnecting {
            attempt, reason, ..
        } => {
            assert_eq!(attempt, 1);
            assert!(
                reason.contains("dropped") || reason.contains("closed"),
                "{reason}"
            );
        }
        other => panic!("expected Reconnecting, got {other:?}"),
    }
    assert_eq!(
        after_reconnecting(&updates),
        SubEvent::Connected { reconnected: true }
    );
    // The emulator sent `first` again on the new stream; the next update is the new one.
    assert!(client
        .pub_event_blocking("myapp.notice", "second")
        .is_event_published());
    let (second, data) = event(&updates);
    assert_ne!(second, first);
    assert_eq!(data, "second");
    let replayed = emu
        .published_events()
        .iter()
        .filter(|e| e["id"] == first.as_str())
        .count();
    assert_eq!(replayed, 1, "published once, sent twice by the emulator");
    subscription.unsubscribe();
    assert_eq!(next(&updates), SubEvent::Ended(EventEnd::Unsubscribed));
}

#[test]
fn a_token_that_expires_while_subscribed_is_renewed_on_reconnection() {
    let emu = emulator_with_alice();
    let client = signed_in_on(&emu, "laptop-1");
    let (subscription, updates) = subscribed(&client, "myapp.notice");
    assert!(emu.expire_access_tokens(ALICE) > 0);
    emu.drop_event_streams();
    assert_eq!(
        after_reconnecting(&updates),
        SubEvent::Connected { reconnected: true },
        "the expired token was refused (401), the session refreshed, the stream reopened"
    );
    emu.publish_event(
        ALICE,
        "myapp.notice",
        serde_json::json!({"after": "refresh"}),
    )
    .unwrap();
    let (_, data) = event(&updates);
    assert_eq!(data["after"], "refresh");
    // The client's session holds the refreshed token: a call works without another refresh.
    assert_eq!(
        client.pub_event_blocking("myapp.notice", "x").status_code(),
        200
    );
    subscription.unsubscribe();
}

#[test]
fn the_callback_can_unsubscribe_and_gets_nothing_more_but_the_end() {
    let emu = emulator_with_alice();
    let client = signed_in_on(&emu, "laptop-1");
    let handle: Arc<OnceLock<EventSubscription>> = Arc::new(OnceLock::new());
    let (tx, updates) = mpsc::channel();
    // What `unsubscribe` answered inside the callback (a panic there would only be
    // reported, so the answers travel to the test).
    let (said_tx, said) = mpsc::channel();
    let in_callback = Arc::clone(&handle);
    let subscription = client.sub_event("myapp.notice", move |update: SubEvent| {
        if matches!(update, SubEvent::Event(_) | SubEvent::Ended(_)) {
            let handle = in_callback.get().expect("the handle is set");
            let _ = said_tx.send(handle.unsubscribe());
        }
        let _ = tx.send(update);
    });
    let _ = handle.set(subscription.clone());
    assert_eq!(next(&updates), SubEvent::Connected { reconnected: false });
    emu.publish_event(ALICE, "myapp.notice", serde_json::json!(1))
        .unwrap();
    emu.publish_event(ALICE, "myapp.notice", serde_json::json!(2))
        .unwrap();
    let (_, data) = event(&updates);
    assert_eq!(data, 1);
    assert_eq!(next(&updates), SubEvent::Ended(EventEnd::Unsubscribed));
    assert_eq!(
        said.recv_timeout(WAIT),
        Ok(true),
        "the event's unsubscribe ended it"
    );
    assert_eq!(
        said.recv_timeout(WAIT),
        Ok(false),
        "inside the end, nothing is left to end"
    );
    assert_eq!(subscription.wait(WAIT), Some(EventEnd::Unsubscribed));
    assert!(!subscription.unsubscribe(), "already over");
}

#[test]
fn a_hundred_subscriptions_in_one_process_each_get_the_event_once() {
    let emu = emulator_with_alice();
    let client = signed_in_on(&emu, "laptop-1");
    let subs: Vec<_> = (0..100)
        .map(|_| subscribed(&client, "myapp.broadcast"))
        .collect();
    assert_eq!(emu.event_subscribers(), 100);
    emu.publish_event(ALICE, "myapp.broadcast", serde_json::json!("all"))
        .unwrap();
    for (_, updates) in &subs {
        let (_, data) = event(updates);
        assert_eq!(data, "all");
    }
    for (subscription, _) in &subs {
        assert!(subscription.unsubscribe());
    }
    for (_, updates) in &subs {
        assert_eq!(next(updates), SubEvent::Ended(EventEnd::Unsubscribed));
    }
}

#[test]
fn a_session_revoked_from_another_device_ends_the_stream_signed_out() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1");
    let phone = signed_in_on(&emu, "phone-1");
    let handle: Arc<OnceLock<EventSubscription>> = Arc::new(OnceLock::new());
    let (tx, updates) = mpsc::channel();
    // What `unsubscribe` answers inside the end's own callback (sent to the test: a
    // panic there would only be reported).
    let (said_tx, said) = mpsc::channel();
    let in_callback = Arc::clone(&handle);
    let subscription = laptop.sub_event("authing.user.logout", move |update: SubEvent| {
        if matches!(update, SubEvent::Ended(_)) {
            let handle = in_callback.get().expect("the handle is set");
            let _ = said_tx.send(handle.unsubscribe());
        }
        let _ = tx.send(update);
    });
    let _ = handle.set(subscription.clone());
    assert_eq!(next(&updates), SubEvent::Connected { reconnected: false });
    assert_eq!(phone.revoke_blocking("laptop-1").status_code(), 200);
    let (_, data) = event(&updates);
    assert_eq!(data["reason"], "session-ended");
    assert_eq!(
        after_reconnecting(&updates),
        SubEvent::Ended(EventEnd::SignedOut)
    );
    assert_eq!(
        said.recv_timeout(WAIT),
        Ok(false),
        "an unsubscribe inside the end has nothing left to end"
    );
    assert_eq!(subscription.wait(WAIT), Some(EventEnd::SignedOut));
    assert!(
        laptop.get_current_user().is_none(),
        "the laptop's session ended too"
    );
}

#[test]
fn a_sign_in_elsewhere_is_published_as_a_login() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1");
    let (subscription, updates) = subscribed(&laptop, "authing.user.login");
    let _phone = signed_in_on(&emu, "phone-1");
    let (_, data) = event(&updates);
    assert_eq!(data["user"]["username"], ALICE);
    subscription.unsubscribe();
}

#[test]
fn a_passkey_sign_in_elsewhere_is_published_as_a_login() {
    use authing::passkey::SoftwareAuthenticator;
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1");
    let authenticator = SoftwareAuthenticator::new();
    let r = laptop.register_passkey_blocking(&authenticator, None);
    assert_eq!(r.status_code(), 200, "{r:?}");
    let (subscription, updates) = subscribed(&laptop, "authing.user.login");
    let phone = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap();
    let r = phone.sign_in_by_passkey_blocking(&authenticator, None);
    assert_eq!(r.status_code(), 200, "{r:?}");
    let (_, data) = event(&updates);
    assert_eq!(data["user"]["username"], ALICE);
    subscription.unsubscribe();
}

#[test]
fn bad_codes_and_missing_sessions_end_at_once_with_why() {
    let emu = emulator_with_alice();
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap();
    let (tx, updates) = mpsc::channel();
    let _ = client.sub_event("", tx);
    match next(&updates) {
        SubEvent::Ended(EventEnd::Refused(why)) => assert!(why.contains("code"), "{why}"),
        other => panic!("{other:?}"),
    }
    let (tx, updates) = mpsc::channel();
    let _ = client.sub_event("myapp.notice", tx);
    assert_eq!(next(&updates), SubEvent::Ended(EventEnd::SignedOut));
    // ws:// to an https app is refused before anything is sent.
    let https = AuthClient::builder()
        .app_id("app")
        .app_host("https://127.0.0.1:9")
        .access_token("t")
        .web_socket_host("ws://127.0.0.1:9")
        .build()
        .unwrap();
    let (tx, updates) = mpsc::channel();
    let _ = https.sub_event("myapp.notice", tx);
    match next(&updates) {
        SubEvent::Ended(EventEnd::Refused(why)) => assert!(why.contains("unencrypted"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn pub_event_publishes_custom_events_and_the_server_refuses_authings_own() {
    let emu = emulator_with_alice();
    let client = signed_in_on(&emu, "laptop-1");
    let response = client.pub_event_blocking("authing.user.updated", "{}");
    assert_eq!(response.status_code(), 403, "{response:?}");
    assert!(!response.is_event_published());
    let local = client.pub_event_blocking("has space", "{}");
    assert_eq!(local.status_code(), 10010, "{local:?}");
    let (tx, answers) = mpsc::channel();
    let _ = client.pub_event("myapp.order.paid", r#"{"order":"42"}"#, tx);
    let answer = answers.recv_timeout(WAIT).unwrap();
    assert!(answer.is_event_published(), "{answer:?}");
    let published = emu.published_events();
    let last = published.last().unwrap();
    assert_eq!(last["eventType"], "myapp.order.paid");
    assert_eq!(
        last["eventData"], r#"{"order":"42"}"#,
        "the data is sent as a string"
    );
}

#[test]
fn an_inbox_runs_the_updates_on_its_own_thread_in_order_and_lets_go_after_the_end() {
    use authing::Inbox;
    use std::time::Instant;
    let emu = emulator_with_alice();
    let client = signed_in_on(&emu, "laptop-1");
    // Not Send: the handler stays on this thread (an Rc would do as well).
    let inbox: Inbox<Vec<String>> = Inbox::new();
    let subscription = client.sub_event(
        "myapp.notice",
        inbox.event_callback(|seen: &mut Vec<String>, update: SubEvent| {
            seen.push(match update {
                SubEvent::Connected { .. } => "connected".into(),
                SubEvent::Event(event) => event.data().to_string(),
                SubEvent::Ended(why) => format!("ended: {why}"),
                other => format!("{other:?}"),
            });
        }),
    );
    let mut seen = Vec::new();
    let run_until = |seen: &mut Vec<String>, n: usize| {
        let deadline = Instant::now() + WAIT;
        while seen.len() < n {
            inbox.run_pending(seen);
            assert!(Instant::now() < deadline, "only {seen:?}");
            std::thread::yield_now();
        }
    };
    run_until(&mut seen, 1);
    emu.publish_event(ALICE, "myapp.notice", serde_json::json!(1))
        .unwrap();
    emu.publish_event(ALICE, "myapp.notice", serde_json::json!(2))
        .unwrap();
    run_until(&mut seen, 3);
    assert_eq!(inbox.waiting(), 1, "the handler waits for more");
    subscription.unsubscribe();
    run_until(&mut seen, 4);
    assert_eq!(seen, ["connected", "1", "2", "ended: unsubscribed"]);
    assert_eq!(inbox.waiting(), 0, "the handler is dropped after the end");
}
