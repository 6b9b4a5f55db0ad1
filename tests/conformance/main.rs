//! Conformance with Authing's published OpenAPI spec: every call the crate makes goes
//! through a recording proxy to the emulator, and every request body the SDK sends and
//! every 2xx answer the emulator gives is checked against the schema of its path in
//! `tests/spec/authentication-v3.json` (the extract `tools/extract_spec.py` makes from the
//! spec; docs/CONFORMANCE.md says how to regenerate it and how to add a call).
//!
//! Table-driven: `CALLS` has one row per way of calling; a new `AuthClient` call adds its
//! rows there, and `every_server_call_of_the_client_has_a_conformance_row` fails until it
//! does. Where the emulator knowingly differs from the spec, `KNOWN` says so, entry by entry.
#[path = "../common/mod.rs"]
mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use authing::emulator::{
    AppMfaPolicy, Emulator, NewApp, NewDepartment, NewExtIdp, NewGroup, NewIdentity, NewResource,
    NewRole, NewTenant, NewUser,
};
use authing::{totp, FactorProfile, FactorType};
use authing::{
    AuthClient, AuthOptions, AuthProfile, AuthResponse, EmailType, Lang, PasswordEncryptType,
    ResetPasswordPayload, ResetPasswordVerifyMethod, ResourceType, SmsType,
};
use common::proxy::{decode_pairs, Exchange, Proxy};
use common::schema::{check, check_text};
use common::{Reply, Server};
use serde_json::{json, Map, Value};

/// The extract, compiled in: the test needs no file outside the repository.
const EXTRACT: &str = include_str!("../spec/authentication-v3.json");

fn extract() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(EXTRACT).expect("the extract is json"))
}

// ---------------------------------------------------------------------------------------
// The calls
// ---------------------------------------------------------------------------------------

const PHONE: &str = "18812345678";
const UNKNOWN_PHONE: &str = "18800000000";
const EMAIL: &str = "someone@example.com";
const USERNAME: &str = "mike";
const AD_ACCOUNT: &str = "carol";
const LDAP_ACCOUNT: &str = "dave";
/// The password of every seeded user.
const PASSWORD: &str = "old-passw0rd";
const NEW_EMAIL: &str = "newcomer@example.com";
const NEW_PHONE: &str = "18887654321";
const APP_ID: &str = authing::emulator::DEFAULT_APP_ID;

const SEND_SMS: &str = "POST /api/v3/send-sms";
const SEND_EMAIL: &str = "POST /api/v3/send-email";
const VERIFY: &str = "POST /api/v3/verify-reset-password-request";
const RESET: &str = "POST /api/v3/reset-password";
const SYSTEM: &str = "GET /api/v3/system";
const SIGNUP: &str = "POST /api/v3/signup";
const SIGNIN: &str = "POST /api/v3/signin";
const PROFILE: &str = "GET /api/v3/get-profile";
// --- directory ---
const LOGIN_HISTORY: &str = "GET /api/v3/get-my-login-history";
const LOGGED_IN_APPS: &str = "GET /api/v3/get-my-logged-in-apps";
const ACCESSIBLE_APPS: &str = "GET /api/v3/get-my-accessible-apps";
const TENANTS: &str = "GET /api/v3/get-my-tenant-list";
const ROLES: &str = "GET /api/v3/get-my-role-list";
const GROUPS: &str = "GET /api/v3/get-my-group-list";
const DEPARTMENTS: &str = "GET /api/v3/get-my-department-list";
const RESOURCES: &str = "GET /api/v3/get-my-authorized-resources";
const LINK: &str = "GET /api/v3/link-extidp";
const UNLINK: &str = "POST /api/v3/unlink-extidp";
const IDENTITIES: &str = "GET /api/v3/get-identities";
const EXT_IDPS: &str = "GET /api/v3/get-application-enabled-extidps";
// --- end directory ---
const TOKEN: &str = "POST /oidc/token";
const REVOKE: &str = "POST /oidc/token/revocation";
const COUNTRIES: &str = "GET /api/v3/get-country-list";
const PUBLIC_CONFIG: &str = "GET /api/v2/applications/demo-app/public-config";
// --- mfa ---
const SEND_ENROLL: &str = "POST /api/v3/send-enroll-factor-request";
const ENROLL: &str = "POST /api/v3/enroll-factor";
const RESET_FACTOR: &str = "POST /api/v3/reset-factor";
const LIST_ENROLLED: &str = "GET /api/v3/list-enrolled-factors";
const GET_FACTOR: &str = "GET /api/v3/get-factor";
const LIST_TO_ENROLL: &str = "GET /api/v3/list-factors-to-enroll";
const TOTP_VERIFY: &str = "POST /api/v3/mfa-totp-verify";
const MFA_OTP: &str = "POST /api/v2/mfa/totp/verify";
const MFA_RECOVERY: &str = "POST /api/v2/mfa/totp/recovery";
const MFA_SMS: &str = "POST /api/v2/applications/mfa/sms/verify";
const MFA_EMAIL: &str = "POST /api/v2/applications/mfa/email/verify";

/// One way of calling the client, and what it must put on the wire.
struct Call {
    /// What the row does, as a sentence.
    does: &'static str,
    /// The `AuthClient` method it exercises, by its blocking name (the callback form is a
    /// one-line wrapper over it and sends the same bytes).
    method: &'static str,
    /// Every request the row sends, in order, as `METHOD /path` (setup steps included:
    /// they are checked like the rest).
    sends: &'static [&'static str],
    /// The status code of the row's final answer.
    answers: i32,
    run: fn(&Ctx) -> AuthResponse,
}

