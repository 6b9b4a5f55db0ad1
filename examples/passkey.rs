//! Passkeys, offline on the bundled emulator, with the software authenticator (feature
//! `software-authenticator`; the examples get it through the dev-dependency): a user signs
//! in with a password, registers a passkey, signs out, signs in with the passkey (the
//! callback form: the authenticator runs on the worker thread), lists the passkey, removes
//! it, and sees the next passkey sign-in refused.
//!
//! The software authenticator keeps its key in a file in the temporary directory. It is
//! for tests and development only: a real app plugs in Windows Hello, macOS or a FIDO2 key
//! through `authing::passkey::Authenticator` (see the module's docs).
//!
//! ```text
//! cargo run --example passkey
//! ```

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::passkey::SoftwareAuthenticator;
use authing::{AuthClient, AuthResponse, AuthenticatorCode, Lang};

const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "passw0rd-123";

fn main() {
    if let Err(problem) = run() {
        eprintln!("passkey: {problem}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let emulator = Emulator::start().map_err(|e| e.to_string())?;
    emulator
        .add_user(NewUser::with_email(EMAIL, PASSWORD))
        .map_err(|e| e.to_string())?;
    let client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;

    let file = std::env::temp_dir().join(format!(
        "authing-passkey-example-{}.json",
        std::process::id()
    ));
    let authenticator = SoftwareAuthenticator::open(&file).map_err(|e| e.to_string())?;
    let outcome = story(&client, &emulator, &authenticator);
    let _ = std::fs::remove_file(&file);
    outcome
}

fn story(
    client: &AuthClient,
    emulator: &Emulator,
    authenticator: &SoftwareAuthenticator,
) -> Result<(), String> {
    let check = |what: &str, response: &AuthResponse| {
        if response.is_success() {
            Ok(())
        } else {
            Err(format!(
                "{what}: {} {}",
                response.status_code(),
                response.message()
            ))
        }
    };
    check(
        "password sign-in",
        &client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None),
    )?;
    println!("signed in with the password as {EMAIL}");

    let registered =
        client.register_passkey_blocking(authenticator, Some(AuthenticatorCode::Other));
    check("register", &registered)?;
    println!(
        "registered a passkey for RP {:?} (the emulator's default RP id; origin https://localhost)",
        emulator.passkey_settings().rp_id
    );

    check("sign-out", &client.logout_blocking())?;
    println!(
        "signed out: current user {:?}",
        client.get_current_user().map(|u| u.user_id().to_string())
    );

    // The callback form: the flow, the authenticator included, runs on the worker thread.
    let (tx, rx) = mpsc::channel();
    // Detached: the answer comes through the channel.
    let _detached = client.sign_in_by_passkey(
        authenticator.clone(),
        None,
        move |response: AuthResponse| {
            let _ = tx.send(response);
        },
    );
    let signed_in = rx
        .recv_timeout(Duration::from_secs(30))
        .map_err(|_| "no answer from the passkey sign-in".to_string())?;
    check("passkey sign-in", &signed_in)?;
    let user = client
        .get_current_user()
        .ok_or("no session after the passkey sign-in")?;
    // The session's user starts as the sign-in's id_token describes it (scope `openid
    // profile` here: no email) until the full profile, fetched after the callback,
    // replaces it: the id is there either way.
    println!("signed in with the passkey as user {}", user.user_id());

    let list = client
        .list_credentials_by_page_blocking(None)
        .passkey_list()
        .map_err(|e| e.to_string())?;
    println!(
        "{} passkey(s): {:?}",
        list.total_count(),
        list.credential_ids()
    );
    let id = list
        .credential_ids()
        .into_iter()
        .next()
        .ok_or("no passkey listed")?;
    check("remove", &client.remove_credential_blocking(&id))?;
    println!("removed {id} (the authenticator still holds its key)");

    check("sign-out", &client.logout_blocking())?;
    let refused = client.sign_in_by_passkey_blocking(authenticator, None);
    println!(
        "passkey sign-in after the removal: {} {}",
        refused.status_code(),
        refused.message()
    );
    if refused.is_success() {
        return Err("a removed passkey signed in".into());
    }
    Ok(())
}
