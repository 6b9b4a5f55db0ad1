//! Admin input that meets time or sizes: the emulator answers 400 with a specific
//! message instead of panicking or overflowing, and keeps working.

use std::time::Duration;

use crate::calls::*;
use crate::common::agent;
use crate::common::{self, DEADLINE};
use authing_emulator::{Emulator, EmulatorConfig, Fault, NewUser, MAX_DURATION};
use serde_json::{json, Value};

const PHONE: &str = "18812345678";
/// 100 years in seconds, the furthest the clock moves and the longest configured time.
const MAX_SECS: u64 = 100 * 365 * 24 * 3600;

/// POSTs `body` (JSON text) to `path`; the HTTP status and the JSON answer.
fn post_text(emu: &Emulator, path: &str, body: &str) -> (u16, Value) {
    let mut res = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .send(body)
        .expect("http");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, value)
}

fn clock_offset(emu: &Emulator) -> u64 {
    let mut res = agent()
        .get(format!("{}/emulator/v1/clock", emu.base_url()))
        .call()
        .expect("http");
    let v: Value = serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap();
    v["offsetSeconds"].as_u64().expect("offsetSeconds")
}

/// Asserts a 400 whose `error` contains every one of `words`.
fn assert_refused(answer: (u16, Value), words: &[&str]) {
    let (status, v) = answer;
    assert_eq!(status, 400, "{v}");
    let message = v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {v}"));
    for word in words {
        assert!(message.contains(word), "{message:?} lacks {word:?}");
    }
}

/// The emulator still answers a send after the refused input.
fn assert_alive(emu: &Emulator) {
    let (status, v) = post_text(
        emu,
        "/api/v3/send-sms",
        &json!({"phoneNumber": PHONE, "channel": "CHANNEL_LOGIN"}).to_string(),
    );
    assert_eq!((status, v["statusCode"].as_u64()), (200, Some(200)), "{v}");
}

// ---------------------------------------------------------------- the clock

#[test]
fn advancing_the_clock_by_1e20_seconds_answers_400_and_leaves_the_clock_alone() {
    let emu = Emulator::start().unwrap();
    let answer = post_text(&emu, "/emulator/v1/clock", r#"{"advanceSeconds":1e20}"#);
    assert_refused(answer, &["advanceSeconds", "from 0 to 3153600000"]);
    assert_eq!(clock_offset(&emu), 0);
    assert_alive(&emu);
}

#[test]
fn advancing_the_clock_by_a_negative_or_non_number_answers_400() {
    let emu = Emulator::start().unwrap();
    for body in [
        r#"{"advanceSeconds":-1}"#,
        r#"{"advanceSeconds":"61"}"#,
        r#"{"advanceSeconds":null}"#,
        r#"{}"#,
    ] {
        let answer = post_text(&emu, "/emulator/v1/clock", body);
        assert_refused(answer, &["advanceSeconds must be a number"]);
    }
    assert_eq!(clock_offset(&emu), 0);
}

#[test]
fn advancing_the_clock_past_100_years_in_steps_answers_400_with_the_current_offset() {
    let emu = Emulator::start().unwrap();
    let sixty_years = 60 * 365 * 24 * 3600;
    let step = json!({ "advanceSeconds": sixty_years }).to_string();
    let (status, v) = post_text(&emu, "/emulator/v1/clock", &step);
    assert_eq!(status, 200, "{v}");
    let answer = post_text(&emu, "/emulator/v1/clock", &step);
    assert_refused(
        answer,
        &[
            "more than 3153600000 s",
            &format!("{sixty_years} s ahead now"),
        ],
    );
    assert_eq!(clock_offset(&emu), sixty_years);
    assert_alive(&emu);
}

#[test]
fn codes_and_tokens_work_a_hundred_years_ahead_with_the_longest_lifetimes() {
    // The longest clock offset plus the longest lifetimes: no time computed overflows.
    let config = EmulatorConfig::default()
        .sms_code_ttl(Duration::MAX)
        .reset_token_ttl(Duration::MAX)
        .send_cooldown(Duration::MAX)
        .user(NewUser::with_phone("+86", PHONE, "old-password"));
    let emu = Emulator::start_with(config).unwrap();
    let body = json!({ "advanceSeconds": MAX_SECS }).to_string();
    assert_eq!(post_text(&emu, "/emulator/v1/clock", &body).0, 200);

    let send = json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}).to_string();
    let (_, v) = post_text(&emu, "/api/v3/send-sms", &send);
    assert_eq!(v["statusCode"], 200, "{v}");
    let (_, again) = post_text(&emu, "/api/v3/send-sms", &send);
    assert_eq!(again["statusCode"], 429, "{again}");

    let code = emu.latest_code(PHONE).unwrap();
    let verify = json!({"verifyMethod": "PHONE_PASSCODE",
        "phonePassCodePayload": {"phoneNumber": PHONE, "passCode": code}})
    .to_string();
    let (_, v) = post_text(&emu, "/api/v3/verify-reset-password-request", &verify);
    assert_eq!(v["statusCode"], 200, "{v}");
    assert_eq!(v["data"]["tokenExpiresIn"], MAX_SECS, "{v}");
}

