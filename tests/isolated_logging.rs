//! What the SDK logs (docs/CONFIGURATION.md, "Logging"), against the embedded emulator:
//! every family's main calls run with a capturing logger at `Trace`, and then
//!
//! - no record, of any target (the SDK's, ureq's, rustls's), holds a secret the test saw:
//!   a password, a passcode, an access, refresh, id, MFA or reset token, a QR ticket, an
//!   authorization code or PKCE verifier, a TOTP secret or code, a recovery code, a passkey
//!   ceremony's ticket, the app secret, a proxy's user or password; nor, in the SDK's records, the user's email
//!   address or phone number;
//! - the records the docs promise are there: one debug record per exchange with its path
//!   and status, info on sign-in, refresh and sign-out, warn on the 401 answered by a
//!   refresh and on the password key fetched again.
//!
//! ureq's TRACE level writes the wire, bearer tokens included: like the documented
//! `RUST_LOG=authing=debug,ureq=debug`, this logger takes ureq's, rustls's and tungstenite's
//! records (tungstenite's TRACE writes the event stream's handshake request, whose URL
//! carries the access token) up to
//! DEBUG only (its `enabled` says no above, which also keeps ureq from writing paths and
//! queries into its debug records).
//!
//! One test in a binary of its own: a process has one global logger.
mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::Duration;

use authing::emulator::{
    Action, CaptchaPolicy, Emulator, Fault, NewDataResource, NewGrant, NewMachineClient,
    NewProviderCode, NewUser, DEFAULT_APP_SECRET,
};
use authing::{
    totp, AuthClient, AuthOptions, AuthRequest, AuthResponse, ClientCredentialInput, FactorProfile,
    FactorType, FileTokenStore, PasswordEncryptType, Profile, ResetPasswordPayload,
    ResetPasswordVerifyMethod, Session, SmsType, SubEvent, TokenStore, TokenStoreError,
};
use common::browser::{query_param, Browser};
use common::connect_proxy::ConnectProxy;
use common::DEADLINE;
use log::{Level, LevelFilter, Log, Metadata, Record};
use serde_json::Value;

const USERNAME: &str = "mike";
const EMAIL: &str = "mike@example.com";
const PHONE: &str = "18812345678";
const PASSWORD: &str = "first-passw0rd";
const CHANGED_PASSWORD: &str = "second-passw0rd";
const RESET_PASSWORD: &str = "third-passw0rd";
const SIGN_UP_PASSWORD: &str = "newbie-passw0rd";
const PROXY_USER: &str = "proxy-user";
const PROXY_PASSWORD: &str = "proxy-passw0rd";
const WRONG_PROXY_PASSWORD: &str = "wrong-proxy-passw0rd";

/// One record as the logger got it.
#[derive(Debug, Clone)]
struct Line {
    level: Level,
    target: String,
    /// The message, then every key-value pair as ` key=value`.
    text: String,
}

struct Capture {
    lines: Mutex<Vec<Line>>,
    /// While set, ureq's TRACE records are taken too, into `wire` (never checked for
    /// secrets: they are what the docs warn about).
    tracing_wire: AtomicBool,
    wire: Mutex<Vec<String>>,
}

/// Whether a record of `target` at `level` is taken: everything, except ureq's,
/// rustls's and tungstenite's TRACE (the wire, bearer tokens included; tungstenite's
/// handshake request, whose URL carries the access token).
fn taken(target: &str, level: Level) -> bool {
    let wire = target.starts_with("ureq")
        || target.starts_with("rustls")
        || target.starts_with("tungstenite");
    !(wire && level > Level::Debug)
}

impl Log for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        taken(metadata.target(), metadata.level()) || self.tracing_wire.load(Ordering::SeqCst)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        if !taken(record.target(), record.level()) {
            let text = record.args().to_string();
            self.wire
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(text);
            return;
        }
        // The message is the whole record: neither the SDK nor any dependency writes
        // key-values (log's `kv` feature is off in the whole graph; turning it on for this
        // test alone would compile log, ureq and rustls twice).
        let text = record.args().to_string();
        self.lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Line {
                level: record.level(),
                target: record.target().to_string(),
                text,
            });
    }

    fn flush(&self) {}
}

static LOGGER: Capture = Capture {
    lines: Mutex::new(Vec::new()),
    tracing_wire: AtomicBool::new(false),
    wire: Mutex::new(Vec::new()),
};

