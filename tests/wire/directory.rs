//! The directory family on the wire, against the scripted loopback server: the exact
//! query and body each call sends, the bearer, and how answers are read.

use crate::common::{Reply, Server};
use crate::{route, signed_in};
use authing::{codes, AuthClient, AuthError, ResourceType};

const SIGNED_IN: &str = r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","id_token":"id.token/1+2","refresh_token":"rt-1","token_type":"Bearer","expires_in":3600}}"#;
const USER: &str = r#"{"statusCode":200,"message":"","data":{"userId":"u-1","username":"mike"}}"#;

/// A server that signs `mike` in and answers every other path with `answer`.
fn server(answer: &'static str) -> Server {
    Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(answer.into()),
    })
}

const EMPTY_PAGE: &str = r#"{"statusCode":200,"message":"","data":{"totalCount":0,"list":[]}}"#;
const EMPTY_LIST: &str = r#"{"statusCode":200,"message":"","data":[]}"#;

#[test]
fn get_login_history_sends_the_filters_it_was_given_escaped_then_page_and_limit() {
    let s = server(EMPTY_PAGE);
    let client = signed_in(&s);
    client.get_login_history_blocking("app&1", "::1", true, 5, 9, 2, 20);
    let sent = s.next_request();
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.path,
        "/api/v3/get-my-login-history?appId=app%261&clientIp=%3A%3A1&success=true&start=5&end=9&page=2&limit=20"
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert!(sent.body.is_empty());

    // No filter: neither `success` (Android always sends one) nor a zero bound.
    client.get_login_history_blocking(None, None, None, 0, 0, 1, 10);
    assert_eq!(
        s.next_request().path,
        "/api/v3/get-my-login-history?page=1&limit=10"
    );
}

#[test]
fn get_department_list_sends_sort_by_and_order_by_each_where_it_belongs() {
    let s = server(EMPTY_PAGE);
    let client = signed_in(&s);
    client.get_department_list_blocking(3, 50, true, "DepartmentName", "Asc");
    assert_eq!(
        s.next_request().path,
        "/api/v3/get-my-department-list?page=3&limit=50&withCustomData=true&sortBy=DepartmentName&orderBy=Asc"
    );
    client.get_department_list_blocking(1, 10, false, None, None);
    assert_eq!(
        s.next_request().path,
        "/api/v3/get-my-department-list?page=1&limit=10&withCustomData=false"
    );
}

#[test]
fn a_namespace_or_type_left_out_is_not_sent_and_one_given_is_escaped() {
    let s = server(EMPTY_LIST);
    let client = signed_in(&s);
    client.get_role_list_blocking(None);
    assert_eq!(s.next_request().path, "/api/v3/get-my-role-list");
    client.get_role_list_blocking("a b&c");
    assert_eq!(
        s.next_request().path,
        "/api/v3/get-my-role-list?namespace=a%20b%26c"
    );
    client.get_authorized_resources_blocking(None, ResourceType::BUTTON);
    assert_eq!(
        s.next_request().path,
        "/api/v3/get-my-authorized-resources?resourceType=BUTTON"
    );
    client.get_authorized_resources_blocking("default", None);
    assert_eq!(
        s.next_request().path,
        "/api/v3/get-my-authorized-resources?namespace=default"
    );
}

/// A call of the client, for a table of calls.
type Call = fn(&AuthClient) -> authing::AuthResponse;

#[test]
fn the_calls_without_arguments_send_a_bare_get_with_the_bearer() {
    let s = server(EMPTY_LIST);
    let client = signed_in(&s);
    let calls: [(&str, Call); 6] = [
        ("/api/v3/get-my-logged-in-apps", |c| {
            c.get_logged_in_apps_blocking()
        }),
        ("/api/v3/get-my-accessible-apps", |c| {
            c.get_accessible_apps_blocking()
        }),
        ("/api/v3/get-my-tenant-list", |c| {
            c.get_tenant_list_blocking()
        }),
        ("/api/v3/get-my-group-list", |c| c.get_group_list_blocking()),
        ("/api/v3/get-identities", |c| c.get_identities_blocking()),
        ("/api/v3/get-application-enabled-extidps", |c| {
            c.get_ext_idps_blocking()
        }),
    ];
    for (path, call) in calls {
        assert_eq!(call(&client).status_code(), 200);
        let sent = s.next_request();
        assert_eq!((sent.method.as_str(), sent.path.as_str()), ("GET", path));
        assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    }
}

