//! The emulator's push endpoints and their admin API over real HTTP, with ureq as the
//! client (not through the SDK): the answers' shapes, the phone's bearer and rules, the
//! one hand-over of the tokens, expiry and replacement, the relation apps, and what a
//! reset clears.

use crate::common::agent;
use authing_emulator::{
    Emulator, NewUser, PushCodeAction, PushCodeStatus, PUSH_CODE_TTL, PUSH_TOKEN_TTL,
};
use serde_json::{json, Value};

const ALICE: &str = "alice@example.com";
const BOB: &str = "bob@example.com";
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
    let mut response = match (method, body) {
        ("GET", None) => agent
            .get(&url)
            .header("x-authing-app-id", emu.app_id())
            .call()
            .expect("an answer"),
        (method, Some(body)) => {
            let mut request = match method {
                "POST" => agent.post(&url),
                "PUT" => agent.put(&url),
                other => panic!("no {other} with a body here"),
            }
            .header("x-authing-app-id", emu.app_id())
            .header("content-type", "application/json");
            if let Some(token) = bearer {
                request = request.header("authorization", &format!("Bearer {token}"));
            }
            request.send(body.to_string()).expect("an answer")
        }
        (other, None) => panic!("no {other} without a body here"),
    };
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (status, serde_json::from_str(&text).expect("json"))
}

fn setup() -> Emulator {
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_email(ALICE, PASSWORD)).unwrap();
    emu.add_user(NewUser::with_email(BOB, PASSWORD)).unwrap();
    emu
}

/// A push to `account`'s phone; its id.
fn push(emu: &Emulator, account: &str) -> String {
    let (status, body) = call(
        emu,
        "POST",
        "/api/v3/signin-by-push",
        Some(json!({"account": account})),
        None,
    );
    assert_eq!(
        (status, body["statusCode"].as_i64()),
        (200, Some(200)),
        "{body}"
    );
    assert_eq!(body["data"]["expireTime"], PUSH_CODE_TTL.as_secs());
    body["data"]["pushCodeId"].as_str().unwrap().to_string()
}

fn status_of(emu: &Emulator, id: &str) -> Value {
    call(
        emu,
        "GET",
        &format!("/api/v3/check-pushcode-status?pushCodeId={id}"),
        None,
        None,
    )
    .1
}

/// Signs `email` in; the access token.
fn token_of(emu: &Emulator, email: &str) -> String {
    let (_, body) = call(
        emu,
        "POST",
        "/api/v3/signin",
        Some(
            json!({"connection": "PASSWORD", "passwordPayload": {"email": email, "password": PASSWORD}}),
        ),
        None,
    );
    body["data"]["access_token"]
        .as_str()
        .expect("a token")
        .to_string()
}

fn codes(body: &Value) -> (Option<i64>, Option<i64>) {
    (body["statusCode"].as_i64(), body["apiCode"].as_i64())
}

#[test]
fn a_push_is_pushed_until_its_user_confirms_and_the_first_check_after_hands_the_tokens_over() {
    let emu = setup();
    let id = push(&emu, ALICE);
    assert_eq!(status_of(&emu, &id)["data"], json!({"status": "PUSHED"}));
    let change = |action: &str, bearer: Option<&str>| {
        call(
            &emu,
            "POST",
            "/api/v3/change-pushcode-status",
            Some(json!({"pushCodeId": id, "action": action})),
            bearer,
        )
        .1
    };
    assert_eq!(codes(&change("CONFIRM", None)), (Some(401), Some(2020)));
    let bob = token_of(&emu, BOB);
    assert_eq!(
        codes(&change("CONFIRM", Some(&bob))),
        (Some(403), Some(2372)),
        "bob cannot answer alice's push"
    );
    let alice = token_of(&emu, ALICE);
    assert_eq!(change("SCAN", Some(&alice))["apiCode"], 2231);
    let confirmed = change("CONFIRM", Some(&alice));
    assert_eq!(confirmed["statusCode"], 200);
    assert!(confirmed.get("data").is_none(), "CommonResponseDto");
    assert_eq!(
        codes(&change("CANCEL", Some(&alice))),
        (Some(400), Some(2372))
    );

    let first = status_of(&emu, &id)["data"].clone();
    assert_eq!(first["status"], "AUTHORIZED");
    let tokens = &first["tokenSet"];
    assert!(tokens["access_token"].is_string());
    assert!(
        tokens["refresh_token"].is_string(),
        "offline_access by default"
    );
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["expire_in"].as_u64().is_some_and(|s| s > 0));
    let again = status_of(&emu, &id)["data"].clone();
    assert_eq!(again, json!({"status": "AUTHORIZED"}), "handed over once");
    assert!(emu.push_code(&id).unwrap().tokens_handed_over);
    let me = profile(&emu, tokens["access_token"].as_str().unwrap());
    assert_eq!(me["data"]["email"], ALICE, "the tokens are alice's");
}

