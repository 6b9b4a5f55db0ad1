//! Social account binding, offline on the bundled emulator, which plays WeChat: Mike has
//! an account (username and email). He signs in with WeChat for the first time: the server
//! asks how to bind his WeChat identity and names his account as a candidate (same email);
//! the app binds it to that account, by his password. His next WeChat sign-in goes
//! straight in. A second person, new to the app, gets a new account instead.
//!
//! ```text
//! cargo run --example social_binding
//! ```

use authing::emulator::{Emulator, NewProviderCode, NewUser};
use authing::{AuthClient, AuthResponse, Lang};

const PASSWORD: &str = "passw0rd-123";

fn main() {
    if let Err(problem) = run() {
        eprintln!("social_binding: {problem}");
        std::process::exit(1);
    }
}

/// What WeChat's mobile SDK would hand the app after the user agreed: a one-time code.
fn wechat_code(
    emulator: &Emulator,
    wechat_id: &str,
    email: Option<&str>,
) -> Result<String, String> {
    let mut identity = NewProviderCode::new("wechat", wechat_id).nickname(wechat_id);
    if let Some(email) = email {
        identity = identity.email(email);
    }
    emulator
        .add_provider_code(identity)
        .map_err(|e| e.to_string())
}

fn show(step: &str, response: &AuthResponse, client: &AuthClient) {
    let who = client
        .get_current_user()
        .map_or("nobody".to_string(), |u| u.user_id().to_string());
    println!(
        "{step}: statusCode {}, apiCode {}, signed in: {who}",
        response.status_code(),
        response.api_code()
    );
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| e.to_string())?;
    let mike = emulator
        .add_user(NewUser::with_username("mike", PASSWORD).email("mike@example.com"))
        .map_err(|e| e.to_string())?;
    println!("mike's account: {mike}");
    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;

    // Mike's first WeChat sign-in: his identity is bound to no account yet.
    let code = wechat_code(&emulator, "wx-mike", Some("mike@example.com"))?;
    let first = client.auth_by_code_identity_blocking(&code, None);
    show("first wechat sign-in", &first, &client);
    let binding = first
        .social_binding()
        .ok_or("the server did not ask to bind")?;
    println!(
        "  bind how? {:?}; matching accounts: {:?}; may create a new one: {}",
        binding.methods(),
        binding.accounts(),
        binding.may_register()
    );
    let bound = client.bind_by_account_blocking(binding.key(), "mike", PASSWORD);
    show("bound to mike's account by password", &bound, &client);
    client.logout_blocking();

    // From now on WeChat signs Mike in at once.
    let code = wechat_code(&emulator, "wx-mike", None)?;
    let again = client.auth_by_code_identity_blocking(&code, None);
    show("next wechat sign-in", &again, &client);
    client.logout_blocking();

    // Someone new: no candidate account, so the app creates one.
    let code = wechat_code(&emulator, "wx-newcomer", None)?;
    let binding = client
        .auth_by_code_identity_blocking(&code, None)
        .social_binding()
        .ok_or("the server did not ask to bind")?;
    let registered = client.register_new_user_blocking(binding.key());
    show("newcomer, new account", &registered, &client);
    Ok(())
}