const CALLS: &[Call] = &[
    Call {
        does: "send_sms with a country code sends a reset code",
        method: "send_sms_blocking",
        sends: &[SEND_SMS],
        answers: 200,
        run: |c| {
            c.client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_sms without a country code sends a sign-in code",
        method: "send_sms_blocking",
        sends: &[SEND_SMS],
        answers: 200,
        run: |c| {
            c.client
                .send_sms_blocking(None, PHONE, SmsType::CHANNEL_LOGIN)
        },
    },
    Call {
        does: "send_sms twice within a minute is throttled",
        method: "send_sms_blocking",
        sends: &[SEND_SMS, SEND_SMS],
        answers: 429,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
            c.client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_sms to a number without a user fails with an api code",
        method: "send_sms_blocking",
        sends: &[SEND_SMS],
        answers: 404,
        run: |c| {
            c.client
                .send_sms_blocking("+86", UNKNOWN_PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_email sends a reset code",
        method: "send_email_blocking",
        sends: &[SEND_EMAIL],
        answers: 200,
        run: |c| {
            c.client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_email twice within a minute is throttled",
        method: "send_email_blocking",
        sends: &[SEND_EMAIL, SEND_EMAIL],
        answers: 429,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD));
            c.client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "reset_password_request with PHONE_PASSCODE answers a reset token",
        method: "reset_password_request_blocking",
        sends: &[SEND_SMS, VERIFY],
        answers: 200,
        run: |c| c.verify_phone(),
    },
    Call {
        does: "reset_password_request with EMAIL_PASSCODE answers a reset token",
        method: "reset_password_request_blocking",
        sends: &[SEND_EMAIL, VERIFY],
        answers: 200,
        run: |c| c.verify_email(),
    },
    Call {
        does: "reset_password_request with a wrong code fails with an api code",
        method: "reset_password_request_blocking",
        sends: &[SEND_SMS, VERIFY],
        answers: 400,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
            let right = c.code(PHONE);
            let wrong = if right == "000000" {
                "111111"
            } else {
                "000000"
            };
            let mut payload = ResetPasswordPayload::new();
            payload
                .set_phone_country_code("+86")
                .set_phone_number(PHONE)
                .set_pass_code(wrong);
            c.client
                .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload)
        },
    },
    Call {
        does: "reset_password with passwordEncryptType none sets the password",
        method: "reset_password_blocking",
        sends: &[SEND_SMS, VERIFY, RESET],
        answers: 200,
        run: |c| c.reset(PasswordEncryptType::none),
    },
    Call {
        does: "reset_password with passwordEncryptType rsa fetches the key and sets the password",
        method: "reset_password_blocking",
        sends: &[SEND_SMS, VERIFY, SYSTEM, RESET],
        answers: 200,
        run: |c| c.reset(PasswordEncryptType::rsa),
    },
    Call {
        does: "reset_password with passwordEncryptType sm2 fetches the key and sets the password",
        method: "reset_password_blocking",
        sends: &[SEND_SMS, VERIFY, SYSTEM, RESET],
        answers: 200,
        run: |c| c.reset(PasswordEncryptType::sm2),
    },
    Call {
        does: "reset_password with a token the server never issued fails with an api code",
        method: "reset_password_blocking",
        sends: &[RESET],
        answers: 400,
        run: |c| {
            c.client.reset_password_blocking(
                "not-a-token-the-emulator-issued",
                "a new passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "reset_password_by_phone verifies the code and sets the password",
        method: "reset_password_by_phone_blocking",
        sends: &[SEND_SMS, VERIFY, RESET],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
            c.client.reset_password_by_phone_blocking(
                "+86",
                PHONE,
                &c.code(PHONE),
                "a new passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "reset_password_by_email with rsa fetches the key, verifies and sets the password",
        method: "reset_password_by_email_blocking",
        sends: &[SEND_EMAIL, SYSTEM, VERIFY, RESET],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD));
            c.client.reset_password_by_email_blocking(
                EMAIL,
                &c.code(EMAIL),
                "a new passw0rd",
                PasswordEncryptType::rsa,
            )
        },
    },
    Call {
        does: "system answers the public keys",
        method: "system_blocking",
        sends: &[SYSTEM],
        answers: 200,
        run: |c| c.client.system_blocking(),
    },
    Call {
        does: "a client without an app host discovers it before its first call",
        method: "system_blocking",
        sends: &[PUBLIC_CONFIG, SYSTEM],
        answers: 200,
        run: |c| {
            // The proxy forwards the Host header, so the public config names the proxy as
            // the API host and the call after discovery goes through it too.
            AuthClient::builder()
                .app_id(APP_ID)
                .host(c.proxy.base_url())
                .lang(Lang::EnUs)
                .build()
                .expect("valid settings")
                .system_blocking()
        },
    },
    Call {
        does: "sign_up_by_user_name_password with a profile creates the user",
        method: "sign_up_by_user_name_password_blocking",
        sends: &[SIGNUP],
        answers: 200,
        run: |c| {
            let mut profile = AuthProfile::new();
            profile.set_nickname("Newcomer").set_gender("M");
            c.client.sign_up_by_user_name_password_blocking(
                "newcomer",
                "a new passw0rd",
                profile,
                None,
            )
        },
    },
    Call {
        does: "sign_up_by_user_name_password with a taken username fails with an api code",
        method: "sign_up_by_user_name_password_blocking",
        sends: &[SIGNUP],
        answers: 409,
        run: |c| {
            c.client
                .sign_up_by_user_name_password_blocking(USERNAME, "a new passw0rd", None, None)
        },
    },
    Call {
        does: "sign_up_by_user_name_password with rsa fetches the key and creates the user",
        method: "sign_up_by_user_name_password_blocking",
        sends: &[SYSTEM, SIGNUP],
        answers: 200,
        run: |c| {
            c.client.sign_up_by_user_name_password_blocking(
                "newcomer",
                "a new passw0rd",
                None,
                c.encrypted(PasswordEncryptType::rsa),
            )
        },
    },
    Call {
        does: "sign_up_by_email_password creates the user",
        method: "sign_up_by_email_password_blocking",
        sends: &[SIGNUP],
        answers: 200,
        run: |c| {
            c.client
                .sign_up_by_email_password_blocking(NEW_EMAIL, "a new passw0rd", None, None)
        },
    },
    Call {
        does: "sign_up_by_email_pass_code with a code sent to register creates the user",
        method: "sign_up_by_email_pass_code_blocking",
        sends: &[SEND_EMAIL, SIGNUP],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(NEW_EMAIL, EmailType::CHANNEL_REGISTER));
            c.client
                .sign_up_by_email_pass_code_blocking(NEW_EMAIL, &c.code(NEW_EMAIL), None, None)
        },
    },
    Call {
        does: "sign_up_by_phone_pass_code with a code sent to register creates the user",
        method: "sign_up_by_phone_pass_code_blocking",
        sends: &[SEND_SMS, SIGNUP],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", NEW_PHONE, SmsType::CHANNEL_REGISTER));
            c.client.sign_up_by_phone_pass_code_blocking(
                "+86",
                NEW_PHONE,
                &c.code(NEW_PHONE),
                None,
                None,
            )
        },
    },
    Call {
        does: "sign_in_by_account_password signs in and fetches the profile",
        method: "sign_in_by_account_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| c.sign_in(),
    },
    Call {
        does: "sign_in_by_account_password with a wrong password fails with an api code",
        method: "sign_in_by_account_password_blocking",
        sends: &[SIGNIN],
        answers: 403,
        run: |c| {
            let response =
                c.client
                    .sign_in_by_account_password_blocking(USERNAME, "not-the-passw0rd", None);
            assert_eq!(response.api_code(), 2333, "{}", response.message());
            response
        },
    },
    Call {
        does: "sign_in_by_account_password on a locked account fails with an api code",
        method: "sign_in_by_account_password_blocking",
        sends: &[SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN],
        answers: 403,
        run: |c| {
            for _ in 0..5 {
                c.client
                    .sign_in_by_account_password_blocking(USERNAME, "not-the-passw0rd", None);
            }
            let response = c
                .client
                .sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
            assert_eq!(response.api_code(), 2005, "{}", response.message());
            response
        },
    },
    Call {
        does: "sign_in_by_account_password with rsa fetches the key and signs in",
        method: "sign_in_by_account_password_blocking",
        sends: &[SYSTEM, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client.sign_in_by_account_password_blocking(
                USERNAME,
                PASSWORD,
                c.encrypted(PasswordEncryptType::rsa),
            )
        },
    },
    Call {
        does: "sign_in_by_account_password with sm2 and every option fetches the key and signs in",
        method: "sign_in_by_account_password_blocking",
        sends: &[SYSTEM, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            let mut options = c.encrypted(PasswordEncryptType::sm2);
            options
                .set_client_ip("192.0.2.7")
                .set_context(json!({"source": "desktop"}))
                .set_tenant_id("tenant-1")
                .set_custom_data(json!({"school": "north"}))
                .set_captcha_code("abc123")
                .set_scope("openid profile email phone offline_access");
            c.client
                .sign_in_by_account_password_blocking(EMAIL, PASSWORD, options)
        },
    },
    Call {
        does: "sign_in_by_user_name_password signs in and fetches the profile",
        method: "sign_in_by_user_name_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None)
        },
    },
    Call {
        does: "sign_in_by_email_password signs in and fetches the profile",
        method: "sign_in_by_email_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_email_password_blocking(EMAIL, PASSWORD, None)
        },
    },
    Call {
        does: "sign_in_by_email_password with auto-register creates an unknown user",
        method: "sign_in_by_email_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            let mut options = AuthOptions::new();
            options.set_auto_register(true);
            c.client
                .sign_in_by_email_password_blocking(NEW_EMAIL, "a new passw0rd", options)
        },
    },
    Call {
        does: "sign_in_by_phone_password signs in and fetches the profile",
        method: "sign_in_by_phone_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_phone_password_blocking(PHONE, PASSWORD, None)
        },
    },
    Call {
        does: "sign_in_by_phone_pass_code with a code sent to sign in signs in",
        method: "sign_in_by_phone_pass_code_blocking",
        sends: &[SEND_SMS, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN));
            c.client
                .sign_in_by_phone_pass_code_blocking("+86", PHONE, &c.code(PHONE), None)
        },
    },
    Call {
        does: "sign_in_by_phone_pass_code with a wrong code fails with an api code",
        method: "sign_in_by_phone_pass_code_blocking",
        sends: &[SEND_SMS, SIGNIN],
        answers: 400,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking(None, PHONE, SmsType::CHANNEL_LOGIN));
            let wrong = if c.code(PHONE) == "000000" {
                "111111"
            } else {
                "000000"
            };
            c.client
                .sign_in_by_phone_pass_code_blocking(None, PHONE, wrong, None)
        },
    },
    Call {
        does: "sign_in_by_email_pass_code with a code sent to sign in signs in",
        method: "sign_in_by_email_pass_code_blocking",
        sends: &[SEND_EMAIL, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_LOGIN));
            c.client
                .sign_in_by_email_pass_code_blocking(EMAIL, &c.code(EMAIL), None)
        },
    },
    Call {
        does: "sign_in_by_ad signs a directory account in",
        method: "sign_in_by_ad_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| c.client.sign_in_by_ad_blocking(AD_ACCOUNT, PASSWORD, None),
    },
    Call {
        does: "sign_in_by_ldap signs a directory account in",
        method: "sign_in_by_ldap_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_ldap_blocking(LDAP_ACCOUNT, PASSWORD, None)
        },
    },
    Call {
        does: "get_profile with every flag answers the signed-in user",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.get_profile_blocking(true, true, true)
        },
    },
    Call {
        does: "get_profile of a directory account answers its identities",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c.client.sign_in_by_ad_blocking(AD_ACCOUNT, PASSWORD, None));
            c.client.get_profile_blocking(false, true, false)
        },
    },
    Call {
        does: "get_profile with a token the server says has expired refreshes it and asks again",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE, TOKEN, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.emu.advance_clock(Duration::from_secs(7201));
            c.client.get_profile_blocking(false, false, false)
        },
    },
    Call {
        does: "get_profile with an ended token and no refresh token fails with an api code",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE],
        answers: 401,
        run: |c| {
            let mut options = AuthOptions::new();
            options.set_scope("openid profile");
            c.ok(c
                .client
                .sign_in_by_account_password_blocking(USERNAME, PASSWORD, options));
            assert_eq!(c.emu.expire_access_tokens(USERNAME), 1);
            let response = c.client.get_profile_blocking(false, false, false);
            assert_eq!(response.api_code(), 2020, "{}", response.message());
            response
        },
    },
    Call {
        does: "get_new_access_token_by_refresh_token renews the session's tokens",
        method: "get_new_access_token_by_refresh_token_blocking",
        sends: &[SIGNIN, PROFILE, TOKEN],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .get_new_access_token_by_refresh_token_blocking(None)
        },
    },
    Call {
        does: "get_new_access_token_by_refresh_token with an expired refresh token is refused",
        method: "get_new_access_token_by_refresh_token_blocking",
        sends: &[SIGNIN, PROFILE, TOKEN],
        answers: 400,
        run: |c| {
            c.ok(c.sign_in());
            c.emu.advance_clock(Duration::from_secs(31 * 24 * 3600));
            c.client
                .get_new_access_token_by_refresh_token_blocking(None)
        },
    },
    Call {
        does: "logout revokes the refresh token, then the access token",
        method: "logout_blocking",
        sends: &[SIGNIN, PROFILE, REVOKE, REVOKE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.logout_blocking()
        },
    },
    Call {
        does: "get_country_list answers the countries",
        method: "get_country_list_blocking",
        sends: &[COUNTRIES],
        answers: 200,
        run: |c| c.client.get_country_list_blocking(),
    },
    Call {
        does: "get_country_list when signed in sends the bearer",
        method: "get_country_list_blocking",
        sends: &[SIGNIN, PROFILE, COUNTRIES],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.get_country_list_blocking()
        },
    },
    // --- directory ---
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
    // --- end directory ---
    // --- mfa ---
    Call {
        does: "send_enroll_factor_request for OTP answers the enrolment token and the otpauth uri",
        method: "send_enroll_factor_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL],
        answers: 200,
        run: |c| {
            c.mfa_sign_in();
            c.client
                .send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new())
        },
    },
    Call {
        does: "send_enroll_factor_request for EMAIL sends the code to the profile's email",
        method: "send_enroll_factor_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL],
        answers: 200,
        run: |c| {
            c.mfa_sign_in();
            let mut profile = FactorProfile::new();
            profile.set_email("factor@example.com");
            c.client
                .send_enroll_factor_request_blocking(FactorType::EMAIL, profile)
        },
    },
    Call {
        does: "enroll_factor with an otp code computed locally enrols the factor",
        method: "enroll_factor_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL],
        answers: 200,
        run: |c| c.enrol_otp().0,
    },
    Call {
        does: "list_enrolled_factors lists the enrolled otp factor",
        method: "list_enrolled_factors_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL, LIST_ENROLLED],
        answers: 200,
        run: |c| {
            c.enrol_otp();
            c.client.list_enrolled_factors_blocking()
        },
    },
    Call {
        does: "get_factor reads one factor by its id",
        method: "get_factor_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            LIST_ENROLLED,
            GET_FACTOR,
        ],
        answers: 200,
        run: |c| {
            c.enrol_otp();
            let id = c.first_factor_id();
            c.client.get_factor_blocking(&id)
        },
    },
    Call {
        does: "reset_factor removes a factor",
        method: "reset_factor_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            LIST_ENROLLED,
            RESET_FACTOR,
        ],
        answers: 200,
        run: |c| {
            c.enrol_otp();
            let id = c.first_factor_id();
            c.client.reset_factor_blocking(&id)
        },
    },
    Call {
        does: "list_factors_to_enroll lists the factor types the app offers",
        method: "list_factors_to_enroll_blocking",
        sends: &[SIGNIN, PROFILE, LIST_TO_ENROLL],
        answers: 200,
        run: |c| {
            c.mfa_sign_in();
            c.client.list_factors_to_enroll_blocking()
        },
    },
    Call {
        does: "mfa_totp_verify accepts a code of the signed-in user's otp factor",
        method: "mfa_totp_verify_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL, TOTP_VERIFY],
        answers: 200,
        run: |c| {
            let (_, secret, _) = c.enrol_otp();
            c.client
                .mfa_totp_verify_blocking(&totp::generate_now(&secret).expect("a code"))
        },
    },
    Call {
        does: "mfa_verify_by_otp completes a 1635 challenge and starts the session",
        method: "mfa_verify_by_otp_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            SIGNIN,
            MFA_OTP,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let (_, secret, _) = c.challenged_with_otp();
            c.client
                .mfa_verify_by_otp_blocking(&totp::generate_now(&secret).expect("a code"))
        },
    },
    Call {
        does: "mfa_verify_by_recovery_code completes a 1635 challenge",
        method: "mfa_verify_by_recovery_code_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            SIGNIN,
            MFA_RECOVERY,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let (_, _, recovery) = c.challenged_with_otp();
            c.client.mfa_verify_by_recovery_code_blocking(&recovery)
        },
    },
    Call {
        does: "mfa_verify_by_phone completes a 1636 challenge with an sms code",
        method: "mfa_verify_by_phone_blocking",
        sends: &[SIGNIN, SEND_SMS, MFA_SMS, PROFILE],
        answers: 200,
        run: |c| {
            c.emu
                .set_app_mfa(AppMfaPolicy::required(&[FactorType::SMS]))
                .expect("a policy");
            let challenged =
                c.client
                    .sign_in_by_phone_password_blocking(PHONE, "old-passw0rd", None);
            assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_VERIFY_MFA));
            c.client
                .mfa_verify_by_phone_blocking("+86", PHONE, &c.code(PHONE))
        },
    },
    Call {
        does: "mfa_verify_by_email completes a 1636 challenge with an email code",
        method: "mfa_verify_by_email_blocking",
        sends: &[SIGNIN, SEND_EMAIL, MFA_EMAIL, PROFILE],
        answers: 200,
        run: |c| {
            c.emu
                .set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
                .expect("a policy");
            let challenged =
                c.client
                    .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None);
            assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_VERIFY_MFA));
            c.client.mfa_verify_by_email_blocking(EMAIL, &c.code(EMAIL))
        },
    },
    Call {
        does: "mfa_verify_by_otp with a wrong code fails with api code 6001",
        method: "mfa_verify_by_otp_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL, SIGNIN, MFA_OTP],
        answers: 6001,
        run: |c| {
            let (_, secret, _) = c.challenged_with_otp();
            let right = totp::generate_now(&secret).expect("a code");
            let wrong = if right == "000000" {
                "111111"
            } else {
                "000000"
            };
            c.client.mfa_verify_by_otp_blocking(wrong)
        },
    },
    // --- qrcode ---
    Call {
        does: "gene_qr_code generates a code for the app's own phone app",
        method: "gene_qr_code_blocking",
        sends: &[GENE_QR],
        answers: 200,
        run: |c| c.client.gene_qr_code_blocking(json!({"device": "desk-7"})),
    },
    Call {
        does: "check_qr_code_status of a new code answers PENDING",
        method: "check_qr_code_status_blocking",
        sends: &[GENE_QR, CHECK_QR],
        answers: 200,
        run: |c| {
            let id = c.qr_code();
            c.client.check_qr_code_status_blocking(&id)
        },
    },
    Call {
        does:
            "check_qr_code_status of a code the phone confirmed answers the ticket and who scanned",
        method: "check_qr_code_status_blocking",
        sends: &[GENE_QR, CHECK_QR],
        answers: 200,
        run: |c| {
            let id = c.confirmed_qr_code();
            c.client.check_qr_code_status_blocking(&id)
        },
    },
    Call {
        does: "check_qr_code_status of an unknown code fails with an api code",
        method: "check_qr_code_status_blocking",
        sends: &[CHECK_QR],
        answers: 404,
        run: |c| c.client.check_qr_code_status_blocking("qr-unknown"),
    },
    Call {
        does: "exchange_token_set_with_qr_code swaps the ticket for tokens and starts the session",
        method: "exchange_token_set_with_qr_code_blocking",
        sends: &[GENE_QR, CHECK_QR, EXCHANGE_QR, PROFILE],
        answers: 200,
        run: |c| {
            let ticket = c.qr_ticket();
            c.client
                .exchange_token_set_with_qr_code_blocking(&ticket, None, None)
        },
    },
    Call {
        does: "exchange_token_set_with_qr_code with a spent ticket fails with an api code",
        method: "exchange_token_set_with_qr_code_blocking",
        sends: &[GENE_QR, CHECK_QR, EXCHANGE_QR, PROFILE, EXCHANGE_QR],
        answers: 400,
        run: |c| {
            let ticket = c.qr_ticket();
            c.ok(c
                .client
                .exchange_token_set_with_qr_code_blocking(&ticket, None, None));
            c.client
                .exchange_token_set_with_qr_code_blocking(&ticket, None, None)
        },
    },
    Call {
        does: "change_qr_code_status scans a code as the signed-in phone user",
        method: "change_qr_code_status_blocking",
        sends: &[GENE_QR, SIGNIN, PROFILE, CHANGE_QR],
        answers: 200,
        run: |c| {
            let id = c.qr_code();
            c.ok(c
                .client
                .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
            c.client
                .change_qr_code_status_blocking(&id, authing::Action::SCAN)
        },
    },
    Call {
        does: "sign_in_by_qr_code generates, polls until the phone confirms, and signs in",
        method: "sign_in_by_qr_code_blocking",
        sends: &[GENE_QR, CHECK_QR, EXCHANGE_QR, PROFILE],
        answers: 200,
        run: |c| {
            let mut options = authing::QrCodeSignInOptions::new();
            options.set_interval(std::time::Duration::from_millis(50));
            c.client
                .sign_in_by_qr_code_blocking(options, |update: authing::QrCodeUpdate| {
                    if update.status() == authing::QrCodeStatus::PENDING {
                        c.phone_confirms(update.qr_code().qrcode_id());
                    }
                })
        },
    },
    // --- oidc ---
    Call {
        does: "build_authorize_url with a fixed host builds the url and sends nothing",
        method: "build_authorize_url_blocking",
        sends: &[],
        answers: 200,
        run: |c| c.client.build_authorize_url_blocking(&oidc_request()),
    },
    Call {
        does: "get_access_token_by_code fetches the provider's keys, exchanges the code and fetches the user",
        method: "get_access_token_by_code_blocking",
        sends: &[OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE],
        answers: 200,
        run: |c| {
            let request = oidc_request();
            let code = c.oidc_code(&request);
            c.client.get_access_token_by_code_blocking(&code, &request)
        },
    },
    Call {
        does: "get_access_token_by_code with a spent code is refused as invalid_grant",
        method: "get_access_token_by_code_blocking",
        sends: &[
            OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE, OIDC_DISCOVERY, OIDC_JWKS,
            OIDC_TOKEN,
        ],
        answers: 400,
        run: |c| {
            let request = oidc_request();
            let code = c.oidc_code(&request);
            c.ok(c.client.get_access_token_by_code_blocking(&code, &request));
            c.client.get_access_token_by_code_blocking(&code, &request)
        },
    },
    Call {
        does: "get_user_info_by_access_token answers the claims of the session's user",
        method: "get_user_info_by_access_token_blocking",
        sends: &[OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE, OIDC_ME],
        answers: 200,
        run: |c| {
            let request = oidc_request();
            let code = c.oidc_code(&request);
            c.ok(c.client.get_access_token_by_code_blocking(&code, &request));
            c.client.get_user_info_by_access_token_blocking(None)
        },
    },
    Call {
        does: "sign_in_by_browser fetches the provider's keys, exchanges the redirect's code and fetches the user",
        method: "sign_in_by_browser_blocking",
        sends: &[OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE],
        answers: 200,
        run: |c| c.client.sign_in_by_browser_blocking(c.oidc_browser()),
    },
    Call {
        does: "logout after a browser sign-in revokes the tokens and ends the oidc session",
        method: "logout_blocking",
        sends: &[
            OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE, OIDC_REVOKE, OIDC_REVOKE,
            OIDC_SESSION_END,
        ],
        answers: 200,
        run: |c| {
            c.ok(c.client.sign_in_by_browser_blocking(c.oidc_browser()));
            c.client.logout_blocking()
        },
    },

    // --- account ---
    Call {
        does: "update_profile changes the signed-in user's profile",
        method: "update_profile_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let mut profile = authing::Profile::new();
            profile
                .set_nickname("Mike")
                .set_gender("M")
                .set_custom_data(json!({"team": "blue"}));
            c.client.update_profile_blocking(profile)
        },
    },
    Call {
        does: "update_profile to a username another user has fails with an api code",
        method: "update_profile_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PROFILE],
        answers: 409,
        run: |c| {
            c.emu
                .add_user(NewUser::with_username("taken", "old-passw0rd"))
                .expect("a user with a username");
            c.sign_in_email();
            let mut profile = authing::Profile::new();
            profile.set_username("taken");
            c.client.update_profile_blocking(profile)
        },
    },
    Call {
        does: "upload_avatar uploads a picture and makes it the photo",
        method: "upload_avatar_blocking",
        sends: &[SIGNIN, PROFILE, A_UPLOAD, A_UPDATE_PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client
                .upload_avatar_blocking(&b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"[..])
        },
    },
    Call {
        does: "get_security_level answers the security info",
        method: "get_security_level_blocking",
        sends: &[SIGNIN, PROFILE, A_SECURITY],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client.get_security_level_blocking()
        },
    },
    Call {
        does: "update_password with passwordEncryptType none sets the password",
        method: "update_password_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PASSWORD, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client.update_password_blocking(
                "a new passw0rd",
                "old-passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "update_password with passwordEncryptType rsa fetches the key and sets the password",
        method: "update_password_blocking",
        sends: &[SIGNIN, PROFILE, SYSTEM, A_UPDATE_PASSWORD, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client.update_password_blocking(
                "a new passw0rd",
                "old-passw0rd",
                PasswordEncryptType::rsa,
            )
        },
    },
    Call {
        does: "update_password with a wrong old password fails with an api code",
        method: "update_password_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PASSWORD],
        answers: 403,
        run: |c| {
            c.sign_in_email();
            c.client.update_password_blocking(
                "a new passw0rd",
                "not-the-passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "bind_phone binds a phone with its code",
        method: "bind_phone_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_BIND_PHONE, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.bind_phone(UNKNOWN_PHONE)
        },
    },
    Call {
        does: "bind_phone with a code never sent fails with an api code",
        method: "bind_phone_blocking",
        sends: &[SIGNIN, PROFILE, A_BIND_PHONE],
        answers: 400,
        run: |c| {
            c.sign_in_email();
            c.client.bind_phone_blocking("+86", UNKNOWN_PHONE, "000000")
        },
    },
    Call {
        does: "un_bind_phone unbinds the phone with its code",
        method: "un_bind_phone_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_SMS,
            A_BIND_PHONE,
            PROFILE,
            SEND_SMS,
            A_UNBIND_PHONE,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.ok(c.bind_phone(UNKNOWN_PHONE));
            c.ok(c
                .client
                .send_sms_blocking("+86", UNKNOWN_PHONE, SmsType::CHANNEL_UNBIND_PHONE));
            c.client.un_bind_phone_blocking(&c.code(UNKNOWN_PHONE))
        },
    },
    Call {
        does: "un_bind_phone of the last way to sign in fails with an api code",
        method: "un_bind_phone_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_UNBIND_PHONE],
        answers: 422,
        run: |c| {
            c.sign_in_phone();
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_UNBIND_PHONE));
            c.client.un_bind_phone_blocking(&c.code(PHONE))
        },
    },
    Call {
        does: "bind_email binds an email with its code",
        method: "bind_email_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_BIND_EMAIL, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.bind_email(A_NEW_EMAIL)
        },
    },
    Call {
        does: "un_bind_email unbinds the email with its code",
        method: "un_bind_email_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_EMAIL,
            A_BIND_EMAIL,
            PROFILE,
            SEND_EMAIL,
            A_UNBIND_EMAIL,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.ok(c.bind_email(A_NEW_EMAIL));
            c.ok(c
                .client
                .send_email_blocking(A_NEW_EMAIL, EmailType::CHANNEL_UNBIND_EMAIL));
            c.client.un_bind_email_blocking(&c.code(A_NEW_EMAIL))
        },
    },
    Call {
        does: "update_phone_request verifies the new phone and answers a token",
        method: "update_phone_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_VERIFY_UPDATE_PHONE],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.update_phone_request()
        },
    },
    Call {
        does: "update_phone changes the phone with the token",
        method: "update_phone_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_SMS,
            A_VERIFY_UPDATE_PHONE,
            A_UPDATE_PHONE,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            let verified = c.ok(c.update_phone_request());
            c.client
                .update_phone_blocking(verified.update_phone_data().expect("a token"))
        },
    },
    Call {
        does: "update_phone with a token the server never issued fails with an api code",
        method: "update_phone_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PHONE],
        answers: 400,
        run: |c| {
            c.sign_in_phone();
            c.client
                .update_phone_blocking("not-a-token-the-emulator-issued")
        },
    },
    Call {
        does: "update_email_request verifies the new email and answers a token",
        method: "update_email_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_VERIFY_UPDATE_EMAIL],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.update_email_request()
        },
    },
    Call {
        does: "update_email changes the email with the token",
        method: "update_email_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_EMAIL,
            A_VERIFY_UPDATE_EMAIL,
            A_UPDATE_EMAIL,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let verified = c.ok(c.update_email_request());
            c.client
                .update_email_blocking(verified.update_email_data().expect("a token"))
        },
    },
    Call {
        does: "delete_account_request with EMAIL_PASSCODE answers a token",
        method: "delete_account_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_VERIFY_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.delete_account_request()
        },
    },
    Call {
        does: "delete_account_request with PHONE_PASSCODE answers a token",
        method: "delete_account_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_VERIFY_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_DELETE_ACCOUNT));
            let mut payload = authing::DeleteAccountPayload::new();
            payload
                .set_phone_country_code("+86")
                .set_phone_number(PHONE)
                .set_pass_code(c.code(PHONE));
            c.client.delete_account_request_blocking(
                authing::DeleteAccountVerifyMethod::PHONE_PASSCODE,
                payload,
            )
        },
    },
    Call {
        does: "delete_account_request with PASSWORD and sm2 fetches the key and answers a token",
        method: "delete_account_request_blocking",
        sends: &[SIGNIN, PROFILE, SYSTEM, A_VERIFY_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let mut payload = authing::DeleteAccountPayload::new();
            payload
                .set_password("old-passw0rd")
                .set_password_encrypt_type(PasswordEncryptType::sm2);
            c.client.delete_account_request_blocking(
                authing::DeleteAccountVerifyMethod::PASSWORD,
                payload,
            )
        },
    },
    Call {
        does: "delete_account deletes the account with the token",
        method: "delete_account_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_VERIFY_DELETE, A_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let verified = c.ok(c.delete_account_request());
            c.client
                .delete_account_blocking(verified.delete_account_data().expect("a token"))
        },
    },
    // --- end account ---
    // --- social ---
    Call {
        does: "sign_in_by_mobile reads the app's wechat identifier, signs in and starts the session",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let code = c.provider_code("wechat", "wx-1");
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::wechat, &code, None)
        },
    },
    Call {
        does: "sign_in_by_mobile with facebook sends its access token and signs in",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let code = c.provider_code("facebook", "fb-1");
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::facebook, &code, None)
        },
    },
    Call {
        does: "sign_in_by_mobile with a used code fails with an api code",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE, SIGNIN_BY_MOBILE],
        answers: 400,
        run: |c| {
            let code = c.provider_code("google", "g-1");
            c.ok(c
                .client
                .sign_in_by_mobile_blocking(authing::Connection::google, &code, None));
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::google, &code, None)
        },
    },
    Call {
        does: "sign_in_by_mobile for a connection the app lacks reads the config and sends nothing else",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG],
        answers: authing::codes::CONFIG_NOT_FOUND,
        run: |c| {
            c.emu
                .set_social_connections(Vec::new())
                .expect("no social connection");
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::alipay, "a-code", None)
        },
    },
    Call {
        does: "sign_in_by_one_auth sends the yidun token pair and signs in",
        method: "sign_in_by_one_auth_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let token = c.provider_code("yidun", "yd-1");
            c.client
                .sign_in_by_one_auth_blocking(&token, "carrier-token", None)
        },
    },
    Call {
        does: "sign_in_by_wechat_mini_program sends the login and phone codes and signs in",
        method: "sign_in_by_wechat_mini_program_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let code = c.provider_code("wechat_mini_program_code_and_phone", "mini-1");
            c.client
                .sign_in_by_wechat_mini_program_blocking(&code, "phone-code", None)
        },
    },
    // --- end social ---
];

