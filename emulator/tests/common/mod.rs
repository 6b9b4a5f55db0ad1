//! What the emulator's test binaries share: deadlines, a thread count, the HTTP clients,
//! and the browser.
#![allow(dead_code)] // each binary uses part of it

pub mod browser;

use std::time::Duration;

/// How long a test waits for something that should happen at once.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// How long a test waits to see that something does NOT happen.
pub const QUIET: Duration = Duration::from_millis(300);

/// The number of threads in this process, read from the OS (0 where it cannot be read).
pub fn live_threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Threads:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// An HTTP client that reads 4xx and 5xx answers as answers, with a 30 s limit per call.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Like [`agent`], but a redirect is an answer too: it is not followed.
pub fn agent_without_redirects() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}
