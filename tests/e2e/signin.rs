//! Sign-up, sign-in and the signed-in session end to end: the SDK's public API against the
//! embedded emulator over real HTTP, nothing mocked. Where a test counts requests, a
//! recording proxy (`tests/common/proxy.rs`) sits between the two. The sharing of the
//! session by `AuthClient::new()` changes process-wide `Authing::` settings, so it lives in
//! its own binary, `tests/isolated_signin_shared.rs`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::time::Duration;

use crate::common::assert_ok;
use crate::common::full_profile;
use crate::common::proxy::{Exchange, Proxy};
use crate::common::{ten_profiles, DEADLINE};
use authing::emulator::{Emulator, EmulatorConfig, Fault, NewUser};
use authing::{
    codes, AuthClient, AuthOptions, AuthProfile, AuthResponse, EmailType, FileTokenStore,
    PasswordEncryptType, RequestHandle, SmsType,
};
use serde_json::{json, Value};

const PASSWORD: &str = "old-passw0rd";
const USERNAME: &str = "mike";
const EMAIL: &str = "someone@example.com";
const PHONE: &str = "18812345678";
const AD_ACCOUNT: &str = "carol";
const LDAP_ACCOUNT: &str = "dave";

/// An emulator with one user of each kind, all with `PASSWORD`.
fn seeded() -> Emulator {
    seeded_with(EmulatorConfig::default())
}

fn seeded_with(config: EmulatorConfig) -> Emulator {
    let emu = Emulator::start_with(config).expect("the emulator starts");
    emu.add_user(
        NewUser::with_username(USERNAME, PASSWORD)
            .nickname("Mike")
            .custom_data("school", "north"),
    )
    .expect("a username user");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("an email user");
    emu.add_user(NewUser::with_phone("+86", PHONE, PASSWORD))
        .expect("a phone user");
    emu.add_user(NewUser::ad(AD_ACCOUNT, PASSWORD))
        .expect("an AD account");
    emu.add_user(NewUser::ldap(LDAP_ACCOUNT, PASSWORD))
        .expect("an LDAP account");
    emu
}

/// A client of the emulator's app at `base_url` (the emulator's, or a proxy's).
fn client_at(emu: &Emulator, base_url: String) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(base_url)
        .build()
        .expect("valid settings")
}

/// Runs a callback-form call and waits for its one answer, up to `DEADLINE`.
fn answer(call: impl FnOnce(Sender<AuthResponse>) -> RequestHandle) -> AuthResponse {
    let (tx, rx) = mpsc::channel();
    let _handle = call(tx);
    rx.recv_timeout(DEADLINE)
        .expect("the callback ran before the deadline")
}

fn the_user_id(emu: &Emulator, who: &str) -> String {
    emu.user_state(who)
        .expect("the emulator knows the user")
        .user_id
}

/// The `METHOD /path` lines the proxy saw, and forgets them.
fn lines(proxy: &Proxy) -> Vec<String> {
    proxy.take().iter().map(Exchange::line).collect()
}

/// The claims of a JWT (its middle part, base64url without padding).
fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a jwt has three parts");
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in payload.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            other => panic!("not base64url: {:?}", other as char),
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    serde_json::from_slice(&bytes).expect("the claims are json")
}

/// A directory of this test's own, removed when dropped (even when the test fails).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        // The process id and the time: /tmp may be shared with processes of other PID
        // namespaces.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("authing-e2e-{}-{nanos}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("a temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------
// Sign-up
// ---------------------------------------------------------------------------------------

