//! The emulator's sign-up, sign-in and session endpoints over real HTTP, with ureq as the
//! client (not through the SDK).

use std::time::Duration;

use crate::common::agent;
use authing_emulator::{Directory, Emulator, EmulatorConfig, NewUser, TokenLifetimes};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const PHONE: &str = "18812345678";
const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "secret-123";

/// Every field of the spec's `UserDto`, and the required ones.
const USER_DTO_FIELDS: &[&str] = &[
    "userId",
    "createdAt",
    "updatedAt",
    "status",
    "workStatus",
    "externalId",
    "email",
    "phone",
    "phoneCountryCode",
    "username",
    "name",
    "nickname",
    "photo",
    "loginsCount",
    "lastLogin",
    "lastIp",
    "gender",
    "emailVerified",
    "phoneVerified",
    "passwordLastSetAt",
    "birthdate",
    "country",
    "province",
    "city",
    "address",
    "streetAddress",
    "postalCode",
    "company",
    "browser",
    "device",
    "givenName",
    "familyName",
    "middleName",
    "profile",
    "preferredUsername",
    "website",
    "zoneinfo",
    "locale",
    "formatted",
    "region",
    "userSourceType",
    "userSourceId",
    "lastLoginApp",
    "mainDepartmentId",
    "lastMfaTime",
    "passwordSecurityLevel",
    "resetPasswordOnNextLogin",
    "registerSource",
    "departmentIds",
    "identities",
    "identityNumber",
    "customData",
    "postIdList",
    "statusChangedAt",
    "tenantId",
];
const USER_DTO_REQUIRED: &[&str] = &[
    "userId",
    "createdAt",
    "updatedAt",
    "status",
    "workStatus",
    "gender",
    "emailVerified",
    "phoneVerified",
    "userSourceType",
];

/// One answer: HTTP status, some headers and the body as JSON.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    json: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn answer(mut res: ureq::http::Response<ureq::Body>) -> Answer {
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let text = res.body_mut().read_to_string().expect("read body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    Answer {
        status,
        headers,
        json,
    }
}

/// POSTs JSON to a v3 endpoint with the app id header (and any extra headers).
fn post(emu: &Emulator, path: &str, headers: &[(&str, &str)], body: Value) -> Value {
    let mut req = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let a = answer(req.send(body.to_string()).expect("http"));
    assert_eq!(a.status, 200, "v3 answers are HTTP 200: {}", a.json);
    a.json
}

/// GETs a path with the given headers.
fn get(emu: &Emulator, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = agent()
        .get(format!("{}{path}", emu.base_url()))
        .header("x-authing-lang", "en-US");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req.call().expect("http"))
}

/// POSTs a form body.
fn post_form(emu: &Emulator, path: &str, headers: &[(&str, &str)], form: &str) -> Answer {
    let mut req = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    answer(req.send(form).expect("http"))
}

fn signup(emu: &Emulator, body: Value) -> Value {
    post(emu, "/api/v3/signup", &[], body)
}

fn signin(emu: &Emulator, body: Value) -> Value {
    post(emu, "/api/v3/signin", &[], body)
}

fn sign_in_with_password(emu: &Emulator, key: &str, value: &str, password: &str) -> Value {
    signin(
        emu,
        json!({
            "connection": "PASSWORD",
            "passwordPayload": {key: value, "password": password},
            "options": {"scope": "openid profile email phone username offline_access"},
        }),
    )
}

fn send_code(emu: &Emulator, target: &str, channel: &str) -> String {
    let (path, body) = if target.contains('@') {
        (
            "/api/v3/send-email",
            json!({"email": target, "channel": channel}),
        )
    } else {
        (
            "/api/v3/send-sms",
            json!({"phoneNumber": target, "phoneCountryCode": "+86", "channel": channel}),
        )
    };
    assert_eq!(post(emu, path, &[], body)["statusCode"], 200);
    emu.latest_code(target).expect("a code was issued")
}

fn profile(emu: &Emulator, authorization: &str, query: &str) -> Value {
    let a = get(
        emu,
        &format!("/api/v3/get-profile{query}"),
        &[("authorization", authorization)],
    );
    assert_eq!(a.status, 200);
    a.json
}

fn refresh(emu: &Emulator, refresh_token: &str) -> Answer {
    post_form(
        emu,
        "/oidc/token",
        &[],
        &format!(
            "grant_type=refresh_token&client_id={}&refresh_token={refresh_token}",
            emu.app_id()
        ),
    )
}

fn assert_fails(reply: &Value, status: u64, api_code: Option<u64>) {
    assert_eq!(reply["statusCode"], status, "{reply}");
    match api_code {
        Some(code) => assert_eq!(reply["apiCode"], code, "{reply}"),
        None => assert!(reply.get("apiCode").is_none(), "{reply}"),
    }
    assert!(
        reply.get("data").is_none(),
        "a failure has no data: {reply}"
    );
}

/// `data` is a spec `UserDto`: every required field, nothing the schema lacks, no null.
fn assert_user_dto(data: &Value) {
    let map = data.as_object().expect("UserDto is an object");
    for field in USER_DTO_REQUIRED {
        assert!(map.contains_key(*field), "{field} missing from {data}");
    }
    for (key, value) in map {
        assert!(
            USER_DTO_FIELDS.contains(&key.as_str()),
            "{key} is not in UserDto"
        );
        assert!(!value.is_null(), "{key} is null");
    }
    for field in [
        "status",
        "workStatus",
        "gender",
        "userSourceType",
        "createdAt",
    ] {
        assert!(data[field].is_string(), "{field} is a string");
    }
    assert!([
        "Suspended",
        "Resigned",
        "Activated",
        "Archived",
        "Deactivated"
    ]
    .contains(&data["status"].as_str().unwrap()));
    assert!(["M", "F", "U"].contains(&data["gender"].as_str().unwrap()));
}

/// `data` is a spec `LoginTokenResponseDataDto`.
fn assert_token_set(data: &Value, with_refresh: bool) {
    let map = data.as_object().expect("token set is an object");
    for (key, _) in map {
        assert!(
            [
                "access_token",
                "id_token",
                "refresh_token",
                "token_type",
                "expire_in"
            ]
            .contains(&key.as_str()),
            "{key} is not in LoginTokenResponseDataDto"
        );
    }
    assert_eq!(data["token_type"], "Bearer");
    assert!(data["expire_in"].is_u64());
    assert!(data["access_token"].is_string() && data["id_token"].is_string());
    assert_eq!(data.get("refresh_token").is_some(), with_refresh, "{data}");
}

