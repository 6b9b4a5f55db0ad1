//! The delivery hook ("wake hook"): user code the client calls after each delivery, so an
//! event loop that sleeps until told (egui's `request_repaint`, a winit proxy, a condition
//! variable) learns that an answer is waiting for it.
//!
//! It is held by the client's dispatcher, so it is shared by the client's clones, and can be
//! set when the client is built ([`AuthClientBuilder::on_delivery`]) or later
//! ([`AuthClient::set_on_delivery`]), once the toolkit's handle exists.
//!
//! Locking rule: the hook's lock is never held while the hook runs.
//!
//! [`AuthClientBuilder::on_delivery`]: crate::AuthClientBuilder::on_delivery

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use crate::client::AuthClient;
use crate::dispatch::report::{self, Reporter};
use crate::dispatch::slot::{lock, panic_text};

/// The hook as the SDK stores it.
pub(crate) type Hook = Arc<dyn Fn() + Send + Sync>;

/// A client's current hook, replaceable while calls run.
#[derive(Default)]
pub(crate) struct Wake {
    hook: Mutex<Option<Hook>>,
}

impl Wake {
    pub(crate) fn new(hook: Option<Hook>) -> Arc<Wake> {
        Arc::new(Wake {
            hook: Mutex::new(hook),
        })
    }

    pub(crate) fn set(&self, hook: Option<Hook>) {
        // The old hook is dropped outside the lock: its drop is user code.
        let old = std::mem::replace(&mut *lock(&self.hook), hook);
        drop(old);
    }

    /// Calls the hook, if any, on this thread; a panic in it is reported and ignored.
    pub(crate) fn ring(&self, reporter: &Reporter) {
        let hook = lock(&self.hook).clone();
        let Some(hook) = hook else { return };
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| hook())) {
            let text = panic_text(p.as_ref());
            report::report(reporter, &format!("the delivery hook panicked: {text}"));
        }
    }
}

/// # Waking a GUI event loop (Java: `runOnUiThread`)
///
/// A hook called after each delivery, for toolkits that sleep until woken (docs/THREADING.md).
impl AuthClient {
    /// Sets the delivery hook after the client is built, replacing the one given to
    /// [`AuthClientBuilder::on_delivery`](crate::AuthClientBuilder::on_delivery), if any.
    ///
    /// For a toolkit whose handle exists only once its loop runs (egui's `Context` appears
    /// inside eframe's creation closure): build the client first, hand it to the app, and
    /// set the hook there. Calls already running use the new hook from their next delivery.
    ///
    /// The hook belongs to the client's dispatcher, so it is shared by every clone of this
    /// client (and, for a client made by [`AuthClient::new`], by every `new()` client with
    /// the same settings). See `on_delivery` for when and where it runs.
    ///
    /// ```
    /// use std::sync::{mpsc, Mutex};
    /// use std::time::Duration;
    ///
    /// let client = authing::AuthClient::builder().build()?; // unconfigured: answers 10002
    /// // ... later, once the toolkit is up (`ctx.request_repaint()` in an egui app):
    /// let (tx, wakes) = mpsc::channel();
    /// let tx = Mutex::new(tx);
    /// client.set_on_delivery(move || {
    ///     let _ = tx.lock().unwrap().send(());
    /// });
    /// let _detached =
    ///     client.send_sms("+86", "18812345678", authing::SmsType::CHANNEL_RESET_PASSWORD, |_| {});
    /// wakes.recv_timeout(Duration::from_secs(10)).unwrap();
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn set_on_delivery<H>(&self, hook: H)
    where
        H: Fn() + Send + Sync + 'static,
    {
        self.wake().set(Some(Arc::new(hook)));
    }

    /// Removes the delivery hook, if any: nothing is called after deliveries from now on.
    ///
    /// ```
    /// let client = authing::AuthClient::builder().on_delivery(|| {}).build()?;
    /// client.clear_on_delivery();
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn clear_on_delivery(&self) {
        self.wake().set(None);
    }
}