// --- qrcode ---
const GENE_QR: &str = "POST /api/v3/gene-qrcode";
const CHECK_QR: &str = "GET /api/v3/check-qrcode-status";
const CHANGE_QR: &str = "POST /api/v3/change-qrcode-status";
const EXCHANGE_QR: &str = "POST /api/v3/exchange-tokenset-with-qrcode-ticket";

impl Ctx {
    /// A new QR code's id.
    fn qr_code(&self) -> String {
        let code = self.ok(self.client.gene_qr_code_blocking(None)).qr_code();
        code.expect("a qr code").qrcode_id().to_string()
    }

    /// The email user's phone scans and confirms `id` (through the emulator's admin).
    fn phone_confirms(&self, id: &str) {
        for action in [authing::Action::SCAN, authing::Action::CONFIRM] {
            self.emu
                .change_qr_code_status(id, EMAIL, action)
                .expect("the phone's action");
        }
    }

    /// A QR code the phone confirmed.
    fn confirmed_qr_code(&self) -> String {
        let id = self.qr_code();
        self.phone_confirms(&id);
        id
    }

    /// The ticket of a QR code the phone confirmed.
    fn qr_ticket(&self) -> String {
        let id = self.confirmed_qr_code();
        let state = self
            .ok(self.client.check_qr_code_status_blocking(&id))
            .qr_code_state();
        state
            .expect("a state")
            .ticket()
            .expect("a ticket")
            .to_string()
    }
}

