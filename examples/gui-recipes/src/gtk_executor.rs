//! GTK (gtk-rs / glib): `glib::idle_add_once` as the client's callback executor, so every
//! callback runs on GTK's main context, on the GTK thread, where it may touch widgets
//! through a `glib::SendWeakRef`.

use authing::{AuthClient, AuthClientBuilder, AuthResponse, ConfigError, RequestHandle, SmsType};
use gtk::glib;
use gtk::prelude::*;

/// The client of a GTK app: each callback is queued on the default main context and run
/// by GTK's loop, on the GTK thread.
pub fn gtk_client(builder: AuthClientBuilder) -> Result<AuthClient, ConfigError> {
    builder
        .callback_executor(|task| {
            // Always queued, run by the loop that iterates the default main context.
            // Not `MainContext::default().invoke(task)`: when no thread owns the context
            // (before `app.run()`, after it returns) that runs the task at once, right
            // here, on the SDK's thread.
            glib::idle_add_once(task);
        })
        .build()
}

/// A button handler, on the GTK thread: the callback shows the answer in `label`.
pub fn send_code(client: &AuthClient, label: &gtk::Label) -> RequestHandle {
    // A widget is not Send; a SendWeakRef is (and upgrading it on another thread panics).
    let label = glib::SendWeakRef::from(label.downgrade());
    client.send_sms(
        "+86",
        "18812345678",
        SmsType::CHANNEL_RESET_PASSWORD,
        move |response: AuthResponse| {
            if let Some(label) = label.upgrade() {
                label.set_text(&format!("answered {}", response.status_code()));
            }
        },
    )
}

/// The app around them: `gtk_app(gtk_client(AuthClient::builder().app_id(..))?).run()`.
pub fn gtk_app(client: AuthClient) -> gtk::Application {
    let app = gtk::Application::builder()
        .application_id("cn.authing.GtkRecipe")
        .build();
    app.connect_activate(move |app| {
        let label = gtk::Label::new(None);
        let button = gtk::Button::with_label("send code");
        let (client, shown) = (client.clone(), label.clone());
        button.connect_clicked(move |_| {
            let _detached = send_code(&client, &shown);
        });
        let column = gtk::Box::new(gtk::Orientation::Vertical, 8);
        column.append(&button);
        column.append(&label);
        gtk::ApplicationWindow::builder()
            .application(app)
            .child(&column)
            .build()
            .present();
    });
    app
}
