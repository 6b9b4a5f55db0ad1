//! The typed answers of what the signed-in user may access: [`LoginRecord`],
//! [`AppInfo`], [`Tenant`], [`Role`], [`Group`], [`Department`] and
//! [`AuthorizedResource`], with their accessors on [`AuthResponse`]; and
//! [`ResourceType`], the kind of resource `get_authorized_resources` asks for.
//!
//! Each type reads the spec's DTO of its endpoint. Identifiers the spec requires (a role's
//! `code`, a department's `departmentId`) must be there, or the accessor fails with
//! [`AuthError::UnexpectedResponse`] (10004); display texts the spec requires but a server
//! may send as `null` (`description`, `appLogo`) read as empty. `response.data()` keeps
//! the whole answer, every field as the server sent it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::{AuthError, InputError};
use crate::model::page::{self, Page};
use crate::model::UserInfo;
use crate::response::AuthResponse;

/// A text the spec requires, read as empty when a server sends `null`.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A list of texts, read as empty when absent or `null`.
pub(crate) fn texts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

/// A flag, read as `false` when absent or `null`.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or_default())
}

/// The kind of a resource (Java: `ResourceType`), the `resourceType` of
/// `get_authorized_resources` and of each [`AuthorizedResource`].
///
/// Each kind has one name, Java's constant, which is also the wire value and what `Debug`
/// and `Display` print. A text parses into one with [`str::parse`]; any other text is
/// refused with the [`InputError`] a call would answer.
///
/// ```
/// use authing::ResourceType;
/// assert_eq!(ResourceType::MENU.as_str(), "MENU");
/// assert_eq!(format!("{:?}", ResourceType::API), "API");
/// assert_eq!("BUTTON".parse::<ResourceType>(), Ok(ResourceType::BUTTON));
/// let refused = "menu".parse::<ResourceType>().unwrap_err();
/// assert_eq!(refused.to_string(), "invalid input: resource_type is not one of DATA, API, MENU, BUTTON, UI");
/// ```
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResourceType {
    /// Data (a record, a table, a document).
    DATA,
    /// An API endpoint.
    API,
    /// A menu entry.
    MENU,
    /// A button.
    BUTTON,
    /// A piece of user interface.
    UI,
}

impl ResourceType {
    /// Every kind, in the order of the spec's enum.
    ///
    /// ```
    /// assert_eq!(authing::ResourceType::ALL.len(), 5);
    /// ```
    pub const ALL: &'static [ResourceType] = &[
        ResourceType::DATA,
        ResourceType::API,
        ResourceType::MENU,
        ResourceType::BUTTON,
        ResourceType::UI,
    ];

    /// The name on the wire, such as `"MENU"`.
    ///
    /// ```
    /// assert_eq!(authing::ResourceType::DATA.as_str(), "DATA");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::DATA => "DATA",
            ResourceType::API => "API",
            ResourceType::MENU => "MENU",
            ResourceType::BUTTON => "BUTTON",
            ResourceType::UI => "UI",
        }
    }
}

impl FromStr for ResourceType {
    type Err = InputError;

    /// The kind spelled exactly as on the wire (`"MENU"`, not `"menu"`).
    fn from_str(s: &str) -> Result<ResourceType, InputError> {
        ResourceType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ResourceType::ALL.iter().map(|t| t.as_str()).collect();
                InputError::new(
                    "resource_type",
                    format!("is not one of {}", names.join(", ")),
                )
            })
    }
}

