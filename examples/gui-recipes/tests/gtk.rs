//! The GTK recipes' glib half run on a real `glib::MainLoop` (no display needed) against
//! the SDK's emulator: the executor (`gtk_client`) and the `Inbox` drained by a timeout
//! source (`drain_inbox`). The widget halves (`send_code`, `gtk_app`) are compiled, not
//! run: GTK cannot initialise without a display.

#[cfg(not(feature = "gtk"))]
#[test]
#[ignore = "SKIPPED: built without the `gtk` feature (it needs libgtk-4-dev); run `cargo test --features gtk`"]
fn the_gtk_recipes_run_with_the_gtk_feature() {}

#[cfg(feature = "gtk")]
mod on_a_glib_main_loop {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::sync::mpsc;
    use std::sync::{Mutex, MutexGuard, PoisonError};
    use std::thread::{self, ThreadId};
    use std::time::Duration;

    use authing::emulator::{Emulator, NewUser};
    use authing::{AuthClient, AuthResponse, Inbox, SmsType};
    use authing_gui_recipes::gtk_executor::gtk_client;
    use authing_gui_recipes::gtk_inbox::drain_inbox;
    use gtk::glib;

    /// How long a loop may wait for the answer before the test gives up.
    const DEADLINE: Duration = Duration::from_secs(10);

    /// The default main context is one per process and one thread at a time may own it:
    /// the tests that use it take turns.
    static DEFAULT_CONTEXT: Mutex<()> = Mutex::new(());

    fn take_the_default_context() -> MutexGuard<'static, ()> {
        DEFAULT_CONTEXT
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// An emulator that knows the recipes' phone number, so sending it a code answers 200.
    fn emulator() -> Emulator {
        let emu = Emulator::start().unwrap();
        emu.add_user(NewUser::with_phone("+86", "18812345678", "secret-1"))
            .unwrap();
        emu
    }

    /// Runs `main_loop` on this thread until something quits it, or for [`DEADLINE`].
    fn run_with_deadline(main_loop: &glib::MainLoop) {
        let timed_out = Rc::new(Cell::new(false));
        let deadline = glib::timeout_add_local_once(DEADLINE, {
            let (main_loop, timed_out) = (main_loop.clone(), Rc::clone(&timed_out));
            move || {
                timed_out.set(true);
                main_loop.quit();
            }
        });
        main_loop.run();
        if !timed_out.get() {
            deadline.remove();
        }
    }

    #[test]
    fn the_gtk_executor_runs_the_callback_on_the_main_loops_thread() {
        let _context = take_the_default_context();
        let emu = emulator();
        let builder = AuthClient::builder()
            .app_id(emu.app_id())
            .app_host(emu.base_url());
        let client = gtk_client(builder).unwrap();
        let main_loop = glib::MainLoop::new(None, false);
        let (seen_tx, seen) = mpsc::channel::<(i32, ThreadId)>();

        // The "click": a call started from inside the running loop.
        let quit = main_loop.clone();
        glib::idle_add_local_once(move || {
            let _detached = client.send_sms(
                "+86",
                "18812345678",
                SmsType::CHANNEL_RESET_PASSWORD,
                move |response: AuthResponse| {
                    let _ = seen_tx.send((response.status_code(), thread::current().id()));
                    quit.quit();
                },
            );
        });
        run_with_deadline(&main_loop);

        let (status, thread) = seen.try_recv().expect("the callback ran in time");
        assert_eq!(status, 200);
        assert_eq!(thread, thread::current().id(), "on the loop's thread");
    }

    /// The case `MainContext::invoke` gets wrong (see the last test): an answer that
    /// arrives while no loop runs waits in the default context for the loop.
    #[test]
    fn the_gtk_executor_keeps_an_answer_that_comes_before_the_loop_runs_for_the_loop() {
        let _context = take_the_default_context();
        let emu = emulator();
        let (handed_tx, handed) = mpsc::channel();
        let builder = AuthClient::builder()
            .app_id(emu.app_id())
            .app_host(emu.base_url())
            .on_delivery(move || {
                let _ = handed_tx.send(()); // the callback's task is with the executor
            });
        let client = gtk_client(builder).unwrap();
        let main_loop = glib::MainLoop::new(None, false);
        let (seen_tx, seen) = mpsc::channel::<(i32, ThreadId)>();
        let quit = main_loop.clone();
        let handle = client.send_sms(
            "+86",
            "18812345678",
            SmsType::CHANNEL_RESET_PASSWORD,
            move |response: AuthResponse| {
                let _ = seen_tx.send((response.status_code(), thread::current().id()));
                quit.quit();
            },
        );
        handed.recv_timeout(DEADLINE).expect("the answer in time");
        assert!(seen.try_recv().is_err(), "no callback before the loop runs");
        assert!(!handle.is_finished());

        run_with_deadline(&main_loop);
        assert_eq!(
            seen.try_recv().expect("the callback ran in time"),
            (200, thread::current().id())
        );
        assert!(handle.is_finished());
    }

    #[test]
    fn the_gtk_inbox_runs_the_handler_with_its_state_on_the_main_loops_thread() {
        let _context = take_the_default_context();
        let emu = emulator();
        let client = AuthClient::builder() // no executor: the inbox brings answers home
            .app_id(emu.app_id())
            .app_host(emu.base_url())
            .build()
            .unwrap();
        let main_loop = glib::MainLoop::new(None, false);
        // The handler's state is not Send, as a widget would not be.
        let answers: Rc<RefCell<Vec<(i32, ThreadId)>>> = Rc::default();
        let inbox = Rc::new(Inbox::new());
        let source = drain_inbox(Rc::clone(&inbox), Rc::clone(&answers));

        let quit = main_loop.clone();
        let _detached = client.send_sms(
            "+86",
            "18812345678",
            SmsType::CHANNEL_RESET_PASSWORD,
            inbox.callback(
                move |answers: &mut Rc<RefCell<Vec<(i32, ThreadId)>>>, response: AuthResponse| {
                    answers
                        .borrow_mut()
                        .push((response.status_code(), thread::current().id()));
                    quit.quit();
                },
            ),
        );
        run_with_deadline(&main_loop);
        source.remove();

        assert_eq!(*answers.borrow(), [(200, thread::current().id())]);
    }

    /// Why the executor is `glib::idle_add_once` and not `MainContext::invoke`: with no
    /// loop owning the default context, `invoke` runs the task at once on the calling
    /// thread, which for the SDK's executor is one of its own threads.
    #[test]
    fn main_context_invoke_runs_the_callback_on_the_sdks_thread_when_no_loop_owns_the_context() {
        let _context = take_the_default_context();
        let client =
            AuthClient::builder() // unconfigured: answers 10002, no network
                .callback_executor(|task| glib::MainContext::default().invoke(task))
                .build()
                .unwrap();
        let (seen_tx, seen) = mpsc::channel();
        let handle = client.send_sms(
            "+86",
            "18812345678",
            SmsType::CHANNEL_RESET_PASSWORD,
            move |response: AuthResponse| {
                let this = thread::current();
                let _ = seen_tx.send((response.status_code(), this.name().map(String::from)));
            },
        );
        // No loop runs here, yet the call finishes: `invoke` ran the task itself.
        assert!(handle.wait_timeout(DEADLINE));
        let (status, thread_name) = seen.try_recv().unwrap();
        assert_eq!(status, 10002);
        assert!(
            thread_name
                .as_deref()
                .is_some_and(|n| n.starts_with("authing-")),
            "ran on {thread_name:?}"
        );
    }
}
