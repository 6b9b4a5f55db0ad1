//! The permissions family: what the signed-in user may do with the pool's data resources.
//!
//! `POST /api/v3/check-permission-string-resource`, `check-permission-array-resource`,
//! `check-permission-tree-resource`, `get-user-auth-resource-permission-list` and
//! `get-user-auth-resource-struct`, and `GET /api/v3/get-user-auth-resource-list`, each for
//! the bearer's user (401, apiCode 2020 without a valid access token) in the app's
//! namespace (whose code is the app id; the requests name none). The resources and grants
//! are this family's (`state.rs`, seeded through `admin.rs`); the user's roles and groups
//! are the directory family's.

pub(crate) mod admin;
pub(crate) mod msg;
pub(crate) mod state;

use serde_json::{json, Map, Value};

use crate::core::caller;
use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::msg::Msg;
use crate::families::permissions::msg::PermissionsMsg;
use crate::families::permissions::state::{actions_on, DataResource, Grant, TreeNode, MAX_CODE};
use crate::http::server::Shared;
use crate::http::Request;

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    type Handler = fn(&Shared, &Request, &Map<String, Value>) -> Outcome;
    let handler: Handler = match path {
        "/api/v3/check-permission-string-resource" => |s, r, b| check(s, r, b, "STRING"),
        "/api/v3/check-permission-array-resource" => |s, r, b| check(s, r, b, "ARRAY"),
        "/api/v3/check-permission-tree-resource" => |s, r, b| check(s, r, b, "TREE"),
        "/api/v3/get-user-auth-resource-permission-list" => permission_list,
        "/api/v3/get-user-auth-resource-struct" => resource_struct,
        "/api/v3/get-user-auth-resource-list" => {
            return Some(Route {
                method: "GET",
                endpoint: Endpoint::Query(resource_list),
            })
        }
        _ => return None,
    };
    Some(Route {
        method: "POST",
        endpoint: Endpoint::EnvelopeWith(handler),
    })
}

fn bad(msg: PermissionsMsg) -> Failure {
    Failure::params(Msg::family(msg))
}

/// `resources`: a non-empty array of texts of 1 to 50 characters.
fn resources(body: &Map<String, Value>) -> Result<Vec<&str>, Failure> {
    let list = body
        .get("resources")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(PermissionsMsg::Missing("resources")))?;
    if list.is_empty() {
        return Err(bad(PermissionsMsg::EmptyResources));
    }
    list.iter()
        .map(|v| {
            v.as_str()
                .filter(|s| (1..=MAX_CODE).contains(&s.chars().count()))
                .ok_or_else(|| bad(PermissionsMsg::BadResource))
        })
        .collect()
}

/// The resource `path` names (`code` or, for a tree, `code/node/...`) in `namespace`, and
/// the node path.
fn find<'a, 'p>(
    resources: &'a [DataResource],
    namespace: &str,
    path: &'p str,
) -> Option<(&'a DataResource, Vec<&'p str>)> {
    let mut segments = path.split('/');
    let code = segments.next()?;
    let nodes: Vec<&str> = segments.collect();
    let resource = resources
        .iter()
        .find(|r| r.namespace == namespace && r.code == code)?;
    if !nodes.is_empty() && resource.node(&nodes).is_none() {
        return None;
    }
    Some((resource, nodes))
}

fn check(shared: &Shared, request: &Request, body: &Map<String, Value>, kind: &str) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let action = body
        .get("action")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| bad(PermissionsMsg::Missing("action")))?;
    let paths = resources(body)?;
    let user = caller::user_at(&state, index)?;
    let namespace = shared.config.app_id.as_str();
    let permissions = &state.families.permissions;
    let grants = permissions.grants_of(&state.families.catalog, &user.id, namespace);
    let results: Vec<Value> = paths
        .iter()
        .map(|path| {
            let enabled = find(&permissions.resources, namespace, path)
                .filter(|(r, nodes)| r.kind == kind && (kind == "TREE" || nodes.is_empty()))
                .is_some_and(|(r, nodes)| {
                    actions_on(&grants, r, &nodes).iter().any(|a| a == action)
                });
            json!({
                "namespaceCode": namespace,
                "action": action,
                "resource": path,
                "enabled": enabled,
            })
        })
        .collect();
    Ok(Some(json!({ "checkResultList": results })))
}

