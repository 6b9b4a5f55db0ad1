//! What the signed-in user may access: sign in, then list the user's roles, groups,
//! departments, tenants, apps, authorized resources, login history and linked identities,
//! each through its callback form and its typed view.
//!
//! ```text
//! cargo run --example directory
//! ```
//!
//! With no environment set it runs offline: it starts the bundled emulator in process,
//! creates a user and gives it roles, a group, departments, a tenant, an app, resources and
//! an external identity provider (the emulator's seeding API), signs in once with a wrong
//! password and once with the right one, then lists. The link to bind a GitHub account is
//! "opened" by the emulator, which stands in for the browser and GitHub.
//!
//! With `AUTHING_APP_ID` (and, unless the host is discovered, `AUTHING_APP_HOST`) set, it
//! signs `AUTHING_USERNAME` in with `AUTHING_PASSWORD` on that app and lists what the app
//! has for the user (no linking).

use authing::emulator::{
    Emulator, NewApp, NewDepartment, NewExtIdp, NewGroup, NewResource, NewRole, NewTenant, NewUser,
};
use authing::{AuthClient, AuthResponse, Authing, Lang, RequestHandle, ResourceType};

const DEMO_USERNAME: &str = "mike";
const DEMO_PASSWORD: &str = "passw0rd-2024";

fn main() {
    let online = std::env::var_os("AUTHING_APP_ID").is_some()
        || std::env::var_os("AUTHING_APP_HOST").is_some();
    let outcome = if online { run_online() } else { run_offline() };
    if let Err(problem) = outcome {
        eprintln!("directory: {problem}");
        std::process::exit(1);
    }
}

/// The offline run: the emulator plays Authing, seeded with what `mike` may access.
fn run_offline() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?;
    seed(&emulator).map_err(|e| format!("could not seed the emulator: {e}"))?;
    println!(
        "offline: the authing emulator is listening on {}",
        emulator.base_url()
    );
    println!("         (set AUTHING_APP_ID / AUTHING_APP_HOST to use a real authing app)\n");
    Authing::init(emulator.app_id());
    Authing::set_app_host(emulator.base_url());
    // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
    Authing::set_lang(Lang::EnUs);

    // One failed sign-in, for the login history.
    let wrong = AuthClient::new().sign_in_by_user_name_password_blocking(
        DEMO_USERNAME,
        "not-the-password",
        None,
    );
    println!("sign in with a wrong password: {}\n", wrong.message());
    sign_in(DEMO_USERNAME, DEMO_PASSWORD)?;
    list_everything();

    // Link a GitHub account: the SDK asks for the link, a browser opens it (here the
    // emulator does what GitHub and the browser would), then the identity is listed.
    let link = AuthClient::new().link_ext_idp_blocking("my-github", None, None);
    let url = link.ext_idp_link_url().map_err(|e| e.to_string())?;
    println!("link_ext_idp: open {url}");
    emulator
        .complete_ext_idp_link(&url)
        .map_err(|e| e.to_string())?;
    wait(AuthClient::new().get_identities(|response: AuthResponse| {
        show("get_identities", &response, |r| {
            Ok(r.identities()?
                .iter()
                .map(|i| {
                    format!(
                        "{} {} {}",
                        i.provider(),
                        i.identity_type(),
                        i.user_id_in_idp()
                    )
                })
                .collect())
        })
    }));
    Ok(())
}

/// The online run: a real Authing app and its user.
fn run_online() -> Result<(), String> {
    let username = std::env::var("AUTHING_USERNAME").map_err(|_| "set AUTHING_USERNAME")?;
    let password = std::env::var("AUTHING_PASSWORD").map_err(|_| "set AUTHING_PASSWORD")?;
    sign_in(&username, &password)?;
    list_everything();
    Ok(())
}

/// What the emulator gives `mike`.
fn seed(emulator: &Emulator) -> Result<(), Box<dyn std::error::Error>> {
    emulator.add_user(NewUser::with_username(DEMO_USERNAME, DEMO_PASSWORD).nickname("Mike"))?;
    let admin = NewRole {
        name: Some("Administrator".into()),
        ..NewRole::new("admin")
    };
    emulator.assign_role(DEMO_USERNAME, admin)?;
    let auditor = NewRole {
        namespace: Some("billing".into()),
        ..NewRole::new("auditor")
    };
    emulator.assign_role(DEMO_USERNAME, auditor)?;
    let eng = NewGroup {
        name: Some("Engineering".into()),
        ..NewGroup::new("eng")
    };
    emulator.assign_group(DEMO_USERNAME, eng)?;
    emulator.assign_department(DEMO_USERNAME, NewDepartment::new("rnd", "R&D"))?;
    let backend = NewDepartment {
        parent: Some("rnd".into()),
        is_main_department: true,
        ..NewDepartment::new("backend", "Backend")
    };
    emulator.assign_department(DEMO_USERNAME, backend)?;
    emulator.assign_tenant(DEMO_USERNAME, NewTenant::new("Acme"))?;
    emulator.assign_app(DEMO_USERNAME, NewApp::new("Console"))?;
    emulator.assign_resource(
        DEMO_USERNAME,
        NewResource::new("orders-menu", ResourceType::MENU),
    )?;
    let orders = NewResource {
        api_identifier: Some("https://api.example.com/orders".into()),
        actions: vec!["read".into(), "write".into()],
        ..NewResource::new("orders-api", ResourceType::API)
    };
    emulator.assign_resource(DEMO_USERNAME, orders)?;
    emulator.add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))?;
    Ok(())
}