#[test]
fn each_of_the_four_sign_ups_creates_a_user_the_emulator_keeps_and_signs_nobody_in() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());

    let mut profile = AuthProfile::new();
    profile.set_nickname("Newcomer").set_gender("F");
    let by_name = answer(|tx| {
        client.sign_up_by_user_name_password("newcomer", "a new passw0rd", profile, None, tx)
    });
    assert_ok(&by_name);
    let user = by_name.user_info().expect("the new user");
    assert_eq!(user.username(), Some("newcomer"));
    assert_eq!(user.nickname(), Some("Newcomer"));
    assert_eq!(user.user_id(), the_user_id(&emu, "newcomer"));
    assert!(emu.check_password("newcomer", "a new passw0rd"));

    let by_email = answer(|tx| {
        client.sign_up_by_email_password("Fresh@Example.com", "a new passw0rd", None, None, tx)
    });
    assert_ok(&by_email);
    assert_eq!(
        by_email.user_info().unwrap().email(),
        Some("fresh@example.com"),
        "the emulator keeps emails lowercase"
    );
    assert!(emu.check_password("fresh@example.com", "a new passw0rd"));

    assert_ok(&client.send_email_blocking("coded@example.com", EmailType::CHANNEL_REGISTER));
    let code = emu.latest_code("coded@example.com").expect("a code");
    let by_email_code =
        answer(|tx| client.sign_up_by_email_pass_code("coded@example.com", &code, None, None, tx));
    assert_ok(&by_email_code);
    assert!(by_email_code.user_info().unwrap().email_verified());

    assert_ok(&client.send_sms_blocking("+86", "18887654321", SmsType::CHANNEL_REGISTER));
    let code = emu.latest_code("18887654321").expect("a code");
    let by_phone_code =
        answer(|tx| client.sign_up_by_phone_pass_code("+86", "18887654321", &code, None, None, tx));
    assert_ok(&by_phone_code);
    let user = by_phone_code.user_info().unwrap();
    assert_eq!(
        (user.phone(), user.phone_country_code()),
        (Some("18887654321"), Some("+86"))
    );
    assert!(user.phone_verified());

    assert_eq!(emu.users().len(), 5 + 4);
    assert!(
        client.get_current_user().is_none() && client.get_token().is_none(),
        "a sign-up does not sign in"
    );
}

#[test]
fn a_username_that_is_taken_is_refused_by_the_emulator() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    let response = client.sign_up_by_user_name_password_blocking(USERNAME, "passw0rd", None, None);
    assert_eq!(response.status_code(), 409, "{}", response.message());
    assert!(response.error().is_some());
    assert!(
        emu.check_password(USERNAME, PASSWORD),
        "the user is unchanged"
    );
}

#[test]
fn a_user_who_signed_up_signs_in_with_the_same_password() {
    let emu = Emulator::start().unwrap();
    let client = client_at(&emu, emu.base_url());
    assert_ok(&client.sign_up_by_email_password_blocking(
        "ann@example.com",
        "ann's passw0rd",
        None,
        None,
    ));
    assert_ok(&client.sign_in_by_email_password_blocking(
        "ann@example.com",
        "ann's passw0rd",
        None,
    ));
    full_profile(&client);
    assert_eq!(
        client.get_current_user().unwrap().user_id(),
        the_user_id(&emu, "ann@example.com")
    );
}

// ---------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------

