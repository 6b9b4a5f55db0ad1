//! The tokens family end to end, SDK <-> emulator: a session's tokens introspected online
//! and offline and revoked, the logout URL the emulator follows, an MFA challenge's token,
//! and the client-credentials grant of a machine client: 50 concurrent calls make one
//! token request, the emulator's clock past the renewal margin makes exactly one more, a
//! wrong secret is a clear refusal, and the token is introspectable and revocable.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::common::{self, builder_at};
use authing::emulator::{AppMfaPolicy, Emulator, NewMachineClient, NewUser};
use authing::{
    codes, AuthClient, AuthError, BuildLogoutUrlParams, ClientCredentialInput, FactorType, Lang,
    OidcError,
};

const PASSWORD: &str = "passw0rd-1";
const EMAIL: &str = "mike@example.com";
const SCOPE: &str = "read:users";

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD).username("mike"))
        .expect("a user");
    emu
}

fn client(emu: &Emulator) -> AuthClient {
    builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .max_concurrent_requests(64)
        .build()
        .expect("valid settings")
}

/// Signs `mike` in; his user id.
fn sign_in(client: &AuthClient) -> String {
    let response = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    client
        .get_current_user()
        .expect("the user")
        .user_id()
        .to_string()
}

#[test]
fn a_session_token_is_active_online_and_offline_until_it_is_revoked() {
    let emu = emulator();
    let client = client(&emu);
    let user_id = sign_in(&client);
    let tokens = client.get_token().expect("a session");
    let access = tokens.access_token().to_string();

    let online = client
        .introspect_token_blocking(&access)
        .token_introspection()
        .unwrap();
    assert!(online.active());
    assert_eq!(online.sub(), Some(user_id.as_str()));
    assert_eq!(online.client_id(), Some(emu.app_id()));
    assert!(online.exp().unwrap() > online.iat().unwrap());

    let offline = client
        .introspect_access_token_offline_blocking(&access)
        .token_introspection()
        .unwrap();
    assert!(offline.active());
    assert_eq!(offline.sub(), Some(user_id.as_str()));
    assert_eq!(
        offline.iss(),
        Some(format!("{}/oidc", emu.base_url()).as_str())
    );

    let refresh = tokens.refresh_token().expect("a refresh token").to_string();
    assert!(client
        .introspect_token_blocking(&refresh)
        .token_introspection()
        .unwrap()
        .active());

    let revoked = client.revoke_token_blocking(&access);
    assert!(revoked.is_success(), "{revoked:?}");
    let after = client
        .introspect_token_blocking(&access)
        .token_introspection()
        .unwrap();
    assert!(!after.active());
    assert_eq!(after.sub(), None, "an inactive token says nothing else");
    // Offline cannot know about the revocation: the signature and claims still hold.
    assert!(client
        .introspect_access_token_offline_blocking(&access)
        .is_success());
}

#[test]
fn a_tampered_access_token_fails_the_offline_check_by_name_without_quoting_it() {
    let emu = emulator();
    let client = client(&emu);
    sign_in(&client);
    let access = client.get_token().unwrap().access_token().to_string();
    let mut parts: Vec<String> = access.split('.').map(str::to_string).collect();
    // Another payload under the same signature.
    parts[1] = "eyJzdWIiOiJzb21lb25lLWVsc2UifQ".into();
    let forged = parts.join(".");
    let response = client.introspect_access_token_offline_blocking(&forged);
    assert_eq!(response.status_code(), codes::OIDC_FAILED);
    match response.error() {
        Some(AuthError::Oidc(OidcError::AccessToken(reason))) => {
            assert!(reason.contains("signature"), "{reason}")
        }
        other => panic!("not an access-token refusal: {other:?}"),
    }
    assert!(!response.message().contains(&forged));
    // A well-formed token of another algorithm is refused too.
    let none = format!("eyJhbGciOiJub25lIn0.{}.", parts[1]);
    let response = client.introspect_access_token_offline_blocking(&none);
    assert!(
        response.message().contains("only RS256"),
        "{}",
        response.message()
    );
}

