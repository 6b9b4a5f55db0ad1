//! The emulator's QR-code endpoints and their admin API over real HTTP, with ureq as the
//! client (not through the SDK): the answers' shapes, the rules of each phone action, the
//! bearer, and what a reset clears.

use crate::common::agent;
use authing_emulator::{Action, QrCodeStatus};
use authing_emulator::{Emulator, NewUser, QR_CODE_TTL};
use serde_json::{json, Value};

const ALICE: &str = "alice@example.com";
const PASSWORD: &str = "secret-123";

/// `(HTTP status, JSON body)` of a request.
fn call(
    emu: &Emulator,
    method: &str,
    path: &str,
    body: Option<Value>,
    bearer: Option<&str>,
) -> (u16, Value) {
    let url = format!("{}{path}", emu.base_url());
    let agent = agent();
    let mut response = match body {
        Some(body) => {
            let mut request = agent
                .post(&url)
                .header("x-authing-app-id", emu.app_id())
                .header("content-type", "application/json");
            if let Some(token) = bearer {
                request = request.header("authorization", &format!("Bearer {token}"));
            }
            request.send(body.to_string()).expect("an answer")
        }
        None => {
            let request = match method {
                "GET" => agent.get(&url),
                other => panic!("no {other} without a body here"),
            };
            request
                .header("x-authing-app-id", emu.app_id())
                .call()
                .expect("an answer")
        }
    };
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (status, serde_json::from_str(&text).expect("json"))
}

fn gene(emu: &Emulator) -> String {
    let (status, body) = call(
        emu,
        "POST",
        "/api/v3/gene-qrcode",
        Some(json!({"type": "MOBILE_APP"})),
        None,
    );
    assert_eq!(
        (status, body["statusCode"].as_i64()),
        (200, Some(200)),
        "{body}"
    );
    body["data"]["qrcodeId"].as_str().unwrap().to_string()
}

fn status_of(emu: &Emulator, id: &str) -> Value {
    call(
        emu,
        "GET",
        &format!("/api/v3/check-qrcode-status?qrcodeId={id}"),
        None,
        None,
    )
    .1
}

/// Signs Alice in; her access token.
fn alice_token(emu: &Emulator) -> String {
    let (_, body) = call(
        emu,
        "POST",
        "/api/v3/signin",
        Some(
            json!({"connection": "PASSWORD", "passwordPayload": {"email": ALICE, "password": PASSWORD}}),
        ),
        None,
    );
    body["data"]["access_token"]
        .as_str()
        .expect("a token")
        .to_string()
}

fn setup() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_email(ALICE, PASSWORD).nickname("Alice"))
        .unwrap();
    emu
}

#[test]
fn a_generated_code_is_pending_and_its_url_is_the_admin_view_of_it() {
    let emu = setup();
    let (_, body) = call(
        &emu,
        "POST",
        "/api/v3/gene-qrcode",
        Some(json!({"type": "MOBILE_APP"})),
        None,
    );
    let id = body["data"]["qrcodeId"].as_str().unwrap();
    let url = body["data"]["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/emulator/v1/qrcodes/{id}", emu.base_url()));
    let text = agent()
        .get(url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let view: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(view["status"], "PENDING");
    assert_eq!(status_of(&emu, id)["data"], json!({"status": "PENDING"}));
}

#[test]
fn only_mobile_app_codes_are_generated_and_the_type_is_required() {
    let emu = setup();
    for body in [json!({"type": "WECHAT_OFFICIAL_ACCOUNT"}), json!({})] {
        let (_, answer) = call(&emu, "POST", "/api/v3/gene-qrcode", Some(body), None);
        assert_eq!(
            (answer["statusCode"].as_i64(), answer["apiCode"].as_i64()),
            (Some(400), Some(2231))
        );
    }
    let (_, missing) = call(&emu, "GET", "/api/v3/check-qrcode-status", None, None);
    assert_eq!(missing["apiCode"], 2231);
    let (_, unknown) = call(
        &emu,
        "GET",
        "/api/v3/check-qrcode-status?qrcodeId=qr-x",
        None,
        None,
    );
    assert_eq!(
        (unknown["statusCode"].as_i64(), unknown["apiCode"].as_i64()),
        (Some(404), Some(2324))
    );
}