#[test]
fn each_of_the_eight_sign_ins_starts_a_session_for_its_user() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    type SignIn<'a> = Box<dyn Fn(Sender<AuthResponse>) -> RequestHandle + 'a>;
    let c = &client;
    let e = &emu;
    let sign_ins: Vec<(&str, &str, SignIn)> = vec![
        (
            "account",
            USERNAME,
            Box::new(|tx| c.sign_in_by_account_password(PHONE, PASSWORD, None, tx)),
        ),
        (
            "username",
            USERNAME,
            Box::new(|tx| c.sign_in_by_user_name_password(USERNAME, PASSWORD, None, tx)),
        ),
        (
            "email",
            EMAIL,
            Box::new(|tx| c.sign_in_by_email_password("SomeOne@example.com", PASSWORD, None, tx)),
        ),
        (
            "phone",
            PHONE,
            Box::new(|tx| c.sign_in_by_phone_password(PHONE, PASSWORD, None, tx)),
        ),
        (
            "phone pass code",
            PHONE,
            Box::new(|tx| {
                assert_ok(&c.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN));
                let code = e.latest_code(PHONE).unwrap();
                c.sign_in_by_phone_pass_code("+86", PHONE, &code, None, tx)
            }),
        ),
        (
            "email pass code",
            EMAIL,
            Box::new(|tx| {
                assert_ok(&c.send_email_blocking(EMAIL, EmailType::CHANNEL_LOGIN));
                let code = e.latest_code(EMAIL).unwrap();
                c.sign_in_by_email_pass_code(EMAIL, &code, None, tx)
            }),
        ),
        (
            "ad",
            AD_ACCOUNT,
            Box::new(|tx| c.sign_in_by_ad(AD_ACCOUNT, PASSWORD, None, tx)),
        ),
        (
            "ldap",
            LDAP_ACCOUNT,
            Box::new(|tx| c.sign_in_by_ldap(LDAP_ACCOUNT, PASSWORD, None, tx)),
        ),
    ];
    // The account row signs in by phone, so it is the phone user's.
    for (how, who, sign_in) in sign_ins {
        let who = if how == "account" { PHONE } else { who };
        let response = answer(sign_in);
        assert_eq!(
            response.status_code(),
            200,
            "{how}: {} {}",
            response.api_code(),
            response.message()
        );
        let tokens = response.login_token_data().expect("the tokens");
        assert_eq!(
            client.get_token().map(|t| t.access_token().to_string()),
            Some(tokens.access_token().to_string()),
            "{how}: the session holds the sign-in's tokens"
        );
        let user = client.get_current_user().expect("the session's user");
        assert_eq!(user.user_id(), the_user_id(&emu, who), "{how}");
        let state = emu.user_state(who).unwrap();
        assert_eq!((state.access_tokens, state.refresh_tokens), (1, 1), "{how}");
        assert_ok(&client.logout_blocking());
        assert!(client.get_current_user().is_none(), "{how}");
    }
}

#[test]
fn a_directory_account_signs_in_only_through_its_own_directory() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    let wrong_directory = client.sign_in_by_ldap_blocking(AD_ACCOUNT, PASSWORD, None);
    assert_eq!(
        wrong_directory.status_code(),
        403,
        "{}",
        wrong_directory.message()
    );
    assert_eq!(wrong_directory.api_code(), 2333);
    let by_password = client.sign_in_by_account_password_blocking(AD_ACCOUNT, PASSWORD, None);
    assert_eq!(by_password.api_code(), 2333, "{}", by_password.message());
    assert!(client.get_current_user().is_none());
}

#[test]
fn rsa_and_sm2_sign_ins_send_no_plain_password_and_sign_in() {
    let emu = seeded();
    let proxy = Proxy::start(emu.addr());
    let client = client_at(&emu, proxy.base_url());
    for kind in [PasswordEncryptType::rsa, PasswordEncryptType::sm2] {
        let mut options = AuthOptions::new();
        options.set_password_encrypt_type(kind);
        let response = answer(|tx| client.sign_in_by_email_password(EMAIL, PASSWORD, options, tx));
        assert_ok(&response);
        full_profile(&client);
        assert_eq!(
            client.get_current_user().unwrap().email(),
            Some(EMAIL),
            "{kind:?}"
        );
        let log = proxy.take();
        let sign_in = log
            .iter()
            .find(|x| x.line() == "POST /api/v3/signin")
            .expect("a sign-in went out");
        let body = sign_in.request_json().unwrap();
        assert_eq!(body["options"]["passwordEncryptType"], kind.to_string());
        let sent = body["passwordPayload"]["password"].as_str().unwrap();
        assert!(!sent.is_empty() && sent != PASSWORD, "{kind:?}");
        assert!(
            !String::from_utf8_lossy(&sign_in.request_body).contains(PASSWORD),
            "{kind:?}: the plain password never goes on the wire"
        );
        assert_ok(&client.logout_blocking());
    }
}

