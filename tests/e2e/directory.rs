//! What the signed-in user may access, end to end: the SDK against the emulator, which is
//! seeded through its handle. Login history, apps, tenants, roles, groups, departments,
//! authorized resources and linked identities; the session each call needs; and input
//! refused before anything goes on the wire.

use std::sync::mpsc;

use crate::common::DEADLINE;
use authing::emulator::{
    AppMfaPolicy, Emulator, NewApp, NewDepartment, NewExtIdp, NewGroup, NewIdentity, NewResource,
    NewRole, NewTenant, NewUser,
};
use authing::{codes, AuthClient, AuthError, AuthResponse, EmailType, FactorType, ResourceType};

const ALICE: &str = "alice";
const PASSWORD: &str = "secret-123";

fn emulator_with_alice() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username(ALICE, PASSWORD).email("alice@example.com"))
        .expect("alice");
    emu
}

fn client_of(emu: &Emulator) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .expect("valid settings")
}

fn signed_in(emu: &Emulator) -> AuthClient {
    let client = client_of(emu);
    let response = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    client
}

/// Asserts `response` is a 10010 for `field`, and that the emulator saw no request since
/// `before`.
fn refused_locally(emu: &Emulator, before: u64, response: &AuthResponse, field: &str) {
    assert_eq!(
        response.status_code(),
        codes::INVALID_INPUT,
        "{}",
        response.message()
    );
    match response.error() {
        Some(AuthError::InvalidInput(problem)) => assert_eq!(problem.field, field),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(emu.stats().requests, before, "nothing goes on the wire");
}

#[test]
fn a_signed_in_user_lists_the_roles_groups_and_tenants_the_emulator_gave_them() {
    let emu = emulator_with_alice();
    let admin = NewRole {
        name: Some("Administrator".into()),
        description: Some("can do anything".into()),
        ..NewRole::new("admin")
    };
    let viewer = NewRole {
        namespace: Some("billing".into()),
        ..NewRole::new("viewer")
    };
    emu.assign_role(ALICE, admin).unwrap();
    emu.assign_role(ALICE, viewer).unwrap();
    emu.add_user(NewUser::with_username("bob", PASSWORD))
        .unwrap();
    emu.assign_group(ALICE, NewGroup::new("eng")).unwrap();
    emu.assign_group("bob", NewGroup::new("eng")).unwrap();
    let acme = emu.assign_tenant(ALICE, NewTenant::new("Acme")).unwrap();
    let client = signed_in(&emu);

    let roles = client.get_role_list_blocking(None).role_list().unwrap();
    let codes: Vec<(&str, &str)> = roles.iter().map(|r| (r.namespace(), r.code())).collect();
    assert_eq!(codes, [("default", "admin"), ("billing", "viewer")]);
    assert_eq!(roles[0].name(), "Administrator");
    assert_eq!(roles[0].description(), "can do anything");
    assert_eq!(roles[0].status(), Some("ENABLE"));

    let billing = client
        .get_role_list_blocking("billing")
        .role_list()
        .unwrap();
    assert_eq!(billing.len(), 1);
    assert_eq!(billing[0].code(), "viewer");

    let groups = client.get_group_list_blocking().group_list().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].code(), "eng");
    let mut members: Vec<&str> = groups[0]
        .members()
        .iter()
        .filter_map(|m| m.username())
        .collect();
    members.sort();
    assert_eq!(members, ["alice", "bob"]);

    let tenants = client.get_tenant_list_blocking().tenant_list().unwrap();
    assert_eq!(tenants.len(), 1);
    assert_eq!(
        (tenants[0].tenant_id(), tenants[0].tenant_name()),
        (acme.as_str(), "Acme")
    );
    assert!(tenants[0].join_at().ends_with('Z'));
}

