//! The state file (`EmulatorConfig::state_file`, `--state FILE`): what a restart on the
//! same file keeps, what files are refused, and how the file is written.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use authing_emulator::{Emulator, EmulatorConfig, FactorType, NewUser};
use serde_json::{json, Value};

use crate::common::agent;

const PASSWORD: &str = "secret-123";
const SCOPE: &str = "openid profile email phone username offline_access";
/// How long the binary may take to start (or to stop, refusing its state file).
const START: Duration = Duration::from_secs(30);

/// A fresh folder of this test's own, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "authing-emulator-state-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self) -> PathBuf {
        self.0.join("state.json")
    }

    /// The names of the files in the folder, sorted.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Sends a request; `(HTTP status, JSON body)`.
fn call(
    emu: &Emulator,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<(&str, String)>,
) -> (u16, Value) {
    let url = format!("{}{path}", emu.base_url());
    let authorization = bearer.map(|token| format!("Bearer {token}"));
    let mut res = if method == "GET" {
        let mut req = agent()
            .get(&url)
            .header("x-authing-app-id", emu.app_id())
            .header("x-authing-lang", "en-US");
        if let Some(value) = &authorization {
            req = req.header("authorization", value);
        }
        req.call()
    } else {
        let (content_type, body) = body.unwrap_or(("application/json", "{}".to_owned()));
        let mut req = agent()
            .post(&url)
            .header("x-authing-app-id", emu.app_id())
            .header("x-authing-lang", "en-US")
            .header("content-type", content_type);
        if let Some(value) = &authorization {
            req = req.header("authorization", value);
        }
        req.send(body)
    }
    .expect("http");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("read body");
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not json ({e}): {text}"));
    (status, json)
}

fn post_json(emu: &Emulator, path: &str, bearer: Option<&str>, body: Value) -> Value {
    let (status, json) = call(
        emu,
        "POST",
        path,
        bearer,
        Some(("application/json", body.to_string())),
    );
    assert_eq!(status, 200, "{path}: {json}");
    json
}

fn sign_in(emu: &Emulator, username: &str) -> (String, String) {
    let reply = post_json(
        emu,
        "/api/v3/signin",
        None,
        json!({
            "connection": "PASSWORD",
            "passwordPayload": {"username": username, "password": PASSWORD},
            "options": {"scope": SCOPE},
        }),
    );
    assert_eq!(reply["statusCode"], 200, "{reply}");
    let data = &reply["data"];
    (
        data["access_token"].as_str().unwrap().to_owned(),
        data["refresh_token"].as_str().unwrap().to_owned(),
    )
}

fn clock_offset(emu: &Emulator) -> u64 {
    let (status, clock) = call(emu, "GET", "/emulator/v1/clock", None, None);
    assert_eq!(status, 200, "{clock}");
    clock["offsetSeconds"].as_u64().unwrap()
}