#[test]
fn wrong_passwords_lock_the_account_at_the_fifth_and_the_lock_lifts_on_the_emulator_clock() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    for attempt in 1..=4 {
        let response =
            client.sign_in_by_account_password_blocking(USERNAME, "wrong-passw0rd", None);
        assert_eq!(
            (response.status_code(), response.api_code()),
            (403, 2333),
            "attempt {attempt}: {}",
            response.message()
        );
        assert_eq!(emu.user_state(USERNAME).unwrap().failed_attempts, attempt);
    }
    let fifth = client.sign_in_by_account_password_blocking(USERNAME, "wrong-passw0rd", None);
    assert_eq!(
        (fifth.status_code(), fifth.api_code()),
        (403, 2005),
        "{}",
        fifth.message()
    );
    assert!(emu.user_state(USERNAME).unwrap().locked);

    let while_locked =
        answer(|tx| client.sign_in_by_account_password(USERNAME, PASSWORD, None, tx));
    assert_eq!(
        while_locked.api_code(),
        2005,
        "even the right password: {}",
        while_locked.message()
    );
    assert!(!while_locked.message().contains(PASSWORD));
    assert!(client.get_current_user().is_none());

    emu.advance_clock(Duration::from_secs(601));
    assert!(!emu.user_state(USERNAME).unwrap().locked);
    assert_ok(&client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&client);
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!((state.failed_attempts, state.logins_count), (0, 1));
}

// ---------------------------------------------------------------------------------------
// The session
// ---------------------------------------------------------------------------------------

#[test]
fn get_current_user_after_sign_in_is_the_emulators_user_and_needs_no_request() {
    let emu = seeded();
    let proxy = Proxy::start(emu.addr());
    let client = client_at(&emu, proxy.base_url());
    assert_ok(&client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None));
    full_profile(&client);
    // The sign-in answered after its one request; the full profile followed it (waited
    // for above), so both are in the log, in this order.
    assert_eq!(
        lines(&proxy),
        ["POST /api/v3/signin", "GET /api/v3/get-profile"]
    );

    let user = client.get_current_user().expect("signed in");
    let tokens = client.get_token().expect("signed in");
    assert!(proxy.exchanges().is_empty(), "no request for either");
    assert_eq!(user.user_id(), the_user_id(&emu, EMAIL));
    assert_eq!(user.email(), Some(EMAIL));

    // The tokens line up with the user and the app, and with each other.
    let access = claims(tokens.access_token());
    assert_eq!(access["sub"], user.user_id());
    assert_eq!(access["aud"], emu.app_id());
    assert_eq!(
        access["exp"].as_u64().unwrap() - access["iat"].as_u64().unwrap(),
        tokens.expire_in()
    );
    let id = claims(tokens.id_token().expect("an id token (scope openid)"));
    assert_eq!(id["sub"], user.user_id());
    assert_eq!(id["email"], EMAIL, "the default scope holds email");
    assert_eq!(tokens.token_type(), "Bearer");
    assert!(
        tokens.refresh_token().is_some(),
        "the default scope holds offline_access"
    );
    assert!(!tokens.is_expired());
}

