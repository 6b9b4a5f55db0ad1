//! The emulator's captcha family over real HTTP, with ureq as the client (not through the
//! SDK): the image and its cookie, the policy through the admin API, the sign-in gate
//! (always, after N failures per address), a captcha tried once and only with its cookie,
//! and `pre-check-code` leaving the code usable.

use crate::common::agent;
use authing_emulator::{CaptchaPolicy, Emulator, NewUser};
use serde_json::{json, Value};

const PASSWORD: &str = "secret-123";

fn read(mut res: ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("read body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, json)
}

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("starts");
    emu.add_user(NewUser::with_username("alice", PASSWORD))
        .unwrap();
    emu
}

/// Fetches an image; the `authing_captcha=<id>` pair of its cookie.
fn image(emu: &Emulator) -> String {
    let mut res = agent()
        .get(format!(
            "{}/api/v3/captcha-code?r=1660291866076",
            emu.base_url()
        ))
        .header("x-authing-app-id", emu.app_id())
        .call()
        .expect("http");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Max-Age=300"),
        "{cookie}"
    );
    let svg = res.body_mut().read_to_string().unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{svg}");
    cookie.split(';').next().unwrap().to_owned()
}

/// A password sign-in of alice with `password`, the cookie and the captcha answer given.
fn sign_in(emu: &Emulator, password: &str, cookie: Option<&str>, captcha: Option<&str>) -> Value {
    let mut options = json!({});
    if let Some(captcha) = captcha {
        options["captchaCode"] = captcha.into();
    }
    let mut req = agent()
        .post(format!("{}/api/v3/signin", emu.base_url()))
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US")
        .header("content-type", "application/json");
    if let Some(cookie) = cookie {
        req = req.header("cookie", format!("theme=dark; {cookie}"));
    }
    let body = json!({"connection": "PASSWORD",
        "passwordPayload": {"username": "alice", "password": password}, "options": options});
    read(req.send(body.to_string()).expect("http")).1
}

fn codes_of(body: &Value) -> (Option<u64>, Option<u64>) {
    (body["statusCode"].as_u64(), body["apiCode"].as_u64())
}

#[test]
fn the_image_needs_the_app_id_and_each_one_is_listed_with_its_answer() {
    let emu = emulator();
    let res = agent()
        .get(format!("{}/api/v3/captcha-code", emu.base_url()))
        .call()
        .expect("http");
    let (_, body) = read(res);
    assert_eq!(codes_of(&body), (Some(404), Some(2011)));
    let cookie = image(&emu);
    let (status, listed) = read(
        agent()
            .get(format!("{}/emulator/v1/captchas", emu.base_url()))
            .call()
            .unwrap(),
    );
    assert_eq!(status, 200);
    let captcha = &listed["captchas"][0];
    assert_eq!(
        format!("authing_captcha={}", captcha["id"].as_str().unwrap()),
        cookie
    );
    assert_eq!(captcha["answer"].as_str().unwrap().len(), 4);
    assert_eq!(captcha["spent"], false);
    assert_eq!(
        captcha["expiresAt"].as_u64().unwrap() - captcha["issuedAt"].as_u64().unwrap(),
        300
    );
}

#[test]
fn the_policy_is_set_and_read_through_the_admin_api() {
    let emu = emulator();
    let url = format!("{}/emulator/v1/captcha-policy", emu.base_url());
    assert_eq!(
        read(agent().get(&url).call().unwrap()).1,
        json!({"mode": "off"})
    );
    let set = |body: Value| {
        read(
            agent()
                .post(&url)
                .header("content-type", "application/json")
                .send(body.to_string())
                .unwrap(),
        )
    };
    assert_eq!(set(json!({"mode": "after-failures", "failures": 2})).0, 200);
    assert_eq!(emu.captcha_policy(), CaptchaPolicy::AfterFailures(2));
    assert_eq!(
        read(agent().get(&url).call().unwrap()).1,
        json!({"mode": "after-failures", "failures": 2})
    );
    for bad in [
        json!({"mode": "sometimes"}),
        json!({"mode": "after-failures", "failures": 0}),
    ] {
        let (status, body) = set(bad.clone());
        assert_eq!(status, 400, "{bad} -> {body}");
    }
    assert_eq!(emu.captcha_policy(), CaptchaPolicy::AfterFailures(2));
    assert_eq!(read(agent().delete(&url).call().unwrap()).0, 405);
}

