//! The directory family: what the signed-in user may access (this file), its linked
//! identities (`identities.rs`) and its login history (`login_history.rs`); the pool's
//! directory is `state.rs`, each user's share of it `user_access.rs`, the seeds tests give
//! `new_entries.rs`.
//!
//! `GET /api/v3/get-my-login-history`,
//! `get-my-logged-in-apps`, `get-my-accessible-apps`, `get-my-tenant-list`,
//! `get-my-role-list`, `get-my-group-list`, `get-my-department-list` and
//! `get-my-authorized-resources`, each for the bearer's user (401, apiCode 2020 without a
//! valid access token), answered from what the user has (`user_access.rs`) and the pool's
//! directory (`state.rs`).

pub(crate) mod admin;
pub(crate) mod identities;
pub(crate) mod login_history;
pub(crate) mod msg;
pub(crate) mod new_entries;
pub(crate) mod state;
pub(crate) mod user_access;

use serde_json::{json, Map, Value};
use std::cmp::Ordering;

use crate::core::envelope::{Endpoint, Failure, Outcome, Route};
use crate::core::msg::Msg;
use crate::core::state::{iso8601, State};
use crate::core::users::User;
use crate::core::{caller, urlencoded};
use crate::families::directory::msg::DirectoryMsg;
use crate::families::directory::state::{App, Department};
use crate::families::directory::user_access::{LoginRecord, Membership};
use crate::families::session::flag;
use crate::families::session::user_dto::{user_dto, Extras};
use crate::http::server::Shared;
use crate::http::Request;

/// The largest `limit` of a paged endpoint (the spec's "最大不能超过 50").
pub(crate) const MAX_LIMIT: u32 = 50;
/// `limit` when a paged request sends none (the spec's default).
const DEFAULT_LIMIT: u32 = 10;
/// `sortBy` of `get-my-department-list`, spelled as the spec spells it.
const SORT_BY: &[&str] = &[
    "DepartmentCreatedAt",
    "JoinDepartmentAt",
    "DepartmentName",
    "DepartmemtCode",
];
/// `orderBy` of `get-my-department-list`.
const ORDER_BY: &[&str] = &["Asc", "Desc"];
/// `resourceType` of `get-my-authorized-resources`.
const RESOURCE_TYPES: &[&str] = &["DATA", "API", "MENU", "BUTTON", "UI"];

/// The family's routes: what the signed-in user may access (below), then the linked
/// identities (`identities.rs`).
pub(crate) fn routes(path: &str) -> Option<Route> {
    route(path).or_else(|| identities::route(path))
}

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    let handler: fn(&Shared, &Request) -> Outcome = match path {
        "/api/v3/get-my-login-history" => login_history,
        "/api/v3/get-my-logged-in-apps" => logged_in_apps,
        "/api/v3/get-my-accessible-apps" => accessible_apps,
        "/api/v3/get-my-tenant-list" => tenant_list,
        "/api/v3/get-my-role-list" => role_list,
        "/api/v3/get-my-group-list" => group_list,
        "/api/v3/get-my-department-list" => department_list,
        "/api/v3/get-my-authorized-resources" => authorized_resources,
        _ => return None,
    };
    Some(Route {
        method: "GET",
        endpoint: Endpoint::Query(handler),
    })
}

/// `http://<Host header>`, the emulator as the client reached it.
pub(crate) fn base_url(shared: &Shared, request: &Request) -> String {
    let issuer = caller::issuer(shared, request);
    issuer
        .strip_suffix("/oidc")
        .unwrap_or(issuer.as_str())
        .to_owned()
}

/// A query text: `None` when absent or blank.
fn text<'a>(query: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    query
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// A query value that must be one of `allowed` (exactly), or `default` when absent.
fn one_of(
    query: &Map<String, Value>,
    name: &'static str,
    allowed: &'static [&'static str],
    default: Option<&'static str>,
) -> Result<Option<&'static str>, Failure> {
    match text(query, name) {
        None => Ok(default),
        Some(v) => allowed
            .iter()
            .copied()
            .find(|a| *a == v)
            .map(Some)
            .ok_or_else(|| Failure::params(Msg::family(DirectoryMsg::NotOneOf(name, allowed)))),
    }
}