#[test]
fn the_logout_url_ends_the_provider_session_on_the_emulator() {
    let emu = emulator();
    let client = client(&emu);
    sign_in(&client);
    let id_token = client
        .get_token()
        .unwrap()
        .id_token()
        .expect("an id_token")
        .to_string();
    let mut params = BuildLogoutUrlParams::new();
    params.set_id_token_hint(id_token).set_state("s-1");
    let url = client
        .build_logout_url_blocking(&params)
        .logout_url()
        .unwrap();
    assert!(url.starts_with(&format!(
        "{}/oidc/session/end?id_token_hint=",
        emu.base_url()
    )));
    let answer = common::agent()
        .get(&url)
        .call()
        .expect("the emulator answers");
    assert_eq!(answer.status().as_u16(), 200);
}

#[test]
fn an_mfa_challenges_token_is_active_until_the_challenge_ends() {
    let emu = emulator();
    emu.set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
        .unwrap();
    let client = client(&emu);
    let challenged = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None);
    assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
    let mfa_token = challenged.data().unwrap()["mfaToken"]
        .as_str()
        .expect("an mfaToken")
        .to_string();
    let state = client
        .verify_mfa_token_blocking(&mfa_token)
        .mfa_token_introspection()
        .unwrap();
    assert!(state.active());
    assert_eq!(state.user_pool_id(), Some(emu.user_pool_id()));
    assert!(state.user_id().is_some());
    let unknown = client
        .verify_mfa_token_blocking("not-an-mfa-token")
        .mfa_token_introspection()
        .unwrap();
    assert!(!unknown.active());
}

