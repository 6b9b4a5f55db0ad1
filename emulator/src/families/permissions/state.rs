//! The permissions family's state: the pool's data resources (string, array and tree
//! resources, each in a namespace, with the actions it knows) and the grants that let a
//! user, a role or a group act on them; and what a user may do, worked out from its own
//! grants and those of its roles and groups (which the directory family keeps, in
//! [`Catalog`]).

use serde::{Deserialize, Serialize};

use crate::core::random;
use crate::families::directory::new_entries::SeedError;
use crate::families::directory::state::{optional, required, Catalog, DEFAULT_NAMESPACE};

/// The longest resource code, tree node code and action text (the spec's `maxLength` of a
/// resource path is 50).
pub(crate) const MAX_CODE: usize = 50;
/// The deepest a tree goes below its root nodes (the spec's "子节点数据最多五个层级").
pub(crate) const MAX_DEPTH: usize = 5;

/// The kinds of data resource, spelled as the spec spells them.
pub(crate) const KINDS: &[&str] = &["STRING", "ARRAY", "TREE"];

/// A data resource to add to the pool: a string resource (one `value`), an array
/// resource (`values`) or a tree resource (`tree`), in a namespace, with the actions it
/// knows. Codes are unique in a namespace.
///
/// ```
/// use authing_emulator::{NewDataResource, NewTreeNode};
/// let report = NewDataResource::string("report", "monthly", ["read", "export"]);
/// let orders = NewDataResource::array("orders", ["order:41", "order:42"], ["read", "write"]);
/// let docs = NewDataResource::tree(
///     "docs",
///     [NewTreeNode::new("guides").child(NewTreeNode::new("intro"))],
///     ["read", "edit"],
/// );
/// assert_eq!(docs.resource_type, "TREE");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDataResource {
    /// The resource's code, unique in its namespace (1 to 50 characters, no `/`).
    pub code: String,
    /// `STRING`, `ARRAY` or `TREE`.
    pub resource_type: String,
    /// The namespace's code; the app's namespace (its app id) when `None`.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The resource's name; its code when `None`.
    #[serde(default)]
    pub name: Option<String>,
    /// The value of a string resource; empty when `None`.
    #[serde(default)]
    pub value: Option<String>,
    /// The values of an array resource.
    #[serde(default)]
    pub values: Vec<String>,
    /// The root nodes of a tree resource.
    #[serde(default)]
    pub tree: Vec<NewTreeNode>,
    /// The actions the resource knows (at least one).
    pub actions: Vec<String>,
}

fn texts<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

impl NewDataResource {
    fn of(kind: &str, code: impl Into<String>, actions: Vec<String>) -> NewDataResource {
        NewDataResource {
            code: code.into(),
            resource_type: kind.to_owned(),
            namespace: None,
            name: None,
            value: None,
            values: Vec::new(),
            tree: Vec::new(),
            actions,
        }
    }

    /// A string resource `code` whose value is `value`, in the app's namespace.
    ///
    /// ```
    /// let r = authing_emulator::NewDataResource::string("report", "monthly", ["read"]);
    /// assert_eq!(r.value.as_deref(), Some("monthly"));
    /// ```
    pub fn string<S: Into<String>>(
        code: impl Into<String>,
        value: impl Into<String>,
        actions: impl IntoIterator<Item = S>,
    ) -> NewDataResource {
        NewDataResource {
            value: Some(value.into()),
            ..NewDataResource::of("STRING", code, texts(actions))
        }
    }

    /// An array resource `code` whose values are `values`, in the app's namespace.
    ///
    /// ```
    /// let r = authing_emulator::NewDataResource::array("orders", ["order:42"], ["read"]);
    /// assert_eq!(r.values, ["order:42"]);
    /// ```
    pub fn array<V: Into<String>, S: Into<String>>(
        code: impl Into<String>,
        values: impl IntoIterator<Item = V>,
        actions: impl IntoIterator<Item = S>,
    ) -> NewDataResource {
        NewDataResource {
            values: texts(values),
            ..NewDataResource::of("ARRAY", code, texts(actions))
        }
    }

    /// A tree resource `code` whose root nodes are `tree`, in the app's namespace.
    ///
    /// ```
    /// use authing_emulator::{NewDataResource, NewTreeNode};
    /// let r = NewDataResource::tree("docs", [NewTreeNode::new("guides")], ["read"]);
    /// assert_eq!(r.tree.len(), 1);
    /// ```
    pub fn tree<S: Into<String>>(
        code: impl Into<String>,
        tree: impl IntoIterator<Item = NewTreeNode>,
        actions: impl IntoIterator<Item = S>,
    ) -> NewDataResource {
        NewDataResource {
            tree: tree.into_iter().collect(),
            ..NewDataResource::of("TREE", code, texts(actions))
        }
    }
}