#[test]
fn configured_lifetimes_are_cut_to_100_years() {
    assert_eq!(MAX_DURATION, Duration::from_secs(MAX_SECS));
    let config = EmulatorConfig::default()
        .reset_token_ttl(Duration::from_secs(u64::MAX))
        .user(NewUser::with_phone("+86", PHONE, "old-password"));
    let emu = Emulator::start_with(config).unwrap();
    let send = json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}).to_string();
    post_text(&emu, "/api/v3/send-sms", &send);
    let code = emu.latest_code(PHONE).unwrap();
    let verify = json!({"verifyMethod": "PHONE_PASSCODE",
        "phonePassCodePayload": {"phoneNumber": PHONE, "passCode": code}})
    .to_string();
    let (_, v) = post_text(&emu, "/api/v3/verify-reset-password-request", &verify);
    assert_eq!(v["data"]["tokenExpiresIn"], MAX_SECS, "{v}");
}

#[test]
#[should_panic(expected = "cannot move more than 3153600000 s")]
fn advancing_the_clock_in_process_past_100_years_panics_with_a_clear_message() {
    let emu = Emulator::start().unwrap();
    emu.advance_clock(Duration::MAX);
}

// ---------------------------------------------------------------- faults

#[test]
fn a_delay_fault_longer_than_100_years_answers_400() {
    let emu = Emulator::start().unwrap();
    for ms in [
        json!(u64::MAX),
        json!(1e20),
        json!(-5),
        json!("10"),
        json!(1.5),
    ] {
        let body = json!({"path": "/api/v3/system", "fault": {"type": "delay", "ms": ms}});
        let answer = post_text(&emu, "/emulator/v1/faults", &body.to_string());
        assert_refused(
            answer,
            &["ms", "whole number of milliseconds", "3153600000000"],
        );
    }
    assert_alive(&emu);
}

#[test]
fn a_fault_count_beyond_u32_answers_400() {
    let emu = Emulator::start().unwrap();
    for times in [json!(4_294_967_296_u64), json!(-1), json!(2.5)] {
        let body = json!({"path": "/api/v3/system", "times": times, "fault": {"type": "drop"}});
        let answer = post_text(&emu, "/emulator/v1/faults", &body.to_string());
        assert_refused(answer, &["times", "from 0 to 4294967295"]);
    }
    assert_alive(&emu);
}

#[test]
fn a_status_fault_outside_100_to_999_answers_400() {
    let emu = Emulator::start().unwrap();
    for status in [json!(99), json!(1000), json!(70_000), json!(-200)] {
        let body = json!({"path": "/x", "fault": {"type": "status", "status": status}});
        let answer = post_text(&emu, "/emulator/v1/faults", &body.to_string());
        assert_refused(answer, &["status", "from 100 to 999"]);
    }
}

#[test]
fn an_unknown_fault_type_answers_400_naming_every_type() {
    let emu = Emulator::start().unwrap();
    let body = json!({"path": "/x", "fault": {"type": "explode"}});
    let answer = post_text(&emu, "/emulator/v1/faults", &body.to_string());
    assert_refused(answer, &["delay", "drop", "status", "malformed", "panic"]);
}