/// The claims of a JWT after checking its RS256 signature against the served JWKS.
fn verified_claims(emu: &Emulator, token: &str) -> Value {
    let jwks = get(emu, "/oidc/.well-known/jwks.json", &[]).json;
    let jwk = &jwks["keys"][0];
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], jwk["kid"]);
    let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap();
    let key = rsa::PublicKey::new(
        rsa::BoxedUint::from_be_slice_vartime(&n),
        rsa::BoxedUint::from_be_slice_vartime(&e),
    )
    .unwrap();
    let digest = Sha256::digest(format!("{}.{}", parts[0], parts[1]).as_bytes());
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
        .expect("the signature verifies with the served key");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

fn start_with_alice() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(
        NewUser::with_username("alice", PASSWORD)
            .email(EMAIL)
            .phone("+86", PHONE)
            .nickname("Al")
            .custom_data("school", "pku"),
    )
    .unwrap();
    emu
}

#[test]
fn a_user_signs_up_with_a_username_and_password_and_only_its_hash_is_kept() {
    let emu = Emulator::start().unwrap();
    let reply = signup(
        &emu,
        json!({
            "connection": "PASSWORD",
            "passwordPayload": {"username": "bob", "password": PASSWORD},
            "profile": {"nickname": "Bobby", "gender": "M", "locality": "Beijing",
                        "customData": {"age": "20"}},
            "options": {"context": {"source": "utm"}},
        }),
    );
    assert_eq!(reply["statusCode"], 200, "{reply}");
    let data = &reply["data"];
    assert_user_dto(data);
    assert_eq!(data["username"], "bob");
    assert_eq!(data["nickname"], "Bobby");
    assert_eq!(data["gender"], "M");
    assert_eq!(data["city"], "Beijing");
    assert_eq!(data["userSourceType"], "register");
    assert_eq!(data["userSourceId"], emu.app_id());
    assert_eq!(data["registerSource"], json!(["basic:username-password"]));
    assert_eq!(data["userId"].as_str().unwrap().len(), 24);
    assert!(!reply.to_string().contains(PASSWORD));
    assert!(emu.check_password("bob", PASSWORD));
    assert!(!emu.check_password("bob", "secret-124"));
    // The new user signs in with what it signed up with.
    let tokens = sign_in_with_password(&emu, "username", "bob", PASSWORD);
    assert_eq!(tokens["statusCode"], 200, "{tokens}");
}

#[test]
fn sign_up_by_email_and_password_works_and_the_email_is_stored_lowercase() {
    let emu = Emulator::start().unwrap();
    let reply = signup(
        &emu,
        json!({"connection": "PASSWORD",
               "passwordPayload": {"email": "Carol@Example.com", "password": PASSWORD}}),
    );
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert_user_dto(&reply["data"]);
    assert_eq!(reply["data"]["email"], "carol@example.com");
    assert_eq!(reply["data"]["emailVerified"], false);
    assert!(emu.check_password("carol@example.com", PASSWORD));
}

#[test]
fn sign_up_refuses_a_taken_username_email_or_phone_with_409_and_apicode_2305() {
    let emu = start_with_alice();
    for payload in [
        json!({"username": "alice", "password": PASSWORD}),
        json!({"email": "ALICE@example.com", "password": PASSWORD}),
    ] {
        let reply = signup(
            &emu,
            json!({"connection": "PASSWORD", "passwordPayload": payload}),
        );
        assert_fails(&reply, 409, Some(2305));
    }
    let code = send_code(&emu, PHONE, "CHANNEL_REGISTER");
    let reply = signup(
        &emu,
        json!({"connection": "PASSCODE", "passCodePayload": {"phone": PHONE, "passCode": code}}),
    );
    assert_fails(&reply, 409, Some(2305));
    assert_eq!(reply["message"], "user already exists");
    // The code was not spent on the refused sign-up.
    assert_eq!(emu.latest_code(PHONE), Some(code));
}

#[test]
fn sign_up_checks_its_input_before_creating_anyone() {
    let emu = Emulator::start().unwrap();
    let cases = [
        (
            json!({"passwordPayload": {"username": "u1", "password": PASSWORD}}),
            400,
            2231,
        ),
        (
            json!({"connection": "FACE", "passwordPayload": {}}),
            400,
            2231,
        ),
        (json!({"connection": "PASSWORD"}), 400, 2231),
        (
            json!({"connection": "PASSWORD", "passwordPayload": {"password": PASSWORD}}),
            400,
            2231,
        ),
        (
            json!({"connection": "PASSWORD", "passwordPayload": {"username": "u1"}}),
            400,
            2231,
        ),
        (
            json!({"connection": "PASSWORD", "passwordPayload": {"username": "a b", "password": PASSWORD}}),
            400,
            2231,
        ),
        (
            json!({"connection": "PASSWORD", "passwordPayload": {"email": "not-an-email", "password": PASSWORD}}),
            400,
            2028,
        ),
        (
            json!({"connection": "PASSWORD", "passwordPayload": {"username": "u1", "password": "short"}}),
            400,
            2304,
        ),
        (
            json!({"connection": "PASSWORD", "passwordPayload": {"username": "u1", "password": PASSWORD},
                   "profile": {"gender": "W"}}),
            400,
            2231,
        ),
        (
            json!({"connection": "PASSWORD", "passwordPayload": {"username": "u1", "password": PASSWORD},
                   "options": {"passwordEncryptType": "rsa"}}),
            400,
            2231,
        ),
        (
            json!({"connection": "PASSCODE", "passCodePayload": {"passCode": "123456"}}),
            400,
            2231,
        ),
    ];
    for (body, status, code) in cases {
        let reply = signup(&emu, body.clone());
        assert_fails(&reply, status, Some(code));
        assert!(
            reply["message"].as_str().unwrap().len() > 5,
            "{body}: {reply}"
        );
    }
    assert!(emu.users().is_empty());
}

#[test]
fn passcode_sign_up_spends_a_code_sent_on_channel_register_only() {
    let emu = Emulator::start().unwrap();
    // A login code does not sign anybody up.
    let login = send_code(&emu, EMAIL, "CHANNEL_LOGIN");
    let body = |code: &str| json!({"connection": "PASSCODE", "passCodePayload": {"email": EMAIL, "passCode": code}});
    assert_fails(&signup(&emu, body(&login)), 400, Some(2001));
    let code = send_code(&emu, EMAIL, "CHANNEL_REGISTER");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_fails(&signup(&emu, body(wrong)), 400, Some(2001));
    let reply = signup(&emu, body(&code));
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert_user_dto(&reply["data"]);
    assert_eq!(reply["data"]["email"], EMAIL);
    assert_eq!(reply["data"]["emailVerified"], true);
    assert_eq!(reply["data"]["registerSource"], json!(["basic:email-code"]));
    // Spent: a second sign-up with it is a conflict, and the code is used.
    assert_fails(&signup(&emu, body(&code)), 409, Some(2305));
    assert!(emu.issued_codes().iter().any(|c| c.code == code && c.used));
    // A passcode user has no password yet.
    assert!(!emu.check_password(EMAIL, ""));
}

