//! `KeyringTokenStore` (feature `keyring`) end to end against the emulator, on the real
//! keychain of the machine: on Linux the kernel keyring (keyutils), which works headless.
//!
//! A container may forbid the kernel keyring (Docker's default seccomp profile blocks
//! `add_key` and `keyctl`). Each test first checks that an entry can be written, read and
//! removed; when it cannot, the test prints `SKIPPED (no keychain here): …` on stderr and
//! passes, unless `AUTHING_REQUIRE_KEYCHAIN=1` is set (CI where the keychain must work),
//! which makes it fail instead. Each test uses entries of its own (the emulator's random
//! port is in the service name, the process id and test name in the user name) and
//! removes them when it ends.

use std::time::Duration;

use crate::common::assert_ok;
use crate::common::proxy::Proxy;
use authing::emulator::{Emulator, EmulatorConfig, NewUser};
use authing::{codes, AuthClient, KeyringTokenStore, Lang, Session, TokenStore};
use serde_json::{json, Value};

const USERNAME: &str = "mike";
const PASSWORD: &str = "passw0rd-1";

fn seeded(config: EmulatorConfig) -> Emulator {
    let emu = Emulator::start_with(config).expect("the emulator starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("a user");
    emu
}

/// A store of `emu`'s app on an entry of this test's own.
fn store_of(emu: &Emulator, test: &str) -> KeyringTokenStore {
    KeyringTokenStore::new(emu.app_id(), emu.base_url())
        .with_user(format!("e2e-{}-{test}", std::process::id()))
}

/// A client of `app_id` at `base_url` keeping its session in `store`; `timeout` tells two
/// "running copies" of one app apart (different settings, no shared state).
fn client(app_id: &str, base_url: String, store: KeyringTokenStore, timeout: u64) -> AuthClient {
    AuthClient::builder()
        .app_id(app_id)
        .app_host(base_url)
        .timeout(Duration::from_secs(timeout))
        .lang(Lang::EnUs)
        .token_store(store)
        .build()
        .expect("valid settings")
}

/// Removes the entry when the test ends, passing or not.
struct Cleanup(KeyringTokenStore);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.0.clear();
    }
}

/// A session of `store`'s app with made-up tokens (never sent anywhere).
fn made_up_session(store: &KeyringTokenStore, api: &str, access_token: &str) -> Session {
    let text = json!({
        "format": "authing-session", "version": 2,
        "tokens": {"access_token": access_token, "refresh_token": "rt-probe",
            "token_type": "Bearer", "expire_in": 3600, "expires_at_ms": 4_102_444_800_000u64},
        "app": {"id": store.app_id(), "api": api},
    });
    Session::from_json(&text.to_string()).expect("a session")
}

/// Whether the keychain works here: writes, reads back and removes an entry of `store`'s.
/// When it does not, says so loudly (or fails, under `AUTHING_REQUIRE_KEYCHAIN=1`).
fn keychain_works(store: &KeyringTokenStore, test: &str) -> bool {
    let probe = store.clone().with_user(format!("{}-probe", store.user()));
    let session = made_up_session(&probe, "https://probe.invalid", "at-probe");
    let result = probe
        .save(&session)
        .and_then(|()| probe.load())
        .and_then(|loaded| {
            let back = loaded.is_some_and(|l| l.holds_same_tokens(&session));
            probe.clear().map(|()| back)
        });
    let why = match result {
        Ok(true) => return true,
        Ok(false) => "an entry written could not be read back".to_string(),
        Err(e) => e.to_string(),
    };
    if std::env::var("AUTHING_REQUIRE_KEYCHAIN").as_deref() == Ok("1") {
        panic!("{test}: the keychain does not work here: {why}");
    }
    eprintln!(
        "SKIPPED (no keychain here): keyring::{test}: {why}. Set AUTHING_REQUIRE_KEYCHAIN=1 to make this a failure."
    );
    false
}

