//! Switch login, offline on the bundled emulator: the shop's front-desk account is a
//! public account linked to the clerk mike. Mike signs in, lists the public accounts he
//! may use, switches to the front desk (the session becomes the desk's), is refused the
//! stockroom (not linked to him), and switches back.
//!
//! ```text
//! cargo run --example switch_login
//! ```

use authing::emulator::{Emulator, NewUser};
use authing::{AuthClient, Lang};

const PASSWORD: &str = "passw0rd-123";

fn main() {
    if let Err(problem) = run() {
        eprintln!("switch_login: {problem}");
        std::process::exit(1);
    }
}

fn who(client: &AuthClient) -> String {
    client
        .get_current_user()
        .map(|u| u.username().unwrap_or(u.user_id()).to_string())
        .unwrap_or_else(|| "nobody".into())
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| e.to_string())?;
    for name in ["mike", "front-desk", "stockroom"] {
        emulator
            .add_user(NewUser::with_username(name, PASSWORD))
            .map_err(|e| e.to_string())?;
    }
    emulator
        .link_public_account("front-desk", "mike")
        .map_err(|e| e.to_string())?;
    let stockroom = emulator
        .user_state("stockroom")
        .ok_or("no stockroom")?
        .user_id;
    println!(
        "offline: the authing emulator is listening on {}\n",
        emulator.base_url()
    );

    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;
    client
        .sign_in_by_user_name_password_blocking("mike", PASSWORD, None)
        .into_result()
        .map_err(|e| e.to_string())?;
    println!("signed in as {}", who(&client));

    let list = client
        .list_public_accounts_for_switch_logged_in_blocking(true)
        .public_account_list()
        .map_err(|e| e.to_string())?;
    let me = list
        .origin_user()
        .ok_or("no origin user")?
        .user_id()
        .to_string();
    println!("public accounts mike may use:");
    for account in list.public_accounts() {
        println!(
            "  {} {} (usertype {})",
            account.user_id(),
            account.display_name().unwrap_or("-"),
            account.user_type().unwrap_or("-")
        );
    }
    let desk = list.public_accounts().first().ok_or("no public account")?;

    let switched = client.switch_login_by_user_blocking(desk.user_id(), None);
    println!(
        "\nswitch to {} -> {}",
        desk.display_name().unwrap_or("-"),
        switched.status_code()
    );
    println!("now signed in as {}", who(&client));

    let refused = client.switch_login_by_user_blocking(&stockroom, None);
    println!(
        "switch to the stockroom -> {}: {}",
        refused.status_code(),
        refused.message()
    );
    println!("still signed in as {}", who(&client));

    let back = client.switch_login_by_user_blocking(&me, None);
    println!("switch back to mike -> {}", back.status_code());
    println!("now signed in as {}", who(&client));
    Ok(())
}
