//! What a test seeds the emulator's directory with: the apps, tenants, roles, groups,
//! departments and resources a user is given ([`NewApp`], [`NewTenant`], [`NewRole`],
//! [`NewGroup`], [`NewDepartment`], [`NewResource`]), the external identity providers
//! the app offers ([`NewExtIdp`]) and the identities a user has linked ([`NewIdentity`]);
//! and [`SeedError`], why a seed was refused.
//!
//! Each deserializes from the camelCase JSON the admin API takes (docs/EMULATOR.md) and
//! has a constructor for its required fields; the other fields are public, so a test sets
//! them with struct update syntax (`NewRole { name: Some("Admin".into()), ..NewRole::new("admin") }`).

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::core::vocab::ResourceType;

/// An app a user may access (the `AccessibleAppsDto` of `get-my-accessible-apps`).
///
/// Apps are the pool's, found by `app_id`: giving a second user an app with the same id
/// gives the same app (its first definition stays). Without an `app_id` a new one is made
/// up. Giving the emulator's own app id names and describes the emulator's own app, which
/// every user may access and which is the app every sign-in goes to.
///
/// ```
/// use authing_emulator::NewApp;
/// let app = NewApp::new("Console");
/// let parsed: NewApp = serde_json::from_str(r#"{"appName":"Console","appId":"app-1"}"#)?;
/// assert_eq!(parsed.app_id.as_deref(), Some("app-1"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewApp {
    /// The app's id; made up (24 hex digits) when `None`.
    #[serde(default)]
    pub app_id: Option<String>,
    /// The app's name.
    pub app_name: String,
    /// Its sign-in page; `http://<emulator>/login?app_id=<id>` when `None`.
    #[serde(default)]
    pub app_login_url: Option<String>,
    /// Its logo URL; empty when `None`.
    #[serde(default)]
    pub app_logo: Option<String>,
}

impl NewApp {
    /// An app named `app_name`, its id made up.
    ///
    /// ```
    /// assert_eq!(authing_emulator::NewApp::new("Console").app_name, "Console");
    /// ```
    pub fn new(app_name: impl Into<String>) -> NewApp {
        NewApp {
            app_id: None,
            app_name: app_name.into(),
            app_login_url: None,
            app_logo: None,
        }
    }
}

/// A tenant a user belongs to (the `UserTenantListDto` of `get-my-tenant-list`), found by
/// `tenant_id`, or made up when `None`.
///
/// ```
/// use authing_emulator::NewTenant;
/// let tenant = NewTenant::new("Acme");
/// assert_eq!(tenant.tenant_name, "Acme");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTenant {
    /// The tenant's id; made up when `None`.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// The tenant's name.
    pub tenant_name: String,
}

impl NewTenant {
    /// A tenant named `tenant_name`, its id made up.
    ///
    /// ```
    /// assert!(authing_emulator::NewTenant::new("Acme").tenant_id.is_none());
    /// ```
    pub fn new(tenant_name: impl Into<String>) -> NewTenant {
        NewTenant {
            tenant_id: None,
            tenant_name: tenant_name.into(),
        }
    }
}

/// A role a user has (the `RoleDto` of `get-my-role-list`), found by `namespace` and
/// `code`.
///
/// ```
/// use authing_emulator::NewRole;
/// let admin = NewRole { name: Some("Administrator".into()), ..NewRole::new("admin") };
/// let in_billing = NewRole { namespace: Some("billing".into()), ..NewRole::new("viewer") };
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRole {
    /// The role's code, unique in its namespace.
    pub code: String,
    /// The role's name; the code when `None`.
    #[serde(default)]
    pub name: Option<String>,
    /// The role's description; empty when `None`.
    #[serde(default)]
    pub description: Option<String>,
    /// The code of its namespace (permission space); `default` when `None`.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The namespace's name; the namespace's code when `None`.
    #[serde(default)]
    pub namespace_name: Option<String>,
    /// `ENABLE` (when `None`) or `DISABLE`.
    #[serde(default)]
    pub status: Option<String>,
    /// When the role is disabled automatically, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub disable_time: Option<u64>,
}

impl NewRole {
    /// A role `code` in the `default` namespace.
    ///
    /// ```
    /// assert_eq!(authing_emulator::NewRole::new("admin").code, "admin");
    /// ```
    pub fn new(code: impl Into<String>) -> NewRole {
        NewRole {
            code: code.into(),
            name: None,
            description: None,
            namespace: None,
            namespace_name: None,
            status: None,
            disable_time: None,
        }
    }
}

