//! The clients under test and the one request they all send: the SDK (blocking twin and
//! callback form), raw `ureq` agents with and without a time-out, and the Android design.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use authing::{AuthClient, AuthResponse, ResetPasswordPayload, ResetPasswordVerifyMethod};

use crate::child::{COUNTRY, PHONE};

pub const PASS_CODE: &str = "123456";
/// The body the SDK sends for the payload below, byte for byte (field order included).
pub const BODY: &str = r#"{"verifyMethod":"PHONE_PASSCODE","phonePassCodePayload":{"phoneNumber":"18812345678","phoneCountryCode":"+86","passCode":"123456"}}"#;
pub const PATH: &str = "/api/v3/verify-reset-password-request";
/// Per-call time limit for every client here, so a lost answer shows as an error, not a hang.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Calls that did not get the expected answer (apiCode 2001), in any phase.
pub static FAILED: AtomicUsize = AtomicUsize::new(0);

pub fn expect_2001(api_code: i32) {
    if api_code != 2001 {
        FAILED.fetch_add(1, Ordering::Relaxed);
    }
}

pub fn payload() -> ResetPasswordPayload {
    let mut p = ResetPasswordPayload::new();
    p.set_phone_country_code(COUNTRY)
        .set_phone_number(PHONE)
        .set_pass_code(PASS_CODE);
    p
}

pub fn sdk_client(base_url: &str, app_id: &str, concurrency: usize) -> AuthClient {
    AuthClient::builder()
        .app_id(app_id)
        .app_host(base_url)
        .max_concurrent_requests(concurrency)
        .timeout(TIMEOUT)
        .build()
        .expect("a valid client")
}

/// A raw HTTP agent, ureq's defaults (no time-out), sending the same request, with the same
/// headers, as the SDK.
pub fn raw_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// The same with a whole-call time-out, as the SDK configures its agent. With any time-out
/// set, ureq 3's default resolver looks the host up on a new thread, on every call, even
/// when a pooled connection is reused.
pub fn raw_agent_with_timeout() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .build()
        .into()
}

pub fn raw_call(agent: &ureq::Agent, url: &str, app_id: &str) -> usize {
    let sent = agent
        .post(url)
        .header("x-authing-app-id", app_id)
        .header("x-authing-request-from", "SDK-Rust@0.1.0")
        .header("x-authing-sdk-version", "rust:0.1.0")
        .header("x-authing-lang", "zh-CN")
        .header("accept", "application/json")
        .header("content-type", "application/json; charset=utf-8")
        .send(BODY);
    let len = sent
        .ok()
        .and_then(|mut reply| reply.body_mut().read_to_vec().ok())
        .map_or(0, |body| body.len());
    if len == 0 {
        FAILED.fetch_add(1, Ordering::Relaxed);
    }
    len
}

pub struct FloorClient {
    pub agent: ureq::Agent,
    pub url: String,
    pub app_id: String,
}

impl FloorClient {
    pub fn new(url: &str, app_id: &str) -> FloorClient {
        FloorClient {
            agent: raw_agent(),
            url: url.to_owned(),
            app_id: app_id.to_owned(),
        }
    }

    pub fn call(&self) -> usize {
        raw_call(&self.agent, &self.url, &self.app_id)
    }
}

/// Both paths get the same answer, or the comparison means nothing.
pub fn check_answers(floor: &FloorClient, sdk: &AuthClient) {
    let mut reply = floor
        .agent
        .post(&floor.url)
        .header("x-authing-app-id", &floor.app_id)
        .header("content-type", "application/json; charset=utf-8")
        .send(BODY)
        .expect("the emulator answers");
    let body = reply.body_mut().read_to_string().expect("a body");
    assert!(body.contains("\"apiCode\":2001"), "raw answer: {body}");
    let r =
        sdk.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload());
    assert_eq!(
        (r.status_code(), r.api_code()),
        (400, 2001),
        "{}",
        r.message()
    );
}

/// One callback call: nanoseconds from just before submit to the start of the callback.
pub fn callback_once(sdk: &AuthClient) -> u64 {
    let (tx, rx) = mpsc::channel::<(Instant, i32)>();
    let p = payload();
    let t = Instant::now();
    let _handle = sdk.reset_password_request(
        ResetPasswordVerifyMethod::PHONE_PASSCODE,
        p,
        move |r: AuthResponse| {
            let at = Instant::now();
            let _ = tx.send((at, r.api_code()));
        },
    );
    let (at, api_code) = rx.recv().expect("a callback");
    expect_2001(api_code);
    at.duration_since(t).as_nanos() as u64
}

/// The Android design, once: a thread that builds a new HTTP client and sends, then a
/// second thread for the callback. Nanoseconds from submit to the start of the callback.
pub fn android_once(url: &str, app_id: &str) -> u64 {
    let (tx, rx) = mpsc::channel::<Instant>();
    let t = Instant::now();
    android_submit(url.to_owned(), app_id.to_owned(), move |_len| {
        let _ = tx.send(Instant::now());
    });
    let at = rx.recv().expect("a callback");
    at.duration_since(t).as_nanos() as u64
}

pub fn android_submit<F>(url: String, app_id: String, callback: F) -> thread::JoinHandle<()>
where
    F: FnOnce(usize) + Send + 'static,
{
    thread::spawn(move || {
        let agent = raw_agent();
        let len = raw_call(&agent, &url, &app_id);
        drop(agent);
        thread::spawn(move || callback(len));
    })
}