impl fmt::Debug for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `resource_type` argument of
/// [`AuthClient::get_authorized_resources`](crate::AuthClient::get_authorized_resources):
/// a [`ResourceType`], `None` for every kind, or its name as text (`"MENU"`, from a
/// configuration file, say), which is checked before anything is sent.
///
/// Implemented for `ResourceType`, `Option<ResourceType>`, `&str`, `&String` and
/// `String`, and sealed: the SDK decides what it accepts.
///
/// ```no_run
/// use authing::{AuthClient, ResourceType};
/// let client = AuthClient::new();
/// client.get_authorized_resources_blocking("default", ResourceType::MENU);
/// client.get_authorized_resources_blocking("default", None);
/// client.get_authorized_resources_blocking(None, "API");
/// let refused = client.get_authorized_resources_blocking(None, "menu");
/// assert_eq!(refused.status_code(), authing::codes::INVALID_INPUT);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a resource type the SDK takes",
    note = "pass a `ResourceType`, `None`, or its name as a `&str` or `String` (\"MENU\")"
)]
pub trait OptionalResourceType: sealed::Sealed {}

pub(crate) mod sealed {
    use super::{InputError, ResourceType};

    /// The conversion behind [`OptionalResourceType`](super::OptionalResourceType).
    pub trait Sealed {
        /// The kind, if any; a text that names none is refused.
        fn into_resource_type(self) -> Result<Option<ResourceType>, InputError>;
    }
}

/// `value` as an optional kind, or why it is not one.
pub(crate) fn resource_type(
    value: impl OptionalResourceType,
) -> Result<Option<ResourceType>, InputError> {
    sealed::Sealed::into_resource_type(value)
}

/// A kind taken in any accepted form and already read, owned: what the callback form
/// hands its blocking twin, which answers a text that names no kind (10010) after the
/// configuration check, as for every input.
pub(crate) struct Checked(Result<Option<ResourceType>, InputError>);

impl Checked {
    /// Reads `value` now.
    pub(crate) fn from(value: impl OptionalResourceType) -> Checked {
        Checked(resource_type(value))
    }
}

impl OptionalResourceType for Checked {}
impl sealed::Sealed for Checked {
    fn into_resource_type(self) -> Result<Option<ResourceType>, InputError> {
        self.0
    }
}

macro_rules! optional_resource_type {
    ($($ty:ty => |$v:ident| $body:expr;)+) => {
        $(
            impl OptionalResourceType for $ty {}
            impl sealed::Sealed for $ty {
                fn into_resource_type(self) -> Result<Option<ResourceType>, InputError> {
                    let $v = self;
                    $body
                }
            }
        )+
    };
}

optional_resource_type! {
    ResourceType => |v| Ok(Some(v));
    Option<ResourceType> => |v| Ok(v);
    &str => |v| v.parse().map(Some);
    &String => |v| v.parse().map(Some);
    String => |v| v.parse().map(Some);
}

/// One sign-in of the user (the spec's `LoginHistoryDto`), an item of
/// [`AuthResponse::login_history`].
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_login_history_blocking(None, None, None, None, None, 1, 10);
/// for record in response.login_history()?.list() {
///     let outcome = if record.success() { "ok" } else { record.error_message().unwrap_or("failed") };
///     println!("{} from {} via {}: {outcome}", record.login_at(), record.client_ip(), record.app_name());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginRecord {
    user_id: String,
    app_id: String,
    #[serde(default, deserialize_with = "text")]
    app_name: String,
    #[serde(default, deserialize_with = "text")]
    app_login_url: String,
    #[serde(default, deserialize_with = "text")]
    app_logo: String,
    login_at: String,
    #[serde(default, deserialize_with = "text")]
    client_ip: String,
    success: bool,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default, deserialize_with = "text")]
    user_agent: String,
    #[serde(default)]
    parsed_user_agent: Option<ParsedUserAgent>,
    #[serde(default, deserialize_with = "text")]
    login_method: String,
    #[serde(default)]
    geoip: Option<Value>,
    #[serde(default)]
    tenant_id: Option<String>,
}

/// The spec's `ParsedUserAgent`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ParsedUserAgent {
    #[serde(default, deserialize_with = "text")]
    device: String,
    #[serde(default, deserialize_with = "text")]
    browser: String,
    #[serde(default, deserialize_with = "text")]
    os: String,
}

