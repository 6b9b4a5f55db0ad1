//! The session where it meets other clients, other apps and sign-out, end to end against the
//! emulator (issue 19, items A2, A3, A4): a session file another app or host wrote, two
//! running copies of an app sharing one file, a logout racing a refresh, and the full
//! profile after a sign-in landing while a refresh is on the wire (the refresh keeps it).
//! Where a test needs to see what went on the wire, a recording proxy
//! (`tests/common/proxy.rs`) sits in front of the emulator; to keep a refresh's answer on
//! the wire after the emulator issued its tokens, the proxy holds that answer.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::assert_ok;
use crate::common::proxy::{Exchange, Proxy};
use crate::common::DEADLINE;
use authing::emulator::{Emulator, EmulatorConfig, Fault, NewUser};
use authing::{codes, AuthClient, AuthResponse, FileTokenStore, Session, TokenStore};
use serde_json::{json, Value};

const USERNAME: &str = "mike";
const PASSWORD: &str = "old-passw0rd";

fn seeded(config: EmulatorConfig) -> Emulator {
    let emu = Emulator::start_with(config).expect("the emulator starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("a user");
    emu
}

/// A client of `app_id` at `base_url` keeping its session in the file at `path`; `timeout`
/// tells two "running copies" of one app apart (different settings, no shared state).
fn file_client(app_id: &str, base_url: String, path: &Path, timeout: u64) -> AuthClient {
    AuthClient::builder()
        .app_id(app_id)
        .app_host(base_url)
        .timeout(Duration::from_secs(timeout))
        .token_store(FileTokenStore::new(path))
        .build()
        .expect("valid settings")
}

/// A directory of this test's own, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "authing-e2e-session-{}-{nanos}-{name}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).expect("a temp dir");
        TempDir(dir)
    }

    fn file(&self) -> PathBuf {
        self.0.join("session.json")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn saved(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).expect("the session file")).expect("json")
}

// ---------------------------------------------------------------------------------------
// A2: a session file of another app or host
// ---------------------------------------------------------------------------------------

#[test]
fn a_session_file_of_another_app_or_host_is_no_session_and_its_tokens_are_never_sent() {
    let dir = TempDir::new("other-app");
    let path = dir.file();
    let emu_a = seeded(EmulatorConfig::default());
    let app_a = file_client(emu_a.app_id(), emu_a.base_url(), &path, 30);
    assert_ok(&app_a.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&app_a);
    let a_token = app_a.get_token().unwrap().access_token().to_string();
    drop(app_a);

    // App B on its own host; and app A's id on another host.
    let emu_b = seeded(EmulatorConfig::default().app_id("app-b"));
    let proxy_b = Proxy::start(emu_b.addr());
    for (app_id, what) in [("app-b", "another app"), (emu_a.app_id(), "another host")] {
        let client = file_client(app_id, proxy_b.base_url(), &path, 30);
        assert!(client.get_current_user().is_none(), "{what}: a user");
        assert!(client.get_token().is_none(), "{what}: tokens");
        let response = client.get_profile_blocking(false, false, false);
        assert_eq!(
            response.status_code(),
            codes::NOT_SIGNED_IN,
            "{what}: {}",
            response.message()
        );
        // Its logout does not remove app A's file either.
        let _ = client.logout_blocking();
        for x in proxy_b.take() {
            let authorization = x.request_header("authorization").unwrap_or_default();
            assert!(
                !authorization.contains(&a_token),
                "{what}: app A's token went to B's host: {}",
                x.line()
            );
        }
        assert!(path.exists(), "{what}: app A's file was removed");
    }

    // App A itself is still signed in from its file, which records whose it is.
    let app_a = file_client(emu_a.app_id(), emu_a.base_url(), &path, 30);
    assert_eq!(app_a.get_token().unwrap().access_token(), a_token);
    assert_ok(&app_a.get_profile_blocking(false, false, false));
    let file = saved(&path);
    assert_eq!(file["version"], 2);
    assert_eq!(
        file["app"],
        json!({"id": emu_a.app_id(), "api": emu_a.base_url()})
    );
}

