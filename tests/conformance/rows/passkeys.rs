//! The conformance rows of passkeys (`/api/v3/webauthn/*`), with the software
//! authenticator: the emulator verifies every credential and assertion for real, so each
//! row runs a whole ceremony. The paths only these rows send are defined here.

use authing::passkey::{Authenticator, SoftwareAuthenticator};
use authing::{AuthResponse, AuthenticatorCode};

use crate::{Call, Ctx, PROFILE, SIGNIN};

const REGISTRATION_OPTIONS: &str = "GET /api/v3/webauthn/registration";
const REGISTRATION: &str = "POST /api/v3/webauthn/registration";
const AUTHENTICATION_OPTIONS: &str = "GET /api/v3/webauthn/authentication";
const AUTHENTICATION: &str = "POST /api/v3/webauthn/authentication";
const LIST: &str = "POST /api/v3/webauthn/page-authenticator-device";
const CHECK: &str = "POST /api/v3/webauthn/check-valid-credentials-by-credIds";
const REMOVE: &str = "POST /api/v3/webauthn/remove-credential/{credentialID}";
const REMOVE_ALL: &str = "POST /api/v3/webauthn/remove-credentials-by-authenticator-code";

/// Signs in and registers one passkey on a new software authenticator (the flow).
fn with_passkey(c: &Ctx) -> SoftwareAuthenticator {
    c.ok(c.sign_in());
    let authenticator = SoftwareAuthenticator::new();
    c.ok(c
        .client
        .register_passkey_blocking(&authenticator, Some(AuthenticatorCode::Fingerprint)));
    authenticator
}

/// The id of the signed-in user's only passkey, from the emulator.
fn only_credential(c: &Ctx) -> String {
    let kept = c.emu.passkeys(crate::USERNAME);
    assert_eq!(kept.len(), 1, "one passkey registered");
    kept[0].credential_id.clone()
}

