//! What one user has of the pool's directory (`state.rs`): the apps, tenants, roles,
//! groups and departments given to it, the resources granted to it, the identities it has
//! linked, and its sign-ins. Kept in the directory's state by user id (a deleted user's
//! goes with it, through the family's `forget_user`); the operations that give a user
//! something are here, on [`State`].

use std::time::SystemTime;

use serde_json::{json, Map, Value};

use crate::core::random;
use crate::core::state::State;
use crate::core::users::User;
use crate::core::vocab::ResourceType;
use crate::families::directory::new_entries::{
    NewApp, NewDepartment, NewGroup, NewIdentity, NewResource, NewRole, NewTenant, SeedError,
};
use crate::families::directory::state::{one_of, optional, required, DEFAULT_NAMESPACE};

/// Sign-ins kept per user; the oldest are forgotten.
pub(crate) const MAX_HISTORY: usize = 1_000;

/// How a user is in a department.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Membership {
    pub(crate) department: String,
    pub(crate) joined_at: SystemTime,
    pub(crate) is_leader: bool,
    pub(crate) is_main: bool,
}

/// A resource granted to a user.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Grant {
    pub(crate) code: String,
    pub(crate) resource_type: ResourceType,
    pub(crate) namespace: String,
    pub(crate) description: Option<String>,
    pub(crate) api_identifier: String,
    pub(crate) actions: Vec<String>,
    pub(crate) effect: String,
}

/// An identity a user linked.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkedIdentity {
    pub(crate) identity_id: String,
    pub(crate) ext_idp_id: String,
    pub(crate) provider: String,
    pub(crate) identity_type: String,
    pub(crate) user_id_in_idp: String,
    pub(crate) user_info: Map<String, Value>,
    pub(crate) conn_id: String,
}

/// One sign-in.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct LoginRecord {
    pub(crate) app_id: String,
    pub(crate) at: SystemTime,
    pub(crate) client_ip: String,
    pub(crate) success: bool,
    pub(crate) error_message: Option<String>,
    pub(crate) user_agent: String,
    pub(crate) login_method: String,
}

/// What one user has.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Access {
    pub(crate) apps: Vec<String>,
    /// Tenant ids and when the user joined.
    pub(crate) tenants: Vec<(String, SystemTime)>,
    pub(crate) roles: Vec<String>,
    pub(crate) groups: Vec<String>,
    pub(crate) departments: Vec<Membership>,
    pub(crate) resources: Vec<Grant>,
    pub(crate) identities: Vec<LinkedIdentity>,
    /// Oldest first.
    pub(crate) history: Vec<LoginRecord>,
}

/// What a user given nothing has.
pub(crate) static NO_ACCESS: Access = Access {
    apps: Vec::new(),
    tenants: Vec::new(),
    roles: Vec::new(),
    groups: Vec::new(),
    departments: Vec::new(),
    resources: Vec::new(),
    identities: Vec::new(),
    history: Vec::new(),
};

impl Access {
    /// Records a sign-in, forgetting the oldest beyond [`MAX_HISTORY`].
    pub(crate) fn record(&mut self, record: LoginRecord) {
        if self.history.len() >= MAX_HISTORY {
            self.history.remove(0);
        }
        self.history.push(record);
    }
}

/// Pushes `item` unless it is there already.
fn add_once<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The `IdentityDto`s of `user`: its directory account (AD or LDAP), then the identities
/// it linked (in `access`, what it has).
pub(crate) fn identity_dtos(user: &User, access: &Access) -> Vec<Value> {
    let directory = user.directory.iter().map(|d| {
        let provider = d.kind.provider();
        let connection = format!("emulator-{provider}");
        json!({
            "identityId": format!("{provider}-{}", user.id),
            "extIdpId": connection,
            "provider": provider,
            "type": "primary",
            "userIdInIdp": d.sam_account_name,
            "userInfoInIdp": {"sAMAccountName": d.sam_account_name},
            "originConnIds": [connection],
        })
    });
    let linked = access.identities.iter().map(|i| {
        json!({
            "identityId": i.identity_id,
            "extIdpId": i.ext_idp_id,
            "provider": i.provider,
            "type": i.identity_type,
            "userIdInIdp": i.user_id_in_idp,
            "userInfoInIdp": i.user_info,
            "originConnIds": [i.conn_id],
        })
    });
    directory.chain(linked).collect()
}

/// The ids of the departments of a user that has `access`.
pub(crate) fn department_ids(access: &Access) -> Vec<String> {
    access
        .departments
        .iter()
        .map(|m| m.department.clone())
        .collect()
}

