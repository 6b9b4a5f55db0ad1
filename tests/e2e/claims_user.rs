//! The claims-first user (issue 24, item 1): a sign-in whose id_token names the user
//! answers after its one request, with the id_token's claims as the session's user; the
//! full profile (`GET /api/v3/get-profile`) follows the answer and replaces it, unless the
//! session changed meanwhile. Counted through the recording proxy, which holds the
//! profile's answer to show that nothing waits for it.

use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use crate::common::proxy::{Exchange, Proxy};
use crate::common::{full_profile, DEADLINE};
use authing::emulator::{Action, Emulator, Fault, NewUser};
use authing::{
    AuthClient, AuthResponse, EmailType, QrCodeSignInOptions, QrCodeStatus, QrCodeUpdate,
};

const EMAIL: &str = "ann@example.com";
const PASSWORD: &str = "ann's passw0rd";
const PROFILE: &str = "/api/v3/get-profile";

/// An emulator with Ann, a proxy in front of it, and a client of the proxy with one worker
/// (so a call made after a sign-in's callback runs only once the work the sign-in left on
/// that worker, its profile fetch, is done).
fn setup() -> (Emulator, Arc<Proxy>, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("a user");
    let proxy = Arc::new(Proxy::start(emu.addr()));
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(proxy.base_url())
        .max_concurrent_requests(1)
        .build()
        .expect("valid settings");
    (emu, proxy, client)
}

fn lines(log: &[Exchange]) -> Vec<String> {
    log.iter().map(Exchange::line).collect()
}

/// What a sign-in's callback saw: the answer, the session's user, the proxy's log.
type Seen = (AuthResponse, Option<authing::UserInfo>, Vec<String>);

/// A callback that reports what it saw on `tx`.
fn recorder(
    client: &AuthClient,
    proxy: &Arc<Proxy>,
    tx: mpsc::Sender<Seen>,
) -> impl FnOnce(AuthResponse) + Send + 'static {
    let (client, proxy) = (client.clone(), Arc::clone(proxy));
    move |response: AuthResponse| {
        let user = client.get_current_user();
        let _ = tx.send((response, user, lines(&proxy.exchanges())));
    }
}

#[test]
fn a_sign_in_calls_back_after_its_one_request_with_the_id_tokens_user_then_the_profile_replaces_it()
{
    let (emu, proxy, client) = setup();
    let user_id = emu.user_state(EMAIL).expect("ann").user_id.clone();
    let mut hold = proxy.hold_answer(PROFILE);
    let (tx, rx) = mpsc::channel();
    let handle =
        client.sign_in_by_email_password(EMAIL, PASSWORD, None, recorder(&client, &proxy, tx));
    let (response, user, seen) = rx.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(response.status_code(), 200, "{response:?}");
    // When the callback ran, the sign-in was the only request.
    assert_eq!(seen, ["POST /api/v3/signin"]);
    let user = user.expect("signed in at the callback");
    assert!(user.is_partial());
    assert_eq!(user.user_id(), user_id);
    assert_eq!(user.email(), Some(EMAIL), "the default scope holds email");
    assert_eq!(user.status(), None, "no claim carries the status");
    handle.join().expect("the callback returned");

    // Then the profile goes out, from the same worker; its answer is held: the session
    // still holds the claims.
    assert!(
        hold.wait_held(DEADLINE),
        "the profile was fetched after the callback"
    );
    assert!(client.get_current_user().unwrap().is_partial());
    hold.release();
    full_profile(&client);
    let full = client.get_current_user().expect("still signed in");
    assert!(!full.is_partial());
    assert_eq!(full.user_id(), user_id);
    assert_eq!(full.email(), Some(EMAIL));
    assert_eq!(
        full.status(),
        Some("Activated"),
        "what only the profile carries"
    );
    assert_eq!(
        lines(&proxy.take()),
        ["POST /api/v3/signin", "GET /api/v3/get-profile"],
        "one profile fetch, after the sign-in"
    );
}

#[test]
fn a_blocking_sign_in_returns_after_its_one_request_and_the_profile_follows_on_a_worker() {
    let (emu, proxy, client) = setup();
    let user_id = emu.user_state(EMAIL).expect("ann").user_id.clone();
    let mut hold = proxy.hold_answer(PROFILE);
    let response = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // It returned while the profile's answer is held (or before the fetch even began).
    let user = client.get_current_user().expect("signed in");
    assert!(user.is_partial());
    assert_eq!(user.user_id(), user_id);
    assert!(
        hold.wait_held(DEADLINE),
        "the profile was fetched on a worker"
    );
    assert!(client.get_current_user().unwrap().is_partial());
    hold.release();
    full_profile(&client);
    assert_eq!(
        client.get_current_user().unwrap().status(),
        Some("Activated")
    );
    assert_eq!(
        lines(&proxy.take()),
        ["POST /api/v3/signin", "GET /api/v3/get-profile"]
    );
}

#[test]
fn a_pass_code_sign_in_takes_the_same_path() {
    let (emu, proxy, client) = setup();
    assert!(client
        .send_email_blocking(EMAIL, EmailType::CHANNEL_LOGIN)
        .is_success());
    let code = emu.latest_code(EMAIL).expect("a code");
    proxy.take();
    let mut hold = proxy.hold_answer(PROFILE);
    let (tx, rx) = mpsc::channel();
    let _handle =
        client.sign_in_by_email_pass_code(EMAIL, &code, None, recorder(&client, &proxy, tx));
    let (response, user, seen) = rx.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(seen, ["POST /api/v3/signin"]);
    assert_eq!(user.expect("signed in").email(), Some(EMAIL));
    assert!(hold.wait_held(DEADLINE));
    hold.release();
    full_profile(&client);
    assert!(!client.get_current_user().unwrap().is_partial());
}