#[test]
fn the_login_history_records_each_sign_in_and_pages_through_them() {
    let emu = emulator_with_alice();
    let client = client_of(&emu);
    let wrong = client.sign_in_by_user_name_password_blocking(ALICE, "wrong-password", None);
    assert_eq!(wrong.status_code(), 403);
    for _ in 0..3 {
        let ok = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
        assert_eq!(ok.status_code(), 200, "{ok:?}");
    }
    // A failed sign-in for an account that does not exist is nobody's.
    client.sign_in_by_user_name_password_blocking("nobody", PASSWORD, None);

    let first = client
        .get_login_history_blocking(None, None, None, None, None, 1, 3)
        .login_history()
        .unwrap();
    assert_eq!(first.total_count(), 4);
    assert_eq!(first.list().len(), 3);
    assert!(first.has_more());
    assert_eq!(first.next_page(), Some(2));
    assert!(first.list().iter().all(|r| r.success()), "newest first");
    assert_eq!(first.list()[0].app_id(), emu.app_id());
    assert_eq!(first.list()[0].app_name(), "Authing Emulator");
    assert_eq!(first.list()[0].login_method(), "PASSWORD");
    assert!(first.list()[0].user_agent().starts_with("authing-rust/"));

    let second = client
        .get_login_history_blocking(None, None, None, None, None, 2, 3)
        .login_history()
        .unwrap();
    assert_eq!(second.list().len(), 1);
    assert!(!second.has_more());
    assert_eq!(second.next_page(), None);
    let failed = &second.list()[0];
    assert!(!failed.success());
    assert!(failed.error_message().is_some());

    let only_failed = client
        .get_login_history_blocking(None, None, false, None, None, 1, 10)
        .login_history()
        .unwrap();
    assert_eq!(only_failed.total_count(), 1);
    let elsewhere = client
        .get_login_history_blocking("another-app", None, None, None, None, 1, 10)
        .login_history()
        .unwrap();
    assert_eq!(elsewhere.total_count(), 0);
    let from_loopback = client
        .get_login_history_blocking(None, "127.0.0.1", true, 1, u64::MAX / 2, 1, 10)
        .login_history()
        .unwrap();
    assert_eq!(from_loopback.total_count(), 3);
}

#[test]
fn departments_come_a_page_at_a_time_sorted_with_their_paths_and_custom_data_when_asked() {
    let emu = emulator_with_alice();
    emu.assign_department(ALICE, NewDepartment::new("rnd", "R&D"))
        .unwrap();
    let backend = NewDepartment {
        parent: Some("rnd".into()),
        is_main_department: true,
        is_leader: true,
        custom_data: Some(serde_json::json!({"floor": 3}).as_object().unwrap().clone()),
        ..NewDepartment::new("backend", "Backend")
    };
    emu.assign_department(ALICE, backend).unwrap();
    emu.assign_department(ALICE, NewDepartment::new("ops", "Operations"))
        .unwrap();
    let client = signed_in(&emu);

    let by_name = client
        .get_department_list_blocking(1, 2, false, "DepartmentName", "Asc")
        .department_list()
        .unwrap();
    assert_eq!(by_name.total_count(), 3);
    assert_eq!(by_name.page(), Some(1));
    assert!(by_name.has_more());
    let names: Vec<&str> = by_name.list().iter().map(|d| d.name()).collect();
    assert_eq!(names, ["Backend", "Operations"]);
    let backend = &by_name.list()[0];
    assert_eq!(backend.department_name_path(), ["R&D", "Backend"]);
    assert_eq!(backend.department_code_path(), ["rnd", "backend"]);
    assert!(!backend.is_root() && backend.is_leader() && backend.is_main_department());
    assert_eq!(backend.custom_data(), None, "not asked for");

    let rest = client
        .get_department_list_blocking(2, 2, true, "DepartmentName", "Asc")
        .department_list()
        .unwrap();
    assert_eq!(rest.list().len(), 1);
    assert_eq!(rest.list()[0].name(), "R&D");
    assert!(rest.list()[0].is_root());
    assert!(!rest.has_more());

    let with_data = client
        .get_department_list_blocking(1, 50, true, "DepartmemtCode", "Desc")
        .department_list()
        .unwrap();
    let codes: Vec<&str> = with_data.list().iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["rnd", "ops", "backend"]);
    assert_eq!(with_data.list()[2].custom_data().unwrap()["floor"], 3);

    let profile = client.get_profile_blocking(false, false, true);
    let user = profile.user_info().unwrap();
    let ids = &user.data()["departmentIds"];
    assert_eq!(ids.as_array().map(Vec::len), Some(3));
}

