//! What the signed-in user may access: login history, apps, tenants, roles, groups,
//! departments and authorized resources (`GET /api/v3/get-my-*`). Each call in its
//! callback form and its blocking twin; each sends the session's bearer.

use std::net::IpAddr;

use crate::client::{AuthClient, Query};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::InputError;
use crate::model::directory::{self, OptionalResourceType};
use crate::model::page::Paging;
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::validate;

/// `getLoginHistory`'s endpoint.
pub(crate) const LOGIN_HISTORY_PATH: &str = "/api/v3/get-my-login-history";
/// `getLoggedInApps`'s endpoint.
pub(crate) const LOGGED_IN_APPS_PATH: &str = "/api/v3/get-my-logged-in-apps";
/// `getAccessibleApps`'s endpoint.
pub(crate) const ACCESSIBLE_APPS_PATH: &str = "/api/v3/get-my-accessible-apps";
/// `getTenantList`'s endpoint.
pub(crate) const TENANT_LIST_PATH: &str = "/api/v3/get-my-tenant-list";
/// `getRoleList`'s endpoint.
pub(crate) const ROLE_LIST_PATH: &str = "/api/v3/get-my-role-list";
/// `getGroupList`'s endpoint.
pub(crate) const GROUP_LIST_PATH: &str = "/api/v3/get-my-group-list";
/// `getDepartmentList`'s endpoint.
pub(crate) const DEPARTMENT_LIST_PATH: &str = "/api/v3/get-my-department-list";
/// `getAuthorizedResources`'s endpoint.
pub(crate) const AUTHORIZED_RESOURCES_PATH: &str = "/api/v3/get-my-authorized-resources";

/// The largest page the server gives (`limit` of `get_login_history` and
/// `get_department_list`), as the spec says.
///
/// ```
/// assert_eq!(authing::MAX_PAGE_LIMIT, 50);
/// ```
pub const MAX_PAGE_LIMIT: u32 = 50;
/// The `sortBy` values of `get-my-department-list`, spelled as the server spells them
/// (`DepartmemtCode` is the spec's spelling).
const DEPARTMENT_SORT_BY: &[&str] = &[
    "DepartmentCreatedAt",
    "JoinDepartmentAt",
    "DepartmentName",
    "DepartmemtCode",
];
/// The `orderBy` values of `get-my-department-list`.
const ORDER_BY: &[&str] = &["Asc", "Desc"];

/// # What the user may access (Java: `AuthClient.getLoginHistory`, `getRoleList`, `getGroupList`, `getDepartmentList`, …)
///
/// The signed-in user's sign-ins, apps, tenants, roles, groups, departments and resources,
/// one [`Page`](crate::Page) at a time where the server pages.
impl AuthClient {
    /// Fetches the signed-in user's sign-ins, newest first, one page at a time (Java:
    /// `getLoginHistory`; `GET /api/v3/get-my-login-history`). The callback form.
    ///
    /// Each filter is left out of the query when it is `None` (and a text filter when it is
    /// `""`, as Android's `Util.isNull` has it): `app_id` (one app's
    /// sign-ins), `client_ip` (an IPv4 or IPv6 address), `success` (`Some(true)` for the
    /// successful ones, `Some(false)` for the failed ones, `None` for both), `start` and
    /// `end` (milliseconds since the Unix epoch; as in Java, `0` also means no bound).
    /// `page` counts from 1 and `limit` is 1 to [`MAX_PAGE_LIMIT`] (50); both are always
    /// sent. On success the answer is [`login_history`](AuthResponse::login_history): the
    /// page, the total, and whether more pages exist.
    ///
    /// Checked before anything is sent (10010): `page` is not 0, `limit` is 1 to 50,
    /// `app_id` is visible ASCII, `client_ip` is an IP address, `start` is not after `end`.
    /// Then the session, as for [`get_profile`](Self::get_profile): without a signed-in
    /// user the answer is 10015 and nothing is sent. Android always sends `success`
    /// (`false` unless asked otherwise, so it lists only failed sign-ins by default) and
    /// concatenates the query unescaped; this call does neither.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_login_history(None, None, None, None, None, 1, 10, |response: AuthResponse| {
    ///         match response.login_history() {
    ///             Ok(history) => {
    ///                 for record in history.list() {
    ///                     println!("{} {} {}", record.login_at(), record.client_ip(), record.success());
    ///                 }
    ///                 if history.has_more() { println!("..."); }
    ///             }
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    // The arguments are Java's, in Java's order, so that a port reads line for line.
    #[allow(clippy::too_many_arguments)]
    #[doc(alias("getLoginHistory"))]
    pub fn get_login_history<C: AuthCallback>(
        &self,
        app_id: impl OptionalText,
        client_ip: impl OptionalText,
        success: impl Into<Option<bool>>,
        start: impl Into<Option<u64>>,
        end: impl Into<Option<u64>>,
        page: u32,
        limit: u32,
        callback: C,
    ) -> RequestHandle {
        let (app_id, client_ip) = (text::into_text(app_id), text::into_text(client_ip));
        let (success, start, end) = (success.into(), start.into(), end.into());
        self.spawn(callback, move |client, _| {
            client.get_login_history_blocking(
                app_id.as_deref(),
                client_ip.as_deref(),
                success,
                start,
                end,
                page,
                limit,
            )
        })
    }