#[test]
fn link_ext_idp_sends_the_sessions_id_token_and_the_clients_app_id_escaped() {
    let s = server(r#"{"statusCode":200,"message":"","data":{"url":"https://idp.example.com/x"}}"#);
    let client = signed_in(&s);
    let response = client.link_ext_idp_blocking("my-github", None, None);
    assert_eq!(
        response.ext_idp_link_url().unwrap(),
        "https://idp.example.com/x"
    );
    let sent = s.next_request();
    assert_eq!(
        sent.path,
        "/api/v3/link-extidp?ext_idp_conn_identifier=my-github&app_id=demo-app&id_token=id.token%2F1%2B2"
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    client.link_ext_idp_blocking("my-github", "other-app", "given-token");
    assert_eq!(
        s.next_request().path,
        "/api/v3/link-extidp?ext_idp_conn_identifier=my-github&app_id=other-app&id_token=given-token"
    );
}

#[test]
fn generate_link_ext_idp_url_sends_the_same_query_to_its_own_path() {
    let s = server(r#"{"statusCode":200,"message":"","data":{"url":"https://idp.example.com/y"}}"#);
    let client = signed_in(&s);
    let response = client.generate_link_ext_idp_url_blocking("my-github", None, "");
    assert_eq!(
        response.ext_idp_link_url().unwrap(),
        "https://idp.example.com/y"
    );
    let sent = s.next_request();
    assert_eq!(
        sent.path,
        "/api/v3/generate-link-extidp-url?ext_idp_conn_identifier=my-github&app_id=demo-app&id_token=id.token%2F1%2B2",
        "\"\" is the session's id token, as for link_ext_idp"
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    let refused = client.generate_link_ext_idp_url_blocking("my github", None, None);
    assert_eq!(refused.status_code(), authing::codes::INVALID_INPUT);
    s.assert_no_request();
}

#[test]
fn un_link_ext_idp_posts_the_spec_body_with_the_bearer() {
    let s = server(r#"{"statusCode":200,"message":"ok"}"#);
    let client = signed_in(&s);
    let response = client.un_link_ext_idp_blocking("62f209327xxxxcc10d966ee5");
    assert_eq!(response.status_code(), 200);
    let sent = s.next_request();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/api/v3/unlink-extidp");
    assert_eq!(
        sent.body_text(),
        r#"{"extIdpId":"62f209327xxxxcc10d966ee5"}"#
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert_eq!(
        sent.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(sent.header("x-authing-app-id"), Some("demo-app"));
}

#[test]
fn a_page_says_whether_more_pages_exist_from_the_total_and_the_page_asked_for() {
    let ten: Vec<String> = (0..10)
        .map(|i| format!(r#"{{"departmentId":"d{i}","name":"D{i}"}}"#))
        .collect();
    let body: &'static str = Box::leak(
        format!(
            r#"{{"statusCode":200,"message":"","data":{{"totalCount":25,"list":[{}]}}}}"#,
            ten.join(",")
        )
        .into_boxed_str(),
    );
    let s = server(body);
    let client = signed_in(&s);
    let first = client
        .get_department_list_blocking(1, 10, false, None, None)
        .department_list()
        .unwrap();
    assert_eq!((first.total_count(), first.list().len()), (25, 10));
    assert_eq!(first.next_page(), Some(2));
    let third = client
        .get_department_list_blocking(3, 10, false, None, None)
        .department_list()
        .unwrap();
    assert!(!third.has_more(), "30 listed by page 3 of 25");
    assert_eq!(third.next_page(), None);
}

#[test]
fn an_item_without_its_id_is_10004_naming_the_field_and_never_a_value() {
    let s =
        server(r#"{"statusCode":200,"message":"","data":[{"code":"admin","name":"secret-name"}]}"#);
    let client = signed_in(&s);
    let response = client.get_role_list_blocking(None);
    assert_eq!(response.status_code(), 200);
    let error = response.role_list().unwrap_err();
    assert!(matches!(error, AuthError::UnexpectedResponse { .. }));
    assert_eq!(error.status_code(), codes::JSON_PARSE_FAILED);
    assert_eq!(
        error.to_string(),
        "unexpected response: list[0] is not a Role: `id` is missing"
    );

    let wrong_type = Server::scripted(|req| match route(req) {
        "/api/v3/signin" => Reply::Json(SIGNED_IN.into()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Json(
            r#"{"statusCode":200,"message":"","data":[{"id":"r1","code":{"k":"a-secret"}}]}"#
                .into(),
        ),
    });
    let client = signed_in(&wrong_type);
    let error = client.get_role_list_blocking(None).role_list().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unexpected response: list[0] is not a Role"
    );
}

#[test]
fn a_server_failure_is_the_answer_and_its_typed_view_is_the_error() {
    let s = server(r#"{"statusCode":403,"apiCode":2120008,"message":"not in this tenant"}"#);
    let client = signed_in(&s);
    let response = client.get_group_list_blocking();
    assert_eq!(
        (response.status_code(), response.api_code()),
        (403, 2_120_008)
    );
    assert!(matches!(response.group_list(), Err(AuthError::Api(_))));
}

#[test]
fn link_ext_idp_without_an_id_token_in_the_session_or_the_call_answers_10015_and_sends_nothing() {
    let s = Server::scripted(|req| {
        match route(req) {
        "/api/v3/signin" => Reply::Json(
            r#"{"statusCode":200,"message":"","data":{"access_token":"at-1","token_type":"Bearer","expires_in":3600}}"#.into(),
        ),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    }
    });
    let client = signed_in(&s);
    let response = client.link_ext_idp_blocking("my-github", None, None);
    assert_eq!(response.status_code(), codes::NOT_SIGNED_IN);
    assert_eq!(
        response.error().unwrap().to_string(),
        "not signed in: the session holds no id token; pass one as id_token, or sign in again"
    );
    s.assert_no_request();
}
