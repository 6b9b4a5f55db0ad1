//! Authorization, what an app asks before it shows a button: sign in, then check what the
//! user may do with a string, an array and a tree resource, and list what the user may act
//! on, each through its callback form and its typed view.
//!
//! ```text
//! cargo run --example permissions
//! ```
//!
//! With no environment set it runs offline: it starts the bundled emulator in process,
//! creates a user, adds data resources (a `report`, the `orders`, a `docs` tree) and grants
//! the user some actions on them, directly and through a role (the emulator's seeding
//! API), signs in and asks.
//!
//! With `AUTHING_APP_ID` (and, unless the host is discovered, `AUTHING_APP_HOST`) set, it
//! signs `AUTHING_USERNAME` in with `AUTHING_PASSWORD` on that app and asks the same
//! questions of that app's resources.

use authing::emulator::{Emulator, NewDataResource, NewGrant, NewRole, NewTreeNode, NewUser};
use authing::{AuthClient, AuthResponse, Authing, Lang, RequestHandle};

const DEMO_USERNAME: &str = "mike";
const DEMO_PASSWORD: &str = "passw0rd-2024";

fn main() {
    let online = std::env::var_os("AUTHING_APP_ID").is_some()
        || std::env::var_os("AUTHING_APP_HOST").is_some();
    let outcome = if online { run_online() } else { run_offline() };
    if let Err(problem) = outcome {
        eprintln!("permissions: {problem}");
        std::process::exit(1);
    }
}

/// The offline run: the emulator plays Authing, seeded with what `mike` may do.
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
    sign_in(DEMO_USERNAME, DEMO_PASSWORD)?;
    ask();
    Ok(())
}

/// The online run: a real Authing app and its user.
fn run_online() -> Result<(), String> {
    let username = std::env::var("AUTHING_USERNAME").map_err(|_| "set AUTHING_USERNAME")?;
    let password = std::env::var("AUTHING_PASSWORD").map_err(|_| "set AUTHING_PASSWORD")?;
    sign_in(&username, &password)?;
    ask();
    Ok(())
}

/// The app's data resources, and what `mike` may do with them.
fn seed(emulator: &Emulator) -> Result<(), Box<dyn std::error::Error>> {
    emulator.add_user(NewUser::with_username(DEMO_USERNAME, DEMO_PASSWORD))?;
    emulator.add_data_resource(NewDataResource::string(
        "report",
        "monthly",
        ["read", "export"],
    ))?;
    emulator.add_data_resource(NewDataResource::array(
        "orders",
        ["order:41", "order:42"],
        ["read", "write"],
    ))?;
    let guides = NewTreeNode::new("guides")
        .child(NewTreeNode::new("intro"))
        .child(NewTreeNode::new("faq"));
    emulator.add_data_resource(NewDataResource::tree(
        "docs",
        [guides, NewTreeNode::new("api")],
        ["read", "edit"],
    ))?;
    emulator.grant_permission(NewGrant::to_user(DEMO_USERNAME, "report", ["read"]))?;
    emulator.grant_permission(NewGrant::to_user(DEMO_USERNAME, "orders", ["read"]))?;
    emulator.grant_permission(NewGrant::to_role("editor", "docs/guides", ["read", "edit"]))?;
    emulator.assign_role(DEMO_USERNAME, NewRole::new("editor"))?;
    Ok(())
}

fn sign_in(username: &str, password: &str) -> Result<(), String> {
    let signed_in =
        AuthClient::new().sign_in_by_user_name_password_blocking(username, password, None);
    if signed_in.status_code() != 200 {
        return Err(format!("could not sign in: {}", signed_in.message()));
    }
    println!("signed in as {username}\n");
    Ok(())
}

/// The questions, each through its callback form; each handler makes a `new AuthClient()`
/// as Android code does, and all of them share the signed-in session.
fn ask() {
    for (action, label) in [("read", "open"), ("export", "export")] {
        wait(AuthClient::new().check_permission_by_string_resource(
            ["report"],
            action,
            move |response: AuthResponse| {
                show("check_permission_by_string_resource", &response, |r| {
                    let allowed = r.permission_check()?;
                    Ok(vec![button(label, "report", allowed.can("report", action))])
                })
            },
        ));
    }
    wait(AuthClient::new().check_permission_by_array_resource(
        ["orders"],
        "write",
        |response: AuthResponse| {
            show("check_permission_by_array_resource", &response, |r| {
                let allowed = r.permission_check()?;
                Ok(vec![button(
                    "edit",
                    "orders",
                    allowed.can("orders", "write"),
                )])
            })
        },
    ));
    let pages = ["docs/guides/intro", "docs/guides/faq", "docs/api"];
    wait(AuthClient::new().check_permission_by_tree_resource(
        pages,
        "edit",
        move |response: AuthResponse| {
            show("check_permission_by_tree_resource", &response, |r| {
                let allowed = r.permission_check()?;
                Ok(pages
                    .iter()
                    .map(|page| button("edit", page, allowed.can(page, "edit")))
                    .collect())
            })
        },
    ));
    wait(
        AuthClient::new().get_user_authorized_resources_list(|response: AuthResponse| {
            show("get_user_authorized_resources_list", &response, |r| {
                let mut lines = Vec::new();
                for namespace in r.user_auth_resources()? {
                    for resource in namespace.resource_list() {
                        let kind = resource.resource_type().map_or("?", |t| t.as_str());
                        let code = resource.resource_code();
                        lines.push(match resource.actions() {
                            [] => format!("{kind} {code}"),
                            actions => format!("{kind} {code} [{}]", actions.join(", ")),
                        });
                        for node in resource.tree_nodes() {
                            lines.push(format!(
                                "    {} [{}]",
                                node.node_path(),
                                node.node_actions().join(", ")
                            ));
                        }
                    }
                }
                Ok(lines)
            })
        }),
    );
    wait(
        AuthClient::new().get_user_auth_resource_struct("docs", |response: AuthResponse| {
            show("get_user_auth_resource_struct", &response, |r| {
                let docs = r.resource_struct()?;
                let mut lines = Vec::new();
                tree_lines(docs.tree(), 0, &mut lines);
                Ok(lines)
            })
        }),
    );
}

/// A button and whether the app shows it.
fn button(label: &str, resource: &str, allowed: bool) -> String {
    let shown = if allowed { "shown" } else { "hidden" };
    format!("[{label} {resource}] {shown}")
}

/// The nodes of a tree, indented, with what the user may do on each.
fn tree_lines(nodes: &[authing::TreeNode], depth: usize, lines: &mut Vec<String>) {
    for node in nodes {
        let actions = if node.actions().is_empty() {
            "-".to_string()
        } else {
            node.actions().join(", ")
        };
        lines.push(format!("{}{} [{actions}]", "  ".repeat(depth), node.code()));
        tree_lines(node.children(), depth + 1, lines);
    }
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