#[test]
fn an_endless_delay_injected_in_process_waits_until_the_emulator_is_dropped() {
    let emu = Emulator::start().unwrap();
    emu.inject_fault("/api/v3/system", Fault::Delay(Duration::MAX), 1);
    let url = format!("{}/api/v3/system", emu.base_url());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(agent().get(&url).call().is_err());
    });
    // No answer while the emulator runs...
    assert!(rx.recv_timeout(common::QUIET).is_err());
    assert_eq!(emu.stats().requests, 1);
    // ...and dropping it ends the wait: the client sees the connection close.
    drop(emu);
    assert!(rx.recv_timeout(DEADLINE).expect("the client returned"));
}

// ---------------------------------------------------------------- the binary's flags

#[test]
fn the_binary_refuses_out_of_range_flags_with_exit_status_2_and_the_range() {
    let cases = [
        ("--max-connections", "0", "at least 1"),
        ("--max-connections", "-3", "at least 1"),
        ("--idle-timeout", "1e20", "from 0.001 to 3153600000"),
        ("--head-timeout", "-1", "from 0.001 to 3153600000"),
        ("--body-timeout", "0", "from 0.001 to 3153600000"),
        ("--body-timeout", "NaN", "from 0.001 to 3153600000"),
        ("--throttle-reply", "sometimes", "http-429 or envelope-200"),
    ];
    for (flag, value, range) in cases {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
            .args(["--listen", "127.0.0.1:0", flag, value])
            .output()
            .expect("run the binary");
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error: {flag} must be")) && stderr.contains(range),
            "{flag} {value}: {stderr}"
        );
    }
}

#[test]
fn the_binary_takes_the_connection_cap_from_its_flag() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--max-connections",
            "1",
            "--quiet-codes",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn the binary");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let outcome = (|| {
        let addr = first
            .trim()
            .strip_prefix("listening on http://")
            .ok_or_else(|| format!("unexpected first line {first:?}"))?;
        let held = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
        // The held connection is served (its request answered) before the next one.
        let mut held_reader = held.try_clone().map_err(|e| e.to_string())?;
        std::io::Write::write_all(
            &mut &held,
            b"GET /api/v3/system HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .map_err(|e| e.to_string())?;
        held_reader
            .set_read_timeout(Some(DEADLINE))
            .map_err(|e| e.to_string())?;
        let mut byte = [0u8; 12];
        held_reader
            .read_exact(&mut byte)
            .map_err(|e| e.to_string())?;
        let mut refused = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
        refused
            .set_read_timeout(Some(DEADLINE))
            .map_err(|e| e.to_string())?;
        let mut answer = String::new();
        refused
            .read_to_string(&mut answer)
            .map_err(|e| e.to_string())?;
        if !answer.starts_with("HTTP/1.1 503 ") || !answer.contains("at most 1") {
            return Err(format!("not refused: {answer}"));
        }
        drop(held);
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    outcome.unwrap();
}

// ---------------------------------------------------------------- configured sizes

#[test]
fn a_huge_code_length_is_cut_to_32_digits() {
    let emu = Emulator::start_with(EmulatorConfig::default().code_length(usize::MAX)).unwrap();
    assert_alive(&emu);
    let code = &emu.issued_codes()[0].code;
    assert_eq!(code.len(), 32, "{code}");
}