/// Paths the SDK calls that the v3 spec does not describe: (method, path template, why).
/// Their exchanges are recorded but have no schema to be checked against.
const NOT_IN_SPEC: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/api/v2/applications/{appId}/public-config",
        "app discovery (Android's Authing.init) reads the v2 public config, which the v3 \
         authentication spec does not describe",
    ),
    // --- mfa ---
    (
        "POST",
        "/api/v2/mfa/totp/verify",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
    (
        "POST",
        "/api/v2/mfa/totp/recovery",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
    (
        "POST",
        "/api/v2/applications/mfa/sms/verify",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
    (
        "POST",
        "/api/v2/applications/mfa/email/verify",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Answer,
}

/// A deviation from the spec that is known and accepted for now. Each entry must still
/// happen: one that no longer does fails the test, so the list stays the list of what to fix.
struct Known {
    /// `METHOD /path-template`.
    endpoint: &'static str,
    side: Side,
    /// The checker's exact violation.
    violation: &'static str,
}

// The emulator's throttled send answers the spec's HTTP 429 form by default, and
// `/api/v3/system` carries `publicIps` and every `version` field: what is left are the
// spec's own defects.
const KNOWN: &[Known] = &[
    // The spec's defect: its `TokenEndPointParams` marks `redirect_uri` required for every
    // grant, but RFC 6749 section 6 (refreshing an access token) takes only `grant_type`,
    // `refresh_token`, `scope` and client authentication; `redirect_uri` belongs to the
    // authorization-code grant (section 4.1.3). The SDK's refresh has none to send.
    Known {
        endpoint: "POST /oidc/token",
        side: Side::Request,
        violation: "/redirect_uri: missing required field",
    },
    // --- mfa ---
    // A sign-in's MFA challenge (apiCode 1635/1636) carries the `mfaToken` in `data`, as
    // the spec's error chapter says, but its failure envelope (`CommonResponseDto`) has
    // no `data`: the spec is incomplete there, not the emulator.
    Known {
        endpoint: "POST /api/v3/signin",
        side: Side::Answer,
        violation: "/data: unknown field",
    },
];

/// What a row runs against: a fresh emulator with one phone and one email user, the
/// proxy in front of it, and a client pointed at the proxy. Fields drop in order: the
/// client, then the proxy, then the emulator.
struct Ctx {
    client: AuthClient,
    proxy: Proxy,
    emu: Emulator,
}

impl Ctx {
    fn new() -> Ctx {
        let emu = Emulator::start().expect("the emulator starts");
        emu.add_user(NewUser::with_phone("+86", PHONE, "old-passw0rd"))
            .expect("a phone user");
        emu.add_user(NewUser::with_email(EMAIL, "old-passw0rd"))
            .expect("an email user");
        emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
            .expect("a username user");
        emu.add_user(NewUser::ad(AD_ACCOUNT, PASSWORD))
            .expect("an AD account");
        emu.add_user(NewUser::ldap(LDAP_ACCOUNT, PASSWORD))
            .expect("an LDAP account");
        assert_eq!(emu.app_id(), APP_ID);
        let proxy = Proxy::start(emu.addr());
        let client = AuthClient::builder()
            .app_id(APP_ID)
            .app_host(proxy.base_url())
            .lang(Lang::EnUs)
            .build()
            .expect("valid settings");
        Ctx { client, proxy, emu }
    }

    /// A setup step's answer, which must be a success.
    fn ok(&self, response: AuthResponse) -> AuthResponse {
        assert_eq!(
            response.status_code(),
            200,
            "a setup step failed: {}",
            response.message()
        );
        response
    }

    fn code(&self, target: &str) -> String {
        self.emu
            .latest_code(target)
            .expect("the emulator issued a code")
    }

    fn verify_phone(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
        let mut payload = ResetPasswordPayload::new();
        payload
            .set_phone_country_code("+86")
            .set_phone_number(PHONE)
            .set_pass_code(self.code(PHONE));
        self.client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload)
    }

    fn verify_email(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD));
        let mut payload = ResetPasswordPayload::new();
        payload.set_email(EMAIL).set_pass_code(self.code(EMAIL));
        self.client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload)
    }

    /// Options that encrypt the password with `kind`.
    fn encrypted(&self, kind: PasswordEncryptType) -> AuthOptions {
        let mut options = AuthOptions::new();
        options.set_password_encrypt_type(kind);
        options
    }

    // --- directory ---
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
    // --- end directory ---

    /// Signs the username user in by account and password.
    fn sign_in(&self) -> AuthResponse {
        self.client
            .sign_in_by_account_password_blocking(USERNAME, PASSWORD, None)
    }

    fn reset(&self, encrypt_type: PasswordEncryptType) -> AuthResponse {
        let verified = self.ok(self.verify_phone());
        let reset = verified
            .reset_password_data()
            .expect("the verify answer holds a token");
        self.client
            .reset_password_blocking(&reset, "a new passw0rd", encrypt_type)
    }
}

