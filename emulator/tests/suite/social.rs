//! The emulator's mobile social sign-in over raw HTTP: the admin API (connections, provider
//! codes), the public config's `ecConnections`, and how `signin-by-mobile` checks a body.

use crate::common::agent;
use authing_emulator::{Emulator, DEFAULT_PROVIDER_CODE_TTL};
use serde_json::{json, Value};

/// Sends `body` (JSON) with `method` to `path`; the HTTP status and the JSON answer.
fn send(emu: &Emulator, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}{path}", emu.base_url());
    let agent = agent();
    let mut res = match (method, body) {
        ("GET", _) => agent
            .get(&url)
            .header("x-authing-app-id", emu.app_id())
            .header("x-authing-lang", "en-US")
            .call(),
        (method, body) => {
            let text = body.map(|b| b.to_string()).unwrap_or_default();
            let builder = match method {
                "PUT" => agent.put(&url),
                _ => agent.post(&url),
            };
            builder
                .header("content-type", "application/json")
                .header("x-authing-app-id", emu.app_id())
                .header("x-authing-lang", "en-US")
                .send(text)
        }
    }
    .expect("http");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, value)
}

fn public_config(emu: &Emulator) -> Value {
    let path = format!("/api/v2/applications/{}/public-config", emu.app_id());
    send(emu, "GET", &path, None).1
}

#[test]
fn the_public_config_lists_one_connection_of_each_type_by_default() {
    let emu = Emulator::start().unwrap();
    let list = public_config(&emu)["data"]["ecConnections"].clone();
    let list = list.as_array().expect("ecConnections");
    assert_eq!(list.len(), 10);
    assert!(list.contains(&json!({
        "id": "social-wechat-mobile", "type": "wechat:mobile", "identifier": "wechat-mobile"
    })));
    assert!(list
        .iter()
        .any(|c| c["type"] == "wechat:miniprogram:app-launch"
            && c["identifier"] == "wechat-miniprogram-app-launch"));
}

#[test]
fn the_admin_api_replaces_the_connections_and_refuses_a_bad_list() {
    let emu = Emulator::start().unwrap();
    let path = "/emulator/v1/social/connections";
    let body = json!({"connections": [{"type": "alipay", "identifier": "corp-alipay"}]});
    let (status, answer) = send(&emu, "PUT", path, Some(body));
    assert_eq!((status, answer), (200, json!({"ok": true})));
    let (_, listed) = send(&emu, "GET", path, None);
    assert_eq!(
        listed["connections"],
        json!([{"id": "social-corp-alipay", "type": "alipay", "identifier": "corp-alipay"}])
    );
    assert_eq!(
        public_config(&emu)["data"]["ecConnections"],
        listed["connections"]
    );
    let twice = json!({"connections": [
        {"type": "alipay", "identifier": "a"}, {"type": "alipay", "identifier": "b"}]});
    let (status, answer) = send(&emu, "PUT", path, Some(twice));
    assert_eq!(status, 400);
    assert!(
        answer["error"].as_str().unwrap().contains("listed twice"),
        "{answer}"
    );
    let (status, _) = send(&emu, "POST", path, Some(json!({})));
    assert_eq!(status, 405);
    // A reset brings the defaults back.
    emu.reset();
    assert_eq!(emu.social_connections().len(), 10);
}

#[test]
fn the_admin_api_hands_out_a_code_and_refuses_an_unsupported_connection() {
    let emu = Emulator::start().unwrap();
    let path = "/emulator/v1/social/codes";
    let (status, answer) = send(
        &emu,
        "POST",
        path,
        Some(json!({"connection": "wechat", "userIdInIdp": "wx-1", "code": "abc"})),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["code"], "abc");
    let expires = answer["expiresAt"].as_u64().expect("expiresAt");
    let clock = send(&emu, "GET", "/emulator/v1/clock", None).1["now"]
        .as_u64()
        .unwrap();
    assert!(expires >= clock + DEFAULT_PROVIDER_CODE_TTL.as_secs() - 1);
    let (status, answer) = send(
        &emu,
        "POST",
        path,
        Some(json!({"connection": "myspace", "userIdInIdp": "x"})),
    );
    assert_eq!(status, 400);
    assert!(
        answer["error"].as_str().unwrap().contains("myspace"),
        "{answer}"
    );
    let (status, _) = send(&emu, "POST", path, Some(json!({"connection": "wechat"})));
    assert_eq!(status, 400);
}