/// A group a user is a member of (the `GroupDto` of `get-my-group-list`), found by `code`.
///
/// ```
/// use authing_emulator::NewGroup;
/// let group = NewGroup { name: Some("Engineering".into()), ..NewGroup::new("eng") };
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewGroup {
    /// The group's code.
    pub code: String,
    /// The group's name; the code when `None`.
    #[serde(default)]
    pub name: Option<String>,
    /// The group's description; empty when `None`.
    #[serde(default)]
    pub description: Option<String>,
    /// The group's type (`type`); `static` when `None`.
    #[serde(default, rename = "type")]
    pub group_type: Option<String>,
}

impl NewGroup {
    /// A group `code`.
    ///
    /// ```
    /// assert_eq!(authing_emulator::NewGroup::new("eng").code, "eng");
    /// ```
    pub fn new(code: impl Into<String>) -> NewGroup {
        NewGroup {
            code: code.into(),
            name: None,
            description: None,
            group_type: None,
        }
    }
}

/// A department a user is in (the `UserDepartmentRespDto` of `get-my-department-list`),
/// found by `organization_code` and `code`; and how the user is in it (`is_leader`,
/// `is_main_department`).
///
/// A department with a `parent` (the code of a department of the same organization, made
/// first) sits under it: its paths (`departmentIdPath`, ...) run from the root down.
/// Without one it is a root.
///
/// ```
/// use authing_emulator::NewDepartment;
/// let rnd = NewDepartment::new("rnd", "R&D");
/// let backend = NewDepartment { parent: Some("rnd".into()), is_main_department: true, ..NewDepartment::new("backend", "Backend") };
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDepartment {
    /// The department's code, unique in its organization.
    pub code: String,
    /// The department's name.
    pub name: String,
    /// The department's description; empty when `None`.
    #[serde(default)]
    pub description: Option<String>,
    /// The code of its organization; `emulator` when `None`.
    #[serde(default)]
    pub organization_code: Option<String>,
    /// The code of its parent department; a root when `None`.
    #[serde(default)]
    pub parent: Option<String>,
    /// A custom id (`openDepartmentId`).
    #[serde(default)]
    pub open_department_id: Option<String>,
    /// Its custom data, shown with `withCustomData=true`.
    #[serde(default)]
    pub custom_data: Option<Map<String, Value>>,
    /// Whether the user leads it.
    #[serde(default)]
    pub is_leader: bool,
    /// Whether it is the user's main department.
    #[serde(default)]
    pub is_main_department: bool,
}

impl NewDepartment {
    /// A root department `code` named `name`.
    ///
    /// ```
    /// assert_eq!(authing_emulator::NewDepartment::new("rnd", "R&D").name, "R&D");
    /// ```
    pub fn new(code: impl Into<String>, name: impl Into<String>) -> NewDepartment {
        NewDepartment {
            code: code.into(),
            name: name.into(),
            description: None,
            organization_code: None,
            parent: None,
            open_department_id: None,
            custom_data: None,
            is_leader: false,
            is_main_department: false,
        }
    }
}

/// A resource a user may act on (the `AuthorizedResourceDto` of
/// `get-my-authorized-resources`), granted to that user.
///
/// ```
/// use authing_emulator::NewResource;
/// use authing_emulator::ResourceType;
/// let menu = NewResource::new("orders-menu", ResourceType::MENU);
/// let api = NewResource {
///     api_identifier: Some("https://api.example.com/orders".into()),
///     actions: vec!["read".into(), "write".into()],
///     ..NewResource::new("orders-api", ResourceType::API)
/// };
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewResource {
    /// The resource's code.
    pub code: String,
    /// Its kind: `DATA`, `API`, `MENU`, `BUTTON` or `UI`.
    pub resource_type: String,
    /// The code of its namespace; `default` when `None`.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// The URL of an `API` resource; empty when `None`.
    #[serde(default)]
    pub api_identifier: Option<String>,
    /// The actions granted; `["read"]` when empty.
    #[serde(default)]
    pub actions: Vec<String>,
    /// `ALLOW` (when `None`) or `DENY`.
    #[serde(default)]
    pub effect: Option<String>,
}

impl NewResource {
    /// A resource `code` of kind `resource_type` in the `default` namespace, `read`
    /// allowed.
    ///
    /// ```
    /// use authing_emulator::{NewResource, ResourceType};
    /// assert_eq!(NewResource::new("x", ResourceType::DATA).resource_type, "DATA");
    /// ```
    pub fn new(code: impl Into<String>, resource_type: impl Into<ResourceType>) -> NewResource {
        let resource_type = resource_type.into();
        NewResource {
            code: code.into(),
            resource_type: resource_type.as_str().to_owned(),
            namespace: None,
            description: None,
            api_identifier: None,
            actions: Vec::new(),
            effect: None,
        }
    }
}

