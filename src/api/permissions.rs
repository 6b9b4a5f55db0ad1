//! Authorization: what the signed-in user may do with the app's data resources (string,
//! array and tree resources) — the question an app asks before it shows a button. Each
//! call in its callback form and its blocking twin; each sends the session's bearer.

use serde_json::{json, Value};

use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{AuthError, InputError};
use crate::response::AuthResponse;

/// `checkPermissionByStringResource`'s endpoint.
pub(crate) const CHECK_STRING_PATH: &str = "/api/v3/check-permission-string-resource";
/// `checkPermissionByArrayResource`'s endpoint.
pub(crate) const CHECK_ARRAY_PATH: &str = "/api/v3/check-permission-array-resource";
/// `checkPermissionByTreeResource`'s endpoint.
pub(crate) const CHECK_TREE_PATH: &str = "/api/v3/check-permission-tree-resource";
/// `getUserAuthorizedResourcesList`'s endpoint.
pub(crate) const RESOURCE_LIST_PATH: &str = "/api/v3/get-user-auth-resource-list";
/// `getUserAuthResourcePermissionList`'s endpoint.
pub(crate) const PERMISSION_LIST_PATH: &str = "/api/v3/get-user-auth-resource-permission-list";
/// `getUserAuthResourceStruct`'s endpoint.
pub(crate) const STRUCT_PATH: &str = "/api/v3/get-user-auth-resource-struct";

/// The longest resource path and action, in characters (the spec's `maxLength` of a
/// resource path).
///
/// ```
/// assert_eq!(authing::MAX_RESOURCE_LEN, 50);
/// ```
pub const MAX_RESOURCE_LEN: usize = 50;

/// The texts of `items`, owned.
fn owned(items: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    items.into_iter().map(|s| s.as_ref().to_owned()).collect()
}

/// An action: 1 to 50 characters, none of them whitespace or control characters.
fn action(value: &str) -> Result<&str, InputError> {
    if value.is_empty() {
        return Err(InputError::new("action", "is empty"));
    }
    if value.chars().count() > MAX_RESOURCE_LEN {
        return Err(InputError::new(
            "action",
            format!("is longer than {MAX_RESOURCE_LEN} characters"),
        ));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InputError::new(
            "action",
            "contains whitespace or control characters",
        ));
    }
    Ok(value)
}