#[test]
fn apps_list_the_emulators_own_app_as_signed_in_and_the_apps_given_to_the_user() {
    let emu = emulator_with_alice();
    let console = emu
        .assign_app(
            ALICE,
            NewApp {
                app_logo: Some("https://example.com/console.png".into()),
                ..NewApp::new("Console")
            },
        )
        .unwrap();
    let client = signed_in(&emu);

    let accessible = client.get_accessible_apps_blocking().app_list().unwrap();
    let ids: Vec<&str> = accessible.iter().map(|a| a.app_id()).collect();
    assert_eq!(ids, [emu.app_id(), console.as_str()]);
    assert!(accessible[0].active());
    assert!(!accessible[1].active());
    assert_eq!(accessible[1].app_name(), "Console");
    assert_eq!(accessible[1].app_logo(), "https://example.com/console.png");

    let logged_in = client.get_logged_in_apps_blocking().app_list().unwrap();
    assert_eq!(logged_in.len(), 1);
    assert_eq!(logged_in[0].app_id(), emu.app_id());
    assert!(logged_in[0].active());
}

#[test]
fn authorized_resources_are_narrowed_by_namespace_and_by_type() {
    let emu = emulator_with_alice();
    emu.assign_resource(ALICE, NewResource::new("orders-menu", ResourceType::MENU))
        .unwrap();
    let api = NewResource {
        api_identifier: Some("https://api.example.com/orders".into()),
        actions: vec!["read".into(), "write".into()],
        ..NewResource::new("orders-api", ResourceType::API)
    };
    emu.assign_resource(ALICE, api).unwrap();
    let denied = NewResource {
        namespace: Some("billing".into()),
        effect: Some("DENY".into()),
        ..NewResource::new("invoices", ResourceType::DATA)
    };
    emu.assign_resource(ALICE, denied).unwrap();
    let client = signed_in(&emu);

    let all = client
        .get_authorized_resources_blocking(None, None)
        .authorized_resources()
        .unwrap();
    assert_eq!(all.total_count(), 3);
    assert!(!all.has_more());

    let apis = client
        .get_authorized_resources_blocking("default", ResourceType::API)
        .authorized_resources()
        .unwrap();
    assert_eq!(apis.list().len(), 1);
    let orders = &apis.list()[0];
    assert_eq!(orders.resource_type(), Some(ResourceType::API));
    assert_eq!(orders.api_identifier(), "https://api.example.com/orders");
    assert_eq!(orders.actions(), ["read", "write"]);
    assert!(orders.is_allowed());

    let billing = client
        .get_authorized_resources_blocking("billing", "DATA")
        .authorized_resources()
        .unwrap();
    assert_eq!(billing.list().len(), 1);
    assert!(!billing.list()[0].is_allowed());
}

#[test]
fn an_identity_linked_through_the_link_is_listed_and_unlinked() {
    let emu = emulator_with_alice();
    let github = emu
        .add_ext_idp(NewExtIdp {
            logo: Some("https://example.com/github.png".into()),
            ..NewExtIdp::new("my-github", "github", "GitHub")
        })
        .unwrap();
    let client = signed_in(&emu);

    let offered = client.get_ext_idps_blocking().ext_idp_list().unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].identifier(), "my-github");
    assert_eq!(offered[0].ext_idp_id(), github);
    assert_eq!(offered[0].idp_type(), "github");
    assert_eq!(offered[0].ext_idp_type(), "social");

    let link = client.link_ext_idp_blocking("my-github", None, None);
    let url = link.ext_idp_link_url().expect("a link to open");
    assert!(url.starts_with(&emu.base_url()), "{url}");
    // generate_link_ext_idp_url answers a link of its own, as good as the first.
    let (tx, rx) = std::sync::mpsc::channel();
    client
        .generate_link_ext_idp_url("my-github", None, None, move |r: authing::AuthResponse| {
            let _ = tx.send(r);
        })
        .join()
        .expect("the call ends");
    let generated = rx
        .recv_timeout(crate::common::DEADLINE)
        .expect("the callback ran")
        .ext_idp_link_url()
        .expect("a link");
    assert_ne!(generated, url, "each link is single use");
    emu.complete_ext_idp_link(&url).expect("the browser's part");

    let identities = client.get_identities_blocking().identities().unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].provider(), "github");
    assert_eq!(identities[0].ext_idp_id(), github);
    assert!(identities[0].user_id_in_idp().starts_with("emulated-"));
    let profile = client.get_profile_blocking(false, true, false);
    let user = profile.user_info().unwrap();
    let in_profile = &user.data()["identities"];
    assert_eq!(in_profile.as_array().map(Vec::len), Some(1));

    let unlinked = client.un_link_ext_idp_blocking(&github);
    assert_eq!(unlinked.status_code(), 200, "{unlinked:?}");
    assert!(client
        .get_identities_blocking()
        .identities()
        .unwrap()
        .is_empty());
    let again = client.un_link_ext_idp_blocking(&github);
    assert_eq!(again.status_code(), 404);
}