/// An external identity provider the app offers (the `ExtIdpInfoDto` of
/// `get-application-enabled-extidps`), found by its connection's `identifier`.
///
/// ```
/// use authing_emulator::NewExtIdp;
/// let github = NewExtIdp::new("my-github", "github", "GitHub");
/// let parsed: NewExtIdp = serde_json::from_str(r#"{"identifier":"my-github","type":"github","name":"GitHub"}"#)?;
/// assert_eq!(parsed, github);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewExtIdp {
    /// The connection's unique identifier (`ext_idp_conn_identifier` of `link-extidp`).
    pub identifier: String,
    /// The provider's id; made up when `None`.
    #[serde(default)]
    pub ext_idp_id: Option<String>,
    /// The kind of provider (`type`): one of the spec's, such as `github`, `wechat`,
    /// `google`, `oidc`.
    #[serde(rename = "type")]
    pub idp_type: String,
    /// `social` (when `None`) or `enterprise`.
    #[serde(default)]
    pub ext_idp_type: Option<String>,
    /// The display name.
    pub name: String,
    /// The display name in English.
    #[serde(default, rename = "name_en")]
    pub name_en: Option<String>,
    /// A description.
    #[serde(default)]
    pub desc: Option<String>,
    /// A description in English.
    #[serde(default, rename = "desc_en")]
    pub desc_en: Option<String>,
    /// An icon URL.
    #[serde(default)]
    pub logo: Option<String>,
}

impl NewExtIdp {
    /// A provider of kind `idp_type` (`github`, ...) offered through the connection
    /// `identifier`, shown as `name`.
    ///
    /// ```
    /// let idp = authing_emulator::NewExtIdp::new("my-wechat", "wechat", "WeChat");
    /// assert_eq!(idp.idp_type, "wechat");
    /// ```
    pub fn new(
        identifier: impl Into<String>,
        idp_type: impl Into<String>,
        name: impl Into<String>,
    ) -> NewExtIdp {
        NewExtIdp {
            identifier: identifier.into(),
            ext_idp_id: None,
            idp_type: idp_type.into(),
            ext_idp_type: None,
            name: name.into(),
            name_en: None,
            desc: None,
            desc_en: None,
            logo: None,
        }
    }
}

/// An identity a user has linked (the `IdentityDto` of `get-identities`): its id at the
/// provider offered through the connection `identifier` (a [`NewExtIdp`] added first).
///
/// ```
/// use authing_emulator::NewIdentity;
/// let identity = NewIdentity::new("my-github", "octocat");
/// assert_eq!(identity.identity_type, None); // "openid"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewIdentity {
    /// The identifier of the provider's connection.
    pub identifier: String,
    /// The user's id at the provider.
    pub user_id_in_idp: String,
    /// Which id it is (`type`); `openid` when `None`.
    #[serde(default, rename = "type")]
    pub identity_type: Option<String>,
    /// What the provider says about the user.
    #[serde(default)]
    pub user_info_in_idp: Option<Map<String, Value>>,
}

impl NewIdentity {
    /// The identity `user_id_in_idp` at the provider of connection `identifier`.
    ///
    /// ```
    /// let identity = authing_emulator::NewIdentity::new("my-github", "octocat");
    /// assert_eq!(identity.user_id_in_idp, "octocat");
    /// ```
    pub fn new(identifier: impl Into<String>, user_id_in_idp: impl Into<String>) -> NewIdentity {
        NewIdentity {
            identifier: identifier.into(),
            user_id_in_idp: user_id_in_idp.into(),
            identity_type: None,
            user_info_in_idp: None,
        }
    }
}

/// Why the emulator refused a seed or a link.
///
/// ```
/// use authing_emulator::{Emulator, NewRole, SeedError};
/// let emulator = Emulator::start()?;
/// let refused = emulator.assign_role("nobody", NewRole::new("admin")).unwrap_err();
/// assert!(matches!(refused, SeedError::NoSuchUser(_)));
/// # Ok::<(), std::io::Error>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    /// No user is named so.
    #[error("no such user: {0}")]
    NoSuchUser(String),
    /// A field is empty or not one of its values.
    #[error("invalid seed: {0}")]
    Invalid(String),
    /// A department's parent, an identity's provider, or a link's ticket is unknown.
    #[error("not found: {0}")]
    NotFound(String),
    /// Another provider has this connection identifier, or the user already has this
    /// identity.
    #[error("already exists: {0}")]
    Duplicate(String),
}
