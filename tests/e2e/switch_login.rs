//! Switch login, end to end: an administrator links a public account (the shop's front
//! desk) to a user; signed in, the user lists it, switches to it (the session becomes the
//! front desk's: its profile, its bearer on the next calls) and back; an account the user
//! is not linked to is refused and leaves the session as it was.

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthClient, AuthResponse};

const PASSWORD: &str = "secret-123";

struct World {
    emu: Emulator,
    alice: String,
    desk: String,
    stockroom: String,
}

/// alice and bob, the front desk linked to alice, and a stockroom account linked to bob.
fn world() -> World {
    let emu = Emulator::start().expect("the emulator starts");
    let alice = emu
        .add_user(NewUser::with_username("alice", PASSWORD))
        .expect("alice");
    emu.add_user(NewUser::with_username("bob", PASSWORD))
        .expect("bob");
    emu.add_user(NewUser::with_username("front-desk", "desk-secret-1"))
        .expect("the desk");
    emu.add_user(NewUser::with_username("stockroom", "stock-secret-1"))
        .expect("the stockroom");
    let desk = emu
        .link_public_account("front-desk", "alice")
        .expect("linked");
    let stockroom = emu.link_public_account("stockroom", "bob").expect("linked");
    World {
        emu,
        alice,
        desk,
        stockroom,
    }
}

fn client_of(emu: &Emulator) -> AuthClient {
    AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .expect("valid settings")
}

fn signed_in_as_alice(emu: &Emulator) -> AuthClient {
    let client = client_of(emu);
    let response = client.sign_in_by_user_name_password_blocking("alice", PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    client
}

#[test]
fn a_user_lists_the_public_accounts_linked_to_them_and_no_others() {
    let w = world();
    let client = signed_in_as_alice(&w.emu);
    let list = client
        .list_public_accounts_for_switch_logged_in_blocking(true)
        .public_account_list()
        .unwrap();
    let ids: Vec<&str> = list.public_accounts().iter().map(|a| a.user_id()).collect();
    assert_eq!(ids, [w.desk.as_str()]);
    let desk = &list.public_accounts()[0];
    assert_eq!(desk.display_name(), Some("front-desk"));
    assert!(desk.is_public_account());
    let me = list.origin_user().expect("asked for");
    assert_eq!(me.user_id(), w.alice);
    assert!(!me.is_public_account());
    let without = client
        .list_public_accounts_for_switch_logged_in_blocking(false)
        .public_account_list()
        .unwrap();
    assert!(without.origin_user().is_none());
    assert!(!ids.contains(&w.stockroom.as_str()));
}

#[test]
fn a_switch_makes_the_session_the_public_accounts_and_a_switch_back_makes_it_the_users_again() {
    let w = world();
    let client = signed_in_as_alice(&w.emu);
    let alice_token = client.get_token().unwrap().access_token().to_string();
    let switched = client.switch_login_by_user_blocking(&w.desk, None);
    assert_eq!(switched.status_code(), 200, "{switched:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), w.desk);
    // The next call acts as the front desk.
    let profile = client
        .get_profile_blocking(false, false, false)
        .user_info()
        .unwrap();
    assert_eq!(profile.user_id(), w.desk);
    let desk_state = w.emu.user_state("front-desk").unwrap();
    assert!(desk_state.access_tokens >= 1);
    // Alice's own tokens were not revoked by the switch.
    assert_ne!(client.get_token().unwrap().access_token(), alice_token);
    assert!(w.emu.user_state("alice").unwrap().access_tokens >= 1);
    // Back to the personal account.
    let back = client.switch_login_by_user_blocking(&w.alice, None);
    assert_eq!(back.status_code(), 200, "{back:?}");
    assert_eq!(client.get_current_user().unwrap().user_id(), w.alice);
}

#[test]
fn an_account_the_user_is_not_linked_to_is_refused_and_the_session_stays() {
    let w = world();
    let client = signed_in_as_alice(&w.emu);
    for target in [w.stockroom.as_str(), "no-such-user-id"] {
        let refused = client.switch_login_by_user_blocking(target, None);
        assert_eq!(refused.status_code(), 403, "{refused:?}");
        assert!(refused.error().is_some());
        assert_eq!(client.get_current_user().unwrap().user_id(), w.alice);
    }
    // Switching to oneself is a parameter error.
    let own = client.switch_login_by_user_blocking(&w.alice, None);
    assert_eq!(own.status_code(), 400, "{own:?}");
}

#[test]
fn after_signing_out_nothing_is_sent_and_the_calls_answer_10015() {
    let w = world();
    let client = signed_in_as_alice(&w.emu);
    client.logout_blocking();
    let before = w.emu.stats().requests;
    assert_eq!(
        client
            .switch_login_by_user_blocking(&w.desk, None)
            .status_code(),
        codes::NOT_SIGNED_IN
    );
    assert_eq!(
        client
            .list_public_accounts_for_switch_logged_in_blocking(false)
            .status_code(),
        codes::NOT_SIGNED_IN
    );
    assert_eq!(w.emu.stats().requests, before);
}

#[test]
fn the_callback_form_switches_on_a_worker_and_calls_back_once() {
    let w = world();
    let client = signed_in_as_alice(&w.emu);
    let (tx, rx) = mpsc::channel::<AuthResponse>();
    let _handle = client.switch_login_by_user(&w.desk, None, tx);
    let answer = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the callback ran");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert!(rx.recv_timeout(Duration::from_millis(200)).is_err(), "once");
    assert_eq!(client.get_current_user().unwrap().user_id(), w.desk);
}