#[test]
fn a_restart_on_the_same_file_keeps_users_sessions_factors_codes_and_the_clock() {
    let dir = TempDir::new("round-trip");
    let config = EmulatorConfig::default().state_file(dir.file());

    let first = Emulator::start_with(config.clone()).unwrap();
    let signed_up = post_json(
        &first,
        "/api/v3/signup",
        None,
        json!({
            "connection": "PASSWORD",
            "passwordPayload": {"username": "bob", "password": PASSWORD},
            "profile": {"nickname": "Bobby"},
        }),
    );
    assert_eq!(signed_up["statusCode"], 200, "{signed_up}");
    let (access, refresh) = sign_in(&first, "bob");
    // An EMAIL factor, enrolled over HTTP with the code the emulator sent.
    let enrol = post_json(
        &first,
        "/api/v3/send-enroll-factor-request",
        Some(&access),
        json!({"factorType": "EMAIL", "profile": {"email": "bob-mfa@example.com"}}),
    );
    assert_eq!(enrol["statusCode"], 200, "{enrol}");
    let token = enrol["data"]["enrollmentToken"].as_str().unwrap();
    let code = first.latest_code("bob-mfa@example.com").unwrap();
    let enrolled = post_json(
        &first,
        "/api/v3/enroll-factor",
        Some(&access),
        json!({"factorType": "EMAIL", "enrollmentToken": token,
               "enrollmentData": {"passCode": code}}),
    );
    assert_eq!(enrolled["statusCode"], 200, "{enrolled}");
    // A pending reset code, and a clock moved forward.
    first
        .add_user(NewUser::with_email("erin@example.com", PASSWORD))
        .unwrap();
    let sent = post_json(
        &first,
        "/api/v3/send-email",
        None,
        json!({"email": "erin@example.com", "channel": "CHANNEL_RESET_PASSWORD"}),
    );
    assert_eq!(sent["statusCode"], 200, "{sent}");
    let reset_code = first.latest_code("erin@example.com").unwrap();
    first.advance_clock(Duration::from_secs(100));
    let old_url = first.base_url();
    drop(first);

    let second = Emulator::start_with(config).unwrap();
    assert_ne!(second.base_url(), old_url, "a new port, the same state");
    assert!(second.check_password("bob", PASSWORD));
    assert_eq!(clock_offset(&second), 100);
    let (status, me) = call(&second, "GET", "/oidc/me", Some(&access), None);
    assert_eq!(status, 200, "{me}");
    assert_eq!(
        me["sub"],
        second.user_state("bob").unwrap().user_id.as_str()
    );
    let (status, profile) = call(&second, "GET", "/api/v3/get-profile", Some(&access), None);
    assert_eq!(
        (status, &profile["statusCode"]),
        (200, &json!(200)),
        "{profile}"
    );
    assert_eq!(profile["data"]["nickname"], "Bobby");
    let factors = second.mfa_factors("bob");
    assert_eq!(factors.len(), 1);
    assert_eq!(factors[0].factor_type, FactorType::EMAIL);
    assert_eq!(second.latest_code("erin@example.com"), Some(reset_code));
    let form = format!(
        "grant_type=refresh_token&client_id={}&refresh_token={refresh}",
        second.app_id()
    );
    let (status, tokens) = call(
        &second,
        "POST",
        "/oidc/token",
        None,
        Some(("application/x-www-form-urlencoded", form)),
    );
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["access_token"].is_string());
}

#[test]
fn files_that_are_not_the_emulators_are_refused_at_start_and_left_alone() {
    let dir = TempDir::new("foreign");
    let file = dir.file();
    let cases = [
        ("not json at all", "it is not json"),
        ("[1, 2]", "it is not a json object"),
        (
            r#"{"users": []}"#,
            r#"it has no "format": "authing-emulator-state""#,
        ),
        (
            r#"{"format": "authing-emulator-state", "version": 2, "appId": "demo-app"}"#,
            "of format version 2; this emulator reads version 1 only",
        ),
        (
            r#"{"format": "authing-emulator-state", "version": 1, "appId": "other-app"}"#,
            r#"holds the state of app id "other-app", not of "demo-app""#,
        ),
        (
            r#"{"format": "authing-emulator-state", "version": 1, "appId": "demo-app",
                "state": {"users": 7}}"#,
            "its state cannot be read",
        ),
    ];
    for (text, why) in cases {
        std::fs::write(&file, text).unwrap();
        let err = Emulator::start_with(EmulatorConfig::default().state_file(&file)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{text}");
        let message = err.to_string();
        assert!(message.contains(why), "{text}: {message}");
        let name = file.to_string_lossy();
        assert!(message.contains(&*name), "{message}");
        let words = message.replace(&*name, "");
        assert_eq!(words, words.to_lowercase(), "lowercase: {message}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text, "left alone");
    }
}

#[test]
fn the_file_is_written_whole_with_its_marker_mode_0600_and_no_temp_file_left() {
    let dir = TempDir::new("atomic");
    let file = dir.file();
    assert!(!file.exists());
    let emu = Emulator::start_with(EmulatorConfig::default().state_file(&file)).unwrap();
    // A missing file is a fresh state, written at start.
    assert!(file.exists());
    for i in 0..20 {
        emu.add_user(NewUser::with_username(format!("user-{i}"), PASSWORD))
            .unwrap();
    }
    let text = std::fs::read_to_string(&file).unwrap();
    let saved: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(saved["format"], "authing-emulator-state");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["appId"], "demo-app");
    assert!(text.contains("user-19"), "every change is written");
    assert!(
        !text.contains(PASSWORD),
        "passwords are kept as hashes only"
    );
    assert_eq!(dir.names(), vec!["state.json".to_owned()]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    drop(emu);
    assert_eq!(dir.names(), vec!["state.json".to_owned()]);
}

#[test]
fn a_state_file_in_a_missing_folder_fails_at_start() {
    let dir = TempDir::new("missing-folder");
    let file = dir.0.join("no-such-folder").join("state.json");
    let err = Emulator::start_with(EmulatorConfig::default().state_file(&file)).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("cannot write the state file {}: ", file.display())),
        "{message}"
    );
    let words = message.replace(&*file.to_string_lossy(), "");
    assert_eq!(words, words.to_lowercase(), "lowercase: {message}");
}