#[test]
fn a_session_file_of_the_first_format_is_no_session_and_the_next_sign_in_replaces_it() {
    let dir = TempDir::new("version-1");
    let path = dir.file();
    let emu = seeded(EmulatorConfig::default());
    let proxy = Proxy::start(emu.addr());
    let client = file_client(emu.app_id(), proxy.base_url(), &path, 30);
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&client);
    let token = client.get_token().unwrap().access_token().to_string();
    drop(client);
    // The file as today's crate writes it: version 1, no app.
    let mut old = saved(&path);
    old["version"] = json!(1);
    old.as_object_mut().unwrap().remove("app");
    fs::write(&path, old.to_string()).unwrap();
    proxy.take();

    let client = file_client(emu.app_id(), proxy.base_url(), &path, 30);
    assert!(client.get_token().is_none());
    assert_eq!(
        client
            .get_profile_blocking(false, false, false)
            .status_code(),
        codes::NOT_SIGNED_IN
    );
    assert!(proxy.take().is_empty(), "nothing is sent with its tokens");
    assert!(path.exists(), "the file is left alone until a sign-in");
    assert!(Session::from_json(&old.to_string())
        .unwrap()
        .app_id()
        .is_none());

    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&client);
    let file = saved(&path);
    assert_eq!(file["version"], 2);
    assert_eq!(file["app"]["id"], emu.app_id());
    assert_ne!(file["tokens"]["access_token"], token.as_str());
}

// ---------------------------------------------------------------------------------------
// A3: two running copies of an app share one session file
// ---------------------------------------------------------------------------------------

#[test]
fn a_copy_whose_refresh_token_another_copy_spent_adopts_the_newer_session_and_keeps_the_file() {
    let dir = TempDir::new("two-copies");
    let path = dir.file();
    let emu = seeded(EmulatorConfig::default());
    let first = file_client(emu.app_id(), emu.base_url(), &path, 30);
    let second = file_client(emu.app_id(), emu.base_url(), &path, 31);
    assert_ok(&first.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&first);
    let signed_in = first.get_token().unwrap();
    assert_eq!(
        second.get_token().unwrap().access_token(),
        signed_in.access_token(),
        "the second copy reads the same file"
    );
    // The access tokens end on the server's clock; each copy meets a 401 and refreshes.
    emu.advance_clock(Duration::from_secs(7201));
    assert_ok(&first.get_profile_blocking(false, false, false));
    let refreshed = first.get_token().unwrap();
    assert_ne!(refreshed.refresh_token(), signed_in.refresh_token());
    assert_eq!(
        saved(&path)["tokens"]["access_token"],
        refreshed.access_token()
    );

    // The second copy's refresh token was spent by the first copy's refresh: it is refused,
    // and the second copy takes the session the first one saved, instead of ending it.
    let response = second.get_profile_blocking(false, false, false);
    assert_ok(&response);
    assert!(
        path.exists(),
        "the second copy deleted the first one's session"
    );
    assert_eq!(
        saved(&path)["tokens"]["access_token"],
        refreshed.access_token()
    );
    assert_eq!(
        second.get_token().unwrap().access_token(),
        refreshed.access_token()
    );
    assert_ok(&first.get_profile_blocking(false, false, false));

    // An explicit refresh with a spent token does the same: adopt, then renew.
    assert_ok(&first.get_new_access_token_by_refresh_token_blocking(None));
    assert_ok(&second.get_new_access_token_by_refresh_token_blocking(None));
    assert_eq!(
        saved(&path)["tokens"]["access_token"],
        second.get_token().unwrap().access_token()
    );
    assert_ok(&second.get_profile_blocking(false, false, false));
}

#[test]
fn a_file_store_clears_only_the_session_it_is_asked_to_end() {
    let dir = TempDir::new("clear-if");
    let path = dir.file();
    let emu = seeded(EmulatorConfig::default());
    let client = file_client(emu.app_id(), emu.base_url(), &path, 30);
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&client);
    let store = FileTokenStore::new(&path);
    let old = store.load().unwrap().expect("a session");
    assert_ok(&client.get_new_access_token_by_refresh_token_blocking(None));
    let newer = store.load().unwrap().expect("a session");
    assert!(!newer.holds_same_tokens(&old));

    store.clear_if(&old).unwrap();
    assert!(path.exists(), "a newer session is kept");
    store.clear_if(&newer).unwrap();
    assert!(!path.exists(), "the session asked for is removed");
    store.clear_if(&newer).unwrap();
}

