//! The `authing-emulator` binary: its first line, the codes it prints, and `--help`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::calls::*;
use crate::common::agent;

#[test]
fn the_binary_prints_listening_on_and_each_code() {
    let dir = std::env::temp_dir().join(format!("authing-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let users = dir.join("users.json");
    std::fs::write(
        &users,
        r#"[{"phoneNumber":"18812345678","password":"secret-1"}]"#,
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(["--listen", "127.0.0.1:0", "--app-id", "demo", "--users"])
        .arg(&users)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
    let first = rx.recv_timeout(Duration::from_secs(30));
    let outcome = (|| {
        let first = first.map_err(|e| format!("no first line: {e}"))?;
        let base = first
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("unexpected first line {first:?}"))?
            .to_owned();
        let v: Value = answer(
            agent()
                .post(format!("{base}/api/v3/send-sms"))
                .header("x-authing-app-id", "demo")
                .send_json(json!({"phoneNumber": PHONE, "channel": "CHANNEL_RESET_PASSWORD"}))
                .map_err(|e| e.to_string())?,
        )
        .json();
        if v["statusCode"] != 200 {
            return Err(format!("send failed: {v}"));
        }
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|e| e.to_string())?;
        if !line.starts_with("code: CHANNEL_RESET_PASSWORD +8618812345678 ") {
            return Err(format!("unexpected code line {line:?}"));
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    outcome.unwrap();
}

#[test]
fn the_binary_prints_usage_on_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("usage: authing-emulator"));
}

#[test]
fn the_binary_refuses_a_non_loopback_address_without_an_admin_token() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(["--listen", "0.0.0.0:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Its standard error ends when it exits: read it on a thread, wait with a deadline.
    let mut err = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut text);
        let _ = tx.send(text);
    });
    let Ok(stderr) = rx.recv_timeout(Duration::from_secs(30)) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the binary went on serving 0.0.0.0 without an admin token");
    };
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert!(stderr.contains("--admin-token"), "{stderr}");
    assert!(stderr.contains("not a loopback address"), "{stderr}");
}

#[test]
fn with_an_admin_token_the_binary_says_how_to_call_the_admin_api() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(["--listen", "0.0.0.0:0", "--admin-token", "tok-123"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
    let outcome = (|| {
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|e| e.to_string())?;
        let port = first
            .rsplit(':')
            .next()
            .ok_or_else(|| format!("unexpected first line {first:?}"))?
            .to_owned();
        let second = rx
            .recv_timeout(Duration::from_secs(30))
            .map_err(|e| e.to_string())?;
        if !second.contains("Authorization: Bearer") || second.contains("tok-123") {
            return Err(format!("unexpected second line {second:?}"));
        }
        let url = format!("http://127.0.0.1:{port}/emulator/v1/stats");
        let without = agent().get(&url).call().map_err(|e| e.to_string())?;
        let with = agent()
            .get(&url)
            .header("authorization", "Bearer tok-123")
            .call()
            .map_err(|e| e.to_string())?;
        match (without.status().as_u16(), with.status().as_u16()) {
            (401, 200) => Ok(()),
            other => Err(format!("statuses {other:?}")),
        }
    })();
    let _ = child.kill();
    let _ = child.wait();
    outcome.unwrap();
}