/// A node of a tree resource, with its children (codes unique among siblings, no `/`).
///
/// ```
/// use authing_emulator::NewTreeNode;
/// let guides = NewTreeNode { name: Some("Guides".into()), ..NewTreeNode::new("guides") }
///     .child(NewTreeNode::new("intro"));
/// assert_eq!(guides.children[0].code, "intro");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTreeNode {
    /// The node's code.
    pub code: String,
    /// The node's name; its code when `None`.
    #[serde(default)]
    pub name: Option<String>,
    /// The node's value; empty when `None`.
    #[serde(default)]
    pub value: Option<String>,
    /// Its children.
    #[serde(default)]
    pub children: Vec<NewTreeNode>,
}

impl NewTreeNode {
    /// A node `code` without children.
    ///
    /// ```
    /// assert!(authing_emulator::NewTreeNode::new("a").children.is_empty());
    /// ```
    pub fn new(code: impl Into<String>) -> NewTreeNode {
        NewTreeNode {
            code: code.into(),
            name: None,
            value: None,
            children: Vec::new(),
        }
    }

    /// This node with one more child.
    ///
    /// ```
    /// use authing_emulator::NewTreeNode;
    /// let a = NewTreeNode::new("a").child(NewTreeNode::new("b"));
    /// assert_eq!(a.children.len(), 1);
    /// ```
    pub fn child(mut self, child: NewTreeNode) -> NewTreeNode {
        self.children.push(child);
        self
    }
}

/// A grant: who (a user, every user with a role, every member of a group) may do which
/// actions on a resource, or on a node of a tree resource and everything below it.
///
/// ```
/// use authing_emulator::NewGrant;
/// let alice = NewGrant::to_user("alice", "orders", ["read"]);
/// let editors = NewGrant::to_role("editor", "docs/guides", ["read", "edit"]);
/// let staff = NewGrant::to_group("staff", "report", ["read"]);
/// assert_eq!(staff.subject_type, "GROUP");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewGrant {
    /// `USER`, `ROLE` or `GROUP`.
    pub subject_type: String,
    /// A user (its id, username, email or phone), a role's code or a group's code.
    pub subject: String,
    /// The namespace of a role; `default` (the directory's default) when `None`.
    #[serde(default)]
    pub role_namespace: Option<String>,
    /// The resource's code; for a tree resource, optionally followed by the path of a node
    /// (`docs/guides/intro`): the grant then covers that node and everything below it.
    pub resource: String,
    /// The resource's namespace; the app's namespace when `None`.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The actions granted, each one the resource knows.
    pub actions: Vec<String>,
}

impl NewGrant {
    fn of<S: Into<String>>(
        kind: &str,
        subject: impl Into<String>,
        resource: impl Into<String>,
        actions: impl IntoIterator<Item = S>,
    ) -> NewGrant {
        NewGrant {
            subject_type: kind.to_owned(),
            subject: subject.into(),
            role_namespace: None,
            resource: resource.into(),
            namespace: None,
            actions: texts(actions),
        }
    }

    /// A grant to the user named by `user` (its id, username, email or phone).
    ///
    /// ```
    /// let g = authing_emulator::NewGrant::to_user("alice", "report", ["read"]);
    /// assert_eq!(g.subject_type, "USER");
    /// ```
    pub fn to_user<S: Into<String>>(
        user: impl Into<String>,
        resource: impl Into<String>,
        actions: impl IntoIterator<Item = S>,
    ) -> NewGrant {
        NewGrant::of("USER", user, resource, actions)
    }

    /// A grant to every user with the role `code` (in the namespace `default` unless
    /// `role_namespace` says otherwise).
    ///
    /// ```
    /// let g = authing_emulator::NewGrant::to_role("editor", "report", ["read"]);
    /// assert_eq!(g.subject, "editor");
    /// ```
    pub fn to_role<S: Into<String>>(
        code: impl Into<String>,
        resource: impl Into<String>,
        actions: impl IntoIterator<Item = S>,
    ) -> NewGrant {
        NewGrant::of("ROLE", code, resource, actions)
    }

    /// A grant to every member of the group `code`.
    ///
    /// ```
    /// let g = authing_emulator::NewGrant::to_group("staff", "report", ["read"]);
    /// assert_eq!(g.subject_type, "GROUP");
    /// ```
    pub fn to_group<S: Into<String>>(
        code: impl Into<String>,
        resource: impl Into<String>,
        actions: impl IntoIterator<Item = S>,
    ) -> NewGrant {
        NewGrant::of("GROUP", code, resource, actions)
    }
}