#[test]
fn get_profile_sends_the_session_bearer_and_answers_what_the_emulator_keeps() {
    let emu = seeded();
    let proxy = Proxy::start(emu.addr());
    let client = client_at(&emu, proxy.base_url());
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&client);
    proxy.take();

    let response = answer(|tx| client.get_profile(true, true, true, tx));
    assert_ok(&response);
    let user = response.user_info().unwrap();
    assert_eq!(user.nickname(), Some("Mike"));
    assert_eq!(user.custom_data(), Some(&json!({"school": "north"})));
    assert_eq!(user.data()["departmentIds"], json!([]));
    assert_eq!(
        client.get_current_user(),
        Some(user),
        "the profile becomes the session's user"
    );

    let log = proxy.take();
    assert_eq!(log.len(), 1);
    let bearer = format!("Bearer {}", client.get_token().unwrap().access_token());
    assert_eq!(
        log[0].request_header("authorization"),
        Some(bearer.as_str())
    );
    assert_eq!(
        log[0].query_pairs(),
        [
            ("withCustomData".to_string(), "true".to_string()),
            ("withIdentities".to_string(), "true".to_string()),
            ("withDepartmentIds".to_string(), "true".to_string()),
        ]
    );

    // A directory account's profile names its identity.
    assert_ok(&client.sign_in_by_ad_blocking(AD_ACCOUNT, PASSWORD, None));
    full_profile(&client);
    let ad = client.get_profile_blocking(false, true, false);
    assert_eq!(
        ad.user_info().unwrap().data()["identities"][0]["provider"],
        "ad",
        "{}",
        ad.message()
    );
}

#[test]
fn clones_of_a_client_share_its_session_on_the_emulator_and_other_clients_do_not() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    let clone = client.clone();
    let other = client_at(&emu, emu.base_url());
    assert_ok(&client.sign_in_by_phone_password_blocking(PHONE, PASSWORD, None));
    full_profile(&client);

    assert_eq!(
        clone.get_current_user().unwrap().user_id(),
        the_user_id(&emu, PHONE)
    );
    assert_ok(&answer(|tx| clone.get_profile(false, false, false, tx)));
    assert!(
        other.get_current_user().is_none(),
        "a built client has its own session"
    );
    assert_eq!(
        other
            .get_profile_blocking(false, false, false)
            .status_code(),
        codes::NOT_SIGNED_IN
    );

    assert_ok(&clone.logout_blocking());
    assert!(
        client.get_current_user().is_none(),
        "a clone's logout signs the client out"
    );
}

#[test]
fn an_explicit_refresh_rotates_the_tokens_and_keeps_the_user() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    assert_ok(&client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&client);
    let before = client.get_token().unwrap();
    let user = client.get_current_user().unwrap();

    let response = answer(|tx| client.get_new_access_token_by_refresh_token(None, tx));
    assert_ok(&response);
    let after = client.get_token().unwrap();
    assert_eq!(
        response.login_token_data().unwrap().access_token(),
        after.access_token()
    );
    assert_ne!(after.access_token(), before.access_token());
    assert_ne!(
        after.refresh_token(),
        before.refresh_token(),
        "the emulator rotates it"
    );
    assert_eq!(client.get_current_user(), Some(user));
    assert_eq!(
        claims(after.access_token())["sub"],
        the_user_id(&emu, USERNAME)
    );
    // The old refresh token is spent; the new one and the access tokens work.
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!(state.refresh_tokens, 1);
    let spent =
        client.get_new_access_token_by_refresh_token_blocking(before.refresh_token().unwrap());
    assert_eq!(spent.status_code(), 400, "{}", spent.message());
    assert_ok(&client.get_profile_blocking(false, false, false));
}

fn count(log: &[Exchange], line: &str) -> usize {
    log.iter().filter(|x| x.line() == line).count()
}

#[test]
fn ten_calls_that_meet_a_token_the_emulator_expired_cause_exactly_one_refresh() {
    let emu = seeded();
    let proxy = Proxy::start(emu.addr());
    let client = client_at(&emu, proxy.base_url());
    assert_ok(&client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&client);
    let old = client.get_token().unwrap();
    proxy.take();
    assert_eq!(emu.expire_access_tokens(USERNAME), 1);

    for response in ten_profiles(&client) {
        assert_ok(&response);
    }
    let log = proxy.take();
    assert_eq!(count(&log, "POST /oidc/token"), 1, "{:?}", lines_of(&log));
    let new = client.get_token().unwrap();
    assert_ne!(new.access_token(), old.access_token());
    // Every profile that succeeded carried the new token.
    for x in log.iter().filter(|x| x.line() == "GET /api/v3/get-profile") {
        if x.response_json().unwrap()["statusCode"] == 200 {
            let bearer = format!("Bearer {}", new.access_token());
            assert_eq!(x.request_header("authorization"), Some(bearer.as_str()));
        }
    }
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (1, 1));
}

