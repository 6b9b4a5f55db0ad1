//! The emulator over https (`EmulatorConfig::tls`): the SDK trusts its throw-away CA, and
//! only it, and signs in; a client without the CA is refused by the TLS handshake.

use crate::common::{builder_at, client_at};
use authing::codes;
use authing::emulator::{Emulator, EmulatorConfig, NewUser};

const USERNAME: &str = "mike";
const PASSWORD: &str = "passw0rd-1";

fn tls_emulator() -> Emulator {
    let emu = Emulator::start_with(EmulatorConfig::default().tls(true)).expect("starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("the user");
    emu
}

#[test]
fn a_client_trusting_only_the_emulators_ca_signs_in_and_reads_the_profile_over_https() {
    let emu = tls_emulator();
    assert!(
        emu.base_url().starts_with("https://127.0.0.1:"),
        "{}",
        emu.base_url()
    );
    let ca = emu.ca_pem().expect("a tls emulator has a ca");
    let client = builder_at(emu.base_url())
        .root_certificates_pem(ca)
        .build()
        .expect("valid settings");
    let response = client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{}", response.message());
    let profile = client.get_profile_blocking(false, false, false);
    assert_eq!(profile.status_code(), 200, "{}", profile.message());
    let user = profile.user_info().expect("the user");
    assert_eq!(user.data()["username"], USERNAME);
}

#[test]
fn the_ca_from_a_pem_file_and_localhost_work_too() {
    let emu = tls_emulator();
    let path = std::env::temp_dir().join(format!(
        "authing-e2e-emulator-ca-{}-{}.pem",
        std::process::id(),
        emu.addr().port()
    ));
    emu.write_ca_pem(&path).expect("written");
    let client = builder_at(format!("https://localhost:{}", emu.addr().port()))
        .root_certificates_pem_file(&path)
        .build();
    let _ = std::fs::remove_file(&path);
    let client = client.expect("valid settings");
    let response = client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{}", response.message());
}

#[test]
fn a_client_without_the_ca_is_refused_by_the_tls_handshake() {
    let emu = tls_emulator();
    let before = emu.stats().requests;
    let client = client_at(emu.base_url());
    let response = client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
    let message = response.message().to_lowercase();
    assert!(
        message.contains("certificate") || message.contains("tls"),
        "a tls error: {message}"
    );
    assert_eq!(emu.stats().requests, before, "no request got through");
}

#[test]
fn a_plain_http_emulator_has_no_ca() {
    let emu = Emulator::start().expect("starts");
    assert!(emu.ca_pem().is_none());
    assert!(emu.base_url().starts_with("http://"));
}