    /// The blocking twin of [`get_login_history`](Self::get_login_history).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new()
    ///     .get_login_history_blocking(None, None, Some(false), None, None, 1, 50);
    /// for failed in response.login_history()?.list() {
    ///     println!("failed sign-in at {} from {}", failed.login_at(), failed.client_ip());
    /// }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn get_login_history_blocking(
        &self,
        app_id: impl OptionalText,
        client_ip: impl OptionalText,
        success: impl Into<Option<bool>>,
        start: impl Into<Option<u64>>,
        end: impl Into<Option<u64>>,
        page: u32,
        limit: u32,
    ) -> AuthResponse {
        // "" is no filter, as Android's `UserClient.getLoginHistory` (`Util.isNull`) has it.
        let given = |value: Option<String>| value.filter(|v| !v.is_empty());
        let (app_id, client_ip) = (
            given(text::into_text(app_id)),
            given(text::into_text(client_ip)),
        );
        let (success, start, end) = (success.into(), start.into(), end.into());
        let query = || {
            let paging = paging(page, limit)?;
            let mut query = Query::new();
            if let Some(app_id) = app_id.as_deref() {
                query.push(("appId", validate::code("app_id", app_id)?.to_string()));
            }
            if let Some(ip) = client_ip.as_deref() {
                let ip = validate::text("client_ip", Some(ip), validate::MAX_CODE_LEN)?;
                if ip.parse::<IpAddr>().is_err() {
                    return Err(InputError::new(
                        "client_ip",
                        "is not an ipv4 or ipv6 address",
                    ));
                }
                query.push(("clientIp", ip.to_string()));
            }
            if let Some(success) = success {
                query.push(("success", success.to_string()));
            }
            let (start, end) = (start.filter(|&t| t != 0), end.filter(|&t| t != 0));
            if let (Some(start), Some(end)) = (start, end) {
                if start > end {
                    return Err(InputError::new("start", "is after end"));
                }
            }
            if let Some(start) = start {
                query.push(("start", start.to_string()));
            }
            if let Some(end) = end {
                query.push(("end", end.to_string()));
            }
            query.extend(paging_pairs(paging));
            Ok(query)
        };
        self.get_as_user(LOGIN_HISTORY_PATH, query, Some(Paging { page, limit }))
    }

    /// Fetches the apps the signed-in user has signed in to (Java: `getLoggedInApps`;
    /// `GET /api/v3/get-my-logged-in-apps`). The callback form.
    ///
    /// On success the answer is [`app_list`](AuthResponse::app_list); `active` says
    /// whether the user is signed in to the app now. Without a signed-in user: 10015,
    /// nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_logged_in_apps(|response: AuthResponse| {
    ///         for app in response.app_list().unwrap_or_default() {
    ///             println!("{} active: {}", app.app_name(), app.active());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getLoggedInApps"))]
    pub fn get_logged_in_apps<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.get_logged_in_apps_blocking()
        })
    }

    /// The blocking twin of [`get_logged_in_apps`](Self::get_logged_in_apps).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_logged_in_apps_blocking();
    /// println!("{} apps", response.app_list().map(|a| a.len()).unwrap_or(0));
    /// ```
    pub fn get_logged_in_apps_blocking(&self) -> AuthResponse {
        self.get_as_user(LOGGED_IN_APPS_PATH, || Ok(Query::new()), None)
    }

    /// Fetches the apps the signed-in user may access (Java: `getAccessibleApps`;
    /// `GET /api/v3/get-my-accessible-apps`). The callback form.
    ///
    /// On success the answer is [`app_list`](AuthResponse::app_list). Without a signed-in
    /// user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_accessible_apps(|response: AuthResponse| {
    ///         for app in response.app_list().unwrap_or_default() {
    ///             println!("{} {}", app.app_name(), app.app_login_url());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getAccessibleApps", "listApplications"))]
    pub fn get_accessible_apps<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.get_accessible_apps_blocking()
        })
    }

    /// The blocking twin of [`get_accessible_apps`](Self::get_accessible_apps).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_accessible_apps_blocking();
    /// println!("{} apps", response.app_list().map(|a| a.len()).unwrap_or(0));
    /// ```
    pub fn get_accessible_apps_blocking(&self) -> AuthResponse {
        self.get_as_user(ACCESSIBLE_APPS_PATH, || Ok(Query::new()), None)
    }

    /// Fetches the tenants the signed-in user belongs to (Java: `getTenantList`;
    /// `GET /api/v3/get-my-tenant-list`). The callback form.
    ///
    /// On success the answer is [`tenant_list`](AuthResponse::tenant_list). Without a
    /// signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_tenant_list(|response: AuthResponse| {
    ///         for tenant in response.tenant_list().unwrap_or_default() {
    ///             println!("{}", tenant.tenant_name());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getTenantList"))]
    pub fn get_tenant_list<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| client.get_tenant_list_blocking())
    }

    /// The blocking twin of [`get_tenant_list`](Self::get_tenant_list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_tenant_list_blocking();
    /// println!("{} tenants", response.tenant_list().map(|t| t.len()).unwrap_or(0));
    /// ```
    pub fn get_tenant_list_blocking(&self) -> AuthResponse {
        self.get_as_user(TENANT_LIST_PATH, || Ok(Query::new()), None)
    }

    /// Fetches the signed-in user's roles (Java: `getRoleList`;
    /// `GET /api/v3/get-my-role-list?namespace=..`). The callback form.
    ///
    /// `namespace` is the code of a permission space, to list only its roles, or `None`
    /// for the roles of every space (the query then has no `namespace`; Android sends
    /// `namespace=null`); `""` counts as `None`, as Guard's `listRoles`
    /// (`TextUtils.isEmpty`) has it. On success the answer is
    /// [`role_list`](AuthResponse::role_list). Checked first (10010): a namespace given is
    /// not only whitespace, at most 256 characters, no control characters. Without a
    /// signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_role_list("default", |response: AuthResponse| {
    ///         for role in response.role_list().unwrap_or_default() {
    ///             println!("{} ({})", role.name(), role.code());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getRoleList", "listRoles"))]
    pub fn get_role_list<C: AuthCallback>(
        &self,
        namespace: impl OptionalText,
        callback: C,
    ) -> RequestHandle {
        let namespace = text::into_text(namespace);
        self.spawn(callback, move |client, _| {
            client.get_role_list_blocking(namespace.as_deref())
        })
    }

    /// The blocking twin of [`get_role_list`](Self::get_role_list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_role_list_blocking(None);
    /// let roles = response.role_list()?;
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn get_role_list_blocking(&self, namespace: impl OptionalText) -> AuthResponse {
        // "" is every space, as Guard's `listRoles` (`TextUtils.isEmpty`) has it.
        let namespace = text::into_text(namespace).filter(|n| !n.is_empty());
        let query = || namespace_pair(namespace.as_deref()).map(|pair| pair.into_iter().collect());
        self.get_as_user(ROLE_LIST_PATH, query, None)
    }

    /// Fetches the signed-in user's groups (Java: `getGroupList`;
    /// `GET /api/v3/get-my-group-list`). The callback form.
    ///
    /// On success the answer is [`group_list`](AuthResponse::group_list), each group with
    /// its members. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_group_list(|response: AuthResponse| {
    ///         for group in response.group_list().unwrap_or_default() {
    ///             println!("{} ({} members)", group.name(), group.members().len());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getGroupList"))]
    pub fn get_group_list<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| client.get_group_list_blocking())
    }

    /// The blocking twin of [`get_group_list`](Self::get_group_list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_group_list_blocking();
    /// println!("{} groups", response.group_list().map(|g| g.len()).unwrap_or(0));
    /// ```
    pub fn get_group_list_blocking(&self) -> AuthResponse {
        self.get_as_user(GROUP_LIST_PATH, || Ok(Query::new()), None)
    }

    /// Fetches the signed-in user's departments, one page at a time (Java:
    /// `getDepartmentList`; `GET /api/v3/get-my-department-list`). The callback form.
    ///
    /// `page` counts from 1 and `limit` is 1 to [`MAX_PAGE_LIMIT`] (50);
    /// `with_custom_data` asks for each department's custom data. `sort_by` is one of
    /// `DepartmentCreatedAt`, `JoinDepartmentAt` (the server's default), `DepartmentName`,
    /// `DepartmemtCode` (sic: the server's spelling), and `order_by` is `Asc` or `Desc`
    /// (the default); `None` or `""` (as Android's `Util.isNull` has it) leaves either
    /// out. On success the answer is
    /// [`department_list`](AuthResponse::department_list): the page, the total, and whether
    /// more pages exist.
    ///
    /// Checked first (10010): `page` is not 0, `limit` is 1 to 50, `sort_by` and
    /// `order_by` are among the values above, spelled exactly. Without a signed-in user:
    /// 10015, nothing sent. Android sends the value of `sortBy` as `orderBy`; this call
    /// sends each where it belongs.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_department_list(1, 10, false, "DepartmentName", "Asc", |response: AuthResponse| {
    ///         if let Ok(page) = response.department_list() {
    ///             for department in page.list() { println!("{}", department.name()); }
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getDepartmentList"))]
    pub fn get_department_list<C: AuthCallback>(
        &self,
        page: u32,
        limit: u32,
        with_custom_data: bool,
        sort_by: impl OptionalText,
        order_by: impl OptionalText,
        callback: C,
    ) -> RequestHandle {
        let (sort_by, order_by) = (text::into_text(sort_by), text::into_text(order_by));
        self.spawn(callback, move |client, _| {
            client.get_department_list_blocking(
                page,
                limit,
                with_custom_data,
                sort_by.as_deref(),
                order_by.as_deref(),
            )
        })
    }

    /// The blocking twin of [`get_department_list`](Self::get_department_list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_department_list_blocking(1, 50, true, None, None);
    /// for department in response.department_list()?.list() {
    ///     println!("{} {:?}", department.name(), department.custom_data());
    /// }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn get_department_list_blocking(
        &self,
        page: u32,
        limit: u32,
        with_custom_data: bool,
        sort_by: impl OptionalText,
        order_by: impl OptionalText,
    ) -> AuthResponse {
        // "" is the server's default order, as Android's `UserClient.getDepartmentList`
        // (`Util.isNull`) has it.
        let given = |value: Option<String>| value.filter(|v| !v.is_empty());
        let (sort_by, order_by) = (
            given(text::into_text(sort_by)),
            given(text::into_text(order_by)),
        );
        let query = || {
            let mut query: Query = paging_pairs(paging(page, limit)?).into();
            query.push(("withCustomData", with_custom_data.to_string()));
            if let Some(sort_by) = sort_by.as_deref() {
                query.push(("sortBy", one_of("sort_by", sort_by, DEPARTMENT_SORT_BY)?));
            }
            if let Some(order_by) = order_by.as_deref() {
                query.push(("orderBy", one_of("order_by", order_by, ORDER_BY)?));
            }
            Ok(query)
        };
        self.get_as_user(DEPARTMENT_LIST_PATH, query, Some(Paging { page, limit }))
    }

    /// Fetches the resources the signed-in user may act on (Java:
    /// `getAuthorizedResources`; `GET /api/v3/get-my-authorized-resources`). The callback
    /// form.
    ///
    /// `namespace` narrows the list to one permission space and `resource_type` to one
    /// kind ([`OptionalResourceType`]: a [`ResourceType`](crate::ResourceType), its name as
    /// text, or `None`); either is left out of the query when `None` (Android sends
    /// `namespace=null` and fails on a `null` type). On success the answer is
    /// [`authorized_resources`](AuthResponse::authorized_resources). Checked first (10010):
    /// a namespace as for [`get_role_list`](Self::get_role_list), a type given as text
    /// spelled exactly as one of `DATA`, `API`, `MENU`, `BUTTON`, `UI`. Without a
    /// signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, ResourceType};
    /// AuthClient::new()
    ///     .get_authorized_resources("default", ResourceType::MENU, |response: AuthResponse| {
    ///         if let Ok(resources) = response.authorized_resources() {
    ///             for r in resources.list() { println!("{} {:?}", r.resource_code(), r.actions()); }
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getAuthorizedResources", "listAuthorizedResources"))]
    pub fn get_authorized_resources<C: AuthCallback>(
        &self,
        namespace: impl OptionalText,
        resource_type: impl OptionalResourceType,
        callback: C,
    ) -> RequestHandle {
        let namespace = text::into_text(namespace);
        let resource_type = directory::Checked::from(resource_type);
        self.spawn(callback, move |client, _| {
            client.get_authorized_resources_blocking(namespace.as_deref(), resource_type)
        })
    }

    /// The blocking twin of [`get_authorized_resources`](Self::get_authorized_resources).
    ///
    /// ```no_run
    /// use authing::ResourceType;
    /// let response = authing::AuthClient::new().get_authorized_resources_blocking(None, ResourceType::API);
    /// for api in response.authorized_resources()?.list() { println!("{}", api.api_identifier()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn get_authorized_resources_blocking(
        &self,
        namespace: impl OptionalText,
        resource_type: impl OptionalResourceType,
    ) -> AuthResponse {
        let namespace = text::into_text(namespace);
        let resource_type = directory::resource_type(resource_type);
        let query = || {
            let mut query: Query = namespace_pair(namespace.as_deref())?.into_iter().collect();
            if let Some(kind) = resource_type? {
                query.push(("resourceType", kind.as_str().to_string()));
            }
            Ok(query)
        };
        self.get_as_user(AUTHORIZED_RESOURCES_PATH, query, None)
    }
}

