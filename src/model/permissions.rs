//! Authorization's answers: [`PermissionCheck`] (may the user do this to these resources),
//! [`UserAuthResources`] (every data resource the user may act on), [`ResourcePermissions`]
//! (the actions on each of some resources) and [`ResourceStruct`] (one resource, with the
//! actions on each of its nodes), and [`DataResourceType`].

use super::wire_enum::wire_enum;

use serde::{Deserialize, Deserializer};

use crate::error::AuthError;
use crate::response::AuthResponse;

/// A text, read as empty when absent or `null`.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A list, read as empty when absent or `null`.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

wire_enum! {
    /// The kind of a data resource (the spec's `resourceType`): a string resource (one
    /// value), an array resource (several values) or a tree resource (nodes, addressed by
    /// paths such as `docs/guides/intro`).
    ///
    /// ```
    /// use authing::DataResourceType;
    /// assert_eq!(DataResourceType::TREE.as_str(), "TREE");
    /// assert_eq!(format!("{:?}", DataResourceType::STRING), "STRING");
    /// ```
    DataResourceType {
        /// A string resource: one value.
        STRING,
        /// An array resource: several values.
        ARRAY,
        /// A tree resource: nodes, addressed by paths.
        TREE,
    }
}

/// One line of a permission check (Java: `CheckResourcePermissionRespDto`): whether the
/// user may do `action` to `resource`.
///
/// ```no_run
/// # let response = authing::AuthClient::new().check_permission_by_string_resource_blocking(["report"], "read");
/// for result in response.permission_check()?.results() {
///     println!("{} {} {}", result.resource(), result.action(), result.enabled());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionResult {
    #[serde(default, deserialize_with = "text")]
    namespace_code: String,
    #[serde(default, deserialize_with = "text")]
    action: String,
    resource: String,
    enabled: bool,
}

impl PermissionResult {
    /// The namespace (permission space) the answer is for (`namespaceCode`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::PermissionResult) { println!("{}", r.namespace_code()); }
    /// ```
    pub fn namespace_code(&self) -> &str {
        &self.namespace_code
    }

    /// The action asked about (`action`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::PermissionResult) { println!("{}", r.action()); }
    /// ```
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The resource asked about (`resource`), as it was sent.
    ///
    /// ```no_run
    /// # fn f(r: &authing::PermissionResult) { println!("{}", r.resource()); }
    /// ```
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// Whether the user may do the action to the resource (`enabled`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::PermissionResult) { if r.enabled() { println!("allowed"); } }
    /// ```
    pub fn enabled(&self) -> bool {
        self.enabled
    }
}

/// The typed answer of the `check_permission_by_*_resource` calls (Java:
/// `CheckResourcePermissionsRespDto`'s data): one [`PermissionResult`] a resource asked
/// about, and [`can`](Self::can) to ask it.
///
/// ```no_run
/// use authing::AuthClient;
/// let response = AuthClient::new().check_permission_by_string_resource_blocking(["order:42"], "read");
/// let allowed = response.permission_check()?;
/// if allowed.can("order:42", "read") { println!("show the button"); }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionCheck {
    #[serde(deserialize_with = "list")]
    check_result_list: Vec<PermissionResult>,
}

impl PermissionCheck {
    /// Whether the answer says the user may do `action` to `resource` (spelled as it was
    /// sent); `false` for a resource or action the answer does not mention.
    ///
    /// ```no_run
    /// # fn f(check: &authing::PermissionCheck) {
    /// let show_edit = check.can("docs/guides/intro", "edit");
    /// # }
    /// ```
    pub fn can(&self, resource: &str, action: &str) -> bool {
        self.check_result_list
            .iter()
            .any(|r| r.enabled && r.resource == resource && r.action == action)
    }

    /// Every line of the answer, in the order the resources were sent.
    ///
    /// ```no_run
    /// # fn f(check: &authing::PermissionCheck) {
    /// println!("{} resources checked", check.results().len());
    /// # }
    /// ```
    pub fn results(&self) -> &[PermissionResult] {
        &self.check_result_list
    }