impl LoginRecord {
    /// The user's id (`userId`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.user_id()); }
    /// ```
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The id of the app signed in to (`appId`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.app_id()); }
    /// ```
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The app's name (`appName`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.app_name()); }
    /// ```
    pub fn app_name(&self) -> &str {
        &self.app_name
    }

    /// The app's sign-in page (`appLoginUrl`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.app_login_url()); }
    /// ```
    pub fn app_login_url(&self) -> &str {
        &self.app_login_url
    }

    /// The app's logo URL (`appLogo`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.app_logo()); }
    /// ```
    pub fn app_logo(&self) -> &str {
        &self.app_logo
    }

    /// When the sign-in happened, as the server wrote it (`loginAt`, ISO 8601).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.login_at()); }
    /// ```
    pub fn login_at(&self) -> &str {
        &self.login_at
    }

    /// The client's IP address at the sign-in (`clientIp`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.client_ip()); }
    /// ```
    pub fn client_ip(&self) -> &str {
        &self.client_ip
    }

    /// Whether the sign-in succeeded (`success`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { if !record.success() { println!("a failed sign-in"); } }
    /// ```
    pub fn success(&self) -> bool {
        self.success
    }

    /// Why a failed sign-in failed (`errorMessage`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.error_message().unwrap_or("-")); }
    /// ```
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }

    /// The client's `User-Agent` (`userAgent`).
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.user_agent()); }
    /// ```
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The device, browser and operating system read from the user agent
    /// (`parsedUserAgent`), when the server sent them.
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) {
    /// if let Some((device, browser, os)) = record.parsed_user_agent() {
    ///     println!("{device} {browser} {os}");
    /// }
    /// # }
    /// ```
    pub fn parsed_user_agent(&self) -> Option<(&str, &str, &str)> {
        self.parsed_user_agent
            .as_ref()
            .map(|p| (p.device.as_str(), p.browser.as_str(), p.os.as_str()))
    }

    /// How the user signed in (`loginMethod`), as the server names it.
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.login_method()); }
    /// ```
    pub fn login_method(&self) -> &str {
        &self.login_method
    }

    /// Where the client was, as the server located its IP (`geoip`: `country_name`,
    /// `city_name`, `location`, ...), when it sent one.
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) {
    /// if let Some(geo) = record.geoip() { println!("{}", geo["city_name"]); }
    /// # }
    /// ```
    pub fn geoip(&self) -> Option<&Value> {
        self.geoip.as_ref()
    }

    /// The tenant signed in to (`tenantId`), if any.
    ///
    /// ```no_run
    /// # fn f(record: &authing::LoginRecord) { println!("{}", record.tenant_id().unwrap_or("-")); }
    /// ```
    pub fn tenant_id(&self) -> Option<&str> {
        self.tenant_id.as_deref()
    }
}

/// An app (the spec's `LoggedInAppsDto` and `AccessibleAppsDto`, which have the same
/// fields), an item of [`AuthResponse::app_list`].
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_logged_in_apps_blocking();
/// for app in response.app_list()? {
///     println!("{} ({}) {}", app.app_name(), app.app_id(), if app.active() { "signed in" } else { "" });
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    app_id: String,
    #[serde(default, deserialize_with = "text")]
    app_name: String,
    #[serde(default, deserialize_with = "text")]
    app_login_url: String,
    #[serde(default, deserialize_with = "text")]
    app_logo: String,
    #[serde(default, deserialize_with = "flag")]
    active: bool,
}

impl AppInfo {
    /// The app's id (`appId`).
    ///
    /// ```no_run
    /// # fn f(app: &authing::AppInfo) { println!("{}", app.app_id()); }
    /// ```
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The app's name (`appName`).
    ///
    /// ```no_run
    /// # fn f(app: &authing::AppInfo) { println!("{}", app.app_name()); }
    /// ```
    pub fn app_name(&self) -> &str {
        &self.app_name
    }

    /// The app's sign-in page (`appLoginUrl`).
    ///
    /// ```no_run
    /// # fn f(app: &authing::AppInfo) { println!("{}", app.app_login_url()); }
    /// ```
    pub fn app_login_url(&self) -> &str {
        &self.app_login_url
    }

