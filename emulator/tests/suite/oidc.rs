//! The emulator's OpenID Connect endpoints, spoken to over plain HTTP: the hosted login
//! page's rules, the code grant's, `/oidc/me`, `/oidc/session/end`, the discovery
//! document naming what is served, and the admin API of the code flow.

use std::time::Duration;

use crate::common::agent_without_redirects;
use crate::common::browser::{query_param, Browser};
use authing_emulator::{Emulator, IdTokenTamper, NewUser, DEFAULT_APP_SECRET};
use serde_json::{json, Value};

const EMAIL: &str = "mike@example.com";
const PASSWORD: &str = "passw0rd-1";
const REDIRECT: &str = "http://127.0.0.1:4321/callback";
/// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("a user");
    emu
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The authorize URL of `pairs` (each value encoded).
fn authorize(emu: &Emulator, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("{}/oidc/auth?{}", emu.base_url(), query.join("&"))
}

fn good(emu: &Emulator) -> String {
    authorize(
        emu,
        &[
            ("client_id", emu.app_id()),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "openid profile email offline_access"),
            ("state", "st-1"),
            ("nonce", "no-1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
}

/// `POST /oidc/token` with `form`: status and JSON body.
fn token(emu: &Emulator, form: &[(&str, &str)]) -> (u16, Value) {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let mut response = agent_without_redirects()
        .post(format!("{}/oidc/token", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .send(body.join("&"))
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn exchange(emu: &Emulator, code: &str) -> (u16, Value) {
    token(
        emu,
        &[
            ("client_id", emu.app_id()),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", VERIFIER),
            ("redirect_uri", REDIRECT),
        ],
    )
}

/// The claims of a JWT, unchecked (the SDK's tests check signatures).
fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn an_unknown_client_or_redirect_gets_an_error_page_and_never_a_redirect() {
    let emu = emulator();
    let mut browser = Browser::new();
    for (client_id, redirect) in [
        ("not-the-app", REDIRECT),
        (emu.app_id(), "https://evil.example/callback"),
        (emu.app_id(), "http://127.0.0.1:1/cb#fragment"),
    ] {
        let url = authorize(
            &emu,
            &[
                ("client_id", client_id),
                ("response_type", "code"),
                ("redirect_uri", redirect),
                ("scope", "openid"),
                ("state", "s"),
            ],
        );
        let page = browser.get(&url);
        assert_eq!(page.status, 400, "{client_id} {redirect}");
        assert!(page.location.is_none());
        assert!(page.body.contains("Sign-in error"), "{}", page.body);
    }
}

#[test]
fn other_faults_of_the_request_go_back_to_the_app_with_the_state() {
    let emu = emulator();
    let mut browser = Browser::new();
    let base = |extra: &[(&'static str, &'static str)]| {
        let mut pairs = vec![
            ("client_id", emu.app_id()),
            ("redirect_uri", REDIRECT),
            ("state", "st-9"),
        ];
        pairs.extend_from_slice(extra);
        authorize(&emu, &pairs)
    };
    for (extra, error) in [
        (
            vec![("response_type", "token"), ("scope", "openid")],
            "unsupported_response_type",
        ),
        (
            vec![("response_type", "code"), ("scope", "profile")],
            "invalid_scope",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "S512"),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("prompt", "none"),
            ],
            "login_required",
        ),
    ] {
        let page = browser.get(&base(&extra));
        assert_eq!(page.status, 302, "{error}");
        let location = page.location.unwrap();
        assert!(location.starts_with(REDIRECT), "{location}");
        assert_eq!(query_param(&location, "error").as_deref(), Some(error));
        assert_eq!(query_param(&location, "state").as_deref(), Some("st-9"));
    }
}

#[test]
fn a_wrong_password_shows_the_form_again_and_counts_against_the_account() {
    let emu = emulator();
    let mut browser = Browser::new();
    let url = good(&emu);
    let login = browser.get(&url);
    assert!(!login.body.contains("<script"), "no javascript");
    let action = login.form_action().expect("a form");
    let again = browser.post_form(&action, &[("account", EMAIL), ("password", "wrong")]);
    assert_eq!(again.status, 401);
    assert!(
        again.body.contains("wrong account or password"),
        "{}",
        again.body
    );
    assert!(again.body.contains(EMAIL), "the account typed is kept");
    let state = emu.user_state(EMAIL).unwrap();
    assert_eq!(state.failed_attempts, 1);
    let consent = browser.post_form(&action, &[("account", EMAIL), ("password", PASSWORD)]);
    assert_eq!(consent.status, 200);
    assert!(
        consent.body.contains("offline_access"),
        "the scopes are listed"
    );
}

#[test]
fn a_sign_in_page_expires_after_ten_minutes_and_consent_needs_a_sign_in() {
    let emu = emulator();
    let mut browser = Browser::new();
    let url = good(&emu);
    let login = browser.get(&url);
    let action = login.form_action().expect("a form");
    let consent_action = action.replace("/login", "/consent");
    let early = browser.post_form(&consent_action, &[("decision", "allow")]);
    assert_eq!(early.status, 400);
    assert!(
        early.body.contains("Sign in before giving consent"),
        "{}",
        early.body
    );
    emu.advance_clock(Duration::from_secs(601));
    let late = browser.post_form(&action, &[("account", EMAIL), ("password", PASSWORD)]);
    assert_eq!(late.status, 400);
    assert!(late.body.contains("expired"), "{}", late.body);
}

#[test]
fn a_code_is_bound_to_its_verifier_and_spent_by_its_first_exchange() {
    let emu = emulator();
    let back = Browser::new().sign_in(&good(&emu), EMAIL, PASSWORD, true);
    assert_eq!(query_param(&back, "state").as_deref(), Some("st-1"));
    let code = query_param(&back, "code").unwrap();
    let (status, body) = exchange(&emu, &code);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        body["refresh_token"].is_string(),
        "offline_access was asked"
    );
    let id = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id["nonce"], "no-1");
    assert_eq!(id["aud"], emu.app_id());
    assert_eq!(id["email"], EMAIL);
    let sid = id["sid"].as_str().unwrap();
    assert_eq!(emu.oidc_sessions()[0].sid, sid);
    let (status, body) = exchange(&emu, &code);
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[test]
fn a_code_issued_without_pkce_needs_the_client_secret() {
    let emu = emulator();
    let url = authorize(
        &emu,
        &[
            ("client_id", emu.app_id()),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "openid"),
            ("state", "s"),
        ],
    );
    let mut browser = Browser::new();
    let code = query_param(&browser.sign_in(&url, EMAIL, PASSWORD, true), "code").unwrap();
    let without = [
        ("client_id", emu.app_id()),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let (status, body) = token(&emu, &without);
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let url = authorize(
        &emu,
        &[
            ("client_id", emu.app_id()),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "openid"),
            ("state", "s"),
        ],
    );
    let code = query_param(&browser.sign_in_again(&url, true), "code").unwrap();
    let mut with = without.to_vec();
    with[2] = ("code", code.as_str());
    with.push(("client_secret", DEFAULT_APP_SECRET));
    assert_eq!(token(&emu, &with).0, 200);
}

trait SignInAgain {
    /// A browser already signed in: straight to consent.
    fn sign_in_again(&mut self, url: &str, allow: bool) -> String;
}

impl SignInAgain for Browser {
    fn sign_in_again(&mut self, url: &str, allow: bool) -> String {
        let consent = self.get(url);
        assert!(consent.body.contains("Allow access"), "{}", consent.body);
        self.decide(&consent, allow)
    }
}

#[test]
fn the_user_info_needs_a_live_bearer_and_follows_its_scopes() {
    let emu = emulator();
    let me = format!("{}/oidc/me", emu.base_url());
    let mut refused = agent_without_redirects().get(&me).call().unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let challenge = refused.headers().get("www-authenticate").unwrap();
    assert!(challenge.to_str().unwrap().starts_with("Bearer"));
    let body = refused.body_mut().read_to_string().unwrap();
    assert!(body.contains("invalid_token"), "{body}");

    let code = query_param(
        &Browser::new().sign_in(&good(&emu), EMAIL, PASSWORD, true),
        "code",
    )
    .unwrap();
    let (_, tokens) = exchange(&emu, &code);
    let access = tokens["access_token"].as_str().unwrap();
    let mut ok = agent_without_redirects()
        .get(&me)
        .header("authorization", format!("Bearer {access}"))
        .call()
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let claims: Value = serde_json::from_str(&ok.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(claims["email"], EMAIL);
    assert!(claims.get("phone_number").is_none(), "phone was not asked");
    assert!(claims.get("aud").is_none() && claims.get("exp").is_none());
}

#[test]
fn the_session_end_ends_the_session_its_hint_names_and_redirects_only_where_allowed() {
    let emu = emulator();
    let mut browser = Browser::new();
    let code = query_param(&browser.sign_in(&good(&emu), EMAIL, PASSWORD, true), "code").unwrap();
    let (_, tokens) = exchange(&emu, &code);
    let hint = tokens["id_token"].as_str().unwrap();
    let end = format!("{}/oidc/session/end", emu.base_url());
    let bad = browser.get(&format!("{end}?id_token_hint=not.a.token"));
    assert_eq!(bad.status, 400);
    let unhinted = browser.get(&format!(
        "{end}?post_logout_redirect_uri={}",
        encode(REDIRECT)
    ));
    assert_eq!(unhinted.status, 400);
    let elsewhere = browser.get(&format!(
        "{end}?id_token_hint={hint}&post_logout_redirect_uri={}",
        encode("https://evil.example/")
    ));
    assert_eq!(elsewhere.status, 400);
    assert!(
        emu.oidc_sessions()[0].active,
        "refused requests end nothing"
    );
    let out = browser.get(&format!(
        "{end}?id_token_hint={hint}&post_logout_redirect_uri={}&state=bye",
        encode(REDIRECT)
    ));
    assert_eq!(out.status, 302);
    assert_eq!(
        out.location.as_deref(),
        Some(&*format!("{REDIRECT}?state=bye"))
    );
    assert!(!emu.oidc_sessions()[0].active);
    // The browser is signed out: the next sign-in asks for the password again.
    assert!(browser.get(&good(&emu)).body.contains("Password"));
}

#[test]
fn the_discovery_document_names_only_endpoints_that_answer() {
    let emu = emulator();
    let mut response = agent_without_redirects()
        .get(format!(
            "{}/oidc/.well-known/openid-configuration",
            emu.base_url()
        ))
        .call()
        .unwrap();
    let doc: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(
        doc["grant_types_supported"],
        json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(doc["response_types_supported"], json!(["code"]));
    for key in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
        "revocation_endpoint",
    ] {
        let url = doc[key].as_str().unwrap();
        let path = url.trim_start_matches(&format!("http://{}", emu.addr()));
        let method = if key == "token_endpoint" || key == "revocation_endpoint" {
            "POST"
        } else {
            "GET"
        };
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", emu.base_url()))
            .body(())
            .unwrap();
        let status = agent_without_redirects()
            .run(request)
            .unwrap()
            .status()
            .as_u16();
        assert_ne!(status, 404, "{key} {url}");
        assert_ne!(status, 405, "{key} {url}");
    }
}

#[test]
fn the_admin_api_spoils_id_tokens_and_lists_browser_sessions() {
    let emu = emulator();
    let admin = format!("{}/emulator/v1/oidc", emu.base_url());
    let mut bad = agent_without_redirects()
        .post(format!("{admin}/tamper"))
        .header("content-type", "application/json")
        .send(json!({"idToken": "sideways"}).to_string())
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    assert!(bad
        .body_mut()
        .read_to_string()
        .unwrap()
        .contains("wrong-nonce"));
    let ok = agent_without_redirects()
        .post(format!("{admin}/tamper"))
        .header("content-type", "application/json")
        .send(json!({"idToken": IdTokenTamper::WrongNonce.as_str()}).to_string())
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    let code = query_param(
        &Browser::new().sign_in(&good(&emu), EMAIL, PASSWORD, true),
        "code",
    )
    .unwrap();
    let (_, tokens) = exchange(&emu, &code);
    assert_eq!(
        claims(tokens["id_token"].as_str().unwrap())["nonce"],
        "not-the-nonce-of-the-request"
    );
    let mut listed = agent_without_redirects()
        .get(format!("{admin}/sessions"))
        .call()
        .unwrap();
    let sessions: Value =
        serde_json::from_str(&listed.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(sessions["sessions"][0]["active"], true);
    assert_eq!(sessions["sessions"][0]["sid"], emu.oidc_sessions()[0].sid);
    emu.reset();
    assert!(
        emu.oidc_sessions().is_empty(),
        "a reset forgets the code flow"
    );
}
