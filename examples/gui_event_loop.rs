//! Callbacks in a GUI event loop, simulated: a loop that never blocks on the network.
//!
//! A GUI toolkit owns its thread and wants every widget touched there. This example plays
//! such a loop on `main` ("frames" of 16 ms) and shows the two ways to get the SDK's answers
//! onto it:
//!
//! 1. **A callback executor.** The client is built with `.callback_executor(..)` that sends
//!    each delivery, a `Box<dyn FnOnce() + Send>`, into an `mpsc` channel; every frame the
//!    loop drains that channel and runs the tasks, so the callbacks run on the loop's thread.
//!    (A real toolkit would use its own hop: glib's `idle_add_once`, Slint's
//!    `invoke_from_event_loop`, a winit `EventLoopProxy`; see docs/THREADING.md.)
//! 2. **A `Sender<AuthResponse>` as the callback.** The answer is sent into a channel from
//!    a worker thread, and the loop polls it with `try_recv` each frame; the client's
//!    delivery hook (`on_delivery`) wakes the loop when an answer has arrived.
//!
//! The loop ends when every answer has arrived, with a deadline so it can never spin
//! forever. It paces frames with `recv_timeout` on the task channel (it wakes early when a
//! task arrives), never with `thread::sleep`. `join()` is only called after the loop, when
//! every handle is finished: calling it inside the loop, on the thread the executor hops to,
//! would wait for a callback that can only run once the loop goes on: a deadlock.
//!
//! Run it with:
//!
//! ```text
//! cargo run --example gui_event_loop
//! ```

use std::error::Error;
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthClient, AuthResponse, Lang, PasswordEncryptType, RequestHandle, ResetPasswordData,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};

const PHONE: &str = "18812345678";
const NEW_PASSWORD: &str = "brand-new-pw-456";
const FRAME: Duration = Duration::from_millis(16);
const DEADLINE: Duration = Duration::from_secs(10);

/// A delivery task handed over by the SDK.
type UiTask = Box<dyn FnOnce() + Send>;

fn thread_name() -> String {
    thread::current()
        .name()
        .unwrap_or("an unnamed thread")
        .to_string()
}

/// The part of the flow driven by the `Sender<AuthResponse>` callback.
enum Step {
    /// Waiting for the executor-delivered answers before the user types the code.
    WaitForCode,
    /// The verification is on its way.
    Verifying,
    /// The new password is on its way.
    Resetting,
    /// All answers are in.
    Done,
}

fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::start()?;
    emulator.add_user(NewUser::with_phone("+86", PHONE, "old-pw-123"))?;
    println!("the event loop runs on thread {:?}", thread_name());

    // 1. The executor client: each delivery becomes a task in `ui_tasks`.
    //    (`mpsc::Sender` is `Sync`, so the executor closure may hold it directly.)
    let (to_ui, ui_tasks) = mpsc::channel::<UiTask>();
    let to_ui_for_hook = to_ui.clone();
    let ui_client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .lang(Lang::EnUs)
        .callback_executor(move |task: UiTask| {
            // If the loop is gone, the task is dropped unrun; its handle still finishes.
            let _ = to_ui.send(task);
        })
        .build()?;

    // 2. The channel client: no executor; the answer is sent from a worker thread. Its
    //    delivery hook wakes the loop (an empty task on the loop's channel), so the answer
    //    is polled at once instead of at the next frame: a GUI that sleeps until an event
    //    does the same with its own wake-up (egui: `ctx.request_repaint()`).
    let wake_loop = to_ui_for_hook;
    let channel_client = AuthClient::builder()
        .app_id(emulator.app_id())
        .app_host(emulator.base_url())
        .lang(Lang::EnUs)
        .on_delivery(move || {
            let _ = wake_loop.send(Box::new(|| {}));
        })
        .build()?;
    let (answers_tx, answers) = mpsc::channel::<AuthResponse>();

    let mut handles: Vec<RequestHandle> = Vec::new();

    // "The user clicks Send code": the handler only starts the call and returns.
    println!("frame 0: click 'send code'");
    handles.push(ui_client.send_sms(
        "+86",
        PHONE,
        SmsType::CHANNEL_RESET_PASSWORD,
        |response: AuthResponse| {
            println!(
                "  send_sms answered on {:?}: status {} {}",
                thread_name(),
                response.status_code(),
                response.message()
            );
        },
    ));
    // A form with a typo: refused locally (status 10010), still delivered on the loop thread.
    handles.push(ui_client.send_sms(
        "+86",
        "188-1234-5678",
        SmsType::CHANNEL_RESET_PASSWORD,
        |response: AuthResponse| {
            println!(
                "  send_sms (typo) answered on {:?}: status {} {}",
                thread_name(),
                response.status_code(),
                response.message()
            );
        },
    ));

    let started = Instant::now();
    let mut frame: u64 = 0;
    let mut step = Step::WaitForCode;
    let mut reset: Option<ResetPasswordData> = None;

    loop {
        frame += 1;

        // Pace the frame: wait at most FRAME for a task (a delivery, or the hook's wake-up),
        // then drain whatever else is queued.
        match ui_tasks.recv_timeout(FRAME) {
            Ok(task) => {
                println!("frame {frame}: running a delivery task");
                task();
                while let Ok(task) = ui_tasks.try_recv() {
                    task();
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Err("the executor is gone".into()),
        }

        // Poll the Sender-based answers without blocking.
        match answers.try_recv() {
            Ok(response) => {
                println!(
                    "frame {frame}: polled an answer on {:?}: status {} {}",
                    thread_name(),
                    response.status_code(),
                    response.message()
                );
                match step {
                    Step::Verifying => match response.reset_password_data() {
                        Ok(data) => reset = Some(data),
                        Err(error) => return Err(error.into()),
                    },
                    Step::Resetting => {
                        response.into_result()?;
                        step = Step::Done;
                    }
                    Step::WaitForCode | Step::Done => {}
                }
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => return Err("the answer channel is closed".into()),
        }

        // The simulated user.
        match step {
            Step::WaitForCode if handles.iter().all(RequestHandle::is_finished) => {
                let code = emulator.latest_code(PHONE).ok_or("no SMS code issued")?;
                println!("frame {frame}: the user types the code from the SMS and clicks 'verify'");
                let mut payload = ResetPasswordPayload::new();
                payload
                    .set_phone_country_code("+86")
                    .set_phone_number(PHONE)
                    .set_pass_code(code);
                handles.push(channel_client.reset_password_request(
                    ResetPasswordVerifyMethod::PHONE_PASSCODE,
                    payload,
                    answers_tx.clone(),
                ));
                step = Step::Verifying;
            }
            Step::Verifying => {
                if let Some(data) = reset.take() {
                    println!("frame {frame}: the user types a new password and clicks 'save'");
                    handles.push(channel_client.reset_password(
                        data,
                        NEW_PASSWORD,
                        PasswordEncryptType::none,
                        answers_tx.clone(),
                    ));
                    step = Step::Resetting;
                }
            }
            _ => {}
        }

        if matches!(step, Step::Done) && handles.iter().all(RequestHandle::is_finished) {
            println!("frame {frame}: every answer has arrived; the loop ends");
            break;
        }
        if started.elapsed() > DEADLINE {
            return Err(format!("gave up after {DEADLINE:?} ({frame} frames)").into());
        }
    }

    // Every handle is finished, so these joins return at once (and report callback panics).
    for handle in handles {
        handle.join()?;
    }
    let changed = emulator.check_password(PHONE, NEW_PASSWORD);
    println!("the new password works: {changed}");
    assert!(changed);
    Ok(())
}