#[test]
fn signin_by_mobile_checks_the_connection_the_identifier_and_the_payload() {
    let emu = Emulator::start().unwrap();
    let path = "/api/v3/signin-by-mobile";
    let cases = [
        (
            json!({"connection": "qq", "extIdpConnidentifier": "x", "qqPayload": {"code": "c"}}),
            2350,
        ),
        (
            json!({"connection": "wechat", "extIdpConnidentifier": "not-the-apps",
                   "wechatPayload": {"code": "c"}}),
            2351,
        ),
        (
            json!({"connection": "wechat", "extIdpConnidentifier": "wechat-mobile"}),
            2231,
        ),
        (
            json!({"connection": "wechat", "wechatPayload": {"code": "c"}}),
            2231,
        ),
        (
            json!({"connection": "yidun", "extIdpConnidentifier": "yidun",
                   "yidunPayload": {"token": "t"}}),
            2231,
        ),
        (
            json!({"connection": "wechat_mini_program_code_and_phone",
                   "extIdpConnidentifier": "wechat-miniprogram-app-launch",
                   "wechatMiniProgramCodeAndPhonePayload": {"wxLoginInfo": {"code": "c"}}}),
            2231,
        ),
        (
            json!({"connection": "wechat", "extIdpConnidentifier": "wechat-mobile",
                   "wechatPayload": {"code": "never-issued"}}),
            2352,
        ),
    ];
    for (body, api_code) in cases {
        let (status, answer) = send(&emu, "POST", path, Some(body.clone()));
        assert_eq!(status, 200, "business errors are http 200: {answer}");
        assert_eq!(answer["statusCode"], 400, "{body}: {answer}");
        assert_eq!(answer["apiCode"], api_code, "{body}: {answer}");
    }
    assert!(emu.users().is_empty());
}

#[test]
fn alipays_auth_info_names_alipays_sign_in_method_for_the_apps_alipay_connection() {
    let emu = Emulator::start().unwrap();
    let (status, body) = send(
        &emu,
        "GET",
        "/api/v3/get-alipay-authinfo?extIdpConnidentifier=alipay",
        None,
    );
    assert_eq!(
        (status, body["statusCode"].as_i64()),
        (200, Some(200)),
        "{body}"
    );
    let info = body["data"]["authInfo"].as_str().expect("an authInfo");
    for field in [
        "apiname=com.alipay.account.auth",
        "method=alipay.open.auth.sdk.code.get",
        "auth_type=AUTHACCOUNT",
        "sign_type=RSA2",
    ] {
        assert!(info.contains(field), "{field} in {info}");
    }
    let (_, again) = send(
        &emu,
        "GET",
        "/api/v3/get-alipay-authinfo?extIdpConnidentifier=alipay",
        None,
    );
    assert_ne!(
        again["data"]["authInfo"], body["data"]["authInfo"],
        "a fresh target_id"
    );
    let (_, other) = send(
        &emu,
        "GET",
        "/api/v3/get-alipay-authinfo?extIdpConnidentifier=wechat-mobile",
        None,
    );
    assert_eq!(
        (other["statusCode"].as_i64(), other["apiCode"].as_i64()),
        (Some(400), Some(2351))
    );
    let (_, missing) = send(&emu, "GET", "/api/v3/get-alipay-authinfo", None);
    assert_eq!(missing["apiCode"], 2231, "{missing}");
}