    /// The resources the user may act on, as they were sent.
    ///
    /// ```no_run
    /// # fn f(check: &authing::PermissionCheck) {
    /// for resource in check.allowed() { println!("{resource}"); }
    /// # }
    /// ```
    pub fn allowed(&self) -> impl Iterator<Item = &str> {
        self.check_result_list
            .iter()
            .filter(|r| r.enabled)
            .map(|r| r.resource.as_str())
    }
}

/// A node of a tree resource the user may act on (Java: `TreeAuthBo`).
///
/// ```no_run
/// # fn f(node: &authing::TreeNodeAuth) {
/// println!("{} ({}): {}", node.node_path(), node.node_name(), node.node_actions().join(", "));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeNodeAuth {
    node_path: String,
    #[serde(default, deserialize_with = "text")]
    node_name: String,
    #[serde(default, deserialize_with = "list")]
    node_actions: Vec<String>,
    #[serde(default, deserialize_with = "text")]
    node_value: String,
}

impl TreeNodeAuth {
    /// The node's path in its tree (`nodePath`), such as `/guides/intro`.
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNodeAuth) { println!("{}", n.node_path()); }
    /// ```
    pub fn node_path(&self) -> &str {
        &self.node_path
    }

    /// The node's name (`nodeName`).
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNodeAuth) { println!("{}", n.node_name()); }
    /// ```
    pub fn node_name(&self) -> &str {
        &self.node_name
    }

    /// The actions the user may do on the node (`nodeActions`).
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNodeAuth) { println!("{:?}", n.node_actions()); }
    /// ```
    pub fn node_actions(&self) -> &[String] {
        &self.node_actions
    }

    /// The node's value (`nodeValue`); empty when it has none.
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNodeAuth) { println!("{}", n.node_value()); }
    /// ```
    pub fn node_value(&self) -> &str {
        &self.node_value
    }
}

/// The value(s) and actions of a string or array resource (Java: `StrAuthorize`,
/// `ArrayAuthorize`, `StrResourceAuthAction`, `ArrResourceAuthAction`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
struct Authorize {
    #[serde(default, deserialize_with = "text")]
    value: String,
    #[serde(default, deserialize_with = "list")]
    values: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    actions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TreeAuthorize {
    #[serde(default, deserialize_with = "list")]
    auth_list: Vec<TreeNodeAuth>,
}

/// A data resource the user may act on (Java: `OpenResource`): a string resource's value,
/// an array resource's values, or the nodes of a tree resource, with the actions granted.
///
/// ```no_run
/// use authing::DataResourceType;
/// # fn f(r: &authing::AuthResource) {
/// match r.resource_type() {
///     Some(DataResourceType::TREE) => for node in r.tree_nodes() { println!("{}", node.node_path()); },
///     _ => println!("{} {:?}", r.resource_code(), r.actions()),
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthResource {
    resource_code: String,
    #[serde(default, deserialize_with = "text")]
    resource_type: String,
    #[serde(default)]
    str_authorize: Option<Authorize>,
    #[serde(default)]
    arr_authorize: Option<Authorize>,
    #[serde(default)]
    tree_authorize: Option<TreeAuthorize>,
}

impl AuthResource {
    /// The resource's code (`resourceCode`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthResource) { println!("{}", r.resource_code()); }
    /// ```
    pub fn resource_code(&self) -> &str {
        &self.resource_code
    }

    /// The resource's kind (`resourceType`); `None` for a kind this crate does not know.
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthResource) { println!("{:?}", r.resource_type()); }
    /// ```
    pub fn resource_type(&self) -> Option<DataResourceType> {
        DataResourceType::from_wire(&self.resource_type)
    }

