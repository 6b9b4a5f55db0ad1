//! Refresh ahead (issue 24 item 2, `src/session/ahead.rs`), end to end against the
//! emulator with short token lifetimes set through its admin setting, seen through the
//! recording proxy: a used session is refreshed in the background before its access token
//! expires on the client's clock, so the call after that expiry sends one request; a call
//! during the refresh does not wait for it; an opted-out client, an idle session and a
//! signed-out one are not refreshed ahead; a failed refresh ahead leaves the refresh to the
//! next call, and is not tried again however many calls use its token. Counts, never timings: each test waits for a count or a condition (the token
//! expired on the client's clock) with a deadline. That the timer thread ends is in its own
//! binary (`tests/isolated_refresh_ahead.rs`), where the process's threads are its own.
//! The logs leave out the sign-in's own profile fetch with its first token, which a
//! sign-in may send after its answer (the claims-first user), so the counts are the refresh
//! ahead's and the test's calls'.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::proxy::{Exchange, Proxy};
use crate::common::DEADLINE;
use crate::common::{assert_ok, until};
use authing::emulator::{Emulator, EmulatorConfig, Fault, NewUser, TokenLifetimes};
use authing::{AuthClient, TokenSet};

const USERNAME: &str = "rita";
const PASSWORD: &str = "ahead-passw0rd";
const TOKEN_PATH: &str = "/oidc/token";
const PROFILE_PATH: &str = "/api/v3/get-profile";

/// The emulator with one user, issuing access tokens valid `access_secs` seconds, and the
/// recording proxy in front of it.
fn emulator(access_secs: u64) -> (Emulator, Proxy) {
    let emu = Emulator::start_with(EmulatorConfig::default()).expect("the emulator starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("a user");
    set_access_lifetime(&emu, access_secs);
    let proxy = Proxy::start(emu.addr());
    (emu, proxy)
}

fn set_access_lifetime(emu: &Emulator, secs: u64) {
    let lifetimes = emu.token_lifetimes();
    emu.set_token_lifetimes(TokenLifetimes {
        access_token: Duration::from_secs(secs),
        ..lifetimes
    });
}

fn client(emu: &Emulator, proxy: &Proxy, ahead: bool) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(proxy.base_url())
        .refresh_ahead(ahead)
        .build()
        .expect("valid settings")
}

/// Signs in; the session's tokens.
fn sign_in(client: &AuthClient) -> TokenSet {
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    client.get_token().expect("signed in")
}

/// `log` without the sign-in's own profile fetches (`GET /api/v3/get-profile` with the
/// sign-in's access token), which a sign-in may send after its answer: what the refresh
/// ahead and the test's calls sent.
fn beside_sign_in(log: &[Exchange], signed_in: &TokenSet) -> Vec<String> {
    let bearer = format!("Bearer {}", signed_in.access_token());
    log.iter()
        .filter(|x| x.path != PROFILE_PATH || x.request_header("authorization") != Some(&bearer))
        .map(Exchange::line)
        .collect()
}

fn refreshes(log: &[Exchange]) -> usize {
    log.iter().filter(|x| x.path == TOKEN_PATH).count()
}

/// How long a test waits for a token of `lifetime` seconds to be refreshed ahead or to
/// expire on the client's clock: its lifetime, then the usual deadline.
fn deadline_after(lifetime: u64) -> Instant {
    Instant::now() + Duration::from_secs(lifetime) + DEADLINE
}

/// Waits until `tokens` count as expired on the client's clock: seconds of real time,
/// which nothing signals.
fn wait_expired(tokens: &TokenSet) {
    let deadline = Instant::now() + Duration::from_secs(tokens.expire_in()) + DEADLINE;
    while !tokens.is_expired() {
        assert!(Instant::now() < deadline, "the token never expired");
        thread::sleep(Duration::from_millis(20)); // the sleep is the behaviour under test
    }
}

