//! The calls the suite's modules share: JSON posts with the app id (as the SDK sends them),
//! raw posts and GETs read into an [`Answer`], and the steps of the recovery journey
//! (send a code, verify it, reset), which the HTTP, admin, fault and CLI tests drive too.

use std::time::Duration;

use authing_emulator::{Emulator, NewUser};
use serde_json::{json, Value};

use crate::common::agent;

pub(crate) const PHONE: &str = "18812345678";
pub(crate) const EMAIL: &str = "alice@example.com";

/// ureq's `json` feature is off in this crate; send JSON text instead.
pub(crate) trait SendJson {
    fn send_json(self, value: Value) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>;
}

impl SendJson for ureq::RequestBuilder<ureq::typestate::WithBody> {
    fn send_json(self, value: Value) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        self.header("content-type", "application/json")
            .send(value.to_string())
    }
}

/// One HTTP answer: status, Retry-After and Allow headers and body text.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<String>,
    pub(crate) allow: Option<String>,
    pub(crate) text: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not json ({e}): {}", self.text))
    }
}

pub(crate) fn answer(mut res: ureq::http::Response<ureq::Body>) -> Answer {
    let status = res.status().as_u16();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let retry_after = header("retry-after");
    let allow = header("allow");
    let text = res.body_mut().read_to_string().expect("read body");
    Answer {
        status,
        retry_after,
        allow,
        text,
    }
}

/// POSTs raw text with the given headers.
pub(crate) fn post_raw(
    emu: &Emulator,
    agent: &ureq::Agent,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut req = agent.post(format!("{}{path}", emu.base_url()));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req.send(body).expect("http"))
}

/// POSTs JSON the way the SDK does, with the right app id.
pub(crate) fn post(emu: &Emulator, path: &str, body: Value) -> Value {
    post_lang(emu, path, body, "zh-CN")
}

pub(crate) fn post_lang(emu: &Emulator, path: &str, body: Value, lang: &str) -> Value {
    let headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("x-authing-app-id", emu.app_id()),
        ("x-authing-lang", lang),
    ];
    let a = post_raw(emu, &agent(), path, &headers, &body.to_string());
    let v = a.json();
    // Business errors travel in HTTP 200, except a throttled send (HTTP 429 by default).
    let http = if v["statusCode"] == 429 { 429 } else { 200 };
    assert_eq!(a.status, http, "{}", a.text);
    v
}

pub(crate) fn get(emu: &Emulator, path: &str) -> Answer {
    answer(
        agent()
            .get(format!("{}{path}", emu.base_url()))
            .call()
            .expect("http"),
    )
}

pub(crate) fn send_sms(emu: &Emulator, number: &str, channel: &str) -> Value {
    post(
        emu,
        "/api/v3/send-sms",
        json!({"phoneNumber": number, "channel": channel}),
    )
}

pub(crate) fn send_email(emu: &Emulator, email: &str, channel: &str) -> Value {
    post(
        emu,
        "/api/v3/send-email",
        json!({"email": email, "channel": channel}),
    )
}

pub(crate) fn verify_phone(emu: &Emulator, number: &str, code: &str) -> Value {
    post(
        emu,
        "/api/v3/verify-reset-password-request",
        json!({"verifyMethod": "PHONE_PASSCODE",
               "phonePassCodePayload": {"phoneNumber": number, "phoneCountryCode": "+86", "passCode": code}}),
    )
}

pub(crate) fn verify_email(emu: &Emulator, email: &str, code: &str) -> Value {
    post(
        emu,
        "/api/v3/verify-reset-password-request",
        json!({"verifyMethod": "EMAIL_PASSCODE",
               "emailPassCodePayload": {"email": email, "passCode": code}}),
    )
}

pub(crate) fn reset(emu: &Emulator, token: &str, password: &str) -> Value {
    post(
        emu,
        "/api/v3/reset-password",
        json!({"passwordResetToken": token, "password": password, "passwordEncryptType": "none"}),
    )
}

pub(crate) fn emulator_with_users() -> Emulator {
    let emu = Emulator::start().expect("start");
    emu.add_user(NewUser::with_phone("+86", PHONE, "old-password"))
        .unwrap();
    emu.add_user(NewUser::with_email(EMAIL, "old-password"))
        .unwrap();
    emu
}

pub(crate) fn assert_failure(reply: &Value, status: u64, api_code: Option<u64>) {
    assert_eq!(reply["statusCode"], status, "{reply}");
    match api_code {
        Some(code) => assert_eq!(reply["apiCode"], code, "{reply}"),
        None => assert!(reply.get("apiCode").is_none(), "{reply}"),
    }
    assert!(
        reply["requestId"].as_str().is_some_and(|s| !s.is_empty()),
        "{reply}"
    );
    assert!(
        reply["message"].as_str().is_some_and(|s| !s.is_empty()),
        "{reply}"
    );
}

pub(crate) fn wrong_code(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}

/// Sends raw bytes, reads until the server closes; `true` when it did close.
pub(crate) fn raw_exchange(emu: &Emulator, request: &[u8]) -> (String, bool) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(emu.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut out = Vec::new();
    let closed = stream.read_to_end(&mut out).is_ok();
    (String::from_utf8_lossy(&out).into_owned(), closed)
}
