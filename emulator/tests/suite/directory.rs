//! The emulator's directory and linked-identity endpoints and their admin API over real
//! HTTP, with ureq as the client (not through the SDK): the seeds, the refusals and their
//! statuses, the login history of raw sign-ins, and the link a browser opens.

use crate::common::agent;
use authing_emulator::{Emulator, NewExtIdp, NewUser};
use serde_json::{json, Value};

const PASSWORD: &str = "secret-123";

/// An HTTP status and the body as JSON.
fn read(mut res: ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("read body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, json)
}

fn admin_post(emu: &Emulator, path: &str, body: Value) -> (u16, Value) {
    let res = agent()
        .post(format!("{}/emulator/v1{path}", emu.base_url()))
        .header("content-type", "application/json")
        .send(body.to_string())
        .expect("http");
    read(res)
}

/// A v3 GET with the bearer `token`, in English; the envelope (always HTTP 200).
fn get(emu: &Emulator, path: &str, token: &str) -> Value {
    let res = agent()
        .get(format!("{}{path}", emu.base_url()))
        .header("authorization", format!("Bearer {token}"))
        .header("x-authing-lang", "en-US")
        .call()
        .expect("http");
    let (status, json) = read(res);
    assert_eq!(status, 200, "{json}");
    json
}

/// A raw password sign-in; the envelope.
fn sign_in(emu: &Emulator, username: &str, password: &str, headers: &[(&str, &str)]) -> Value {
    let mut req = agent()
        .post(format!("{}/api/v3/signin", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("x-authing-lang", "en-US");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = json!({
        "connection": "PASSWORD",
        "passwordPayload": {"username": username, "password": password},
        "options": {"scope": "openid profile"},
    });
    read(req.send(body.to_string()).expect("http")).1
}

fn tokens_of_alice(emu: &Emulator) -> (String, String) {
    let reply = sign_in(emu, "alice", PASSWORD, &[]);
    assert_eq!(reply["statusCode"], 200, "{reply}");
    let data = &reply["data"];
    (
        data["access_token"].as_str().unwrap().to_owned(),
        data["id_token"].as_str().unwrap().to_owned(),
    )
}

fn with_alice() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username("alice", PASSWORD))
        .unwrap();
    emu
}

#[test]
fn the_admin_api_seeds_a_user_and_refuses_what_it_cannot_seed_with_real_statuses() {
    let emu = with_alice();
    let (status, ok) = admin_post(&emu, "/users/alice/roles", json!({"code": "admin"}));
    assert_eq!((status, &ok["ok"]), (200, &json!(true)), "{ok}");
    let role_id = ok["id"].as_str().unwrap().to_owned();
    let (_, again) = admin_post(&emu, "/users/alice/roles", json!({"code": "admin"}));
    assert_eq!(again["id"], role_id.as_str(), "the same role");

    for (path, body, status) in [
        ("/users/nobody/roles", json!({"code": "admin"}), 404),
        ("/users/alice/roles", json!({"code": ""}), 400),
        (
            "/users/alice/roles",
            json!({"code": "x", "status": "OFF"}),
            400,
        ),
        (
            "/users/alice/roles",
            json!({"code": "x", "colour": "red"}),
            400,
        ),
        (
            "/users/alice/departments",
            json!({"code": "b", "name": "B", "parent": "none"}),
            404,
        ),
        (
            "/users/alice/resources",
            json!({"code": "r", "resourceType": "menu"}),
            400,
        ),
        (
            "/users/alice/identities",
            json!({"identifier": "gh", "userIdInIdp": "x"}),
            404,
        ),
    ] {
        let (got, reply) = admin_post(&emu, path, body);
        assert_eq!(got, status, "{path}: {reply}");
        assert!(reply["error"].is_string(), "{reply}");
    }

    let (status, idp) = admin_post(
        &emu,
        "/ext-idps",
        json!({"identifier": "gh", "type": "github", "name": "GitHub"}),
    );
    assert_eq!(status, 200, "{idp}");
    assert!(idp["extIdpId"].is_string());
    let (status, _) = admin_post(
        &emu,
        "/ext-idps",
        json!({"identifier": "gh", "type": "github", "name": "GitHub"}),
    );
    assert_eq!(status, 409);
    let (status, _) = admin_post(
        &emu,
        "/users/alice/identities",
        json!({"identifier": "gh", "userIdInIdp": "octocat"}),
    );
    assert_eq!(status, 200);

    let wrong_method = agent()
        .get(format!("{}/emulator/v1/users/alice/roles", emu.base_url()))
        .call()
        .expect("http");
    assert_eq!(wrong_method.status().as_u16(), 405);
    assert_eq!(
        wrong_method
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("POST")
    );
}

#[test]
fn every_endpoint_answers_401_with_api_code_2020_without_a_valid_access_token() {
    let emu = with_alice();
    for path in [
        "/api/v3/get-my-login-history",
        "/api/v3/get-my-logged-in-apps",
        "/api/v3/get-my-accessible-apps",
        "/api/v3/get-my-tenant-list",
        "/api/v3/get-my-role-list",
        "/api/v3/get-my-group-list",
        "/api/v3/get-my-department-list",
        "/api/v3/get-my-authorized-resources",
        "/api/v3/get-identities",
        "/api/v3/get-application-enabled-extidps",
        "/api/v3/link-extidp?ext_idp_conn_identifier=gh&app_id=demo-app&id_token=x",
    ] {
        let reply = get(&emu, path, "not-a-token");
        assert_eq!(reply["statusCode"], 401, "{path}: {reply}");
        assert_eq!(reply["apiCode"], 2020, "{path}: {reply}");
    }
    let res = agent()
        .post(format!("{}/api/v3/unlink-extidp", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .send(r#"{"extIdpId":"e1"}"#)
        .expect("http");
    let (_, reply) = read(res);
    assert_eq!(
        (reply["statusCode"].clone(), reply["apiCode"].clone()),
        (json!(401), json!(2020))
    );
}

#[test]
fn paging_and_enum_parameters_out_of_range_are_400_with_api_code_2231() {
    let emu = with_alice();
    let (access, _) = tokens_of_alice(&emu);
    for query in [
        "/api/v3/get-my-login-history?page=0",
        "/api/v3/get-my-login-history?limit=51",
        "/api/v3/get-my-login-history?limit=x",
        "/api/v3/get-my-login-history?start=yesterday",
        "/api/v3/get-my-login-history?success=maybe",
        "/api/v3/get-my-department-list?sortBy=DepartmentCode",
        "/api/v3/get-my-department-list?orderBy=asc",
        "/api/v3/get-my-department-list?withCustomData=yes",
        "/api/v3/get-my-authorized-resources?resourceType=menu",
    ] {
        let reply = get(&emu, query, &access);
        assert_eq!(reply["statusCode"], 400, "{query}: {reply}");
        assert_eq!(reply["apiCode"], 2231, "{query}: {reply}");
    }
    let limit = get(&emu, "/api/v3/get-my-login-history?limit=51", &access);
    assert_eq!(
        limit["message"],
        "invalid parameter: limit must be a whole number from 1 to 50"
    );
}

#[test]
fn raw_sign_ins_are_recorded_with_their_client_ip_user_agent_and_failure_message() {
    let emu = with_alice();
    let failed = sign_in(
        &emu,
        "alice",
        "wrong-password",
        &[
            ("user-agent", "Mozilla/5.0 (iPhone) Mobile Safari/604.1"),
            ("x-forwarded-for", "203.0.113.7, 10.0.0.1"),
        ],
    );
    assert_eq!(failed["statusCode"], 403);
    let (access, _) = tokens_of_alice(&emu);
    let history = get(&emu, "/api/v3/get-my-login-history", &access);
    let list = history["data"]["list"].as_array().unwrap();
    assert_eq!(history["data"]["totalCount"], 2);
    let (latest, older) = (&list[0], &list[1]);
    assert_eq!(latest["success"], true);
    assert_eq!(latest["clientIp"], "127.0.0.1");
    assert!(latest.get("errorMessage").is_none());
    assert_eq!(older["success"], false);
    assert_eq!(older["clientIp"], "203.0.113.7");
    assert_eq!(older["errorMessage"], "wrong account or password");
    assert_eq!(
        older["parsedUserAgent"],
        json!({"device": "Mobile", "browser": "Safari", "os": "iOS"})
    );
    assert_eq!(older["loginMethod"], "PASSWORD");
    assert!(older["geoip"]["location"].is_object());
}

#[test]
fn the_link_a_browser_opens_links_an_identity_once_and_the_id_token_must_be_the_users() {
    let emu = with_alice();
    emu.add_user(NewUser::with_username("bob", PASSWORD))
        .unwrap();
    emu.add_ext_idp(NewExtIdp::new("gh", "github", "GitHub"))
        .unwrap();
    let (access, id_token) = tokens_of_alice(&emu);
    let bob = sign_in(&emu, "bob", PASSWORD, &[]);
    let bobs_id_token = bob["data"]["id_token"].as_str().unwrap();

    let link = |app: &str, token: &str| {
        get(
            &emu,
            &format!(
                "/api/v3/link-extidp?ext_idp_conn_identifier=gh&app_id={app}&id_token={token}"
            ),
            &access,
        )
    };
    assert_eq!(link(emu.app_id(), bobs_id_token)["statusCode"], 401);
    let other_app = link("another-app", &id_token);
    assert_eq!(
        (
            other_app["statusCode"].clone(),
            other_app["apiCode"].clone()
        ),
        (json!(404), json!(2011))
    );
    let missing = get(
        &emu,
        "/api/v3/link-extidp?ext_idp_conn_identifier=gh",
        &access,
    );
    assert_eq!(missing["apiCode"], 2231);

    let ok = link(emu.app_id(), &id_token);
    assert_eq!(ok["statusCode"], 200, "{ok}");
    let url = ok["data"]["url"].as_str().unwrap();
    let (status, opened) = read(agent().get(url).call().expect("http"));
    assert_eq!(status, 200, "{opened}");
    assert!(opened["identityId"].is_string());
    let (status, again) = read(agent().get(url).call().expect("http"));
    assert_eq!(status, 404, "single use: {again}");

    let identities = get(&emu, "/api/v3/get-identities", &access);
    let list = identities["data"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["provider"], "github");
    let offered = get(&emu, "/api/v3/get-application-enabled-extidps", &access);
    let bind_url = offered["data"][0]["bindUrl"].as_str().unwrap();
    assert!(
        bind_url.ends_with("/api/v3/link-extidp?ext_idp_conn_identifier=gh&app_id=demo-app"),
        "{bind_url}"
    );
}

#[test]
fn a_reset_forgets_the_directory() {
    let emu = with_alice();
    emu.add_ext_idp(NewExtIdp::new("gh", "github", "GitHub"))
        .unwrap();
    emu.reset();
    emu.add_user(NewUser::with_username("alice", PASSWORD))
        .unwrap();
    assert!(emu
        .add_ext_idp(NewExtIdp::new("gh", "github", "GitHub"))
        .is_ok());
}

#[test]
fn generate_link_extidp_url_answers_the_link_as_link_extidp_does() {
    let emu = with_alice();
    emu.add_ext_idp(NewExtIdp::new("gh", "github", "GitHub"))
        .unwrap();
    let (access, id_token) = tokens_of_alice(&emu);
    let path = |identifier: &str| {
        format!(
            "/api/v3/generate-link-extidp-url?ext_idp_conn_identifier={identifier}&app_id={}&id_token={id_token}",
            emu.app_id()
        )
    };
    let ok = get(&emu, &path("gh"), &access);
    assert_eq!(ok["statusCode"], 200, "{ok}");
    let url = ok["data"]["url"].as_str().unwrap();
    assert!(
        url.contains("/emulator/v1/ext-idps/authorize?ticket="),
        "{url}"
    );
    let (status, opened) = read(agent().get(url).call().expect("http"));
    assert_eq!(status, 200, "{opened}");
    let identities = get(&emu, "/api/v3/get-identities", &access);
    assert_eq!(identities["data"].as_array().unwrap().len(), 1);
    let unknown = get(&emu, &path("nope"), &access);
    assert_eq!(unknown["statusCode"], 404, "{unknown}");
    let missing = get(
        &emu,
        "/api/v3/generate-link-extidp-url?ext_idp_conn_identifier=gh",
        &access,
    );
    assert_eq!(missing["apiCode"], 2231);
    let signed_out = get(&emu, &path("gh"), "not-a-token");
    assert_eq!(signed_out["apiCode"], 2020);
}
