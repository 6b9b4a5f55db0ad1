//! The emulator's permissions endpoints and their admin API over real HTTP, with ureq as
//! the client (not through the SDK): the seeds and their refusals, each endpoint's answer
//! for grants to a user, a role and a group, and the refusals of bad bodies.

use crate::common::agent;
use authing_emulator::{Emulator, NewDataResource, NewGrant, NewRole, NewTreeNode, NewUser};
use serde_json::{json, Value};

const PASSWORD: &str = "secret-123";

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

/// A v3 POST with the bearer `token`, in English; the envelope (always HTTP 200).
fn post(emu: &Emulator, path: &str, token: &str, body: Value) -> Value {
    let res = agent()
        .post(format!("{}{path}", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .header("authorization", format!("Bearer {token}"))
        .header("x-authing-lang", "en-US")
        .send(body.to_string())
        .expect("http");
    let (status, json) = read(res);
    assert_eq!(status, 200, "{json}");
    json
}

fn get(emu: &Emulator, path: &str, token: &str) -> Value {
    let res = agent()
        .get(format!("{}{path}", emu.base_url()))
        .header("authorization", format!("Bearer {token}"))
        .call()
        .expect("http");
    read(res).1
}

/// Alice's access token, by a raw sign-in.
fn token(emu: &Emulator) -> String {
    let res = agent()
        .post(format!("{}/api/v3/signin", emu.base_url()))
        .header("content-type", "application/json")
        .header("x-authing-app-id", emu.app_id())
        .send(
            json!({
                "connection": "PASSWORD",
                "passwordPayload": {"username": "alice", "password": PASSWORD},
            })
            .to_string(),
        )
        .expect("http");
    let reply = read(res).1;
    reply["data"]["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{reply}"))
        .to_owned()
}

fn seeded() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username("alice", PASSWORD))
        .unwrap();
    emu.add_data_resource(NewDataResource::string(
        "report",
        "monthly",
        ["read", "export"],
    ))
    .unwrap();
    emu.add_data_resource(NewDataResource::array(
        "orders",
        ["o1", "o2"],
        ["read", "write"],
    ))
    .unwrap();
    let guides = NewTreeNode::new("guides").child(NewTreeNode::new("intro"));
    emu.add_data_resource(NewDataResource::tree(
        "docs",
        [guides, NewTreeNode::new("api")],
        ["read", "edit"],
    ))
    .unwrap();
    emu
}

#[test]
fn the_admin_api_seeds_resources_and_grants_and_refuses_with_real_statuses() {
    let emu = seeded();
    let (status, ok) = admin_post(
        &emu,
        "/data-resources",
        json!({"code": "menu", "resourceType": "STRING", "value": "m", "actions": ["read"]}),
    );
    assert_eq!((status, &ok["code"]), (200, &json!("menu")), "{ok}");
    let (status, ok) = admin_post(
        &emu,
        "/permission-grants",
        json!({"subjectType": "USER", "subject": "alice", "resource": "docs/guides/intro", "actions": ["edit"]}),
    );
    assert_eq!(status, 200, "{ok}");
    assert!(ok["id"].is_string());

    for (path, body, status) in [
        (
            "/data-resources",
            json!({"code": "menu", "resourceType": "STRING", "actions": ["read"]}),
            409,
        ),
        (
            "/data-resources",
            json!({"code": "x", "resourceType": "GRAPH", "actions": ["read"]}),
            400,
        ),
        (
            "/data-resources",
            json!({"code": "a/b", "resourceType": "STRING", "actions": ["read"]}),
            400,
        ),
        (
            "/data-resources",
            json!({"code": "x", "resourceType": "STRING", "actions": []}),
            400,
        ),
        (
            "/data-resources",
            json!({"code": "x", "resourceType": "TREE", "actions": ["read"]}),
            400,
        ),
        (
            "/data-resources",
            json!({"code": "x", "resourceType": "TREE", "actions": ["read"],
            "tree": [{"code": "a"}, {"code": "a"}]}),
            409,
        ),
        (
            "/data-resources",
            json!({"code": "x", "resourceType": "STRING", "actions": ["read"], "colour": 1}),
            400,
        ),
        (
            "/permission-grants",
            json!({"subjectType": "USER", "subject": "nobody", "resource": "report", "actions": ["read"]}),
            404,
        ),
        (
            "/permission-grants",
            json!({"subjectType": "ROLE", "subject": "r", "resource": "gone", "actions": ["read"]}),
            404,
        ),
        (
            "/permission-grants",
            json!({"subjectType": "ROLE", "subject": "r", "resource": "docs/nope", "actions": ["read"]}),
            404,
        ),
        (
            "/permission-grants",
            json!({"subjectType": "ROLE", "subject": "r", "resource": "report/x", "actions": ["read"]}),
            404,
        ),
        (
            "/permission-grants",
            json!({"subjectType": "GROUP", "subject": "g", "resource": "report", "actions": ["delete"]}),
            400,
        ),
        (
            "/permission-grants",
            json!({"subjectType": "APP", "subject": "g", "resource": "report", "actions": ["read"]}),
            400,
        ),
    ] {
        let (got, reply) = admin_post(&emu, path, body.clone());
        assert_eq!(got, status, "{path} {body}: {reply}");
        assert!(reply["error"].is_string(), "{reply}");
    }
    let res = agent()
        .get(format!("{}/emulator/v1/data-resources", emu.base_url()))
        .call()
        .expect("http");
    assert_eq!(read(res).0, 405);
}