fn lines_of(log: &[Exchange]) -> Vec<String> {
    log.iter().map(Exchange::line).collect()
}

#[test]
fn a_token_past_its_end_on_the_emulator_clock_is_refreshed_and_the_call_sent_again() {
    let emu = seeded();
    let proxy = Proxy::start(emu.addr());
    let client = client_at(&emu, proxy.base_url());
    assert_ok(&client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&client);
    proxy.take();
    emu.advance_clock(Duration::from_secs(7201));

    let response = answer(|tx| client.get_profile(false, false, false, tx));
    assert_ok(&response);
    assert_eq!(
        lines(&proxy),
        [
            "GET /api/v3/get-profile",
            "POST /oidc/token",
            "GET /api/v3/get-profile"
        ]
    );
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (1, 1));
}

#[test]
fn a_refresh_token_past_its_end_ends_the_session_with_10015() {
    let emu = seeded();
    let proxy = Proxy::start(emu.addr());
    let client = client_at(&emu, proxy.base_url());
    assert_ok(&client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&client);
    proxy.take();
    emu.advance_clock(Duration::from_secs(31 * 24 * 3600));

    let response = answer(|tx| client.get_profile(false, false, false, tx));
    assert_eq!(
        response.status_code(),
        codes::NOT_SIGNED_IN,
        "{}",
        response.message()
    );
    // The emulator says why: the token is past its end (not that it does not know it).
    assert!(
        response.error().unwrap().to_string().contains(
            "the server refused the session's refresh token (invalid_grant: the refresh \
             token has expired)"
        ),
        "{}",
        response.message()
    );
    assert_eq!(
        lines(&proxy),
        ["GET /api/v3/get-profile", "POST /oidc/token"]
    );
    assert!(client.get_current_user().is_none() && client.get_token().is_none());

    // Signed out now: the next call says so and sends nothing.
    let again = client.get_profile_blocking(false, false, false);
    assert_eq!(again.status_code(), codes::NOT_SIGNED_IN);
    assert!(proxy.exchanges().is_empty());
}

#[test]
fn logout_revokes_every_token_on_the_emulator_and_clears_the_session() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    assert_ok(&client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None));
    full_profile(&client);
    let tokens = client.get_token().unwrap();
    let state = emu.user_state(EMAIL).unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (1, 1));

    let response = answer(|tx| client.logout(tx));
    assert_ok(&response);
    assert_eq!(response.data(), Some(&json!({"revoked": true})));
    let state = emu.user_state(EMAIL).unwrap();
    assert_eq!(
        (state.access_tokens, state.refresh_tokens),
        (0, 0),
        "no live token is left"
    );
    assert!(client.get_current_user().is_none() && client.get_token().is_none());

    // The revoked tokens no longer work, even handed in by hand.
    let refresh =
        client.get_new_access_token_by_refresh_token_blocking(tokens.refresh_token().unwrap());
    assert_eq!(refresh.status_code(), 400, "{}", refresh.message());
    assert!(!refresh.message().contains(tokens.refresh_token().unwrap()));
}

#[test]
fn logout_clears_the_session_when_revocation_fails_and_says_the_tokens_may_live_on() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    assert_ok(&client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, None));
    full_profile(&client);
    emu.inject_fault("/oidc/token/revocation", Fault::DropConnection, 2);

    let response = client.logout_blocking();
    assert_ok(&response);
    assert_eq!(response.data().unwrap()["revoked"], false);
    assert!(
        client.get_current_user().is_none(),
        "signed out on this device"
    );
    let state = emu.user_state(EMAIL).unwrap();
    assert_eq!(
        (state.access_tokens, state.refresh_tokens),
        (1, 1),
        "the emulator never heard of the logout"
    );
}

