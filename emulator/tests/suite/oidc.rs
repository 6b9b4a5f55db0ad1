//! The emulator's OpenID Connect endpoints, spoken to over plain HTTP: the hosted login
//! page's rules, the code grant's, `/oidc/me`, `/oidc/session/end`, the discovery
//! document naming what is served, and the admin API of the code flow.

use std::time::Duration;

use crate::common::agent_without_redirects;
use crate::common::browser::{query_param, Browser};
use authing_emulator::{
    Emulator, EmulatorConfig, IdTokenTamper, NewUser, DEFAULT_APP_SECRET, MAX_OIDC_INTERACTIONS,
    MAX_OIDC_REDIRECT_URI_BYTES, MAX_OIDC_STATE_BYTES,
};
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
        json!(["authorization_code", "refresh_token", "client_credentials"])
    );
    assert_eq!(doc["response_types_supported"], json!(["code"]));
    for key in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
        "revocation_endpoint",
        "introspection_endpoint",
    ] {
        let url = doc[key].as_str().unwrap();
        let path = url.trim_start_matches(&format!("http://{}", emu.addr()));
        let method = if key.starts_with("token")
            || key.starts_with("revocation")
            || key.starts_with("introspection")
        {
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

/// A plain authorize URL without PKCE, for loops and refusals.
fn plain(emu: &Emulator, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("client_id", emu.app_id()),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", "openid email"),
        ("state", "st-2"),
    ];
    pairs.extend_from_slice(extra);
    authorize(emu, &pairs)
}

#[test]
fn abandoned_sign_in_pages_are_capped_and_the_newest_still_works() {
    let emu = emulator();
    let mut browser = Browser::new();
    let url = plain(&emu, &[]);
    let mut newest = None;
    for _ in 0..MAX_OIDC_INTERACTIONS + 25 {
        newest = Some(browser.get(&url));
    }
    let (pages, _) = emu.oidc_stored();
    assert_eq!(pages, MAX_OIDC_INTERACTIONS, "the oldest are forgotten");
    let action = newest.unwrap().form_action().expect("a form");
    let consent = browser.post_form(&action, &[("account", EMAIL), ("password", PASSWORD)]);
    assert_eq!(consent.status, 200, "{}", consent.body);
    let back = browser.decide(&consent, true);
    assert!(query_param(&back, "code").is_some(), "{back}");
    assert_eq!(emu.oidc_stored(), (MAX_OIDC_INTERACTIONS - 1, 1));
}

#[test]
fn an_over_long_state_nonce_or_redirect_uri_is_refused() {
    let emu = emulator();
    let mut browser = Browser::new();
    let long = "s".repeat(MAX_OIDC_STATE_BYTES + 1);
    let fits = "s".repeat(MAX_OIDC_STATE_BYTES);
    let page = browser.get(&authorize(
        &emu,
        &[
            ("client_id", emu.app_id()),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "openid"),
            ("state", &long),
        ],
    ));
    assert_eq!(page.status, 302);
    let location = page.location.unwrap();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert!(
        query_param(&location, "error_description")
            .unwrap()
            .contains("state is too long"),
        "{location}"
    );
    assert_eq!(query_param(&location, "state"), None, "not echoed");
    let page = browser.get(&plain(&emu, &[("nonce", &long)]));
    let location = page.location.unwrap();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("st-2"));
    let long_redirect = format!(
        "{REDIRECT}?{}",
        "x".repeat(MAX_OIDC_REDIRECT_URI_BYTES - REDIRECT.len())
    );
    let page = browser.get(&authorize(
        &emu,
        &[
            ("client_id", emu.app_id()),
            ("response_type", "code"),
            ("redirect_uri", &long_redirect),
            ("scope", "openid"),
            ("state", "s"),
        ],
    ));
    assert_eq!(page.status, 400, "an error page, no redirect");
    assert!(page.location.is_none());
    assert!(page.body.contains("too long"), "{}", page.body);
    assert_eq!(emu.oidc_stored(), (0, 0), "nothing refused is kept");
    let at_the_limit = browser.get(&plain(&emu, &[("nonce", &fits)]));
    assert_eq!(at_the_limit.status, 200);
}

