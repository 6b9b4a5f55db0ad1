//! The emulator's account endpoints over raw HTTP (ureq, not the SDK): the rules the SDK
//! never lets a request reach, what Android's SDK sends, the avatar upload and the admin
//! API that serves uploads back, and deleting a user.

use crate::common::agent;
use authing_emulator::{Emulator, EmulatorConfig, NewUser};
use serde_json::{json, Value};

const PASSWORD: &str = "old-passw0rd";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";

/// An emulator with `mike` (username and password), and mike's access token.
fn mike(config: EmulatorConfig) -> (Emulator, String) {
    let emu = Emulator::start_with(config).unwrap();
    emu.add_user(NewUser::with_username("mike", PASSWORD).email("mike@example.com"))
        .unwrap();
    let token = access_token(&emu, "mike");
    (emu, token)
}

fn access_token(emu: &Emulator, username: &str) -> String {
    let signed = post(
        emu,
        "/api/v3/signin",
        None,
        json!({"connection": "PASSWORD",
               "passwordPayload": {"username": username, "password": PASSWORD}}),
    );
    assert_eq!(signed["statusCode"], 200, "{signed}");
    signed["data"]["access_token"].as_str().unwrap().to_owned()
}

/// POSTs `body` to a v3 path with the app id, English, and the bearer when given; the
/// envelope (HTTP 200 for every business answer).
fn post(emu: &Emulator, path: &str, token: Option<&str>, body: Value) -> Value {
    let mut req = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US");
    if let Some(token) = token {
        req = req.header("authorization", format!("Bearer {token}"));
    }
    let mut res = req.send(body.to_string()).unwrap();
    assert_eq!(res.status().as_u16(), 200);
    serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap()
}

fn failed(answer: &Value) -> (u64, u64) {
    (
        answer["statusCode"].as_u64().unwrap(),
        answer["apiCode"].as_u64().unwrap_or(0),
    )
}

