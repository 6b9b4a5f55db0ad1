//! Authorization end to end: the SDK against the emulator, seeded through its handle with
//! string, array and tree resources and grants to a user, a role and a group. Each call,
//! allowed and denied, the session each needs, and input refused before anything is sent.

use std::sync::mpsc;

use crate::common::DEADLINE;
use authing::emulator::{
    Emulator, NewDataResource, NewGrant, NewGroup, NewRole, NewTreeNode, NewUser,
};
use authing::{codes, AuthClient, AuthError, AuthResponse, DataResourceType};

const ALICE: &str = "alice";
const PASSWORD: &str = "secret-123";

/// An emulator with alice, a string resource `report`, an array resource `orders` and a
/// tree resource `docs` (`guides/intro`, `guides/faq`, `api`).
fn seeded() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username(ALICE, PASSWORD))
        .expect("alice");
    emu.add_data_resource(NewDataResource::string(
        "report",
        "monthly",
        ["read", "export"],
    ))
    .unwrap();
    emu.add_data_resource(NewDataResource::array(
        "orders",
        ["order:41", "order:42"],
        ["read", "write"],
    ))
    .unwrap();
    let guides = NewTreeNode {
        name: Some("Guides".into()),
        ..NewTreeNode::new("guides")
    }
    .child(NewTreeNode::new("intro"))
    .child(NewTreeNode::new("faq"));
    emu.add_data_resource(NewDataResource::tree(
        "docs",
        [guides, NewTreeNode::new("api")],
        ["read", "edit"],
    ))
    .unwrap();
    emu
}

fn signed_in(emu: &Emulator) -> AuthClient {
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .expect("valid settings");
    let response = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    client
}

/// Asserts `response` is a 10010 for `field` and that nothing went on the wire since
/// `before`.
fn refused_locally(emu: &Emulator, before: u64, response: &AuthResponse, field: &str) {
    assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
    match response.error() {
        Some(AuthError::InvalidInput(problem)) => assert_eq!(problem.field, field),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(emu.stats().requests, before, "nothing goes on the wire");
}

#[test]
fn a_string_resource_is_allowed_for_the_granted_action_only() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user(ALICE, "report", ["read"]))
        .unwrap();
    let client = signed_in(&emu);
    let response = client.check_permission_by_string_resource_blocking(["report", "nope"], "read");
    let check = response.permission_check().expect("a check");
    assert!(check.can("report", "read"));
    assert!(!check.can("nope", "read"), "an unknown resource is denied");
    assert_eq!(check.results().len(), 2);
    assert_eq!(check.results()[0].namespace_code(), emu.app_id());
    let export = client.check_permission_by_string_resource_blocking(["report"], "export");
    assert!(!export.permission_check().unwrap().can("report", "export"));
}

#[test]
fn nothing_is_allowed_without_a_grant_and_the_kind_must_match_the_call() {
    let emu = seeded();
    let client = signed_in(&emu);
    let check = client
        .check_permission_by_array_resource_blocking(["orders"], "read")
        .permission_check()
        .unwrap();
    assert!(!check.can("orders", "read"));
    emu.grant_permission(NewGrant::to_user(ALICE, "orders", ["read"]))
        .unwrap();
    let array = client.check_permission_by_array_resource_blocking(["orders"], "read");
    assert!(array.permission_check().unwrap().can("orders", "read"));
    let as_string = client.check_permission_by_string_resource_blocking(["orders"], "read");
    assert!(!as_string.permission_check().unwrap().can("orders", "read"));
}

#[test]
fn a_tree_grant_covers_its_node_and_everything_below_it_not_its_siblings() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user(ALICE, "docs/guides", ["edit"]))
        .unwrap();
    let client = signed_in(&emu);
    let paths = [
        "docs/guides",
        "docs/guides/intro",
        "docs/api",
        "docs",
        "docs/guides/gone",
    ];
    let check = client
        .check_permission_by_tree_resource_blocking(paths, "edit")
        .permission_check()
        .unwrap();
    let allowed: Vec<&str> = check.allowed().collect();
    assert_eq!(allowed, ["docs/guides", "docs/guides/intro"]);
    emu.grant_permission(NewGrant::to_user(ALICE, "docs", ["read"]))
        .unwrap();
    let read = client
        .check_permission_by_tree_resource_blocking(["docs/api", "docs"], "read")
        .permission_check()
        .unwrap();
    assert!(read.can("docs/api", "read") && read.can("docs", "read"));
}