#[test]
fn after_n_failures_from_an_address_a_sign_in_needs_the_captcha_of_its_cookie() {
    let emu = emulator();
    emu.set_captcha_policy(CaptchaPolicy::AfterFailures(2));
    for _ in 0..2 {
        assert_eq!(
            codes_of(&sign_in(&emu, "wrong-1", None, None)).1,
            Some(2333)
        );
    }
    assert_eq!(emu.failed_sign_ins("127.0.0.1"), 2);
    let refused = sign_in(&emu, PASSWORD, None, None);
    assert_eq!(codes_of(&refused), (Some(400), Some(2000)), "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("captcha is required"));
    assert_eq!(
        emu.failed_sign_ins("127.0.0.1"),
        2,
        "a captcha refusal counts nothing"
    );
    let cookie = image(&emu);
    let answer = emu.latest_captcha_answer().unwrap();
    // The answer without its cookie is wrong (and spends nothing).
    let strange = sign_in(&emu, PASSWORD, None, Some(&answer));
    assert!(
        strange["message"].as_str().unwrap().contains("wrong"),
        "{strange}"
    );
    let ok = sign_in(&emu, PASSWORD, Some(&cookie), Some(&answer.to_uppercase()));
    assert_eq!(ok["statusCode"], 200, "{ok}");
    assert_eq!(emu.failed_sign_ins("127.0.0.1"), 0);
    // A spent captcha is wrong the second time, whatever the answer.
    emu.set_captcha_policy(CaptchaPolicy::Always);
    let again = sign_in(&emu, PASSWORD, Some(&cookie), Some(&answer));
    assert_eq!(codes_of(&again), (Some(400), Some(2000)));
    assert_eq!(emu.latest_captcha_answer(), None);
}

#[test]
fn failures_are_counted_per_client_address() {
    let emu = emulator();
    emu.set_captcha_policy(CaptchaPolicy::AfterFailures(1));
    let from = |ip: &str, password: &str| {
        let res = agent()
            .post(format!("{}/api/v3/signin", emu.base_url()))
            .header("x-authing-app-id", emu.app_id())
            .header("x-forwarded-for", format!("{ip}, 10.0.0.1"))
            .header("content-type", "application/json")
            .send(
                json!({"connection": "PASSWORD",
                    "passwordPayload": {"username": "alice", "password": password}})
                .to_string(),
            )
            .unwrap();
        read(res).1
    };
    assert_eq!(codes_of(&from("203.0.113.7", "wrong-1")).1, Some(2333));
    assert_eq!(codes_of(&from("203.0.113.7", PASSWORD)).1, Some(2000));
    assert_eq!(from("198.51.100.2", PASSWORD)["statusCode"], 200);
    assert_eq!(emu.failed_sign_ins("203.0.113.7"), 1);
}

#[test]
fn pre_check_code_checks_without_spending_the_code() {
    let emu = emulator();
    let post = |path: &str, body: Value| {
        let res = agent()
            .post(format!("{}{path}", emu.base_url()))
            .header("x-authing-app-id", emu.app_id())
            .header("x-authing-lang", "en-US")
            .header("content-type", "application/json")
            .send(body.to_string())
            .unwrap();
        read(res).1
    };
    let sent = post(
        "/api/v3/send-email",
        json!({"email": "Bob@Example.com", "channel": "CHANNEL_LOGIN"}),
    );
    assert_eq!(sent["statusCode"], 200);
    let code = emu.latest_code("bob@example.com").unwrap();
    let check = |pass_code: &str, channel: &str| {
        post(
            "/api/v3/pre-check-code",
            json!({"codeType": "EMAIL", "smsCodePayload": null,
                "emailCodePayload": {"email": "bob@example.com", "passCode": pass_code, "channel": channel}}),
        )
    };
    for _ in 0..2 {
        let ok = check(&code, "CHANNEL_LOGIN");
        assert_eq!(ok["data"], json!({"isValid": true}), "{ok}");
    }
    let other = check(&code, "CHANNEL_REGISTER");
    assert_eq!(other["data"]["isValid"], false);
    let wrong = check("000000x", "CHANNEL_LOGIN");
    assert_eq!(
        wrong["data"],
        json!({"isValid": false, "message": "the code is wrong"})
    );
    assert!(!emu.issued_codes().last().unwrap().used);
    // The code still signs in.
    let signed = post(
        "/api/v3/signin",
        json!({"connection": "PASSCODE",
            "passCodePayload": {"email": "bob@example.com", "passCode": code},
            "options": {"autoRegister": true}}),
    );
    assert_eq!(signed["statusCode"], 200, "{signed}");
    assert_eq!(check(&code, "CHANNEL_LOGIN")["data"]["isValid"], false);
    for (body, want) in [
        (json!({"codeType": "VOICE"}), 2231),
        (json!({"codeType": "SMS"}), 2231),
        (
            json!({"codeType": "SMS", "smsCodePayload": {"phone": "1x", "passCode": "1", "channel": "CHANNEL_LOGIN"}}),
            2028,
        ),
        (
            json!({"codeType": "EMAIL", "emailCodePayload": {"email": "bob@example.com", "channel": "CHANNEL_LOGIN"}}),
            2231,
        ),
    ] {
        let refused = post("/api/v3/pre-check-code", body.clone());
        assert_eq!(refused["apiCode"], want, "{body} -> {refused}");
    }
}