#[test]
fn the_phones_change_needs_the_bearer_and_scan_before_confirm() {
    let emu = setup();
    let id = gene(&emu);
    let change = |action: &str, bearer: Option<&str>| {
        call(
            &emu,
            "POST",
            "/api/v3/change-qrcode-status",
            Some(json!({"qrcodeId": id, "action": action})),
            bearer,
        )
        .1
    };
    let anonymous = change("SCAN", None);
    assert_eq!(
        (
            anonymous["statusCode"].as_i64(),
            anonymous["apiCode"].as_i64()
        ),
        (Some(401), Some(2020))
    );
    let token = alice_token(&emu);
    let early = change("CONFIRM", Some(&token));
    assert_eq!(
        (early["statusCode"].as_i64(), early["apiCode"].as_i64()),
        (Some(400), Some(2326))
    );
    let bad = change("LOOK", Some(&token));
    assert_eq!(bad["apiCode"], 2231);
    let scanned = change("SCAN", Some(&token));
    assert_eq!(scanned["statusCode"], 200);
    assert!(
        scanned.get("data").is_none(),
        "CommonResponseDto: {scanned}"
    );
    let seen = status_of(&emu, &id)["data"].clone();
    assert_eq!(
        seen,
        json!({"status": "SCANNED", "briefUserInfo": {"displayName": "Alice", "photo": ""}})
    );
    assert_eq!(change("CONFIRM", Some(&token))["statusCode"], 200);
    let authorized = status_of(&emu, &id)["data"].clone();
    assert_eq!(authorized["status"], "AUTHORIZED");
    assert!(authorized["ticket"].as_str().is_some_and(|t| !t.is_empty()));
    let again = change("CANCEL", Some(&token));
    assert_eq!(again["apiCode"], 2326, "a final status stays");
}

#[test]
fn a_ticket_is_exchanged_once_for_tokens_and_expires_two_minutes_after_the_confirm() {
    let emu = setup();
    let first = gene(&emu);
    let second = gene(&emu);
    for id in [&first, &second] {
        emu.change_qr_code_status(id, ALICE, Action::SCAN).unwrap();
        emu.change_qr_code_status(id, ALICE, Action::CONFIRM)
            .unwrap();
    }
    let ticket = |id: &str| {
        status_of(&emu, id)["data"]["ticket"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (first_ticket, second_ticket) = (ticket(&first), ticket(&second));
    let exchange = |ticket: &str| {
        call(
            &emu,
            "POST",
            "/api/v3/exchange-tokenset-with-qrcode-ticket",
            Some(json!({"ticket": ticket})),
            None,
        )
        .1
    };
    let tokens = exchange(&first_ticket);
    assert_eq!(tokens["statusCode"], 200, "{tokens}");
    assert!(tokens["data"]["access_token"].is_string());
    assert!(tokens["data"]["refresh_token"].is_string());
    assert_eq!(tokens["data"]["token_type"], "Bearer");
    let replay = exchange(&first_ticket);
    assert_eq!(
        (replay["statusCode"].as_i64(), replay["apiCode"].as_i64()),
        (Some(400), Some(2327))
    );
    emu.advance_clock(authing_emulator::QR_TICKET_TTL);
    assert_eq!(exchange(&second_ticket)["apiCode"], 2327, "expired");
    assert_eq!(emu.user_state(ALICE).unwrap().logins_count, 1);
}

#[test]
fn the_admin_plays_the_phone_under_the_same_rules_and_a_reset_forgets_every_code() {
    let emu = setup();
    let id = gene(&emu);
    let admin = |body: Value| {
        call(
            &emu,
            "POST",
            &format!("/emulator/v1/qrcodes/{id}"),
            Some(body),
            None,
        )
    };
    let (status, _) = admin(json!({"action": "SCAN"}));
    assert_eq!(status, 400, "a scan names its user");
    let (status, _) = admin(json!({"action": "CONFIRM", "user": ALICE}));
    assert_eq!(status, 409, "confirm before scan");
    let (status, body) = admin(json!({"action": "SCAN", "user": ALICE}));
    assert_eq!(
        (status, body["qrcode"]["status"].as_str()),
        (200, Some("SCANNED"))
    );
    let (status, body) = admin(json!({"action": "CANCEL"}));
    assert_eq!(
        (status, body["qrcode"]["status"].as_str()),
        (200, Some("CANCELLED"))
    );
    let (_, list) = call(&emu, "GET", "/emulator/v1/qrcodes", None, None);
    assert_eq!(list["qrcodes"].as_array().unwrap().len(), 1);

    let late = gene(&emu);
    emu.advance_clock(QR_CODE_TTL);
    assert_eq!(emu.qr_code(&late).unwrap().status, QrCodeStatus::EXPIRED);
    assert_eq!(emu.qr_code(&id).unwrap().status, QrCodeStatus::CANCELLED);
    emu.reset();
    assert!(emu.qr_codes().is_empty());
    let (status, _) = call(
        &emu,
        "GET",
        &format!("/emulator/v1/qrcodes/{id}"),
        None,
        None,
    );
    assert_eq!(status, 404);
}

// --- fast authentication -----------------------------------------------------------------

/// Alice's fast authentication code (made with her bearer): the whole `data`.
fn gene_fastpass(emu: &Emulator, token: &str, options: Value) -> Value {
    let (status, body) = call(
        emu,
        "POST",
        "/api/v3/gene-fastpass-qrcode-info",
        Some(json!({ "options": options })),
        Some(token),
    );
    assert_eq!(
        (status, body["statusCode"].as_i64()),
        (200, Some(200)),
        "{body}"
    );
    body["data"].clone()
}

#[test]
fn a_fast_authentication_code_carries_the_owner_and_signs_one_app_in_as_them() {
    let emu = setup();
    let token = alice_token(&emu);
    let (status, body) = call(
        &emu,
        "POST",
        "/api/v3/gene-fastpass-qrcode-info",
        Some(json!({})),
        None,
    );
    assert_eq!(
        (
            status,
            body["statusCode"].as_i64(),
            body["apiCode"].as_i64()
        ),
        (200, Some(401), Some(2020)),
        "{body}"
    );

    let data = gene_fastpass(&emu, &token, json!({"scope": "openid profile"}));
    let id = data["qrcodeId"].as_str().expect("an id").to_owned();
    assert_eq!(data["scene"], "APP_LOGIN");
    assert_eq!(data["appId"], emu.app_id());
    assert_eq!(data["apiHost"], emu.base_url());
    assert_eq!(data["user"]["displayName"], "Alice");
    assert_eq!(data["userpool"]["id"], emu.user_pool_id());
    assert_eq!(status_of(&emu, &id)["data"]["status"], "PENDING");
    let by_app = call(
        &emu,
        "GET",
        &format!("/api/v3/get-app-login-qrcode-status?qrcodeId={id}"),
        None,
        None,
    );
    assert_eq!(
        by_app.1["data"],
        status_of(&emu, &id)["data"],
        "one store, one answer"
    );

    let apps = |app: &str| {
        call(
            &emu,
            "GET",
            &format!("/api/v3/get-fastpass-client-apps?qrcodeId={id}&appId={app}"),
            None,
            None,
        )
    };
    assert_eq!(apps("another-app").1["statusCode"], 404);
    let (status, body) = apps(emu.app_id());
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["relationApps"][0]["id"], emu.app_id());
    let seen = status_of(&emu, &id)["data"].clone();
    assert_eq!(seen["status"], "SCANNED");
    assert_eq!(seen["briefUserInfo"]["displayName"], "Alice");

    let login = |action: &str| {
        call(
            &emu,
            "POST",
            "/api/v3/qrcode-app-login",
            Some(json!({"action": action, "qrcodeId": id})),
            None,
        )
    };
    assert_eq!(login("SCAN").1["statusCode"], 400);
    let (status, body) = login("APP_LOGIN");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["token_type"], "Bearer");
    assert_eq!(
        body["data"]["scope"],
        json!(null),
        "the spec's LoginToken has no scope"
    );
    let access = body["data"]["access_token"].as_str().expect("a token");
    let (_, me) = call(&emu, "GET", "/api/v3/get-profile", None, None);
    assert_eq!(me["statusCode"], 401, "{me}");
    let profile = agent()
        .get(&format!("{}/api/v3/get-profile", emu.base_url()))
        .header("x-authing-app-id", emu.app_id())
        .header("authorization", &format!("Bearer {access}"))
        .call()
        .expect("an answer")
        .body_mut()
        .read_to_string()
        .expect("a body");
    let profile: Value = serde_json::from_str(&profile).expect("json");
    assert_eq!(profile["data"]["email"], ALICE);
    assert_eq!(status_of(&emu, &id)["data"]["status"], "AUTHORIZED");
    let (status, body) = login("APP_LOGIN");
    assert_eq!(
        (
            status,
            body["statusCode"].as_i64(),
            body["apiCode"].as_i64()
        ),
        (200, Some(400), Some(2326)),
        "{body}"
    );
}