/// `page` from 1 and `limit` from 1 to 50.
fn paging(page: u32, limit: u32) -> Result<Paging, InputError> {
    if page == 0 {
        return Err(InputError::new("page", "is 0; pages count from 1"));
    }
    if limit == 0 || limit > MAX_PAGE_LIMIT {
        return Err(InputError::new(
            "limit",
            format!("must be 1 to {MAX_PAGE_LIMIT}"),
        ));
    }
    Ok(Paging { page, limit })
}

/// The `page` and `limit` pairs of a query.
fn paging_pairs(paging: Paging) -> [(&'static str, String); 2] {
    [
        ("page", paging.page.to_string()),
        ("limit", paging.limit.to_string()),
    ]
}

/// The `namespace` pair of a query, when a namespace is given.
fn namespace_pair(namespace: Option<&str>) -> Result<Option<(&'static str, String)>, InputError> {
    namespace
        .map(|ns| {
            validate::text("namespace", Some(ns), validate::MAX_CODE_LEN)
                .map(|ns| ("namespace", ns.into()))
        })
        .transpose()
}

/// `value` when it is one of `allowed`, spelled exactly.
fn one_of(field: &'static str, value: &str, allowed: &[&str]) -> Result<String, InputError> {
    if allowed.contains(&value) {
        return Ok(value.to_string());
    }
    Err(InputError::new(
        field,
        format!("is not one of {}", allowed.join(", ")),
    ))
}
