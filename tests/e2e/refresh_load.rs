//! A load nobody had run (issue 19, section C): 200 signed-in calls at once, of two users
//! (100 each, each user's client behind a recording proxy of its own), meet access tokens
//! the emulator expired while the refresh is slow, fails with a 5xx, or answers 401.
//!
//! Each proxy holds its refresh's answer until all 100 of its calls have had their 401, so
//! every call is waiting on the one refresh when it lands (the worst case of "slow", made
//! exact instead of guessed with a delay). What each variant asserts: exactly one
//! `POST /oidc/token` per user on the wire for the expiry; all 200 calls answered, each
//! once, before a deadline (a hang would be a deadlock); every bearer a user's proxy saw is
//! a token issued to that user (none of the other's); and the answers: the profile of the
//! right user after a slow refresh, the refresh's own failure after a 5xx or a 401, and
//! then, the fault gone, one more refresh per user that serves every call. A fourth test
//! makes the refresh slow on the emulator instead (`Fault::Delay`), nothing held.

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::proxy::{Exchange, Proxy};
use crate::common::DEADLINE;
use authing::emulator::{Emulator, Fault, NewUser};
use authing::{AuthClient, AuthResponse, RequestHandle};

const PASSWORD: &str = "load-passw0rd";
const USERS: [&str; 2] = ["ann", "ben"];
const CALLS_PER_USER: usize = 100;
const TOKEN_PATH: &str = "/oidc/token";
const PROFILE_LINE: &str = "GET /api/v3/get-profile";

/// One signed-in user: the id the emulator gave, and a client behind a proxy of its own.
struct Side {
    name: &'static str,
    user_id: String,
    proxy: Proxy,
    client: AuthClient,
    /// Every access token the emulator issued to this user, as seen on its proxy.
    issued: HashSet<String>,
}

fn setup() -> (Emulator, Vec<Side>) {
    let emu = Emulator::start().expect("the emulator starts");
    let sides = USERS
        .iter()
        .map(|name| {
            let user_id = emu
                .add_user(NewUser::with_username(*name, PASSWORD))
                .expect("a user");
            let proxy = Proxy::start(emu.addr());
            let client = AuthClient::builder()
                .app_id(emu.app_id())
                .app_host(proxy.base_url())
                .max_concurrent_requests(CALLS_PER_USER)
                .build()
                .expect("valid settings");
            let signed_in = client.sign_in_by_account_password_blocking(name, PASSWORD, None);
            assert_eq!(signed_in.status_code(), 200, "{}", signed_in.message());
            // The full profile follows the sign-in on a worker: waited for, so the log
            // taken next holds only the load's requests.
            crate::common::full_profile(&client);
            let token = client.get_token().expect("a session");
            assert!(token.refresh_token().is_some(), "the session can refresh");
            proxy.take();
            Side {
                name,
                user_id,
                proxy,
                client,
                issued: HashSet::from([token.access_token().to_string()]),
            }
        })
        .collect();
    (emu, sides)
}

/// The `statusCode` of an answer's envelope (the emulator answers HTTP 200 with it).
fn envelope_status(x: &Exchange) -> i64 {
    x.response_json()
        .ok()
        .and_then(|body| body["statusCode"].as_i64())
        .unwrap_or_else(|| i64::from(x.status))
}

/// Waits, woken by each exchange the proxy records, until it has seen `n` profile
/// requests answered 401; panics at the deadline.
fn wait_for_rejections(proxy: &Proxy, n: usize) {
    let rejected = |exchanges: &[Exchange]| {
        exchanges
            .iter()
            .filter(|x| x.line() == PROFILE_LINE && envelope_status(x) == 401)
            .count()
    };
    let met = proxy.wait_until(Instant::now() + DEADLINE, |x| rejected(x) >= n);
    assert!(
        met,
        "only {} of {n} calls met the expired token before the deadline",
        rejected(&proxy.exchanges())
    );
}

