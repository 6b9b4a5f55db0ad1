//! Authorization on the wire, against the scripted loopback server: the exact body each
//! call sends, the bearer, nothing sent for refused input, and how answers are read.

use crate::common::{Reply, Server};
use crate::{body, route, signed_in};
use authing::{codes, DataResourceType};
use serde_json::json;

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

const CHECKED: &str = r#"{"statusCode":200,"message":"","data":{"checkResultList":[{"namespaceCode":"app","action":"read","resource":"order:42","enabled":true},{"namespaceCode":"app","action":"read","resource":"order:43","enabled":false}]}}"#;

#[test]
fn each_check_posts_action_and_resources_as_json_with_the_bearer() {
    let s = server(CHECKED);
    let client = signed_in(&s);
    type Call = fn(&authing::AuthClient) -> authing::AuthResponse;
    let calls: [(&str, Call); 3] = [
        ("/api/v3/check-permission-string-resource", |c| {
            c.check_permission_by_string_resource_blocking(["order:42", "order:43"], "read")
        }),
        ("/api/v3/check-permission-array-resource", |c| {
            c.check_permission_by_array_resource_blocking(
                vec!["order:42".to_string(), "order:43".to_string()],
                "read",
            )
        }),
        ("/api/v3/check-permission-tree-resource", |c| {
            let slice: &[&str] = &["order:42", "order:43"];
            c.check_permission_by_tree_resource_blocking(slice, "read")
        }),
    ];
    for (path, call) in calls {
        let response = call(&client);
        let sent = s.next_request();
        assert_eq!((sent.method.as_str(), sent.path.as_str()), ("POST", path));
        assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
        assert!(sent
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json")));
        assert_eq!(
            body(&sent),
            json!({"action": "read", "resources": ["order:42", "order:43"]})
        );
        let allowed = response.permission_check().expect("typed");
        assert!(allowed.can("order:42", "read"));
        assert!(!allowed.can("order:43", "read"));
    }
}

#[test]
fn the_resource_list_is_a_get_without_query_or_body_and_is_read_typed() {
    let s = server(
        r#"{"statusCode":200,"message":"","data":{"userPermissionList":[{"userId":"u-1","namespaceCode":"app","resourceList":[
            {"resourceCode":"report","resourceType":"STRING","strAuthorize":{"value":"v","actions":["read"]}},
            {"resourceCode":"orders","resourceType":"ARRAY","arrAuthorize":{"values":["a","b"],"actions":["write"]}},
            {"resourceCode":"docs","resourceType":"TREE","treeAuthorize":{"authList":[{"nodePath":"/g","nodeName":"G","nodeActions":["edit"],"nodeValue":""}]}}
        ]}]}}"#,
    );
    let client = signed_in(&s);
    let response = client.get_user_authorized_resources_list_blocking();
    let sent = s.next_request();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("GET", "/api/v3/get-user-auth-resource-list")
    );
    assert_eq!(sent.header("authorization"), Some("Bearer at-1"));
    assert!(sent.body.is_empty());
    let namespaces = response.user_auth_resources().expect("typed");
    let list = namespaces[0].resource_list();
    assert_eq!(list[0].value(), Some("v"));
    assert_eq!(list[1].resource_type(), Some(DataResourceType::ARRAY));
    assert_eq!(list[1].values(), ["a", "b"]);
    assert_eq!(list[2].tree_nodes()[0].node_actions(), ["edit"]);
}

#[test]
fn the_permission_list_and_the_struct_post_exactly_their_fields() {
    let s = server(
        r#"{"statusCode":200,"message":"","data":{"permissionList":[{"namespaceCode":"app","actions":["read"],"resource":"docs/a"}],
            "namespaceCode":"app","resourceCode":"docs","resourceType":"TREE",
            "treeResourceAuthAction":{"nodeAuthActionList":[{"code":"a","name":"A","actions":["read"],"children":[{"code":"b","name":"B"}]}]}}}"#,
    );
    let client = signed_in(&s);
    let response = client.get_user_auth_resource_permission_list_blocking(["docs/a"]);
    let sent = s.next_request();
    assert_eq!(sent.path, "/api/v3/get-user-auth-resource-permission-list");
    assert_eq!(body(&sent), json!({"resources": ["docs/a"]}));
    assert_eq!(
        response
            .resource_permissions()
            .unwrap()
            .actions_on("docs/a"),
        ["read"]
    );

    let response = client.get_user_auth_resource_struct_blocking("docs");
    let sent = s.next_request();
    assert_eq!(sent.path, "/api/v3/get-user-auth-resource-struct");
    assert_eq!(body(&sent), json!({"resource": "docs"}));
    let docs = response.resource_struct().unwrap();
    assert_eq!(docs.tree()[0].children()[0].code(), "b");
    assert!(docs.tree()[0].children()[0].actions().is_empty());
}

#[test]
fn refused_input_sends_nothing_and_a_server_refusal_is_read_as_one() {
    let s = server(
        r#"{"statusCode":400,"apiCode":2231,"message":"invalid parameter: action is missing or empty","data":null}"#,
    );
    let client = signed_in(&s);
    let r = client.check_permission_by_tree_resource_blocking(["docs/"], "read");
    assert_eq!(r.status_code(), codes::INVALID_INPUT);
    let r = client.get_user_auth_resource_struct_blocking("docs/a");
    assert_eq!(r.status_code(), codes::INVALID_INPUT);
    // The next request is the one below: nothing was sent for the two above.
    let r = client.check_permission_by_string_resource_blocking(["report"], "read");
    assert_eq!(
        s.next_request().path,
        "/api/v3/check-permission-string-resource"
    );
    assert_eq!((r.status_code(), r.api_code()), (400, 2231));
    assert!(r.permission_check().is_err());
}