#[test]
fn a_code_challenge_method_without_a_code_challenge_is_refused() {
    let emu = emulator();
    let mut browser = Browser::new();
    for method in ["bogus", "S256", "plain"] {
        let page = browser.get(&plain(&emu, &[("code_challenge_method", method)]));
        assert_eq!(page.status, 302, "{method}");
        let location = page.location.unwrap();
        assert_eq!(
            query_param(&location, "error").as_deref(),
            Some("invalid_request"),
            "{method}"
        );
        assert_eq!(
            query_param(&location, "error_description").as_deref(),
            Some("code_challenge_method needs a code_challenge")
        );
        assert_eq!(query_param(&location, "state").as_deref(), Some("st-2"));
    }
    assert_eq!(emu.oidc_stored(), (0, 0));
}

/// An access and a refresh token of the code flow (scope `openid profile email
/// offline_access`).
fn code_flow_tokens(emu: &Emulator) -> (String, String) {
    let back = Browser::new().sign_in(&good(emu), EMAIL, PASSWORD, true);
    let (status, body) = exchange(emu, &query_param(&back, "code").unwrap());
    assert_eq!(status, 200, "{body}");
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

/// `method path` with optional headers and body: status, headers' `www-authenticate`,
/// JSON body.
fn call(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Option<String>, Value) {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let request = builder.body(body.to_owned()).unwrap();
    let mut response = agent_without_redirects().run(request).unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.body_mut().read_to_string().unwrap();
    (
        status,
        challenge,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

#[test]
fn the_user_info_answers_post_too_with_or_without_a_trailing_slash() {
    let emu = emulator();
    let (access, _) = code_flow_tokens(&emu);
    let bearer = format!("Bearer {access}");
    for path in ["/oidc/me", "/oidc/me/"] {
        let url = format!("{}{path}", emu.base_url());
        for method in ["GET", "POST"] {
            let (status, _, claims) = call(method, &url, &[("authorization", &bearer)], "");
            assert_eq!(status, 200, "{method} {path}: {claims}");
            assert_eq!(claims["email"], EMAIL);
        }
    }
    // The Java SDK's call: POST /oidc/me/?access_token=...
    let url = format!("{}/oidc/me/?access_token={access}", emu.base_url());
    let (status, _, claims) = call("POST", &url, &[], "");
    assert_eq!(status, 200, "{claims}");
    assert_eq!(claims["email"], EMAIL);
}

#[test]
fn the_user_info_takes_the_token_from_the_query_or_a_form_body_but_one_way_only() {
    let emu = emulator();
    let (access, _) = code_flow_tokens(&emu);
    let me = format!("{}/oidc/me", emu.base_url());
    let in_query = format!("{me}?access_token={access}");
    let (status, _, claims) = call("GET", &in_query, &[], "");
    assert_eq!((status, &claims["email"]), (200, &json!(EMAIL)), "{claims}");
    let form = format!("access_token={access}");
    let (status, _, claims) = call("POST", &me, &[FORM], &form);
    assert_eq!((status, &claims["email"]), (200, &json!(EMAIL)), "{claims}");
    let bearer = format!("Bearer {access}");
    for (url, headers, body) in [
        (&in_query, vec![("authorization", bearer.as_str())], ""),
        (&me, vec![("authorization", bearer.as_str()), FORM], &*form),
        (&in_query, vec![FORM], &*form),
    ] {
        let (status, challenge, body) = call("POST", url, &headers, body);
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"], "invalid_request");
        assert_eq!(
            challenge.as_deref(),
            Some("Bearer error=\"invalid_request\"")
        );
    }
    // A JSON body is not a form body (RFC 6750 section 2.2).
    let json_body = json!({"access_token": access}).to_string();
    let (status, _, _) = call(
        "POST",
        &me,
        &[("content-type", "application/json")],
        &json_body,
    );
    assert_eq!(status, 401);
    let (status, _, body) = call("GET", &format!("{me}?access_token=nope"), &[], "");
    assert_eq!((status, &body["error"]), (401, &json!("invalid_token")));
}

fn introspect(emu: &Emulator, headers: &[(&str, &str)], form: &str) -> (u16, Value) {
    let url = format!("{}/oidc/token/introspection", emu.base_url());
    let mut all = vec![FORM];
    all.extend_from_slice(headers);
    let (status, _, body) = call("POST", &url, &all, form);
    (status, body)
}

#[test]
fn token_introspection_answers_rfc_7662_for_access_and_refresh_tokens() {
    let emu = emulator();
    let (access, refresh) = code_flow_tokens(&emu);
    let app = emu.app_id().to_owned();
    let (status, body) = introspect(&emu, &[], &format!("client_id={app}&token={access}"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["active"], true);
    assert_eq!(body["scope"], "openid profile email offline_access");
    assert_eq!(body["client_id"], app);
    assert_eq!(body["token_type"], "Bearer");
    let sub = claims(&access)["sub"].clone();
    assert_eq!(body["sub"], sub);
    assert_eq!(body["exp"], claims(&access)["exp"]);
    assert_eq!(body["iat"], claims(&access)["iat"]);
    // client_secret_post and client_secret_basic.
    let with_secret = format!("client_id={app}&client_secret={DEFAULT_APP_SECRET}&token={refresh}");
    let (status, body) = introspect(&emu, &[], &with_secret);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["active"], true);
    assert_eq!(body["sub"], sub);
    assert_eq!(body["client_id"], app);
    assert!(body["exp"].as_u64().unwrap() > body["iat"].as_u64().unwrap());
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{app}:{DEFAULT_APP_SECRET}"))
    );
    let (status, body) = introspect(
        &emu,
        &[("authorization", &basic)],
        &format!("token={access}"),
    );
    assert_eq!((status, &body["active"]), (200, &json!(true)), "{body}");
    // Client authentication as at /oidc/token.
    for (headers, form) in [
        (vec![], format!("token={access}")),
        (vec![], format!("client_id=another-app&token={access}")),
        (
            vec![],
            format!("client_id={app}&client_secret=wrong&token={access}"),
        ),
    ] {
        let (status, body) = introspect(&emu, &headers, &form);
        assert_eq!(
            (status, &body["error"]),
            (401, &json!("invalid_client")),
            "{form}"
        );
    }
    let (status, body) = introspect(&emu, &[], &format!("client_id={app}"));
    assert_eq!((status, &body["error"]), (400, &json!("invalid_request")));
    // Unknown, revoked, expired: {"active": false} and nothing else.
    let inactive = json!({"active": false});
    let (_, body) = introspect(&emu, &[], &format!("client_id={app}&token=not-a-token"));
    assert_eq!(body, inactive);
    let revoke = format!("{}/oidc/token/revocation", emu.base_url());
    let form = format!("client_id={app}&token={refresh}");
    assert_eq!(call("POST", &revoke, &[FORM], &form).0, 200);
    for token in [&refresh, &access] {
        let (status, body) = introspect(&emu, &[], &format!("client_id={app}&token={token}"));
        assert_eq!((status, body), (200, inactive.clone()));
    }
    let (fresh, _) = code_flow_tokens(&emu);
    emu.advance_clock(Duration::from_secs(7201));
    let (_, body) = introspect(&emu, &[], &format!("client_id={app}&token={fresh}"));
    assert_eq!(body, inactive);
}

#[test]
fn the_pages_name_the_app_and_say_what_each_scope_allows() {
    let emu = emulator();
    let mut browser = Browser::new();
    let login = browser.get(&good(&emu));
    assert!(
        login.body.contains("Sign in to <b>Demo App</b>"),
        "{}",
        login.body
    );
    let action = login.form_action().unwrap();
    let consent = browser.post_form(&action, &[("account", EMAIL), ("password", PASSWORD)]);
    assert!(
        consent.body.contains("<b>Demo App</b> asks to"),
        "{}",
        consent.body
    );
    for meaning in [
        "Sign you in with your account",
        "See your email address",
        "Stay signed in when you are away",
    ] {
        assert!(
            consent.body.contains(meaning),
            "{meaning}: {}",
            consent.body
        );
    }
    let named = Emulator::start_with(EmulatorConfig::default().app_name("Acme <Notes>")).unwrap();
    let page = Browser::new().get(&good(&named));
    assert!(
        page.body.contains("Sign in to <b>Acme &lt;Notes&gt;</b>"),
        "{}",
        page.body
    );
}

/// `GET /api/v2/oidc/validate_token?<query>`: status and JSON body.
fn validate(emu: &Emulator, query: &str) -> (u16, Value) {
    let mut response = agent_without_redirects()
        .get(format!(
            "{}/api/v2/oidc/validate_token?{query}",
            emu.base_url()
        ))
        .header("x-authing-lang", "en-US")
        .call()
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap())
}

#[test]
fn the_v2_token_check_answers_a_live_tokens_claims_and_code_400_otherwise() {
    let emu = emulator();
    let code = query_param(
        &Browser::new().sign_in(&good(&emu), EMAIL, PASSWORD, true),
        "code",
    )
    .unwrap();
    let (_, tokens) = exchange(&emu, &code);
    let access = tokens["access_token"].as_str().unwrap();
    let id = tokens["id_token"].as_str().unwrap();

    let (status, body) = validate(&emu, &format!("access_token={access}"));
    assert_eq!(status, 200);
    assert_eq!(body, claims(access));
    let (status, body) = validate(&emu, &format!("id_token={id}"));
    assert_eq!(status, 200);
    assert_eq!(body, claims(id));
    assert_eq!(body["nonce"], "no-1");

    let refused = json!({"code": 400, "message": "invalid access_token"});
    assert_eq!(
        validate(&emu, &format!("access_token={id}")),
        (200, refused.clone())
    );
    assert_eq!(validate(&emu, "access_token=a.b.c"), (200, refused));
    let (_, both) = validate(&emu, &format!("access_token={access}&id_token={id}"));
    assert_eq!(both["code"], 400);
    let (_, neither) = validate(&emu, "");
    assert_eq!(neither["code"], 400);
    emu.advance_clock(Duration::from_secs(30 * 24 * 3600));
    let (_, late) = validate(&emu, &format!("id_token={id}"));
    assert_eq!(late, json!({"code": 400, "message": "invalid id_token"}));
}

#[test]
fn a_sign_in_by_an_external_provider_goes_through_the_stand_in_and_back_with_a_code() {
    let emu = emulator();
    emu.add_ext_idp(authing_emulator::NewExtIdp::new(
        "my-github",
        "github",
        "GitHub",
    ))
    .unwrap();
    let url = |connection: Option<&str>| {
        let mut pairs = vec![
            ("client_id", emu.app_id()),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", "openid profile email"),
            ("state", "st-9"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ];
        if let Some(c) = connection {
            pairs.push(("ext_idp_conn_id", c));
        }
        authorize(&emu, &pairs).replace("/oidc/auth?", "/api/v3/signin-by-extidp?")
    };
    let mut browser = Browser::new();
    for (connection, error) in [
        (None, "ext_idp_conn_id is required"),
        (Some("nope"), "no external"),
    ] {
        let back = browser
            .get(&url(connection))
            .location
            .expect("back to the app");
        assert!(back.starts_with(REDIRECT), "{back}");
        assert_eq!(
            query_param(&back, "error").as_deref(),
            Some("invalid_request")
        );
        assert!(query_param(&back, "error_description")
            .unwrap()
            .contains(error));
        assert_eq!(query_param(&back, "state").as_deref(), Some("st-9"));
    }
    let unknown_client = browser.get(&url(Some("my-github")).replace(emu.app_id(), "other-app"));
    assert_eq!(unknown_client.status, 400, "an error page, not a redirect");

    let provider = browser
        .get(&url(Some("my-github")))
        .location
        .expect("to the provider");
    assert!(
        provider.contains("/emulator/v1/oidc/ext-idp-sign-in?uid="),
        "{provider}"
    );
    assert_eq!(browser.get(&provider).status, 400, "nobody named");
    assert_eq!(
        browser
            .get(&format!("{provider}&user=nobody@example.com"))
            .status,
        404
    );
    let back = browser
        .get(&format!("{provider}&user={EMAIL}"))
        .location
        .expect("back with a code");
    let code = query_param(&back, "code").expect("a code");
    assert_eq!(query_param(&back, "state").as_deref(), Some("st-9"));
    let (status, tokens) = exchange(&emu, &code);
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(claims(tokens["id_token"].as_str().unwrap())["email"], EMAIL);
    let spent = browser.get(&format!("{provider}&user={EMAIL}"));
    assert_ne!(spent.status, 302, "the stand-in page is good once");
}