/// Waits until the session holds another access token than `old`'s (called once the proxy
/// has the refresh's exchange or it was let go: the client has it a moment later); the new
/// tokens.
fn wait_renewed(client: &AuthClient, old: &TokenSet) -> TokenSet {
    until("the session renewed", || {
        client.get_token().expect("still signed in").access_token() != old.access_token()
    });
    client.get_token().expect("still signed in")
}

#[test]
fn a_used_session_is_refreshed_ahead_and_the_call_after_the_old_tokens_expiry_sends_one_request() {
    let (emu, proxy) = emulator(10);
    let client = client(&emu, &proxy, true);
    let old = sign_in(&client);
    let signed_in = proxy.exchanges().len();
    // The refresh ahead brings a long-lived token: nothing more is due during the test.
    set_access_lifetime(&emu, 3600);

    // With no call at all, the proxy sees one refresh before the old token expires here.
    assert!(
        proxy.wait_until(deadline_after(10), |log| refreshes(&log[signed_in..]) == 1),
        "no refresh ahead: {:?}",
        proxy
            .exchanges()
            .iter()
            .map(Exchange::line)
            .collect::<Vec<_>>()
    );
    let log = proxy.exchanges();
    assert_eq!(
        beside_sign_in(&log[signed_in..], &old),
        vec![format!("POST {TOKEN_PATH}")],
        "only the refresh went out"
    );
    // The proxy records an exchange before the client has its answer.
    let renewed = wait_renewed(&client, &old);
    assert_eq!(renewed.expire_in(), 3600);
    assert!(renewed.expires_at() > old.expires_at());

    // After the old token's expiry on the client's clock, a call sends one request, with
    // the token refreshed ahead: no refresh in its path.
    wait_expired(&old);
    let before = proxy.exchanges().len();
    assert_ok(&client.get_profile_blocking(false, false, false));
    let call = proxy.exchanges().split_off(before);
    assert_eq!(
        beside_sign_in(&call, &old),
        vec![format!("GET {PROFILE_PATH}")]
    );
    let bearer = format!("Bearer {}", renewed.access_token());
    let sent = call
        .iter()
        .filter(|x| x.request_header("authorization") == Some(&bearer));
    assert_eq!(
        sent.count(),
        1,
        "the call went out with the token refreshed ahead"
    );
}

#[test]
fn a_call_during_a_refresh_ahead_sends_the_still_valid_token_without_waiting() {
    let (emu, proxy) = emulator(12);
    let client = client(&emu, &proxy, true);
    let old = sign_in(&client);
    // The refresh ahead reaches the emulator; its answer is kept from the client.
    let mut hold = proxy.hold_answer(TOKEN_PATH);
    assert!(
        hold.wait_held(Duration::from_secs(12) + DEADLINE),
        "no refresh ahead"
    );
    assert!(
        !old.is_expired(),
        "the refresh ahead came before the expiry"
    );

    // A call now is answered while the refresh is still on the wire, with the old token.
    let (tx, rx) = mpsc::channel();
    let before = proxy.exchanges().len();
    let _call = client.get_profile(false, false, false, tx);
    let answer = rx
        .recv_timeout(DEADLINE)
        .expect("the call is answered while the refresh ahead is held");
    assert_ok(&answer);
    let call: Vec<Exchange> = proxy.exchanges().split_off(before);
    let profile: Vec<&Exchange> = call.iter().filter(|x| x.path == PROFILE_PATH).collect();
    assert!(!profile.is_empty(), "the call went out");
    let bearer = format!("Bearer {}", old.access_token());
    for x in profile {
        assert_eq!(x.request_header("authorization"), Some(bearer.as_str()));
    }

    // Let go, the refresh ahead renews the session.
    hold.release();
    wait_renewed(&client, &old);
}

