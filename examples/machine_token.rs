//! A daemon's own token, offline on the bundled emulator by default: a machine-to-machine
//! client gets an access token with the `client_credentials` grant, uses the cached one
//! until it is about to expire, checks it offline against the provider's keys and online
//! with the server, and revokes it at the end.
//!
//! ```text
//! cargo run --example machine_token
//! ```
//!
//! Against a real Authing app, set `AUTHING_APP_ID`, `AUTHING_APP_HOST` (its base URL),
//! `AUTHING_M2M_CLIENT_ID` and `AUTHING_M2M_CLIENT_SECRET` (a programmatic access account
//! of the app), and optionally `AUTHING_M2M_SCOPE`.

use std::sync::Arc;
use std::time::Duration;

use authing::emulator::{Emulator, NewMachineClient};
use authing::{AuthClient, AuthResponse, ClientCredentialInput, Lang};

fn main() {
    if let Err(problem) = run() {
        eprintln!("machine_token: {problem}");
        std::process::exit(1);
    }
}

/// The answer if it is a success, else why not.
fn ok(step: &str, response: AuthResponse) -> Result<AuthResponse, String> {
    match response.error() {
        None => Ok(response),
        Some(error) => Err(format!("{step} failed: {error}")),
    }
}

fn run() -> Result<(), String> {
    let env = |name: &str| std::env::var(name).ok();
    // Online when the machine client is given; the emulator otherwise.
    let (app_id, app_host, mut input, scope, emulator) = match (
        env("AUTHING_APP_ID"),
        env("AUTHING_APP_HOST"),
        env("AUTHING_M2M_CLIENT_ID"),
        env("AUTHING_M2M_CLIENT_SECRET"),
    ) {
        (Some(app_id), Some(host), Some(id), Some(secret)) => {
            let scope = env("AUTHING_M2M_SCOPE").unwrap_or_default();
            (
                app_id,
                host,
                ClientCredentialInput::new(id, secret),
                scope,
                None,
            )
        }
        _ => {
            let emulator = Arc::new(
                Emulator::start().map_err(|e| format!("could not start the emulator: {e}"))?,
            );
            let machine = emulator
                .add_machine_client(
                    NewMachineClient::new()
                        .client_id("nightly-report")
                        .scopes(&["read:users"])
                        .token_ttl(Duration::from_secs(600)),
                )
                .map_err(|e| e.to_string())?;
            let input = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
            let (id, host) = (emulator.app_id().to_string(), emulator.base_url());
            (id, host, input, "read:users".to_string(), Some(emulator))
        }
    };
    if let Some(emulator) = &emulator {
        // The cache judges expiry by the emulator's clock, which step 3 moves.
        let server = Arc::clone(emulator);
        input.set_clock(move || server.now());
    }
    let auth_client = AuthClient::builder()
        .app_id(app_id)
        .app_host(app_host)
        // The demo's messages in English; without it, zh-CN (the SDK's and the server's default).
        .lang(Lang::EnUs)
        .build()
        .map_err(|e| e.to_string())?;

    // 1. The first call asks the server; the next ones are answered from the cache.
    let get = || {
        ok(
            "get_access_token_by_client_credentials",
            auth_client.get_access_token_by_client_credentials_blocking(&scope, &input),
        )
        .and_then(|r| r.machine_token().map_err(|e| e.to_string()))
    };
    let token = get()?;
    println!(
        "got a token; cached until less than {} s (or a tenth of its lifetime) is left",
        authing::MACHINE_TOKEN_MARGIN.as_secs()
    );
    let again = get()?;
    println!(
        "second call, from the cache: {}",
        again.access_token() == token.access_token()
    );

    // 2. Checked here against the provider's keys, then asked of the server.
    let offline = ok(
        "introspect_access_token_offline",
        auth_client.introspect_access_token_offline_blocking(token.access_token()),
    )?
    .token_introspection()
    .map_err(|e| e.to_string())?;
    println!(
        "offline: the token is {}'s, scope {:?}",
        offline.sub().unwrap_or("-"),
        offline.scope()
    );
    let online = ok(
        "introspect_token",
        auth_client.introspect_token_blocking(token.access_token()),
    )?
    .token_introspection()
    .map_err(|e| e.to_string())?;
    println!("online: active {}", online.active());

    // 3. Near its expiry the cache asks for a new one (on the emulator: move its clock).
    if let Some(emulator) = &emulator {
        emulator.advance_clock(Duration::from_secs(560));
        let renewed = get()?;
        println!(
            "after 560 s: a new token: {}",
            renewed.access_token() != token.access_token()
        );
        println!(
            "tokens issued: {}",
            emulator.machine_clients()[0].tokens_issued
        );
    }

    // 4. Revoked: the server now says it is inactive.
    ok(
        "revoke_token",
        auth_client.revoke_token_blocking(token.access_token()),
    )?;
    let after = auth_client
        .introspect_token_blocking(token.access_token())
        .token_introspection()
        .map_err(|e| e.to_string())?;
    println!("after revoke_token: active {}", after.active());
    Ok(())
}