/// One resource path: 1 to 50 characters, no control characters, not only whitespace;
/// with `slashes`, a path (`code/node/...`) of non-empty segments, else no `/` at all.
fn resource(field: &'static str, value: &str, slashes: bool) -> Result<(), InputError> {
    if value.trim().is_empty() {
        return Err(InputError::new(field, "contains an empty resource"));
    }
    if value.chars().count() > MAX_RESOURCE_LEN {
        return Err(InputError::new(
            field,
            format!("contains a resource longer than {MAX_RESOURCE_LEN} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(InputError::new(
            field,
            "contains a resource with control characters",
        ));
    }
    if slashes && value.split('/').any(str::is_empty) {
        return Err(InputError::new(
            field,
            "contains a tree path with an empty segment (a leading, trailing or double slash)",
        ));
    }
    if !slashes && value.contains('/') {
        return Err(InputError::new(
            field,
            "contains a slash; only tree resources have paths",
        ));
    }
    Ok(())
}

/// A non-empty list of resources, each as [`resource`] says.
fn resources(list: &[String], slashes: bool) -> Result<(), InputError> {
    if list.is_empty() {
        return Err(InputError::new("resources", "is empty"));
    }
    list.iter()
        .try_for_each(|r| resource("resources", r, slashes))
}

/// # Authorization (Java: `AuthenticationClient.checkPermissionByStringResource`, `getUserAuthResourceStruct`, …)
///
/// What the signed-in user may do with the app's data resources: check an action on
/// string, array or tree resources (the answer's [`can`](crate::PermissionCheck::can) is the
/// `if` before a button), and list what the user may act on. The server answers for the
/// app's namespace (permission space); the requests name none.
impl AuthClient {
    /// Checks whether the signed-in user may do `action` to each of the string resources
    /// `resources` (Java: `checkPermissionByStringResource`; `POST
    /// /api/v3/check-permission-string-resource`). The callback form.
    ///
    /// On success the answer is [`permission_check`](AuthResponse::permission_check), one
    /// line a resource; a resource the app does not have, or one the user was granted
    /// nothing on, is not enabled. Checked before anything is sent (10010): `resources` is
    /// not empty, each is 1 to 50 characters without `/` or control characters, `action`
    /// is 1 to 50 characters without whitespace. Without a signed-in user: 10015, nothing
    /// sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .check_permission_by_string_resource(["report"], "export", |response: AuthResponse| {
    ///         let allowed = response.permission_check().map(|c| c.can("report", "export"));
    ///         println!("export button: {}", allowed.unwrap_or(false));
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("checkPermissionByStringResource"))]
    pub fn check_permission_by_string_resource<C: AuthCallback>(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
        action: impl AsRef<str>,
        callback: C,
    ) -> RequestHandle {
        let (resources, action) = (owned(resources), action.as_ref().to_owned());
        self.spawn(callback, move |client, _| {
            client.check_permission_by_string_resource_blocking(&resources, &action)
        })
    }

    /// The blocking twin of
    /// [`check_permission_by_string_resource`](Self::check_permission_by_string_resource).
    ///
    /// ```no_run
    /// let client = authing::AuthClient::new();
    /// let check = client.check_permission_by_string_resource_blocking(["report"], "read").permission_check()?;
    /// if check.can("report", "read") { println!("show the report"); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn check_permission_by_string_resource_blocking(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
        action: impl AsRef<str>,
    ) -> AuthResponse {
        self.check_permission(CHECK_STRING_PATH, owned(resources), action.as_ref(), false)
    }

    /// Checks whether the signed-in user may do `action` to each of the array resources
    /// `resources` (Java: `checkPermissionByArrayResource`; `POST
    /// /api/v3/check-permission-array-resource`). The callback form; the answer and the
    /// checks are those of
    /// [`check_permission_by_string_resource`](Self::check_permission_by_string_resource).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .check_permission_by_array_resource(["orders"], "write", |response: AuthResponse| {
    ///         println!("{:?}", response.permission_check().map(|c| c.can("orders", "write")));
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("checkPermissionByArrayResource"))]
    pub fn check_permission_by_array_resource<C: AuthCallback>(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
        action: impl AsRef<str>,
        callback: C,
    ) -> RequestHandle {
        let (resources, action) = (owned(resources), action.as_ref().to_owned());
        self.spawn(callback, move |client, _| {
            client.check_permission_by_array_resource_blocking(&resources, &action)
        })
    }

    /// The blocking twin of
    /// [`check_permission_by_array_resource`](Self::check_permission_by_array_resource).
    ///
    /// ```no_run
    /// let client = authing::AuthClient::new();
    /// let check = client.check_permission_by_array_resource_blocking(["orders"], "read").permission_check()?;
    /// println!("{}", check.can("orders", "read"));
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn check_permission_by_array_resource_blocking(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
        action: impl AsRef<str>,
    ) -> AuthResponse {
        self.check_permission(CHECK_ARRAY_PATH, owned(resources), action.as_ref(), false)
    }

    /// Checks whether the signed-in user may do `action` to each of the tree resources
    /// `resources`, each the tree's code followed by a node's path (`docs/guides/intro`;
    /// the code alone is the whole tree) (Java: `checkPermissionByTreeResource`; `POST
    /// /api/v3/check-permission-tree-resource`). The callback form; the answer and the
    /// checks are those of
    /// [`check_permission_by_string_resource`](Self::check_permission_by_string_resource),
    /// but a resource is a path of non-empty segments.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .check_permission_by_tree_resource(["docs/guides/intro"], "edit", |response: AuthResponse| {
    ///         println!("{:?}", response.permission_check().map(|c| c.can("docs/guides/intro", "edit")));
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("checkPermissionByTreeResource"))]
    pub fn check_permission_by_tree_resource<C: AuthCallback>(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
        action: impl AsRef<str>,
        callback: C,
    ) -> RequestHandle {
        let (resources, action) = (owned(resources), action.as_ref().to_owned());
        self.spawn(callback, move |client, _| {
            client.check_permission_by_tree_resource_blocking(&resources, &action)
        })
    }

    /// The blocking twin of
    /// [`check_permission_by_tree_resource`](Self::check_permission_by_tree_resource).
    ///
    /// ```no_run
    /// let client = authing::AuthClient::new();
    /// let check = client.check_permission_by_tree_resource_blocking(["docs/guides"], "read").permission_check()?;
    /// println!("{}", check.can("docs/guides", "read"));
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn check_permission_by_tree_resource_blocking(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
        action: impl AsRef<str>,
    ) -> AuthResponse {
        self.check_permission(CHECK_TREE_PATH, owned(resources), action.as_ref(), true)
    }

    /// Lists every data resource the signed-in user may act on in the app, with the
    /// actions granted (Java: `getUserAuthorizedResourcesList`; `GET
    /// /api/v3/get-user-auth-resource-list`). The callback form.
    ///
    /// On success the answer is [`user_auth_resources`](AuthResponse::user_auth_resources):
    /// one entry a namespace, each with its resources. Without a signed-in user: 10015,
    /// nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_user_authorized_resources_list(|response: AuthResponse| {
    ///         for namespace in response.user_auth_resources().unwrap_or_default() {
    ///             for r in namespace.resource_list() { println!("{}", r.resource_code()); }
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getUserAuthorizedResourcesList"))]
    pub fn get_user_authorized_resources_list<C: AuthCallback>(
        &self,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.get_user_authorized_resources_list_blocking()
        })
    }

    /// The blocking twin of
    /// [`get_user_authorized_resources_list`](Self::get_user_authorized_resources_list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_user_authorized_resources_list_blocking();
    /// println!("{} namespaces", response.user_auth_resources()?.len());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn get_user_authorized_resources_list_blocking(&self) -> AuthResponse {
        self.get_as_user(RESOURCE_LIST_PATH, || Ok(Vec::new()), None)
    }

    /// Fetches the actions the signed-in user may do on each of `resources` (string or
    /// array resource codes, or tree paths down to a node: `docs/guides/intro`) (Java:
    /// `getUserAuthResourcePermissionList`; `POST
    /// /api/v3/get-user-auth-resource-permission-list`). The callback form.
    ///
    /// On success the answer is [`resource_permissions`](AuthResponse::resource_permissions).
    /// Checked first (10010): `resources` is not empty, each is 1 to 50 characters, a path
    /// of non-empty segments. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_user_auth_resource_permission_list(["report", "docs/guides"], |response: AuthResponse| {
    ///         if let Ok(p) = response.resource_permissions() { println!("{:?}", p.actions_on("report")); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getUserAuthResourcePermissionList"))]
    pub fn get_user_auth_resource_permission_list<C: AuthCallback>(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
        callback: C,
    ) -> RequestHandle {
        let resources = owned(resources);
        self.spawn(callback, move |client, _| {
            client.get_user_auth_resource_permission_list_blocking(&resources)
        })
    }

    /// The blocking twin of
    /// [`get_user_auth_resource_permission_list`](Self::get_user_auth_resource_permission_list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_user_auth_resource_permission_list_blocking(["report"]);
    /// for p in response.resource_permissions()?.list() { println!("{} {:?}", p.resource(), p.actions()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn get_user_auth_resource_permission_list_blocking(
        &self,
        resources: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> AuthResponse {
        let list = owned(resources);
        let input = || -> Result<Value, InputError> {
            self::resources(&list, true)?;
            Ok(json!({ "resources": list }))
        };
        self.checked_as_user(
            || input().map_err(AuthError::from),
            |token, body: &Value| self.post_json_as_user(token, PERMISSION_LIST_PATH, body),
        )
    }

    /// Fetches one data resource with what the signed-in user may do on it: a string
    /// resource's value, an array resource's values, or a tree resource's nodes, each with
    /// its actions (Java: `getUserAuthResourceStruct`; `POST
    /// /api/v3/get-user-auth-resource-struct`). The callback form.
    ///
    /// On success the answer is [`resource_struct`](AuthResponse::resource_struct). Checked
    /// first (10010): `resource` is a code of 1 to 50 characters without `/` or control
    /// characters. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_user_auth_resource_struct("docs", |response: AuthResponse| {
    ///         if let Ok(docs) = response.resource_struct() {
    ///             for node in docs.tree() { println!("{} {:?}", node.code(), node.actions()); }
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getUserAuthResourceStruct"))]
    pub fn get_user_auth_resource_struct<C: AuthCallback>(
        &self,
        resource: impl AsRef<str>,
        callback: C,
    ) -> RequestHandle {
        let resource = resource.as_ref().to_owned();
        self.spawn(callback, move |client, _| {
            client.get_user_auth_resource_struct_blocking(&resource)
        })
    }

    /// The blocking twin of
    /// [`get_user_auth_resource_struct`](Self::get_user_auth_resource_struct).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_user_auth_resource_struct_blocking("report");
    /// println!("{:?}", response.resource_struct()?.actions());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn get_user_auth_resource_struct_blocking(
        &self,
        resource: impl AsRef<str>,
    ) -> AuthResponse {
        let code = resource.as_ref();
        let input = || -> Result<Value, InputError> {
            self::resource("resource", code, false)?;
            Ok(json!({ "resource": code }))
        };
        self.checked_as_user(
            || input().map_err(AuthError::from),
            |token, body: &Value| self.post_json_as_user(token, STRUCT_PATH, body),
        )
    }

    /// The three checks: `resources` and `action` checked, then `{"action", "resources"}`
    /// posted to `path` as the signed-in user.
    fn check_permission(
        &self,
        path: &str,
        list: Vec<String>,
        action_text: &str,
        tree: bool,
    ) -> AuthResponse {
        let input = || -> Result<Value, InputError> {
            resources(&list, tree)?;
            let action = action(action_text)?;
            Ok(json!({ "action": action, "resources": list }))
        };
        self.checked_as_user(
            || input().map_err(AuthError::from),
            |token, body: &Value| self.post_json_as_user(token, path, body),
        )
    }
}