#[test]
fn a_call_that_finds_the_token_expired_during_a_refresh_ahead_shares_it() {
    let (emu, proxy) = emulator(8);
    let client = client(&emu, &proxy, true);
    let old = sign_in(&client);
    // The refresh brings a long-lived token: nothing more is due during the test.
    set_access_lifetime(&emu, 3600);
    let mut hold = proxy.hold_answer(TOKEN_PATH);
    assert!(
        hold.wait_held(Duration::from_secs(8) + DEADLINE),
        "no refresh ahead"
    );
    // The refresh ahead is on the wire when the token expires on the client's clock: the
    // call that finds it expired waits for that refresh instead of making its own.
    wait_expired(&old);
    let (tx, rx) = mpsc::channel();
    let _call = client.get_profile(false, false, false, tx);
    hold.release();
    assert_ok(&rx.recv_timeout(DEADLINE).expect("the call is answered"));
    let renewed = client.get_token().expect("signed in");
    assert_ne!(renewed.access_token(), old.access_token());
    let log = proxy.exchanges();
    assert_eq!(refreshes(&log), 1, "one refresh: single flight");
    let profile = log
        .iter()
        .rev()
        .find(|x| x.path == PROFILE_PATH)
        .expect("the call");
    let bearer = format!("Bearer {}", renewed.access_token());
    assert_eq!(
        profile.request_header("authorization"),
        Some(bearer.as_str())
    );
}

#[test]
fn an_opted_out_client_is_not_refreshed_ahead_and_refreshes_in_the_calls_path() {
    let (emu, proxy) = emulator(8);
    let client = client(&emu, &proxy, false);
    let old = sign_in(&client);
    let signed_in = proxy.exchanges().len();
    wait_expired(&old);
    assert_eq!(refreshes(&proxy.exchanges()), 0, "no refresh ahead");
    let after = beside_sign_in(&proxy.exchanges()[signed_in..], &old);
    assert!(after.is_empty(), "{after:?}");

    assert_ok(&client.get_profile_blocking(false, false, false));
    let call = proxy.exchanges().split_off(signed_in);
    assert_eq!(
        beside_sign_in(&call, &old),
        vec![format!("POST {TOKEN_PATH}"), format!("GET {PROFILE_PATH}")],
        "as before: the call refreshes in its path"
    );
}

#[test]
fn an_idle_session_is_refreshed_ahead_at_most_once_after_its_last_use() {
    // 7 s tokens: usable 2 s, refreshed ahead 0.5 s before they count as expired.
    let (emu, proxy) = emulator(7);
    let client = client(&emu, &proxy, true);
    let first = sign_in(&client);
    let signed_in = proxy.exchanges().len();
    assert!(
        proxy.wait_until(deadline_after(7), |log| refreshes(&log[signed_in..]) == 1),
        "the sign-in's use is refreshed ahead once"
    );
    // Nobody uses the session: once the token the refresh ahead brought has expired here
    // (its own refresh ahead would have come before), nothing more went out.
    let second = wait_renewed(&client, &first);
    wait_expired(&second);
    let log = proxy.exchanges();
    assert_eq!(
        refreshes(&log),
        1,
        "an idle session is refreshed ahead once"
    );
    assert_eq!(
        beside_sign_in(&log[signed_in..], &first),
        vec![format!("POST {TOKEN_PATH}")]
    );

    // A use plans again: the call refreshes the expired token in its path, and its new
    // token is refreshed ahead once more.
    let before = proxy.exchanges().len();
    assert_ok(&client.get_profile_blocking(false, false, false));
    let call: Vec<String> = beside_sign_in(&proxy.exchanges()[before..], &first)
        .into_iter()
        .take(2)
        .collect();
    assert_eq!(
        call,
        vec![format!("POST {TOKEN_PATH}"), format!("GET {PROFILE_PATH}")],
        "the call refreshed in its path"
    );
    let used = proxy.exchanges().len();
    assert!(
        proxy.wait_until(deadline_after(7), |log| refreshes(&log[used..]) == 1),
        "the use is refreshed ahead"
    );
}