    /// The value of a string resource (`strAuthorize.value`); `None` for another kind.
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthResource) { println!("{:?}", r.value()); }
    /// ```
    pub fn value(&self) -> Option<&str> {
        self.str_authorize.as_ref().map(|a| a.value.as_str())
    }

    /// The values of an array resource (`arrAuthorize.values`); empty for another kind.
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthResource) { println!("{:?}", r.values()); }
    /// ```
    pub fn values(&self) -> &[String] {
        self.arr_authorize.as_ref().map_or(&[], |a| &a.values)
    }

    /// The actions granted on a string or array resource (`strAuthorize.actions`,
    /// `arrAuthorize.actions`); empty for a tree resource, whose actions are its nodes'.
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthResource) { println!("{:?}", r.actions()); }
    /// ```
    pub fn actions(&self) -> &[String] {
        self.str_authorize
            .as_ref()
            .or(self.arr_authorize.as_ref())
            .map_or(&[], |a| &a.actions)
    }

    /// The nodes of a tree resource the user may act on (`treeAuthorize.authList`);
    /// empty for another kind.
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthResource) { println!("{} nodes", r.tree_nodes().len()); }
    /// ```
    pub fn tree_nodes(&self) -> &[TreeNodeAuth] {
        self.tree_authorize.as_ref().map_or(&[], |t| &t.auth_list)
    }
}

/// What the user may act on in one namespace (Java: `UserAuthResourceListDto`).
///
/// ```no_run
/// # fn f(ns: &authing::UserAuthResources) {
/// for resource in ns.resource_list() { println!("{}: {}", ns.namespace_code(), resource.resource_code()); }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAuthResources {
    #[serde(default, deserialize_with = "text")]
    user_id: String,
    #[serde(default, deserialize_with = "text")]
    namespace_code: String,
    #[serde(default, deserialize_with = "list")]
    resource_list: Vec<AuthResource>,
}

impl UserAuthResources {
    /// The user's id (`userId`).
    ///
    /// ```no_run
    /// # fn f(ns: &authing::UserAuthResources) { println!("{}", ns.user_id()); }
    /// ```
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The namespace (`namespaceCode`).
    ///
    /// ```no_run
    /// # fn f(ns: &authing::UserAuthResources) { println!("{}", ns.namespace_code()); }
    /// ```
    pub fn namespace_code(&self) -> &str {
        &self.namespace_code
    }

    /// The resources the user may act on there (`resourceList`).
    ///
    /// ```no_run
    /// # fn f(ns: &authing::UserAuthResources) { println!("{}", ns.resource_list().len()); }
    /// ```
    pub fn resource_list(&self) -> &[AuthResource] {
        &self.resource_list
    }
}

/// The actions on one resource (Java: `GetUserAuthResourcePermissionList`).
///
/// ```no_run
/// # fn f(p: &authing::ResourcePermission) { println!("{}: {:?}", p.resource(), p.actions()); }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePermission {
    #[serde(default, deserialize_with = "text")]
    namespace_code: String,
    #[serde(default, deserialize_with = "list")]
    actions: Vec<String>,
    resource: String,
}

impl ResourcePermission {
    /// The namespace (`namespaceCode`).
    ///
    /// ```no_run
    /// # fn f(p: &authing::ResourcePermission) { println!("{}", p.namespace_code()); }
    /// ```
    pub fn namespace_code(&self) -> &str {
        &self.namespace_code
    }

    /// The actions the user may do (`actions`).
    ///
    /// ```no_run
    /// # fn f(p: &authing::ResourcePermission) { println!("{:?}", p.actions()); }
    /// ```
    pub fn actions(&self) -> &[String] {
        &self.actions
    }

    /// The resource, as it was sent (`resource`).
    ///
    /// ```no_run
    /// # fn f(p: &authing::ResourcePermission) { println!("{}", p.resource()); }
    /// ```
    pub fn resource(&self) -> &str {
        &self.resource
    }
}

/// The typed answer of `get_user_auth_resource_permission_list`: the actions on each
/// resource asked about.
///
/// ```no_run
/// let response = authing::AuthClient::new()
///     .get_user_auth_resource_permission_list_blocking(["report", "docs/guides"]);
/// let permissions = response.resource_permissions()?;
/// println!("{:?}", permissions.actions_on("report"));
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePermissions {
    #[serde(deserialize_with = "list")]
    permission_list: Vec<ResourcePermission>,
}