#[test]
fn a_huge_declared_body_with_an_unbounded_body_limit_gets_413_not_an_allocation() {
    use std::io::{Read, Write};
    let emu = Emulator::start_with(EmulatorConfig::default().max_body_bytes(usize::MAX)).unwrap();
    let mut s = std::net::TcpStream::connect(emu.addr()).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    s.write_all(
        b"POST /api/v3/send-sms HTTP/1.1\r\nHost: x\r\nx-authing-app-id: demo-app\r\n\
          Content-Length: 1000000000000000000\r\n\r\n",
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("answered and closed");
    assert!(answer.contains(r#""statusCode":413"#), "{answer}");
    assert!(answer.contains("67108864"), "the limit is 64 MiB: {answer}");
    assert_alive(&emu);
}

// ---------------------------------------------------------------- over the recovery endpoints

#[test]
fn the_admin_api_lists_issued_codes() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    send_email(&emu, EMAIL, "CHANNEL_LOGIN");
    let v = get(&emu, "/emulator/v1/codes").json();
    let codes = v["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 2);
    assert_eq!(codes[0]["phoneNumber"], PHONE);
    assert_eq!(codes[0]["phoneCountryCode"], "+86");
    assert_eq!(codes[0]["channel"], "CHANNEL_RESET_PASSWORD");
    assert_eq!(codes[0]["code"], emu.latest_code(PHONE).unwrap());
    assert_eq!(codes[0]["used"], false);
    assert!(codes[0]["expiresAt"].as_u64().unwrap() > 1_600_000_000);
    assert_eq!(codes[1]["email"], EMAIL);
}

#[test]
fn the_admin_api_creates_users_and_checks_passwords() {
    let emu = Emulator::start().unwrap();
    let agent = agent();
    let url = |p: &str| format!("{}{p}", emu.base_url());
    let a = answer(
        agent
            .post(url("/emulator/v1/users"))
            .send_json(json!({"phoneNumber": PHONE, "password": "secret-1"}))
            .unwrap(),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let a = answer(
        agent
            .post(url("/emulator/v1/users"))
            .send_json(json!({"phoneNumber": PHONE, "phoneCountryCode": "+86", "password": "x"}))
            .unwrap(),
    );
    assert_eq!(a.status, 409, "{}", a.text);
    let a = answer(
        agent
            .post(url("/emulator/v1/users"))
            .send_json(json!({"password": "x"}))
            .unwrap(),
    );
    assert_eq!(a.status, 400, "{}", a.text);

    let check = |body: Value| {
        answer(
            agent
                .post(url("/emulator/v1/check-password"))
                .send_json(body)
                .unwrap(),
        )
        .json()
    };
    assert_eq!(
        check(json!({"phoneNumber": PHONE, "password": "secret-1"}))["match"],
        true
    );
    assert_eq!(
        check(json!({"phoneNumber": PHONE, "phoneCountryCode": "+86", "password": "nope"}))
            ["match"],
        false
    );
    assert_eq!(
        check(json!({"email": EMAIL, "password": "secret-1"}))["match"],
        false
    );
    assert!(emu.check_password(&NewUser::with_phone("86", PHONE, ""), "secret-1"));
}

#[test]
fn the_admin_clock_moves_expiry() {
    let emu = emulator_with_users();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    let code = emu.latest_code(PHONE).unwrap();
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/clock", emu.base_url()))
            .send_json(json!({"advanceSeconds": 61}))
            .unwrap(),
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["offsetSeconds"], 61);
    assert_failure(&verify_phone(&emu, PHONE, &code), 400, Some(2300));
}

#[test]
fn the_admin_state_reset_clears_everything() {
    let config = EmulatorConfig::default().user(NewUser::with_email(EMAIL, "seeded-1"));
    let emu = Emulator::start_with(config).unwrap();
    emu.add_user(NewUser::with_phone("+86", PHONE, "old-password"))
        .unwrap();
    send_sms(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    emu.advance_clock(Duration::from_secs(5));
    emu.inject_fault("/api/v3/system", Fault::MalformedBody, 5);
    let a = answer(
        agent()
            .delete(format!("{}/emulator/v1/state", emu.base_url()))
            .call()
            .unwrap(),
    );
    assert_eq!(a.status, 200);
    assert!(emu.issued_codes().is_empty());
    assert!(!emu.check_password(PHONE, "old-password"));
    assert!(emu.check_password(EMAIL, "seeded-1"));
    // No cooldown left, no fault left, clock back.
    assert_eq!(
        send_email(&emu, EMAIL, "CHANNEL_RESET_PASSWORD")["statusCode"],
        200
    );
    assert!(get(&emu, "/api/v3/system").json()["rsa"].is_object());
    let clock = answer(
        agent()
            .get(format!("{}/emulator/v1/clock", emu.base_url()))
            .call()
            .unwrap(),
    )
    .json();
    assert_eq!(clock["offsetSeconds"], 0);
}

#[test]
fn the_admin_api_reports_stats_and_rejects_bad_requests() {
    let emu = Emulator::start().unwrap();
    send_sms(&emu, PHONE, "CHANNEL_LOGIN");
    let v = get(&emu, "/emulator/v1/stats").json();
    assert_eq!(v["requests"], 2);
    assert!(v["connections"].as_u64().unwrap() >= 1);
    assert_eq!(get(&emu, "/emulator/v1/nothing").status, 404);
    let wrong = get(&emu, "/emulator/v1/faults");
    assert_eq!(wrong.status, 405);
    assert_eq!(wrong.allow.as_deref(), Some("POST"));
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/faults", emu.base_url()))
            .header("content-type", "application/json")
            .send("{")
            .unwrap(),
    );
    assert_eq!(a.status, 400);
}

#[test]
fn users_with_bad_identities_are_refused() {
    let emu = Emulator::start().unwrap();
    assert!(emu
        .add_user(NewUser {
            password: "x".into(),
            ..NewUser::default()
        })
        .is_err());
    assert!(emu
        .add_user(NewUser::with_phone("+86", "12ab", "x"))
        .is_err());
    emu.add_user(NewUser::with_email(EMAIL, "x")).unwrap();
    assert!(emu
        .add_user(NewUser::with_email("ALICE@EXAMPLE.COM", "y"))
        .is_err());
    let bad = EmulatorConfig::default().user(NewUser::with_email("nope", "x"));
    assert_eq!(
        Emulator::start_with(bad).unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );
}

// ---------------------------------------------------------------- ambiguous user names

/// A GET or a JSON POST to the admin API: the status and the JSON answer.
fn admin_call(emu: &Emulator, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}{path}", emu.base_url());
    let res = match (method, body) {
        ("GET", _) => agent().get(url).call(),
        (_, Some(body)) => agent().post(url).send_json(body),
        (_, None) => agent()
            .post(url)
            .header("content-type", "application/json")
            .send_empty(),
    };
    let mut res = res.expect("http");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[test]
fn an_admin_user_name_that_names_two_users_answers_409_with_their_ids() {
    let emu = Emulator::start().unwrap();
    let ad = emu.add_user(NewUser::ad("test", "secret-1")).unwrap();
    let named = emu
        .add_user(NewUser::with_username("test", "secret-2"))
        .unwrap();
    let phone = emu
        .add_user(NewUser::with_phone("+86", "18812345678", "secret-3"))
        .unwrap();
    let digits = emu
        .add_user(NewUser::with_username("18812345678", "secret-4"))
        .unwrap();
    for (name, ids) in [("test", [&ad, &named]), ("18812345678", [&phone, &digits])] {
        for (method, path, body) in [
            ("GET", format!("/emulator/v1/users/{name}"), None),
            (
                "POST",
                format!("/emulator/v1/users/{name}/expire-access-tokens"),
                None,
            ),
            ("GET", format!("/emulator/v1/mfa/users/{name}"), None),
            (
                "POST",
                format!("/emulator/v1/users/{name}/roles"),
                Some(json!({"code": "admin"})),
            ),
            (
                "POST",
                "/emulator/v1/qrcodes/no-such-code".to_owned(),
                Some(json!({"action": "SCAN", "user": name})),
            ),
        ] {
            let (status, v) = admin_call(&emu, method, &path, body);
            assert_eq!(status, 409, "{method} {path}: {v}");
            let expected: Vec<Value> = ids.iter().map(|id| json!(id)).collect();
            assert_eq!(v["candidates"], json!(expected), "{v}");
            let message = v["error"].as_str().unwrap();
            assert!(message.contains("ambiguous"), "{message}");
            assert!(
                ids.iter().all(|id| message.contains(id.as_str())),
                "{message}"
            );
        }
        // Named by id, each is one user.
        for id in ids {
            let (status, v) = admin_call(&emu, "GET", &format!("/emulator/v1/users/{id}"), None);
            assert_eq!(
                (status, v["userId"].as_str()),
                (200, Some(id.as_str())),
                "{v}"
            );
        }
    }
    // The Rust API picks by kind of name: user id, username, email, phone, directory
    // account name; the username beats the older directory account and the older phone.
    assert_eq!(emu.user_state("test").unwrap().user_id, named);
    assert_eq!(emu.user_state("18812345678").unwrap().user_id, digits);
    assert_eq!(emu.user_state("+8618812345678").unwrap().user_id, phone);
}