#[test]
fn grants_reach_the_user_through_its_roles_and_groups_and_a_disabled_role_gives_nothing() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_role("editor", "report", ["export"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_group("staff", "orders", ["write"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_role("banned", "docs", ["edit"]))
        .unwrap();
    let client = signed_in(&emu);
    let export = || {
        client
            .check_permission_by_string_resource_blocking(["report"], "export")
            .permission_check()
            .unwrap()
            .can("report", "export")
    };
    assert!(!export(), "not an editor yet");
    emu.assign_role(ALICE, NewRole::new("editor")).unwrap();
    assert!(export());
    emu.assign_group(ALICE, NewGroup::new("staff")).unwrap();
    let write = client.check_permission_by_array_resource_blocking(["orders"], "write");
    assert!(write.permission_check().unwrap().can("orders", "write"));
    let banned = NewRole {
        status: Some("DISABLE".into()),
        ..NewRole::new("banned")
    };
    emu.assign_role(ALICE, banned).unwrap();
    let edit = client.check_permission_by_tree_resource_blocking(["docs/api"], "edit");
    assert!(!edit.permission_check().unwrap().can("docs/api", "edit"));
}

#[test]
fn a_resource_of_another_namespace_is_not_the_apps() {
    let emu = seeded();
    let billing = NewDataResource {
        namespace: Some("billing".into()),
        ..NewDataResource::string("invoices", "all", ["read"])
    };
    emu.add_data_resource(billing).unwrap();
    let grant = NewGrant {
        namespace: Some("billing".into()),
        ..NewGrant::to_user(ALICE, "invoices", ["read"])
    };
    emu.grant_permission(grant).unwrap();
    let client = signed_in(&emu);
    let check = client.check_permission_by_string_resource_blocking(["invoices"], "read");
    assert!(!check.permission_check().unwrap().can("invoices", "read"));
}

#[test]
fn the_resource_list_has_each_granted_resource_with_its_values_and_nodes() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user(ALICE, "report", ["read", "export"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_user(ALICE, "orders", ["read"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_user(ALICE, "docs/guides", ["read"]))
        .unwrap();
    let client = signed_in(&emu);
    let response = client.get_user_authorized_resources_list_blocking();
    let namespaces = response.user_auth_resources().expect("a list");
    assert_eq!(namespaces.len(), 1);
    let ns = &namespaces[0];
    assert_eq!(ns.namespace_code(), emu.app_id());
    assert!(!ns.user_id().is_empty());
    let list = ns.resource_list();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].resource_type(), Some(DataResourceType::STRING));
    assert_eq!(list[0].value(), Some("monthly"));
    assert_eq!(list[0].actions(), ["read", "export"]);
    assert_eq!(list[1].values(), ["order:41", "order:42"]);
    assert_eq!(list[1].actions(), ["read"]);
    let nodes: Vec<&str> = list[2].tree_nodes().iter().map(|n| n.node_path()).collect();
    assert_eq!(nodes, ["/guides", "/guides/intro", "/guides/faq"]);
    assert_eq!(list[2].tree_nodes()[0].node_name(), "Guides");
}

#[test]
fn a_user_granted_nothing_lists_no_resources() {
    let emu = seeded();
    let client = signed_in(&emu);
    let namespaces = client
        .get_user_authorized_resources_list_blocking()
        .user_auth_resources()
        .unwrap();
    assert!(namespaces[0].resource_list().is_empty());
}

#[test]
fn the_permission_list_gives_the_actions_on_each_resource_asked_about() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user(ALICE, "report", ["export"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_role("editor", "docs/guides", ["read", "edit"]))
        .unwrap();
    emu.assign_role(ALICE, NewRole::new("editor")).unwrap();
    let client = signed_in(&emu);
    let response = client.get_user_auth_resource_permission_list_blocking([
        "report",
        "docs/guides/faq",
        "docs/api",
        "orders",
    ]);
    let permissions = response.resource_permissions().expect("a list");
    assert_eq!(permissions.list().len(), 4);
    assert_eq!(permissions.actions_on("report"), ["export"]);
    assert_eq!(permissions.actions_on("docs/guides/faq"), ["read", "edit"]);
    assert!(permissions.actions_on("docs/api").is_empty());
    assert!(permissions.actions_on("orders").is_empty());
}

#[test]
fn the_struct_of_a_tree_gives_every_node_with_its_actions() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user(ALICE, "docs/guides", ["read"]))
        .unwrap();
    emu.grant_permission(NewGrant::to_user(ALICE, "docs/guides/intro", ["edit"]))
        .unwrap();
    let client = signed_in(&emu);
    let docs = client
        .get_user_auth_resource_struct_blocking("docs")
        .resource_struct()
        .expect("a struct");
    assert_eq!(docs.resource_type(), Some(DataResourceType::TREE));
    assert_eq!(docs.resource_code(), "docs");
    let tree = docs.tree();
    assert_eq!(tree.len(), 2);
    assert_eq!(
        (tree[0].code(), tree[0].actions()),
        ("guides", &["read".to_string()][..])
    );
    assert_eq!(tree[0].children()[0].actions(), ["read", "edit"]);
    assert!(tree[1].actions().is_empty());

    let report = client
        .get_user_auth_resource_struct_blocking("report")
        .resource_struct()
        .unwrap();
    assert_eq!(
        (report.value(), report.actions().len()),
        (Some("monthly"), 0)
    );
    let orders = client
        .get_user_auth_resource_struct_blocking("orders")
        .resource_struct()
        .unwrap();
    assert_eq!(orders.values(), ["order:41", "order:42"]);
}