    /// The app's logo URL (`appLogo`).
    ///
    /// ```no_run
    /// # fn f(app: &authing::AppInfo) { println!("{}", app.app_logo()); }
    /// ```
    pub fn app_logo(&self) -> &str {
        &self.app_logo
    }

    /// Whether the user is signed in to the app now (`active`).
    ///
    /// ```no_run
    /// # fn f(app: &authing::AppInfo) { println!("{}", app.active()); }
    /// ```
    pub fn active(&self) -> bool {
        self.active
    }
}

/// A tenant the user belongs to (the spec's `UserTenantListDto`), an item of
/// [`AuthResponse::tenant_list`].
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_tenant_list_blocking();
/// for tenant in response.tenant_list()? {
///     println!("{} {} since {}", tenant.tenant_id(), tenant.tenant_name(), tenant.join_at());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    tenant_id: String,
    #[serde(default, deserialize_with = "text")]
    tenant_name: String,
    #[serde(default, deserialize_with = "text")]
    join_at: String,
}

impl Tenant {
    /// The tenant's id (`tenantId`).
    ///
    /// ```no_run
    /// # fn f(tenant: &authing::Tenant) { println!("{}", tenant.tenant_id()); }
    /// ```
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// The tenant's name (`tenantName`).
    ///
    /// ```no_run
    /// # fn f(tenant: &authing::Tenant) { println!("{}", tenant.tenant_name()); }
    /// ```
    pub fn tenant_name(&self) -> &str {
        &self.tenant_name
    }

    /// When the user joined the tenant (`joinAt`, ISO 8601).
    ///
    /// ```no_run
    /// # fn f(tenant: &authing::Tenant) { println!("{}", tenant.join_at()); }
    /// ```
    pub fn join_at(&self) -> &str {
        &self.join_at
    }
}

/// A role of the user (the spec's `RoleDto`), an item of [`AuthResponse::role_list`].
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_role_list_blocking(None);
/// let is_admin = response.role_list()?.iter().any(|role| role.code() == "admin");
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    id: String,
    code: String,
    #[serde(default, deserialize_with = "text")]
    name: String,
    #[serde(default, deserialize_with = "text")]
    description: String,
    #[serde(default, deserialize_with = "text")]
    namespace: String,
    #[serde(default, deserialize_with = "text")]
    namespace_name: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    disable_time: Option<f64>,
}

impl Role {
    /// The role's id (`id`).
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { println!("{}", role.id()); }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The role's code, unique in its namespace (`code`).
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { println!("{}", role.code()); }
    /// ```
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The role's name (`name`).
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { println!("{}", role.name()); }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The role's description (`description`).
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { println!("{}", role.description()); }
    /// ```
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The code of the role's namespace, its permission space (`namespace`).
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { println!("{}", role.namespace()); }
    /// ```
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The name of the role's namespace (`namespaceName`).
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { println!("{}", role.namespace_name()); }
    /// ```
    pub fn namespace_name(&self) -> &str {
        &self.namespace_name
    }

    /// The role's state (`status`: `ENABLE` or `DISABLE`), when the server sent one.
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { let usable = role.status() != Some("DISABLE"); }
    /// ```
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// When the role is disabled automatically, in milliseconds since the Unix epoch
    /// (`disableTime`); `None` when it never is.
    ///
    /// ```no_run
    /// # fn f(role: &authing::Role) { println!("{:?}", role.disable_time()); }
    /// ```
    pub fn disable_time(&self) -> Option<u64> {
        self.disable_time
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .map(|ms| ms as u64)
    }
}

/// A group of the user (the spec's `GroupDto`), an item of [`AuthResponse::group_list`].
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_group_list_blocking();
/// for group in response.group_list()? {
///     println!("{} ({} members)", group.name(), group.members().len());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    id: String,
    code: String,
    #[serde(default, deserialize_with = "text")]
    name: String,
    #[serde(default, deserialize_with = "text")]
    description: String,
    #[serde(rename = "type", default, deserialize_with = "text")]
    group_type: String,
    #[serde(default, deserialize_with = "texts")]
    metadata_source: Vec<String>,
    #[serde(default, deserialize_with = "members")]
    members: Vec<UserInfo>,
}