#[test]
fn a_file_store_keeps_a_session_file_it_cannot_read_when_asked_to_end_another() {
    let dir = TempDir::new("clear-if-newer");
    let path = dir.file();
    let emu = seeded(EmulatorConfig::default());
    let client = file_client(emu.app_id(), emu.base_url(), &path, 30);
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&client);
    let store = FileTokenStore::new(&path);
    let ended = store.load().unwrap().expect("a session");
    // A newer copy of the app saved a session in a format version this one cannot read.
    let newer = r#"{"format":"authing-session","version":99,"tokens":{"opaque":true}}"#;
    std::fs::write(&path, newer).unwrap();

    store.clear_if(&ended).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        newer,
        "left as it was"
    );
    // A file that is no session at all is refused, as `clear` refuses it.
    std::fs::write(&path, "not a session").unwrap();
    let refused = store.clear_if(&ended).unwrap_err();
    assert!(
        refused.reason().contains("refusing to remove it"),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a session");
}

// ---------------------------------------------------------------------------------------
// A4: logout racing a refresh
// ---------------------------------------------------------------------------------------

/// What a logout racing a refresh left: both answers and what crossed the proxy.
struct Race {
    emu: Emulator,
    client: AuthClient,
    logout: AuthResponse,
    profile: AuthResponse,
    log: Vec<Exchange>,
}

/// Signs in, lets the access token end on the server's clock, starts a call that refreshes
/// it and, while the emulator's answer (the new tokens) is held on its way back, logs out;
/// then lets the answer go. `faults` is done to the emulator just before the logout.
fn logout_racing_a_refresh(faults: impl FnOnce(&Emulator)) -> Race {
    let emu = seeded(EmulatorConfig::default());
    let proxy = Proxy::start(emu.addr());
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(proxy.base_url())
        .build()
        .expect("valid settings");
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&client);
    // The access token ends on the server's clock: the next call meets a 401 and refreshes.
    emu.advance_clock(Duration::from_secs(7201));
    let mut hold = proxy.hold_answer("/oidc/token");
    proxy.take();

    let (profile_tx, profile_rx) = mpsc::channel();
    let _profile = client.get_profile(false, false, false, profile_tx);
    // The emulator has issued the new tokens; the client has not heard yet.
    assert!(hold.wait_held(DEADLINE), "the refresh reached the emulator");
    faults(&emu);
    let (logout_tx, logout_rx) = mpsc::channel();
    let _logout = client.logout(logout_tx);
    // The logout has begun once the session is gone from memory.
    let deadline = Instant::now() + DEADLINE;
    while client.get_token().is_some() {
        assert!(Instant::now() < deadline, "the logout never began");
        std::thread::yield_now();
    }
    hold.release();

    let logout = logout_rx.recv_timeout(DEADLINE).expect("logout answers");
    let profile = profile_rx.recv_timeout(DEADLINE).expect("profile answers");
    let log = proxy.take();
    Race {
        emu,
        client,
        logout,
        profile,
        log,
    }
}

/// The access and refresh token the held refresh produced.
fn refreshed_tokens(log: &[Exchange]) -> (String, String) {
    let refreshed = log
        .iter()
        .find(|x| x.line() == "POST /oidc/token")
        .and_then(|x| x.response_json().ok())
        .expect("the refresh's answer");
    let text = |key: &str| refreshed[key].as_str().expect(key).to_string();
    (text("access_token"), text("refresh_token"))
}

#[test]
fn a_logout_while_a_refresh_is_on_the_wire_revokes_its_tokens_and_no_call_uses_them() {
    let Race {
        emu,
        client,
        logout,
        profile,
        log,
    } = logout_racing_a_refresh(|_| {});
    assert_ok(&logout);
    assert_eq!(logout.data(), Some(&json!({"revoked": true})));
    assert_eq!(
        profile.status_code(),
        codes::NOT_SIGNED_IN,
        "the call that raced the logout went on: {}",
        profile.message()
    );

    let (new_access, new_refresh) = refreshed_tokens(&log);
    for x in &log {
        assert_ne!(
            x.request_header("authorization"),
            Some(format!("Bearer {new_access}").as_str()),
            "a call was sent with the refreshed token: {}",
            x.line()
        );
    }
    // Nothing the refresh produced is alive on the server.
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!(
        (state.access_tokens, state.refresh_tokens),
        (0, 0),
        "a token is still live after the logout"
    );
    let stranger = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap();
    let reuse = stranger.get_new_access_token_by_refresh_token_blocking(new_refresh.as_str());
    assert_eq!(reuse.status_code(), 400, "{}", reuse.message());
    assert!(client.get_token().is_none() && client.get_current_user().is_none());
}