fn lines() -> Vec<Line> {
    LOGGER
        .lines
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

/// The records of the SDK (target `authing`).
fn sdk_lines() -> Vec<Line> {
    lines()
        .into_iter()
        .filter(|l| l.target == "authing")
        .collect()
}

/// The secrets the test has seen, to look for in every record.
#[derive(Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    fn add(&mut self, what: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.is_empty() {
            self.0.push((what.to_string(), value));
        }
    }

    /// The tokens the client holds now.
    fn tokens_of(&mut self, client: &AuthClient) {
        if let Some(tokens) = client.get_token() {
            self.add("access token", tokens.access_token());
            if let Some(refresh) = tokens.refresh_token() {
                self.add("refresh token", refresh);
            }
            if let Some(id) = tokens.id_token() {
                self.add("id token", id);
            }
        }
    }

    /// Every secret-looking string in an answer's `data`, by its key, at any depth.
    fn harvest(&mut self, response: &AuthResponse) {
        const KEYS: [&str; 14] = [
            "access_token",
            "accessToken",
            "refresh_token",
            "refreshToken",
            "id_token",
            "idToken",
            "token",
            "mfaToken",
            "passwordResetToken",
            "enrollmentToken",
            "secret",
            "recoveryCode",
            "ticket",
            "code",
        ];
        fn walk(value: &Value, found: &mut Vec<(String, String)>) {
            match value {
                Value::Object(map) => {
                    for (key, inner) in map {
                        match inner {
                            Value::String(text) if KEYS.contains(&key.as_str()) => {
                                found.push((key.clone(), text.clone()));
                            }
                            _ => walk(inner, found),
                        }
                    }
                }
                Value::Array(items) => items.iter().for_each(|i| walk(i, found)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        if let Some(data) = response.data() {
            walk(data, &mut found);
        }
        for (key, value) in found {
            self.add(&key, value);
        }
    }

    /// The first secret `text` holds, if any. A secret of digits only (a passcode, a TOTP
    /// code) counts only as a whole number, not inside a longer one (a port, a duration).
    fn found_in(&self, text: &str) -> Option<&(String, String)> {
        self.0.iter().find(|(_, secret)| {
            if !secret.bytes().all(|b| b.is_ascii_digit()) {
                return text.contains(secret.as_str());
            }
            text.match_indices(secret.as_str()).any(|(at, _)| {
                let before = text[..at].bytes().next_back();
                let after = text[at + secret.len()..].bytes().next();
                !before.is_some_and(|b| b.is_ascii_digit())
                    && !after.is_some_and(|b| b.is_ascii_digit())
            })
        })
    }
}

fn ok(what: &str, response: AuthResponse, secrets: &mut Secrets) -> AuthResponse {
    secrets.harvest(&response);
    assert_eq!(response.status_code(), 200, "{what}: {response:?}");
    response
}

/// A token store whose every step fails, for the store-error record.
struct BrokenStore;

impl TokenStore for BrokenStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        Err(TokenStoreError::new("the keyring is locked"))
    }
    fn save(&self, _: &Session) -> Result<(), TokenStoreError> {
        Err(TokenStoreError::new("the keyring is locked"))
    }
    fn clear(&self) -> Result<(), TokenStoreError> {
        Err(TokenStoreError::new("the keyring is locked"))
    }
}

/// The debug record of one exchange, taken apart.
#[derive(Debug)]
struct Exchange {
    method: String,
    path: String,
    fields: Vec<(String, String)>,
}