/// A whole number in the query, or `default` when absent; `bad` otherwise.
fn whole(
    query: &Map<String, Value>,
    name: &str,
    default: u64,
    bad: impl Fn() -> Failure,
) -> Result<u64, Failure> {
    match text(query, name) {
        None => Ok(default),
        Some(v) => v.parse::<u64>().map_err(|_| bad()),
    }
}

/// `page` (from 1, default 1) and `limit` (1 to 50, default 10).
fn paging(query: &Map<String, Value>) -> Result<(usize, usize), Failure> {
    let bad_page = || Failure::params(Msg::family(DirectoryMsg::BadPage));
    let bad_limit = || Failure::params(Msg::family(DirectoryMsg::BadLimit(MAX_LIMIT)));
    let page = whole(query, "page", 1, bad_page)?;
    let limit = whole(query, "limit", u64::from(DEFAULT_LIMIT), bad_limit)?;
    if page == 0 {
        return Err(bad_page());
    }
    if limit == 0 || limit > u64::from(MAX_LIMIT) {
        return Err(bad_limit());
    }
    let page = usize::try_from(page).map_err(|_| bad_page())?;
    Ok((page, limit as usize))
}

/// `{totalCount, list}` of the page `page` of `items`.
fn page_of(items: Vec<Value>, (page, limit): (usize, usize)) -> Value {
    let total = items.len();
    let list: Vec<Value> = items
        .into_iter()
        .skip((page - 1).saturating_mul(limit))
        .take(limit)
        .collect();
    json!({"totalCount": total, "list": list})
}

/// The `device`, `browser` and `os` of a `User-Agent`, roughly.
fn parse_user_agent(agent: &str) -> Value {
    let has = |needle: &str| agent.contains(needle);
    let os = if has("Windows") {
        "Windows"
    } else if has("iPhone") || has("iPad") {
        "iOS"
    } else if has("Android") {
        "Android"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("Linux") {
        "Linux"
    } else {
        ""
    };
    let browser = if has("Edg/") {
        "Edge".to_owned()
    } else if has("Chrome/") {
        "Chrome".to_owned()
    } else if has("Firefox/") {
        "Firefox".to_owned()
    } else if has("Safari/") {
        "Safari".to_owned()
    } else {
        // A program's agent, such as `authing-rust/0.1.0`: its product name.
        agent
            .split('/')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let device = if has("Mobile") || has("iPhone") || has("Android") {
        "Mobile"
    } else if agent.is_empty() {
        ""
    } else {
        "Desktop"
    };
    json!({"device": device, "browser": browser, "os": os})
}

/// An app's `appLoginUrl`: its own, or the emulator's `/login` (a page the emulator does
/// not serve).
fn login_url(app: &App, base: &str) -> String {
    app.login_url
        .clone()
        .unwrap_or_else(|| format!("{base}/login?app_id={}", app.id))
}

/// The app `id` as `LoggedInAppsDto`/`AccessibleAppsDto`, `active` when given.
fn app_dto(app: &App, base: &str, active: bool) -> Value {
    json!({
        "appId": app.id,
        "appName": app.name,
        "appLoginUrl": login_url(app, base),
        "appLogo": app.logo,
        "active": active,
    })
}

/// Whether `user` has an access token accepted now: signed in to the emulator's app.
fn signed_in_now(state: &State, user: &User) -> bool {
    state.sessions.live(&user.id, state.now()).0 > 0
}

fn login_history(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let query = urlencoded::parse(&request.query);
    let paged = paging(&query)?;
    let app_id = text(&query, "appId");
    let client_ip = text(&query, "clientIp");
    let success = match text(&query, "success") {
        None => None,
        Some(_) => Some(flag(&query, "success")?),
    };
    let millis = |name: &'static str| {
        let bad = || Failure::params(Msg::family(DirectoryMsg::BadMillis(name)));
        match text(&query, name) {
            None => Ok(None),
            // The spec types them `number`: a whole one, or a float without a fraction.
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|ms| ms.is_finite() && *ms >= 0.0 && ms.fract() == 0.0)
                .map(|ms| Some(ms as u64))
                .ok_or_else(bad),
        }
    };
    let (start, end) = (millis("start")?, millis("end")?);
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let base = base_url(shared, request);
    let own = &shared.config.app_id;
    let at_ms = |r: &LoginRecord| {
        r.at.duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    };
    let items: Vec<Value> = access
        .history
        .iter()
        .rev()
        .filter(|r| app_id.is_none_or(|id| r.app_id == id))
        .filter(|r| client_ip.is_none_or(|ip| r.client_ip == ip))
        .filter(|r| success.is_none_or(|s| r.success == s))
        .filter(|r| start.is_none_or(|s| at_ms(r) >= s))
        .filter(|r| end.is_none_or(|e| at_ms(r) <= e))
        .map(|r| {
            let app = state.families.catalog.app_or_own(&r.app_id, own);
            let (name, url, logo) = match &app {
                Some(app) => (app.name.clone(), login_url(app, &base), app.logo.clone()),
                None => (String::new(), String::new(), String::new()),
            };
            let mut dto = json!({
                "userId": user.id,
                "appId": r.app_id,
                "appName": name,
                "appLoginUrl": url,
                "appLogo": logo,
                "loginAt": iso8601(r.at),
                "clientIp": r.client_ip,
                "success": r.success,
                "userAgent": r.user_agent,
                "parsedUserAgent": parse_user_agent(&r.user_agent),
                "loginMethod": r.login_method,
                // The emulator locates no address: every field is there, empty.
                "geoip": {
                    "location": {"lon": 0, "lat": 0},
                    "country_name": "", "country_code2": "", "country_code3": "",
                    "region_name": "", "region_code": "", "city_name": "",
                    "continent_code": "", "timezone": "",
                },
            });
            if let Some(message) = &r.error_message {
                dto["errorMessage"] = message.clone().into();
            }
            dto
        })
        .collect();
    Ok(Some(page_of(items, paged)))
}