#[test]
fn logout_clears_the_session_when_the_emulator_is_gone() {
    let emu = seeded();
    let client = client_at(&emu, emu.base_url());
    assert_ok(&client.sign_in_by_ad_blocking(AD_ACCOUNT, PASSWORD, None));
    full_profile(&client);
    drop(emu);

    let response = answer(|tx| client.logout(tx));
    assert_ok(&response);
    let data = response.data().unwrap();
    assert_eq!(data["revoked"], false);
    let reason = data["reason"].as_str().unwrap();
    assert!(!reason.is_empty());
    assert!(client.get_current_user().is_none() && client.get_token().is_none());
}

#[test]
fn a_file_token_store_keeps_the_session_across_two_clients() {
    let dir = TempDir::new("file-store");
    let path = dir.path().join("session.json");
    let emu = seeded();
    let with_file = || {
        AuthClient::builder()
            .app_id(emu.app_id())
            .app_host(emu.base_url())
            .token_store(FileTokenStore::new(&path))
            .build()
            .expect("valid settings")
    };

    let first = with_file();
    assert_ok(&first.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&first);
    let saved = fs::read_to_string(&path).expect("the session file");
    assert!(!saved.contains(PASSWORD));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "owner only");
    }
    let tokens = first.get_token().unwrap();
    drop(first);

    // A second client, as after a restart, is signed in from the file.
    let second = with_file();
    assert_eq!(
        second.get_current_user().unwrap().user_id(),
        the_user_id(&emu, USERNAME)
    );
    assert_eq!(
        second.get_token().unwrap().access_token(),
        tokens.access_token()
    );
    assert_ok(&answer(|tx| second.get_profile(true, false, false, tx)));

    // Its refresh replaces the file; its logout removes it.
    assert_ok(&second.get_new_access_token_by_refresh_token_blocking(None));
    assert!(!fs::read_to_string(&path)
        .unwrap()
        .contains(tokens.access_token()));
    assert_ok(&second.logout_blocking());
    assert!(!path.exists(), "logout removes the session file");
    assert!(with_file().get_current_user().is_none());
}

/// A store that counts its writes, around an in-memory one.
#[derive(Default)]
struct CountingStore {
    inner: authing::MemoryTokenStore,
    saves: Arc<std::sync::atomic::AtomicUsize>,
}

impl authing::TokenStore for CountingStore {
    fn load(&self) -> Result<Option<authing::Session>, authing::TokenStoreError> {
        self.inner.load()
    }
    fn save(&self, session: &authing::Session) -> Result<(), authing::TokenStoreError> {
        self.saves.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.save(session)
    }
    fn clear(&self) -> Result<(), authing::TokenStoreError> {
        self.inner.clear()
    }
}

#[test]
fn get_profile_writes_the_store_only_when_the_user_changed() {
    let emu = seeded();
    let store = CountingStore::default();
    let saves = Arc::clone(&store.saves);
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .token_store(store)
        .build()
        .expect("valid settings");
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    full_profile(&client);
    let after_sign_in = saves.load(std::sync::atomic::Ordering::SeqCst);
    assert!(after_sign_in >= 1);
    for _ in 0..3 {
        assert_ok(&client.get_profile_blocking(false, false, false));
    }
    assert_eq!(
        saves.load(std::sync::atomic::Ordering::SeqCst),
        after_sign_in,
        "an unchanged profile is not written again"
    );
    assert_ok(&client.get_profile_blocking(true, false, false));
    assert_eq!(
        saves.load(std::sync::atomic::Ordering::SeqCst),
        after_sign_in + 1,
        "a profile with its custom data is a change, written once"
    );
}