/// A node of a tree resource.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TreeNode {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) children: Vec<TreeNode>,
}

/// A data resource of the pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DataResource {
    pub(crate) namespace: String,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) value: String,
    pub(crate) values: Vec<String>,
    pub(crate) tree: Vec<TreeNode>,
    pub(crate) actions: Vec<String>,
}

impl DataResource {
    /// The node at `path` (codes from a root node down), when the tree has it.
    pub(crate) fn node(&self, path: &[&str]) -> Option<&TreeNode> {
        let (first, rest) = path.split_first()?;
        let mut node = self.tree.iter().find(|n| n.code == *first)?;
        for code in rest {
            node = node.children.iter().find(|n| n.code == *code)?;
        }
        Some(node)
    }
}

/// Who a grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Subject {
    /// A user, by id.
    User(String),
    /// A role, by namespace and code.
    Role(String, String),
    /// A group, by code.
    Group(String),
}

/// A grant of the pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub(crate) id: String,
    pub(crate) subject: Subject,
    pub(crate) namespace: String,
    pub(crate) resource: String,
    /// The node's path below the tree's root nodes; empty: the whole resource.
    pub(crate) path: Vec<String>,
    pub(crate) actions: Vec<String>,
}

/// The pool's data resources and grants.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Permissions {
    pub(crate) resources: Vec<DataResource>,
    pub(crate) grants: Vec<Grant>,
}

/// A code: 1 to 50 characters, no `/`, no whitespace or control character.
fn code<'a>(field: &str, value: &'a str) -> Result<&'a str, SeedError> {
    let value = required(field, value)?;
    if value.chars().count() > MAX_CODE {
        return Err(SeedError::Invalid(format!(
            "{field} is longer than {MAX_CODE} characters"
        )));
    }
    if value.contains('/') || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(SeedError::Invalid(format!(
            "{field} contains a slash, a space or a control character"
        )));
    }
    Ok(value)
}

fn tree_of(nodes: &[NewTreeNode], depth: usize) -> Result<Vec<TreeNode>, SeedError> {
    if !nodes.is_empty() && depth > MAX_DEPTH {
        return Err(SeedError::Invalid(format!(
            "tree is deeper than {MAX_DEPTH} levels below its root nodes"
        )));
    }
    let mut made: Vec<TreeNode> = Vec::new();
    for node in nodes {
        let c = code("tree node code", &node.code)?;
        if made.iter().any(|n| n.code == c) {
            return Err(SeedError::Duplicate(format!(
                "tree node {c} among its siblings"
            )));
        }
        made.push(TreeNode {
            code: c.to_owned(),
            name: optional(&node.name).unwrap_or_else(|| c.to_owned()),
            value: optional(&node.value).unwrap_or_default(),
            children: tree_of(&node.children, depth + 1)?,
        });
    }
    Ok(made)
}

impl Permissions {
    /// Adds the data resource `seed` describes to the pool, in `seed`'s namespace or
    /// `app_namespace`; its code. Refused when the code is taken in the namespace.
    pub(crate) fn add_resource(
        &mut self,
        seed: &NewDataResource,
        app_namespace: &str,
    ) -> Result<String, SeedError> {
        let c = code("code", &seed.code)?;
        let kind = seed.resource_type.trim();
        if !KINDS.contains(&kind) {
            return Err(SeedError::Invalid(format!(
                "resourceType must be one of {}",
                KINDS.join(", ")
            )));
        }
        if seed.actions.is_empty() {
            return Err(SeedError::Invalid("actions is empty".into()));
        }
        let mut actions: Vec<String> = Vec::new();
        for action in &seed.actions {
            let action = code("action", action)?;
            if !actions.iter().any(|a| a == action) {
                actions.push(action.to_owned());
            }
        }
        if kind == "TREE" && seed.tree.is_empty() {
            return Err(SeedError::Invalid("a tree resource needs a tree".into()));
        }
        let namespace = optional(&seed.namespace).unwrap_or_else(|| app_namespace.to_owned());
        if self.resource(&namespace, c).is_some() {
            return Err(SeedError::Duplicate(format!(
                "data resource {c} in namespace {namespace}"
            )));
        }
        self.resources.push(DataResource {
            namespace,
            code: c.to_owned(),
            name: optional(&seed.name).unwrap_or_else(|| c.to_owned()),
            kind: kind.to_owned(),
            value: optional(&seed.value).unwrap_or_default(),
            values: seed.values.clone(),
            tree: if kind == "TREE" {
                tree_of(&seed.tree, 0)?
            } else {
                Vec::new()
            },
            actions,
        });
        Ok(c.to_owned())
    }