fn logged_in_apps(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let base = base_url(shared, request);
    let own = &shared.config.app_id;
    let mut seen: Vec<&str> = Vec::new();
    for record in access.history.iter().rev().filter(|r| r.success) {
        if !seen.contains(&record.app_id.as_str()) {
            seen.push(&record.app_id);
        }
    }
    let active = signed_in_now(&state, user);
    let apps: Vec<Value> = seen
        .into_iter()
        .filter_map(|id| state.families.catalog.app_or_own(id, own))
        .map(|app| app_dto(&app, &base, active && app.id == *own))
        .collect();
    Ok(Some(Value::Array(apps)))
}

fn accessible_apps(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let base = base_url(shared, request);
    let own = &shared.config.app_id;
    let active = signed_in_now(&state, user);
    let ids = std::iter::once(own).chain(access.apps.iter().filter(|id| *id != own));
    let apps: Vec<Value> = ids
        .filter_map(|id| state.families.catalog.app_or_own(id, own))
        .map(|app| app_dto(&app, &base, active && app.id == *own))
        .collect();
    Ok(Some(Value::Array(apps)))
}

fn tenant_list(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let tenants: Vec<Value> = access
        .tenants
        .iter()
        .filter_map(|(id, joined)| {
            let tenant = state
                .families
                .catalog
                .tenants
                .iter()
                .find(|t| t.id == *id)?;
            Some(json!({
                "tenantId": tenant.id,
                "tenantName": tenant.name,
                "joinAt": iso8601(*joined),
            }))
        })
        .collect();
    Ok(Some(Value::Array(tenants)))
}

fn role_list(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let query = urlencoded::parse(&request.query);
    let namespace = text(&query, "namespace");
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let roles: Vec<Value> = access
        .roles
        .iter()
        .filter_map(|id| state.families.catalog.roles.iter().find(|r| r.id == *id))
        .filter(|r| namespace.is_none_or(|ns| r.namespace == ns))
        .map(|r| {
            let mut dto = json!({
                "id": r.id,
                "code": r.code,
                "name": r.name,
                "description": r.description,
                "namespace": r.namespace,
                "namespaceName": r.namespace_name,
                "status": r.status,
            });
            if let Some(at) = r.disable_time {
                dto["disableTime"] = at.into();
            }
            dto
        })
        .collect();
    Ok(Some(Value::Array(roles)))
}