#[test]
fn a_seeded_identity_is_listed_and_a_link_for_an_unknown_provider_is_refused_by_the_server() {
    let emu = emulator_with_alice();
    emu.add_ext_idp(NewExtIdp::new("my-wechat", "wechat", "WeChat"))
        .unwrap();
    emu.link_identity(
        ALICE,
        NewIdentity {
            identity_type: Some("unionid".into()),
            ..NewIdentity::new("my-wechat", "o9Nka5ibU")
        },
    )
    .unwrap();
    let client = signed_in(&emu);
    let identities = client.get_identities_blocking().identities().unwrap();
    assert_eq!(identities[0].identity_type(), "unionid");
    assert_eq!(identities[0].user_id_in_idp(), "o9Nka5ibU");

    let unknown = client.link_ext_idp_blocking("my-gitlab", None, None);
    assert_eq!(unknown.status_code(), 404);
    let forged = client.link_ext_idp_blocking("my-wechat", None, "not.a.token");
    assert_eq!(forged.status_code(), 401);
    assert_eq!(forged.api_code(), 2020);
}

/// A call of the client, for a table of calls.
type Call = fn(&AuthClient) -> AuthResponse;

#[test]
fn every_call_without_a_signed_in_user_answers_10015_and_sends_nothing() {
    let emu = emulator_with_alice();
    let client = client_of(&emu);
    let calls: [(&str, Call); 12] = [
        ("get_login_history", |client| {
            client.get_login_history_blocking(None, None, None, None, None, 1, 10)
        }),
        ("get_logged_in_apps", |client| {
            client.get_logged_in_apps_blocking()
        }),
        ("get_accessible_apps", |client| {
            client.get_accessible_apps_blocking()
        }),
        ("get_tenant_list", |client| {
            client.get_tenant_list_blocking()
        }),
        ("get_role_list", |client| {
            client.get_role_list_blocking(None)
        }),
        ("get_group_list", |client| client.get_group_list_blocking()),
        ("get_department_list", |client| {
            client.get_department_list_blocking(1, 10, false, None, None)
        }),
        ("get_authorized_resources", |client| {
            client.get_authorized_resources_blocking(None, None)
        }),
        ("link_ext_idp", |client| {
            client.link_ext_idp_blocking("my-github", None, None)
        }),
        ("un_link_ext_idp", |client| {
            client.un_link_ext_idp_blocking("e1")
        }),
        ("get_identities", |client| client.get_identities_blocking()),
        ("get_ext_idps", |client| client.get_ext_idps_blocking()),
    ];
    for (name, call) in calls {
        let response = call(&client);
        assert_eq!(
            response.status_code(),
            codes::NOT_SIGNED_IN,
            "{name}: {}",
            response.message()
        );
    }
    assert_eq!(emu.stats().requests, 0);
}

#[test]
fn paging_out_of_range_and_values_the_server_does_not_know_are_refused_locally() {
    let emu = emulator_with_alice();
    let client = signed_in(&emu);
    let before = emu.stats().requests;
    let page_0 = client.get_login_history_blocking(None, None, None, None, None, 0, 10);
    refused_locally(&emu, before, &page_0, "page");
    assert_eq!(
        page_0.error().unwrap().to_string(),
        "invalid input: page is 0; pages count from 1"
    );
    let limit_51 = client.get_department_list_blocking(1, 51, false, None, None);
    refused_locally(&emu, before, &limit_51, "limit");
    assert_eq!(
        limit_51.error().unwrap().to_string(),
        "invalid input: limit must be 1 to 50"
    );
    let limit_0 = client.get_login_history_blocking(None, None, None, None, None, 1, 0);
    refused_locally(&emu, before, &limit_0, "limit");
    let menu = client.get_authorized_resources_blocking(None, "menu");
    refused_locally(&emu, before, &menu, "resource_type");
    assert_eq!(
        menu.error().unwrap().to_string(),
        "invalid input: resource_type is not one of DATA, API, MENU, BUTTON, UI"
    );
    let sort = client.get_department_list_blocking(1, 10, false, "DepartmentCode", None);
    refused_locally(&emu, before, &sort, "sort_by");
    let order = client.get_department_list_blocking(1, 10, false, None, "asc");
    refused_locally(&emu, before, &order, "order_by");
    let blank_role = client.get_role_list_blocking(" ");
    refused_locally(&emu, before, &blank_role, "namespace");
    let blank = client.get_authorized_resources_blocking("  ", None);
    refused_locally(&emu, before, &blank, "namespace");
    let ip = client.get_login_history_blocking(None, "localhost", None, None, None, 1, 10);
    refused_locally(&emu, before, &ip, "client_ip");
    let window = client.get_login_history_blocking(None, None, None, 2_000, 1_000, 1, 10);
    refused_locally(&emu, before, &window, "start");
    let unlink = client.un_link_ext_idp_blocking("");
    refused_locally(&emu, before, &unlink, "ext_idp_id");
    let link = client.link_ext_idp_blocking("my github", None, None);
    refused_locally(&emu, before, &link, "ext_idp_conn_identifier");
}