#[test]
fn a_logout_says_so_when_the_tokens_of_the_refresh_it_raced_could_not_be_revoked() {
    // The refresh revokes its tokens before the logout revokes the session's: the first two
    // revocations are the refresh's.
    let race = logout_racing_a_refresh(|emu| {
        emu.inject_fault("/oidc/token/revocation", Fault::DropConnection, 2);
    });
    assert_ok(&race.logout);
    let data = race.logout.data().unwrap();
    assert_eq!(data["revoked"], false);
    let reason = data["reason"].as_str().unwrap();
    assert!(
        reason.contains("the tokens of a refresh that raced the sign-out could not be revoked"),
        "{reason}"
    );
    let (new_access, new_refresh) = refreshed_tokens(&race.log);
    assert!(!reason.contains(&new_access) && !reason.contains(&new_refresh));
    assert_eq!(race.profile.status_code(), codes::NOT_SIGNED_IN);
    assert!(
        race.profile.message().contains("could not all be revoked"),
        "{}",
        race.profile.message()
    );
    assert!(race.client.get_token().is_none());
    let _ = race.emu;
}

#[test]
fn the_full_profile_that_lands_after_a_refresh_changed_the_tokens_still_completes_the_user() {
    let emu = seeded(EmulatorConfig::default());
    let proxy = Proxy::start(emu.addr());
    let dir = TempDir::new("full-profile-after-refresh");
    let path = dir.file();
    let client = file_client(emu.app_id(), proxy.base_url(), &path, 30);
    // The sign-in's full profile is held on its way back; a refresh renews the tokens
    // meanwhile, so the profile lands for an access token the session no longer holds.
    let mut profile = proxy.hold_answer("/api/v3/get-profile");
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    assert!(
        profile.wait_held(DEADLINE),
        "the sign-in fetched its profile"
    );
    let old = client.get_token().expect("signed in");
    assert_ok(&client.get_new_access_token_by_refresh_token_blocking(None));
    let renewed = client.get_token().expect("still signed in");
    assert_ne!(renewed.access_token(), old.access_token(), "refreshed");
    assert!(client.get_current_user().expect("signed in").is_partial());

    profile.release();
    crate::common::full_profile(&client);
    let user = client.get_current_user().expect("still signed in");
    assert_eq!(
        user.status(),
        Some("Activated"),
        "what only the profile carries"
    );
    let stored = FileTokenStore::new(&path)
        .load()
        .expect("the store reads")
        .expect("a session in the store");
    assert_eq!(stored.tokens().access_token(), renewed.access_token());
    assert!(!stored.user().expect("a user in the store").is_partial());
}

#[test]
fn the_full_profile_that_lands_while_a_refresh_is_on_the_wire_stays_in_memory_and_in_the_store() {
    let emu = seeded(EmulatorConfig::default());
    let proxy = Proxy::start(emu.addr());
    let dir = TempDir::new("full-profile-during-refresh");
    let path = dir.file();
    let client = file_client(emu.app_id(), proxy.base_url(), &path, 30);
    // The sign-in answers with the id_token's claims; its full profile is held on its way
    // back.
    let mut profile = proxy.hold_answer("/api/v3/get-profile");
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    assert!(
        profile.wait_held(DEADLINE),
        "the sign-in fetched its profile"
    );
    let old = client.get_token().expect("signed in");
    assert!(client.get_current_user().expect("signed in").is_partial());

    // An explicit refresh goes out while the user is still the partial one; its answer (the
    // new tokens) is held.
    let mut refresh = proxy.hold_answer("/oidc/token");
    let (tx, rx) = mpsc::channel();
    let _refresh = client.get_new_access_token_by_refresh_token(None, tx);
    assert!(
        refresh.wait_held(DEADLINE),
        "the refresh reached the emulator"
    );

    // The full profile lands meanwhile, then the refresh.
    profile.release();
    crate::common::full_profile(&client);
    refresh.release();
    assert_ok(&rx.recv_timeout(DEADLINE).expect("the refresh answers"));

    let renewed = client.get_token().expect("still signed in");
    assert_ne!(renewed.access_token(), old.access_token(), "refreshed");
    let user = client.get_current_user().expect("still signed in");
    assert!(!user.is_partial(), "the refresh kept the full profile");
    assert_eq!(
        user.status(),
        Some("Activated"),
        "what only the profile carries"
    );
    let stored = FileTokenStore::new(&path)
        .load()
        .expect("the store reads")
        .expect("a session in the store");
    assert_eq!(stored.tokens().access_token(), renewed.access_token());
    let stored_user = stored.user().expect("a user in the store");
    assert!(
        !stored_user.is_partial(),
        "the store holds the full profile"
    );
    assert_eq!(stored_user.status(), Some("Activated"));
}