#[test]
fn phone_passcode_sign_up_takes_the_country_code_and_an_expired_code_answers_2300() {
    let emu = Emulator::start().unwrap();
    let code = send_code(&emu, PHONE, "CHANNEL_REGISTER");
    emu.advance_clock(Duration::from_secs(61));
    let body = json!({"connection": "PASSCODE",
                      "passCodePayload": {"phone": PHONE, "phoneCountryCode": "+86", "passCode": code}});
    assert_fails(&signup(&emu, body), 400, Some(2300));
    let code = send_code(&emu, PHONE, "CHANNEL_REGISTER");
    let reply = signup(
        &emu,
        json!({"connection": "PASSCODE", "passCodePayload": {"phone": PHONE, "passCode": code}}),
    );
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert_eq!(reply["data"]["phone"], PHONE);
    assert_eq!(reply["data"]["phoneCountryCode"], "+86");
    assert_eq!(reply["data"]["phoneVerified"], true);
}

#[test]
fn password_sign_in_works_by_account_username_email_and_phone() {
    let emu = start_with_alice();
    for (key, value) in [
        ("account", "alice"),
        ("account", EMAIL),
        ("account", PHONE),
        ("username", "alice"),
        ("email", "ALICE@example.com"),
        ("phone", PHONE),
        ("phone", "+8618812345678"),
    ] {
        let reply = sign_in_with_password(&emu, key, value, PASSWORD);
        assert_eq!(reply["statusCode"], 200, "{key}={value}: {reply}");
        assert_token_set(&reply["data"], true);
        assert!(reply.get("apiCode").is_none());
    }
    assert_eq!(emu.user_state("alice").unwrap().logins_count, 7);
}

#[test]
fn sign_in_answers_rs256_jwts_that_verify_with_the_served_jwks() {
    let emu = start_with_alice();
    let reply = signin(
        &emu,
        json!({"connection": "PASSWORD",
               "passwordPayload": {"username": "alice", "password": PASSWORD},
               "options": {"scope": "openid profile email phone username", "nonce": "n-0S6"}}),
    );
    let data = &reply["data"];
    assert_token_set(data, false);
    assert_eq!(data["expire_in"], 7200);
    let user_id = emu.user_state("alice").unwrap().user_id;
    let issuer = format!("{}/oidc", emu.base_url());
    let access = verified_claims(&emu, data["access_token"].as_str().unwrap());
    let id = verified_claims(&emu, data["id_token"].as_str().unwrap());
    for claims in [&access, &id] {
        assert_eq!(claims["sub"], user_id.as_str());
        assert_eq!(claims["aud"], emu.app_id());
        assert_eq!(claims["iss"], issuer.as_str());
        assert_eq!(
            claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
            7200
        );
    }
    assert_eq!(access["scope"], "openid profile email phone username");
    assert!(access["jti"].is_string());
    assert_eq!(id["nonce"], "n-0S6");
    assert_eq!(id["email"], EMAIL);
    assert_eq!(id["phone_number"], PHONE);
    assert_eq!(id["username"], "alice");
    assert_eq!(id["nickname"], "Al");
    let discovery = get(&emu, "/oidc/.well-known/openid-configuration", &[]).json;
    assert_eq!(discovery["issuer"], issuer.as_str());
    assert_eq!(
        discovery["jwks_uri"],
        format!("{issuer}/.well-known/jwks.json").as_str()
    );
}

#[test]
fn without_a_scope_a_sign_in_gets_no_refresh_token_and_a_scope_without_openid_is_refused() {
    let emu = start_with_alice();
    let reply = signin(
        &emu,
        json!({"connection": "PASSWORD", "passwordPayload": {"account": "alice", "password": PASSWORD}}),
    );
    assert_token_set(&reply["data"], false);
    let reply = signin(
        &emu,
        json!({"connection": "PASSWORD", "passwordPayload": {"account": "alice", "password": PASSWORD},
               "options": {"scope": "profile offline_access"}}),
    );
    assert_fails(&reply, 400, Some(2231));
}

#[test]
fn wrong_passwords_lock_the_account_until_the_lock_expires_on_the_emulator_clock() {
    let emu = start_with_alice();
    for n in 1..=4 {
        let reply = sign_in_with_password(&emu, "account", "alice", "wrong-pass");
        assert_fails(&reply, 403, Some(2333));
        assert_eq!(reply["message"], "wrong account or password");
        assert_eq!(emu.user_state("alice").unwrap().failed_attempts, n);
    }
    let reply = sign_in_with_password(&emu, "account", "alice", "wrong-pass");
    assert_fails(&reply, 403, Some(2005));
    assert!(
        reply["message"].as_str().unwrap().contains("600 seconds"),
        "{reply}"
    );
    let state = emu.user_state("alice").unwrap();
    assert!(state.locked && state.locked_until.is_some());
    // Locked: even the right password is refused.
    assert_fails(
        &sign_in_with_password(&emu, "email", EMAIL, PASSWORD),
        403,
        Some(2005),
    );
    emu.advance_clock(Duration::from_secs(601));
    let reply = sign_in_with_password(&emu, "email", EMAIL, PASSWORD);
    assert_eq!(reply["statusCode"], 200, "{reply}");
    let state = emu.user_state("alice").unwrap();
    assert!(!state.locked);
    assert_eq!(state.failed_attempts, 0);
}

#[test]
fn the_lock_threshold_and_duration_are_configurable() {
    let config = EmulatorConfig::default()
        .lock_threshold(2)
        .lock_duration(Duration::from_secs(30))
        .user(NewUser::with_username("alice", PASSWORD));
    let emu = Emulator::start_with(config).unwrap();
    assert_fails(
        &sign_in_with_password(&emu, "account", "alice", "x-wrong-1"),
        403,
        Some(2333),
    );
    let reply = sign_in_with_password(&emu, "account", "alice", "x-wrong-2");
    assert_fails(&reply, 403, Some(2005));
    assert!(reply["message"].as_str().unwrap().contains("30 seconds"));
    emu.advance_clock(Duration::from_secs(31));
    assert_eq!(
        sign_in_with_password(&emu, "account", "alice", PASSWORD)["statusCode"],
        200
    );
    let never = EmulatorConfig::default()
        .lock_threshold(0)
        .user(NewUser::with_username("bob", PASSWORD));
    let emu = Emulator::start_with(never).unwrap();
    for _ in 0..8 {
        assert_fails(
            &sign_in_with_password(&emu, "account", "bob", "x-wrong-1"),
            403,
            Some(2333),
        );
    }
    assert_eq!(
        sign_in_with_password(&emu, "account", "bob", PASSWORD)["statusCode"],
        200
    );
}

