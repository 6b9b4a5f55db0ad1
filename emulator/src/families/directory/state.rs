//! The directory family's state, the pool's directory: its apps, tenants, roles, groups, departments and the external
//! identity providers the app offers, each made once from a seed and found again by its
//! key; the single-use tickets of `link-extidp`; and what each user has of them
//! (`user_access.rs`), by user id.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::core::random;
use crate::families::directory::new_entries::{
    NewApp, NewDepartment, NewExtIdp, NewGroup, NewRole, NewTenant, SeedError,
};
use crate::families::directory::user_access::{Access, NO_ACCESS};

/// How long a `link-extidp` ticket may wait for its browser, in emulator time.
pub(crate) const TICKET_TTL: Duration = Duration::from_secs(600);
/// The namespace of a role or resource seeded without one.
pub(crate) const DEFAULT_NAMESPACE: &str = "default";
/// The organization of a department seeded without one.
pub(crate) const DEFAULT_ORGANIZATION: &str = "emulator";
/// The name of the emulator's own app until a seed names it.
pub(crate) const OWN_APP_NAME: &str = "Authing Emulator";
/// Tickets kept at most; the oldest are forgotten.
const MAX_TICKETS: usize = 1_000;

/// An app.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) name: String,
    /// `None`: the emulator's `/login?app_id=` page, whose host the request tells.
    pub(crate) login_url: Option<String>,
    pub(crate) logo: String,
}

/// A tenant.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tenant {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// A role.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Role {
    pub(crate) id: String,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) namespace: String,
    pub(crate) namespace_name: String,
    pub(crate) status: String,
    pub(crate) disable_time: Option<u64>,
}

/// A group.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Group {
    pub(crate) id: String,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) group_type: String,
}

/// A department.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Department {
    pub(crate) id: String,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) organization_code: String,
    /// The parent's id.
    pub(crate) parent: Option<String>,
    pub(crate) open_department_id: Option<String>,
    pub(crate) custom_data: Map<String, Value>,
    pub(crate) created_at: SystemTime,
}

/// An external identity provider the app offers, and its one connection.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ExtIdp {
    pub(crate) id: String,
    /// The connection's identifier.
    pub(crate) identifier: String,
    /// The connection's id (`originConnIds`).
    pub(crate) conn_id: String,
    pub(crate) idp_type: String,
    pub(crate) ext_idp_type: String,
    pub(crate) name: String,
    pub(crate) name_en: Option<String>,
    pub(crate) desc: Option<String>,
    pub(crate) desc_en: Option<String>,
    pub(crate) logo: Option<String>,
}

/// A `link-extidp` ticket: who asked to link which provider, until when.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Ticket {
    pub(crate) user_id: String,
    pub(crate) identifier: String,
    pub(crate) expires_at: SystemTime,
}

/// The pool's directory.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Catalog {
    /// What each user has of the directory, and its sign-ins, by user id (a user given
    /// nothing yet has no entry).
    access: HashMap<String, Access>,
    pub(crate) apps: Vec<App>,
    pub(crate) tenants: Vec<Tenant>,
    pub(crate) roles: Vec<Role>,
    pub(crate) groups: Vec<Group>,
    pub(crate) departments: Vec<Department>,
    pub(crate) ext_idps: Vec<ExtIdp>,
    tickets: HashMap<String, Ticket>,
    ticket_order: Vec<String>,
}

/// `value` when it is not empty or only whitespace, trimmed.
pub(crate) fn required<'a>(field: &str, value: &'a str) -> Result<&'a str, SeedError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(SeedError::Invalid(format!("{field} is empty")));
    }
    Ok(value)
}