impl State {
    /// What the user named by `query` has, for a seed.
    fn seeded_user(&mut self, query: &str) -> Result<&mut Access, SeedError> {
        let id = self
            .users
            .by_query(query)
            .and_then(|index| self.users.get(index))
            .map(|user| user.id.clone())
            .ok_or_else(|| SeedError::NoSuchUser(query.to_owned()))?;
        Ok(self.families.catalog.access_mut(&id))
    }

    /// Gives the user named by `user` the app `seed` names; the app's id.
    pub(crate) fn assign_app(&mut self, user: &str, seed: &NewApp) -> Result<String, SeedError> {
        self.seeded_user(user)?;
        let id = self.families.catalog.app(seed)?;
        add_once(&mut self.seeded_user(user)?.apps, id.clone());
        Ok(id)
    }

    /// Makes the user named by `user` a member of the tenant `seed` names; its id.
    pub(crate) fn assign_tenant(
        &mut self,
        user: &str,
        seed: &NewTenant,
    ) -> Result<String, SeedError> {
        self.seeded_user(user)?;
        let id = self.families.catalog.tenant(seed)?;
        let now = self.now();
        let tenants = &mut self.seeded_user(user)?.tenants;
        if tenants.iter().all(|(t, _)| *t != id) {
            tenants.push((id.clone(), now));
        }
        Ok(id)
    }

    /// Gives the user named by `user` the role `seed` names; its id.
    pub(crate) fn assign_role(&mut self, user: &str, seed: &NewRole) -> Result<String, SeedError> {
        self.seeded_user(user)?;
        let id = self.families.catalog.role(seed)?;
        add_once(&mut self.seeded_user(user)?.roles, id.clone());
        Ok(id)
    }

    /// Makes the user named by `user` a member of the group `seed` names; its id.
    pub(crate) fn assign_group(
        &mut self,
        user: &str,
        seed: &NewGroup,
    ) -> Result<String, SeedError> {
        self.seeded_user(user)?;
        let id = self.families.catalog.group(seed)?;
        add_once(&mut self.seeded_user(user)?.groups, id.clone());
        Ok(id)
    }

    /// Puts the user named by `user` in the department `seed` names; its id. Joining it
    /// again updates how (leader, main department). One main department at most: a new
    /// main one ends the old one's being main.
    pub(crate) fn assign_department(
        &mut self,
        user: &str,
        seed: &NewDepartment,
    ) -> Result<String, SeedError> {
        self.seeded_user(user)?;
        let now = self.now();
        let id = self.families.catalog.department(seed, now)?;
        let departments = &mut self.seeded_user(user)?.departments;
        if seed.is_main_department {
            for m in departments.iter_mut() {
                m.is_main = false;
            }
        }
        match departments.iter_mut().find(|m| m.department == id) {
            Some(m) => {
                m.is_leader = seed.is_leader;
                m.is_main = seed.is_main_department;
            }
            None => departments.push(Membership {
                department: id.clone(),
                joined_at: now,
                is_leader: seed.is_leader,
                is_main: seed.is_main_department,
            }),
        }
        Ok(id)
    }