fn sign_in(username: &str, password: &str) -> Result<(), String> {
    let signed_in =
        AuthClient::new().sign_in_by_user_name_password_blocking(username, password, None);
    if signed_in.status_code() != 200 {
        return Err(format!("could not sign in: {}", signed_in.message()));
    }
    let user = AuthClient::new().get_current_user();
    println!(
        "👋 signed in as {}\n",
        user.as_ref()
            .and_then(|u| u.nickname().or(u.username()))
            .unwrap_or(username)
    );
    Ok(())
}

/// Each list, through its callback form; each handler makes a `new AuthClient()` as
/// Android code does, and all of them share the signed-in session.
fn list_everything() {
    wait(
        AuthClient::new().get_role_list(None, |response: AuthResponse| {
            show("get_role_list", &response, |r| {
                Ok(r.role_list()?
                    .iter()
                    .map(|role| format!("{}/{} ({})", role.namespace(), role.code(), role.name()))
                    .collect())
            })
        }),
    );
    wait(AuthClient::new().get_group_list(|response: AuthResponse| {
        show("get_group_list", &response, |r| {
            Ok(r.group_list()?
                .iter()
                .map(|g| format!("{} ({}, {} members)", g.code(), g.name(), g.members().len()))
                .collect())
        })
    }));
    wait(AuthClient::new().get_department_list(
        1,
        10,
        false,
        "DepartmentName",
        "Asc",
        |response: AuthResponse| {
            show("get_department_list", &response, |r| {
                let page = r.department_list()?;
                let mut lines: Vec<String> = page
                    .list()
                    .iter()
                    .map(|d| {
                        let main = if d.is_main_department() { ", main" } else { "" };
                        format!("{}{main}", d.department_name_path().join(" / "))
                    })
                    .collect();
                lines.push(format!(
                    "{} in all; more pages: {}",
                    page.total_count(),
                    page.has_more()
                ));
                Ok(lines)
            })
        },
    ));
    wait(AuthClient::new().get_tenant_list(|response: AuthResponse| {
        show("get_tenant_list", &response, |r| {
            Ok(r.tenant_list()?
                .iter()
                .map(|t| t.tenant_name().to_string())
                .collect())
        })
    }));
    wait(
        AuthClient::new().get_accessible_apps(|response: AuthResponse| {
            show("get_accessible_apps", &response, |r| {
                Ok(r.app_list()?
                    .iter()
                    .map(|a| format!("{} (signed in: {})", a.app_name(), a.active()))
                    .collect())
            })
        }),
    );
    wait(
        AuthClient::new().get_logged_in_apps(|response: AuthResponse| {
            show("get_logged_in_apps", &response, |r| {
                Ok(r.app_list()?
                    .iter()
                    .map(|a| a.app_name().to_string())
                    .collect())
            })
        }),
    );
    wait(
        AuthClient::new().get_authorized_resources(None, None, |response: AuthResponse| {
            show("get_authorized_resources", &response, |r| {
                Ok(r.authorized_resources()?
                    .list()
                    .iter()
                    .map(|res| {
                        let kind = res.resource_type().map_or("?", |t| t.as_str());
                        format!(
                            "{kind} {} [{}]",
                            res.resource_code(),
                            res.actions().join(", ")
                        )
                    })
                    .collect())
            })
        }),
    );
    wait(AuthClient::new().get_login_history(
        None,
        None,
        None,
        None,
        None,
        1,
        10,
        |response: AuthResponse| {
            show("get_login_history", &response, |r| {
                Ok(r.login_history()?
                    .list()
                    .iter()
                    .map(|h| {
                        let outcome = if h.success() { "ok" } else { "failed" };
                        format!(
                            "{} {} from {} via {}",
                            h.login_at(),
                            outcome,
                            h.client_ip(),
                            h.login_method()
                        )
                    })
                    .collect())
            })
        },
    ));
}

/// Waits for a call's callback; a panic in it is reported, not fatal.
fn wait(handle: RequestHandle) {
    if let Err(panic) = handle.join() {
        eprintln!("{panic}");
    }
}

/// Prints a call's outcome: the lines its typed view gives, or why there are none.
fn show(
    call: &str,
    response: &AuthResponse,
    lines: impl Fn(&AuthResponse) -> Result<Vec<String>, authing::AuthError>,
) {
    println!("{call} -> statusCode {}", response.status_code());
    match lines(response) {
        Ok(lines) if lines.is_empty() => println!("  (none)"),
        Ok(lines) => lines.iter().for_each(|line| println!("  {line}")),
        Err(error) => println!("  {error}"),
    }
    println!();
}
