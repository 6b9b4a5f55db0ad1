//! OpenID Connect end to end, SDK <-> emulator: the sign-in through the browser (the
//! browser played by plain HTTP: the hosted page fetched, its forms posted, the redirect
//! followed to the loopback listener), the Android-style calls (`build_authorize_url`,
//! `get_access_token_by_code`, `get_user_info_by_access_token`), every hostile case of
//! issue 12, and sign-out ending the provider's session.

use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use crate::common::browser::{origin, query_param, Browser};
use crate::common::{self, DEADLINE, QUIET};
use authing::emulator::{Emulator, Fault, Gate, IdTokenTamper, NewUser};
use authing::{
    codes, AuthClient, AuthError, AuthRequest, AuthResponse, BrowserSignIn, Lang, OidcError,
    RequestHandle,
};

const EMAIL: &str = "mike@example.com";
const PASSWORD: &str = "passw0rd-1";

fn setup() -> (Emulator, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    let mut user = NewUser::with_email(EMAIL, PASSWORD);
    user.username = Some("mike".into());
    emu.add_user(user).expect("a user");
    // One worker: a call made after a flow runs only once the flow's work has returned,
    // which is how `listener_closed` knows the listener is gone without polling the port.
    let client = common::builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .max_concurrent_requests(1)
        .build()
        .expect("valid settings");
    (emu, client)
}

/// A browser sign-in whose "browser" is the test: the opener hands the URL over.
struct Flow {
    handle: RequestHandle,
    answers: Receiver<AuthResponse>,
    url: String,
}

impl Flow {
    fn start(client: &AuthClient, options: BrowserSignIn) -> Flow {
        let (url_tx, url_rx) = mpsc::channel();
        let options = options.open_with(move |url: &str| {
            let _ = url_tx.send(url.to_string());
        });
        let (tx, answers) = mpsc::channel();
        let handle = client.sign_in_by_browser(options, tx);
        let url = url_rx
            .recv_timeout(DEADLINE)
            .expect("the flow opens the page");
        Flow {
            handle,
            answers,
            url,
        }
    }

    /// The loopback redirect URL the flow sent.
    fn redirect_uri(&self) -> String {
        query_param(&self.url, "redirect_uri").expect("a redirect_uri")
    }

    /// The one answer, and no second one.
    fn answer(&self) -> AuthResponse {
        let answer = self
            .answers
            .recv_timeout(DEADLINE)
            .expect("the callback runs");
        assert!(
            self.answers.recv_timeout(QUIET).is_err(),
            "the callback ran a second time"
        );
        answer
    }
}

/// Whether nothing listens on the address of `url` once the flow's work has ended. The
/// callback (a cancellation's, at once) may come before the worker has closed its
/// listener, so this first waits for the flow's worker: `client` has one worker, and a
/// call made now is run by it only after the flow returned. Then one connection attempt.
fn listener_closed(client: &AuthClient, url: &str) -> bool {
    let (tx, after) = mpsc::channel();
    let _queued = client.get_country_list(tx);
    let answer: AuthResponse = after
        .recv_timeout(DEADLINE)
        .expect("the worker is free again");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    let addr = origin(url).trim_start_matches("http://").to_string();
    TcpStream::connect(&addr).is_err()
}

fn oidc_error(response: &AuthResponse) -> OidcError {
    match response.error() {
        Some(AuthError::Oidc(e)) => e.clone(),
        other => panic!("an oidc error, not {other:?} ({})", response.message()),
    }
}