#[test]
fn a_signed_out_session_is_never_refreshed_ahead() {
    let (emu, proxy) = emulator(8);
    let client = client(&emu, &proxy, true);
    let old = sign_in(&client);
    assert_ok(&client.logout_blocking());
    let signed_out = proxy.exchanges().len();
    // Past the moment the refresh ahead was due, and past the token's expiry: nothing.
    wait_expired(&old);
    let after = beside_sign_in(&proxy.exchanges()[signed_out..], &old);
    assert!(after.is_empty(), "nothing after the logout: {after:?}");
    assert_eq!(refreshes(&proxy.exchanges()), 0);
    assert!(client.get_token().is_none(), "the session stays ended");
}

#[test]
fn a_failed_refresh_ahead_keeps_the_session_and_the_next_call_refreshes_in_its_path() {
    let (emu, proxy) = emulator(10);
    let client = client(&emu, &proxy, true);
    emu.inject_fault(
        TOKEN_PATH,
        Fault::Status {
            status: 503,
            body: "busy".into(),
        },
        1,
    );
    let old = sign_in(&client);
    let signed_in = proxy.exchanges().len();
    assert!(
        proxy.wait_until(deadline_after(10), |log| refreshes(&log[signed_in..]) == 1),
        "no refresh ahead"
    );
    let failed = proxy.exchanges()[signed_in..]
        .iter()
        .find(|x| x.path == TOKEN_PATH)
        .map(|x| x.status);
    assert_eq!(failed, Some(503));
    // The session stays, with its token; the call's own refresh brings a long-lived one.
    set_access_lifetime(&emu, 3600);
    let kept = client.get_token().expect("the failure keeps the session");
    assert_eq!(kept.access_token(), old.access_token());

    // No second refresh ahead: once the token expired here, the call refreshes in its path.
    wait_expired(&old);
    let before = proxy.exchanges().len();
    assert_eq!(
        refreshes(&proxy.exchanges()),
        1,
        "the failed refresh ahead is not retried"
    );
    assert_ok(&client.get_profile_blocking(false, false, false));
    let call = proxy.exchanges().split_off(before);
    let bearer = format!("Bearer {}", old.access_token());
    assert_eq!(
        call.iter()
            .filter(|x| x.request_header("authorization") != Some(&bearer))
            .map(|x| (x.line(), x.status))
            .collect::<Vec<_>>(),
        vec![
            (format!("POST {TOKEN_PATH}"), 200),
            (format!("GET {PROFILE_PATH}"), 200)
        ],
    );
}

#[test]
fn a_token_whose_refresh_ahead_failed_is_not_refreshed_ahead_again_however_busy_the_program() {
    let (emu, proxy) = emulator(16);
    let client = client(&emu, &proxy, true);
    // The server fails every refresh for the whole test.
    emu.inject_fault(
        TOKEN_PATH,
        Fault::Status {
            status: 503,
            body: "busy".into(),
        },
        1000,
    );
    let old = sign_in(&client);
    let signed_in = proxy.exchanges().len();
    assert!(
        proxy.wait_until(deadline_after(16), |log| refreshes(&log[signed_in..]) == 1),
        "no refresh ahead"
    );
    // A busy program: calls while the token is still valid here (with a second to spare, so
    // that none of them refreshes in its path). Each is a use of the session.
    let mut calls = 0;
    while old
        .expires_at()
        .checked_sub(Duration::from_secs(6))
        .is_some_and(|last| Instant::now() < last)
        && calls < 5
    {
        assert_ok(&client.get_profile_blocking(false, false, false));
        calls += 1;
    }
    assert!(calls >= 2, "the calls came before the token expired");
    // Once the token expired here, the log holds the one refresh ahead: the calls did not
    // bring it back.
    wait_expired(&old);
    assert_eq!(
        refreshes(&proxy.exchanges()),
        1,
        "one refresh ahead for the token, not one per call"
    );
    assert_eq!(
        client.get_token().expect("signed in").access_token(),
        old.access_token()
    );
}