#[test]
fn a_tree_deeper_than_five_levels_below_its_roots_is_refused() {
    let emu = seeded();
    let mut node = NewTreeNode::new("n6");
    for i in (0..6).rev() {
        node = NewTreeNode::new(format!("n{i}")).child(node);
    }
    let deep = NewDataResource::tree("deep", [node], ["read"]);
    assert!(emu.add_data_resource(deep).is_err());
}

#[test]
fn the_checks_answer_each_resource_in_the_apps_namespace() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user("alice", "report", ["read"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_group("staff", "orders", ["write"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_role("editor", "docs/guides", ["edit"]))
        .unwrap();
    emu.assign_role("alice", NewRole::new("editor")).unwrap();
    let token = token(&emu);
    let reply = post(
        &emu,
        "/api/v3/check-permission-string-resource",
        &token,
        json!({"action": "read", "resources": ["report", "orders"]}),
    );
    assert_eq!(reply["statusCode"], 200, "{reply}");
    assert_eq!(
        reply["data"]["checkResultList"],
        json!([
            {"namespaceCode": emu.app_id(), "action": "read", "resource": "report", "enabled": true},
            {"namespaceCode": emu.app_id(), "action": "read", "resource": "orders", "enabled": false},
        ])
    );
    let reply = post(
        &emu,
        "/api/v3/check-permission-array-resource",
        &token,
        json!({"action": "write", "resources": ["orders"]}),
    );
    assert_eq!(
        reply["data"]["checkResultList"][0]["enabled"], false,
        "not in the group"
    );
    let reply = post(
        &emu,
        "/api/v3/check-permission-tree-resource",
        &token,
        json!({"action": "edit", "resources": ["docs/guides/intro", "docs/api", "docs"]}),
    );
    let enabled: Vec<&Value> = reply["data"]["checkResultList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["enabled"])
        .collect();
    assert_eq!(enabled, [&json!(true), &json!(false), &json!(false)]);
}

#[test]
fn the_lists_and_the_struct_answer_what_the_user_was_granted() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user("alice", "orders", ["write"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_user("alice", "docs", ["read"]))
        .unwrap();
    let token = token(&emu);
    let reply = get(&emu, "/api/v3/get-user-auth-resource-list", &token);
    let ns = &reply["data"]["userPermissionList"][0];
    assert_eq!(ns["namespaceCode"], emu.app_id());
    let list = ns["resourceList"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{reply}");
    assert_eq!(
        list[0]["arrAuthorize"],
        json!({"values": ["o1", "o2"], "actions": ["write"]})
    );
    let paths: Vec<&Value> = list[1]["treeAuthorize"]["authList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["nodePath"])
        .collect();
    assert_eq!(
        paths,
        [&json!("/guides"), &json!("/guides/intro"), &json!("/api")]
    );

    let reply = post(
        &emu,
        "/api/v3/get-user-auth-resource-permission-list",
        &token,
        json!({"resources": ["orders", "docs/api", "gone"]}),
    );
    let actions: Vec<&Value> = reply["data"]["permissionList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["actions"])
        .collect();
    assert_eq!(actions, [&json!(["write"]), &json!(["read"]), &json!([])]);

    let reply = post(
        &emu,
        "/api/v3/get-user-auth-resource-struct",
        &token,
        json!({"resource": "docs"}),
    );
    let data = &reply["data"];
    assert_eq!(data["resourceType"], "TREE");
    assert_eq!(
        data["treeResourceAuthAction"]["nodeAuthActionList"][0]["children"][0]["actions"],
        json!(["read"])
    );
    let reply = post(
        &emu,
        "/api/v3/get-user-auth-resource-struct",
        &token,
        json!({"resource": "report"}),
    );
    assert_eq!(
        reply["data"]["strResourceAuthAction"],
        json!({"value": "monthly", "actions": []})
    );
}

#[test]
fn bad_bodies_and_unknown_resources_are_refused_in_the_envelope() {
    let emu = seeded();
    let token = token(&emu);
    for (path, body) in [
        (
            "/api/v3/check-permission-string-resource",
            json!({"resources": ["report"]}),
        ),
        (
            "/api/v3/check-permission-array-resource",
            json!({"action": "read", "resources": []}),
        ),
        (
            "/api/v3/check-permission-tree-resource",
            json!({"action": "read", "resources": [""]}),
        ),
        ("/api/v3/get-user-auth-resource-permission-list", json!({})),
        (
            "/api/v3/get-user-auth-resource-struct",
            json!({"resource": " "}),
        ),
    ] {
        let reply = post(&emu, path, &token, body);
        assert_eq!(
            (reply["statusCode"].as_u64(), reply["apiCode"].as_u64()),
            (Some(400), Some(2231)),
            "{path}: {reply}"
        );
    }
    let reply = post(
        &emu,
        "/api/v3/get-user-auth-resource-struct",
        &token,
        json!({"resource": "gone"}),
    );
    assert_eq!(reply["statusCode"], 404, "{reply}");
    let reply = post(
        &emu,
        "/api/v3/check-permission-string-resource",
        "not-a-token",
        json!({"action": "read", "resources": ["report"]}),
    );
    assert_eq!(
        (reply["statusCode"].as_u64(), reply["apiCode"].as_u64()),
        (Some(401), Some(2020)),
        "{reply}"
    );
}
