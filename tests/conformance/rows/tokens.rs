//! The conformance rows of the tokens family: introspection online and offline,
//! revocation, the logout URL, an mfaToken's state, the client-credentials grant. One
//! `Call` a way of calling; the paths only these rows send are defined here.

use authing::emulator::{AppMfaPolicy, NewMachineClient};
use authing::{BuildLogoutUrlParams, ClientCredentialInput, FactorType, ValidateTokenParams};

use crate::{Call, Ctx, EMAIL, PROFILE, SIGNIN};

const INTROSPECT: &str = "POST /oidc/token/introspection";
const MFA_INTROSPECT: &str = "POST /mfa/token/introspection";
const REVOKE: &str = "POST /oidc/token/revocation";
const TOKEN: &str = "POST /oidc/token";
const DISCOVERY: &str = "GET /oidc/.well-known/openid-configuration";
const JWKS: &str = "GET /oidc/.well-known/jwks.json";
const VALIDATE: &str = "GET /api/v2/oidc/validate_token";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "validate_token answers the claims of the session's access token",
        method: "validate_token_blocking",
        sends: &[SIGNIN, PROFILE, VALIDATE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let token = c.client.get_token().expect("a session");
            let mut params = ValidateTokenParams::new();
            params.set_access_token(token.access_token());
            c.client.validate_token_blocking(&params)
        },
    },
    Call {
        does: "validate_token answers the claims of the session's id_token",
        method: "validate_token_blocking",
        sends: &[SIGNIN, PROFILE, VALIDATE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let token = c.client.get_token().expect("a session");
            let mut params = ValidateTokenParams::new();
            params.set_id_token(token.id_token().expect("an id_token"));
            c.client.validate_token_blocking(&params)
        },
    },
    Call {
        does: "validate_token of a token the server did not issue fails with code 400",
        method: "validate_token_blocking",
        sends: &[VALIDATE],
        answers: 400,
        run: |c| {
            let mut params = ValidateTokenParams::new();
            params.set_access_token("not.a.token");
            c.client.validate_token_blocking(&params)
        },
    },
    Call {
        does: "introspect_token answers the state of the session's access token",
        method: "introspect_token_blocking",
        sends: &[SIGNIN, PROFILE, INTROSPECT],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let token = c.client.get_token().expect("a session");
            c.client.introspect_token_blocking(token.access_token())
        },
    },
    Call {
        does: "introspect_access_token_offline fetches the provider's keys and checks the token here",
        method: "introspect_access_token_offline_blocking",
        sends: &[SIGNIN, PROFILE, DISCOVERY, JWKS],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let token = c.client.get_token().expect("a session");
            c.client
                .introspect_access_token_offline_blocking(token.access_token())
        },
    },
    Call {
        does: "revoke_token revokes the session's refresh token",
        method: "revoke_token_blocking",
        sends: &[SIGNIN, PROFILE, REVOKE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let token = c.client.get_token().expect("a session");
            c.client
                .revoke_token_blocking(token.refresh_token().expect("a refresh token"))
        },
    },
    Call {
        does: "build_logout_url with a fixed host builds the url and sends nothing",
        method: "build_logout_url_blocking",
        sends: &[],
        answers: 200,
        run: |c| {
            let mut params = BuildLogoutUrlParams::new();
            params.set_id_token_hint("h.e.y").set_state("s");
            c.client.build_logout_url_blocking(&params)
        },
    },
    Call {
        does: "verify_mfa_token answers the state of a sign-in's mfaToken",
        method: "verify_mfa_token_blocking",
        sends: &[SIGNIN, MFA_INTROSPECT],
        answers: 200,
        run: |c| {
            c.emu
                .set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
                .expect("a policy");
            let challenged = c
                .client
                .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None);
            assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
            let token = challenged.data().expect("a challenge")["mfaToken"]
                .as_str()
                .expect("an mfaToken")
                .to_string();
            c.client.verify_mfa_token_blocking(&token)
        },
    },
    Call {
        does: "get_access_token_by_client_credentials asks once, then answers from the cache",
        method: "get_access_token_by_client_credentials_blocking",
        sends: &[TOKEN],
        answers: 200,
        run: |c| {
            let input = c.machine_input();
            c.ok(c
                .client
                .get_access_token_by_client_credentials_blocking("read:users", &input));
            c.client
                .get_access_token_by_client_credentials_blocking("read:users", &input)
        },
    },
    Call {
        does: "get_access_token_by_client_credentials with a wrong secret is refused as invalid_client",
        method: "get_access_token_by_client_credentials_blocking",
        sends: &[TOKEN],
        answers: 401,
        run: |c| {
            let machine = c.machine_input();
            let wrong = ClientCredentialInput::new(machine.access_key(), "not-the-secret");
            c.client
                .get_access_token_by_client_credentials_blocking("", &wrong)
        },
    },
];

impl Ctx {
    /// A machine client of the emulator with the scope `read:users`: its credentials.
    fn machine_input(&self) -> ClientCredentialInput {
        let machine = self
            .emu
            .add_machine_client(NewMachineClient::new().scopes(&["read:users"]))
            .expect("a machine client");
        ClientCredentialInput::new(&machine.client_id, &machine.client_secret)
    }
}