impl Exchange {
    fn parse(text: &str) -> Option<Exchange> {
        let mut words = text.split(' ');
        let method = words.next()?.to_string();
        let path = words.next()?.to_string();
        let fields = words
            .map(|w| {
                w.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Exchange {
            method,
            path,
            fields,
        })
    }

    fn get(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The debug records of the SDK, taken apart (each must parse).
fn exchanges() -> Vec<Exchange> {
    sdk_lines()
        .iter()
        .filter(|l| l.level == Level::Debug)
        .map(|l| Exchange::parse(&l.text).unwrap_or_else(|| panic!("not an exchange: {l:?}")))
        .collect()
}

fn has(level: Level, starts: &str) -> bool {
    sdk_lines()
        .iter()
        .any(|l| l.level == level && l.text.starts_with(starts))
}

#[test]
fn the_sdk_logs_every_exchange_and_session_event_and_never_a_secret() {
    log::set_logger(&LOGGER).expect("the only logger of this binary");
    log::set_max_level(LevelFilter::Trace);

    let emu = Emulator::start().expect("the emulator starts");
    let user_id = emu
        .add_user(
            NewUser::with_email(EMAIL, PASSWORD)
                .username(USERNAME)
                .phone("+86", PHONE),
        )
        .expect("a user");
    let client = common::builder_at(emu.base_url())
        .app_id(emu.app_id())
        .lang(authing::Lang::EnUs)
        .build()
        .expect("valid settings");
    let mut secrets = Secrets::default();
    for (what, value) in [
        ("password", PASSWORD),
        ("password", CHANGED_PASSWORD),
        ("password", RESET_PASSWORD),
        ("password", SIGN_UP_PASSWORD),
        ("app secret", DEFAULT_APP_SECRET),
    ] {
        secrets.add(what, value);
    }

    // Sign-up, and sign-in by password.
    ok(
        "sign-up",
        client.sign_up_by_user_name_password_blocking("newbie", SIGN_UP_PASSWORD, None, None),
        &mut secrets,
    );
    ok(
        "sign-in",
        client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None),
        &mut secrets,
    );
    secrets.tokens_of(&client);
    ok(
        "profile",
        client.get_profile_blocking(true, true, true),
        &mut secrets,
    );

    // Why ureq stays at DEBUG: at TRACE it writes the request as sent, bearer included.
    LOGGER.tracing_wire.store(true, Ordering::SeqCst);
    ok(
        "profile, wire traced",
        client.get_profile_blocking(false, false, false),
        &mut secrets,
    );
    LOGGER.tracing_wire.store(false, Ordering::SeqCst);
    let bearer = client
        .get_token()
        .expect("signed in")
        .access_token()
        .to_string();
    // ureq-proto dumps the bytes 16 a row: hex, then the same 16 as text; joined, the text
    // columns are the request as sent.
    let dumped: String = LOGGER
        .wire
        .lock()
        .unwrap()
        .iter()
        .filter_map(|row| row.get(row.len().saturating_sub(16)..))
        .collect();
    assert!(
        dumped.contains(&format!("Bearer.{bearer}")),
        "ureq's TRACE shows the bearer token (what docs/CONFIGURATION.md warns about)"
    );

    // The event stream (sub_event): the access token travels in the WebSocket URL's query
    // (Authing's protocol), which tungstenite's TRACE writes; the SDK's records never do.
    LOGGER.tracing_wire.store(true, Ordering::SeqCst);
    let wire_before = LOGGER.wire.lock().unwrap().len();
    let (tx, updates) = mpsc::channel();
    let subscription = client.sub_event("myapp.notice", tx);
    assert_eq!(
        updates.recv_timeout(DEADLINE).expect("an update in time"),
        SubEvent::Connected { reconnected: false }
    );
    assert!(subscription.unsubscribe(), "this call ends it");
    assert_eq!(
        updates.recv_timeout(DEADLINE).expect("the end in time"),
        SubEvent::Ended(authing::EventEnd::Unsubscribed)
    );
    LOGGER.tracing_wire.store(false, Ordering::SeqCst);
    assert!(
        LOGGER.wire.lock().unwrap()[wire_before..]
            .iter()
            .any(|text| text.contains(&bearer)),
        "tungstenite's TRACE shows the access token (what docs/CONFIGURATION.md warns about)"
    );
    assert!(
        sdk_lines().iter().any(|l| l.text.contains("myapp.notice")),
        "the SDK logs the subscription"
    );
    assert!(
        !lines().iter().any(|l| l.text.contains(&bearer)),
        "no record taken holds the access token: {:#?}",
        sdk_lines()
    );

    // The access token ends on the server's clock first: 401, refresh, sent once more.
    emu.advance_clock(Duration::from_secs(7201));
    ok(
        "profile after the 401",
        client.get_profile_blocking(false, false, false),
        &mut secrets,
    );
    secrets.tokens_of(&client);
    ok(
        "explicit refresh",
        client.get_new_access_token_by_refresh_token_blocking(None),
        &mut secrets,
    );
    secrets.tokens_of(&client);

    // The account.
    let mut profile = Profile::new();
    profile.set_nickname("Mickey");
    ok(
        "update profile",
        client.update_profile_blocking(profile),
        &mut secrets,
    );
    ok(
        "update password",
        client.update_password_blocking(CHANGED_PASSWORD, PASSWORD, PasswordEncryptType::none),
        &mut secrets,
    );

    // The directory.
    ok("roles", client.get_role_list_blocking(None), &mut secrets);
    ok("groups", client.get_group_list_blocking(), &mut secrets);
    ok("tenants", client.get_tenant_list_blocking(), &mut secrets);
    ok(
        "login history",
        client.get_login_history_blocking(None, None, None, None, None, 1, 10),
        &mut secrets,
    );

    // Authorization.
    emu.add_data_resource(NewDataResource::string("report", "monthly", ["read"]))
        .expect("a data resource");
    emu.grant_permission(NewGrant::to_user(USERNAME, "report", ["read"]))
        .expect("a grant");
    ok(
        "check permission",
        client.check_permission_by_string_resource_blocking(["report"], "read"),
        &mut secrets,
    );
    ok(
        "authorized resources",
        client.get_user_authorized_resources_list_blocking(),
        &mut secrets,
    );

    // The WeChat helpers, fast authentication and the v2 token check (issue 22, item 8):
    // WeChat's secrets, a code that signs someone in, and the tokens checked never show.
    let wx = emu.wechat_mini_program_login();
    for (what, value) in [
        (
            "wechat app secret",
            authing::emulator::WECHAT_TEST_APP_SECRET,
        ),
        ("wechat login code", wx.code.as_str()),
        ("wechat session key", wx.session_key.as_str()),
        ("wechat phone code", wx.phone_code.as_str()),
    ] {
        secrets.add(what, value);
    }
    ok(
        "wechat decrypt",
        client.decrypt_wechat_mini_program_data_blocking(
            &wx.ext_idp_conn_identifier,
            &wx.encrypted_data,
            &wx.iv,
            &wx.code,
        ),
        &mut secrets,
    );
    ok(
        "wechat phone",
        client.get_wechat_mini_program_phone_blocking(&wx.ext_idp_conn_identifier, &wx.phone_code),
        &mut secrets,
    );
    ok(
        "wechat access token",
        client.get_wechat_mp_access_token_info_blocking(
            authing::emulator::WECHAT_TEST_APP_ID,
            authing::emulator::WECHAT_TEST_APP_SECRET,
        ),
        &mut secrets,
    );
    let fastpass = ok(
        "fast authentication code",
        client.gene_fastpass_qrcode_info_blocking(None),
        &mut secrets,
    );
    let fastpass_id = fastpass
        .fastpass_qr_code()
        .expect("a code")
        .qrcode_id()
        .to_string();
    secrets.add("fast authentication code", &fastpass_id);
    let scanner = common::builder_at(emu.base_url())
        .app_id(emu.app_id())
        .build()
        .expect("valid settings");
    ok(
        "fast authentication app login",
        scanner.qr_code_app_login_blocking(&fastpass_id),
        &mut secrets,
    );
    secrets.tokens_of(&scanner);
    let mut params = authing::ValidateTokenParams::new();
    params.set_access_token(client.get_token().expect("a session").access_token());
    ok(
        "validate token",
        client.validate_token_blocking(&params),
        &mut secrets,
    );

    // MFA: enrol an OTP factor, then a sign-in is challenged and verified.
    let started = ok(
        "enrol request",
        client.send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()),
        &mut secrets,
    );
    let enrolment = started.enroll_factor_request_data().expect("an enrolment");
    let otp = enrolment.otp_data().expect("otp data").clone();
    let secret = otp.secret().expect("a secret").to_string();
    secrets.add("enrollment token", enrolment.enrollment_token());
    secrets.add("totp secret", &secret);
    secrets.add("recovery code", otp.recovery_code().unwrap_or_default());
    let code = totp::generate(&secret, emu.now()).expect("a code");
    secrets.add("totp code", &code);
    ok(
        "enrol",
        client.enroll_factor_blocking(FactorType::OTP, enrolment.enrollment_token(), &code),
        &mut secrets,
    );
    ok(
        "factors",
        client.list_enrolled_factors_blocking(),
        &mut secrets,
    );
    emu.set_user_mfa(EMAIL, true).expect("mfa on");
    ok("logout before mfa", client.logout_blocking(), &mut secrets);
    let challenged = client.sign_in_by_email_password_blocking(EMAIL, CHANGED_PASSWORD, None);
    secrets.harvest(&challenged);
    assert_eq!(challenged.api_code(), 1635, "{challenged:?}");
    // The next time step: the enrolment's code is spent.
    emu.advance_clock(Duration::from_secs(30));
    let code = totp::generate(&secret, emu.now()).expect("a code");
    secrets.add("totp code", &code);
    ok(
        "mfa verify",
        client.mfa_verify_by_otp_blocking(&code),
        &mut secrets,
    );
    secrets.tokens_of(&client);
    emu.set_user_mfa(EMAIL, false).expect("mfa off");

    // Sign-in by passcode.
    ok(
        "login sms",
        client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN),
        &mut secrets,
    );
    let passcode = emu.latest_code(PHONE).expect("a login code");
    secrets.add("passcode", &passcode);
    let passcode_seen = passcode.clone();
    ok(
        "passcode sign-in",
        client.sign_in_by_phone_pass_code_blocking("+86", PHONE, &passcode, None),
        &mut secrets,
    );
    secrets.tokens_of(&client);

