//! The signed-in user's devices, end to end: two clients with device ids of their own are
//! two devices of one user; the list shows both; revoking one signs it out (its next call
//! answers 10015 once its refresh is refused); unbinding removes one. The emulator records
//! a device per sign-in from the headers the SDK sends.

use std::sync::mpsc;
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthClient, AuthResponse};

const ALICE: &str = "alice";
const PASSWORD: &str = "secret-123";

fn emulator_with_alice() -> Emulator {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username(ALICE, PASSWORD))
        .expect("alice");
    emu
}

/// A client of `emu` on the device `device_id`, named `name`, signed in as alice.
fn signed_in_on(emu: &Emulator, device_id: &str, name: &str) -> AuthClient {
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .device_id(device_id)
        .device_name(name)
        .build()
        .expect("valid settings");
    let response = client.sign_in_by_user_name_password_blocking(ALICE, PASSWORD, None);
    assert_eq!(response.status_code(), 200, "{response:?}");
    // The full profile follows the sign-in on a worker: wait for it, so what the test
    // counts next is its own requests only.
    crate::common::full_profile(&client);
    client
}

fn ok(response: AuthResponse) -> AuthResponse {
    assert_eq!(response.status_code(), 200, "{response:?}");
    response
}

#[test]
fn two_clients_on_two_devices_are_both_listed_latest_sign_in_first() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1", "Alice's laptop");
    emu.advance_clock(Duration::from_secs(60));
    let _phone = signed_in_on(&emu, "phone-1", "Alice's phone");
    let devices = ok(laptop.list_blocking(1, 10)).device_list().unwrap();
    let ids: Vec<&str> = devices.iter().map(|d| d.device().device_id()).collect();
    assert_eq!(ids, ["phone-1", "laptop-1"]);
    let this = devices
        .iter()
        .find(|d| Some(d.device().device_id()) == laptop.device_id().as_deref())
        .expect("this client's device is listed");
    assert_eq!(this.device().name(), "Alice's laptop");
    assert!(!this.device().os().is_empty());
    assert_eq!(this.device().device_type(), "Desktop");
    assert!(this.online());
    assert!(
        this.last_login_time().ends_with('Z'),
        "{}",
        this.last_login_time()
    );
    assert_eq!(this.last_ip(), "127.0.0.1");
    assert!(devices[0].last_login_time() > devices[1].last_login_time());
    // Paged: one a page.
    let second = ok(laptop.list_blocking(2, 1)).device_list().unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].device().device_id(), "laptop-1");
}

#[test]
fn signing_in_again_on_a_device_updates_it_rather_than_adding_one() {
    let emu = emulator_with_alice();
    let first = signed_in_on(&emu, "laptop-1", "old name");
    emu.advance_clock(Duration::from_secs(3600));
    let again = signed_in_on(&emu, "laptop-1", "new name");
    let devices = ok(again.list_blocking(1, 10)).device_list().unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].device().name(), "new name");
    let recorded = emu.devices(ALICE);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].sessions, 2);
    drop(first);
}

#[test]
fn revoking_the_other_device_signs_it_out_its_refresh_refused_and_next_call_10015() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1", "laptop");
    let phone = signed_in_on(&emu, "phone-1", "phone");
    ok(laptop.revoke_blocking("phone-1"));

    // The phone's access token is refused, then its refresh token: the session ends.
    let answer = phone.list_blocking(1, 10);
    assert_eq!(answer.status_code(), codes::NOT_SIGNED_IN, "{answer:?}");
    assert!(
        phone.get_current_user().is_none(),
        "the session ended here too"
    );

    // The laptop is still signed in; the phone stays listed, no longer online.
    let devices = ok(laptop.list_blocking(1, 10)).device_list().unwrap();
    let online: Vec<(&str, bool)> = devices
        .iter()
        .map(|d| (d.device().device_id(), d.online()))
        .collect();
    assert!(online.contains(&("phone-1", false)), "{online:?}");
    assert!(online.contains(&("laptop-1", true)), "{online:?}");
    let state = emu.devices(ALICE);
    assert!(state
        .iter()
        .any(|d| d.device_id == "phone-1" && !d.online && d.sessions == 0));
}

#[test]
fn unbinding_a_device_removes_it_and_ends_its_sessions() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1", "laptop");
    let phone = signed_in_on(&emu, "phone-1", "phone");
    let (tx, rx) = mpsc::channel();
    laptop.unbind("phone-1", tx).join().unwrap();
    assert_eq!(rx.recv().unwrap().status_code(), 200);
    assert!(rx.try_recv().is_err(), "one callback");

    let devices = ok(laptop.list_blocking(1, 10)).device_list().unwrap();
    let ids: Vec<&str> = devices.iter().map(|d| d.device().device_id()).collect();
    assert_eq!(ids, ["laptop-1"]);
    assert_eq!(
        phone.list_blocking(1, 10).status_code(),
        codes::NOT_SIGNED_IN
    );
    assert_eq!(emu.devices(ALICE).len(), 1);
}

#[test]
fn revoking_or_unbinding_a_device_the_user_does_not_have_answers_404() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1", "laptop");
    for response in [
        laptop.revoke_blocking("nowhere"),
        laptop.unbind_blocking("nowhere"),
    ] {
        assert_eq!(response.status_code(), 404, "{response:?}");
        assert_eq!(response.api_code(), 0);
    }
    // Nothing changed for the caller.
    assert_eq!(
        ok(laptop.list_blocking(1, 10)).device_list().unwrap().len(),
        1
    );
}

#[test]
fn revoking_its_own_device_ends_this_clients_session() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1", "laptop");
    let own = laptop.device_id().unwrap();
    ok(laptop.revoke_blocking(&own));
    assert_eq!(
        laptop.list_blocking(1, 10).status_code(),
        codes::NOT_SIGNED_IN
    );
}

#[test]
fn bad_input_is_refused_locally_and_nothing_reaches_the_emulator() {
    let emu = emulator_with_alice();
    let laptop = signed_in_on(&emu, "laptop-1", "laptop");
    let before = emu.stats().requests;
    for response in [
        laptop.list_blocking(0, 10),
        laptop.list_blocking(1, 51),
        laptop.revoke_blocking(" "),
        laptop.unbind_blocking("a\nb"),
    ] {
        assert_eq!(response.status_code(), codes::INVALID_INPUT, "{response:?}");
    }
    assert_eq!(emu.stats().requests, before, "nothing goes on the wire");
}
