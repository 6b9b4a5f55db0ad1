//! The emulator's WeChat helpers over real HTTP, with ureq as the client (not through the
//! SDK): the bearer each needs, the mini program connection, the open data decrypted by
//! its session key (checked here independently: the test decrypts the admin's data itself
//! with the session key the admin hands out), the phone, the cached access token, and the
//! admin route.

use crate::common::agent;
use authing_emulator::{Emulator, NewUser, WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET};
use serde_json::{json, Value};

const ALICE: &str = "alice@example.com";
const PASSWORD: &str = "secret-123";

/// `POST path` with `body` and an optional bearer: HTTP status and JSON body.
fn post(emu: &Emulator, path: &str, body: Value, bearer: Option<&str>) -> (u16, Value) {
    let mut request = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US")
        .header("content-type", "application/json");
    if let Some(token) = bearer {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send(body.to_string()).expect("an answer");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (status, serde_json::from_str(&text).expect("json"))
}

/// The open data of `wx`, decrypted with its session key by the test itself.
fn independent_decrypt(wx: &Value) -> Value {
    use base64::Engine;
    use cbc::cipher::block_padding::Pkcs7;
    use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
    let b64 = |key: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(wx[key].as_str().expect("a field"))
            .expect("base64")
    };
    let (key, iv, data) = (b64("sessionKey"), b64("iv"), b64("encryptedData"));
    let plain = cbc::Decryptor::<aes::Aes128>::new_from_slices(&key, &iv)
        .expect("a 16-byte key and iv")
        .decrypt_padded_vec::<Pkcs7>(&data)
        .expect("pkcs7 padding");
    serde_json::from_slice(&plain).expect("json")
}

fn setup() -> (Emulator, String) {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_email(ALICE, PASSWORD)).unwrap();
    let (_, body) = post(
        &emu,
        "/api/v3/signin",
        json!({"connection": "PASSWORD", "passwordPayload": {"email": ALICE, "password": PASSWORD}}),
        None,
    );
    let token = body["data"]["access_token"]
        .as_str()
        .expect("a token")
        .to_string();
    (emu, token)
}

#[test]
fn the_admin_hands_out_what_wechat_gives_a_mini_program_and_the_server_decrypts_it() {
    let (emu, token) = setup();
    let (status, wx) = post(
        &emu,
        "/emulator/v1/wechat/mini-program-logins",
        json!({}),
        None,
    );
    assert_eq!(status, 200, "{wx}");
    let decrypt = |wx: &Value, bearer: Option<&str>| {
        post(
            &emu,
            "/api/v3/decrypt-wechat-miniprogram-data",
            json!({
                "extIdpConnidentifier": wx["extIdpConnidentifier"],
                "encryptedData": wx["encryptedData"],
                "iv": wx["iv"],
                "code": wx["code"],
            }),
            bearer,
        )
    };
    let (_, refused) = decrypt(&wx, None);
    assert_eq!(
        (refused["statusCode"].as_i64(), refused["apiCode"].as_i64()),
        (Some(401), Some(2020))
    );
    // What the admin handed out is WeChat's format: AES-128-CBC, PKCS#7, under the
    // session key, all base64; decrypted here without the emulator's code.
    let plain = independent_decrypt(&wx);
    assert_eq!(plain["nickName"], "Band");
    let (status, body) = decrypt(&wx, Some(&token));
    assert_eq!(
        (status, body["statusCode"].as_i64()),
        (200, Some(200)),
        "{body}"
    );
    assert_eq!(body["data"], plain);
    assert_eq!(body["data"]["nickName"], "Band");
    assert_eq!(body["data"]["watermark"]["appid"], WECHAT_TEST_APP_ID);
    let (_, spent) = decrypt(&wx, Some(&token));
    assert_eq!(
        (spent["statusCode"].as_i64(), spent["apiCode"].as_i64()),
        (Some(400), Some(2381)),
        "{spent}"
    );

    let (_, other) = post(
        &emu,
        "/emulator/v1/wechat/mini-program-logins",
        json!({}),
        None,
    );
    let mut crossed = other.clone();
    crossed["encryptedData"] = wx["encryptedData"].clone();
    crossed["iv"] = wx["iv"].clone();
    let (_, wrong) = decrypt(&crossed, Some(&token));
    assert_eq!(wrong["apiCode"], 2382, "{wrong}");
    let (_, third) = post(
        &emu,
        "/emulator/v1/wechat/mini-program-logins",
        json!({}),
        None,
    );
    let mut elsewhere = third.clone();
    elsewhere["extIdpConnidentifier"] = json!("no-such-wxapp");
    let (_, unknown) = decrypt(&elsewhere, Some(&token));
    assert_eq!(unknown["apiCode"], 2380, "{unknown}");

    let get = agent()
        .get(format!(
            "{}/emulator/v1/wechat/mini-program-logins",
            emu.base_url()
        ))
        .call()
        .expect("an answer");
    assert_eq!(get.status().as_u16(), 405);
}

#[test]
fn the_phone_code_and_the_access_token_follow_wechats_rules() {
    let (emu, token) = setup();
    let wx = emu.wechat_mini_program_login();
    let phone = |code: &str| {
        post(
            &emu,
            "/api/v3/get-wechat-miniprogram-phone",
            json!({"extIdpConnidentifier": wx.ext_idp_conn_identifier, "code": code}),
            Some(&token),
        )
    };
    let (_, body) = phone(&wx.phone_code);
    assert_eq!(
        body["data"],
        json!({"countryCode": "86", "phoneNumber": "13800138000", "purePhoneNumber": "13800138000"})
    );
    assert_eq!(phone(&wx.phone_code).1["apiCode"], 2381);

    let fetch = |path: &str, secret: &str| {
        post(
            &emu,
            path,
            json!({"appId": WECHAT_TEST_APP_ID, "appSecret": secret}),
            Some(&token),
        )
        .1
    };
    let first = fetch(
        "/api/v3/get-wechat-access-token-info",
        WECHAT_TEST_APP_SECRET,
    );
    let older = fetch("/api/v3/get-wechat-access-token", WECHAT_TEST_APP_SECRET);
    assert_eq!(first["data"]["accessToken"], older["data"]["accessToken"]);
    assert!(first["data"]["expiresAt"].as_str().unwrap().ends_with('Z'));
    let wrong = fetch("/api/v3/get-wechat-access-token-info", "wrong");
    assert_eq!(
        (wrong["statusCode"].as_i64(), wrong["apiCode"].as_i64()),
        (Some(400), Some(2383))
    );
    let (_, missing) = post(
        &emu,
        "/api/v3/get-wechat-access-token-info",
        json!({"appId": WECHAT_TEST_APP_ID}),
        Some(&token),
    );
    assert_eq!(missing["apiCode"], 2231, "{missing}");
}
