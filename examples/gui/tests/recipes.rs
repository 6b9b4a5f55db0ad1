//! The GUI recipes of the SDK's docs/THREADING.md, compiled (and, where no display is
//! needed, run) here, against the real toolkit crates. THREADING.md quotes these
//! functions; change both together.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use authing::emulator::Emulator;
use authing::{AuthClient, AuthResponse, Inbox, SmsType};
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

// ---- egui (eframe): an Inbox drained each frame, the delivery hook repaints ----------

/// The egui recipe: handlers are plain closures over the app's state, kept on the UI
/// thread by an `Inbox`; the client's delivery hook, set once the `egui::Context` exists,
/// wakes egui when an answer arrives.
struct EguiRecipe {
    client: AuthClient,
    inbox: Inbox<String>, // the state the handlers touch: here, one status line
    status: String,
}

impl EguiRecipe {
    /// eframe: `run_native(.., Box::new(|cc| Ok(Box::new(EguiRecipe::new(client, &cc.egui_ctx)))))`;
    /// the client may be built long before, without any toolkit.
    fn new(client: AuthClient, ctx: &egui::Context) -> EguiRecipe {
        let ctx = ctx.clone(); // egui::Context is Clone + Send + Sync
        client.set_on_delivery(move || ctx.request_repaint());
        EguiRecipe {
            client,
            inbox: Inbox::new(),
            status: String::new(),
        }
    }

    /// eframe's `App::ui` calls this.
    fn ui(&mut self, ui: &mut egui::Ui) {
        self.inbox.run_pending(&mut self.status); // handlers run here, on the UI thread
        if ui.button("send code").clicked() {
            let _detached = self.client.send_sms(
                "+86",
                "18812345678",
                SmsType::CHANNEL_RESET_PASSWORD,
                self.inbox
                    .callback(|status: &mut String, response: AuthResponse| {
                        *status = format!("answered {}", response.status_code());
                    }),
            );
        }
        ui.label(&self.status);
    }
}

impl eframe::App for EguiRecipe {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| EguiRecipe::ui(self, ui));
    }
}

/// The recipe's `main` (compiled; not run here: a window needs a display).
#[allow(dead_code)]
fn egui_main() -> eframe::Result {
    let client = AuthClient::new(); // reads Authing::init / AUTHING_APP_ID, as on Android
    eframe::run_native(
        "my app",
        eframe::NativeOptions::default(),
        Box::new(|cc| Ok(Box::new(EguiRecipe::new(client, &cc.egui_ctx)))),
    )
}

#[test]
fn the_egui_recipe_shows_the_answer_after_a_click() {
    let emu = Emulator::start().unwrap();
    let client = AuthClient::builder()
        .app_id(emu.app_id())
        .app_host(emu.base_url())
        .build()
        .unwrap();
    let mut harness = Harness::builder().build_ui_state(
        |ui, app: &mut Option<EguiRecipe>| {
            if let Some(app) = app {
                app.ui(ui);
            }
        },
        None,
    );
    let ctx = harness.ctx.clone();
    *harness.state_mut() = Some(EguiRecipe::new(client, &ctx));
    harness.step();
    harness.get_by_label("send code").click();
    let deadline = Instant::now() + Duration::from_secs(10);
    while harness.query_by_label_contains("answered ").is_none() {
        assert!(
            Instant::now() < deadline,
            "the answer in time: {:?}",
            harness.state().as_ref().map(|a| a.status.clone())
        );
        harness.step();
        std::thread::yield_now();
    }
}

// ---- winit: an EventLoopProxy as the executor -----------------------------------------

/// The winit recipe's user event: a delivery task to run on the event-loop thread.
enum UserEvent {
    Auth(Box<dyn FnOnce() + Send>),
}

/// The winit recipe (compiled; not run here: an event loop needs a display).
#[allow(dead_code)]
fn winit_recipe() -> Result<(), Box<dyn std::error::Error>> {
    use winit::application::ApplicationHandler;
    use winit::event::WindowEvent;
    use winit::event_loop::{ActiveEventLoop, EventLoop};
    use winit::window::WindowId;

    struct App;
    impl ApplicationHandler<UserEvent> for App {
        fn resumed(&mut self, _event_loop: &ActiveEventLoop) {}
        fn window_event(&mut self, _: &ActiveEventLoop, _: WindowId, _: WindowEvent) {}
        fn user_event(&mut self, _event_loop: &ActiveEventLoop, event: UserEvent) {
            match event {
                UserEvent::Auth(task) => task(), // the callback runs here, on the loop's thread
            }
        }
    }

    let event_loop = EventLoop::<UserEvent>::with_user_event().build()?;
    let proxy = event_loop.create_proxy(); // EventLoopProxy is Send + Sync in winit 0.30
    let client = AuthClient::builder()
        .app_id("60caaf41df670b771fd08937")
        .callback_executor(move |task| {
            // Err means the loop has exited; the task is dropped unrun.
            let _ = proxy.send_event(UserEvent::Auth(task));
        })
        .build()?;
    let _detached = client.send_sms(
        "+86",
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        |response: AuthResponse| println!("{}", response.status_code()),
    );
    event_loop.run_app(&mut App)?;
    Ok(())
}

// ---- any loop you own: a channel of tasks ---------------------------------------------

#[test]
fn the_channel_of_tasks_recipe_runs_the_callback_on_the_loops_thread() {
    let (to_ui, ui_tasks) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
    let client = AuthClient::builder() // unconfigured: every call answers 10002
        .callback_executor(move |task| {
            let _ = to_ui.send(task);
        })
        .build()
        .unwrap();
    let ui_thread = std::thread::current().id();
    let (seen_tx, seen) = mpsc::channel();
    let _detached = client.send_sms(
        "+86",
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        move |response: AuthResponse| {
            let _ = seen_tx.send((response.status_code(), std::thread::current().id()));
        },
    );
    // each frame, on the UI thread:
    let task = ui_tasks.recv_timeout(Duration::from_secs(10)).unwrap();
    task();
    assert_eq!(seen.try_recv().unwrap(), (10002, ui_thread));
}
