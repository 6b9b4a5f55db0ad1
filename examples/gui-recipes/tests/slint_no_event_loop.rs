//! The Slint recipe's executor in a process where Slint has no platform (no component
//! made, no backend set): `slint::invoke_from_event_loop` fails, the executor drops the
//! task, and the SDK finishes the call's handle with its "dropped the delivery" error.
//! Its own file: any Slint test that sets a platform would change the process.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use authing::emulator::Emulator;
use authing::{AuthClient, AuthResponse, SmsType};
use authing_gui_recipes::slint_executor::slint_client;

const DEADLINE: Duration = Duration::from_secs(10);

#[test]
fn without_a_slint_platform_the_callback_is_dropped_and_its_handle_says_so() {
    let emu = Emulator::start().unwrap();
    let (report, reports) = mpsc::channel();
    let builder = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .reporter(move |line: &str| {
            let _ = report.send(line.to_string());
        });
    let client = slint_client(builder).unwrap();
    assert_eq!(
        slint::invoke_from_event_loop(|| {}),
        Err(slint::EventLoopError::NoEventLoopProvider)
    );

    let (ran, callback_ran) = mpsc::channel();
    let handle = client.send_sms(
        "+86",
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        move |response: AuthResponse| {
            let _ = ran.send(response.status_code());
        },
    );
    assert!(handle.wait_timeout(DEADLINE), "the handle finishes");
    let dropped = handle.join().unwrap_err();
    assert_eq!(
        dropped.message(),
        "the callback executor dropped the delivery without running it"
    );
    assert_eq!(
        reports.recv_timeout(DEADLINE).unwrap(),
        "the callback executor dropped the delivery without running it"
    );
    // The callback is dropped unrun: its sender goes without sending. (Dropped just after
    // the handle finished, by the same drop of the task, so wait for it.)
    assert_eq!(
        callback_ran.recv_timeout(DEADLINE),
        Err(RecvTimeoutError::Disconnected)
    );
}
