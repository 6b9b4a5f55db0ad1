//! The Slint recipe run on a real Slint event loop: Slint's headless testing backend
//! (`i-slint-backend-testing`, no display, no renderer) against the SDK's emulator.
//! The backend can be set once per process, so this file holds one test.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use authing::emulator::{Emulator, NewUser};
use authing::AuthClient;
use authing_gui_recipes::slint_executor::{send_code, slint_client, StatusWindow};

/// How long the event loop may wait for the answer before the test gives up.
const DEADLINE: Duration = Duration::from_secs(10);

#[test]
fn the_slint_recipe_shows_the_answer_set_on_the_event_loops_thread() {
    i_slint_backend_testing::init_integration_test_with_system_time();
    let emu = Emulator::start().unwrap();
    emu.add_user(NewUser::with_phone("+86", "18812345678", "secret-1"))
        .unwrap();
    let builder = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        // After the callback's task is queued, queue the loop's end behind it.
        .on_delivery(|| {
            let _ = slint::invoke_from_event_loop(|| {
                let _ = slint::quit_event_loop();
            });
        });
    let client = slint_client(builder).unwrap();
    let ui = StatusWindow::new().unwrap();

    // The call starts before the loop runs; its callback waits in Slint's queue.
    let handle = send_code(&client, &ui);

    // A watchdog ends the loop if no answer comes in time (dropping `stop` ends it).
    let (stop, stopped) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if stopped.recv_timeout(DEADLINE) == Err(RecvTimeoutError::Timeout) {
            let _ = slint::quit_event_loop();
        }
    });
    slint::run_event_loop().unwrap();
    drop(stop);
    watchdog.join().unwrap();

    // `slint::Weak::upgrade` gives `None` off the thread that made the window, so the
    // text proves the callback ran on the event loop's thread (this one).
    assert_eq!(ui.get_status(), "answered 200");
    assert!(handle.is_finished());
    handle.join().unwrap();
}