#[test]
fn a_desktop_app_signs_in_through_the_browser_and_keeps_a_checked_session() {
    let (_emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    assert!(flow.url.starts_with(&format!(
        "{}/oidc/auth?client_id=demo-app&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A",
        client_base(&client)
    )));
    assert_eq!(
        query_param(&flow.url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    let redirect = flow.redirect_uri();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));

    let mut browser = Browser::new();
    let back = browser.sign_in(&flow.url, EMAIL, PASSWORD, true);
    assert!(back.starts_with(&redirect), "{back}");
    let page = browser.get(&back);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("You are signed in"), "{}", page.body);

    let answer = flow.answer();
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    let tokens = answer.login_token_data().expect("the tokens");
    assert!(tokens.id_token().is_some());
    assert!(
        tokens.refresh_token().is_some(),
        "the default scope has offline_access"
    );
    assert_eq!(
        client.get_token().map(|t| t.access_token().to_string()),
        Some(tokens.access_token().to_string())
    );
    let user = client.get_current_user().expect("the user was fetched");
    assert_eq!(user.email(), Some(EMAIL));
    // The session works for calls that need a user.
    let claims = client
        .get_user_info_by_access_token_blocking(None)
        .user_claims()
        .expect("claims");
    assert_eq!(claims.sub(), user.user_id());
    assert_eq!(claims.email(), Some(EMAIL));
    flow.handle.join().unwrap();
}

fn client_base(client: &AuthClient) -> String {
    let mut r = AuthRequest::new();
    r.set_redirect_url("http://127.0.0.1:1/x");
    let url = client
        .build_authorize_url_blocking(&r)
        .authorize_url()
        .unwrap();
    url.split("/oidc/auth").next().unwrap().to_string()
}