/// A group's `members`, each a `UserDto` with a `userId`.
fn members<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<UserInfo>, D::Error> {
    Option::<Vec<Value>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .map(|member| UserInfo::from_value(member).map_err(serde::de::Error::custom))
        .collect()
}

impl Group {
    /// The group's id (`id`).
    ///
    /// ```no_run
    /// # fn f(group: &authing::Group) { println!("{}", group.id()); }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The group's code (`code`).
    ///
    /// ```no_run
    /// # fn f(group: &authing::Group) { println!("{}", group.code()); }
    /// ```
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The group's name (`name`).
    ///
    /// ```no_run
    /// # fn f(group: &authing::Group) { println!("{}", group.name()); }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The group's description (`description`).
    ///
    /// ```no_run
    /// # fn f(group: &authing::Group) { println!("{}", group.description()); }
    /// ```
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The group's type (`type`), as the server names it.
    ///
    /// ```no_run
    /// # fn f(group: &authing::Group) { println!("{}", group.group_type()); }
    /// ```
    pub fn group_type(&self) -> &str {
        &self.group_type
    }

    /// The group's metadata sources (`metadataSource`).
    ///
    /// ```no_run
    /// # fn f(group: &authing::Group) { println!("{:?}", group.metadata_source()); }
    /// ```
    pub fn metadata_source(&self) -> &[String] {
        &self.metadata_source
    }

    /// The group's members (`members`).
    ///
    /// ```no_run
    /// # fn f(group: &authing::Group) {
    /// for member in group.members() { println!("{}", member.user_id()); }
    /// # }
    /// ```
    pub fn members(&self) -> &[UserInfo] {
        &self.members
    }
}

/// A department of the user (the spec's `UserDepartmentRespDto`), an item of
/// [`AuthResponse::department_list`].
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_department_list_blocking(1, 10, false, None, None);
/// for department in response.department_list()?.list() {
///     let main = if department.is_main_department() { " (main)" } else { "" };
///     println!("{}{main}: {}", department.name(), department.department_name_path().join(" / "));
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Department {
    department_id: String,
    #[serde(default, deserialize_with = "text")]
    name: String,
    #[serde(default, deserialize_with = "text")]
    code: String,
    #[serde(default, deserialize_with = "text")]
    description: String,
    #[serde(default, deserialize_with = "text")]
    organization_code: String,
    #[serde(default)]
    open_department_id: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    is_root: bool,
    #[serde(default, deserialize_with = "flag")]
    is_leader: bool,
    #[serde(default, deserialize_with = "flag")]
    is_main_department: bool,
    #[serde(default, deserialize_with = "flag")]
    is_virtual_node: bool,
    #[serde(default, deserialize_with = "text")]
    created_at: String,
    #[serde(default, deserialize_with = "text")]
    joined_at: String,
    #[serde(default)]
    custom_data: Option<Value>,
    #[serde(default, deserialize_with = "texts")]
    department_id_path: Vec<String>,
    #[serde(default, deserialize_with = "texts")]
    department_code_path: Vec<String>,
    #[serde(default, deserialize_with = "texts")]
    department_name_path: Vec<String>,
}

impl Department {
    /// The department's id (`departmentId`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.department_id()); }
    /// ```
    pub fn department_id(&self) -> &str {
        &self.department_id
    }