#[test]
fn a_new_client_with_a_new_store_on_the_same_entry_is_still_signed_in() {
    let emu = seeded(EmulatorConfig::default());
    let store = store_of(&emu, "restart");
    if !keychain_works(&store, "restart") {
        return;
    }
    let _cleanup = Cleanup(store.clone());

    let run1 = client(emu.app_id(), emu.base_url(), store.clone(), 30);
    assert_ok(&run1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&run1);
    let tokens = run1.get_token().expect("signed in");
    let user_id = run1
        .get_current_user()
        .expect("a user")
        .user_id()
        .to_string();
    drop(run1);

    // On Linux the entry is a key in the kernel keyring, described as the keyring crate
    // names it, with the saved form as its payload.
    #[cfg(target_os = "linux")]
    {
        let keys = std::fs::read_to_string("/proc/keys").expect("/proc/keys");
        let description = format!("keyring-rs:{}@{}", store.user(), store.service());
        assert!(
            keys.lines()
                .any(|l| l.contains(" user ") && l.contains(&description)),
            "no kernel key {description} in /proc/keys"
        );
    }

    // What the entry holds records the app and its API.
    let saved = store.load().unwrap().expect("a saved session");
    assert_eq!(saved.app_id(), Some(emu.app_id()));
    assert_eq!(saved.api_base(), Some(emu.base_url().as_str()));
    let form = store.saved_form(&saved).unwrap();
    eprintln!(
        "keyring::restart: the emulator's session is {} bytes as saved (access token {}, refresh token {}, id token {})",
        form.len(),
        tokens.access_token().len(),
        tokens.refresh_token().map_or(0, str::len),
        tokens.id_token().map_or(0, str::len),
    );

    // Run 2: a new client and a new store on the same entry.
    let store2 = KeyringTokenStore::new(emu.app_id(), emu.base_url()).with_user(store.user());
    let run2 = client(emu.app_id(), emu.base_url(), store2, 31);
    let again = run2.get_token().expect("still signed in");
    assert_eq!(again.access_token(), tokens.access_token());
    assert_eq!(again.refresh_token(), tokens.refresh_token());
    assert_eq!(
        run2.get_current_user().map(|u| u.user_id().to_string()),
        Some(user_id)
    );
    assert_ok(&run2.get_profile_blocking(false, false, false));

    // A refresh is saved there too, and a third run gets the new tokens.
    assert_ok(&run2.get_new_access_token_by_refresh_token_blocking(None));
    let renewed = run2.get_token().unwrap();
    assert_ne!(renewed.access_token(), tokens.access_token());
    let run3 = client(emu.app_id(), emu.base_url(), store.clone(), 32);
    assert_eq!(
        run3.get_token().unwrap().access_token(),
        renewed.access_token()
    );
}

/// The environment variables that make [`restart_child`] the second run of
/// [`another_process_is_still_signed_in_from_the_entry`].
const CHILD_ENV: [&str; 4] = [
    "AUTHING_KEYRING_CHILD_APP",
    "AUTHING_KEYRING_CHILD_HOST",
    "AUTHING_KEYRING_CHILD_USER",
    "AUTHING_KEYRING_CHILD_TOKEN",
];

#[test]
fn another_process_is_still_signed_in_from_the_entry() {
    let emu = seeded(EmulatorConfig::default());
    let store = store_of(&emu, "process");
    if !keychain_works(&store, "process") {
        return;
    }
    let _cleanup = Cleanup(store.clone());
    let run1 = client(emu.app_id(), emu.base_url(), store.clone(), 30);
    assert_ok(&run1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&run1);
    let token = run1.get_token().unwrap().access_token().to_string();
    drop(run1);

    // Run 2 is this test binary again, in a process of its own, running `restart_child`.
    let values = [
        emu.app_id().to_string(),
        emu.base_url(),
        store.user().to_string(),
        token,
    ];
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "keyring::restart_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .envs(CHILD_ENV.iter().zip(&values))
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.contains("restart_child: signed in"),
        "run 2 failed:\n{stdout}\n{stderr}"
    );
}

