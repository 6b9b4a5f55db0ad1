//! The locked state as every handler and [`Emulator`](crate::Emulator) method holds it:
//! a mutex guard that, when the state was borrowed mutably and the emulator keeps a state
//! file, writes the file (`persist.rs`) as it lets go, before another request can see or
//! change the state. So the file follows every change, in order, and a change that
//! changed nothing (a request that only took `&mut` to look) writes nothing.

use std::ops::{Deref, DerefMut};
use std::sync::MutexGuard;

use crate::core::persist::{self, StateFile};
use crate::core::state::State;

/// The state, locked.
pub(crate) struct StateGuard<'a> {
    guard: Option<MutexGuard<'a, State>>,
    file: Option<(&'a StateFile, &'a str)>,
    changed: bool,
}

impl<'a> StateGuard<'a> {
    /// `guard`, saved on release to `file` (with the app id) when it is given.
    pub(crate) fn new(
        guard: MutexGuard<'a, State>,
        file: Option<(&'a StateFile, &'a str)>,
    ) -> Self {
        StateGuard {
            guard: Some(guard),
            file,
            changed: false,
        }
    }
}

impl Deref for StateGuard<'_> {
    type Target = State;

    fn deref(&self) -> &State {
        // Present until drop.
        self.guard.as_deref().unwrap_or_else(|| unreachable!())
    }
}

impl DerefMut for StateGuard<'_> {
    fn deref_mut(&mut self) -> &mut State {
        self.changed = true;
        self.guard.as_deref_mut().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for StateGuard<'_> {
    fn drop(&mut self) {
        let Some(guard) = self.guard.take() else {
            return;
        };
        let Some((file, app_id)) = self.file.filter(|_| self.changed) else {
            return;
        };
        if std::thread::panicking() {
            // A handler panicked halfway through a change: the file keeps the last whole
            // state (the server answers that request 500).
            return;
        }
        // Encoded under the state's lock, and the file's lock taken before that one is let
        // go: the next change is written after this one.
        let bytes = persist::encode(&guard, app_id);
        let written = file.written();
        drop(guard);
        file.save_or_warn(bytes, written);
    }
}