fn group_list(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let app_id = &shared.config.app_id;
    let groups: Vec<Value> = access
        .groups
        .iter()
        .filter_map(|id| state.families.catalog.groups.iter().find(|g| g.id == *id))
        .map(|g| {
            let members: Vec<Value> = state
                .users
                .iter()
                .filter(|u| {
                    state
                        .families
                        .catalog
                        .access_of(&u.id)
                        .groups
                        .contains(&g.id)
                })
                .map(|u| {
                    let access = state.families.catalog.access_of(&u.id);
                    user_dto(u, access, app_id, Extras::default())
                })
                .collect();
            json!({
                "id": g.id,
                "code": g.code,
                "name": g.name,
                "description": g.description,
                "type": g.group_type,
                "metadataSource": [],
                "members": members,
            })
        })
        .collect();
    Ok(Some(Value::Array(groups)))
}

fn department_list(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let query = urlencoded::parse(&request.query);
    let paged = paging(&query)?;
    let with_custom_data = flag(&query, "withCustomData")?;
    let sort_by = one_of(&query, "sortBy", SORT_BY, Some("JoinDepartmentAt"))?;
    let descending = one_of(&query, "orderBy", ORDER_BY, Some("Desc"))? == Some("Desc");
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let catalog = &state.families.catalog;
    let mut rows: Vec<(&Membership, &Department)> = access
        .departments
        .iter()
        .filter_map(|m| {
            let d = catalog.departments.iter().find(|d| d.id == m.department)?;
            Some((m, d))
        })
        .collect();
    let key =
        |(m, d): &(&Membership, &Department), (n, e): &(&Membership, &Department)| -> Ordering {
            match sort_by {
                Some("DepartmentCreatedAt") => d.created_at.cmp(&e.created_at),
                Some("DepartmentName") => d.name.cmp(&e.name),
                Some("DepartmemtCode") => d.code.cmp(&e.code),
                _ => m.joined_at.cmp(&n.joined_at),
            }
        };
    rows.sort_by(|a, b| if descending { key(b, a) } else { key(a, b) });
    let items: Vec<Value> = rows
        .into_iter()
        .map(|(m, d)| {
            let path = catalog.department_path(&d.id);
            let mut dto = json!({
                "organizationCode": d.organization_code,
                "departmentId": d.id,
                "isRoot": d.parent.is_none(),
                "createdAt": iso8601(d.created_at),
                "name": d.name,
                "description": d.description,
                "isLeader": m.is_leader,
                "code": d.code,
                "isMainDepartment": m.is_main,
                "joinedAt": iso8601(m.joined_at),
                "isVirtualNode": false,
                "departmentIdPath": path.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
                "departmentCodePath": path.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(),
                "departmentNamePath": path.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            });
            if let Some(open) = &d.open_department_id {
                dto["openDepartmentId"] = open.clone().into();
            }
            if with_custom_data {
                dto["customData"] = Value::Object(d.custom_data.clone());
            }
            dto
        })
        .collect();
    Ok(Some(page_of(items, paged)))
}

fn authorized_resources(shared: &Shared, request: &Request) -> Outcome {
    let (state, index) = caller::signed_in(shared, request)?;
    let query = urlencoded::parse(&request.query);
    let namespace = text(&query, "namespace");
    let kind = one_of(&query, "resourceType", RESOURCE_TYPES, None)?;
    let user = caller::user_at(&state, index)?;
    let access = state.families.catalog.access_of(&user.id);
    let items: Vec<Value> = access
        .resources
        .iter()
        .filter(|g| namespace.is_none_or(|ns| g.namespace == ns))
        .filter(|g| kind.is_none_or(|k| g.resource_type.as_str() == k))
        .map(|g| {
            let mut dto = json!({
                "resourceCode": g.code,
                "resourceType": g.resource_type.as_str(),
                "apiIdentifier": g.api_identifier,
                "actions": g.actions,
                "effect": g.effect,
            });
            if let Some(description) = &g.description {
                dto["description"] = description.clone().into();
            }
            dto
        })
        .collect();
    let total = items.len();
    Ok(Some(json!({"totalCount": total, "list": items})))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vocab::ResourceType;

    #[test]
    fn the_resource_types_are_the_sdks() {
        let sdk: Vec<&str> = ResourceType::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(sdk, RESOURCE_TYPES);
    }

    #[test]
    fn a_user_agent_is_read_roughly() {
        let ua = parse_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0");
        assert_eq!(
            ua,
            json!({"device": "Desktop", "browser": "Chrome", "os": "Windows"})
        );
        let sdk = parse_user_agent("authing-rust/0.1.0");
        assert_eq!(sdk["browser"], "authing-rust");
    }
}