/// clientDataJSON for the emulator's default RP (`localhost`).
fn client_data(kind: &str, challenge: &str) -> Vec<u8> {
    format!(r#"{{"type":"{kind}","challenge":"{challenge}","origin":"https://localhost","crossOrigin":false}}"#)
        .into_bytes()
}

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "init_register_options answers creation options and a ticket",
        method: "init_register_options_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let response = c.client.init_register_options_blocking();
            response.registration_options().expect("typed options");
            response
        },
    },
    Call {
        does: "verify_register keeps a credential the authenticator made",
        method: "verify_register_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS, REGISTRATION],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let options = c
                .client
                .init_register_options_blocking()
                .registration_options()
                .expect("typed options");
            let data = client_data("webauthn.create", options.creation().challenge());
            let request = options.creation().clone().with_client_data_json(data.clone());
            let credential = SoftwareAuthenticator::new()
                .make_credential(&request)
                .expect("a credential");
            c.client.verify_register_blocking(
                options.ticket(),
                &credential,
                &data,
                Some(AuthenticatorCode::Other),
            )
        },
    },
    Call {
        does: "verify_register of a credential made for another challenge fails",
        method: "verify_register_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS, REGISTRATION],
        answers: 400,
        run: |c| {
            c.ok(c.sign_in());
            let options = c
                .client
                .init_register_options_blocking()
                .registration_options()
                .expect("typed options");
            let data = client_data("webauthn.create", "b3RoZXI");
            let request = options.creation().clone().with_client_data_json(data.clone());
            let credential = SoftwareAuthenticator::new()
                .make_credential(&request)
                .expect("a credential");
            c.client
                .verify_register_blocking(options.ticket(), &credential, &data, None)
        },
    },
    Call {
        does: "register_passkey runs the registration with an authenticator",
        method: "register_passkey_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS, REGISTRATION],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .register_passkey_blocking(&SoftwareAuthenticator::new(), None)
        },
    },
    Call {
        does: "init_authentication_options answers request options and a ticket",
        method: "init_authentication_options_blocking",
        sends: &[AUTHENTICATION_OPTIONS],
        answers: 200,
        run: |c| c.client.init_authentication_options_blocking(),
    },
    Call {
        does: "verify_authentication signs in with a registered passkey",
        method: "verify_authentication_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            REGISTRATION_OPTIONS,
            REGISTRATION,
            AUTHENTICATION_OPTIONS,
            AUTHENTICATION,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let authenticator = with_passkey(c);
            let options = c
                .client
                .init_authentication_options_blocking()
                .authentication_options()
                .expect("typed options");
            let data = client_data("webauthn.get", options.request().challenge());
            let request = options.request().clone().with_client_data_json(data.clone());
            let assertion = authenticator.get_assertion(&request).expect("an assertion");
            let mut scope = authing::AuthOptions::new();
            scope.set_scope("openid profile offline_access");
            c.client
                .verify_authentication_blocking(options.ticket(), &assertion, &data, scope)
        },
    },
    Call {
        does: "sign_in_by_passkey signs in with an authenticator",
        method: "sign_in_by_passkey_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            REGISTRATION_OPTIONS,
            REGISTRATION,
            AUTHENTICATION_OPTIONS,
            AUTHENTICATION,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let authenticator = with_passkey(c);
            c.client.sign_in_by_passkey_blocking(&authenticator, None)
        },
    },
    Call {
        does: "sign_in_by_passkey with a credential the server does not know fails",
        method: "sign_in_by_passkey_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            REGISTRATION_OPTIONS,
            REGISTRATION,
            REMOVE,
            AUTHENTICATION_OPTIONS,
            AUTHENTICATION,
        ],
        answers: 400,
        run: |c| {
            let authenticator = with_passkey(c);
            c.ok(c.client.remove_credential_blocking(&only_credential(c)));
            c.client.sign_in_by_passkey_blocking(&authenticator, None)
        },
    },
    Call {
        does: "list_credentials_by_page answers the user's passkeys, bare as the spec draws it",
        method: "list_credentials_by_page_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS, REGISTRATION, LIST],
        answers: 200,
        run: |c| {
            with_passkey(c);
            let response = c
                .client
                .list_credentials_by_page_blocking(Some(AuthenticatorCode::Fingerprint));
            assert_eq!(response.passkey_list().expect("typed list").total_count(), 1);
            response
        },
    },
    Call {
        does: "check_valid_credentials_by_cred_ids answers the ids that are the user's",
        method: "check_valid_credentials_by_cred_ids_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS, REGISTRATION, CHECK],
        answers: 200,
        run: |c| {
            with_passkey(c);
            let id = only_credential(c);
            let response = c
                .client
                .check_valid_credentials_by_cred_ids_blocking(&[&id, "AAAAAAAAAAAAAAAAAAAAAA"], None);
            assert_eq!(response.valid_credential_ids().expect("typed ids"), [id]);
            response
        },
    },
    Call {
        does: "remove_credential removes one passkey, its id in the path",
        method: "remove_credential_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS, REGISTRATION, REMOVE],
        answers: 200,
        run: |c| {
            with_passkey(c);
            c.client.remove_credential_blocking(&only_credential(c))
        },
    },
    Call {
        does: "remove_credential of a passkey the user does not have fails",
        method: "remove_credential_blocking",
        sends: &[SIGNIN, PROFILE, REMOVE],
        answers: 404,
        run: |c| {
            c.ok(c.sign_in());
            c.client.remove_credential_blocking("AAAAAAAAAAAAAAAAAAAAAA")
        },
    },
    Call {
        does: "remove_all_credentials removes the user's passkeys",
        method: "remove_all_credentials_blocking",
        sends: &[SIGNIN, PROFILE, REGISTRATION_OPTIONS, REGISTRATION, REMOVE_ALL],
        answers: 200,
        run: |c| {
            with_passkey(c);
            let response: AuthResponse = c.client.remove_all_credentials_blocking(None);
            assert!(c.emu.passkeys(crate::USERNAME).is_empty());
            response
        },
    },
];