/// Run 2 of [`another_process_is_still_signed_in_from_the_entry`]; does nothing unless
/// that test started it.
#[test]
fn restart_child() {
    let Ok(values) = CHILD_ENV
        .iter()
        .map(std::env::var)
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    let [app, host, user, token] = &values[..] else {
        unreachable!()
    };
    let store = KeyringTokenStore::new(app, host).with_user(user);
    let run2 = client(app, host.clone(), store, 30);
    let tokens = run2.get_token().expect("run 2 is signed in from the entry");
    assert_eq!(tokens.access_token(), token);
    assert_ok(&run2.get_profile_blocking(false, false, false));
    eprintln!("restart_child: signed in");
}

#[test]
fn another_apps_entry_is_no_session_its_tokens_are_never_sent_and_it_is_left_alone() {
    let emu_a = seeded(EmulatorConfig::default());
    let store_a = store_of(&emu_a, "foreign");
    if !keychain_works(&store_a, "foreign") {
        return;
    }
    let _cleanup = Cleanup(store_a.clone());
    let app_a = client(emu_a.app_id(), emu_a.base_url(), store_a.clone(), 30);
    assert_ok(&app_a.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&app_a);
    let a_token = app_a.get_token().unwrap().access_token().to_string();
    drop(app_a);

    // App B, misconfigured with app A's entry; and app A's id on another host.
    let emu_b = seeded(EmulatorConfig::default().app_id("app-b"));
    let proxy_b = Proxy::start(emu_b.addr());
    for (app_id, what) in [("app-b", "another app"), (emu_a.app_id(), "another host")] {
        let client = client(app_id, proxy_b.base_url(), store_a.clone(), 30);
        assert!(client.get_current_user().is_none(), "{what}: a user");
        assert!(client.get_token().is_none(), "{what}: tokens");
        let response = client.get_profile_blocking(false, false, false);
        assert_eq!(
            response.status_code(),
            codes::NOT_SIGNED_IN,
            "{what}: {}",
            response.message()
        );
        let _ = client.logout_blocking();
        for x in proxy_b.take() {
            let authorization = x.request_header("authorization").unwrap_or_default();
            assert!(
                !authorization.contains(&a_token),
                "{what}: app A's token went to B's host: {}",
                x.line()
            );
            assert!(
                !x.request_json()
                    .unwrap_or_default()
                    .to_string()
                    .contains(&a_token),
                "{what}: app A's token in a body to B's host: {}",
                x.line()
            );
        }
        let held = store_a
            .load()
            .unwrap()
            .expect("app A's entry is still there");
        assert_eq!(held.tokens().access_token(), a_token, "{what}");
    }

    // App B signing in with app A's entry is refused (10016), and the entry is kept.
    let client_b = client("app-b", emu_b.base_url(), store_a.clone(), 30);
    let response = client_b.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(response.status_code(), codes::TOKEN_STORE_FAILED);
    assert_eq!(
        response.message(),
        format!(
            "token store failed: keychain entry {} (user {}): is for app {}; refusing to save a session of app app-b in it",
            store_a.service(),
            store_a.user(),
            emu_a.app_id()
        )
    );
    assert_eq!(
        store_a.load().unwrap().unwrap().tokens().access_token(),
        a_token
    );

    // App A itself is still signed in from its entry.
    let app_a = client(emu_a.app_id(), emu_a.base_url(), store_a.clone(), 31);
    assert_eq!(app_a.get_token().unwrap().access_token(), a_token);
    assert_ok(&app_a.get_profile_blocking(false, false, false));
}

#[test]
fn logout_removes_the_entry_and_the_next_run_is_signed_out() {
    let emu = seeded(EmulatorConfig::default());
    let store = store_of(&emu, "logout");
    if !keychain_works(&store, "logout") {
        return;
    }
    let _cleanup = Cleanup(store.clone());
    let run1 = client(emu.app_id(), emu.base_url(), store.clone(), 30);
    assert_ok(&run1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&run1);
    assert!(store.load().unwrap().is_some());

    let answer = run1.logout_blocking();
    assert_ok(&answer);
    assert_eq!(answer.data().unwrap()["revoked"], true);
    assert!(store.load().unwrap().is_none(), "the entry is gone");

    let run2 = client(emu.app_id(), emu.base_url(), store.clone(), 31);
    assert!(run2.get_token().is_none());
    assert_eq!(
        run2.get_profile_blocking(false, false, false).status_code(),
        codes::NOT_SIGNED_IN
    );
    // Clearing what is not there is no error.
    store.clear().unwrap();
}