#[test]
fn the_two_kinds_of_code_refuse_each_others_calls_and_a_fast_code_expires() {
    let emu = setup();
    let token = alice_token(&emu);
    let sign_in = gene(&emu);
    let (status, body) = call(
        &emu,
        "POST",
        "/api/v3/qrcode-app-login",
        Some(json!({"action": "APP_LOGIN", "qrcodeId": sign_in})),
        None,
    );
    assert_eq!(
        (
            status,
            body["statusCode"].as_i64(),
            body["apiCode"].as_i64()
        ),
        (200, Some(400), Some(2326)),
        "{body}"
    );
    let fast = gene_fastpass(&emu, &token, json!({}));
    let id = fast["qrcodeId"].as_str().expect("an id");
    let (status, body) = call(
        &emu,
        "POST",
        "/api/v3/change-qrcode-status",
        Some(json!({"qrcodeId": id, "action": "SCAN"})),
        Some(&token),
    );
    assert_eq!(
        (
            status,
            body["statusCode"].as_i64(),
            body["apiCode"].as_i64()
        ),
        (200, Some(400), Some(2326)),
        "{body}"
    );
    emu.advance_clock(QR_CODE_TTL);
    assert_eq!(status_of(&emu, id)["data"]["status"], "EXPIRED");
    let (status, body) = call(
        &emu,
        "POST",
        "/api/v3/qrcode-app-login",
        Some(json!({"action": "APP_LOGIN", "qrcodeId": id})),
        None,
    );
    assert_eq!(
        (
            status,
            body["statusCode"].as_i64(),
            body["apiCode"].as_i64()
        ),
        (200, Some(400), Some(2325)),
        "{body}"
    );
    let (_, body) = call(
        &emu,
        "POST",
        "/api/v3/gene-fastpass-qrcode-info",
        Some(json!({"options": {"customData": "no"}})),
        Some(&token),
    );
    assert_eq!(body["statusCode"], 400, "{body}");
}
