//! The signed-in session against the scripted loopback server: who shares it, the bearer it
//! lends to calls that need a user, expiry and the single-flight refresh, sign-out, and the
//! token stores. The exact bytes of `get_profile`, the refresh and `logout` are tested with
//! sign-in's in `signin.rs`, whose scripted server they share.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use crate::common::{self, Reply, Server, DEADLINE, QUIET};
use crate::{route, USER};
use authing::{
    codes, AuthClient, AuthResponse, Authing, FileTokenStore, Session, TokenStore, TokenStoreError,
};
use serde_json::{json, Value};

const REFRESHED: &str =
    r#"{"access_token":"at-2","refresh_token":"rt-2","token_type":"Bearer","expires_in":3600}"#;

/// The sign-in answer: an access token valid `expire_in` seconds, and a refresh token when
/// `refresh` is true.
fn tokens(expire_in: u64, refresh: bool) -> String {
    let mut data = json!({"access_token": "at-1", "id_token": "it-1", "token_type": "Bearer", "expire_in": expire_in});
    if refresh {
        data["refresh_token"] = json!("rt-1");
    }
    json!({"statusCode": 200, "message": "", "data": data}).to_string()
}

/// A server whose token endpoint answers `refresh` and counts its hits. The first hit is
/// held until a second one arrives or `QUIET` passes, so that calls that would refresh on
/// their own overlap it.
struct Scripted {
    server: Server,
    refreshes: Arc<AtomicUsize>,
}