/// Runs `n` blocking grant calls at once, all released together; every answer's token.
fn burst(client: &AuthClient, input: &ClientCredentialInput, n: usize) -> Vec<String> {
    let barrier = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let (client, input, barrier) = (client.clone(), input.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                let response =
                    client.get_access_token_by_client_credentials_blocking(SCOPE, &input);
                response
                    .machine_token()
                    .expect("a token")
                    .access_token()
                    .to_string()
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn fifty_concurrent_calls_make_one_token_request_and_renewal_past_the_margin_makes_one_more() {
    let emu = Arc::new(emulator());
    let machine = emu
        .add_machine_client(
            NewMachineClient::new()
                .scopes(&[SCOPE, "write:users"])
                .token_ttl(Duration::from_secs(600)),
        )
        .unwrap();
    let client = client(&emu);
    let mut input = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    let server = Arc::clone(&emu);
    input.set_clock(move || server.now());
    let issued = || emu.machine_clients()[0].tokens_issued;

    let first = burst(&client, &input, 50);
    assert_eq!(issued(), 1, "one token request for 50 calls");
    assert!(first.iter().all(|t| *t == first[0]));

    // 600 s lifetime: the margin is 60 s. At 539 s, 61 s are left: still cached.
    emu.advance_clock(Duration::from_secs(539));
    assert!(burst(&client, &input, 10).iter().all(|t| *t == first[0]));
    assert_eq!(issued(), 1);

    // At 541 s, 59 s are left: one renewal for all of them.
    emu.advance_clock(Duration::from_secs(2));
    let renewed = burst(&client, &input, 50);
    assert_eq!(issued(), 2, "exactly one new request");
    assert!(renewed.iter().all(|t| *t == renewed[0] && *t != first[0]));
}

#[test]
fn a_machine_token_is_introspectable_online_and_offline_and_revocable() {
    let emu = emulator();
    let machine = emu
        .add_machine_client(NewMachineClient::new().scopes(&[SCOPE, "write:users"]))
        .unwrap();
    let client = client(&emu);
    let input = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    let token = client
        .get_access_token_by_client_credentials_blocking(SCOPE, &input)
        .machine_token()
        .unwrap();
    let online = client
        .introspect_token_blocking(token.access_token())
        .token_introspection()
        .unwrap();
    assert!(online.active());
    assert_eq!(online.client_id(), Some(machine.client_id.as_str()));
    assert_eq!(online.sub(), Some(machine.client_id.as_str()));
    assert_eq!(online.scope(), Some(SCOPE));
    let offline = client
        .introspect_access_token_offline_blocking(token.access_token())
        .token_introspection()
        .unwrap();
    assert_eq!(offline.fields()["gty"], "client-credentials");
    assert!(client
        .revoke_token_blocking(token.access_token())
        .is_success());
    assert!(!client
        .introspect_token_blocking(token.access_token())
        .token_introspection()
        .unwrap()
        .active());
}

#[test]
fn a_wrong_secret_or_scope_is_a_clear_refusal_and_nothing_is_cached() {
    let emu = emulator();
    let machine = emu
        .add_machine_client(NewMachineClient::new().scopes(&[SCOPE]))
        .unwrap();
    let client = client(&emu);
    let wrong = ClientCredentialInput::new(&machine.client_id, "not-the-secret");
    let response = client.get_access_token_by_client_credentials_blocking(SCOPE, &wrong);
    assert_eq!(response.status_code(), 401);
    assert!(
        response.message().starts_with("invalid_client: "),
        "{}",
        response.message()
    );
    assert!(!format!("{response:?}").contains("not-the-secret"));
    let right = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    let response = client.get_access_token_by_client_credentials_blocking("admin", &right);
    assert_eq!(response.status_code(), 400);
    assert!(
        response.message().starts_with("invalid_scope: "),
        "{}",
        response.message()
    );
    assert_eq!(emu.machine_clients()[0].tokens_issued, 0);
    // The callback form answers once, with the same refusal.
    let (tx, rx) = std::sync::mpsc::channel();
    client
        .get_access_token_by_client_credentials(SCOPE, &wrong, tx)
        .join()
        .unwrap();
    assert_eq!(rx.recv().unwrap().status_code(), 401);
    assert!(rx.try_recv().is_err());
}

#[test]
fn validate_token_accepts_the_servers_live_tokens_and_refuses_revoked_expired_or_foreign_ones() {
    let emu = emulator();
    let client = client(&emu);
    let user_id = sign_in(&client);
    let tokens = client.get_token().expect("a session");
    let check = |access: Option<&str>, id: Option<&str>| {
        let mut params = authing::ValidateTokenParams::new();
        if let Some(token) = access {
            params.set_access_token(token);
        }
        if let Some(token) = id {
            params.set_id_token(token);
        }
        client.validate_token_blocking(&params)
    };

    let access = check(Some(tokens.access_token()), None);
    assert_eq!(access.status_code(), 200, "{access:?}");
    assert_eq!(access.user_claims().unwrap().sub(), user_id);
    assert_eq!(access.data().unwrap()["aud"], emu.app_id());
    let id_token = tokens.id_token().expect("an id_token");
    let id = check(None, Some(id_token));
    assert_eq!(id.status_code(), 200, "{id:?}");
    assert_eq!(id.user_claims().unwrap().email(), Some(EMAIL));
    // Each token is only what it is.
    assert_eq!(check(None, Some(tokens.access_token())).status_code(), 400);
    let swapped = check(Some(id_token), None);
    assert_eq!(swapped.status_code(), 400);
    assert_eq!(swapped.message(), "invalid access_token");

    // A machine client's token is one of the server's access tokens too.
    let machine = emu
        .add_machine_client(NewMachineClient::new().scopes(&[SCOPE]))
        .expect("a machine client");
    let input = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    let token = client
        .get_access_token_by_client_credentials_blocking(SCOPE, &input)
        .machine_token()
        .expect("a machine token");
    assert_eq!(check(Some(token.access_token()), None).status_code(), 200);

    // Revoked by a logout; the id_token expires on the emulator clock.
    let revoked = tokens.access_token().to_string();
    assert_eq!(client.logout_blocking().status_code(), 200);
    assert_eq!(check(Some(&revoked), None).status_code(), 400);
    assert_eq!(check(None, Some(id_token)).status_code(), 200);
    emu.advance_clock(Duration::from_secs(24 * 3600 * 30));
    let expired = check(None, Some(id_token));
    assert_eq!(expired.status_code(), 400);
    assert_eq!(expired.message(), "invalid id_token");
}
