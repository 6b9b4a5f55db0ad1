//! How the dispatcher and the courier start their threads: through a [`Spawner`], so that
//! the paths taken when the operating system refuses a thread can be driven by tests.

use std::sync::Arc;

/// Starts a thread named `name` running `body`; an error when none could be started.
pub(crate) type Spawner =
    Arc<dyn Fn(&'static str, Box<dyn FnOnce() + Send>) -> std::io::Result<()> + Send + Sync>;

/// The real one: `std::thread::Builder`, detached.
pub(crate) fn os() -> Spawner {
    Arc::new(|name, body| {
        std::thread::Builder::new()
            .name(name.into())
            .spawn(body)
            .map(drop)
    })
}