/// The profile the access token `token` signs in.
fn profile(emu: &Emulator, token: &str) -> Value {
    let mut response = agent()
        .get(format!(
            "{}/api/v3/get-profile?withCustomData=true",
            emu.base_url()
        ))
        .header("x-authing-app-id", emu.app_id())
        .header("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn the_push_request_is_checked_and_an_unknown_account_or_push_is_not_found() {
    let emu = setup();
    let post = |body: Value| call(&emu, "POST", "/api/v3/signin-by-push", Some(body), None).1;
    assert_eq!(post(json!({}))["apiCode"], 2231);
    assert_eq!(
        codes(&post(json!({"account": "nobody@example.com"}))),
        (Some(404), Some(2004))
    );
    assert_eq!(
        post(json!({"account": ALICE, "options": {"scope": "profile"}}))["apiCode"],
        2231,
        "the scope needs openid"
    );
    let with_options = post(json!({"account": ALICE, "options": {
        "scope": "openid profile", "context": {"source": "desk"}, "customData": {"seat": "7"}}}));
    assert_eq!(with_options["statusCode"], 200, "{with_options}");
    let id = with_options["data"]["pushCodeId"].as_str().unwrap();
    emu.change_push_code_status(id, PushCodeAction::CONFIRM)
        .unwrap();
    let tokens = status_of(&emu, id)["data"]["tokenSet"].clone();
    assert!(
        tokens["refresh_token"].is_null(),
        "the scope asked for none"
    );
    let me = profile(&emu, tokens["access_token"].as_str().unwrap());
    assert_eq!(
        me["data"]["customData"]["seat"], "7",
        "the custom data lands on the user who approved"
    );
    assert_eq!(
        codes(&status_of(&emu, "push-unknown")),
        (Some(404), Some(2370))
    );
    let (_, missing) = call(&emu, "GET", "/api/v3/check-pushcode-status", None, None);
    assert_eq!(missing["apiCode"], 2231);
}

#[test]
fn a_push_expires_a_newer_one_replaces_it_and_tokens_not_collected_in_time_are_gone() {
    let emu = setup();
    let old = push(&emu, ALICE);
    let new = push(&emu, ALICE);
    assert_eq!(status_of(&emu, &old)["data"]["status"], "EXPIRED");
    assert_eq!(
        emu.pending_push_code(ALICE).unwrap().push_code_id,
        new,
        "the phone shows the newest"
    );
    let bobs = push(&emu, BOB);
    emu.change_push_code_status(&bobs, PushCodeAction::CONFIRM)
        .unwrap();
    emu.advance_clock(PUSH_CODE_TTL.max(PUSH_TOKEN_TTL));
    assert_eq!(status_of(&emu, &new)["data"]["status"], "EXPIRED");
    let late = emu.change_push_code_status(&new, PushCodeAction::CONFIRM);
    assert!(late.unwrap_err().to_string().contains("expired"));
    assert_eq!(
        status_of(&emu, &bobs)["data"],
        json!({"status": "AUTHORIZED"}),
        "authorized stays, its tokens were not collected in time"
    );
}

#[test]
fn relation_apps_are_the_app_itself_unless_the_admin_sets_them() {
    let emu = setup();
    let id = push(&emu, ALICE);
    let relation = |app: &str| {
        call(
            &emu,
            "POST",
            "/api/v3/get-pushlogin-relation-apps",
            Some(json!({"pushCodeId": id, "appId": app})),
            None,
        )
        .1
    };
    assert_eq!(
        relation(emu.app_id())["data"],
        json!({"appIds": [emu.app_id()]})
    );
    assert_eq!(codes(&relation("another-app")), (Some(400), Some(2373)));
    let (status, set) = call(
        &emu,
        "PUT",
        &format!("/emulator/v1/push-relation-apps/{}", emu.app_id()),
        Some(json!({"appIds": ["app-a", "app-b"]})),
        None,
    );
    assert_eq!(
        (status, set.clone()),
        (200, json!({"appIds": ["app-a", "app-b"]}))
    );
    assert_eq!(
        relation(emu.app_id())["data"]["appIds"],
        json!(["app-a", "app-b"])
    );
    let (_, unknown) = call(
        &emu,
        "POST",
        "/api/v3/get-pushlogin-relation-apps",
        Some(json!({"pushCodeId": "push-x", "appId": emu.app_id()})),
        None,
    );
    assert_eq!(codes(&unknown), (Some(404), Some(2370)));
}

#[test]
fn the_admin_plays_the_phone_by_push_or_by_user_and_a_reset_forgets_every_push() {
    let emu = setup();
    let id = push(&emu, ALICE);
    let (status, _) = call(
        &emu,
        "POST",
        "/emulator/v1/push-codes",
        Some(json!({"user": BOB, "action": "CONFIRM"})),
        None,
    );
    assert_eq!(status, 404, "nothing waits for bob");
    let (status, body) = call(
        &emu,
        "POST",
        "/emulator/v1/push-codes",
        Some(json!({"user": ALICE, "action": "CANCEL"})),
        None,
    );
    assert_eq!(
        (status, body["pushCode"]["status"].as_str()),
        (200, Some("CANCELLED"))
    );
    assert_eq!(body["pushCode"]["pushCodeId"], id.as_str());
    let (status, _) = call(
        &emu,
        "POST",
        &format!("/emulator/v1/push-codes/{id}"),
        Some(json!({"action": "CONFIRM"})),
        None,
    );
    assert_eq!(status, 409, "already cancelled");
    let second = push(&emu, ALICE);
    let (status, body) = call(
        &emu,
        "POST",
        &format!("/emulator/v1/push-codes/{second}"),
        Some(json!({"action": "CONFIRM"})),
        None,
    );
    assert_eq!(
        (status, body["pushCode"]["status"].as_str()),
        (200, Some("AUTHORIZED"))
    );
    let (_, list) = call(&emu, "GET", "/emulator/v1/push-codes", None, None);
    assert_eq!(list["pushCodes"].as_array().unwrap().len(), 2);
    assert_eq!(
        emu.answer_pending_push(ALICE, PushCodeAction::CONFIRM)
            .unwrap_err()
            .to_string(),
        "push action refused: no push is waiting for this user"
    );
    assert_eq!(
        emu.push_code(&second).unwrap().status,
        PushCodeStatus::AUTHORIZED
    );
    emu.reset();
    assert!(emu.push_codes().is_empty());
    let (status, _) = call(
        &emu,
        "GET",
        &format!("/emulator/v1/push-codes/{id}"),
        None,
        None,
    );
    assert_eq!(status, 404);
}
