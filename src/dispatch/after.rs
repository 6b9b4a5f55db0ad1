//! Work a call leaves for after its answer is delivered: the full profile a sign-in fetches
//! once its callback has run (`client/session_user.rs`).
//!
//! While a dispatcher worker runs a call's work, [`defer`] collects tasks on that thread
//! instead of running them; the worker runs them after the delivery (the callback returned,
//! or its task was handed to the callback executor), so the callback never waits for them.
//! Anywhere else (a blocking call on the app's thread, or inside a callback, which runs
//! outside the work), [`defer`] gives the task back, and the caller decides
//! (`Dispatcher::detach`: a worker of the client's dispatcher runs it).

use std::cell::RefCell;

/// A task left for after a delivery.
pub(crate) type Task = Box<dyn FnOnce() + Send>;

thread_local! {
    /// `Some` while this thread runs a call's work: the tasks it deferred so far.
    static DEFERRED: RefCell<Option<Vec<Task>>> = const { RefCell::new(None) };
}

/// Runs `work` (a call's work, on a worker), collecting what it [`defer`]s; its result and
/// the tasks, in the order they were deferred. Not nested: the worker calls it once per
/// call.
pub(crate) fn collecting<R>(work: impl FnOnce() -> R) -> (R, Vec<Task>) {
    /// Ends the collection even if `work` unwinds, so a later callback on this thread is
    /// not taken for work (what was deferred is then dropped).
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            drop(DEFERRED.with(|d| d.borrow_mut().take()));
        }
    }
    DEFERRED.with(|d| *d.borrow_mut() = Some(Vec::new()));
    let _reset = Reset;
    let result = work();
    let tasks = DEFERRED.with(|d| d.borrow_mut().take()).unwrap_or_default();
    (result, tasks)
}

/// Leaves `task` for after the delivery of the call this thread is running; `Err(task)`
/// when this thread runs no call's work.
pub(crate) fn defer(task: Task) -> Result<(), Task> {
    DEFERRED.with(|d| match d.borrow_mut().as_mut() {
        Some(tasks) => {
            tasks.push(task);
            Ok(())
        }
        None => Err(task),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn tasks_deferred_during_work_are_handed_back_in_order_and_not_run() {
        let ran = Arc::new(AtomicUsize::new(0));
        let (answer, tasks) = collecting(|| {
            for i in 1..=2 {
                let ran = Arc::clone(&ran);
                let task: Task = Box::new(move || ran.store(i, Ordering::SeqCst));
                assert!(defer(task).is_ok());
            }
            7
        });
        assert_eq!((answer, tasks.len(), ran.load(Ordering::SeqCst)), (7, 2, 0));
        for task in tasks {
            task();
        }
        assert_eq!(ran.load(Ordering::SeqCst), 2, "run in the order deferred");
    }

    #[test]
    fn outside_work_a_task_is_given_back() {
        assert!(defer(Box::new(|| {})).is_err());
        let _ = collecting(|| ());
        assert!(
            defer(Box::new(|| {})).is_err(),
            "the collection ended with the work"
        );
    }

    #[test]
    fn work_that_unwinds_ends_the_collection() {
        let unwound = std::panic::catch_unwind(|| collecting(|| panic!("boom")));
        assert!(unwound.is_err());
        assert!(defer(Box::new(|| {})).is_err());
    }
}