#[test]
fn the_struct_of_an_unknown_resource_is_the_servers_404() {
    let emu = seeded();
    let client = signed_in(&emu);
    let response = client.get_user_auth_resource_struct_blocking("nope");
    assert_eq!(response.status_code(), 404, "{response:?}");
    assert!(response.resource_struct().is_err());
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let emu = seeded();
    let client = signed_in(&emu);
    let before = emu.stats().requests;
    let none: [&str; 0] = [];
    let r = client.check_permission_by_string_resource_blocking(none, "read");
    refused_locally(&emu, before, &r, "resources");
    let r = client.check_permission_by_array_resource_blocking(["orders"], "");
    refused_locally(&emu, before, &r, "action");
    let r = client.check_permission_by_array_resource_blocking(["orders"], "read all");
    refused_locally(&emu, before, &r, "action");
    let r = client.check_permission_by_tree_resource_blocking(["docs//intro"], "read");
    refused_locally(&emu, before, &r, "resources");
    let r = client.check_permission_by_string_resource_blocking(["a/b"], "read");
    refused_locally(&emu, before, &r, "resources");
    let long = "x".repeat(51);
    let r = client.get_user_auth_resource_permission_list_blocking([long.as_str()]);
    refused_locally(&emu, before, &r, "resources");
    let r = client.get_user_auth_resource_struct_blocking(" ");
    refused_locally(&emu, before, &r, "resource");
}

#[test]
fn without_a_session_every_call_answers_10015_and_sends_nothing() {
    let emu = seeded();
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap();
    let before = emu.stats().requests;
    let answers = [
        client.check_permission_by_string_resource_blocking(["report"], "read"),
        client.check_permission_by_array_resource_blocking(["orders"], "read"),
        client.check_permission_by_tree_resource_blocking(["docs"], "read"),
        client.get_user_authorized_resources_list_blocking(),
        client.get_user_auth_resource_permission_list_blocking(["report"]),
        client.get_user_auth_resource_struct_blocking("report"),
    ];
    for response in answers {
        assert_eq!(response.status_code(), codes::NOT_SIGNED_IN, "{response:?}");
    }
    assert_eq!(emu.stats().requests, before);
}

#[test]
fn each_callback_form_calls_back_once_with_the_blocking_answer() {
    let emu = seeded();
    emu.grant_permission(NewGrant::to_user(ALICE, "report", ["read"]))
        .unwrap();
    let client = signed_in(&emu);
    let (tx, rx) = mpsc::channel::<(&str, AuthResponse)>();
    let send = |name: &'static str| {
        let tx = tx.clone();
        move |r: AuthResponse| tx.send((name, r)).unwrap()
    };
    let handles = vec![
        client.check_permission_by_string_resource(["report"], "read", send("string")),
        client.check_permission_by_array_resource(["orders"], "read", send("array")),
        client.check_permission_by_tree_resource(["docs/api"], "read", send("tree")),
        client.get_user_authorized_resources_list(send("list")),
        client.get_user_auth_resource_permission_list(["report"], send("permissions")),
        client.get_user_auth_resource_struct("docs", send("struct")),
        client.check_permission_by_string_resource(["report"], "", send("refused")),
    ];
    drop(tx);
    let mut seen = Vec::new();
    for _ in 0..handles.len() {
        let (name, response) = rx.recv_timeout(DEADLINE).expect("a callback");
        let expected = if name == "refused" {
            codes::INVALID_INPUT
        } else {
            200
        };
        assert_eq!(response.status_code(), expected, "{name}: {response:?}");
        if name == "string" {
            assert!(response.permission_check().unwrap().can("report", "read"));
        }
        seen.push(name);
    }
    for handle in handles {
        handle.join().expect("delivered");
    }
    assert!(rx.recv_timeout(DEADLINE).is_err(), "no callback twice");
    seen.sort_unstable();
    assert_eq!(
        seen,
        [
            "array",
            "list",
            "permissions",
            "refused",
            "string",
            "struct",
            "tree"
        ]
    );
}