/// An optional text: `None` when absent, empty or only whitespace; trimmed.
pub(crate) fn optional(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `value`, or `default` when it is `None`, when it is one of `allowed`.
pub(crate) fn one_of(
    field: &str,
    value: &Option<String>,
    default: &str,
    allowed: &[&str],
) -> Result<String, SeedError> {
    let value = optional(value).unwrap_or_else(|| default.to_owned());
    if allowed.contains(&value.as_str()) {
        return Ok(value);
    }
    Err(SeedError::Invalid(format!(
        "{field} must be one of {}",
        allowed.join(", ")
    )))
}

impl Catalog {
    /// What the user with id `user` has of the directory (nothing, when never given
    /// anything).
    pub(crate) fn access_of(&self, user: &str) -> &Access {
        self.access.get(user).unwrap_or(&NO_ACCESS)
    }

    /// What the user with id `user` has of the directory, to give it more.
    pub(crate) fn access_mut(&mut self, user: &str) -> &mut Access {
        self.access.entry(user.to_owned()).or_default()
    }

    /// Forgets what a deleted user had.
    pub(crate) fn forget_user(&mut self, user: &str) {
        self.access.remove(user);
    }

    /// The app `seed` names, made if new; its id.
    pub(crate) fn app(&mut self, seed: &NewApp) -> Result<String, SeedError> {
        let name = required("appName", &seed.app_name)?;
        let id = optional(&seed.app_id).unwrap_or_else(|| random::hex(12));
        if self.apps.iter().all(|a| a.id != id) {
            self.apps.push(App {
                id: id.clone(),
                name: name.to_owned(),
                login_url: optional(&seed.app_login_url),
                logo: optional(&seed.app_logo).unwrap_or_default(),
            });
        }
        Ok(id)
    }

    /// The app `id`, or the emulator's own app (`own_id`) as it is until a seed names it.
    pub(crate) fn app_or_own(&self, id: &str, own_id: &str) -> Option<App> {
        let seeded = self.apps.iter().find(|a| a.id == id).cloned();
        seeded.or_else(|| {
            (id == own_id).then(|| App {
                id: own_id.to_owned(),
                name: OWN_APP_NAME.to_owned(),
                login_url: None,
                logo: String::new(),
            })
        })
    }

    /// The tenant `seed` names, made if new; its id.
    pub(crate) fn tenant(&mut self, seed: &NewTenant) -> Result<String, SeedError> {
        let name = required("tenantName", &seed.tenant_name)?;
        let id = optional(&seed.tenant_id).unwrap_or_else(|| random::hex(12));
        if self.tenants.iter().all(|t| t.id != id) {
            self.tenants.push(Tenant {
                id: id.clone(),
                name: name.to_owned(),
            });
        }
        Ok(id)
    }

    /// The role `seed` names (by namespace and code), made if new; its id.
    pub(crate) fn role(&mut self, seed: &NewRole) -> Result<String, SeedError> {
        let code = required("code", &seed.code)?;
        let namespace = optional(&seed.namespace).unwrap_or_else(|| DEFAULT_NAMESPACE.into());
        if let Some(role) = self
            .roles
            .iter()
            .find(|r| r.code == code && r.namespace == namespace)
        {
            return Ok(role.id.clone());
        }
        let status = one_of("status", &seed.status, "ENABLE", &["ENABLE", "DISABLE"])?;
        let role = Role {
            id: random::hex(12),
            code: code.to_owned(),
            name: optional(&seed.name).unwrap_or_else(|| code.to_owned()),
            description: optional(&seed.description).unwrap_or_default(),
            namespace_name: optional(&seed.namespace_name).unwrap_or_else(|| namespace.clone()),
            namespace,
            status,
            disable_time: seed.disable_time,
        };
        let id = role.id.clone();
        self.roles.push(role);
        Ok(id)
    }

    /// The group `seed` names (by code), made if new; its id.
    pub(crate) fn group(&mut self, seed: &NewGroup) -> Result<String, SeedError> {
        let code = required("code", &seed.code)?;
        if let Some(group) = self.groups.iter().find(|g| g.code == code) {
            return Ok(group.id.clone());
        }
        let group = Group {
            id: random::hex(12),
            code: code.to_owned(),
            name: optional(&seed.name).unwrap_or_else(|| code.to_owned()),
            description: optional(&seed.description).unwrap_or_default(),
            group_type: optional(&seed.group_type).unwrap_or_else(|| "static".into()),
        };
        let id = group.id.clone();
        self.groups.push(group);
        Ok(id)
    }

    /// The department `seed` names (by organization and code), made if new at `now`;
    /// its id. A parent must exist in the same organization.
    pub(crate) fn department(
        &mut self,
        seed: &NewDepartment,
        now: SystemTime,
    ) -> Result<String, SeedError> {
        let code = required("code", &seed.code)?;
        let name = required("name", &seed.name)?;
        let organization =
            optional(&seed.organization_code).unwrap_or_else(|| DEFAULT_ORGANIZATION.into());
        let find = |code: &str| {
            self.departments
                .iter()
                .find(|d| d.code == code && d.organization_code == organization)
        };
        if let Some(department) = find(code) {
            return Ok(department.id.clone());
        }
        let parent = match optional(&seed.parent) {
            Some(parent) => Some(
                find(&parent)
                    .map(|d| d.id.clone())
                    .ok_or_else(|| SeedError::NotFound(format!("parent department {parent}")))?,
            ),
            None => None,
        };
        let department = Department {
            id: random::hex(12),
            code: code.to_owned(),
            name: name.to_owned(),
            description: optional(&seed.description).unwrap_or_default(),
            organization_code: organization,
            parent,
            open_department_id: optional(&seed.open_department_id),
            custom_data: seed.custom_data.clone().unwrap_or_default(),
            created_at: now,
        };
        let id = department.id.clone();
        self.departments.push(department);
        Ok(id)
    }

    /// The departments from the root down to `id`.
    pub(crate) fn department_path(&self, id: &str) -> Vec<&Department> {
        let mut path = Vec::new();
        let mut next = Some(id.to_owned());
        while let Some(id) = next {
            // Parents are made before their children, so the walk always ends; the bound
            // is a second guard.
            let Some(d) = self.departments.iter().find(|d| d.id == id) else {
                break;
            };
            if path.len() > self.departments.len() {
                break;
            }
            path.push(d);
            next = d.parent.clone();
        }
        path.reverse();
        path
    }

    /// Adds a provider the app offers; its id. Refused when its connection identifier is
    /// taken.
    pub(crate) fn add_ext_idp(&mut self, seed: &NewExtIdp) -> Result<String, SeedError> {
        let identifier = required("identifier", &seed.identifier)?;
        let idp_type = required("type", &seed.idp_type)?;
        let name = required("name", &seed.name)?;
        let ext_idp_type = one_of(
            "extIdpType",
            &seed.ext_idp_type,
            "social",
            &["social", "enterprise"],
        )?;
        if self.ext_idp(identifier).is_some() {
            return Err(SeedError::Duplicate(format!(
                "ext idp connection {identifier}"
            )));
        }
        let id = optional(&seed.ext_idp_id).unwrap_or_else(|| random::hex(12));
        self.ext_idps.push(ExtIdp {
            id: id.clone(),
            identifier: identifier.to_owned(),
            conn_id: random::hex(12),
            idp_type: idp_type.to_owned(),
            ext_idp_type,
            name: name.to_owned(),
            name_en: optional(&seed.name_en),
            desc: optional(&seed.desc),
            desc_en: optional(&seed.desc_en),
            logo: optional(&seed.logo),
        });
        Ok(id)
    }

    /// The provider offered through the connection `identifier`.
    pub(crate) fn ext_idp(&self, identifier: &str) -> Option<&ExtIdp> {
        self.ext_idps.iter().find(|i| i.identifier == identifier)
    }

    /// A new single-use ticket for `user_id` to link the provider of `identifier`.
    pub(crate) fn issue_ticket(
        &mut self,
        user_id: &str,
        identifier: &str,
        now: SystemTime,
    ) -> String {
        if self.ticket_order.len() >= MAX_TICKETS {
            let oldest = self.ticket_order.remove(0);
            self.tickets.remove(&oldest);
        }
        let ticket = random::token();
        self.tickets.insert(
            ticket.clone(),
            Ticket {
                user_id: user_id.to_owned(),
                identifier: identifier.to_owned(),
                expires_at: now + TICKET_TTL,
            },
        );
        self.ticket_order.push(ticket.clone());
        ticket
    }

    /// Spends a ticket; `None` when it is unknown, spent or expired at `now`.
    pub(crate) fn take_ticket(&mut self, ticket: &str, now: SystemTime) -> Option<Ticket> {
        let taken = self.tickets.remove(ticket)?;
        self.ticket_order.retain(|t| t != ticket);
        (now < taken.expires_at).then_some(taken)
    }
}
