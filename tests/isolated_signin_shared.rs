//! `AuthClient::new()` per call, as Java code does `new AuthClient()`: every such client of
//! the app shares the session signed in on the emulator. One test, in a binary of its own,
//! since it sets process-wide `Authing::` settings.
mod common;

use std::sync::mpsc;

use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthClient, AuthResponse, Authing};
use common::DEADLINE;

#[test]
fn every_auth_client_new_of_the_app_shares_the_session_signed_in_on_the_emulator() {
    Authing::reset();
    let emu = Emulator::start().expect("the emulator starts");
    let user_id = emu
        .add_user(NewUser::with_username("mike", "passw0rd-1").nickname("Mike"))
        .expect("a user");
    Authing::init(emu.app_id());
    Authing::set_app_host(emu.base_url());

    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let _ = AuthClient::new().sign_in_by_account_password("mike", "passw0rd-1", None, tx.clone());
    let signed_in = rx.recv_timeout(DEADLINE).expect("the sign-in's callback");
    assert_eq!(signed_in.status_code(), 200, "{}", signed_in.message());

    // Another `new()` sees the user, and lends its token to a call that needs one.
    assert_eq!(
        AuthClient::new()
            .get_current_user()
            .map(|u| u.user_id().to_string()),
        Some(user_id.clone())
    );
    let _ = AuthClient::new().get_profile(false, false, false, tx.clone());
    let profile = rx.recv_timeout(DEADLINE).expect("the profile's callback");
    assert_eq!(profile.user_info().unwrap().nickname(), Some("Mike"));

    // A client made with the builder keeps a session of its own.
    let built = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap();
    assert!(built.get_current_user().is_none());
    assert_eq!(
        built
            .get_profile_blocking(false, false, false)
            .status_code(),
        codes::NOT_SIGNED_IN
    );

    // A logout through yet another `new()` signs every one of them out.
    let _ = AuthClient::new().logout(tx);
    let logout = rx.recv_timeout(DEADLINE).expect("the logout's callback");
    assert_eq!(logout.data().unwrap()["revoked"], true);
    assert!(AuthClient::new().get_current_user().is_none());
    let state = emu.user_state(user_id.as_str()).unwrap();
    assert_eq!((state.access_tokens, state.refresh_tokens), (0, 0));
    Authing::reset();
}