    /// The department's name (`name`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.name()); }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The department's code (`code`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.code()); }
    /// ```
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The department's description (`description`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.description()); }
    /// ```
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The code of the organization the department is in (`organizationCode`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.organization_code()); }
    /// ```
    pub fn organization_code(&self) -> &str {
        &self.organization_code
    }

    /// A custom id of the department (`openDepartmentId`), if it has one.
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.open_department_id().unwrap_or("-")); }
    /// ```
    pub fn open_department_id(&self) -> Option<&str> {
        self.open_department_id.as_deref()
    }

    /// Whether the department is its organization's root (`isRoot`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.is_root()); }
    /// ```
    pub fn is_root(&self) -> bool {
        self.is_root
    }

    /// Whether the user leads the department (`isLeader`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.is_leader()); }
    /// ```
    pub fn is_leader(&self) -> bool {
        self.is_leader
    }

    /// Whether it is the user's main department (`isMainDepartment`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.is_main_department()); }
    /// ```
    pub fn is_main_department(&self) -> bool {
        self.is_main_department
    }

    /// Whether the department is virtual (`isVirtualNode`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.is_virtual_node()); }
    /// ```
    pub fn is_virtual_node(&self) -> bool {
        self.is_virtual_node
    }

    /// When the department was created (`createdAt`, ISO 8601).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.created_at()); }
    /// ```
    pub fn created_at(&self) -> &str {
        &self.created_at
    }

    /// When the user joined the department (`joinedAt`, ISO 8601).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.joined_at()); }
    /// ```
    pub fn joined_at(&self) -> &str {
        &self.joined_at
    }

    /// The department's custom data (`customData`), present when asked for
    /// (`get_department_list(.., true, ..)`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { if let Some(data) = d.custom_data() { println!("{data}"); } }
    /// ```
    pub fn custom_data(&self) -> Option<&Value> {
        self.custom_data.as_ref().filter(|v| !v.is_null())
    }

    /// The ids of the departments from the root down to this one (`departmentIdPath`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{:?}", d.department_id_path()); }
    /// ```
    pub fn department_id_path(&self) -> &[String] {
        &self.department_id_path
    }

    /// The codes of the departments from the root down to this one (`departmentCodePath`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{:?}", d.department_code_path()); }
    /// ```
    pub fn department_code_path(&self) -> &[String] {
        &self.department_code_path
    }

    /// The names of the departments from the root down to this one (`departmentNamePath`).
    ///
    /// ```no_run
    /// # fn f(d: &authing::Department) { println!("{}", d.department_name_path().join(" / ")); }
    /// ```
    pub fn department_name_path(&self) -> &[String] {
        &self.department_name_path
    }
}

/// A resource the user may act on (the spec's `AuthorizedResourceDto`), an item of
/// [`AuthResponse::authorized_resources`].
///
/// ```no_run
/// use authing::ResourceType;
/// # let response = authing::AuthClient::new().get_authorized_resources_blocking(None, None);
/// for resource in response.authorized_resources()?.list() {
///     if resource.resource_type() == Some(ResourceType::MENU) && resource.is_allowed() {
///         println!("show menu {} ({})", resource.resource_code(), resource.actions().join(", "));
///     }
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizedResource {
    resource_code: String,
    #[serde(default, deserialize_with = "text")]
    resource_type: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "text")]
    api_identifier: String,
    #[serde(default, deserialize_with = "texts")]
    actions: Vec<String>,
    #[serde(default, deserialize_with = "text")]
    effect: String,
}

impl AuthorizedResource {
    /// The resource's code (`resourceCode`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthorizedResource) { println!("{}", r.resource_code()); }
    /// ```
    pub fn resource_code(&self) -> &str {
        &self.resource_code
    }

    /// The resource's kind (`resourceType`); `None` for a kind this crate does not know
    /// (`response.data()` has its name).
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthorizedResource) { println!("{:?}", r.resource_type()); }
    /// ```
    pub fn resource_type(&self) -> Option<ResourceType> {
        self.resource_type.parse().ok()
    }

    /// The resource's description (`description`), if it has one.
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthorizedResource) { println!("{}", r.description().unwrap_or("-")); }
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The URL of an `API` resource (`apiIdentifier`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthorizedResource) { println!("{}", r.api_identifier()); }
    /// ```
    pub fn api_identifier(&self) -> &str {
        &self.api_identifier
    }

    /// The actions granted (`actions`), such as `read` or `write`.
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthorizedResource) { let can_write = r.actions().iter().any(|a| a == "write"); }
    /// ```
    pub fn actions(&self) -> &[String] {
        &self.actions
    }

    /// Whether the actions are allowed or denied (`effect`: `ALLOW` or `DENY`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthorizedResource) { println!("{}", r.effect()); }
    /// ```
    pub fn effect(&self) -> &str {
        &self.effect
    }

    /// Whether the actions are allowed: `effect` is not `DENY` (the spec's default is
    /// `ALLOW`).
    ///
    /// ```no_run
    /// # fn f(r: &authing::AuthorizedResource) { if r.is_allowed() { println!("granted"); } }
    /// ```
    pub fn is_allowed(&self) -> bool {
        self.effect != "DENY"
    }
}