// --- mfa ---
impl Ctx {
    /// Signs the email user in (no MFA asked yet).
    fn mfa_sign_in(&self) {
        self.ok(self
            .client
            .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
    }

    /// Signs in and enrols an OTP factor: the enrolment's answer, the secret and the
    /// recovery code.
    fn enrol_otp(&self) -> (AuthResponse, String, String) {
        self.mfa_sign_in();
        let started = self.ok(self
            .client
            .send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()));
        let enrolment = started.enroll_factor_request_data().expect("an enrolment");
        let otp = enrolment.otp_data().expect("otp data");
        let secret = otp.secret().expect("a secret").to_string();
        let recovery = otp.recovery_code().expect("a recovery code").to_string();
        let code = totp::generate_now(&secret).expect("a code");
        let enrolled = self.client.enroll_factor_blocking(
            FactorType::OTP,
            enrolment.enrollment_token(),
            &code,
        );
        (enrolled, secret, recovery)
    }

    /// Enrols an OTP factor, turns the user's MFA on and signs in again: challenged.
    fn challenged_with_otp(&self) -> (AuthResponse, String, String) {
        let (enrolled, secret, recovery) = self.enrol_otp();
        self.ok(enrolled);
        self.emu.set_user_mfa(EMAIL, true).expect("the user");
        let challenged =
            self.client
                .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None);
        assert_eq!(challenged.api_code(), 1635, "{challenged:?}");
        (challenged, secret, recovery)
    }

    fn first_factor_id(&self) -> String {
        let listed = self.ok(self.client.list_enrolled_factors_blocking());
        listed.factor_list().expect("factors")[0]
            .factor_id()
            .to_string()
    }
}

// --- social ---
const SIGNIN_BY_MOBILE: &str = "POST /api/v3/signin-by-mobile";

impl Ctx {
    /// A provider code the emulator hands out for the identity `user_id_in_idp`.
    fn provider_code(&self, connection: &str, user_id_in_idp: &str) -> String {
        self.emu
            .add_provider_code(authing::emulator::NewProviderCode::new(
                connection,
                user_id_in_idp,
            ))
            .expect("a provider code")
    }
}
// --- end social ---

// ---------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------

/// One violation found in a row.
#[derive(Debug)]
struct Finding {
    row: &'static str,
    endpoint: String,
    side: Side,
    violation: String,
}

/// Whether `path` fits `template` (`{name}` matches one segment).
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// The spec's operation for a request: its path template and the extract's entry. A
/// template without parameters wins over one with.
fn operation(method: &str, path: &str) -> Option<(&'static str, &'static Value)> {
    let method = method.to_ascii_lowercase();
    extract()["paths"]
        .as_object()?
        .iter()
        .filter(|(template, _)| fits(template, path))
        .filter_map(|(template, ops)| Some((template.as_str(), ops.get(&method)?)))
        .min_by_key(|(template, _)| template.matches('{').count())
}