fn server_with(
    sign_in: String,
    refresh: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> Scripted {
    let refreshes = Arc::new(AtomicUsize::new(0));
    let (second_tx, second_rx): (Sender<()>, Receiver<()>) = mpsc::channel();
    let second_tx = Mutex::new(second_tx);
    let second_rx = Mutex::new(second_rx);
    let counter = Arc::clone(&refreshes);
    let server = Server::scripted(move |req| match route(req) {
        "/api/v3/signin" => Reply::Json(sign_in.clone()),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        "/oidc/token" => {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            if n == 1 {
                let _ = second_rx.lock().unwrap().recv_timeout(QUIET);
            } else {
                let _ = second_tx.lock().unwrap().send(());
            }
            refresh(n)
        }
        "/oidc/token/revocation" => Reply::Raw(200, "application/json", String::new()),
        other => Reply::Raw(404, "text/plain", format!("no route {other}")),
    });
    Scripted { server, refreshes }
}

fn refreshing_server(sign_in: String) -> Scripted {
    server_with(sign_in, |_| Reply::Json(REFRESHED.into()))
}

fn sign_in(client: &AuthClient, server: &Server) {
    let response = client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(route(&server.next_request()), "/api/v3/signin");
    assert_eq!(route(&server.next_request()), "/api/v3/get-profile");
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authing-session-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn file_client(server: &Server, path: &PathBuf) -> AuthClient {
    common::builder_at(server.base_url())
        .token_store(FileTokenStore::new(path))
        .build()
        .unwrap()
}

#[test]
fn clones_share_the_session_and_other_built_clients_do_not() {
    let s = refreshing_server(tokens(3600, true));
    let client = common::client_at(s.server.base_url());
    let clone = client.clone();
    let other = common::client_at(s.server.base_url());
    sign_in(&client, &s.server);
    assert_eq!(clone.get_current_user().unwrap().user_id(), "u-1");
    assert!(other.get_current_user().is_none());
    assert_eq!(
        clone
            .get_profile_blocking(false, false, false)
            .status_code(),
        200
    );
    assert_eq!(
        s.server.next_request().header("authorization"),
        Some("Bearer at-1")
    );
    let refused = other.get_profile_blocking(false, false, false);
    assert_eq!(refused.status_code(), codes::NOT_SIGNED_IN);
    s.server.assert_no_request();
}

#[test]
fn every_auth_client_new_of_the_same_app_sees_the_signed_in_user() {
    // The only test of this binary that uses the process-wide settings.
    let s = refreshing_server(tokens(3600, true));
    Authing::init(common::APP_ID);
    Authing::set_app_host(s.server.base_url());
    sign_in(&AuthClient::new(), &s.server);
    assert_eq!(
        AuthClient::new().get_current_user().unwrap().user_id(),
        "u-1"
    );
    // Another language is another connection pool, but the same app: the same session.
    Authing::set_lang(authing::Lang::EnUs);
    let response = AuthClient::new().get_profile_blocking(false, false, false);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let req = s.server.next_request();
    assert_eq!(req.header("authorization"), Some("Bearer at-1"));
    assert_eq!(req.header("x-authing-lang"), Some("en-US"));
    assert_eq!(AuthClient::new().logout_blocking().status_code(), 200);
    assert!(AuthClient::new().get_current_user().is_none());
    Authing::reset();
}

#[test]
fn a_call_that_needs_a_user_without_a_session_answers_10015_once_and_sends_nothing() {
    let s = refreshing_server(tokens(3600, true));
    let client = common::client_at(s.server.base_url());
    let response = client.get_profile_blocking(false, false, false);
    assert_eq!(response.status_code(), codes::NOT_SIGNED_IN);
    assert_eq!(
        response.error().unwrap().to_string(),
        "not signed in: no user is signed in; sign in first"
    );
    assert!(
        matches!(
            response.error(),
            Some(authing::AuthError::NotSignedIn { .. })
        ),
        "{response:?}"
    );
    assert_eq!(
        response.error().unwrap().status_code(),
        codes::NOT_SIGNED_IN
    );
    let refresh = client.get_new_access_token_by_refresh_token_blocking(None);
    assert_eq!(refresh.status_code(), codes::NOT_SIGNED_IN);
    let (tx, rx) = mpsc::channel();
    let handle = client.get_profile(true, true, true, tx);
    assert_eq!(
        rx.recv_timeout(DEADLINE).unwrap().status_code(),
        codes::NOT_SIGNED_IN
    );
    handle.join().unwrap();
    assert!(rx.recv_timeout(QUIET).is_err(), "a second callback");
    s.server.assert_no_request();
}

#[test]
fn the_builders_access_token_stands_in_when_nobody_signed_in() {
    let s = refreshing_server(tokens(3600, true));
    let client = common::builder_at(s.server.base_url())
        .access_token("fixed-token")
        .build()
        .unwrap();
    assert_eq!(
        client
            .get_profile_blocking(false, false, false)
            .status_code(),
        200
    );
    assert_eq!(
        s.server.next_request().header("authorization"),
        Some("Bearer fixed-token")
    );
}

#[test]
fn an_expired_token_without_a_refresh_token_answers_10015_and_sends_nothing() {
    let s = refreshing_server(tokens(0, false));
    let client = common::client_at(s.server.base_url());
    sign_in(&client, &s.server);
    let response = client.get_profile_blocking(false, false, false);
    assert_eq!(response.status_code(), codes::NOT_SIGNED_IN);
    assert_eq!(
        response.error().unwrap().to_string(),
        "not signed in: the session has expired and holds no refresh token; sign in again"
    );
    s.server.assert_no_request();
    assert_eq!(s.refreshes.load(Ordering::SeqCst), 0);
}

#[test]
fn an_expired_token_is_refreshed_once_before_the_call_that_needs_it() {
    let s = refreshing_server(tokens(0, true));
    let client = common::client_at(s.server.base_url());
    sign_in(&client, &s.server);
    let response = client.get_profile_blocking(false, false, false);
    assert_eq!(response.status_code(), 200, "{response:?}");
    let refresh = s.server.next_request();
    assert_eq!(refresh.path, "/oidc/token");
    assert_eq!(
        refresh.body_text(),
        "client_id=demo-app&grant_type=refresh_token&refresh_token=rt-1"
    );
    assert_eq!(
        s.server.next_request().header("authorization"),
        Some("Bearer at-2")
    );
    let tokens = client.get_token().unwrap();
    assert_eq!(
        (tokens.access_token(), tokens.refresh_token()),
        ("at-2", Some("rt-2"))
    );
    assert_eq!(client.get_current_user().unwrap().user_id(), "u-1");
}

#[test]
fn ten_calls_that_find_the_token_expired_cause_one_refresh() {
    let s = refreshing_server(tokens(0, true));
    let client = common::client_at(s.server.base_url());
    sign_in(&client, &s.server);
    for response in common::ten_profiles(&client) {
        assert_eq!(response.status_code(), 200, "{response:?}");
    }
    assert_eq!(s.refreshes.load(Ordering::SeqCst), 1);
    let mut profiles = 0;
    for _ in 0..11 {
        let req = s.server.next_request();
        if route(&req) == "/api/v3/get-profile" {
            assert_eq!(req.header("authorization"), Some("Bearer at-2"));
            profiles += 1;
        }
    }
    assert_eq!(profiles, 10);
    s.server.assert_no_request();
}

#[test]
fn ten_calls_that_meet_a_failing_refresh_share_its_one_failure_and_a_later_call_tries_again() {
    let s = server_with(tokens(0, true), |n| match n {
        1 => Reply::Raw(503, "text/plain", "token service down".into()),
        _ => Reply::Json(REFRESHED.into()),
    });
    let client = common::client_at(s.server.base_url());
    sign_in(&client, &s.server);
    for response in common::ten_profiles(&client) {
        assert_eq!(response.status_code(), 503, "{response:?}");
        assert_eq!(response.message(), "token service down");
    }
    assert_eq!(s.refreshes.load(Ordering::SeqCst), 1);
    assert_eq!(s.server.next_request().path, "/oidc/token");
    s.server.assert_no_request();
    assert!(
        client.get_token().is_some(),
        "the session stays for a later try"
    );
    let later = client.get_profile_blocking(false, false, false);
    assert_eq!(later.status_code(), 200, "{later:?}");
    assert_eq!(s.refreshes.load(Ordering::SeqCst), 2);
}

#[test]
fn a_refresh_token_the_server_refuses_ends_the_session() {
    let s = server_with(tokens(0, true), |_| {
        Reply::Raw(
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"revoked"}"#.into(),
        )
    });
    let client = common::client_at(s.server.base_url());
    sign_in(&client, &s.server);
    let response = client.get_profile_blocking(false, false, false);
    assert_eq!(response.status_code(), codes::NOT_SIGNED_IN);
    assert_eq!(
        response.error().unwrap().to_string(),
        "not signed in: the server refused the session's refresh token (invalid_grant: revoked); sign in again"
    );
    assert_eq!(s.server.next_request().path, "/oidc/token");
    assert!(client.get_token().is_none());
    assert!(client.get_current_user().is_none());
    let again = client.get_profile_blocking(false, false, false);
    assert_eq!(again.status_code(), codes::NOT_SIGNED_IN);
    s.server.assert_no_request();
}

#[test]
fn logout_clears_the_session_even_when_revocation_fails_and_says_so() {
    let server = Server::scripted(|req| match route(req) {
        "/api/v3/signin" => Reply::Json(tokens(3600, true)),
        "/api/v3/get-profile" => Reply::Json(USER.into()),
        _ => Reply::Raw(503, "text/plain", "down".into()),
    });
    let client = common::client_at(server.base_url());
    sign_in(&client, &server);
    let response = client.logout_blocking();
    assert_eq!(response.status_code(), 200, "{response:?}");
    assert_eq!(
        response.data(),
        Some(&json!({"revoked": false, "reason": "http status 503; http status 503"}))
    );
    assert_eq!(server.next_request().path, "/oidc/token/revocation");
    assert_eq!(server.next_request().path, "/oidc/token/revocation");
    assert!(client.get_current_user().is_none());
    assert_eq!(
        client
            .get_profile_blocking(false, false, false)
            .status_code(),
        codes::NOT_SIGNED_IN
    );
    server.assert_no_request();
}

#[test]
fn logout_without_a_session_sends_nothing_and_says_nothing_was_revoked() {
    let s = refreshing_server(tokens(3600, true));
    let response = common::client_at(s.server.base_url()).logout_blocking();
    assert_eq!(response.status_code(), 200);
    assert_eq!(
        response.data(),
        Some(&json!({"revoked": false, "reason": "no user was signed in"}))
    );
    s.server.assert_no_request();
}

#[test]
fn a_file_store_keeps_the_session_across_clients_owner_only_and_logout_removes_it() {
    let s = refreshing_server(tokens(3600, true));
    let dir = temp_dir("keeps");
    let path = dir.join("session.json");
    sign_in(&file_client(&s.server, &path), &s.server);
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["format"], "authing-session");
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["tokens"]["refresh_token"], "rt-1");
    assert_eq!(saved["user"]["userId"], "u-1");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
    let names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["session.json"], "no temporary file is left behind");

    // A restart: a new client on the same file is signed in without going on the wire.
    let restarted = file_client(&s.server, &path);
    assert_eq!(restarted.get_current_user().unwrap().user_id(), "u-1");
    s.server.assert_no_request();
    assert_eq!(
        restarted
            .get_profile_blocking(false, false, false)
            .status_code(),
        200
    );
    assert_eq!(
        s.server.next_request().header("authorization"),
        Some("Bearer at-1")
    );

    assert_eq!(
        restarted.logout_blocking().data(),
        Some(&json!({"revoked": true}))
    );
    assert!(!path.exists());
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn an_expired_session_from_a_file_is_refreshed_and_the_file_replaced() {
    let s = refreshing_server(tokens(0, true));
    let dir = temp_dir("refresh");
    let path = dir.join("session.json");
    sign_in(&file_client(&s.server, &path), &s.server);
    let restarted = file_client(&s.server, &path);
    assert_eq!(
        restarted
            .get_profile_blocking(false, false, false)
            .status_code(),
        200
    );
    let saved: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["tokens"]["access_token"], "at-2");
    assert_eq!(saved["tokens"]["refresh_token"], "rt-2");
    assert_eq!(saved["user"]["userId"], "u-1");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_foreign_or_corrupt_session_file_is_a_clear_error_and_is_never_replaced() {
    let s = refreshing_server(tokens(3600, true));
    let dir = temp_dir("foreign");
    let cases = [
        (
            "notes.txt",
            "my notes, not json",
            "is not an authing session file (not json)",
        ),
        (
            "other.json",
            r#"{"hello": 1}"#,
            "not an authing session (no \"format\": \"authing-session\")",
        ),
        (
            "broken.json",
            r#"{"format": "authing-session", "version": 1, "tokens": {"token_type": "Bearer"}}"#,
            "the session is corrupt: tokens.access_token is missing",
        ),
    ];
    for (name, content, problem) in cases {
        let path = dir.join(name);
        fs::write(&path, content).unwrap();
        let client = file_client(&s.server, &path);
        let expected = format!("token store failed: {}: {problem}", path.display());
        for response in [
            client.get_profile_blocking(false, false, false),
            client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None),
        ] {
            assert_eq!(response.status_code(), codes::TOKEN_STORE_FAILED, "{name}");
            assert_eq!(response.error().unwrap().to_string(), expected);
        }
        assert!(client.get_current_user().is_none());
        s.server.assert_no_request();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            content,
            "{name} untouched"
        );
    }
    // Sign-out does not delete a file that is not a session either.
    let path = dir.join("notes.txt");
    let response = file_client(&s.server, &path).logout_blocking();
    assert_eq!(response.status_code(), codes::TOKEN_STORE_FAILED);
    assert_eq!(
        response.error().unwrap().to_string(),
        format!(
            "token store failed: {}: is not an authing session file; refusing to remove it (delete it yourself if it is stale)",
            path.display()
        )
    );
    assert!(path.exists());
    // A path that cannot be read at all.
    let response = file_client(&s.server, &dir).get_profile_blocking(false, false, false);
    assert_eq!(response.status_code(), codes::TOKEN_STORE_FAILED);
    assert!(
        response.message().contains(": could not be read: "),
        "{}",
        response.message()
    );
    s.server.assert_no_request();
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_session_file_with_absurd_numbers_loads_or_is_refused_by_name_never_a_panic() {
    let s = refreshing_server(tokens(3600, true));
    let dir = temp_dir("absurd");
    let path = dir.join("session.json");
    // A session of this client's app and API (version 2 records them): only its numbers
    // are absurd.
    let base_url = s.server.base_url();
    let app_id = common::APP_ID;
    let session = |expire_in: &str, expires_at_ms: &str| {
        format!(
            r#"{{"format":"authing-session","version":2,"tokens":{{"access_token":"at-far","expire_in":{expire_in},"expires_at_ms":{expires_at_ms}}},"app":{{"id":"{app_id}","api":"{base_url}"}}}}"#
        )
    };
    // u64::MAX milliseconds from the epoch is past what an Instant holds on some
    // platforms: the session loads, expiring in at most 100 years.
    let max = u64::MAX.to_string();
    fs::write(&path, session(&max, &max)).unwrap();
    let tokens = file_client(&s.server, &path)
        .get_token()
        .expect("the saved session loads");
    assert_eq!(tokens.expire_in(), u64::MAX);
    assert!(!tokens.is_expired());
    let century = std::time::Duration::from_secs(100 * 365 * 86_400);
    assert!(tokens.expires_at() <= std::time::Instant::now() + century);
    for (expire_in, expires_at_ms, field) in [
        ("1", "-1", "expires_at_ms"),
        ("1", "1e300", "expires_at_ms"),
        ("1", "18446744073709551616", "expires_at_ms"),
        ("-1", "1", "expire_in"),
        ("1.5", "1", "expire_in"),
    ] {
        fs::write(&path, session(expire_in, expires_at_ms)).unwrap();
        let response = file_client(&s.server, &path).get_profile_blocking(false, false, false);
        assert_eq!(response.status_code(), codes::TOKEN_STORE_FAILED);
        assert!(
            response.message().ends_with(&format!(
                "the session is corrupt: tokens.{field} is not a whole number"
            )),
            "{expires_at_ms}: {}",
            response.message()
        );
    }
    s.server.assert_no_request();
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_session_file_of_a_newer_version_is_refused_by_name() {
    let s = refreshing_server(tokens(3600, true));
    let dir = temp_dir("newer");
    let path = dir.join("session.json");
    fs::write(
        &path,
        r#"{"format":"authing-session","version":3,"tokens":{}}"#,
    )
    .unwrap();
    let response = file_client(&s.server, &path).get_profile_blocking(false, false, false);
    assert_eq!(response.status_code(), codes::TOKEN_STORE_FAILED);
    assert_eq!(
        response.error().unwrap().to_string(),
        format!(
            "token store failed: {}: the session was written by a newer version of the authing crate (format version 3; this one reads 2)",
            path.display()
        )
    );
    s.server.assert_no_request();
    let _ = fs::remove_dir_all(dir);
}

/// A store that cannot save.
struct FullDisk;

impl TokenStore for FullDisk {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        Ok(None)
    }
    fn save(&self, _: &Session) -> Result<(), TokenStoreError> {
        Err(TokenStoreError::new("disk full"))
    }
    fn clear(&self) -> Result<(), TokenStoreError> {
        Ok(())
    }
}

