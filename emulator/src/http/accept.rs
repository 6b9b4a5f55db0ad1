//! The accept loop and its back-off after accept errors.
//!
//! `accept` fails when the process is out of file descriptors (EMFILE, ENFILE), out of
//! memory (ENOBUFS, ENOMEM) and the like, and a failed call leaves the pending connection
//! in the listen queue, so the next call fails again at once: retrying without a pause
//! spins a core until something else frees a descriptor. The loop waits instead, 1 ms
//! after the first error, twice as long after each further one, at most 100 ms, and
//! starts again from 1 ms after the next success.

use std::io;
use std::time::Duration;

/// The wait after the first accept error in a row.
pub(crate) const BACKOFF_MIN: Duration = Duration::from_millis(1);
/// The longest wait between two accept attempts that fail.
pub(crate) const BACKOFF_MAX: Duration = Duration::from_millis(100);

/// How long to wait after consecutive accept errors.
#[derive(Debug, Default)]
pub(crate) struct Backoff {
    next: Option<Duration>,
}

impl Backoff {
    /// Records one more error; the wait before the next attempt.
    pub(crate) fn failed(&mut self) -> Duration {
        let wait = self.next.unwrap_or(BACKOFF_MIN);
        self.next = Some((wait * 2).min(BACKOFF_MAX));
        wait
    }

    /// Records a success: the next error waits [`BACKOFF_MIN`] again.
    pub(crate) fn succeeded(&mut self) {
        self.next = None;
    }
}

/// Whether an accept error says nothing about the server's resources, so the next
/// attempt can follow at once: a signal, or a client that gave up before it was accepted.
fn is_transient(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted
    )
}

/// Accepts until `accept` answers `None` (the server stops): hands each connection to
/// `serve`, and after an error calls `wait` with the back-off; `wait` answers `false`
/// when the server stopped during the wait.
pub(crate) fn run<T>(
    mut accept: impl FnMut() -> Option<io::Result<T>>,
    mut serve: impl FnMut(T),
    mut wait: impl FnMut(Duration) -> bool,
) {
    let mut backoff = Backoff::default();
    while let Some(accepted) = accept() {
        match accepted {
            Ok(connection) => {
                backoff.succeeded();
                serve(connection);
            }
            Err(e) if is_transient(&e) => {}
            Err(_) => {
                if !wait(backoff.failed()) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emfile() -> io::Error {
        io::Error::from_raw_os_error(24)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Runs the loop over `script` and returns what it served and every wait, in order.
    fn run_script(script: Vec<io::Result<u32>>) -> (Vec<u32>, Vec<Duration>) {
        let mut script = script.into_iter();
        let mut served = Vec::new();
        let mut waits = Vec::new();
        run(
            || script.next(),
            |n| served.push(n),
            |d| {
                waits.push(d);
                true
            },
        );
        (served, waits)
    }

    #[test]
    fn accept_errors_in_a_row_wait_1_ms_doubling_up_to_100_ms() {
        let script = (0..10).map(|_| Err(emfile())).collect();
        let (_, waits) = run_script(script);
        let expected = [1, 2, 4, 8, 16, 32, 64, 100, 100, 100].map(ms);
        assert_eq!(waits, expected);
    }

    #[test]
    fn a_success_starts_the_back_off_again_from_1_ms() {
        let script = vec![
            Err(emfile()),
            Err(emfile()),
            Err(emfile()),
            Ok(7),
            Err(emfile()),
            Err(io::Error::from(io::ErrorKind::OutOfMemory)),
        ];
        let (served, waits) = run_script(script);
        assert_eq!(served, [7]);
        assert_eq!(waits, [1, 2, 4, 1, 2].map(ms));
    }

    #[test]
    fn a_signal_or_a_client_that_gave_up_is_retried_at_once() {
        let script = vec![
            Err(io::Error::from(io::ErrorKind::Interrupted)),
            Err(io::Error::from(io::ErrorKind::ConnectionAborted)),
            Ok(1),
        ];
        let (served, waits) = run_script(script);
        assert_eq!(served, [1]);
        assert!(waits.is_empty(), "{waits:?}");
    }

    #[test]
    fn a_stop_during_a_wait_ends_the_loop() {
        let mut attempts = 0;
        let mut waits = 0;
        run(
            || {
                attempts += 1;
                Some(Err::<(), _>(emfile()))
            },
            |()| {},
            |_| {
                waits += 1;
                waits < 3
            },
        );
        assert_eq!((attempts, waits), (3, 3));
    }
}