/// The findings of one exchange.
fn check_exchange(row: &'static str, x: &Exchange) -> Vec<Finding> {
    let mut found = Vec::new();
    let Some((template, op)) = operation(&x.method, &x.path) else {
        let listed = NOT_IN_SPEC
            .iter()
            .any(|(m, t, _)| *m == x.method && fits(t, &x.path));
        if !listed {
            found.push(Finding {
                row,
                endpoint: x.line(),
                side: Side::Request,
                violation: "the spec has no such path and method".into(),
            });
        }
        return found;
    };
    let endpoint = format!("{} {template}", x.method);
    let mut report = |side: Side, violations: Vec<String>| {
        found.extend(violations.into_iter().map(|violation| Finding {
            row,
            endpoint: endpoint.clone(),
            side,
            violation,
        }));
    };
    report(Side::Request, request_violations(op, x));
    report(Side::Answer, answer_violations(op, x));
    found
}

fn request_violations(op: &Value, x: &Exchange) -> Vec<String> {
    if MULTIPART_BODIES
        .iter()
        .any(|(m, t, _)| *m == x.method && fits(t, &x.path))
    {
        return multipart_violations(x);
    }
    let mut out = Vec::new();
    let query: Map<String, Value> = x
        .query_pairs()
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    match op.get("query") {
        Some(schema) => out.extend(
            check_text(schema, &Value::Object(query))
                .into_iter()
                .map(|v| format!("query {v}")),
        ),
        None if !query.is_empty() => {
            out.push("query: the spec describes no query parameters".into());
        }
        None => {}
    }
    let Some(request) = op.get("request") else {
        if !x.request_body.is_empty() {
            out.push("/: a body where the spec describes none".into());
        }
        return out;
    };
    let spec_type = request["contentType"].as_str().unwrap_or_default();
    if x.request_body.is_empty() {
        if request["required"] == json!(true) {
            out.push("/: no body where the spec requires one".into());
        }
        return out;
    }
    let sent_type = x.request_header("content-type").unwrap_or_default();
    if !sent_type.starts_with(spec_type) {
        out.push(format!(
            "content-type: {sent_type:?}, the spec says {spec_type:?}"
        ));
    }
    let schema = &request["schema"];
    if spec_type == "application/x-www-form-urlencoded" {
        let text = String::from_utf8_lossy(&x.request_body);
        let form: Map<String, Value> = decode_pairs(&text)
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        out.extend(check_text(schema, &Value::Object(form)));
    } else {
        match x.request_json() {
            Ok(body) => out.extend(check(schema, &body)),
            Err(e) => out.push(format!("/: {e}")),
        }
    }
    out
}

/// A 2xx answer against the path's answer schema; a business failure (an envelope whose
/// `statusCode` is not 200) against the spec's failure envelope, `CommonResponseDto`.
/// Answers outside 2xx are not checked: the spec describes none.
fn answer_violations(op: &Value, x: &Exchange) -> Vec<String> {
    if !(200..300).contains(&x.status) {
        return Vec::new();
    }
    let Some(response) = op.get("response") else {
        return Vec::new();
    };
    let body = match x.response_json() {
        Ok(body) => body,
        Err(e) => return vec![format!("/: {e}")],
    };
    let schema = &response["schema"];
    let enveloped = schema["properties"].get("statusCode").is_some();
    let failed = body["statusCode"].as_f64().is_some_and(|s| s != 200.0);
    if enveloped && failed {
        check(&extract()["failure"], &body)
    } else {
        check(schema, &body)
    }
}

#[test]
fn every_call_of_the_client_sends_and_gets_what_the_spec_describes() {
    let mut findings = Vec::new();
    let mut wrong_rows = Vec::new();
    for call in CALLS {
        let ctx = Ctx::new();
        let response = (call.run)(&ctx);
        let exchanges = ctx.proxy.take();
        let sent: Vec<String> = exchanges.iter().map(Exchange::line).collect();
        if sent != call.sends {
            wrong_rows.push(format!(
                "{}: sent {sent:?}, the row says {:?}",
                call.does, call.sends
            ));
        }
        if response.status_code() != call.answers {
            wrong_rows.push(format!(
                "{}: answered {} ({}), the row says {}",
                call.does,
                response.status_code(),
                response.message(),
                call.answers
            ));
        }
        for x in &exchanges {
            findings.extend(check_exchange(call.does, x));
        }
    }

    let mut used = vec![false; KNOWN.len()];
    let unexpected: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            let known = KNOWN.iter().position(|k| {
                k.endpoint == f.endpoint && k.side == f.side && k.violation == f.violation
            });
            if let Some(i) = known {
                used[i] = true;
            }
            known.is_none()
        })
        .collect();
    let stale: Vec<String> = KNOWN
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(k, _)| format!("{} {:?} {:?}", k.endpoint, k.side, k.violation))
        .collect();

    let mut problems = wrong_rows;
    problems.extend(
        unexpected
            .iter()
            .map(|f| format!("{}: {} {:?} {}", f.row, f.endpoint, f.side, f.violation)),
    );
    problems.extend(
        stale
            .iter()
            .map(|k| format!("KNOWN entry no longer happens (remove it): {k}")),
    );
    assert!(
        problems.is_empty(),
        "{} conformance problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The `pub fn ..._blocking` methods under `src/` (the client side: the emulator and the
/// binary are the server's).
fn blocking_methods_in(dir: &Path, found: &mut BTreeSet<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name != "emulator" && name != "bin" {
                blocking_methods_in(&path, found);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            for line in text.lines() {
                let Some(rest) = line.trim_start().strip_prefix("pub fn ") else {
                    continue;
                };
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.ends_with("_blocking") {
                    found.insert(name);
                }
            }
        }
    }
}

#[test]
fn every_server_call_of_the_client_has_a_conformance_row() {
    let mut in_src = BTreeSet::new();
    blocking_methods_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut in_src,
    );
    assert!(
        in_src.contains("send_sms_blocking"),
        "the scan of src/ found the client's calls: {in_src:?}"
    );
    let rows: BTreeSet<String> = CALLS.iter().map(|c| c.method.to_string()).collect();
    let missing: Vec<_> = in_src.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&in_src).collect();
    assert!(
        missing.is_empty(),
        "calls without a conformance row in tests/conformance.rs CALLS: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for methods src/ no longer has: {stale:?}"
    );
}

#[test]
fn every_call_has_a_row_whose_answer_is_a_success() {
    let methods: BTreeSet<&str> = CALLS.iter().map(|c| c.method).collect();
    for method in methods {
        assert!(
            CALLS.iter().any(|c| c.method == method && c.answers == 200),
            "{method} has no row whose answer is a success, so no success body is checked"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The extract
// ---------------------------------------------------------------------------------------

#[test]
fn the_extract_holds_every_path_and_method_of_the_spec() {
    let e = extract();
    assert_eq!(e["source"]["paths"], 104);
    let paths = e["paths"].as_object().expect("paths");
    assert_eq!(paths.len(), 104);
    let operations: usize = paths
        .values()
        .map(|ops| ops.as_object().map_or(0, Map::len))
        .sum();
    assert_eq!(
        operations, 107,
        "104 paths; /oidc/me and two webauthn paths have two methods"
    );
    for line in [SEND_SMS, SEND_EMAIL, VERIFY, RESET] {
        let (method, path) = line.split_once(' ').unwrap();
        let (_, op) = operation(method, path).expect("a recovery path");
        assert!(
            op.get("request").is_some() && op.get("response").is_some(),
            "{line}"
        );
    }
    assert_eq!(
        e["failure"]["required"],
        json!(["message", "statusCode"]),
        "the failure envelope is CommonResponseDto"
    );
}

#[test]
fn the_extract_keeps_only_names_types_required_and_enums() {
    const KEPT: &[&str] = &[
        "type",
        "properties",
        "required",
        "enum",
        "nullable",
        "items",
        "additionalProperties",
        "anyOf",
        "oneOf",
        "$id",
        "$ref",
    ];
    fn walk(schema: &Value, at: &str, bad: &mut Vec<String>) {
        let Some(rules) = schema.as_object() else {
            bad.push(format!("{at}: not an object"));
            return;
        };
        for (key, value) in rules {
            if !KEPT.contains(&key.as_str()) {
                bad.push(format!("{at}: {key}"));
            }
            match key.as_str() {
                "properties" => {
                    for (name, sub) in value.as_object().into_iter().flatten() {
                        walk(sub, &format!("{at}/{name}"), bad);
                    }
                }
                "items" => walk(value, &format!("{at}[]"), bad),
                "additionalProperties" if value.is_object() => walk(value, at, bad),
                "anyOf" | "oneOf" => {
                    for sub in value.as_array().into_iter().flatten() {
                        walk(sub, at, bad);
                    }
                }
                _ => {}
            }
        }
    }
    let mut bad = Vec::new();
    for (path, ops) in extract()["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for part in ["request", "response"] {
                if let Some(p) = op.get(part) {
                    walk(&p["schema"], &format!("{method} {path} {part}"), &mut bad);
                }
            }
            if let Some(q) = op.get("query") {
                walk(q, &format!("{method} {path} query"), &mut bad);
            }
        }
    }
    assert!(bad.is_empty(), "keys the extract should not keep: {bad:?}");
}

/// Runs the script on the spec and compares. CI has the spec beside the repository
/// (`../shared/reference/authentication-openapi.json`, or `AUTHING_OPENAPI_SPEC`); a
/// user's clone does not, and then this says so on stderr and checks nothing.
#[test]
fn the_checked_in_extract_is_what_the_script_makes_from_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::env::var_os("AUTHING_OPENAPI_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/reference/authentication-openapi.json"));
    if !spec.is_file() {
        eprintln!("skipped: no spec at {}", spec.display());
        return;
    }
    let out = std::env::temp_dir().join(format!("authing-extract-{}.json", std::process::id()));
    let ran = std::process::Command::new("python3")
        .arg(root.join("tools/extract_spec.py"))
        .arg(&spec)
        .arg(&out)
        .status();
    let status = match ran {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: no python3 to run tools/extract_spec.py");
            return;
        }
        other => other.expect("python3 runs"),
    };
    assert!(status.success(), "tools/extract_spec.py failed: {status}");
    let made = std::fs::read_to_string(&out).expect("the script's output");
    let _ = std::fs::remove_file(&out);
    if made != EXTRACT {
        let line = made
            .lines()
            .zip(EXTRACT.lines())
            .position(|(a, b)| a != b)
            .map_or(made.lines().count().min(EXTRACT.lines().count()), |i| i);
        panic!(
            "tests/spec/authentication-v3.json is stale from line {}: run \
             `python3 tools/extract_spec.py {} tests/spec/authentication-v3.json`",
            line + 1,
            spec.display()
        );
    }
}

