//! The conformance rows of what the signed-in user may access (history, apps, tenants,
//! roles, groups, departments, resources, identities). One `Call` a way of calling; the
//! paths only these rows send are defined here.

use crate::{Call, Ctx, APP_ID, EMAIL, PROFILE, SIGNIN, USERNAME};
use authing::emulator::{
    NewApp, NewDepartment, NewExtIdp, NewGroup, NewIdentity, NewResource, NewRole, NewTenant,
};
use authing::{AuthResponse, ResourceType};
use serde_json::json;

const LOGIN_HISTORY: &str = "GET /api/v3/get-my-login-history";
const LOGGED_IN_APPS: &str = "GET /api/v3/get-my-logged-in-apps";
const ACCESSIBLE_APPS: &str = "GET /api/v3/get-my-accessible-apps";
const TENANTS: &str = "GET /api/v3/get-my-tenant-list";
const ROLES: &str = "GET /api/v3/get-my-role-list";
const GROUPS: &str = "GET /api/v3/get-my-group-list";
const DEPARTMENTS: &str = "GET /api/v3/get-my-department-list";
const RESOURCES: &str = "GET /api/v3/get-my-authorized-resources";
const LINK: &str = "GET /api/v3/link-extidp";
const GENERATE_LINK: &str = "GET /api/v3/generate-link-extidp-url";
const UNLINK: &str = "POST /api/v3/unlink-extidp";
const IDENTITIES: &str = "GET /api/v3/get-identities";
const EXT_IDPS: &str = "GET /api/v3/get-application-enabled-extidps";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "get_login_history with every filter but the ip answers a page of sign-ins",
        method: "get_login_history_blocking",
        sends: &[SIGNIN, PROFILE, LOGIN_HISTORY],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let response = c.client.get_login_history_blocking(
                APP_ID,
                None,
                true,
                1,
                4_102_444_800_000,
                1,
                10,
            );
            c.listed(&response, |r| r.login_history().map(|p| p.list().len()))
        },
    },
    Call {
        does: "get_login_history with a client ip answers a page",
        method: "get_login_history_blocking",
        sends: &[SIGNIN, PROFILE, LOGIN_HISTORY],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .get_login_history_blocking(None, "::1", false, None, None, 2, 50)
        },
    },
    Call {
        does: "get_logged_in_apps answers the app signed in to",
        method: "get_logged_in_apps_blocking",
        sends: &[SIGNIN, PROFILE, LOGGED_IN_APPS],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let response = c.client.get_logged_in_apps_blocking();
            c.listed(&response, |r| r.app_list().map(|l| l.len()))
        },
    },
    Call {
        does: "get_accessible_apps answers the emulator's app and the apps given",
        method: "get_accessible_apps_blocking",
        sends: &[SIGNIN, PROFILE, ACCESSIBLE_APPS],
        answers: 200,
        run: |c| {
            let app = NewApp {
                app_logo: Some("https://example.com/logo.png".into()),
                ..NewApp::new("Console")
            };
            c.emu.assign_app(USERNAME, app).expect("seeded");
            c.ok(c.sign_in());
            let response = c.client.get_accessible_apps_blocking();
            c.listed(&response, |r| r.app_list().map(|l| l.len()))
        },
    },
    Call {
        does: "get_tenant_list answers the user's tenants",
        method: "get_tenant_list_blocking",
        sends: &[SIGNIN, PROFILE, TENANTS],
        answers: 200,
        run: |c| {
            c.emu
                .assign_tenant(USERNAME, NewTenant::new("Acme"))
                .expect("seeded");
            c.ok(c.sign_in());
            let response = c.client.get_tenant_list_blocking();
            c.listed(&response, |r| r.tenant_list().map(|l| l.len()))
        },
    },
    Call {
        does: "get_role_list with a namespace answers its roles",
        method: "get_role_list_blocking",
        sends: &[SIGNIN, PROFILE, ROLES],
        answers: 200,
        run: |c| {
            let role = NewRole {
                description: Some("everything".into()),
                namespace: Some("shop".into()),
                disable_time: Some(4_102_444_800_000),
                ..NewRole::new("admin")
            };
            c.emu.assign_role(USERNAME, role).expect("seeded");
            c.ok(c.sign_in());
            let response = c.client.get_role_list_blocking("shop");
            c.listed(&response, |r| r.role_list().map(|l| l.len()))
        },
    },
    Call {
        does: "get_group_list answers the groups with their members",
        method: "get_group_list_blocking",
        sends: &[SIGNIN, PROFILE, GROUPS],
        answers: 200,
        run: |c| {
            c.emu
                .assign_group(USERNAME, NewGroup::new("eng"))
                .expect("seeded");
            c.emu
                .assign_group(EMAIL, NewGroup::new("eng"))
                .expect("seeded");
            c.ok(c.sign_in());
            let response = c.client.get_group_list_blocking();
            c.listed(&response, |r| r.group_list().map(|l| l.len()))
        },
    },
    Call {
        does: "get_department_list sorted, with custom data, answers a page",
        method: "get_department_list_blocking",
        sends: &[SIGNIN, PROFILE, DEPARTMENTS],
        answers: 200,
        run: |c| {
            c.emu
                .assign_department(USERNAME, NewDepartment::new("rnd", "R&D"))
                .expect("seeded");
            let child = NewDepartment {
                parent: Some("rnd".into()),
                open_department_id: Some("open-1".into()),
                custom_data: json!({"floor": 3}).as_object().cloned(),
                is_main_department: true,
                ..NewDepartment::new("backend", "Backend")
            };
            c.emu.assign_department(USERNAME, child).expect("seeded");
            c.ok(c.sign_in());
            let response =
                c.client
                    .get_department_list_blocking(1, 10, true, "DepartmentName", "Asc");
            c.listed(&response, |r| r.department_list().map(|p| p.list().len()))
        },
    },
    Call {
        does: "get_authorized_resources with a namespace and a type answers the resources",
        method: "get_authorized_resources_blocking",
        sends: &[SIGNIN, PROFILE, RESOURCES],
        answers: 200,
        run: |c| {
            let api = NewResource {
                description: Some("orders".into()),
                api_identifier: Some("https://api.example.com/orders".into()),
                actions: vec!["read".into(), "write".into()],
                ..NewResource::new("orders", ResourceType::API)
            };
            c.emu.assign_resource(USERNAME, api).expect("seeded");
            c.ok(c.sign_in());
            let response = c
                .client
                .get_authorized_resources_blocking("default", ResourceType::API);
            c.listed(&response, |r| {
                r.authorized_resources().map(|p| p.list().len())
            })
        },
    },
    Call {
        does: "get_identities answers the linked identities",
        method: "get_identities_blocking",
        sends: &[SIGNIN, PROFILE, IDENTITIES],
        answers: 200,
        run: |c| {
            c.linked_github();
            c.ok(c.sign_in());
            let response = c.client.get_identities_blocking();
            c.listed(&response, |r| r.identities().map(|l| l.len()))
        },
    },
    Call {
        does: "get_ext_idps answers the providers the app offers",
        method: "get_ext_idps_blocking",
        sends: &[SIGNIN, PROFILE, EXT_IDPS],
        answers: 200,
        run: |c| {
            let idp = NewExtIdp {
                name_en: Some("GitHub".into()),
                desc: Some("code".into()),
                desc_en: Some("code".into()),
                logo: Some("https://example.com/gh.png".into()),
                ..NewExtIdp::new("my-github", "github", "GitHub")
            };
            c.emu.add_ext_idp(idp).expect("seeded");
            c.ok(c.sign_in());
            let response = c.client.get_ext_idps_blocking();
            c.listed(&response, |r| r.ext_idp_list().map(|l| l.len()))
        },
    },
    Call {
        does: "generate_link_ext_idp_url answers the link to open",
        method: "generate_link_ext_idp_url_blocking",
        sends: &[SIGNIN, PROFILE, GENERATE_LINK],
        answers: 200,
        run: |c| {
            c.emu
                .add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))
                .expect("seeded");
            c.ok(c.sign_in());
            c.client
                .generate_link_ext_idp_url_blocking("my-github", None, None)
        },
    },
    Call {
        does: "generate_link_ext_idp_url for a provider the app lacks fails",
        method: "generate_link_ext_idp_url_blocking",
        sends: &[SIGNIN, PROFILE, GENERATE_LINK],
        answers: 404,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .generate_link_ext_idp_url_blocking("no-such-idp", None, None)
        },
    },
    Call {
        does: "link_ext_idp answers the link to open",
        method: "link_ext_idp_blocking",
        sends: &[SIGNIN, PROFILE, LINK],
        answers: 200,
        run: |c| {
            c.emu
                .add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))
                .expect("seeded");
            c.ok(c.sign_in());
            c.client.link_ext_idp_blocking("my-github", None, None)
        },
    },
    Call {
        does: "un_link_ext_idp unlinks a provider",
        method: "un_link_ext_idp_blocking",
        sends: &[SIGNIN, PROFILE, UNLINK],
        answers: 200,
        run: |c| {
            let github = c.linked_github();
            c.ok(c.sign_in());
            c.client.un_link_ext_idp_blocking(&github)
        },
    },
    Call {
        does: "un_link_ext_idp of a provider the user has no identity from fails",
        method: "un_link_ext_idp_blocking",
        sends: &[SIGNIN, PROFILE, UNLINK],
        answers: 404,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .un_link_ext_idp_blocking("62f209327aaaacc10d966ee5")
        },
    },
];

impl Ctx {
    /// A success whose list (as `count` reads it) is not empty, so that an item's schema
    /// is checked too.
    fn listed(
        &self,
        response: &AuthResponse,
        count: impl Fn(&AuthResponse) -> Result<usize, authing::AuthError>,
    ) -> AuthResponse {
        let listed = count(response).unwrap_or_else(|e| panic!("typed answer: {e}"));
        assert!(listed > 0, "the list is empty, so no item was checked");
        response.clone()
    }

    /// Offers GitHub and links an identity from it to the username user; its `extIdpId`.
    fn linked_github(&self) -> String {
        let github = self
            .emu
            .add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))
            .expect("seeded");
        let identity = NewIdentity {
            user_info_in_idp: json!({"login": "octocat"}).as_object().cloned(),
            ..NewIdentity::new("my-github", "octocat")
        };
        self.emu.link_identity(USERNAME, identity).expect("seeded");
        github
    }
}