#[test]
fn changes_from_many_threads_at_once_all_reach_the_file() {
    let dir = TempDir::new("threads");
    let config = EmulatorConfig::default().state_file(dir.file());
    let emu = Emulator::start_with(config.clone()).unwrap();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let emu = &emu;
            scope.spawn(move || {
                for i in 0..5 {
                    emu.add_user(NewUser::with_username(format!("u{t}-{i}"), PASSWORD))
                        .unwrap();
                }
            });
        }
    });
    drop(emu);
    let again = Emulator::start_with(config).unwrap();
    assert_eq!(again.users().len(), 40, "the last write holds every change");
    assert_eq!(dir.names(), vec!["state.json".to_owned()]);
}

#[test]
fn configured_users_join_a_saved_state_once_and_a_reset_is_saved_too() {
    let dir = TempDir::new("configured");
    let config = EmulatorConfig::default()
        .state_file(dir.file())
        .user(NewUser::with_username("alice", PASSWORD));
    let first = Emulator::start_with(config.clone()).unwrap();
    first
        .add_user(NewUser::with_username("carol", PASSWORD))
        .unwrap();
    drop(first);
    // alice is in the file already: starting again with her configured is no conflict.
    let second = Emulator::start_with(config.clone()).unwrap();
    assert!(second.check_password("alice", PASSWORD));
    assert!(second.check_password("carol", PASSWORD));
    second.reset();
    drop(second);
    let third = Emulator::start_with(config).unwrap();
    assert!(third.check_password("alice", PASSWORD));
    assert!(
        !third.check_password("carol", PASSWORD),
        "the reset was saved"
    );
}

/// The binary with `args`, its stdout lines on a channel.
fn spawn(args: &[&str], state: &Path) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(args)
        .arg("--state")
        .arg(state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the binary");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// The base URL from the binary's first line.
fn base_url(rx: &mpsc::Receiver<String>) -> Result<String, String> {
    let first = rx
        .recv_timeout(START)
        .map_err(|e| format!("no first line: {e}"))?;
    first
        .strip_prefix("listening on ")
        .map(str::to_owned)
        .ok_or_else(|| format!("unexpected first line {first:?}"))
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_binary_keeps_its_state_in_the_file_given_by_state_across_a_kill() {
    let dir = TempDir::new("cli");
    let file = dir.file();
    let args = ["--listen", "127.0.0.1:0", "--quiet-codes"];
    let (child, rx) = spawn(&args, &file);
    let added = (|| {
        let base = base_url(&rx)?;
        let mut res = agent()
            .post(format!("{base}/emulator/v1/users"))
            .header("content-type", "application/json")
            .send(json!({"username": "dave", "password": PASSWORD}).to_string())
            .map_err(|e| e.to_string())?;
        let text = res.body_mut().read_to_string().map_err(|e| e.to_string())?;
        (res.status() == 200)
            .then_some(())
            .ok_or_else(|| format!("add user: {text}"))
    })();
    // Killed, not stopped: what was answered is already in the file.
    stop(child);
    added.unwrap();

    let (child, rx) = spawn(&args, &file);
    let checked = (|| {
        let base = base_url(&rx)?;
        let mut res = agent()
            .get(format!("{base}/emulator/v1/users/dave"))
            .call()
            .map_err(|e| e.to_string())?;
        let text = res.body_mut().read_to_string().map_err(|e| e.to_string())?;
        serde_json::from_str::<Value>(&text).map_err(|e| format!("{e}: {text}"))
    })();
    stop(child);
    let dave = checked.unwrap();
    assert_eq!(dave["username"], "dave", "{dave}");
}

#[test]
fn the_binary_refuses_a_state_file_of_another_app_and_says_why() {
    let dir = TempDir::new("cli-foreign");
    let file = dir.file();
    let other = r#"{"format": "authing-emulator-state", "version": 1, "appId": "other-app"}"#;
    std::fs::write(&file, other).unwrap();
    let (mut child, _rx) = spawn(&["--listen", "127.0.0.1:0"], &file);
    // Its standard error ends when it exits: read it on a thread, wait with a deadline.
    let mut err = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        let _ = tx.send(text);
    });
    let Ok(stderr) = rx.recv_timeout(START) else {
        stop(child);
        panic!("the binary went on serving with another app's state file");
    };
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert!(
        stderr.contains(r#"holds the state of app id "other-app", not of "demo-app""#),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), other);
}

#[test]
fn the_binary_help_names_the_state_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("--state FILE"));
}