/// One round: every user's access token expires on the emulator (and, with `fault`, the
/// next refreshes fail with it); `CALLS_PER_USER` profile calls per user start at once.
/// With `hold`, each proxy keeps its refresh's answer until all its calls have met the
/// expired token. Asserts one refresh per user on the wire, every call answered once
/// before the deadline, and every bearer that user's own; answers the answers, by side.
fn round(
    emu: &Emulator,
    sides: &mut [Side],
    fault: Option<Fault>,
    hold: bool,
) -> Vec<Vec<AuthResponse>> {
    for side in sides.iter() {
        // After a failed refresh the session's token is the one that expired already.
        emu.expire_access_tokens(side.name);
        let state = emu.user_state(side.name).expect("the user");
        assert_eq!(
            state.access_tokens, 0,
            "{}: no live access token",
            side.name
        );
    }
    if let Some(fault) = fault {
        emu.inject_fault(TOKEN_PATH, fault, sides.len() as u32);
    }
    let mut holds: Vec<_> = sides
        .iter()
        .filter(|_| hold)
        .map(|side| side.proxy.hold_answer(TOKEN_PATH))
        .collect();

    let (tx, rx) = mpsc::channel::<(usize, usize, AuthResponse)>();
    let mut handles: Vec<RequestHandle> = Vec::new();
    for (s, side) in sides.iter().enumerate() {
        for i in 0..CALLS_PER_USER {
            let tx = tx.clone();
            handles.push(
                side.client
                    .get_profile(false, false, false, move |r: AuthResponse| {
                        let _ = tx.send((s, i, r));
                    }),
            );
        }
    }
    drop(tx);
    if hold {
        for (side, held) in sides.iter().zip(&holds) {
            assert!(
                held.wait_held(DEADLINE),
                "{}'s refresh reached the server",
                side.name
            );
            wait_for_rejections(&side.proxy, CALLS_PER_USER);
        }
        for held in &mut holds {
            held.release();
        }
    }

    // Every call answered once, before the deadline.
    let mut answers: Vec<Vec<Option<AuthResponse>>> =
        sides.iter().map(|_| vec![None; CALLS_PER_USER]).collect();
    let deadline = Instant::now() + DEADLINE;
    for n in 0..sides.len() * CALLS_PER_USER {
        let left = deadline.saturating_duration_since(Instant::now());
        let (s, i, answer) = rx
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("only {n} answers before the deadline: {e}"));
        assert!(
            answers[s][i].replace(answer).is_none(),
            "call {i} of {} answered twice",
            sides[s].name
        );
    }
    for handle in &handles {
        assert!(handle.wait_timeout(DEADLINE), "a handle finished");
    }
    assert!(rx.try_recv().is_err(), "no answer beyond one per call");

    for side in sides.iter_mut() {
        let log = side.proxy.take();
        let refreshes: Vec<&Exchange> = log
            .iter()
            .filter(|x| x.line() == "POST /oidc/token")
            .collect();
        assert_eq!(
            refreshes.len(),
            1,
            "{}: one refresh on the wire for the expiry",
            side.name
        );
        let refresh = refreshes[0];
        if refresh.status == 200 {
            let body = refresh.response_json().expect("a token answer");
            let token = body["access_token"].as_str().expect("an access token");
            side.issued.insert(token.to_string());
        }
        let other = log
            .iter()
            .filter(|x| x.line() != PROFILE_LINE && x.line() != "POST /oidc/token");
        assert_eq!(
            other.count(),
            0,
            "{}: only profiles and the refresh",
            side.name
        );
        for x in log.iter().filter(|x| x.line() == PROFILE_LINE) {
            let bearer = x.request_header("authorization").expect("a bearer");
            let token = bearer.strip_prefix("Bearer ").expect("a bearer token");
            assert!(
                side.issued.contains(token),
                "{} sent a token not issued to it",
                side.name
            );
        }
    }
    let (a, b) = (&sides[0].issued, &sides[1].issued);
    assert!(a.is_disjoint(b), "the two users never share a token");

    answers
        .into_iter()
        .map(|side| side.into_iter().map(|a| a.expect("answered")).collect())
        .collect()
}

/// Every answer is `side`'s own profile.
fn assert_profiles(sides: &[Side], answers: &[Vec<AuthResponse>]) {
    for (side, answers) in sides.iter().zip(answers) {
        for answer in answers {
            assert_eq!(
                answer.status_code(),
                200,
                "{}: {}",
                side.name,
                answer.message()
            );
            let user = answer.user_info().expect("a profile");
            assert_eq!(
                user.user_id(),
                side.user_id,
                "{} got another user's profile",
                side.name
            );
        }
    }
}

/// A refresh that fails with `fault` is every waiting call's answer, and the session stays:
/// the next expiry's round refreshes once per user and serves every call.
fn failing_refresh_then_recovery(fault: Fault, status: i32) {
    let (emu, mut sides) = setup();
    let answers = round(&emu, &mut sides, Some(fault), true);
    for (side, answers) in sides.iter().zip(&answers) {
        for answer in answers {
            assert_eq!(
                answer.status_code(),
                status,
                "{}: {}",
                side.name,
                answer.message()
            );
        }
        assert!(
            side.client.get_token().is_some(),
            "{}: the session stays",
            side.name
        );
    }
    let answers = round(&emu, &mut sides, None, false);
    assert_profiles(&sides, &answers);
}

#[test]
fn two_hundred_calls_of_two_users_meeting_expired_tokens_while_the_refresh_is_slow_share_one_refresh_each(
) {
    let (emu, mut sides) = setup();
    let answers = round(&emu, &mut sides, None, true);
    assert_profiles(&sides, &answers);
    for side in &sides {
        let state = emu.user_state(side.name).expect("the user");
        assert_eq!(
            (state.access_tokens, state.refresh_tokens),
            (1, 1),
            "{}",
            side.name
        );
    }
}

#[test]
fn two_hundred_calls_meeting_expired_tokens_while_the_emulator_delays_the_refresh_share_one_refresh_each(
) {
    // The slowness on the server this time (no answer held at the proxy): however many
    // calls meet the expired token while the refresh is on the wire, it is the only one.
    let (emu, mut sides) = setup();
    let slow = Fault::Delay(Duration::from_millis(300));
    let answers = round(&emu, &mut sides, Some(slow), false);
    assert_profiles(&sides, &answers);
}

#[test]
fn two_hundred_calls_meeting_expired_tokens_while_the_refresh_fails_with_502_get_its_failure_once()
{
    let fault = Fault::Status {
        status: 502,
        body: "<html>bad gateway</html>".into(),
    };
    failing_refresh_then_recovery(fault, 502);
}

#[test]
fn two_hundred_calls_meeting_expired_tokens_while_the_refresh_answers_401_get_its_failure_once() {
    let fault = Fault::Status {
        status: 401,
        body: r#"{"error":"invalid_client","error_description":"client authentication failed"}"#
            .into(),
    };
    failing_refresh_then_recovery(fault, 401);
}