#[test]
fn unknown_accounts_are_told_apart_from_wrong_passwords_only_when_revealed() {
    let emu = start_with_alice();
    assert_fails(
        &sign_in_with_password(&emu, "account", "nobody", PASSWORD),
        403,
        Some(2333),
    );
    assert_fails(
        &sign_in_with_password(&emu, "account", "alice", "x-wrong-1"),
        403,
        Some(2333),
    );
    let config = EmulatorConfig::default()
        .reveal_unknown_accounts(true)
        .user(NewUser::with_username("alice", PASSWORD));
    let emu = Emulator::start_with(config).unwrap();
    assert_fails(
        &sign_in_with_password(&emu, "account", "nobody", PASSWORD),
        404,
        Some(2004),
    );
    let reply = sign_in_with_password(&emu, "account", "alice", "x-wrong-1");
    assert_fails(&reply, 403, Some(2006));
    assert_eq!(reply["message"], "wrong password");
}

#[test]
fn auto_register_creates_the_user_a_password_sign_in_names() {
    let emu = Emulator::start().unwrap();
    let reply = signin(
        &emu,
        json!({"connection": "PASSWORD", "passwordPayload": {"email": "dan@example.com", "password": PASSWORD},
               "options": {"autoRegister": true, "clientIp": "10.1.2.3", "customData": {"plan": "pro"}}}),
    );
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert!(emu.check_password("dan@example.com", PASSWORD));
    let token = reply["data"]["access_token"].as_str().unwrap();
    let me = profile(&emu, token, "?withCustomData=true");
    assert_eq!(me["data"]["lastIp"], "10.1.2.3");
    assert_eq!(me["data"]["customData"]["plan"], "pro");
    assert_eq!(me["data"]["userSourceType"], "register");
}

pub(crate) fn rsa_encrypt(password: &str) -> String {
    use rsa::pkcs8::DecodePublicKey;
    let system = get(&Emulator::start().unwrap(), "/api/v3/system", &[]).json;
    let pem = system["rsa"]["publicKey"].as_str().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let key = rsa::PublicKey::from_public_key_der(&STANDARD.decode(body).unwrap()).unwrap();
    let sealed = key.pkcs1v15_encrypt(password.as_bytes()).unwrap();
    STANDARD.encode(sealed)
}

fn sm2_encrypt(password: &str) -> String {
    use sm2::elliptic_curve::common::getrandom::SysRng;
    use sm2::pke::{EncryptingKey, Mode};
    let system = get(&Emulator::start().unwrap(), "/api/v3/system", &[]).json;
    let hex = system["sm2"]["publicKey"].as_str().unwrap();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let key = sm2::PublicKey::from_sec1_bytes(&bytes).unwrap();
    let text = STANDARD.encode(password.as_bytes());
    let sealed = EncryptingKey::new_with_mode(key, Mode::C1C2C3)
        .encrypt(&mut SysRng, text.as_bytes())
        .unwrap();
    sealed.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn passwords_sent_encrypted_with_rsa_or_sm2_are_decrypted_and_garbage_is_refused() {
    let emu = start_with_alice();
    for (kind, wire) in [
        ("rsa", rsa_encrypt(PASSWORD)),
        ("sm2", sm2_encrypt(PASSWORD)),
    ] {
        let reply = signin(
            &emu,
            json!({"connection": "PASSWORD", "passwordPayload": {"account": "alice", "password": wire},
                   "options": {"passwordEncryptType": kind}}),
        );
        assert_eq!(reply["statusCode"], 200, "{kind}: {reply}");
    }
    let reply = signin(
        &emu,
        json!({"connection": "PASSWORD", "passwordPayload": {"account": "alice", "password": PASSWORD},
               "options": {"passwordEncryptType": "rsa"}}),
    );
    assert_fails(&reply, 400, Some(2231));
    // Garbage is not a wrong password: nothing counted.
    assert_eq!(emu.user_state("alice").unwrap().failed_attempts, 0);
    let reply = signup(
        &emu,
        json!({"connection": "PASSWORD", "passwordPayload": {"username": "erin", "password": sm2_encrypt(PASSWORD)},
               "options": {"passwordEncryptType": "sm2"}}),
    );
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert!(emu.check_password("erin", PASSWORD));
}

#[test]
fn passcode_sign_in_spends_a_login_code_and_auto_registers_only_when_asked() {
    let emu = start_with_alice();
    let body = |target: (&str, &str), code: &str, auto: bool| {
        json!({"connection": "PASSCODE",
               "passCodePayload": {target.0: target.1, "passCode": code, "phoneCountryCode": "+86"},
               "options": {"autoRegister": auto, "scope": "openid offline_access"}})
    };
    // A reset-password code does not sign in.
    let reset = send_code(&emu, PHONE, "CHANNEL_RESET_PASSWORD");
    assert_fails(
        &signin(&emu, body(("phone", PHONE), &reset, false)),
        400,
        Some(2001),
    );
    let code = send_code(&emu, PHONE, "CHANNEL_LOGIN");
    let reply = signin(&emu, body(("phone", PHONE), &code, false));
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert_token_set(&reply["data"], true);
    assert_fails(
        &signin(&emu, body(("phone", PHONE), &code, false)),
        400,
        Some(2001),
    );
    // An unknown email: 2004 without autoRegister (the code is spent), a new user with it.
    let code = send_code(&emu, "new@example.com", "CHANNEL_LOGIN");
    assert_fails(
        &signin(&emu, body(("email", "new@example.com"), &code, false)),
        404,
        Some(2004),
    );
    assert!(emu.user_state("new@example.com").is_none());
    emu.advance_clock(Duration::from_secs(61));
    let code = send_code(&emu, "new@example.com", "CHANNEL_LOGIN");
    let reply = signin(&emu, body(("email", "new@example.com"), &code, true));
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert_eq!(emu.user_state("new@example.com").unwrap().logins_count, 1);
}

#[test]
fn ad_and_ldap_accounts_sign_in_only_through_their_own_connection() {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::ad("CORP\\alice", PASSWORD)).unwrap();
    emu.add_user(NewUser::ldap("bob", PASSWORD).email("bob@example.com"))
        .unwrap();
    let directory = |connection: &str, field: &str, name: &str, password: &str| {
        signin(
            &emu,
            json!({"connection": connection, field: {"sAMAccountName": name, "password": password}}),
        )
    };
    let reply = directory("AD", "adPayload", "corp\\ALICE", PASSWORD);
    assert_eq!(reply["statusCode"], 200, "{reply}");
    let token = reply["data"]["access_token"].as_str().unwrap();
    let me = profile(&emu, &format!("Bearer {token}"), "?withIdentities=true");
    let identity = &me["data"]["identities"][0];
    assert_eq!(identity["provider"], "ad");
    assert_eq!(identity["userIdInIdp"], "CORP\\alice");
    for field in [
        "identityId",
        "extIdpId",
        "type",
        "userInfoInIdp",
        "originConnIds",
    ] {
        assert!(identity.get(field).is_some(), "{field}");
    }
    assert_eq!(
        directory("LDAP", "ldapPayload", "bob", PASSWORD)["statusCode"],
        200
    );
    // Not through the other directory, not through PASSWORD, not with a wrong password.
    assert_fails(
        &directory("AD", "adPayload", "bob", PASSWORD),
        403,
        Some(2333),
    );
    assert_fails(
        &sign_in_with_password(&emu, "email", "bob@example.com", PASSWORD),
        403,
        Some(2333),
    );
    assert_fails(
        &directory("LDAP", "ldapPayload", "bob", "x-wrong-1"),
        403,
        Some(2333),
    );
    let state = emu.user_state("bob").unwrap();
    assert_eq!(state.directory, Some(Directory::LDAP));
    assert_eq!(state.failed_attempts, 2);
    assert_fails(
        &signin(
            &emu,
            json!({"connection": "AD", "adPayload": {"password": PASSWORD}}),
        ),
        400,
        Some(2231),
    );
}

