//! The refresh-ahead timer thread (`src/session/ahead.rs`, thread name `authing-refresh`)
//! leaks nowhere: one per used session, none for a session loaded from a token store that
//! nothing uses or for a client that opted out, gone after a sign-out and after the last
//! clone of its client is dropped. Alone in its own test binary, one test, so that every
//! thread of that name in the process is this test's.
mod common;

use authing::emulator::{Emulator, NewUser};
use authing::{AuthClient, FileTokenStore};
use common::{assert_ok, live_threads, until};

const USERNAME: &str = "tess";
const PASSWORD: &str = "ahead-passw0rd";

/// The refresh-ahead threads alive in this process.
fn refresh_threads() -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .filter(|name| name.trim_end() == "authing-refresh")
        .count()
}

/// Polls the count until it is `want`, or panics at the deadline with the last count. A
/// thread's exit is seen only in /proc: there is no event to wait on.
fn settle(want: usize) {
    until(&format!("{want} refresh-ahead threads"), || {
        refresh_threads() == want
    });
}

#[test]
fn the_refresh_ahead_thread_is_one_per_used_session_and_ends_with_the_session_or_its_client() {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("a user");
    let dir = std::env::temp_dir().join(format!("authing-refresh-ahead-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("session.json");
    let builder = || {
        AuthClient::builder()
            .app_id(emu.app_id())
            .app_host(emu.base_url())
    };
    assert_eq!(refresh_threads(), 0);

    // A sign-in starts one thread; calls and clones of the client share it.
    let client = builder()
        .token_store(FileTokenStore::new(&file))
        .build()
        .unwrap();
    assert_ok(&client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    settle(1); // started by the sign-in (its name shows once it runs)
    let clone = client.clone();
    for _ in 0..3 {
        assert_ok(&clone.get_profile_blocking(false, false, false));
    }
    assert_eq!(refresh_threads(), 1, "one per session");

    // Dropping one clone keeps it; dropping the last ends it.
    drop(clone);
    assert_eq!(refresh_threads(), 1);
    drop(client);
    settle(0);

    // The session the file keeps, loaded by a new client and only read: no thread.
    let reader = builder()
        .token_store(FileTokenStore::new(&file))
        .build()
        .unwrap();
    // A thread shows in /proc as soon as it is made, under its name only once it runs: no
    // new thread at all is what shows that none was started.
    let threads = live_threads();
    assert!(reader.get_token().is_some(), "the file keeps the session");
    assert!(reader.get_current_user().is_some());
    assert!(
        live_threads() <= threads,
        "a session nothing uses starts no thread"
    );
    assert_eq!(refresh_threads(), 0);

    // A call that needs the user is a use; a sign-out ends the thread.
    assert_ok(&reader.get_profile_blocking(false, false, false));
    settle(1);
    assert_ok(&reader.logout_blocking());
    settle(0);
    // After the sign-out, a call that needs a user is refused and starts nothing.
    let threads = live_threads();
    assert_eq!(
        reader
            .get_profile_blocking(false, false, false)
            .status_code(),
        authing::codes::NOT_SIGNED_IN
    );
    assert!(live_threads() <= threads);
    assert_eq!(refresh_threads(), 0);

    // A client that opted out never starts one: beside it, a client that did not has
    // one, and only one shows (the opted-out one's, had it been made first, would too).
    let opted_out = builder().refresh_ahead(false).build().unwrap();
    assert_ok(&opted_out.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    assert_ok(&opted_out.get_profile_blocking(false, false, false));
    let other = builder().build().unwrap();
    assert_ok(&other.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None));
    settle(1);
    assert_ok(&opted_out.get_profile_blocking(false, false, false));
    assert_eq!(
        refresh_threads(),
        1,
        "the opted-out client's session has none"
    );
    drop(other);
    settle(0);

    drop(reader);
    let _ = std::fs::remove_dir_all(&dir);
}
