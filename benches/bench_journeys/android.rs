//! The Android design: a new connection for every request. Authing's Android SDK makes a
//! new HTTP client per call; here each request goes on a fresh `ureq::Agent` (dropped
//! after the answer, so nothing is pooled), with the requests the Android and Java SDKs
//! make: sign-in then the profile (as this crate did before issue 24), recovery's three
//! calls, and on a refused token the refresh (`POST /oidc/token`) and the call again.
//! The QR and browser journeys and `rsa` have no row: the Android SDK is the phone side
//! of QR, and its browser and `rsa` requests would need the SDK's own code here.

use serde_json::{json, Value};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

use crate::journeys::{measure, Run};
use crate::target::{Target, COUNTRY, EMAIL, PASSWORD, TIMEOUT};

const SCOPE: &str = authing::DEFAULT_SCOPE;

/// One request on a new agent (so a new connection): the status and the JSON body.
fn call(
    t: &Target,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Body>,
) -> (u16, Value) {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT));
    if let Some(pem) = t.emu.ca_pem() {
        let der = Certificate::from_pem(pem.as_bytes())
            .expect("the ca")
            .to_owned();
        config = config.tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&[der]))
                .build(),
        );
    }
    let agent: ureq::Agent = config.build().into();
    let url = format!("{}{path}", t.url());
    let answer = match (method, body) {
        ("GET", _) => {
            let mut r = agent.get(&url).header("x-authing-app-id", t.emu.app_id());
            if let Some(tok) = token {
                r = r.header("authorization", format!("Bearer {tok}"));
            }
            r.call()
        }
        (_, Some(Body::Json(v))) => agent
            .post(&url)
            .header("x-authing-app-id", t.emu.app_id())
            .header("content-type", "application/json")
            .send(v.to_string()),
        (_, Some(Body::Form(f))) => agent
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .send(f),
        _ => unreachable!("a post has a body"),
    };
    let mut answer = answer.expect("the emulator answers");
    let status = answer.status().as_u16();
    let text = answer.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

enum Body {
    Json(Value),
    Form(String),
}

fn ok(what: &str, (status, body): &(u16, Value)) {
    assert!(
        *status == 200 && body["statusCode"].as_i64().unwrap_or(200) == 200,
        "android {what}: http {status} {body}"
    );
}

/// Sign-in then the profile: the tokens.
fn sign_in(t: &Target) -> Value {
    let signed = call(
        t,
        "POST",
        "/api/v3/signin",
        None,
        Some(Body::Json(json!({
            "connection": "PASSWORD",
            "passwordPayload": {"email": EMAIL, "password": PASSWORD},
            "options": {"scope": SCOPE, "passwordEncryptType": "none"},
        }))),
    );
    ok("signin", &signed);
    let tokens = signed.1["data"].clone();
    let token = tokens["access_token"].as_str().expect("an access token");
    ok(
        "get-profile",
        &call(t, "GET", "/api/v3/get-profile", Some(token), None),
    );
    tokens
}

/// "Sign in" clicked: when the app made its client does not matter, no connection is kept.
pub fn click_sign_in(t: &Target, n: usize) -> Vec<Run> {
    (0..n)
        .map(|_| {
            measure(t, || {
                sign_in(t);
            })
        })
        .collect()
}

pub fn recovery(t: &Target, n: usize) -> Vec<Run> {
    (0..n)
        .map(|_| {
            let number = t.fresh_phone();
            measure(t, || {
                ok(
                    "send-sms",
                    &call(
                        t,
                        "POST",
                        "/api/v3/send-sms",
                        None,
                        Some(Body::Json(json!({
                            "phoneNumber": number, "phoneCountryCode": COUNTRY,
                            "channel": "CHANNEL_RESET_PASSWORD"}))),
                    ),
                );
                let code = t.emu.latest_code(number.as_str()).expect("a code");
                let verified = call(
                    t,
                    "POST",
                    "/api/v3/verify-reset-password-request",
                    None,
                    Some(Body::Json(json!({"verifyMethod": "PHONE_PASSCODE",
                        "phonePassCodePayload": {"phoneNumber": number,
                            "phoneCountryCode": COUNTRY, "passCode": code}}))),
                );
                ok("verify-reset-password-request", &verified);
                let reset_token = verified.1["data"]["passwordResetToken"]
                    .as_str()
                    .expect("a reset token")
                    .to_owned();
                ok(
                    "reset-password",
                    &call(
                        t,
                        "POST",
                        "/api/v3/reset-password",
                        None,
                        Some(Body::Json(json!({"passwordResetToken": reset_token,
                            "password": "a new passw0rd", "passwordEncryptType": "none"}))),
                    ),
                );
            })
        })
        .collect()
}

pub fn expired_token(t: &Target, n: usize) -> Vec<Run> {
    let mut tokens = sign_in(t);
    (0..n)
        .map(|_| {
            assert!(t.emu.expire_access_tokens(EMAIL) > 0, "a token expired");
            measure(t, || {
                let access = tokens["access_token"].as_str().unwrap().to_owned();
                let first = call(t, "GET", "/api/v3/get-profile", Some(&access), None);
                let refused = first.0 == 401 || first.1["statusCode"].as_i64() == Some(401);
                assert!(refused, "the expired token is refused: {}", first.1);
                let form = format!(
                    "client_id={}&grant_type=refresh_token&refresh_token={}",
                    t.emu.app_id(),
                    tokens["refresh_token"].as_str().expect("a refresh token")
                );
                let renewed = call(t, "POST", "/oidc/token", None, Some(Body::Form(form)));
                assert_eq!(renewed.0, 200, "refreshed: {}", renewed.1);
                for key in ["access_token", "refresh_token"] {
                    if let Some(v) = renewed.1.get(key) {
                        tokens[key] = v.clone();
                    }
                }
                let token = tokens["access_token"].as_str().unwrap().to_owned();
                ok(
                    "get-profile",
                    &call(t, "GET", "/api/v3/get-profile", Some(&token), None),
                );
            })
        })
        .collect()
}