/// A multipart upload body as OkHttp (Android's `Uploader`) frames it.
fn okhttp_form(boundary: &str, declared: &str, file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"aPhoto\"\r\n\
         Content-Type: {declared}\r\nContent-Length: {}\r\n\r\n",
        file.len()
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// POSTs a multipart body to the upload path, with no other header (as Android does);
/// (HTTP status, body).
fn upload(emu: &Emulator, query: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let mut res = agent()
        .post(format!("{}/api/v2/upload{query}", emu.base_url()))
        .header("content-type", content_type)
        .send(&body[..])
        .unwrap();
    let status = res.status().as_u16();
    (
        status,
        serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap(),
    )
}

#[test]
fn every_account_endpoint_wants_a_signed_in_users_bearer() {
    let (emu, _) = mike(EmulatorConfig::default());
    for path in [
        "/api/v3/update-profile",
        "/api/v3/update-password",
        "/api/v3/bind-phone",
        "/api/v3/unbind-phone",
        "/api/v3/bind-email",
        "/api/v3/unbind-email",
        "/api/v3/verify-update-phone-request",
        "/api/v3/update-phone",
        "/api/v3/verify-update-email-request",
        "/api/v3/update-email",
        "/api/v3/verify-delete-account-request",
        "/api/v3/delete-account",
    ] {
        let answer = post(&emu, path, None, json!({}));
        assert_eq!(failed(&answer), (401, 2020), "{path}: {answer}");
        let answer = post(&emu, path, Some("not-a-token"), json!({}));
        assert_eq!(failed(&answer), (401, 2020), "{path}: {answer}");
    }
    let mut res = agent()
        .get(format!("{}/api/v3/get-security-info", emu.base_url()))
        .call()
        .unwrap();
    let answer: Value = serde_json::from_str(&res.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(failed(&answer), (401, 2020));
}

#[test]
fn update_password_wants_the_old_password_a_new_one_within_the_policy_and_a_change() {
    let (emu, token) = mike(EmulatorConfig::default());
    let t = Some(token.as_str());
    let path = "/api/v3/update-password";
    let missing = post(&emu, path, t, json!({"newPassword": "new-passw0rd"}));
    assert_eq!(failed(&missing), (400, 2231));
    assert_eq!(
        missing["message"],
        "incomplete parameters: oldPassword is required"
    );
    let same = post(
        &emu,
        path,
        t,
        json!({"newPassword": PASSWORD, "oldPassword": PASSWORD}),
    );
    assert_eq!(failed(&same), (422, 2344));
    assert_eq!(
        same["message"],
        "the new password is the same as the old one"
    );
    let short = post(
        &emu,
        path,
        t,
        json!({"newPassword": "abc", "oldPassword": PASSWORD}),
    );
    assert_eq!(failed(&short), (400, 2304));
    let garbled = post(
        &emu,
        path,
        t,
        json!({"newPassword": "AAAA", "oldPassword": "AAAA", "passwordEncryptType": "rsa"}),
    );
    assert_eq!(failed(&garbled), (400, 2231));
    assert!(emu.check_password("mike", PASSWORD));
}

#[test]
fn update_profile_refuses_blank_fields_a_bad_gender_and_a_bad_username() {
    let (emu, token) = mike(EmulatorConfig::default());
    let t = Some(token.as_str());
    let path = "/api/v3/update-profile";
    let blank = post(&emu, path, t, json!({"nickname": "  "}));
    assert_eq!(failed(&blank), (400, 2231));
    assert_eq!(blank["message"], "invalid parameter: nickname is empty");
    let gender = post(&emu, path, t, json!({"gender": "X"}));
    assert_eq!(
        gender["message"],
        "invalid parameter: gender must be M, F or U"
    );
    let username = post(&emu, path, t, json!({"username": "a@b"}));
    assert_eq!(failed(&username), (400, 2231));
    let custom = post(&emu, path, t, json!({"customData": [1]}));
    assert_eq!(failed(&custom), (400, 2231));
    let fine = post(
        &emu,
        path,
        t,
        json!({"externalId": "x-1", "unknownField": 1}),
    );
    assert_eq!(fine["statusCode"], 200);
    assert_eq!(fine["data"]["externalId"], "x-1");
    assert!(
        fine["data"].get("unknownField").is_none(),
        "unknown fields are ignored"
    );
}

#[test]
fn the_android_spelling_of_the_update_email_payload_is_accepted() {
    let (emu, token) = mike(EmulatorConfig::default());
    let sent = post(
        &emu,
        "/api/v3/send-email",
        None,
        json!({"email": "new@example.com", "channel": "CHANNEL_UPDATE_EMAIL"}),
    );
    assert_eq!(sent["statusCode"], 200, "{sent}");
    let code = emu.latest_code("new@example.com").unwrap();
    let answer = post(
        &emu,
        "/api/v3/verify-update-email-request",
        Some(&token),
        json!({"verifyMethod": "EMAIL_PASSCODE",
               "emailPasscodePayload": {"newEmail": "new@example.com", "newEmailPassCode": code}}),
    );
    assert_eq!(answer["statusCode"], 200, "{answer}");
    assert_eq!(answer["data"]["tokenExpiresIn"], 60);
    let unknown = post(
        &emu,
        "/api/v3/verify-update-email-request",
        Some(&token),
        json!({"verifyMethod": "PHONE_PASSCODE"}),
    );
    assert_eq!(failed(&unknown), (400, 2231));
}

#[test]
fn an_android_style_upload_without_headers_is_stored_by_its_real_type_and_served_back() {
    let (emu, _) = mike(EmulatorConfig::default());
    let (status, answer) = upload(
        &emu,
        "?folder=avatars",
        "multipart/form-data; boundary=okhttp-b",
        okhttp_form("okhttp-b", "image/png", JPEG),
    );
    assert_eq!(
        (status, answer["statusCode"].as_u64()),
        (200, Some(200)),
        "{answer}"
    );
    let key = answer["data"]["key"].as_str().unwrap();
    let url = answer["data"]["url"].as_str().unwrap();
    assert!(
        key.starts_with("avatars/") && key.ends_with(".jpg"),
        "{key}"
    );
    assert_eq!(url, format!("{}/emulator/v1/uploads/{key}", emu.base_url()));
    let mut res = agent().get(url).call().unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.body_mut().read_to_vec().unwrap(), JPEG);
    let mut list = agent()
        .get(format!("{}/emulator/v1/uploads", emu.base_url()))
        .call()
        .unwrap();
    let list: Value = serde_json::from_str(&list.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(list["uploads"][0]["key"], key);
    assert_eq!(list["uploads"][0]["contentType"], "image/jpeg");
    assert_eq!(list["uploads"][0]["size"], JPEG.len());
    let missing = agent()
        .get(format!(
            "{}/emulator/v1/uploads/photos/none.png",
            emu.base_url()
        ))
        .call()
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
    assert_eq!(emu.uploads().len(), 1);
}

#[test]
fn an_upload_that_is_not_an_image_or_not_multipart_or_in_a_bad_folder_is_refused() {
    let (emu, _) = mike(EmulatorConfig::default());
    let form = "multipart/form-data; boundary=b";
    let (_, text) = upload(&emu, "", form, okhttp_form("b", "image/png", b"hello"));
    assert_eq!(failed(&text), (400, 2231));
    assert_eq!(
        text["message"], "参数错误：文件不是 PNG、JPEG、GIF 或 WebP 图片",
        "Chinese by default"
    );
    let (_, json_body) = upload(&emu, "", "application/json", b"{}".to_vec());
    assert_eq!(failed(&json_body), (400, 2231));
    let (_, folder) = upload(
        &emu,
        "?folder=../etc",
        form,
        okhttp_form("b", "image/png", PNG),
    );
    assert_eq!(failed(&folder), (400, 2231));
    assert!(emu.uploads().is_empty());
}

#[test]
fn the_upload_has_a_body_limit_of_its_own() {
    let config = EmulatorConfig::default()
        .max_body_bytes(1024)
        .max_upload_bytes(100 * 1024);
    let (emu, _) = mike(config);
    let mut big = PNG.to_vec();
    big.resize(64 * 1024, 0);
    let form = "multipart/form-data; boundary=b";
    let (status, answer) = upload(&emu, "", form, okhttp_form("b", "image/png", &big));
    assert_eq!(
        (status, answer["statusCode"].as_u64()),
        (200, Some(200)),
        "{answer}"
    );
    big.resize(101 * 1024, 0);
    let (_, answer) = upload(&emu, "", form, okhttp_form("b", "image/png", &big));
    assert_eq!(answer["statusCode"], 413);
    let json_limit = post(
        &emu,
        "/api/v3/send-email",
        None,
        json!({"email": "a@b.co", "channel": "CHANNEL_LOGIN", "pad": "x".repeat(2048)}),
    );
    assert_eq!(
        json_limit["statusCode"], 413,
        "other paths keep max_body_bytes"
    );
}