fn permission_list(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let paths = resources(body)?;
    let user = caller::user_at(&state, index)?;
    let namespace = shared.config.app_id.as_str();
    let permissions = &state.families.permissions;
    let grants = permissions.grants_of(&state.families.catalog, &user.id, namespace);
    let list: Vec<Value> = paths
        .iter()
        .map(|path| {
            let actions = find(&permissions.resources, namespace, path)
                .map(|(r, nodes)| actions_on(&grants, r, &nodes))
                .unwrap_or_default();
            json!({ "namespaceCode": namespace, "actions": actions, "resource": path })
        })
        .collect();
    Ok(Some(json!({ "permissionList": list })))
}

/// The tree below `path` with the actions `grants` give on each node (`TreeStructs`).
fn tree_structs(
    grants: &[&Grant],
    resource: &DataResource,
    nodes: &[TreeNode],
    path: &mut Vec<String>,
) -> Vec<Value> {
    nodes
        .iter()
        .map(|node| {
            path.push(node.code.clone());
            let here: Vec<&str> = path.iter().map(String::as_str).collect();
            let actions = actions_on(grants, resource, &here);
            let children = tree_structs(grants, resource, &node.children, path);
            path.pop();
            let mut dto = json!({
                "code": node.code, "name": node.name, "value": node.value, "actions": actions,
            });
            if !children.is_empty() {
                dto["children"] = children.into();
            }
            dto
        })
        .collect()
}

/// Every node of the tree (below `path`) on which `grants` give some action (`TreeAuthBo`).
fn tree_auth(
    grants: &[&Grant],
    resource: &DataResource,
    nodes: &[TreeNode],
    path: &mut Vec<String>,
    out: &mut Vec<Value>,
) {
    for node in nodes {
        path.push(node.code.clone());
        let here: Vec<&str> = path.iter().map(String::as_str).collect();
        let actions = actions_on(grants, resource, &here);
        if !actions.is_empty() {
            out.push(json!({
                "nodePath": format!("/{}", path.join("/")),
                "nodeName": node.name,
                "nodeActions": actions,
                "nodeValue": node.value,
            }));
        }
        tree_auth(grants, resource, &node.children, path, out);
        path.pop();
    }
}

fn resource_struct(shared: &Shared, request: &Request, body: &Map<String, Value>) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let code = body
        .get("resource")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| bad(PermissionsMsg::Missing("resource")))?;
    let user = caller::user_at(&state, index)?;
    let namespace = shared.config.app_id.as_str();
    let permissions = &state.families.permissions;
    let resource = permissions
        .resource(namespace, code)
        .ok_or_else(|| Failure::new(404, None, Msg::family(PermissionsMsg::NoSuchResource)))?;
    let grants = permissions.grants_of(&state.families.catalog, &user.id, namespace);
    let mut dto = json!({
        "namespaceCode": namespace,
        "resourceCode": resource.code,
        "resourceType": resource.kind,
    });
    let actions = actions_on(&grants, resource, &[]);
    match resource.kind.as_str() {
        "STRING" => {
            dto["strResourceAuthAction"] = json!({"value": resource.value, "actions": actions})
        }
        "ARRAY" => {
            dto["arrResourceAuthAction"] = json!({"values": resource.values, "actions": actions})
        }
        _ => {
            let list = tree_structs(&grants, resource, &resource.tree, &mut Vec::new());
            dto["treeResourceAuthAction"] = json!({ "nodeAuthActionList": list });
        }
    }
    Ok(Some(dto))
}

fn resource_list(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let user = caller::user_at(&state, index)?;
    let namespace = shared.config.app_id.as_str();
    let permissions = &state.families.permissions;
    let grants = permissions.grants_of(&state.families.catalog, &user.id, namespace);
    let list: Vec<Value> = permissions
        .resources
        .iter()
        .filter(|r| r.namespace == namespace)
        .filter_map(|r| {
            let mut dto = json!({ "resourceCode": r.code, "resourceType": r.kind });
            match r.kind.as_str() {
                "STRING" | "ARRAY" => {
                    let actions = actions_on(&grants, r, &[]);
                    if actions.is_empty() {
                        return None;
                    }
                    if r.kind == "STRING" {
                        dto["strAuthorize"] = json!({"value": r.value, "actions": actions});
                    } else {
                        dto["arrAuthorize"] = json!({"values": r.values, "actions": actions});
                    }
                }
                _ => {
                    let mut auth = Vec::new();
                    tree_auth(&grants, r, &r.tree, &mut Vec::new(), &mut auth);
                    if auth.is_empty() {
                        return None;
                    }
                    dto["treeAuthorize"] = json!({ "authList": auth });
                }
            }
            Some(dto)
        })
        .collect();
    Ok(Some(json!({
        "userPermissionList": [{
            "userId": user.id,
            "namespaceCode": namespace,
            "resourceList": list,
        }]
    })))
}