#[test]
fn a_store_that_cannot_save_makes_the_sign_in_10016_and_leaves_the_client_signed_out() {
    let s = refreshing_server(tokens(3600, true));
    let client = common::builder_at(s.server.base_url())
        .token_store(FullDisk)
        .build()
        .unwrap();
    let response = client.sign_in_by_user_name_password_blocking("mike", "passw0rd", None);
    assert_eq!(response.status_code(), codes::TOKEN_STORE_FAILED);
    assert_eq!(
        response.error().unwrap().to_string(),
        "token store failed: disk full"
    );
    match response.error() {
        Some(authing::AuthError::TokenStore(error)) => assert_eq!(error.reason(), "disk full"),
        other => panic!("not a token store error: {other:?}"),
    }
    assert!(client.get_token().is_none());
}

/// A store whose every save waits until the test lets it go, telling the test it has begun:
/// a keyring that prompts, a network store.
struct SlowStore {
    entered: Mutex<Sender<()>>,
    release: Mutex<Receiver<()>>,
}

impl TokenStore for SlowStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        Ok(None)
    }
    fn save(&self, _: &Session) -> Result<(), TokenStoreError> {
        let _ = self.entered.lock().unwrap().send(());
        let _ = self.release.lock().unwrap().recv_timeout(DEADLINE);
        Ok(())
    }
    fn clear(&self) -> Result<(), TokenStoreError> {
        Ok(())
    }
}