// ---------------------------------------------------------------------------------------
// The checker, on hand-written cases
// ---------------------------------------------------------------------------------------

fn person() -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "age": {"type": "number"},
            "kind": {"type": "string", "enum": ["staff", "guest"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "extra": {"type": "object"},
            "nick": {"type": "string", "nullable": true},
            "address": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"]
            }
        },
        "required": ["kind", "name"]
    })
}

#[test]
fn the_checker_passes_a_value_that_conforms() {
    let value = json!({
        "name": "Ann", "age": 41.5, "kind": "staff", "tags": ["a", "b"],
        "extra": {"anything": [1, null]}, "nick": null, "address": {"city": "Paris"}
    });
    assert_eq!(check(&person(), &value), Vec::<String>::new());
}

#[test]
fn the_checker_reports_a_missing_required_field_with_its_pointer() {
    let value = json!({"kind": "guest", "address": {}});
    assert_eq!(
        check(&person(), &value),
        [
            "/name: missing required field",
            "/address/city: missing required field"
        ]
    );
}

#[test]
fn the_checker_reports_a_wrong_type_and_does_not_look_inside_it() {
    let value = json!({"name": 7, "kind": "guest", "address": "Paris", "age": "41"});
    assert_eq!(
        check(&person(), &value),
        [
            "/address: expected object, got string",
            "/age: expected number, got string",
            "/name: expected string, got number",
        ]
    );
    assert_eq!(
        check(&person(), &json!([])),
        ["/: expected object, got array"]
    );
}

#[test]
fn the_checker_reports_a_value_outside_the_enum() {
    assert_eq!(
        check(&person(), &json!({"name": "Ann", "kind": "boss"})),
        [r#"/kind: "boss" is not one of ["staff","guest"]"#]
    );
}

#[test]
fn the_checker_reports_an_unknown_field_but_lets_a_free_form_object_hold_anything() {
    let value = json!({"name": "Ann", "kind": "staff", "retryAfter": 3, "a/b~c": 1,
                       "extra": {"retryAfter": 3}});
    assert_eq!(
        check(&person(), &value),
        ["/a~1b~0c: unknown field", "/retryAfter: unknown field"]
    );
    let empty = json!({"type": "object", "properties": {}});
    assert_eq!(check(&empty, &json!({"x": 1})), ["/x: unknown field"]);
}

#[test]
fn the_checker_reports_null_unless_the_schema_is_nullable() {
    let value = json!({"name": null, "kind": "staff", "nick": null});
    assert_eq!(
        check(&person(), &value),
        ["/name: expected string, got null"]
    );
    assert_eq!(check(&json!({}), &Value::Null), Vec::<String>::new());
}

#[test]
fn the_checker_walks_arrays_with_the_index_in_the_pointer() {
    let value = json!({"name": "Ann", "kind": "staff", "tags": ["a", 2, "c", false]});
    assert_eq!(
        check(&person(), &value),
        [
            "/tags/1: expected string, got number",
            "/tags/3: expected string, got boolean"
        ]
    );
}

#[test]
fn the_checker_tells_an_integer_from_a_number() {
    let schema = json!({"type": "integer"});
    assert!(check(&schema, &json!(3)).is_empty());
    assert_eq!(
        check(&schema, &json!(3.5)),
        ["/: expected integer, got number"]
    );
    assert!(check(&json!({"type": "number"}), &json!(3.5)).is_empty());
}

#[test]
fn the_checker_follows_a_ref_to_the_enclosing_schema_of_that_id() {
    // The spec's one cycle, TreeStructs.children, as the extract writes it.
    let tree = json!({
        "$id": "TreeStructs",
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "TreeStructs"}}
        },
        "required": ["code"]
    });
    let value = json!({"code": "a", "children": [{"code": "b", "children": [{"children": []}]}]});
    assert_eq!(
        check(&tree, &value),
        ["/children/0/children/0/code: missing required field"]
    );
    assert_eq!(
        check(&json!({"$ref": "Nowhere"}), &json!(1)),
        [r#"/: the schema's $ref "Nowhere" has no enclosing $id"#]
    );
}

#[test]
fn the_checker_needs_one_any_of_alternative_and_exactly_one_one_of() {
    let alternatives = json!([{"type": "string"}, {"type": "number"}, {"enum": [1]}]);
    let any = json!({"anyOf": alternatives});
    let one = json!({"oneOf": alternatives});
    assert!(check(&any, &json!("x")).is_empty());
    assert_eq!(
        check(&any, &json!(true)),
        ["/: matches 0 of the 3 anyOf alternatives"]
    );
    assert!(check(&one, &json!(2)).is_empty());
    assert_eq!(
        check(&one, &json!(1)),
        ["/: matches 2 of the 3 oneOf alternatives"]
    );
}

#[test]
fn the_checker_applies_additional_properties() {
    let map = json!({"type": "object", "additionalProperties": {"type": "number"}});
    assert_eq!(
        check(&map, &json!({"a": 1, "b": "x"})),
        ["/b: expected number, got string"]
    );
    let closed = json!({"type": "object", "additionalProperties": false});
    assert_eq!(check(&closed, &json!({"a": 1})), ["/a: unknown field"]);
}

#[test]
fn the_text_checker_reads_numbers_and_booleans_spelled_as_text() {
    let query = json!({
        "type": "object",
        "properties": {
            "page": {"type": "number"},
            "success": {"type": "boolean"},
            "limit": {"type": "integer"}
        },
        "required": ["page"]
    });
    assert!(check_text(
        &query,
        &json!({"page": "2", "success": "true", "limit": "10"})
    )
    .is_empty());
    assert_eq!(
        check_text(
            &query,
            &json!({"page": "two", "success": "yes", "limit": "1.5"})
        ),
        [
            "/limit: expected integer, got string",
            "/page: expected number, got string",
            "/success: expected boolean, got string",
        ]
    );
    let levels = json!({"type": "number", "enum": [1, 2]});
    assert!(check_text(&levels, &json!("2")).is_empty());
    assert_eq!(
        check_text(&levels, &json!("3")),
        [r#"/: "3" is not one of [1,2]"#]
    );
    // The plain checker does not accept text for numbers.
    assert_eq!(
        check(&query, &json!({"page": "2"})),
        ["/page: expected number, got string"]
    );
}

#[test]
fn the_checker_flags_what_the_spec_says_about_a_real_answer() {
    // SystemInfoResp, from the extract, against an answer that lacks what it requires.
    let (_, op) = operation("GET", "/api/v3/system").expect("the system path");
    let answer = json!({"rsa": {"publicKey": "k"}, "sm2": {"publicKey": 5},
                        "version": {"server": "1", "console": "1", "login": "1"}});
    assert_eq!(
        check(&op["response"]["schema"], &answer),
        [
            "/publicIps: missing required field",
            "/sm2/publicKey: expected string, got number"
        ]
    );
}

// ---------------------------------------------------------------------------------------
// The proxy
// ---------------------------------------------------------------------------------------

/// Sends raw bytes on `stream` and reads one answer: (status, body).
fn exchange_raw(stream: &mut TcpStream, request: &[u8]) -> (u16, String) {
    stream.write_all(request).expect("send");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let mut len = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().expect("a length");
            }
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).expect("body");
    (status, String::from_utf8(body).expect("utf-8"))
}