impl AuthResponse {
    /// The typed answer of `get_login_history`: one page of sign-ins, newest first, with
    /// the total and whether more pages exist.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_login_history_blocking(None, None, None, None, None, 1, 10);
    /// let history = response.login_history()?;
    /// println!("{} sign-ins in all; more: {}", history.total_count(), history.has_more());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn login_history(&self) -> Result<Page<LoginRecord>, AuthError> {
        Page::from_response(self)
    }

    /// The typed answer of `get_logged_in_apps` and of `get_accessible_apps`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_accessible_apps_blocking();
    /// for app in response.app_list()? { println!("{}", app.app_name()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn app_list(&self) -> Result<Vec<AppInfo>, AuthError> {
        page::list_from_response(self)
    }

    /// The typed answer of `get_tenant_list`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_tenant_list_blocking();
    /// for tenant in response.tenant_list()? { println!("{}", tenant.tenant_name()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn tenant_list(&self) -> Result<Vec<Tenant>, AuthError> {
        page::list_from_response(self)
    }

    /// The typed answer of `get_role_list`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_role_list_blocking(None);
    /// for role in response.role_list()? { println!("{} {}", role.namespace(), role.code()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn role_list(&self) -> Result<Vec<Role>, AuthError> {
        page::list_from_response(self)
    }

    /// The typed answer of `get_group_list`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_group_list_blocking();
    /// for group in response.group_list()? { println!("{}", group.code()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn group_list(&self) -> Result<Vec<Group>, AuthError> {
        page::list_from_response(self)
    }

    /// The typed answer of `get_department_list`: one page of departments, with the
    /// total and whether more pages exist.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_department_list_blocking(1, 10, false, None, None);
    /// let departments = response.department_list()?;
    /// println!("page {:?} of {} departments", departments.page(), departments.total_count());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn department_list(&self) -> Result<Page<Department>, AuthError> {
        Page::from_response(self)
    }

    /// The typed answer of `get_authorized_resources`: the resources, with their total
    /// (the server answers them in one list, not by page).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_authorized_resources_blocking(None, None);
    /// for resource in response.authorized_resources()?.list() {
    ///     println!("{} {:?}", resource.resource_code(), resource.actions());
    /// }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn authorized_resources(&self) -> Result<Page<AuthorizedResource>, AuthError> {
        Page::from_response(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn display_texts_sent_as_null_read_as_empty_and_ids_must_be_there() {
        let role: Role = serde_json::from_value(json!({
            "id": "r1", "code": "admin", "name": null, "description": null,
            "namespace": "default", "namespaceName": "Default"
        }))
        .unwrap();
        assert_eq!((role.name(), role.description()), ("", ""));
        assert!(serde_json::from_value::<Role>(json!({"id": "r1"})).is_err());
    }

    #[test]
    fn a_resource_of_a_kind_this_crate_does_not_know_has_no_type_but_keeps_its_code() {
        let r: AuthorizedResource = serde_json::from_value(json!({
            "resourceCode": "x", "resourceType": "HOLOGRAM", "actions": ["read"], "effect": "ALLOW"
        }))
        .unwrap();
        assert_eq!(r.resource_type(), None);
        assert_eq!(r.resource_code(), "x");
        assert!(r.is_allowed());
    }
}