#[test]
fn get_profile_needs_a_valid_bearer_and_honours_its_flags() {
    let emu = start_with_alice();
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let token = reply["data"]["access_token"].as_str().unwrap().to_owned();
    let none = get(&emu, "/api/v3/get-profile", &[]);
    assert_eq!(none.status, 200);
    assert_fails(&none.json, 401, Some(2020));
    assert_eq!(none.json["message"], "not signed in: no access token");
    assert_fails(&profile(&emu, "Bearer not-a-token", ""), 401, Some(2020));
    // The id token is not an access token.
    let id_token = reply["data"]["id_token"].as_str().unwrap();
    assert_fails(
        &profile(&emu, &format!("Bearer {id_token}"), ""),
        401,
        Some(2020),
    );
    // With `Bearer ` or bare, as Authing's Node and Python SDKs send it.
    for authorization in [
        format!("Bearer {token}"),
        format!("bearer {token}"),
        token.clone(),
    ] {
        let me = profile(&emu, &authorization, "");
        assert_eq!(me["statusCode"], 200, "{me}");
        assert_user_dto(&me["data"]);
        assert!(me["data"].get("customData").is_none());
        assert!(me["data"].get("identities").is_none());
        assert!(me["data"].get("departmentIds").is_none());
    }
    let me = profile(
        &emu,
        &token,
        "?withCustomData=True&withIdentities=true&withDepartmentIds=1",
    );
    let data = &me["data"];
    assert_user_dto(data);
    assert_eq!(data["customData"], json!({"school": "pku"}));
    assert_eq!(data["identities"], json!([]));
    assert_eq!(data["departmentIds"], json!([]));
    assert_eq!(data["username"], "alice");
    assert_eq!(data["email"], EMAIL);
    assert_eq!(data["phone"], PHONE);
    assert_eq!(data["userSourceType"], "adminCreated");
    assert_eq!(data["loginsCount"], 1);
    assert!(data["lastLogin"].as_str().unwrap().ends_with('Z'));
    assert_fails(
        &profile(&emu, &token, "?withCustomData=maybe"),
        400,
        Some(2231),
    );
}

#[test]
fn an_access_token_with_any_part_changed_is_not_a_bearer() {
    let emu = start_with_alice();
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let token = reply["data"]["access_token"].as_str().unwrap().to_owned();
    assert_eq!(profile(&emu, &token, "")["statusCode"], 200);
    let parts: Vec<&str> = token.split('.').collect();
    // Its claims with one more claim (the same jti, so the same record), re-encoded.
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["scope"] = json!("openid profile email phone admin");
    let widened = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    // Its signature with one character changed.
    let mut signature = parts[2].to_owned();
    let last = signature.pop().unwrap();
    signature.push(if last == 'A' { 'B' } else { 'A' });
    let resigned = format!("{}.{}.{signature}", parts[0], parts[1]);
    for forged in [widened, resigned] {
        assert_fails(&profile(&emu, &forged, ""), 401, Some(2020));
        let me = get(
            &emu,
            "/oidc/me",
            &[("authorization", &format!("Bearer {forged}"))],
        );
        assert_eq!(me.status, 401, "{forged}");
    }
}

#[test]
fn access_tokens_expire_on_the_emulator_clock_and_a_refresh_gives_a_new_set() {
    let emu = start_with_alice();
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let access = reply["data"]["access_token"].as_str().unwrap().to_owned();
    let refresh_token = reply["data"]["refresh_token"].as_str().unwrap().to_owned();
    emu.advance_clock(Duration::from_secs(7200));
    let expired = profile(&emu, &access, "");
    assert_fails(&expired, 401, Some(2020));
    assert_eq!(
        expired["message"],
        "not signed in: the access token expired"
    );
    let a = refresh(&emu, &refresh_token);
    assert_eq!(a.status, 200, "{}", a.json);
    assert_eq!(a.header("cache-control"), Some("no-store"));
    assert_token_set(&a.json, true);
    assert!(a.json.get("statusCode").is_none(), "no envelope");
    let new_access = a.json["access_token"].as_str().unwrap();
    assert_ne!(new_access, access);
    assert_eq!(profile(&emu, new_access, "")["statusCode"], 200);
    // The refresh token rotates: the old one is spent, the new one works.
    let again = refresh(&emu, &refresh_token);
    assert_eq!(again.status, 400);
    assert_eq!(again.json["error"], "invalid_grant");
    let next = a.json["refresh_token"].as_str().unwrap();
    assert_eq!(refresh(&emu, next).status, 200);
    assert_eq!(
        refresh(&emu, next).status,
        400,
        "spent by the refresh before"
    );
}