#[test]
fn the_proxy_forwards_and_records_each_request_and_its_answer() {
    let upstream = Server::scripted(|req| {
        if req.path.starts_with("/first") {
            Reply::Raw(201, "application/json", r#"{"made":true}"#.into())
        } else {
            Reply::Json(r#"{"statusCode":200,"message":""}"#.into())
        }
    });
    let upstream_addr = upstream
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let proxy = Proxy::start(upstream_addr);
    let mut stream = TcpStream::connect(proxy.addr()).unwrap();
    let host = proxy.addr().to_string();
    let body = r#"{"a":1}"#;
    let first = format!(
        "POST /first/path?x=1&y=two%20words+more HTTP/1.1\r\nHost: {host}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    assert_eq!(
        exchange_raw(&mut stream, first.as_bytes()),
        (201, r#"{"made":true}"#.to_string())
    );
    // The same connection again: keep-alive is kept.
    let second = format!("GET /second HTTP/1.1\r\nHost: {host}\r\n\r\n");
    assert_eq!(exchange_raw(&mut stream, second.as_bytes()).0, 200);

    let seen = upstream.next_request();
    assert_eq!(seen.path, "/first/path?x=1&y=two%20words+more");
    assert_eq!(seen.body_text(), body);
    assert_eq!(
        seen.header("host"),
        Some(host.as_str()),
        "Host is forwarded as sent"
    );
    assert_eq!(upstream.next_request().path, "/second");

    let log = proxy.exchanges();
    assert_eq!(log.len(), 2);
    let x = &log[0];
    assert_eq!(
        (x.method.as_str(), x.path.as_str()),
        ("POST", "/first/path")
    );
    assert_eq!(x.query.as_deref(), Some("x=1&y=two%20words+more"));
    assert_eq!(
        x.query_pairs(),
        [
            ("x".into(), "1".into()),
            ("y".into(), "two words more".into())
        ]
    );
    assert_eq!(x.request_header("content-type"), Some("application/json"));
    assert_eq!(x.request_json().unwrap(), json!({"a": 1}));
    assert_eq!(x.status, 201);
    assert_eq!(x.response_json().unwrap(), json!({"made": true}));
    assert_eq!(log[1].line(), "GET /second");
    assert_eq!(log[1].query, None);
    assert!(log[1].request_body.is_empty());
    assert_eq!(proxy.take().len(), 2);
    assert!(proxy.exchanges().is_empty(), "take empties the log");
}

#[test]
fn the_proxy_decodes_a_chunked_request_and_forwards_it_with_a_length() {
    let upstream = Server::start(Reply::Json("{}".into()));
    let proxy = Proxy::start(
        upstream
            .base_url()
            .trim_start_matches("http://")
            .parse()
            .unwrap(),
    );
    let mut stream = TcpStream::connect(proxy.addr()).unwrap();
    let request = "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
                   4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n";
    assert_eq!(exchange_raw(&mut stream, request.as_bytes()).0, 200);
    let seen = upstream.next_request();
    assert_eq!(seen.body_text(), r#"{"a":1}"#);
    assert_eq!(seen.header("content-length"), Some("7"));
    assert_eq!(seen.header("transfer-encoding"), None);
    assert_eq!(proxy.exchanges()[0].request_body, br#"{"a":1}"#);
}

#[test]
fn the_proxy_answers_and_records_502_when_the_upstream_is_unreachable() {
    let nowhere = common::refused_base_url();
    let proxy = Proxy::start(nowhere.trim_start_matches("http://").parse().unwrap());
    let mut stream = TcpStream::connect(proxy.addr()).unwrap();
    let (status, body) = exchange_raw(&mut stream, b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status, 502);
    assert!(body.contains("failed"), "{body}");
    assert_eq!(proxy.exchanges()[0].status, 502);
}

#[test]
fn the_proxy_carries_the_sdk_to_the_emulator_and_back() {
    let ctx = Ctx::new();
    let response = ctx.client.system_blocking();
    assert_eq!(response.status_code(), 200, "{}", response.message());
    let log = ctx.proxy.take();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].line(), SYSTEM);
    assert_eq!(
        log[0].request_header("x-authing-app-id"),
        Some(APP_ID),
        "the SDK's headers reach the emulator"
    );
    assert_eq!(
        log[0].response_json().unwrap()["rsa"]["publicKey"],
        response.data().unwrap()["rsa"]["publicKey"]
    );
}

// --- oidc ---

const OIDC_DISCOVERY: &str = "GET /oidc/.well-known/openid-configuration";
const OIDC_JWKS: &str = "GET /oidc/.well-known/jwks.json";
const OIDC_TOKEN: &str = "POST /oidc/token";
const OIDC_PROFILE: &str = "GET /api/v3/get-profile";
const OIDC_ME: &str = "GET /oidc/me";
const OIDC_REVOKE: &str = "POST /oidc/token/revocation";
const OIDC_SESSION_END: &str = "GET /oidc/session/end";

/// An authorization request with a loopback redirect URL.
fn oidc_request() -> authing::AuthRequest {
    let mut request = authing::AuthRequest::new();
    request.set_redirect_url("http://127.0.0.1:4321/callback");
    request
}

impl Ctx {
    /// Plays the browser for `request` (signs in as the email user, allows): the code.
    /// The browser goes to the emulator directly: it is not the SDK, and its requests are
    /// not the rows'.
    fn oidc_code(&self, request: &authing::AuthRequest) -> String {
        let url = self
            .client
            .build_authorize_url_blocking(request)
            .authorize_url()
            .expect("a url")
            .replace(&self.proxy.base_url(), &self.emu.base_url());
        let back = common::browser::Browser::new().sign_in(&url, EMAIL, "old-passw0rd", true);
        common::browser::query_param(&back, "code").expect("a code")
    }

    /// `sign_in_by_browser` settings whose "browser", on a thread of its own, signs in as
    /// the email user on the emulator (directly, as `oidc_code`) and follows the redirect.
    fn oidc_browser(&self) -> authing::BrowserSignIn {
        let (proxy, emu) = (self.proxy.base_url(), self.emu.base_url());
        authing::BrowserSignIn::new().open_with(move |url: &str| {
            let url = url.replace(&proxy, &emu);
            std::thread::spawn(move || {
                let mut browser = common::browser::Browser::new();
                let back = browser.sign_in(&url, EMAIL, "old-passw0rd", true);
                browser.get(&back);
            });
        })
    }
}

// --- account ---

const A_UPDATE_PROFILE: &str = "POST /api/v3/update-profile";
const A_UPLOAD: &str = "POST /api/v2/upload";
const A_SECURITY: &str = "GET /api/v3/get-security-info";
const A_UPDATE_PASSWORD: &str = "POST /api/v3/update-password";
const A_BIND_PHONE: &str = "POST /api/v3/bind-phone";
const A_UNBIND_PHONE: &str = "POST /api/v3/unbind-phone";
const A_BIND_EMAIL: &str = "POST /api/v3/bind-email";
const A_UNBIND_EMAIL: &str = "POST /api/v3/unbind-email";
const A_VERIFY_UPDATE_PHONE: &str = "POST /api/v3/verify-update-phone-request";
const A_UPDATE_PHONE: &str = "POST /api/v3/update-phone";
const A_VERIFY_UPDATE_EMAIL: &str = "POST /api/v3/verify-update-email-request";
const A_UPDATE_EMAIL: &str = "POST /api/v3/update-email";
const A_VERIFY_DELETE: &str = "POST /api/v3/verify-delete-account-request";
const A_DELETE: &str = "POST /api/v3/delete-account";
const A_NEW_EMAIL: &str = "new@example.com";

/// Paths whose request body the spec describes as JSON where it is `multipart/form-data`:
/// (method, path template, why). Their content type is checked, and that the query holds
/// only the spec's `UploadDto` fields; the body, a file, is not. Their answers are checked
/// as any other.
const MULTIPART_BODIES: &[(&str, &str, &str)] = &[(
    "POST",
    "/api/v2/upload",
    "the spec gives the upload a JSON UploadDto ({folder, isPrivate}), which cannot carry a \
     file; Android's Uploader and the server take multipart/form-data with the file as the \
     part `file` and the folder in the query",
)];

/// The request violations of a multipart upload (see `MULTIPART_BODIES`).
fn multipart_violations(x: &Exchange) -> Vec<String> {
    let mut out = Vec::new();
    let sent_type = x.request_header("content-type").unwrap_or_default();
    if !sent_type.starts_with("multipart/form-data; boundary=") {
        out.push(format!(
            "content-type: {sent_type:?}, not multipart/form-data"
        ));
    }
    for (key, _) in x.query_pairs() {
        if key != "folder" && key != "isPrivate" {
            out.push(format!("query /{key}: unknown field"));
        }
    }
    out
}

impl Ctx {
    /// Signs the email user in (a setup step: POST signin, GET get-profile).
    fn sign_in_email(&self) {
        self.ok(self
            .client
            .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
    }

    /// Signs the phone user in.
    fn sign_in_phone(&self) {
        self.ok(self
            .client
            .sign_in_by_phone_password_blocking(PHONE, "old-passw0rd", None));
    }

    /// Sends a bind code to `phone` and binds it.
    fn bind_phone(&self, phone: &str) -> AuthResponse {
        self.ok(self
            .client
            .send_sms_blocking("+86", phone, SmsType::CHANNEL_BIND_PHONE));
        self.client
            .bind_phone_blocking("+86", phone, &self.code(phone))
    }

    /// Sends a bind code to `email` and binds it.
    fn bind_email(&self, email: &str) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(email, EmailType::CHANNEL_BIND_EMAIL));
        self.client.bind_email_blocking(email, &self.code(email))
    }

    /// The phone user asks to move to `UNKNOWN_PHONE`.
    fn update_phone_request(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_sms_blocking("+86", UNKNOWN_PHONE, SmsType::CHANNEL_BIND_PHONE));
        self.client.update_phone_request_blocking(
            "+86",
            UNKNOWN_PHONE,
            &self.code(UNKNOWN_PHONE),
            None,
            None,
            None,
        )
    }

    /// The email user asks to move to `A_NEW_EMAIL`.
    fn update_email_request(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(A_NEW_EMAIL, EmailType::CHANNEL_UPDATE_EMAIL));
        self.client
            .update_email_request_blocking(A_NEW_EMAIL, &self.code(A_NEW_EMAIL), None, None)
    }

    /// The email user asks to delete the account with an email passcode.
    fn delete_account_request(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(EMAIL, EmailType::CHANNEL_DELETE_ACCOUNT));
        let mut payload = authing::DeleteAccountPayload::new();
        payload.set_email(EMAIL).set_pass_code(self.code(EMAIL));
        self.client.delete_account_request_blocking(
            authing::DeleteAccountVerifyMethod::EMAIL_PASSCODE,
            payload,
        )
    }
}

// --- end account ---
