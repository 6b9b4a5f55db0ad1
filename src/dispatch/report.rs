//! Where the SDK reports a problem in user code that it caught and went on from: a
//! callback that panicked, a callback executor that panicked or dropped a delivery.
//!
//! The default writes one line to stderr; a client built with
//! [`AuthClientBuilder::reporter`](crate::AuthClientBuilder::reporter) sends it elsewhere
//! (a logger, or a channel in tests, so a passing test run prints no expected panics).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// Receives each report as one line of text, such as `a callback panicked: ui state was gone`.
pub(crate) type Reporter = Arc<dyn Fn(&str) + Send + Sync>;

/// The default reporter: `authing: <line>` on stderr. Unlike `eprintln!`, it never panics
/// (a closed or broken stderr is ignored).
pub(crate) fn stderr() -> Reporter {
    Arc::new(|line: &str| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr().lock(), "authing: {line}");
    })
}

/// Hands `line` to `reporter`. A reporter that panics is ignored: there is nowhere left to
/// report it, and the delivery that reported must still finish.
pub(crate) fn report(reporter: &Reporter, line: &str) {
    let _ = catch_unwind(AssertUnwindSafe(|| reporter(line)));
}