#[test]
fn the_store_clears_only_the_session_it_is_asked_to_end() {
    let emu = seeded(EmulatorConfig::default());
    let store = store_of(&emu, "clear-if");
    if !keychain_works(&store, "clear-if") {
        return;
    }
    let _cleanup = Cleanup(store.clone());

    // The store itself: ending an older session leaves a newer one in place.
    let copy1 = client(emu.app_id(), emu.base_url(), store.clone(), 30);
    assert_ok(&copy1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&copy1);
    let first = store.load().unwrap().unwrap();
    let other = client(emu.app_id(), emu.base_url(), store.clone(), 31);
    assert_ok(&other.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&other);
    let second = store.load().unwrap().unwrap();
    assert!(!second.holds_same_tokens(&first));
    store.clear_if(&first).unwrap();
    assert!(store.load().unwrap().unwrap().holds_same_tokens(&second));
    store.clear_if(&second).unwrap();
    assert!(
        store.load().unwrap().is_none(),
        "its own session is removed"
    );

    // Through the clients: two running copies share the entry. Copy 2 refreshes first
    // (spending the refresh token they shared); copy 1's refresh is refused, and it
    // adopts copy 2's session from the entry instead of removing it.
    let copy1 = client(emu.app_id(), emu.base_url(), store.clone(), 32);
    assert_ok(&copy1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&copy1);
    let copy2 = client(emu.app_id(), emu.base_url(), store.clone(), 33);
    let shared = copy2.get_token().expect("copy 2 reads copy 1's session");
    assert!(emu.expire_access_tokens(USERNAME) >= 1);
    assert_ok(&copy2.get_profile_blocking(false, false, false));
    let newer = copy2.get_token().unwrap();
    assert_ne!(newer.refresh_token(), shared.refresh_token());
    assert_ok(&copy1.get_profile_blocking(false, false, false));
    assert_eq!(
        copy1.get_token().unwrap().access_token(),
        newer.access_token(),
        "copy 1 adopted copy 2's session"
    );
    let held = store.load().unwrap().expect("copy 2's session is kept");
    assert_eq!(held.tokens().access_token(), newer.access_token());
}