#[test]
fn the_listener_binds_loopback_and_refuses_connections_once_the_flow_ends() {
    let (_emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    assert!(flow.redirect_uri().starts_with("http://127.0.0.1:"));
    let mut browser = Browser::new();
    let back = browser.sign_in(&flow.url, EMAIL, PASSWORD, true);
    assert_eq!(browser.get(&back).status, 200);
    assert_eq!(flow.answer().status_code(), 200);
    assert!(
        listener_closed(&client, &back),
        "the listener still accepts connections"
    );
    // A second redirect, the same one replayed, finds nobody listening.
    let again = ureq::get(&back).call();
    assert!(again.is_err(), "a second redirect was answered: {again:?}");
}

#[test]
fn a_redirect_with_the_wrong_state_is_ignored_and_the_right_one_still_signs_in() {
    let (_emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    let mut browser = Browser::new();
    let back = browser.sign_in(&flow.url, EMAIL, PASSWORD, true);
    let forged = format!(
        "{}?code=forged-code&state=not-the-state",
        flow.redirect_uri()
    );
    let ignored = browser.get(&forged);
    assert_eq!(ignored.status, 400);
    assert!(
        ignored.body.contains("Not this sign-in"),
        "{}",
        ignored.body
    );
    let missing = browser.get(&format!("{}?code=forged-code", flow.redirect_uri()));
    assert_eq!(missing.status, 400);
    assert!(
        flow.answers.recv_timeout(QUIET).is_err(),
        "a forged redirect ended the flow"
    );
    assert_eq!(browser.get(&back).status, 200);
    assert_eq!(flow.answer().status_code(), 200);
}

#[test]
fn a_favicon_fetch_a_port_scan_and_a_silent_connection_do_not_end_the_wait() {
    use std::io::{Read, Write};
    let (_emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    let redirect = flow.redirect_uri();
    let addr = origin(&redirect).trim_start_matches("http://").to_string();
    // A browser's speculative connection that never sends a byte.
    let _silent = TcpStream::connect(&addr).unwrap();
    // A favicon fetch.
    let mut browser = Browser::new();
    let favicon = browser.get(&format!("http://{addr}/favicon.ico"));
    assert_eq!(favicon.status, 404);
    // A port scanner's garbage: the connection is closed without an answer.
    let mut scan = TcpStream::connect(&addr).unwrap();
    scan.set_read_timeout(Some(DEADLINE)).unwrap();
    scan.write_all(b"\x16\x03\x01 not http\r\n\r\n").unwrap();
    let mut answered = Vec::new();
    let _ = scan.read_to_end(&mut answered);
    assert!(answered.is_empty(), "garbage got an answer");
    // A POST to the redirect path.
    let post = browser.post_form(&redirect, &[("code", "x")]);
    assert_eq!(post.status, 405);
    assert!(
        flow.answers.recv_timeout(QUIET).is_err(),
        "the flow ended early"
    );
    // The real redirect still completes.
    let back = browser.sign_in(&flow.url, EMAIL, PASSWORD, true);
    assert_eq!(browser.get(&back).status, 200);
    assert_eq!(flow.answer().status_code(), 200);
}

#[test]
fn declining_consent_answers_access_denied_once_and_saves_nothing() {
    let (_emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    let mut browser = Browser::new();
    let back = browser.sign_in(&flow.url, EMAIL, PASSWORD, false);
    assert_eq!(
        query_param(&back, "error").as_deref(),
        Some("access_denied")
    );
    let page = browser.get(&back);
    assert!(page.body.contains("Sign-in failed"), "{}", page.body);
    let answer = flow.answer();
    assert_eq!(answer.status_code(), codes::OIDC_FAILED);
    match oidc_error(&answer) {
        OidcError::Denied { error, description } => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("the user denied consent"));
        }
        other => panic!("denied, not {other:?}"),
    }
    assert!(client.get_token().is_none());
    assert!(listener_closed(&client, &back));
}

#[test]
fn a_browser_that_never_comes_back_times_out_with_one_callback_and_a_closed_port() {
    let (_emu, client) = setup();
    let flow = Flow::start(
        &client,
        BrowserSignIn::new().timeout(Duration::from_millis(300)),
    );
    let answer = flow.answer();
    assert_eq!(answer.status_code(), codes::OIDC_FAILED);
    assert_eq!(
        oidc_error(&answer),
        OidcError::TimedOut(Duration::from_millis(300))
    );
    assert!(listener_closed(&client, &flow.redirect_uri()));
}

#[test]
fn cancelling_the_flow_delivers_one_cancellation_and_closes_the_listener() {
    let (emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    let mut browser = Browser::new();
    // The user signs in, but the app cancels before the browser comes back.
    let login = browser.get(&flow.url);
    let consent = browser.post_form(
        &login.form_action().expect("a form"),
        &[("account", EMAIL), ("password", PASSWORD)],
    );
    assert!(flow.handle.cancel());
    let answer = flow.answer();
    assert_eq!(answer.status_code(), codes::CANCELLED);
    let back = browser.decide(&consent, true);
    assert!(
        listener_closed(&client, &back),
        "the listener outlived the cancellation"
    );
    assert!(client.get_token().is_none());
    // The cancelled flow never exchanged the code the browser got: it is still unspent,
    // so a try without its verifier is refused for the verifier, not as a used code.
    let code = query_param(&back, "code").expect("a code");
    let stranger = request_with_redirect(&flow.redirect_uri());
    let answer = client.get_access_token_by_code_blocking(&code, &stranger);
    assert!(
        answer.message().contains("code_verifier does not match"),
        "{}",
        answer.message()
    );
    assert_eq!(emu.oidc_sessions().len(), 1);
}

#[test]
fn a_cancel_while_the_code_is_being_exchanged_wins_and_saves_no_session() {
    let (emu, client) = setup();
    // The token endpoint holds the exchange until the test has cancelled.
    let gate = Gate::new();
    emu.inject_fault("/oidc/token", Fault::Hold(gate.clone()), 1);
    let flow = Flow::start(&client, BrowserSignIn::new());
    let mut browser = Browser::new();
    let back = browser.sign_in(&flow.url, EMAIL, PASSWORD, true);
    // The browser comes back; the flow answers it only after the exchange, so on a thread.
    let browser_page = thread::spawn(move || browser.get(&back));
    assert!(
        gate.wait_held(DEADLINE),
        "the flow sent the code to the token endpoint"
    );
    assert!(flow.handle.cancel());
    assert_eq!(flow.answer().status_code(), codes::CANCELLED);
    // Now the provider answers with good tokens; the worker checks them, sees the cancel
    // and answers the browser. Once the browser has its page the worker is past saving.
    gate.open();
    let page = browser_page.join().expect("the browser thread ends");
    assert!(
        !page.body.contains("You are signed in"),
        "the page claims a sign-in the app was told was cancelled: {}",
        page.body
    );
    assert!(
        client.get_token().is_none(),
        "a cancelled sign-in saved tokens"
    );
    assert!(client.get_current_user().is_none());
    assert!(
        flow.answers.recv_timeout(QUIET).is_err(),
        "the callback ran a second time"
    );
}

#[test]
fn every_spoiled_id_token_is_refused_by_name_and_no_session_is_saved() {
    let cases = [
        (IdTokenTamper::BadSignature, "signature does not verify"),
        (IdTokenTamper::WrongAudience, "aud does not name this app"),
        (IdTokenTamper::Expired, "expired"),
        (IdTokenTamper::WrongNonce, "nonce does not match"),
        (
            IdTokenTamper::WrongIssuer,
            "iss is not the provider's issuer",
        ),
    ];
    for (tamper, said) in cases {
        let (emu, client) = setup();
        let request = request_with_redirect("http://127.0.0.1:4321/callback");
        let code = code_for(&client, &request, true);
        emu.tamper_next_id_token(tamper);
        let answer = client.get_access_token_by_code_blocking(&code, &request);
        assert_eq!(
            answer.status_code(),
            codes::OIDC_FAILED,
            "{tamper:?}: {answer:?}"
        );
        match oidc_error(&answer) {
            OidcError::IdToken(reason) => assert!(reason.contains(said), "{tamper:?}: {reason}"),
            other => panic!("{tamper:?}: an id_token error, not {other:?}"),
        }
        assert!(client.get_token().is_none(), "{tamper:?} saved a session");
    }
}

#[test]
fn a_spoiled_id_token_in_the_browser_flow_fails_and_the_page_says_so() {
    let (emu, client) = setup();
    emu.tamper_next_id_token(IdTokenTamper::BadSignature);
    let flow = Flow::start(&client, BrowserSignIn::new());
    let mut browser = Browser::new();
    let back = browser.sign_in(&flow.url, EMAIL, PASSWORD, true);
    let page = browser.get(&back);
    assert!(page.body.contains("Sign-in failed"), "{}", page.body);
    assert!(
        page.body.contains("signature does not verify"),
        "{}",
        page.body
    );
    assert!(matches!(oidc_error(&flow.answer()), OidcError::IdToken(_)));
    assert!(client.get_token().is_none());
}

fn request_with_redirect(redirect: &str) -> AuthRequest {
    let mut request = AuthRequest::new();
    request.set_redirect_url(redirect);
    request
}

/// Plays the browser for `request`: the code of the redirect (`allow`ed).
fn code_for(client: &AuthClient, request: &AuthRequest, allow: bool) -> String {
    let url = client
        .build_authorize_url_blocking(request)
        .authorize_url()
        .expect("a url");
    let back = Browser::new().sign_in(&url, EMAIL, PASSWORD, allow);
    assert_eq!(
        query_param(&back, "state").as_deref(),
        Some(request.state()),
        "the state comes back"
    );
    query_param(&back, "code").expect("a code")
}

fn oauth_error_of(answer: &AuthResponse) -> String {
    assert_eq!(answer.status_code(), 400, "{answer:?}");
    let body: serde_json::Value = serde_json::from_str(answer.message()).expect("json");
    body["error"].as_str().unwrap_or_default().to_string()
}

#[test]
fn the_android_calls_sign_in_with_a_code_and_read_the_user_claims() {
    let (_emu, client) = setup();
    let request = request_with_redirect("http://127.0.0.1:4321/callback");
    let code = code_for(&client, &request, true);
    let (tx, rx) = mpsc::channel();
    client
        .get_access_token_by_code(&code, &request, tx)
        .join()
        .unwrap();
    let answer = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    let access = answer
        .login_token_data()
        .unwrap()
        .access_token()
        .to_string();
    let claims = client
        .get_user_info_by_access_token_blocking(access.as_str())
        .user_claims()
        .unwrap();
    assert_eq!(claims.email(), Some(EMAIL));
    assert_eq!(claims.username(), Some("mike"));
    assert!(claims.claim("iss").is_none() && claims.claim("aud").is_none());
    // The Android refresh call renews the session this flow started, which stays a
    // browser session: sign-out still ends the provider's session.
    let renewed = client.get_new_access_token_by_refresh_token_blocking(None);
    assert_eq!(renewed.status_code(), 200, "{renewed:?}");
    let out = client.logout_blocking();
    assert_eq!(out.data().unwrap()["oidcSessionEnded"], true, "{out:?}");
}

#[test]
fn a_replayed_code_is_refused_and_revokes_the_tokens_it_gave() {
    let (_emu, client) = setup();
    let request = request_with_redirect("http://127.0.0.1:4321/callback");
    let code = code_for(&client, &request, true);
    let first = client.get_access_token_by_code_blocking(&code, &request);
    assert_eq!(first.status_code(), 200, "{first:?}");
    let access = first.login_token_data().unwrap().access_token().to_string();
    let replay = client.get_access_token_by_code_blocking(&code, &request);
    assert_eq!(oauth_error_of(&replay), "invalid_grant");
    let me = client.get_user_info_by_access_token_blocking(access.as_str());
    assert_eq!(
        me.status_code(),
        401,
        "the first tokens were revoked: {me:?}"
    );
}

#[test]
fn a_code_for_another_redirect_uri_is_refused() {
    let (_emu, client) = setup();
    let request = request_with_redirect("http://127.0.0.1:4321/callback");
    let code = code_for(&client, &request, true);
    let mut other = request.clone();
    other.set_redirect_url("http://127.0.0.1:4322/callback");
    let answer = client.get_access_token_by_code_blocking(&code, &other);
    assert_eq!(oauth_error_of(&answer), "invalid_grant");
    assert!(
        answer.message().contains("redirect_uri"),
        "{}",
        answer.message()
    );
    assert!(client.get_token().is_none());
}

#[test]
fn a_code_exchanged_with_another_verifier_is_refused_and_spent() {
    let (_emu, client) = setup();
    let request = request_with_redirect("http://127.0.0.1:4321/callback");
    let code = code_for(&client, &request, true);
    let mut thief = request.clone();
    thief.set_code_verifier("a".repeat(43));
    let answer = client.get_access_token_by_code_blocking(&code, &thief);
    assert_eq!(oauth_error_of(&answer), "invalid_grant");
    assert!(
        answer.message().contains("code_verifier"),
        "{}",
        answer.message()
    );
    // A failed exchange spends the code: the owner cannot use it either now.
    let owner = client.get_access_token_by_code_blocking(&code, &request);
    assert_eq!(oauth_error_of(&owner), "invalid_grant");
}

#[test]
fn a_code_expires_after_ten_minutes_on_the_emulator_clock() {
    let (emu, client) = setup();
    let request = request_with_redirect("http://127.0.0.1:4321/callback");
    let code = code_for(&client, &request, true);
    emu.advance_clock(Duration::from_secs(601));
    let answer = client.get_access_token_by_code_blocking(&code, &request);
    assert_eq!(oauth_error_of(&answer), "invalid_grant");
}

#[test]
fn logout_after_a_browser_sign_in_ends_the_provider_session() {
    let (emu, client) = setup();
    let request = request_with_redirect("http://127.0.0.1:4321/callback");
    let code = code_for(&client, &request, true);
    assert_eq!(
        client
            .get_access_token_by_code_blocking(&code, &request)
            .status_code(),
        200
    );
    assert!(emu.oidc_sessions()[0].active);
    let out = client.logout_blocking();
    assert_eq!(out.status_code(), 200);
    let data = out.data().unwrap();
    assert_eq!(data["revoked"], true, "{data}");
    assert_eq!(data["oidcSessionEnded"], true, "{data}");
    assert!(!emu.oidc_sessions()[0].active);
    assert!(client.get_token().is_none());
}

#[test]
fn logout_after_a_password_sign_in_ends_no_provider_session() {
    let (emu, client) = setup();
    let signed_in = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(signed_in.status_code(), 200, "{signed_in:?}");
    let out = client.logout_blocking();
    let data = out.data().unwrap();
    assert_eq!(data["revoked"], true);
    assert!(data.get("oidcSessionEnded").is_none(), "{data}");
    assert!(emu.oidc_sessions().is_empty());
}

#[test]
fn a_browser_already_signed_in_goes_straight_to_consent_unless_prompt_is_login() {
    let (_emu, client) = setup();
    let mut browser = Browser::new();
    let first = request_with_redirect("http://127.0.0.1:4321/callback");
    let url = client
        .build_authorize_url_blocking(&first)
        .authorize_url()
        .unwrap();
    browser.sign_in(&url, EMAIL, PASSWORD, true);
    let second = request_with_redirect("http://127.0.0.1:4321/callback");
    let url = client
        .build_authorize_url_blocking(&second)
        .authorize_url()
        .unwrap();
    let page = browser.get(&url);
    assert!(page.body.contains("Allow access"), "{}", page.body);
    let mut third = request_with_redirect("http://127.0.0.1:4321/callback");
    third.set_prompt("login");
    let url = client
        .build_authorize_url_blocking(&third)
        .authorize_url()
        .unwrap();
    assert!(browser.get(&url).body.contains("Password"));
}

#[test]
fn the_user_info_of_the_session_needs_a_session() {
    let (_emu, client) = setup();
    let answer = client.get_user_info_by_access_token_blocking(None);
    assert_eq!(answer.status_code(), codes::NOT_SIGNED_IN);
}

#[test]
fn a_redirect_naming_another_issuer_is_refused_without_spending_anything() {
    let (_emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    let state = query_param(&flow.url, "state").unwrap();
    let forged = format!(
        "{}?code=c&state={state}&iss=https%3A%2F%2Fevil.example%2Foidc",
        flow.redirect_uri()
    );
    let page = Browser::new().get(&forged);
    assert!(page.body.contains("another issuer"), "{}", page.body);
    let answer = flow.answer();
    assert!(
        matches!(oidc_error(&answer), OidcError::Provider(_)),
        "{answer:?}"
    );
    assert!(client.get_token().is_none());
}

#[test]
fn a_redirect_with_neither_a_code_nor_an_error_answers_unexpected_response() {
    let (_emu, client) = setup();
    let flow = Flow::start(&client, BrowserSignIn::new());
    let state = query_param(&flow.url, "state").unwrap();
    Browser::new().get(&format!("{}?state={state}", flow.redirect_uri()));
    let answer = flow.answer();
    assert_eq!(answer.status_code(), codes::JSON_PARSE_FAILED, "{answer:?}");
}

#[test]
fn an_opener_that_says_it_failed_ends_the_sign_in_at_once_with_its_reason() {
    let (_emu, client) = setup();
    let (url_tx, url_rx) = mpsc::channel();
    let options = BrowserSignIn::new()
        .timeout(Duration::from_secs(600))
        .open_with(move |url: &str| {
            let _ = url_tx.send(url.to_string());
            Err::<(), _>("no browser is installed")
        });
    let (tx, rx) = mpsc::channel();
    let _handle = client.sign_in_by_browser(options, tx);
    // At once, not after the 10 minutes it would otherwise wait for the browser.
    let answer: AuthResponse = rx.recv_timeout(DEADLINE).expect("one answer, at once");
    assert_eq!(answer.status_code(), codes::OIDC_FAILED);
    assert_eq!(
        oidc_error(&answer),
        OidcError::Browser("no browser is installed".into())
    );
    assert_eq!(
        answer.message(),
        "the browser could not be opened: no browser is installed"
    );
    assert!(rx.recv_timeout(QUIET).is_err(), "a second answer");
    let url = url_rx.recv_timeout(DEADLINE).unwrap();
    assert!(listener_closed(
        &client,
        &query_param(&url, "redirect_uri").unwrap()
    ));
    assert!(client.get_token().is_none());
}

#[test]
fn an_opener_that_panics_answers_once_and_leaves_no_listener() {
    let (_emu, client) = setup();
    let (url_tx, url_rx) = mpsc::channel();
    // (A closure that only panics has the never type: name the checked form it stands for.)
    let options = BrowserSignIn::new().open_with(move |url: &str| -> Result<(), String> {
        let _ = url_tx.send(url.to_string());
        panic!("no display");
    });
    let (tx, rx) = mpsc::channel();
    client.sign_in_by_browser(options, tx).join().unwrap();
    let answer = rx.recv_timeout(DEADLINE).unwrap();
    assert_eq!(
        oidc_error(&answer),
        OidcError::Browser("the open_with function panicked".into())
    );
    assert!(rx.recv_timeout(QUIET).is_err());
    let url = url_rx.recv_timeout(DEADLINE).unwrap();
    assert!(listener_closed(
        &client,
        &query_param(&url, "redirect_uri").unwrap()
    ));
}

#[test]
fn a_desktop_app_signs_in_through_an_external_provider_and_the_identity_is_linked() {
    let (emu, client) = setup();
    let github = emu
        .add_ext_idp(authing::emulator::NewExtIdp::new(
            "my-github",
            "github",
            "GitHub",
        ))
        .expect("a provider");
    let flow = Flow::start(&client, BrowserSignIn::new().ext_idp("my-github"));
    assert!(flow.url.starts_with(&format!(
        "{}/api/v3/signin-by-extidp?client_id=demo-app&ext_idp_conn_id=my-github&response_type=code&",
        client_base(&client)
    )), "{}", flow.url);
    let redirect = flow.redirect_uri();

    // The browser goes to the provider (the emulator's stand-in), signs in there as Mike,
    // and comes back to the app's loopback listener with a code.
    let mut browser = Browser::new();
    let to_provider = browser.get(&flow.url);
    let provider = to_provider.location.expect("a redirect to the provider");
    let unnamed = browser.get(&provider);
    assert_eq!(unnamed.status, 400, "the stand-in needs the person named");
    let back = browser
        .get(&format!("{provider}&user={EMAIL}"))
        .location
        .expect("a redirect back");
    assert!(back.starts_with(&redirect), "{back}");
    assert_eq!(browser.get(&back).status, 200);

    let answer = flow.answer();
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert_eq!(client.get_current_user().unwrap().email(), Some(EMAIL));
    let identities = client.get_identities_blocking().identities().unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].ext_idp_id(), github);

    // The URL alone, and the code exchanged by hand with the same request.
    let mut request = authing::AuthRequest::new();
    request.set_redirect_url("http://127.0.0.1:4321/callback");
    let url = client
        .build_sign_in_by_ext_idp_url_blocking("my-github", &request)
        .authorize_url()
        .expect("a url");
    let mut browser = Browser::new();
    let provider = browser.get(&url).location.expect("to the provider");
    let back = browser
        .get(&format!("{provider}&user=mike"))
        .location
        .expect("back");
    let code = query_param(&back, "code").expect("a code");
    assert_eq!(
        query_param(&back, "state").as_deref(),
        Some(request.state())
    );
    let again = client.get_access_token_by_code_blocking(&code, &request);
    assert_eq!(again.status_code(), 200, "{again:?}");
    assert_eq!(
        client.get_identities_blocking().identities().unwrap().len(),
        1,
        "the identity is linked once"
    );

    // A connection the app does not have goes back to the app with the OAuth error.
    let url = client
        .build_sign_in_by_ext_idp_url_blocking("no-such-idp", &request)
        .authorize_url()
        .unwrap();
    let refused = Browser::new().get(&url).location.expect("back to the app");
    assert_eq!(
        query_param(&refused, "error").as_deref(),
        Some("invalid_request")
    );
    // Bad input is refused before any url is built.
    let bad = client.build_sign_in_by_ext_idp_url_blocking("my github", &request);
    assert_eq!(bad.status_code(), authing::codes::INVALID_INPUT);
}
