//! The disk cache of the public config and keys (`AuthClientBuilder::public_config_cache`,
//! issue 24 item 4): a second program start (a new client with the same file) skips
//! discovery and `GET /api/v3/system`; a file of another app or host, past its age or
//! corrupt is ignored and replaced; the file holds no secret. Counted through the
//! recording proxy.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::proxy::{Exchange, Proxy};
use authing::emulator::{Emulator, NewUser};
use authing::{AuthClient, AuthOptions, PasswordEncryptType};
use serde_json::{json, Value};

const EMAIL: &str = "cached@example.com";
const PASSWORD: &str = "cache-passw0rd";
/// The SM2 base point G: a valid public key whose private key the emulator lacks.
const SM2_G: &str = "0432c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7\
                     bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";

fn emulator() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_email(EMAIL, PASSWORD))
        .expect("a user");
    emu
}

/// A fresh directory for one test's cache file.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "authing-e2e-config-cache-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A client as a program start makes it: discovering through `proxy`, caching in `file`.
fn started(emu: &Emulator, proxy: &Proxy, file: &Path) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .host(proxy.base_url())
        .public_config_cache(file)
        .build()
        .expect("valid settings")
}

fn encrypted(kind: PasswordEncryptType) -> AuthOptions {
    let mut options = AuthOptions::new();
    options.set_password_encrypt_type(kind);
    options
}

fn count(log: &[Exchange], what: &str) -> usize {
    log.iter().filter(|x| x.line().contains(what)).count()
}

/// Signs in with `kind` on a new client (a program start); the requests it took.
fn program_start(emu: &Emulator, proxy: &Proxy, file: &Path, kind: PasswordEncryptType) {
    let client = started(emu, proxy, file);
    let signed_in = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, encrypted(kind));
    assert!(signed_in.is_success(), "{}", signed_in.message());
    // The full profile follows the sign-in on a worker: waited for, so it lands in this
    // start's requests and not in the next step's.
    crate::common::full_profile(&client);
}

fn read(file: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(file).expect("the cache file")).expect("json")
}

