//! TLS as users pay it (issue 24, item 4), counted by the https emulator: living clients
//! of the process with the same transport settings share one agent, so a second client
//! takes the idle connection the first left (no handshake at all), and a client that must
//! connect again resumes the TLS session instead of a full handshake. A client that trusts
//! other roots shares nothing; the agent goes with the last client that uses it.

use crate::common::{builder_at, client_at, until};
use authing::emulator::{Emulator, EmulatorConfig, EmulatorStats, NewUser};
use authing::{codes, AuthClient, Lang};

const USERNAME: &str = "mike";
const PASSWORD: &str = "passw0rd-1";

fn tls_emulator() -> Emulator {
    let emu = Emulator::start_with(EmulatorConfig::default().tls(true)).expect("starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("the user");
    emu
}

/// A client trusting only the emulator's CA (each emulator has its own: so the test's
/// clients share an agent with each other and with no other test's).
fn trusting(emu: &Emulator) -> authing::AuthClientBuilder {
    builder_at(emu.base_url()).root_certificates_pem(emu.ca_pem().expect("a tls emulator"))
}

fn signs_in(client: &AuthClient) {
    let response = client.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{}", response.message());
    // The full profile follows the sign-in on a worker, on the connection the sign-in
    // left idle: waited for, so the next step finds that connection idle again (and the
    // emulator's counts hold the whole sign-in).
    crate::common::full_profile(client);
}

/// (TLS connections, full handshakes, resumed handshakes).
fn handshakes(stats: EmulatorStats) -> (u64, u64, u64) {
    (
        stats.tls_connections,
        stats.full_handshakes,
        stats.resumed_handshakes,
    )
}

/// Closes the connection the emulator holds for the clients, once it waits for its next
/// request (the emulator marks it so just after it wrote the last answer).
fn close_the_idle_connection(emu: &Emulator) {
    until("an idle connection to close", || {
        emu.close_idle_connections() > 0
    });
}

#[test]
fn a_second_client_of_the_app_takes_the_first_ones_idle_connection_without_a_handshake() {
    let emu = tls_emulator();
    let first = trusting(&emu).build().expect("valid settings");
    signs_in(&first);
    // What only the requests carry (language, extra headers) does not split the pool:
    // `AuthClient::new()` makes these two different clients too.
    let second = trusting(&emu)
        .lang(Lang::EnUs)
        .header("x-caller", "second")
        .build()
        .expect("valid settings");
    signs_in(&second);
    signs_in(&second);
    let stats = emu.stats();
    assert_eq!(handshakes(stats), (1, 1, 0), "{stats:?}");
    assert_eq!(stats.connections, 1, "{stats:?}");
    drop(first);
}

#[test]
fn once_the_last_client_of_the_settings_is_gone_its_connection_goes_too() {
    let emu = tls_emulator();
    signs_in(&trusting(&emu).build().expect("valid settings"));
    // No client holds the agent any more: its idle connection was closed with it, so a
    // new client connects again (no process-wide cache outlives the clients).
    signs_in(&trusting(&emu).build().expect("valid settings"));
    let stats = emu.stats();
    assert_eq!(stats.connections, 2, "{stats:?}");
    assert_eq!(handshakes(stats), (2, 2, 0), "{stats:?}");
}

#[test]
fn a_client_that_connects_again_resumes_the_tls_session_another_client_made() {
    let emu = tls_emulator();
    let first = trusting(&emu).build().expect("valid settings");
    signs_in(&first);
    assert_eq!(handshakes(emu.stats()), (1, 1, 0));
    close_the_idle_connection(&emu);
    let second = trusting(&emu).build().expect("valid settings");
    signs_in(&second);
    assert_eq!(handshakes(emu.stats()), (2, 1, 1), "{:?}", emu.stats());
    // And the first, after the server closed again, resumes too.
    close_the_idle_connection(&emu);
    signs_in(&first);
    assert_eq!(handshakes(emu.stats()), (3, 1, 2), "{:?}", emu.stats());
}

#[test]
fn a_client_with_other_roots_shares_neither_the_connection_nor_the_session() {
    let emu = tls_emulator();
    let trusting_client = trusting(&emu).build().expect("valid settings");
    signs_in(&trusting_client);
    let requests = emu.stats().requests;
    // Mozilla's roots: it may not borrow the idle connection the trusting client left,
    // nor resume its session, so its own handshake fails on the certificate.
    let other = client_at(emu.base_url());
    let response = other.sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(response.status_code(), codes::NETWORK_ERROR, "{response:?}");
    let stats = emu.stats();
    assert_eq!(
        stats.requests, requests,
        "no request got through: {stats:?}"
    );
    assert_eq!(handshakes(stats), (1, 1, 0), "{stats:?}");
    // The trusting client still has its connection.
    signs_in(&trusting_client);
    assert_eq!(handshakes(emu.stats()), (1, 1, 0));
}