    /// Grants the user named by `user` the resource `seed` describes (replacing a grant of
    /// the same namespace and code); its code.
    pub(crate) fn assign_resource(
        &mut self,
        user: &str,
        seed: &NewResource,
    ) -> Result<String, SeedError> {
        let code = required("code", &seed.code)?.to_owned();
        let resource_type =
            ResourceType::from_wire(seed.resource_type.trim()).ok_or_else(|| {
                SeedError::Invalid("resourceType must be one of DATA, API, MENU, BUTTON, UI".into())
            })?;
        let effect = one_of("effect", &seed.effect, "ALLOW", &["ALLOW", "DENY"])?;
        let mut actions: Vec<String> = seed
            .actions
            .iter()
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty())
            .collect();
        if actions.is_empty() {
            actions.push("read".into());
        }
        let grant = Grant {
            namespace: optional(&seed.namespace).unwrap_or_else(|| DEFAULT_NAMESPACE.into()),
            code: code.clone(),
            resource_type,
            description: optional(&seed.description),
            api_identifier: optional(&seed.api_identifier).unwrap_or_default(),
            actions,
            effect,
        };
        let resources = &mut self.seeded_user(user)?.resources;
        resources.retain(|g| !(g.code == grant.code && g.namespace == grant.namespace));
        resources.push(grant);
        Ok(code)
    }

    /// Links to the user named by `user` its identity `seed` at a provider the app
    /// offers; the identity's id.
    pub(crate) fn link_identity(
        &mut self,
        user: &str,
        seed: &NewIdentity,
    ) -> Result<String, SeedError> {
        let identifier = required("identifier", &seed.identifier)?;
        let user_id_in_idp = required("userIdInIdp", &seed.user_id_in_idp)?.to_owned();
        let idp = self
            .families
            .catalog
            .ext_idp(identifier)
            .ok_or_else(|| SeedError::NotFound(format!("ext idp connection {identifier}")))?
            .clone();
        let identity_type = optional(&seed.identity_type).unwrap_or_else(|| "openid".into());
        let catalog = &self.families.catalog;
        let taken = self.users.iter().any(|u| {
            catalog.access_of(&u.id).identities.iter().any(|i| {
                i.ext_idp_id == idp.id
                    && i.identity_type == identity_type
                    && i.user_id_in_idp == user_id_in_idp
            })
        });
        if taken {
            return Err(SeedError::Duplicate(format!(
                "identity {user_id_in_idp} at {identifier}"
            )));
        }
        let identity = LinkedIdentity {
            identity_id: random::hex(12),
            ext_idp_id: idp.id,
            provider: idp.idp_type,
            identity_type,
            user_id_in_idp,
            user_info: seed.user_info_in_idp.clone().unwrap_or_default(),
            conn_id: idp.conn_id,
        };
        let id = identity.identity_id.clone();
        self.seeded_user(user)?.identities.push(identity);
        Ok(id)
    }

    /// Completes a `link-extidp` ticket as the provider's sign-in page would: links a new
    /// identity (a made-up id at the provider) to the user who asked; its id.
    pub(crate) fn complete_link(&mut self, ticket: &str) -> Result<String, SeedError> {
        let now = self.now();
        let taken = self
            .families
            .catalog
            .take_ticket(ticket, now)
            .ok_or_else(|| SeedError::NotFound("link ticket (unknown, used or expired)".into()))?;
        let user_id_in_idp = format!("emulated-{}", random::hex(8));
        let seed = NewIdentity {
            user_info_in_idp: Some(
                json!({"id": user_id_in_idp, "emulated": true})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            ),
            ..NewIdentity::new(taken.identifier, user_id_in_idp.clone())
        };
        self.link_identity(&taken.user_id, &seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::EmulatorConfig;
    use crate::families::directory::new_entries::NewExtIdp;
    use crate::families::directory::state as catalog;
    use crate::NewUser;

    fn state_with_alice() -> State {
        let mut state = State::empty();
        state
            .add_user(
                &EmulatorConfig::default(),
                &NewUser::with_username("alice", "secret-1"),
            )
            .unwrap();
        state
    }

    #[test]
    fn a_seed_given_twice_is_the_same_thing_given_once() {
        let mut state = state_with_alice();
        let a = state.assign_role("alice", &NewRole::new("admin")).unwrap();
        let b = state.assign_role("alice", &NewRole::new("admin")).unwrap();
        assert_eq!(a, b);
        assert_eq!(state.families.catalog.roles.len(), 1);
        let alice = state.users.get(0).unwrap();
        assert_eq!(state.families.catalog.access_of(&alice.id).roles, vec![a]);
    }

    #[test]
    fn one_identity_at_a_provider_belongs_to_one_user() {
        let mut state = state_with_alice();
        state
            .add_user(
                &EmulatorConfig::default(),
                &NewUser::with_username("bob", "secret-1"),
            )
            .unwrap();
        state
            .families
            .catalog
            .add_ext_idp(&NewExtIdp::new("gh", "github", "GitHub"))
            .unwrap();
        let octocat = NewIdentity::new("gh", "octocat");
        state.link_identity("alice", &octocat).unwrap();
        assert!(matches!(
            state.link_identity("bob", &octocat),
            Err(SeedError::Duplicate(_))
        ));
    }

    #[test]
    fn a_link_ticket_is_spent_once_and_expires() {
        let mut state = state_with_alice();
        state
            .families
            .catalog
            .add_ext_idp(&NewExtIdp::new("gh", "github", "GitHub"))
            .unwrap();
        let alice = state.users.get(0).unwrap().id.clone();
        let now = state.now();
        let ticket = state.families.catalog.issue_ticket(&alice, "gh", now);
        assert!(state.complete_link(&ticket).is_ok());
        assert!(matches!(
            state.complete_link(&ticket),
            Err(SeedError::NotFound(_))
        ));
        let late = state.families.catalog.issue_ticket(&alice, "gh", now);
        assert!(state.advance(catalog::TICKET_TTL));
        assert!(matches!(
            state.complete_link(&late),
            Err(SeedError::NotFound(_))
        ));
    }
}
