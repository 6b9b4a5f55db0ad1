//! A saved session across a restart of the emulator (issue 20, item 6): a CLI keeps its
//! session in a `FileTokenStore`; run 2 talks to a new emulator process. With the
//! emulator's state file (`EmulatorConfig::state_file`, `--state FILE`) the new emulator
//! knows the tokens and the session goes on, refresh included; without it the server does
//! not know them, and the SDK's 10015 says so rather than that the session expired.
//!
//! The new emulator listens on the address of the old one: the session file records the
//! API base URL it was saved for, and a client of another base URL (another port) finds
//! no session in it.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::assert_ok;
use authing::emulator::{Emulator, EmulatorConfig, NewUser};
use authing::{codes, AuthClient, FileTokenStore};

const USERNAME: &str = "carla";
const PASSWORD: &str = "cli-passw0rd";

/// A directory of this test's own, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "authing-e2e-state-{}-{nanos}-{name}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).expect("a temp dir");
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// One run of the CLI: a client keeping its session in the file at `session`.
fn cli_client(emu: &Emulator, session: &Path) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .token_store(FileTokenStore::new(session))
        .build()
        .expect("valid settings")
}

/// Run 1: sign in, and leave with the session saved in `session`. Returns the address the
/// emulator listened on.
fn first_run(config: EmulatorConfig, session: &Path) -> SocketAddr {
    let emu = Emulator::start_with(config).expect("the emulator starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("a user");
    let client = cli_client(&emu, session);
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    crate::common::full_profile(&client);
    assert!(client.get_current_user().is_some());
    assert!(session.exists(), "the session is saved");
    emu.addr()
}

#[test]
fn a_saved_session_survives_a_restart_of_an_emulator_that_keeps_a_state_file() {
    let dir = TempDir::new("kept");
    let (state, session) = (dir.path("emulator-state.json"), dir.path("session.json"));
    let config = EmulatorConfig::default().state_file(&state);
    let addr = first_run(config.clone(), &session);

    // Run 2: a new emulator on the same address and state file, a new client on the same
    // session file.
    let emu = Emulator::bind(addr, config).expect("the emulator starts again");
    let client = cli_client(&emu, &session);
    let user = client.get_current_user().expect("still signed in");
    assert_eq!(user.username(), Some(USERNAME));
    let before = client.get_token().unwrap().access_token().to_string();
    assert_ok(&client.get_profile_blocking(false, false, false));
    assert_eq!(
        client.get_token().unwrap().access_token(),
        before,
        "no refresh needed"
    );

    // Past the access token's life (7200 s): the refresh token issued in run 1 works.
    emu.advance_clock(Duration::from_secs(7200 + 60));
    let profile = client.get_profile_blocking(false, false, false);
    assert_ok(&profile);
    assert_ne!(
        client.get_token().unwrap().access_token(),
        before,
        "the session was refreshed"
    );
    let state = emu.user_state(USERNAME).unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (1, 1));
}

#[test]
fn without_a_state_file_the_restarted_emulator_does_not_know_the_session_and_10015_says_so() {
    let dir = TempDir::new("forgotten");
    let session = dir.path("session.json");
    let addr = first_run(EmulatorConfig::default(), &session);

    let emu = Emulator::bind(addr, EmulatorConfig::default()).expect("the emulator starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("a user");
    let client = cli_client(&emu, &session);
    assert!(
        client.get_current_user().is_some(),
        "the file still holds it"
    );
    let response = client.get_profile_blocking(false, false, false);
    assert_eq!(
        response.status_code(),
        codes::NOT_SIGNED_IN,
        "{}",
        response.message()
    );
    let message = response.message();
    assert!(
        message.contains("this server does not know the refresh token"),
        "{message}"
    );
    assert!(!message.contains("expired"), "nothing expired: {message}");
    assert!(client.get_current_user().is_none());
}