impl ResourcePermissions {
    /// One line a resource (`permissionList`).
    ///
    /// ```no_run
    /// # fn f(p: &authing::ResourcePermissions) { println!("{}", p.list().len()); }
    /// ```
    pub fn list(&self) -> &[ResourcePermission] {
        &self.permission_list
    }

    /// The actions on `resource` (spelled as it was sent); empty when the answer does
    /// not mention it.
    ///
    /// ```no_run
    /// # fn f(p: &authing::ResourcePermissions) {
    /// let can_export = p.actions_on("report").iter().any(|a| a == "export");
    /// # }
    /// ```
    pub fn actions_on(&self, resource: &str) -> &[String] {
        self.permission_list
            .iter()
            .find(|p| p.resource == resource)
            .map_or(&[], |p| &p.actions)
    }
}

/// A node of a tree resource with the actions the user may do on it (Java:
/// `TreeStructs`), and its children.
///
/// ```no_run
/// fn print(node: &authing::TreeNode, depth: usize) {
///     println!("{}{} {:?}", "  ".repeat(depth), node.code(), node.actions());
///     for child in node.children() { print(child, depth + 1); }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    code: String,
    #[serde(default, deserialize_with = "text")]
    name: String,
    #[serde(default, deserialize_with = "text")]
    value: String,
    #[serde(default, deserialize_with = "list")]
    actions: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    children: Vec<TreeNode>,
}

impl TreeNode {
    /// The node's code, unique among its siblings (`code`).
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNode) { println!("{}", n.code()); }
    /// ```
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The node's name (`name`).
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNode) { println!("{}", n.name()); }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The node's value (`value`); empty when it has none.
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNode) { println!("{}", n.value()); }
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The actions the user may do on the node (`actions`).
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNode) { println!("{:?}", n.actions()); }
    /// ```
    pub fn actions(&self) -> &[String] {
        &self.actions
    }

    /// The node's children (`children`).
    ///
    /// ```no_run
    /// # fn f(n: &authing::TreeNode) { println!("{}", n.children().len()); }
    /// ```
    pub fn children(&self) -> &[TreeNode] {
        &self.children
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TreeStruct {
    #[serde(default, deserialize_with = "list")]
    node_auth_action_list: Vec<TreeNode>,
}

/// The typed answer of `get_user_auth_resource_struct` (Java:
/// `GetUserAuthResourceStructDataDto`): one resource with what the user may do on it, its
/// value(s) or, for a tree, every node with its actions.
///
/// ```no_run
/// let response = authing::AuthClient::new().get_user_auth_resource_struct_blocking("docs");
/// let docs = response.resource_struct()?;
/// for node in docs.tree() { println!("{} {:?}", node.code(), node.actions()); }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceStruct {
    #[serde(default, deserialize_with = "text")]
    namespace_code: String,
    resource_code: String,
    #[serde(default, deserialize_with = "text")]
    resource_type: String,
    #[serde(default)]
    str_resource_auth_action: Option<Authorize>,
    #[serde(default)]
    arr_resource_auth_action: Option<Authorize>,
    #[serde(default)]
    tree_resource_auth_action: Option<TreeStruct>,
}

impl ResourceStruct {
    /// The namespace (`namespaceCode`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::ResourceStruct) { println!("{}", r.namespace_code()); }
    /// ```
    pub fn namespace_code(&self) -> &str {
        &self.namespace_code
    }

    /// The resource's code (`resourceCode`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::ResourceStruct) { println!("{}", r.resource_code()); }
    /// ```
    pub fn resource_code(&self) -> &str {
        &self.resource_code
    }

    /// The resource's kind (`resourceType`); `None` for a kind this crate does not know.
    ///
    /// ```no_run
    /// # fn f(r: &authing::ResourceStruct) { println!("{:?}", r.resource_type()); }
    /// ```
    pub fn resource_type(&self) -> Option<DataResourceType> {
        DataResourceType::from_wire(&self.resource_type)
    }