    /// The resource `code` of `namespace`.
    pub(crate) fn resource(&self, namespace: &str, code: &str) -> Option<&DataResource> {
        self.resources
            .iter()
            .find(|r| r.namespace == namespace && r.code == code)
    }

    /// Adds the grant `seed` describes (its user already resolved to `user_id` when it is
    /// for a user); its id. The resource, and the node of a tree resource, must exist and
    /// know every action granted.
    pub(crate) fn add_grant(
        &mut self,
        seed: &NewGrant,
        user_id: Option<String>,
        app_namespace: &str,
    ) -> Result<String, SeedError> {
        let subject = match (seed.subject_type.trim(), user_id) {
            ("USER", Some(id)) => Subject::User(id),
            ("ROLE", _) => Subject::Role(
                optional(&seed.role_namespace).unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned()),
                required("subject", &seed.subject)?.to_owned(),
            ),
            ("GROUP", _) => Subject::Group(required("subject", &seed.subject)?.to_owned()),
            _ => {
                return Err(SeedError::Invalid(
                    "subjectType must be one of USER, ROLE, GROUP".into(),
                ))
            }
        };
        let namespace = optional(&seed.namespace).unwrap_or_else(|| app_namespace.to_owned());
        let path = required("resource", &seed.resource)?;
        let mut segments = path.split('/');
        let code = segments.next().unwrap_or_default();
        let nodes: Vec<&str> = segments.collect();
        let resource = self.resource(&namespace, code).ok_or_else(|| {
            SeedError::NotFound(format!("data resource {code} in namespace {namespace}"))
        })?;
        if !nodes.is_empty() && (resource.kind != "TREE" || resource.node(&nodes).is_none()) {
            return Err(SeedError::NotFound(format!("tree node {path}")));
        }
        if seed.actions.is_empty() {
            return Err(SeedError::Invalid("actions is empty".into()));
        }
        if let Some(unknown) = seed.actions.iter().find(|a| !resource.actions.contains(a)) {
            return Err(SeedError::Invalid(format!(
                "resource {code} has no action {unknown}"
            )));
        }
        let id = random::hex(12);
        self.grants.push(Grant {
            id: id.clone(),
            subject,
            namespace,
            resource: code.to_owned(),
            path: nodes.iter().map(|s| (*s).to_owned()).collect(),
            actions: seed.actions.clone(),
        });
        Ok(id)
    }

    /// Forgets the grants to a deleted user.
    pub(crate) fn forget_user(&mut self, user: &str) {
        self.grants
            .retain(|g| g.subject != Subject::User(user.to_owned()));
    }

    /// The grants that apply to the user `user` in `namespace`: its own, its enabled
    /// roles' and its groups' (the roles and groups the directory gave it, in `catalog`).
    pub(crate) fn grants_of<'a>(
        &'a self,
        catalog: &Catalog,
        user: &str,
        namespace: &str,
    ) -> Vec<&'a Grant> {
        let access = catalog.access_of(user);
        let roles: Vec<(String, String)> = catalog
            .roles
            .iter()
            .filter(|r| access.roles.contains(&r.id) && r.status == "ENABLE")
            .map(|r| (r.namespace.clone(), r.code.clone()))
            .collect();
        let groups: Vec<&str> = catalog
            .groups
            .iter()
            .filter(|g| access.groups.contains(&g.id))
            .map(|g| g.code.as_str())
            .collect();
        self.grants
            .iter()
            .filter(|g| g.namespace == namespace)
            .filter(|g| match &g.subject {
                Subject::User(id) => id == user,
                Subject::Role(ns, code) => roles.iter().any(|(n, c)| n == ns && c == code),
                Subject::Group(code) => groups.contains(&code.as_str()),
            })
            .collect()
    }
}

/// The actions `grants` give on the node `path` of the resource `resource` (the whole
/// resource when `path` is empty): those of every grant on it or on a node above it, in
/// the order the resource knows them.
pub(crate) fn actions_on(grants: &[&Grant], resource: &DataResource, path: &[&str]) -> Vec<String> {
    let covering: Vec<&&Grant> = grants
        .iter()
        .filter(|g| g.resource == resource.code)
        .filter(|g| g.path.len() <= path.len() && g.path.iter().zip(path).all(|(a, b)| a == b))
        .collect();
    resource
        .actions
        .iter()
        .filter(|a| covering.iter().any(|g| g.actions.contains(a)))
        .cloned()
        .collect()
}