#[test]
fn a_sign_out_while_the_profile_is_on_the_wire_stays_a_sign_out() {
    let (_emu, proxy, client) = setup();
    let mut hold = proxy.hold_answer(PROFILE);
    let (tx, rx) = mpsc::channel();
    let _handle =
        client.sign_in_by_email_password(EMAIL, PASSWORD, None, recorder(&client, &proxy, tx));
    let (response, _, _) = rx.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(hold.wait_held(DEADLINE), "the profile fetch is on the wire");
    assert!(client.logout_blocking().is_success());
    assert!(client.get_current_user().is_none());
    hold.release();
    // The one worker runs this call only after the profile fetch is done with.
    let (after_tx, after) = mpsc::channel();
    let _next = client.get_country_list(after_tx);
    assert!(after.recv_timeout(DEADLINE).expect("answered").is_success());
    assert!(
        client.get_current_user().is_none(),
        "the profile brought no session back"
    );
    assert!(client.get_token().is_none());
    let profiles = proxy
        .take()
        .iter()
        .filter(|x| x.line() == "GET /api/v3/get-profile")
        .count();
    assert_eq!(profiles, 1, "it was fetched, and dropped");
}

#[test]
fn a_second_sign_in_while_the_first_ones_profile_is_on_the_wire_ends_complete_with_its_own_session()
{
    let (_emu, proxy, client) = setup();
    let mut hold = proxy.hold_answer(PROFILE);
    let response = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(hold.wait_held(DEADLINE));
    // A second sign-in; its own profile fetch queues behind the held one (one worker).
    let second = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(second.status_code(), 200, "{second:?}");
    let token = client.get_token().unwrap().access_token().to_string();
    hold.release();
    full_profile(&client);
    assert_eq!(client.get_token().unwrap().access_token(), token);
    assert_eq!(
        client.get_current_user().unwrap().status(),
        Some("Activated")
    );
}

#[test]
fn a_qr_sign_in_calls_back_after_the_ticket_exchange_and_the_profile_follows() {
    let (emu, proxy, client) = setup();
    let emu = Arc::new(emu);
    let mut hold = proxy.hold_answer(PROFILE);
    let mut options = QrCodeSignInOptions::new();
    options.set_interval(Duration::from_millis(50));
    let phone = Arc::clone(&emu);
    let on_status = move |update: QrCodeUpdate| {
        if update.status() == QrCodeStatus::PENDING {
            let id = update.qr_code().qrcode_id().to_string();
            phone
                .change_qr_code_status(&id, EMAIL, Action::SCAN)
                .unwrap();
            phone
                .change_qr_code_status(&id, EMAIL, Action::CONFIRM)
                .unwrap();
        }
    };
    let (tx, rx) = mpsc::channel();
    let _handle = client.sign_in_by_qr_code(options, on_status, recorder(&client, &proxy, tx));
    let (response, user, seen) = rx.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert!(
        !seen.iter().any(|line| line.contains("get-profile")),
        "{seen:?}"
    );
    assert_eq!(
        seen.last().map(String::as_str),
        Some("POST /api/v3/exchange-tokenset-with-qrcode-ticket")
    );
    let user = user.expect("signed in at the callback");
    assert!(user.is_partial());
    assert_eq!(
        user.email(),
        Some(EMAIL),
        "the QR sign-in's scope holds email"
    );
    assert!(
        hold.wait_held(DEADLINE),
        "the profile was fetched after the callback"
    );
    hold.release();
    full_profile(&client);
    assert_eq!(
        client.get_current_user().unwrap().status(),
        Some("Activated")
    );
}

#[test]
fn a_profile_fetch_that_fails_leaves_the_id_tokens_user() {
    let (emu, proxy, client) = setup();
    let user_id = emu.user_state(EMAIL).expect("ann").user_id.clone();
    emu.inject_fault(
        PROFILE,
        Fault::Status {
            status: 500,
            body: r#"{"statusCode":500,"message":"down for a moment"}"#.into(),
        },
        1,
    );
    let response = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // The one worker runs this call only after the profile fetch is done with.
    let (after_tx, after) = mpsc::channel();
    let _next = client.get_country_list(after_tx);
    assert!(after.recv_timeout(DEADLINE).expect("answered").is_success());
    let profiles: Vec<Exchange> = proxy
        .take()
        .into_iter()
        .filter(|x| x.line() == "GET /api/v3/get-profile")
        .collect();
    assert_eq!(profiles.len(), 1, "fetched once, not again");
    assert_eq!(profiles[0].status, 500);
    let user = client.get_current_user().expect("still signed in");
    assert!(user.is_partial(), "the claims stay");
    assert_eq!(user.user_id(), user_id);
    assert_eq!(user.email(), Some(EMAIL));
    // get_profile asks the server, and completes the user.
    let full = client.get_profile_blocking(false, false, false);
    assert!(full.is_success(), "{full:?}");
    assert!(!client.get_current_user().unwrap().is_partial());
}