    /// The value of a string resource (`strResourceAuthAction.value`); `None` for
    /// another kind.
    ///
    /// ```no_run
    /// # fn f(r: &authing::ResourceStruct) { println!("{:?}", r.value()); }
    /// ```
    pub fn value(&self) -> Option<&str> {
        self.str_resource_auth_action
            .as_ref()
            .map(|a| a.value.as_str())
    }

    /// The values of an array resource (`arrResourceAuthAction.values`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::ResourceStruct) { println!("{:?}", r.values()); }
    /// ```
    pub fn values(&self) -> &[String] {
        self.arr_resource_auth_action
            .as_ref()
            .map_or(&[], |a| &a.values)
    }

    /// The actions on a string or array resource; empty for a tree (see
    /// [`tree`](Self::tree)).
    ///
    /// ```no_run
    /// # fn f(r: &authing::ResourceStruct) { println!("{:?}", r.actions()); }
    /// ```
    pub fn actions(&self) -> &[String] {
        self.str_resource_auth_action
            .as_ref()
            .or(self.arr_resource_auth_action.as_ref())
            .map_or(&[], |a| &a.actions)
    }

    /// The root nodes of a tree resource, each with its actions and children
    /// (`treeResourceAuthAction.nodeAuthActionList`); empty for another kind.
    ///
    /// ```no_run
    /// # fn f(r: &authing::ResourceStruct) { println!("{}", r.tree().len()); }
    /// ```
    pub fn tree(&self) -> &[TreeNode] {
        self.tree_resource_auth_action
            .as_ref()
            .map_or(&[], |t| &t.node_auth_action_list)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceList {
    #[serde(deserialize_with = "list")]
    user_permission_list: Vec<UserAuthResources>,
}

impl AuthResponse {
    /// The typed answer of the `check_permission_by_*_resource` calls.
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().check_permission_by_array_resource_blocking(["orders"], "write");
    /// if response.permission_check()?.can("orders", "write") { println!("may write orders"); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn permission_check(&self) -> Result<PermissionCheck, AuthError> {
        self.data_as()
    }

    /// The typed answer of `get_user_authorized_resources_list`: one entry a namespace.
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_user_authorized_resources_list_blocking();
    /// for namespace in response.user_auth_resources()? {
    ///     for resource in namespace.resource_list() { println!("{}", resource.resource_code()); }
    /// }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn user_auth_resources(&self) -> Result<Vec<UserAuthResources>, AuthError> {
        self.data_as::<ResourceList>()
            .map(|list| list.user_permission_list)
    }

    /// The typed answer of `get_user_auth_resource_permission_list`.
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_user_auth_resource_permission_list_blocking(["report"]);
    /// println!("{:?}", response.resource_permissions()?.actions_on("report"));
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn resource_permissions(&self) -> Result<ResourcePermissions, AuthError> {
        self.data_as()
    }

    /// The typed answer of `get_user_auth_resource_struct`.
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_user_auth_resource_struct_blocking("report");
    /// println!("{:?}", response.resource_struct()?.actions());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn resource_struct(&self) -> Result<ResourceStruct, AuthError> {
        self.data_as()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn can_is_true_only_for_an_enabled_line_of_that_resource_and_action() {
        let check: PermissionCheck = serde_json::from_value(json!({"checkResultList": [
            {"namespaceCode": "app", "action": "read", "resource": "a", "enabled": true},
            {"namespaceCode": "app", "action": "read", "resource": "b", "enabled": false},
        ]}))
        .unwrap();
        assert!(check.can("a", "read"));
        assert!(!check.can("a", "write"));
        assert!(!check.can("b", "read"));
        assert!(!check.can("c", "read"));
        assert_eq!(check.allowed().collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn a_resource_of_an_unknown_kind_keeps_its_code_and_has_no_type() {
        let r: AuthResource = serde_json::from_value(json!({
            "resourceCode": "x", "resourceType": "GRAPH", "strAuthorize": null
        }))
        .unwrap();
        assert_eq!((r.resource_code(), r.resource_type()), ("x", None));
        assert!(r.actions().is_empty() && r.tree_nodes().is_empty());
    }
}