#[test]
fn the_callback_forms_answer_once_each_off_the_callers_thread_and_refuse_bad_input_once() {
    let emu = emulator_with_alice();
    emu.assign_role(ALICE, NewRole::new("admin")).unwrap();
    let client = signed_in(&emu);
    let caller = std::thread::current().id();
    let (tx, rx) = mpsc::channel();
    let handles = vec![
        client.get_role_list(None, {
            let tx = tx.clone();
            move |r: AuthResponse| tx.send(("roles", r, std::thread::current().id())).unwrap()
        }),
        client.get_authorized_resources(None, "menu", {
            let tx = tx.clone();
            move |r: AuthResponse| {
                tx.send(("resources", r, std::thread::current().id()))
                    .unwrap()
            }
        }),
        client.get_login_history(None, None, None, None, None, 0, 10, {
            let tx = tx.clone();
            move |r: AuthResponse| {
                tx.send(("history", r, std::thread::current().id()))
                    .unwrap()
            }
        }),
    ];
    drop(tx);
    for handle in handles {
        handle.join().expect("delivered");
    }
    let mut answers: Vec<(&str, i32)> = Vec::new();
    while let Ok((name, response, thread)) = rx.recv_timeout(DEADLINE) {
        assert_ne!(thread, caller);
        answers.push((name, response.status_code()));
    }
    answers.sort();
    assert_eq!(
        answers,
        [("history", 10010), ("resources", 10010), ("roles", 200)]
    );
}

#[test]
fn a_token_the_server_ended_early_is_renewed_once_and_the_call_sent_again() {
    let emu = emulator_with_alice();
    emu.assign_role(ALICE, NewRole::new("admin")).unwrap();
    let client = signed_in(&emu);
    assert_eq!(emu.expire_access_tokens(ALICE), 1);
    let roles = client.get_role_list_blocking(None);
    assert_eq!(roles.status_code(), 200, "{}", roles.message());
    assert_eq!(roles.role_list().unwrap().len(), 1);
    assert_eq!(
        emu.expire_access_tokens(ALICE),
        1,
        "a new access token was issued"
    );
    emu.add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))
        .unwrap();
    let link = client.link_ext_idp_blocking("my-github", None, None);
    assert_eq!(link.status_code(), 200, "{}", link.message());
    emu.complete_ext_idp_link(&link.ext_idp_link_url().unwrap())
        .unwrap();
}

#[test]
fn a_sign_in_that_asks_for_a_second_factor_is_recorded_once_when_the_factor_completes_it() {
    let emu = emulator_with_alice();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let client = client_of(&emu);
    let challenged = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
    assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
    let sent = client.send_email_blocking("alice@example.com", EmailType::CHANNEL_VERIFY_MFA);
    assert_eq!(sent.status_code(), 200, "{sent:?}");
    let code = emu.latest_code("alice@example.com").unwrap();
    let done = client.mfa_verify_by_email_blocking("alice@example.com", &code);
    assert_eq!(done.status_code(), 200, "{done:?}");

    let history = client
        .get_login_history_blocking(None, None, None, None, None, 1, 10)
        .login_history()
        .unwrap();
    assert_eq!(history.total_count(), 1, "{history:?}");
    let record = &history.list()[0];
    assert!(record.success());
    assert_eq!(record.login_method(), "MFA");
}