#[test]
fn a_second_program_start_skips_discovery_and_the_key_fetch_and_the_file_holds_no_secret() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let dir = scratch("second-start");
    let file = dir.join("public-config.json");

    let first = started(&emu, &proxy, &file);
    let signed_in = first.sign_in_by_email_password_blocking(
        EMAIL,
        PASSWORD,
        encrypted(PasswordEncryptType::rsa),
    );
    assert!(signed_in.is_success(), "{}", signed_in.message());
    crate::common::full_profile(&first);
    let log = proxy.take();
    assert_eq!(count(&log, "/public-config"), 1);
    assert_eq!(count(&log, "/api/v3/system"), 1);

    let cached = read(&file);
    assert_eq!(cached["format"], 1);
    assert_eq!(cached["appId"], emu.app_id());
    assert_eq!(cached["host"], proxy.base_url());
    assert!(cached["publicConfig"]["fetchedAt"].as_u64().unwrap() > 0);
    assert!(cached["publicKeys"]["rsa"]
        .as_str()
        .unwrap()
        .contains("PUBLIC KEY"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "owner-only");
    }
    let text = fs::read_to_string(&file).unwrap();
    let tokens = first.get_token().expect("signed in");
    let user = first.get_current_user().expect("signed in");
    let mut secrets = vec![
        PASSWORD.to_string(),
        EMAIL.to_string(),
        tokens.access_token().to_string(),
        user.user_id().to_string(),
    ];
    secrets.extend(tokens.refresh_token().map(str::to_string));
    secrets.extend(tokens.id_token().map(str::to_string));
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "the file holds {secret}");
    }
    for word in ["token", "password", "secret", "privateKey"] {
        assert!(
            !text.to_lowercase().contains(&word.to_lowercase()),
            "{word}: {text}"
        );
    }

    // The next program start: no discovery, no key fetch, the sign-in alone (and, for
    // now, the profile the session starts with).
    program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
    let log = proxy.take();
    assert_eq!(count(&log, "/public-config"), 0, "{log:?}");
    assert_eq!(count(&log, "/api/v3/system"), 0);
    assert_eq!(count(&log, "POST /api/v3/signin"), 1);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_of_another_app_or_host_past_its_age_or_corrupt_is_fetched_again_and_replaced() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let dir = scratch("ignored");
    let file = dir.join("public-config.json");
    program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
    proxy.take();
    let good = read(&file);

    let two_days_ago = good["publicConfig"]["fetchedAt"].as_u64().unwrap() - 2 * 86_400;
    let mut other_app = good.clone();
    other_app["appId"] = json!("another-app");
    let mut other_host = good.clone();
    other_host["host"] = json!("https://console.authing.cn");
    let mut expired = good.clone();
    expired["publicConfig"]["fetchedAt"] = json!(two_days_ago);
    expired["publicKeys"]["fetchedAt"] = json!(two_days_ago);
    let mut other_format = good.clone();
    other_format["format"] = json!(2);
    let cases: [(&str, Vec<u8>); 6] = [
        ("another app", other_app.to_string().into_bytes()),
        ("another host", other_host.to_string().into_bytes()),
        ("past its age", expired.to_string().into_bytes()),
        ("another format", other_format.to_string().into_bytes()),
        ("corrupt", b"{\"format\": 1, \"appId\": ".to_vec()),
        ("not text", vec![0xff, 0xfe, 0x00, 0x01]),
    ];
    for (case, bytes) in cases {
        fs::write(&file, bytes).unwrap();
        program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
        let log = proxy.take();
        assert_eq!(count(&log, "/public-config"), 1, "{case}");
        assert_eq!(count(&log, "/api/v3/system"), 1, "{case}");
        let replaced = read(&file);
        assert_eq!(replaced["appId"], emu.app_id(), "{case}");
        assert_eq!(replaced["host"], proxy.base_url(), "{case}");
        assert_eq!(replaced["format"], 1, "{case}");
        assert!(
            replaced["publicConfig"]["fetchedAt"].as_u64().unwrap() > two_days_ago,
            "{case}"
        );
    }

    // Only the keys past their age: the config is used, the keys fetched again.
    let mut keys_expired = read(&file);
    keys_expired["publicKeys"]["fetchedAt"] = json!(two_days_ago);
    fs::write(&file, keys_expired.to_string()).unwrap();
    program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
    let log = proxy.take();
    assert_eq!(
        (count(&log, "/public-config"), count(&log, "/api/v3/system")),
        (0, 1)
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_cached_key_the_server_rejects_is_fetched_again_and_replaced_on_disk() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let dir = scratch("rejected-key");
    let file = dir.join("public-config.json");
    program_start(&emu, &proxy, &file, PasswordEncryptType::sm2);
    proxy.take();
    let real = read(&file)["publicKeys"]["sm2"].clone();
    assert!(real.is_string());

    // The server's key changed since the file was written.
    let mut stale = read(&file);
    stale["publicKeys"]["sm2"] = json!(SM2_G);
    fs::write(&file, stale.to_string()).unwrap();
    program_start(&emu, &proxy, &file, PasswordEncryptType::sm2);
    let lines: Vec<String> = proxy.take().iter().map(Exchange::line).collect();
    assert_eq!(
        &lines[..3],
        [
            "POST /api/v3/signin",
            "GET /api/v3/system",
            "POST /api/v3/signin"
        ],
        "rejected, fetched once, sent again"
    );
    assert_eq!(
        read(&file)["publicKeys"]["sm2"],
        real,
        "the fresh key replaced the stale one"
    );

    // And the start after that uses it at once.
    program_start(&emu, &proxy, &file, PasswordEncryptType::sm2);
    let log = proxy.take();
    assert_eq!(count(&log, "/api/v3/system"), 0);
    assert_eq!(count(&log, "POST /api/v3/signin"), 1);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_warm_up_with_the_cache_skips_discovery_and_opens_the_connection_with_the_keys() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let dir = scratch("warm");
    let file = dir.join("public-config.json");
    program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
    proxy.take();
    let before = proxy.connections();

    let client = started(&emu, &proxy, &file);
    let warmed = client.warm_up_blocking();
    assert!(warmed.is_success(), "{}", warmed.message());
    let log = proxy.take();
    assert_eq!(
        log.iter().map(Exchange::line).collect::<Vec<_>>(),
        ["GET /api/v3/system"],
        "no discovery; the cached keys are fetched again only to open the connection"
    );
    let signed_in = client.sign_in_by_email_password_blocking(
        EMAIL,
        PASSWORD,
        encrypted(PasswordEncryptType::rsa),
    );
    assert!(signed_in.is_success(), "{}", signed_in.message());
    crate::common::full_profile(&client);
    assert_eq!(count(&proxy.take(), "/api/v3/system"), 0);
    assert_eq!(
        proxy.connections(),
        before + 1,
        "one connection for the new client"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_unwritable_cache_never_fails_a_call() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let dir = scratch("unwritable");
    // A directory where the file should be: it can be neither read nor replaced.
    let file = dir.join("public-config.json");
    fs::create_dir_all(&file).unwrap();
    program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
    program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
    let log = proxy.take();
    assert_eq!(count(&log, "/public-config"), 2, "nothing was cached");
    assert!(file.is_dir());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_cached_api_host_that_cannot_be_reached_is_forgotten_and_discovered_again() {
    let emu = emulator();
    let proxy = Proxy::start(emu.addr());
    let dir = scratch("unreachable-host");
    let file = dir.join("public-config.json");
    program_start(&emu, &proxy, &file, PasswordEncryptType::rsa);
    // The cached config now names an API host where nothing listens (a moved app).
    let mut cached = read(&file);
    let moved = "http://127.0.0.1:1";
    cached["publicConfig"]["data"]["requestHostname"] = json!(moved);
    fs::write(&file, cached.to_string()).unwrap();
    proxy.take();

    let client = started(&emu, &proxy, &file);
    let options = encrypted(PasswordEncryptType::rsa);
    let failed = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, options.clone());
    assert!(!failed.is_success());
    assert_eq!(failed.status_code(), 10001, "{}", failed.message());
    assert_eq!(
        count(&proxy.take(), "/public-config"),
        0,
        "the cache answered"
    );
    assert!(
        read(&file).get("publicConfig").is_none(),
        "the config is forgotten on disk: {}",
        read(&file)
    );
    assert!(read(&file).get("publicKeys").is_some(), "the keys stay");

    // The next call discovers again, once, and signs in.
    let signed_in = client.sign_in_by_email_password_blocking(EMAIL, PASSWORD, options);
    assert!(signed_in.is_success(), "{}", signed_in.message());
    crate::common::full_profile(&client);
    assert_eq!(count(&proxy.take(), "/public-config"), 1);
    let host = read(&file)["publicConfig"]["data"]["requestHostname"].clone();
    assert_ne!(
        host,
        json!(moved),
        "the file holds the discovered host again"
    );
    let _ = fs::remove_dir_all(&dir);
}
