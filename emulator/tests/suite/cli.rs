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

/// A GET over TLS with `roots` as the only trusted CAs: the whole answer, or the error.
#[cfg(feature = "tls")]
fn https_get(addr: &str, host: &str, path: &str, roots: &[u8]) -> Result<String, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};
    use std::io::{Read, Write};
    use std::sync::Arc;

    let mut store = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(roots) {
        store
            .add(cert.map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(store)
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let tcp = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let port = addr.rsplit(':').next().unwrap();
    write!(
        tls,
        "GET {path} HTTP/1.1\r\nhost: {host}:{port}\r\nconnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    match tls.read_to_end(&mut out) {
        Ok(_) => {}
        // The emulator closes after the answer; what was read is the answer.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !out.is_empty() => {}
        Err(e) => return Err(e.to_string()),
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(feature = "tls")]
#[test]
fn with_tls_the_binary_serves_https_and_writes_its_ca_where_asked() {
    let dir =
        std::env::temp_dir().join(format!("authing-emulator-tls-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_out = dir.join("ca.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
        .args(["--listen", "127.0.0.1:0", "--tls", "--tls-name", "emu.test"])
        .arg("--tls-ca-out")
        .arg(&ca_out)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the binary");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let outcome = (|| {
        let first = lines
            .next()
            .ok_or("no first line")?
            .map_err(|e| e.to_string())?;
        let addr = first
            .strip_prefix("listening on https://")
            .ok_or_else(|| format!("unexpected first line {first:?}"))?
            .to_owned();
        let second = lines
            .next()
            .ok_or("no second line")?
            .map_err(|e| e.to_string())?;
        let path = ca_out.display().to_string();
        for hint in [
            "root_certificates_pem_file",
            "NODE_EXTRA_CA_CERTS",
            "REQUESTS_CA_BUNDLE",
            path.as_str(),
        ] {
            if !second.contains(hint) {
                return Err(format!("the tls line does not say {hint:?}: {second:?}"));
            }
        }
        let ca = std::fs::read(&ca_out).map_err(|e| e.to_string())?;
        let discovery = "/oidc/.well-known/openid-configuration";
        let answer = https_get(&addr, "127.0.0.1", discovery, &ca)?;
        if !answer.starts_with("HTTP/1.1 200") {
            return Err(format!("unexpected answer {answer:?}"));
        }
        let issuer = format!(
            "\"issuer\":\"https://127.0.0.1:{}/oidc\"",
            addr.rsplit(':').next().unwrap()
        );
        if !answer.contains(&issuer) {
            return Err(format!("no {issuer} in {answer:?}"));
        }
        // The names: localhost and the one given.
        for host in ["localhost", "emu.test"] {
            let answer = https_get(&addr, host, discovery, &ca)?;
            if !answer.contains(&format!("\"issuer\":\"https://{host}:")) {
                return Err(format!("{host}: unexpected answer {answer:?}"));
            }
        }
        // Without the CA the handshake fails.
        match https_get(&addr, "127.0.0.1", discovery, b"") {
            Err(e) if e.to_lowercase().contains("certificate") => {}
            other => return Err(format!("an untrusted client was not refused: {other:?}")),
        }
        // Plain http to the https port gets no answer.
        let plain = agent()
            .get(format!(
                "http://{addr}/oidc/.well-known/openid-configuration"
            ))
            .call();
        if plain.is_ok() {
            return Err("plain http was answered".to_owned());
        }
        Ok(())
    })();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    outcome.unwrap();
}

#[test]
fn tls_flags_without_tls_stop_the_binary_with_status_2() {
    for args in [
        ["--tls-ca-out", "/tmp/never.pem"],
        ["--tls-name", "emu.test"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_authing-emulator"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("need --tls"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