#[test]
fn reading_the_session_does_not_wait_for_a_slow_store_that_is_saving() {
    let s = refreshing_server(tokens(3600, true));
    let (entered_tx, entered) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let client = common::builder_at(s.server.base_url())
        .token_store(SlowStore {
            entered: Mutex::new(entered_tx),
            release: Mutex::new(release_rx),
        })
        .build()
        .unwrap();
    assert!(
        client.get_token().is_none(),
        "the store is read: nobody yet"
    );
    let (answers_tx, answers) = mpsc::channel();
    let _signing_in = client.sign_in_by_user_name_password("mike", "passw0rd", None, answers_tx);
    entered
        .recv_timeout(DEADLINE)
        .expect("the sign-in saves its session");
    // The store is busy saving. A GUI thread asking who is signed in gets its answer now,
    // not when the store returns: the session it sees is the one before the save.
    let reader = client.clone();
    let (read_tx, read) = mpsc::channel();
    thread::spawn(move || {
        let _ = read_tx.send((
            reader.get_token().is_some(),
            reader.get_current_user().is_some(),
        ));
    });
    let seen = read.recv_timeout(DEADLINE / 2);
    let _ = release.send(());
    assert_eq!(
        seen.expect("get_token waited for the store's save"),
        (false, false)
    );
    let answer: AuthResponse = answers.recv_timeout(DEADLINE).expect("the sign-in answers");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert!(
        client.get_token().is_some(),
        "signed in once the store saved"
    );
}