#[test]
fn an_oversize_session_is_saved_without_the_profile_then_the_id_token() {
    let emu = seeded(EmulatorConfig::default());
    let store = store_of(&emu, "oversize");
    if !keychain_works(&store, "oversize") {
        return;
    }
    let _cleanup = Cleanup(store.clone());
    let run1 = client(emu.app_id(), emu.base_url(), store.clone(), 30);
    assert_ok(&run1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&run1);
    assert_ok(&run1.get_profile_blocking(true, true, true));
    let tokens = run1.get_token().unwrap();
    let user = run1.get_current_user().unwrap();

    // The emulator's real tokens and profile, with a long id token (an Authing id token
    // with many claims): 1,900 bytes of JWT-shaped text.
    let saved = store.load().unwrap().unwrap();
    let mut value: Value = serde_json::from_str(&saved.to_json()).unwrap();
    let long_id_token = format!("eyJhbGciOiJSUzI1NiJ9.{}.sig", "x".repeat(1_880));
    value["tokens"]["id_token"] = json!(long_id_token);
    value["user"] = user.data().clone();
    let full = Session::from_json(&value.to_string()).unwrap();
    let full_len = full.to_json().len();
    assert!(full_len > KeyringTokenStore::MAX_SECRET_BYTES, "{full_len}");

    // The profile alone is too much to keep: it goes first, the id token stays.
    let mut with_short_id = value.clone();
    with_short_id["tokens"]["id_token"] = json!("eyJhbGciOiJSUzI1NiJ9.e30.sig");
    with_short_id["user"] = json!({"userId": user.user_id(), "note": "n".repeat(2_600)});
    let fat_profile = Session::from_json(&with_short_id.to_string()).unwrap();
    store.save(&fat_profile).unwrap();
    let back = store.load().unwrap().unwrap();
    assert!(back.user().is_none(), "the profile was left out");
    assert_eq!(
        back.tokens().id_token(),
        Some("eyJhbGciOiJSUzI1NiJ9.e30.sig")
    );

    // Profile and long id token: both left out, the tokens a restart needs kept.
    let form = store.saved_form(&full).unwrap();
    eprintln!(
        "keyring::oversize: {full_len} bytes in full, {} as saved (the limit is {})",
        form.len(),
        KeyringTokenStore::MAX_SECRET_BYTES
    );
    assert!(form.len() <= KeyringTokenStore::MAX_SECRET_BYTES);
    store.save(&full).unwrap();
    let back = store.load().unwrap().unwrap();
    assert!(back.holds_same_tokens(&full));
    assert!(back.user().is_none() && back.tokens().id_token().is_none());
    assert_eq!(back.app_id(), Some(emu.app_id()));
    let expiry = |s: &Session| {
        serde_json::from_str::<Value>(&s.to_json()).unwrap()["tokens"]["expires_at_ms"].clone()
    };
    assert_eq!(expiry(&back), expiry(&full));

    // A new run is signed in with those tokens, and fetches the profile again.
    let run2 = client(emu.app_id(), emu.base_url(), store.clone(), 31);
    assert_eq!(
        run2.get_token().unwrap().access_token(),
        tokens.access_token()
    );
    assert!(run2.get_current_user().is_none());
    assert_ok(&run2.get_profile_blocking(false, false, false));
    assert_eq!(run2.get_current_user().unwrap().user_id(), user.user_id());
    // The client clears only what it saved: this session, still in the entry.
    assert_ok(&run2.logout_blocking());
    assert!(store.load().unwrap().is_none());
}

#[test]
fn a_session_too_long_even_cut_is_refused_and_the_entry_kept() {
    let emu = seeded(EmulatorConfig::default());
    let store = store_of(&emu, "too-long");
    if !keychain_works(&store, "too-long") {
        return;
    }
    let _cleanup = Cleanup(store.clone());
    let run1 = client(emu.app_id(), emu.base_url(), store.clone(), 30);
    assert_ok(&run1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&run1);
    let kept = store.load().unwrap().unwrap();

    let secret = format!("at-secret-{}", "s".repeat(2_600));
    let huge = made_up_session(&store, &emu.base_url(), &secret);
    let error = store.save(&huge).unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with(&format!(
            "token store failed: keychain entry {} (user {}): the session is too long for the keychain: ",
            store.service(),
            store.user()
        )),
        "{text}"
    );
    assert!(
        text.contains("over the 2560 bytes a windows credential holds"),
        "{text}"
    );
    assert!(
        !text.contains("at-secret") && !text.contains("rt-probe"),
        "{text}"
    );
    assert_eq!(text, text.to_lowercase(), "lowercase");
    assert!(store.load().unwrap().unwrap().holds_same_tokens(&kept));
}

#[test]
fn debug_shows_the_entry_and_no_secret() {
    let emu = seeded(EmulatorConfig::default());
    let store = store_of(&emu, "debug");
    if !keychain_works(&store, "debug") {
        return;
    }
    let _cleanup = Cleanup(store.clone());
    let run1 = client(emu.app_id(), emu.base_url(), store.clone(), 30);
    assert_ok(&run1.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&run1);
    let tokens = run1.get_token().unwrap();

    let debug = format!("{store:?} {store:#?} {run1:?}");
    assert!(debug.contains(store.service()) && debug.contains(store.user()));
    assert!(!debug.contains(tokens.access_token()), "{debug}");
    for secret in [tokens.refresh_token(), tokens.id_token()]
        .into_iter()
        .flatten()
    {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert_eq!(
        format!(
            "{:?}",
            KeyringTokenStore::new("app-1", "https://x.authing.cn")
        ),
        r#"KeyringTokenStore { service: "authing:app-1@x.authing.cn", user: "session" }"#
    );
}