#[test]
fn a_refresh_token_expires_after_its_lifetime() {
    let config = EmulatorConfig::default()
        .refresh_token_ttl(Duration::from_secs(100))
        .access_token_ttl(Duration::from_secs(10))
        .user(NewUser::with_username("alice", PASSWORD));
    let emu = Emulator::start_with(config).unwrap();
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    assert_eq!(reply["data"]["expire_in"], 10);
    let refresh_token = reply["data"]["refresh_token"].as_str().unwrap();
    emu.advance_clock(Duration::from_secs(100));
    let a = refresh(&emu, refresh_token);
    assert_eq!(
        (a.status, a.json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[test]
fn expiring_a_users_access_tokens_forces_a_refresh() {
    let emu = start_with_alice();
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let access = reply["data"]["access_token"].as_str().unwrap();
    let refresh_token = reply["data"]["refresh_token"].as_str().unwrap();
    let state = emu.user_state("alice").unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (1, 1));
    assert_eq!(emu.expire_access_tokens("alice"), 1);
    assert_fails(&profile(&emu, access, ""), 401, Some(2020));
    assert_eq!(emu.user_state("alice").unwrap().access_tokens, 0);
    let a = refresh(&emu, refresh_token);
    assert_eq!(a.status, 200);
    // Through the admin API too.
    let path = format!("/emulator/v1/users/{EMAIL}/expire-access-tokens");
    let admin = answer(
        agent()
            .post(format!("{}{path}", emu.base_url()))
            .header("content-type", "application/json")
            .send("")
            .unwrap(),
    );
    assert_eq!(admin.status, 200);
    assert_eq!(admin.json, json!({"ok": true, "expired": 1}));
    let new_access = a.json["access_token"].as_str().unwrap();
    assert_fails(&profile(&emu, new_access, ""), 401, Some(2020));
}

#[test]
fn revoking_an_access_or_refresh_token_ends_it_and_unknown_tokens_still_succeed() {
    let emu = start_with_alice();
    let revoke = |token: &str| {
        post_form(
            &emu,
            "/oidc/token/revocation",
            &[],
            &format!("token={token}&client_id={}", emu.app_id()),
        )
    };
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let access = reply["data"]["access_token"].as_str().unwrap();
    let a = revoke(access);
    assert_eq!(a.status, 200);
    assert_eq!(a.json["statusCode"], 200);
    assert_eq!(a.json["data"], json!({"success": true}));
    let revoked = profile(&emu, access, "");
    assert_fails(&revoked, 401, Some(2020));
    assert_eq!(
        revoked["message"],
        "not signed in: the access token was revoked"
    );
    // Revoking the refresh token ends it and the access tokens of its session.
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let access = reply["data"]["access_token"].as_str().unwrap();
    let refresh_token = reply["data"]["refresh_token"].as_str().unwrap();
    assert_eq!(revoke(refresh_token).json["data"]["success"], true);
    assert_eq!(refresh(&emu, refresh_token).status, 400);
    assert_fails(&profile(&emu, access, ""), 401, Some(2020));
    assert_eq!(revoke("never-issued").json["statusCode"], 200);
    let missing = post_form(
        &emu,
        "/oidc/token/revocation",
        &[],
        &format!("client_id={}", emu.app_id()),
    );
    assert_fails(&missing.json, 400, Some(2231));
    let stranger = post_form(
        &emu,
        "/oidc/token/revocation",
        &[],
        "token=x&client_id=other",
    );
    assert_fails(&stranger.json, 401, None);
}

#[test]
fn the_token_endpoint_answers_oauth_errors_and_takes_basic_or_posted_secrets() {
    let emu = start_with_alice();
    let app = emu.app_id().to_owned();
    let secret = authing_emulator::DEFAULT_APP_SECRET;
    let form = |headers: &[(&str, &str)], body: &str| post_form(&emu, "/oidc/token", headers, body);
    let cases = [
        (
            format!("client_id={app}&refresh_token=x"),
            400,
            "invalid_request",
        ),
        (
            format!("client_id={app}&grant_type=password"),
            400,
            "unsupported_grant_type",
        ),
        (
            format!("client_id={app}&grant_type=refresh_token"),
            400,
            "invalid_request",
        ),
        (
            format!("client_id={app}&grant_type=refresh_token&refresh_token=nope"),
            400,
            "invalid_grant",
        ),
        (
            "grant_type=refresh_token&refresh_token=x".to_owned(),
            401,
            "invalid_client",
        ),
        (
            "client_id=other&grant_type=refresh_token&refresh_token=x".to_owned(),
            401,
            "invalid_client",
        ),
        (
            format!("client_id={app}&client_secret=wrong&grant_type=refresh_token&refresh_token=x"),
            401,
            "invalid_client",
        ),
    ];
    for (body, status, error) in cases {
        let a = form(&[], &body);
        assert_eq!(
            (a.status, a.json["error"].as_str()),
            (status, Some(error)),
            "{body}"
        );
        assert!(a.json["error_description"].as_str().unwrap().len() > 10);
    }
    let tokens = |emu: &Emulator| {
        sign_in_with_password(emu, "account", "alice", PASSWORD)["data"]["refresh_token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let posted = format!(
        "client_id={app}&client_secret={secret}&grant_type=refresh_token&refresh_token={}",
        tokens(&emu)
    );
    assert_eq!(form(&[], &posted).status, 200);
    let basic = format!("Basic {}", STANDARD.encode(format!("{app}:{secret}")));
    let body = format!("grant_type=refresh_token&refresh_token={}", tokens(&emu));
    assert_eq!(form(&[("authorization", &basic)], &body).status, 200);
    // A JSON body is read too.
    let a = answer(
        agent()
            .post(format!("{}/oidc/token", emu.base_url()))
            .header("content-type", "application/json")
            .send(
                json!({"grant_type": "refresh_token", "client_id": app, "refresh_token": tokens(&emu)})
                    .to_string(),
            )
            .unwrap(),
    );
    assert_eq!(a.status, 200, "{}", a.json);
}

#[test]
fn sign_in_checks_the_client_credentials_it_is_given() {
    let emu = start_with_alice();
    let body = |extra: Value| {
        let mut body = json!({"connection": "PASSWORD",
                              "passwordPayload": {"account": "alice", "password": PASSWORD}});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let secret = authing_emulator::DEFAULT_APP_SECRET;
    let ok = signin(
        &emu,
        body(json!({"client_id": emu.app_id(), "client_secret": secret})),
    );
    assert_eq!(ok["statusCode"], 200);
    let bad = signin(
        &emu,
        body(json!({"client_id": emu.app_id(), "client_secret": "nope"})),
    );
    assert_fails(&bad, 401, None);
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:nope", emu.app_id()))
    );
    let bad = post(
        &emu,
        "/api/v3/signin",
        &[("authorization", &basic)],
        body(json!({})),
    );
    assert_fails(&bad, 401, None);
    // A bearer header (a client that is already signed in) is no client credential.
    let ok = post(
        &emu,
        "/api/v3/signin",
        &[("authorization", "Bearer x")],
        body(json!({})),
    );
    assert_eq!(ok["statusCode"], 200);
}

#[test]
fn the_discovery_document_has_every_field_the_spec_requires() {
    let emu = Emulator::start().unwrap();
    let a = get(
        &emu,
        "/oidc/.well-known/openid-configuration",
        &[("host", "auth.local:8787")],
    );
    let doc = &a.json;
    let required = [
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "scopes_supported",
        "response_types_supported",
        "response_modes_supported",
        "grant_types_supported",
        "id_token_signing_alg_values_supported",
        "id_token_encryption_alg_values_supported",
        "id_token_encryption_enc_values_supported",
        "userinfo_signing_alg_values_supported",
        "userinfo_encryption_alg_values_supported",
        "userinfo_encryption_enc_values_supported",
        "token_endpoint_auth_methods_supported",
        "claim_types_supported",
        "claims_supported",
        "code_challenge_methods_supported",
        "end_session_endpoint",
        "introspection_endpoint",
        "introspection_endpoint_auth_methods_supported",
        "revocation_endpoint",
        "revocation_endpoint_auth_methods_supported",
    ];
    assert_eq!(doc.as_object().unwrap().len(), required.len());
    for field in required {
        assert!(doc.get(field).is_some(), "{field}");
    }
    assert_eq!(doc["issuer"], "http://auth.local:8787/oidc");
    assert_eq!(doc["token_endpoint"], "http://auth.local:8787/oidc/token");
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    let jwks = get(&emu, "/oidc/.well-known/jwks.json", &[]).json;
    let key = &jwks["keys"][0];
    assert_eq!(
        (key["kty"].as_str(), key["alg"].as_str()),
        (Some("RSA"), Some("RS256"))
    );
    assert_eq!(key["use"], "sig");
    // kid is the RFC 7638 thumbprint of the key.
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        key["e"].as_str().unwrap(),
        key["n"].as_str().unwrap()
    );
    assert_eq!(
        key["kid"],
        URL_SAFE_NO_PAD
            .encode(Sha256::digest(canonical.as_bytes()))
            .as_str()
    );
}

#[test]
fn the_country_list_has_every_field_the_spec_requires_and_needs_no_bearer() {
    let emu = Emulator::start().unwrap();
    let a = get(&emu, "/api/v3/get-country-list", &[]);
    assert_eq!(a.json["statusCode"], 200);
    let list = a.json["data"].as_array().unwrap();
    assert!(list.len() >= 20);
    for country in list {
        for field in ["alpha2", "alpha3", "phoneCountryCode", "flag"] {
            assert!(country[field].is_string(), "{field} in {country}");
        }
        for lang in ["zh-CN", "en-US", "zh-TW", "ja-JP"] {
            assert_eq!(country["name"][lang]["enabled"], true);
            assert!(country["name"][lang]["value"].is_string());
        }
        assert_eq!(country.as_object().unwrap().len(), 5);
    }
    let china = list.iter().find(|c| c["alpha2"] == "CN").unwrap();
    assert_eq!(china["phoneCountryCode"], "+86");
    assert_eq!(china["flag"], "\u{1F1E8}\u{1F1F3}");
    assert_eq!(china["name"]["en-US"]["value"], "China");
}

#[test]
fn the_admin_api_creates_every_kind_of_user_and_reads_its_state() {
    let emu = Emulator::start().unwrap();
    let admin_post = |path: &str, body: Value| {
        answer(
            agent()
                .post(format!("{}{path}", emu.base_url()))
                .header("content-type", "application/json")
                .send(body.to_string())
                .unwrap(),
        )
    };
    let created = admin_post(
        "/emulator/v1/users",
        json!({"username": "alice", "email": EMAIL, "phoneNumber": PHONE, "password": PASSWORD,
               "name": "Alice", "nickname": "Al", "photo": "https://example.com/a.png",
               "customData": {"school": "pku"}}),
    );
    assert_eq!(created.status, 200);
    assert_eq!(created.json["ok"], true);
    let alice_id = created.json["userId"].as_str().unwrap().to_owned();
    for body in [
        json!({"directory": "AD", "sAMAccountName": "carol", "password": PASSWORD}),
        json!({"directory": "LDAP", "sAMAccountName": "dave", "password": PASSWORD}),
    ] {
        assert_eq!(admin_post("/emulator/v1/users", body).status, 200);
    }
    assert_eq!(
        admin_post(
            "/emulator/v1/users",
            json!({"username": "alice", "password": "x"})
        )
        .status,
        409
    );
    for bad in [
        json!({"directory": "AD", "password": "x"}),
        json!({"sAMAccountName": "x", "password": "x"}),
        json!({"username": "has space", "password": "x"}),
    ] {
        assert_eq!(admin_post("/emulator/v1/users", bad).status, 400);
    }
    sign_in_with_password(&emu, "account", "alice", "x-wrong-1");
    for path in [
        format!("/emulator/v1/users/{alice_id}"),
        "/emulator/v1/users/alice".to_owned(),
        format!("/emulator/v1/users/%2B86{PHONE}"),
        format!("/emulator/v1/users/+86{PHONE}"),
    ] {
        let a = get(&emu, &path, &[]);
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.json["userId"], alice_id.as_str());
        assert_eq!(a.json["failedAttempts"], 1);
        assert_eq!(a.json["locked"], false);
        assert_eq!(a.json["lockedUntil"], Value::Null);
        assert_eq!(a.json["accessTokens"], 0);
    }
    let carol = get(&emu, "/emulator/v1/users/carol", &[]).json;
    assert_eq!(carol["directory"], "AD");
    let all = get(&emu, "/emulator/v1/users", &[]).json;
    assert_eq!(all["users"].as_array().unwrap().len(), 3);
    assert_eq!(get(&emu, "/emulator/v1/users/nobody", &[]).status, 404);
    assert_eq!(
        get(&emu, "/emulator/v1/users/alice/unknown", &[]).status,
        404
    );
    let wrong = get(&emu, "/emulator/v1/users/alice/expire-access-tokens", &[]);
    assert_eq!((wrong.status, wrong.header("allow")), (405, Some("POST")));
    // The profile fields given at creation show in get-profile.
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let token = reply["data"]["access_token"].as_str().unwrap();
    let me = profile(&emu, token, "?withCustomData=true");
    assert_eq!(me["data"]["name"], "Alice");
    assert_eq!(me["data"]["photo"], "https://example.com/a.png");
    assert_eq!(me["data"]["customData"]["school"], "pku");
}

#[test]
fn a_password_reset_stores_a_new_hash_and_lifts_the_lock() {
    let emu = start_with_alice();
    for _ in 0..5 {
        sign_in_with_password(&emu, "account", "alice", "x-wrong-1");
    }
    assert!(emu.user_state("alice").unwrap().locked);
    let code = send_code(&emu, EMAIL, "CHANNEL_RESET_PASSWORD");
    let verified = post(
        &emu,
        "/api/v3/verify-reset-password-request",
        &[],
        json!({"verifyMethod": "EMAIL_PASSCODE", "emailPassCodePayload": {"email": EMAIL, "passCode": code}}),
    );
    let token = verified["data"]["passwordResetToken"].as_str().unwrap();
    let reset = post(
        &emu,
        "/api/v3/reset-password",
        &[],
        json!({"passwordResetToken": token, "password": "new-secret-9"}),
    );
    assert_eq!(reset["statusCode"], 200);
    assert!(!emu.user_state("alice").unwrap().locked);
    assert!(emu.check_password("alice", "new-secret-9"));
    assert!(!emu.check_password("alice", PASSWORD));
    assert_eq!(
        sign_in_with_password(&emu, "account", "alice", "new-secret-9")["statusCode"],
        200
    );
}

#[test]
fn a_reset_forgets_every_token() {
    let emu = start_with_alice();
    let reply = sign_in_with_password(&emu, "account", "alice", PASSWORD);
    let access = reply["data"]["access_token"].as_str().unwrap();
    emu.reset();
    emu.add_user(NewUser::with_username("alice", PASSWORD))
        .unwrap();
    assert_fails(&profile(&emu, access, ""), 401, Some(2020));
}

#[test]
fn messages_follow_the_language_header() {
    let emu = start_with_alice();
    let a = answer(
        agent()
            .post(format!("{}/api/v3/signin", emu.base_url()))
            .header("x-authing-app-id", emu.app_id())
            .send(
                json!({"connection": "PASSWORD",
                       "passwordPayload": {"account": "alice", "password": "x-wrong-1"}})
                .to_string(),
            )
            .unwrap(),
    );
    assert_eq!(a.json["message"], "用户名或密码错误");
    let none = answer(
        agent()
            .get(format!("{}/api/v3/get-profile", emu.base_url()))
            .call()
            .unwrap(),
    );
    assert!(none.json["message"]
        .as_str()
        .unwrap()
        .starts_with("尚未登录"));
}

#[test]
fn the_new_endpoints_refuse_wrong_methods_and_a_wrong_app_id() {
    let emu = Emulator::start().unwrap();
    let a = get(&emu, "/api/v3/signin", &[]);
    assert_eq!((a.status, a.header("allow")), (405, Some("POST")));
    let a = post_form(&emu, "/api/v3/get-profile", &[], "");
    assert_eq!(a.status, 405);
    let a = answer(
        agent()
            .post(format!("{}/api/v3/signup", emu.base_url()))
            .header("x-authing-app-id", "other-app")
            .send(json!({"connection": "PASSWORD"}).to_string())
            .unwrap(),
    );
    assert_fails(&a.json, 404, Some(2011));
}

/// POSTs `body` to the token lifetimes setting; the HTTP status and the JSON answer.
fn set_lifetimes(emu: &Emulator, body: &str) -> (u16, Value) {
    let a = answer(
        agent()
            .post(format!("{}/emulator/v1/token-lifetimes", emu.base_url()))
            .header("content-type", "application/json")
            .send(body)
            .expect("http"),
    );
    (a.status, a.json)
}

#[test]
fn the_token_lifetimes_setting_changes_the_next_tokens_issued_and_a_reset_restores_it() {
    let emu =
        Emulator::start_with(EmulatorConfig::default().user(NewUser::with_email(EMAIL, PASSWORD)))
            .unwrap();
    let shown = get(&emu, "/emulator/v1/token-lifetimes", &[]);
    assert_eq!(
        (shown.status, shown.json.clone()),
        (
            200,
            json!({"accessTokenTtlSeconds": 7200, "refreshTokenTtlSeconds": 30 * 24 * 3600})
        ),
    );
    let long = sign_in_with_password(&emu, "email", EMAIL, PASSWORD);
    assert_eq!(long["data"]["expire_in"], 7200, "{long}");

    // Only the access token's lifetime is given: the refresh token's stays.
    let (status, after) = set_lifetimes(&emu, r#"{"accessTokenTtlSeconds": 8}"#);
    assert_eq!(status, 200, "{after}");
    assert_eq!(
        after,
        json!({"accessTokenTtlSeconds": 8, "refreshTokenTtlSeconds": 30 * 24 * 3600})
    );
    let short = sign_in_with_password(&emu, "email", EMAIL, PASSWORD);
    assert_eq!(short["data"]["expire_in"], 8, "{short}");
    // A refresh issues with the new lifetime too, also for a session begun before the change.
    let refreshed = refresh(&emu, long["data"]["refresh_token"].as_str().unwrap());
    assert_eq!(
        (refreshed.status, refreshed.json["expire_in"].clone()),
        (200, json!(8))
    );
    // Tokens issued earlier keep their lifetime: the first access token still serves after
    // the new lifetime has passed on the emulator's clock.
    emu.advance_clock(Duration::from_secs(9));
    let bearer = format!("Bearer {}", long["data"]["access_token"].as_str().unwrap());
    assert_eq!(profile(&emu, &bearer, "")["statusCode"], 200);
    let bearer = format!("Bearer {}", short["data"]["access_token"].as_str().unwrap());
    assert_eq!(profile(&emu, &bearer, "")["statusCode"], 401);

    // A short refresh token lifetime: its refresh token is refused once it has passed.
    let (status, _) = set_lifetimes(&emu, r#"{"refreshTokenTtlSeconds": 5}"#);
    assert_eq!(status, 200);
    let brief = sign_in_with_password(&emu, "email", EMAIL, PASSWORD);
    emu.advance_clock(Duration::from_secs(6));
    let refused = refresh(&emu, brief["data"]["refresh_token"].as_str().unwrap());
    assert_eq!(
        (refused.status, refused.json["error"].clone()),
        (400, json!("invalid_grant"))
    );

    // The Rust handle reads and sets the same setting.
    assert_eq!(
        emu.token_lifetimes(),
        TokenLifetimes {
            access_token: Duration::from_secs(8),
            refresh_token: Duration::from_secs(5),
        }
    );
    emu.set_token_lifetimes(TokenLifetimes {
        access_token: Duration::from_secs(30),
        refresh_token: Duration::from_millis(60_900),
    });
    let shown = get(&emu, "/emulator/v1/token-lifetimes", &[]).json;
    assert_eq!(
        shown,
        json!({"accessTokenTtlSeconds": 30, "refreshTokenTtlSeconds": 60})
    );

    // Refused input changes nothing.
    for (body, words) in [
        (
            r#"{"accessTokenTtlSeconds": -1}"#,
            "accessTokenTtlSeconds must be a whole number",
        ),
        (
            r#"{"refreshTokenTtlSeconds": 1.5}"#,
            "refreshTokenTtlSeconds must be a whole number",
        ),
        (
            r#"{"accessTokenTtlSeconds": 3153600001}"#,
            "up to 100 years",
        ),
        (
            r#"{"accessTokenTtl": 5}"#,
            "unknown field \"accessTokenTtl\"",
        ),
        ("[]", "must be a json object"),
    ] {
        let (status, v) = set_lifetimes(&emu, body);
        assert_eq!(status, 400, "{body}: {v}");
        assert!(v["error"].as_str().unwrap().contains(words), "{body}: {v}");
    }
    assert_eq!(emu.token_lifetimes().access_token, Duration::from_secs(30));
    let put = answer(
        agent()
            .put(format!("{}/emulator/v1/token-lifetimes", emu.base_url()))
            .header("content-type", "application/json")
            .send("{}")
            .expect("http"),
    );
    assert_eq!(put.status, 405);
    assert_eq!(put.header("allow"), Some("GET, POST"));

    // A reset goes back to the configured lifetimes.
    emu.reset();
    assert_eq!(
        emu.token_lifetimes().access_token,
        Duration::from_secs(7200)
    );
}