    // Recovery: send the sms, verify its code, reset with the token.
    ok(
        "reset sms",
        client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD),
        &mut secrets,
    );
    let passcode = emu.latest_code(PHONE).expect("a reset code");
    secrets.add("passcode", &passcode);
    let mut payload = ResetPasswordPayload::new();
    payload
        .set_phone_country_code("+86")
        .set_phone_number(PHONE)
        .set_pass_code(passcode);
    let verified = ok(
        "verify",
        client.reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload),
        &mut secrets,
    );
    let reset = verified.reset_password_data().expect("a reset token");
    secrets.add("reset token", reset.password_reset_token());
    ok(
        "reset",
        client.reset_password_blocking(&reset, RESET_PASSWORD, PasswordEncryptType::none),
        &mut secrets,
    );

    // A password the server says it cannot decrypt: the key is fetched again (it did not
    // change, so the rejection is the answer).
    emu.inject_fault(
        "/api/v3/signin",
        Fault::Status {
            status: 400,
            body: r#"{"statusCode":400,"apiCode":2231,"message":"invalid password: it does not decrypt","requestId":"r-decrypt"}"#.into(),
        },
        1,
    );
    let mut rsa = AuthOptions::new();
    rsa.set_password_encrypt_type(PasswordEncryptType::rsa);
    let rejected = client.sign_in_by_account_password_blocking(USERNAME, RESET_PASSWORD, rsa);
    assert_eq!(rejected.status_code(), 400, "{rejected:?}");

    // A dropped connection: the exchange's record says so.
    emu.inject_fault("/api/v3/get-profile", Fault::DropConnection, 1);
    let dropped = client.get_profile_blocking(false, false, false);
    assert_ne!(dropped.status_code(), 200);

    // QR-code sign-in, step by step: the ticket is seen here, then exchanged.
    let generated = ok("qr code", client.gene_qr_code_blocking(None), &mut secrets);
    let qrcode_id = generated.qr_code().expect("a code").qrcode_id().to_string();
    emu.change_qr_code_status(&qrcode_id, EMAIL, Action::SCAN)
        .expect("scanned");
    emu.change_qr_code_status(&qrcode_id, EMAIL, Action::CONFIRM)
        .expect("confirmed");
    let state = ok(
        "qr status",
        client.check_qr_code_status_blocking(&qrcode_id),
        &mut secrets,
    );
    let ticket = state
        .qr_code_state()
        .expect("a state")
        .ticket()
        .expect("a ticket")
        .to_string();
    secrets.add("qr ticket", &ticket);
    ok(
        "qr exchange",
        client.exchange_token_set_with_qr_code_blocking(&ticket, None, None),
        &mut secrets,
    );
    secrets.tokens_of(&client);

    // Social account binding: the WeChat code, the binding key and the password are
    // secrets.
    let wechat = emu
        .add_provider_code(NewProviderCode::new("wechat", "wx-logged"))
        .expect("a wechat code");
    secrets.add("wechat code", &wechat);
    let asked = client.auth_by_code_identity_blocking(&wechat, None);
    assert_eq!(asked.status_code(), 301, "{asked:?}");
    let binding = asked.social_binding().expect("a binding");
    secrets.add("binding key", binding.key());
    ok(
        "bind by account",
        client.bind_by_account_blocking(binding.key(), EMAIL, RESET_PASSWORD),
        &mut secrets,
    );
    secrets.tokens_of(&client);

    // OIDC: the browser signs in, the code is exchanged.
    let mut request = AuthRequest::new();
    request.set_redirect_url("http://127.0.0.1:4321/callback");
    secrets.add("pkce verifier", request.code_verifier());
    let url = client
        .build_authorize_url_blocking(&request)
        .authorize_url()
        .expect("a url");
    let back = Browser::new().sign_in(&url, EMAIL, RESET_PASSWORD, true);
    let code = query_param(&back, "code").expect("a code");
    secrets.add("authorization code", &code);
    ok(
        "code exchange",
        client.get_access_token_by_code_blocking(&code, &request),
        &mut secrets,
    );
    secrets.tokens_of(&client);

    // Tokens: introspected online and offline; a machine client's own token.
    let access = client
        .get_token()
        .expect("a session")
        .access_token()
        .to_string();
    ok(
        "introspect",
        client.introspect_token_blocking(&access),
        &mut secrets,
    );
    ok(
        "introspect offline",
        client.introspect_access_token_offline_blocking(&access),
        &mut secrets,
    );
    let machine = emu
        .add_machine_client(NewMachineClient::new().scopes(&["read:users"]))
        .expect("a machine client");
    secrets.add("machine client secret", &machine.client_secret);
    let input = ClientCredentialInput::new(&machine.client_id, &machine.client_secret);
    let machine_token = ok(
        "client credentials",
        client.get_access_token_by_client_credentials_blocking("read:users", &input),
        &mut secrets,
    );
    assert!(machine_token.machine_token().is_ok());

    // The captcha policy and switch login, on a client of their own: the captcha's cookie
    // (its id) and the public account's tokens never in a record.
    let desk_id = emu
        .add_user(NewUser::with_username("front-desk", PASSWORD))
        .expect("the desk");
    emu.add_user(NewUser::with_username("clerk", PASSWORD))
        .expect("a clerk");
    emu.link_public_account("front-desk", "clerk")
        .expect("linked");
    emu.set_captcha_policy(CaptchaPolicy::Always);
    let clerk = common::builder_at(emu.base_url())
        .app_id(emu.app_id())
        .build()
        .expect("valid settings");
    ok(
        "captcha image",
        clerk.get_captcha_code_blocking(),
        &mut secrets,
    );
    let captcha = emu.captchas().pop().expect("a captcha");
    secrets.add("captcha cookie", &captcha.id);
    let mut with_captcha = AuthOptions::new();
    with_captcha.set_captcha_code(&captcha.answer);
    ok(
        "sign-in with a captcha",
        clerk.sign_in_by_user_name_password_blocking("clerk", PASSWORD, with_captcha),
        &mut secrets,
    );
    emu.set_captcha_policy(CaptchaPolicy::Off);
    secrets.tokens_of(&clerk);
    ok(
        "public accounts",
        clerk.list_public_accounts_for_switch_logged_in_blocking(true),
        &mut secrets,
    );
    ok(
        "switch login",
        clerk.switch_login_by_user_blocking(&desk_id, None),
        &mut secrets,
    );
    secrets.tokens_of(&clerk);

    // Passkeys: the options' ticket, a registration and a sign-in with the software
    // authenticator, whose tokens start the session.
    let authenticator = authing::passkey::SoftwareAuthenticator::new();
    ok(
        "passkey registration options",
        clerk.init_register_options_blocking(),
        &mut secrets,
    );
    ok(
        "register a passkey",
        clerk.register_passkey_blocking(&authenticator, None),
        &mut secrets,
    );
    ok(
        "sign in by passkey",
        clerk.sign_in_by_passkey_blocking(&authenticator, None),
        &mut secrets,
    );
    secrets.tokens_of(&clerk);

    // Sign-out (and the provider's session).
    let out = ok("logout", client.logout_blocking(), &mut secrets);
    assert_eq!(out.data().unwrap()["revoked"], true, "{out:?}");

    // A token store that fails.
    let broken = common::builder_at(emu.base_url())
        .app_id(emu.app_id())
        .token_store(BrokenStore)
        .build()
        .expect("valid settings");
    let refused = broken.get_profile_blocking(false, false, false);
    assert_eq!(refused.status_code(), authing::codes::TOKEN_STORE_FAILED);

    // Two running copies of the app share a session file; the first refreshes, spending
    // the refresh token the second holds: the second reads the store again and adopts.
    let dir = std::env::temp_dir().join(format!("authing-isolated-logging-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let copy = |timeout: u64| {
        common::builder_at(emu.base_url())
            .app_id(emu.app_id())
            .timeout(Duration::from_secs(timeout))
            .token_store(FileTokenStore::new(dir.join("session.json")))
            .build()
            .expect("valid settings")
    };
    let (first, second) = (copy(30), copy(31));
    ok(
        "first copy signs in",
        first.sign_in_by_email_password_blocking(EMAIL, RESET_PASSWORD, None),
        &mut secrets,
    );
    secrets.tokens_of(&second);
    emu.advance_clock(Duration::from_secs(7201));
    ok(
        "first copy refreshes",
        first.get_profile_blocking(false, false, false),
        &mut secrets,
    );
    secrets.tokens_of(&first);
    ok(
        "second copy adopts",
        second.get_profile_blocking(false, false, false),
        &mut secrets,
    );
    secrets.tokens_of(&second);
    let _ = std::fs::remove_dir_all(&dir);

    // Through a proxy with credentials, and one that refuses them (407).
    let proxy = ConnectProxy::builder()
        .credentials(PROXY_USER, PROXY_PASSWORD)
        .start();
    secrets.add("proxy user", PROXY_USER);
    secrets.add("proxy password", PROXY_PASSWORD);
    secrets.add("proxy password", WRONG_PROXY_PASSWORD);
    let through = |password: &str| {
        common::builder_at(emu.base_url())
            .app_id(emu.app_id())
            .proxy(proxy.url_with(PROXY_USER, password))
            .build()
            .expect("valid settings")
    };
    ok(
        "through a proxy",
        through(PROXY_PASSWORD).system_blocking(),
        &mut secrets,
    );
    let refused = through(WRONG_PROXY_PASSWORD).system_blocking();
    assert_eq!(refused.status_code(), 407, "{refused:?}");

    // The callback form logs as its blocking twin does (on a worker thread).
    let (tx, rx) = mpsc::channel();
    let _ = client.gene_qr_code(None, tx);
    let again = rx.recv_timeout(DEADLINE).expect("the callback ran");
    ok("qr code, callback form", again, &mut secrets);

    // ---- No secret anywhere. ----
    // (The check itself finds one: in text, and a passcode only as a whole number.)
    assert!(secrets.found_in(&format!("sent {PASSWORD}.")).is_some());
    assert!(secrets.found_in(&format!("code={passcode_seen}")).is_some());
    assert!(secrets
        .found_in(&format!("port 9{passcode_seen}9"))
        .is_none());
    let all = lines();
    assert!(!all.is_empty());
    for line in &all {
        if let Some((what, _)) = secrets.found_in(&line.text) {
            panic!("a {what} in a {} record of {}", line.level, line.target);
        }
    }
    // ---- No email or phone number in the SDK's records: users by id. ----
    let sdk = sdk_lines();
    for line in &sdk {
        for personal in [EMAIL, PHONE] {
            assert!(!line.text.contains(personal), "personal data in {line:?}");
        }
    }
    // ureq's debug records were taken, and carry no path (it hides them below TRACE).
    assert!(
        all.iter()
            .any(|l| l.target.starts_with("ureq") && l.level == Level::Debug),
        "ureq's debug records reach the logger"
    );

    // ---- The records promised. ----
    let exchanges = exchanges();
    for exchange in &exchanges {
        assert!(
            ["GET", "POST"].contains(&exchange.method.as_str()),
            "{exchange:?}"
        );
        assert!(
            exchange.path.starts_with('/') && !exchange.path.contains('?'),
            "a path without its query: {exchange:?}"
        );
        for key in [
            "http",
            "statusCode",
            "apiCode",
            "requestId",
            "duration_ms",
            "retried",
            "refreshed",
        ] {
            assert!(!exchange.get(key).is_empty(), "{key} in {exchange:?}");
        }
    }
    let exchanged = |method: &str, path: &str, http: &str| {
        exchanges
            .iter()
            .any(|e| e.method == method && e.path == path && e.get("http") == http)
    };
    for (method, path) in [
        ("POST", "/api/v3/signup"),
        ("POST", "/api/v3/signin"),
        ("GET", "/api/v3/get-profile"),
        ("POST", "/oidc/token"),
        ("POST", "/api/v3/update-password"),
        ("GET", "/api/v3/get-my-role-list"),
        ("POST", "/api/v2/mfa/totp/verify"),
        ("POST", "/api/v3/exchange-tokenset-with-qrcode-ticket"),
        ("POST", "/api/v3/send-enroll-factor-request"),
        ("POST", "/api/v3/enroll-factor"),
        ("POST", "/api/v3/send-sms"),
        ("POST", "/api/v3/verify-reset-password-request"),
        ("POST", "/api/v3/reset-password"),
        ("GET", "/api/v3/system"),
        ("POST", "/oidc/token/revocation"),
        ("GET", "/oidc/session/end"),
    ] {
        assert!(
            exchanged(method, path, "200"),
            "a debug record of {method} {path} http=200; got {:#?}",
            exchanges
                .iter()
                .map(|e| format!("{} {}", e.method, e.path))
                .collect::<Vec<_>>()
        );
    }
    // The 401, the warning, the refresh, and the resend marked as refreshed.
    // (Authing answers an expired token with HTTP 200 and statusCode 401.)
    assert!(exchanges.iter().any(|e| e.path == "/api/v3/get-profile"
        && e.get("statusCode") == "401"
        && e.get("apiCode") == "2020"
        && e.get("refreshed") == "false"));
    assert!(
        has(Level::Warn, "the server rejected the access token"),
        "the 401 warning"
    );
    assert!(exchanges.iter().any(|e| e.path == "/api/v3/get-profile"
        && e.get("http") == "200"
        && e.get("refreshed") == "true"));
    // The rejected password key.
    assert!(exchanges.iter().any(|e| e.path == "/api/v3/signin"
        && e.get("http") == "400"
        && e.get("apiCode") == "2231"
        && e.get("requestId") == "r-decrypt"));
    assert!(
        has(
            Level::Warn,
            "/api/v3/signin: the server could not decrypt the password"
        ),
        "the key refetch warning"
    );
    // One record per exchange: the QR code was asked for twice (blocking, callback).
    assert_eq!(
        exchanges
            .iter()
            .filter(|e| e.path == "/api/v3/gene-qrcode")
            .count(),
        2
    );
    // The dropped connection: no HTTP status, a connection failure.
    assert!(exchanges.iter().any(|e| e.path == "/api/v3/get-profile"
        && e.get("http") == "none"
        && e.get("error") == "connection"));
    // The proxy's refusal: its status, no HTTP answer from Authing.
    assert!(exchanges
        .iter()
        .any(|e| e.path == "/api/v3/system" && e.get("statusCode") == "407"));
    // The store read again after a refused refresh token.
    assert!(exchanges
        .iter()
        .any(|e| e.path == "/oidc/token" && e.get("http") == "400"));
    assert!(has(
        Level::Warn,
        &format!("the server refused the refresh token, but the token store, read again, holds a newer session of user {user_id}")
    ));
    // The session's events, naming the user by id.
    assert!(has(Level::Info, &format!("signed in: user {user_id}")));
    assert!(has(
        Level::Info,
        &format!("signed in: user {user_id} (browser sign-in)")
    ));
    assert!(has(Level::Info, "sign-in waits for a second factor"));
    assert!(has(
        Level::Info,
        &format!("session refreshed: user {user_id}")
    ));
    assert!(has(Level::Info, &format!("signed out: user {user_id}")));
    assert!(has(
        Level::Info,
        "token store failed while reading the session (the call answers 10016"
    ));
    // The store's own words stay out of the log: a store of the app's may say anything.
    assert!(!lines()
        .iter()
        .any(|l| l.text.contains("the keyring is locked")));
    // Only the levels documented, and the one target.
    assert!(sdk.iter().all(|l| l.level <= Level::Debug), "{sdk:#?}");
    assert!(lines()
        .iter()
        .filter(|l| l.target.starts_with("authing"))
        .all(|l| l.target == "authing"));
}
