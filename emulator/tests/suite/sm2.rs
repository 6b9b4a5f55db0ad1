//! The two SM2 forms Authing's public sources use, encrypted here with the `sm2` crate
//! and sent over real HTTP: the emulator opens both and says which one it saw.
//!
//! - Android/iOS (and this crate's SDK): hex of C1C2C3, C1 with `04`, over the base64 of
//!   the password.
//! - The demo Authing's docs link (sm-crypto `doEncrypt`): `sm2:` + hex of C1C3C2, C1
//!   without `04`, over the password itself.

use std::time::Duration;

use crate::common::agent;
use authing_emulator::{Emulator, NewUser, PasswordForm};
use base64::Engine as _;
use serde_json::{json, Value};
use sm2::elliptic_curve::common::getrandom::SysRng;
use sm2::pke::{EncryptingKey, Mode};

const PHONE: &str = "18812345678";
const NEW_PASSWORD: &str = "n3w-pässword";

fn post(emu: &Emulator, path: &str, body: Value) -> Value {
    let text = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US")
        .send(body.to_string())
        .expect("http")
        .body_mut()
        .read_to_string()
        .expect("body");
    serde_json::from_str(&text).expect("json")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The emulator's SM2 public key, as `GET /api/v3/system` serves it.
fn public_key(emu: &Emulator) -> sm2::PublicKey {
    let text = agent()
        .get(format!("{}/api/v3/system", emu.base_url()))
        .call()
        .expect("http")
        .body_mut()
        .read_to_string()
        .expect("body");
    let v: Value = serde_json::from_str(&text).unwrap();
    let key = v["sm2"]["publicKey"].as_str().unwrap();
    let bytes: Vec<u8> = (0..key.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&key[i..i + 2], 16).unwrap())
        .collect();
    sm2::PublicKey::from_sec1_bytes(&bytes).unwrap()
}

fn seal(emu: &Emulator, mode: Mode, plain: &[u8]) -> Vec<u8> {
    EncryptingKey::new_with_mode(public_key(emu), mode)
        .encrypt(&mut SysRng, plain)
        .expect("sm2 encrypts")
}

/// The Android/iOS form.
fn sdk_form(emu: &Emulator, password: &str) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(password);
    hex(&seal(emu, Mode::C1C2C3, text.as_bytes()))
}

/// The docs demo's form (C1 without its `04`, `sm2:` in front).
fn demo_form(emu: &Emulator, password: &str) -> String {
    let sealed = seal(emu, Mode::C1C3C2, password.as_bytes());
    assert_eq!(sealed[0], 0x04);
    format!("sm2:{}", hex(&sealed[1..]))
}

fn emulator() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("+86", PHONE, "old-password"))
        .unwrap();
    emu
}

/// A fresh reset token for `PHONE`.
fn token(emu: &Emulator) -> String {
    emu.advance_clock(Duration::from_secs(61)); // past any send cooldown
    let sent = post(
        emu,
        "/api/v3/send-sms",
        json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}),
    );
    assert_eq!(sent["statusCode"], 200, "{sent}");
    let code = emu.latest_code(PHONE).unwrap();
    let v = post(
        emu,
        "/api/v3/verify-reset-password-request",
        json!({"verifyMethod": "PHONE_PASSCODE",
               "phonePassCodePayload": {"phoneNumber": PHONE, "passCode": code}}),
    );
    v["data"]["passwordResetToken"].as_str().unwrap().to_owned()
}

fn reset(emu: &Emulator, kind: &str, wire: &str) -> Value {
    let token = token(emu);
    post(
        emu,
        "/api/v3/reset-password",
        json!({"passwordResetToken": token, "password": wire, "passwordEncryptType": kind}),
    )
}

/// The admin API's `check-password` answer for `PHONE`.
fn admin_check(emu: &Emulator, password: &str) -> Value {
    let text = agent()
        .post(format!("{}/emulator/v1/check-password", emu.base_url()))
        .header("content-type", "application/json")
        .send(json!({"phoneNumber": PHONE, "password": password}).to_string())
        .expect("http")
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_android_form_c1c2c3_over_base64_is_opened_and_named() {
    let emu = emulator();
    let v = reset(&emu, "sm2", &sdk_form(&emu, NEW_PASSWORD));
    assert_eq!(v["statusCode"], 200, "{v}");
    assert!(emu.check_password(PHONE, NEW_PASSWORD));
    assert_eq!(
        emu.password_form(PHONE),
        Some(PasswordForm::Sm2C1C2C3Base64)
    );
    assert_eq!(
        admin_check(&emu, NEW_PASSWORD),
        json!({"match": true, "passwordForm": "sm2-c1c2c3-base64"})
    );
}

#[test]
fn the_docs_demo_form_sm2_prefix_c1c3c2_over_the_password_is_opened_and_named() {
    let emu = emulator();
    let v = reset(&emu, "sm2", &demo_form(&emu, NEW_PASSWORD));
    assert_eq!(v["statusCode"], 200, "{v}");
    assert!(emu.check_password(PHONE, NEW_PASSWORD));
    assert_eq!(emu.password_form(PHONE), Some(PasswordForm::Sm2C1C3C2));
    assert_eq!(
        admin_check(&emu, NEW_PASSWORD),
        json!({"match": true, "passwordForm": "sm2-c1c3c2"})
    );
}

#[test]
fn the_demo_form_without_its_prefix_and_with_c1s_04_is_opened_too() {
    let emu = emulator();
    let wire = hex(&seal(&emu, Mode::C1C3C2, NEW_PASSWORD.as_bytes()));
    let v = reset(&emu, "sm2", &wire);
    assert_eq!(v["statusCode"], 200, "{v}");
    assert!(emu.check_password(PHONE, NEW_PASSWORD));
    assert_eq!(emu.password_form(PHONE), Some(PasswordForm::Sm2C1C3C2));
}

#[test]
fn the_sdks_form_behind_the_demos_prefix_is_refused() {
    // `sm2:` announces the demo's form; C1C2C3 under it is a client mixing the two.
    let emu = emulator();
    let wire = format!("sm2:{}", sdk_form(&emu, NEW_PASSWORD));
    let v = reset(&emu, "sm2", &wire);
    assert_eq!(
        (v["statusCode"].as_u64(), v["apiCode"].as_u64()),
        (Some(400), Some(2231))
    );
    assert!(emu.check_password(PHONE, "old-password"));
}

#[test]
fn a_password_set_in_clear_or_never_reset_is_named_so() {
    let emu = emulator();
    assert_eq!(emu.password_form(PHONE), None);
    assert_eq!(
        admin_check(&emu, "old-password"),
        json!({"match": true, "passwordForm": null})
    );
    let v = reset(&emu, "none", NEW_PASSWORD);
    assert_eq!(v["statusCode"], 200, "{v}");
    assert_eq!(emu.password_form(PHONE), Some(PasswordForm::Plain));
    assert_eq!(admin_check(&emu, NEW_PASSWORD)["passwordForm"], "none");
}
