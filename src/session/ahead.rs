//! Refresh ahead: the session's access token is refreshed in the background shortly before
//! it expires on this machine's clock, so that a call is not held by a refresh it could
//! have avoided (issue 24: over a 40 ms link the in-path refresh costs a round trip).
//!
//! **When.** A token counts as expired [`EXPIRY_MARGIN`] (5 s) before its stated expiry;
//! its *usable life* is its lifetime (`expire_in`) less that margin. It is refreshed ahead
//! when a quarter of its usable life is left, at most 5 minutes before it counts as expired
//! ([`MAX_LEAD`]): a 2-hour token 5 minutes before that (5 min 5 s before its stated
//! expiry), a 60-second one 13.75 s before, a 10-second one 1.25 s before (counted from
//! when it counts as expired). A token whose usable life is 1 second or less
//! ([`MIN_USABLE_LIFE`]; a lifetime of 6 s or less) is never refreshed ahead: it would be
//! refreshed again at once. Its calls refresh in their path, as before. A session without
//! a refresh token is never refreshed ahead either.
//!
//! **Who.** One timer thread per session state (`authing-refresh`), started on the first
//! use that needs it and gone when it has nothing left to do: when the session ends (a
//! sign-out, a refresh token the server refused), when the session goes unused (below),
//! after a failed refresh ahead, and when the client that last used the session is dropped
//! (every clone of it; for `AuthClient::new()` the process's cache of shared clients holds
//! one). It never keeps a client alive: it holds it weakly and refreshes through it only
//! while someone else holds it. A session loaded from a token store that no call uses
//! starts no thread and is never refreshed ahead.
//!
//! **Activity.** A session is refreshed ahead only if it was *used* since the last refresh
//! ahead (or since the thread started): a sign-in, or a call that needed the user's access
//! token and got it. Reading the session (`get_token`, `get_current_user`) is not a use. So
//! an idle program's session is refreshed ahead at most once after its last use, then
//! lapses as it did before refresh ahead existed; the next call refreshes it in its path
//! while the refresh token serves.
//!
//! **Single flight.** The refresh ahead is the session's one refresh
//! ([`SessionState::renew`](super::SessionState::renew), `Renew::Ahead`): while it is on
//! the wire, a call whose token is still valid on this machine's clock sends that token
//! at once and does not wait; a call that finds the token expired waits for the refresh on
//! the wire and uses its tokens. The refresh ahead renews only the token it was planned
//! for: a session that changed meanwhile (a sign-in, a refresh by a call) or ended (a
//! sign-out) is left alone, and a sign-out that begins while it is on the wire revokes the
//! tokens it brings, as for every refresh.
//!
//! **Failure.** A refresh ahead that fails (network, server error, a store that cannot
//! save) keeps the session and is nobody's answer: that access token is never refreshed
//! ahead again (the plan remembers it), the thread ends, and uses of that token start no
//! new one, so a busy program sends one refresh ahead per token however many calls it
//! makes while the server fails (failed refreshes ahead are not
//! [`renew`](super::SessionState::renew)'s failures to share, so nothing else would hold
//! them back). The next call that finds the token expired refreshes it in its path, as
//! before (its own try, not the failure again); the token it brings is planned afresh. A refresh token
//! the server refuses ends the session, as it does for a call. When the server refuses an
//! access token the client thought valid, the call refreshes once and is sent once more,
//! as before.
//!
//! **Opt out** with [`AuthClientBuilder::refresh_ahead(false)`](crate::AuthClientBuilder::refresh_ahead):
//! that client's uses never start the thread.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::thread;
use std::time::{Duration, Instant};

use super::tokens::MAX_LIFETIME;
use super::{RefreshError, Refusal, Renew, SessionState, TokenSet, EXPIRY_MARGIN};
use crate::logging;

/// The longest a token is refreshed before it counts as expired: 5 minutes.
pub(crate) const MAX_LEAD: Duration = Duration::from_secs(300);

/// A usable life (lifetime less [`EXPIRY_MARGIN`]) this short or shorter is not refreshed
/// ahead: 1 second.
pub(crate) const MIN_USABLE_LIFE: Duration = Duration::from_secs(1);

/// The name of the timer thread.
pub(crate) const THREAD_NAME: &str = "authing-refresh";

/// What the timer thread refreshes and revokes through: the client that last used the
/// session (`client/user.rs`).
pub(crate) trait Renewer {
    /// `POST /oidc/token` with `refresh_token`.
    fn refresh(&self, refresh_token: &str) -> Result<TokenSet, RefreshError>;
    /// Revokes `token`; why not, if it could not.
    fn revoke(&self, token: &str) -> Option<String>;
}

/// The client, if it still exists (held weakly).
pub(crate) type Upgrade = Arc<dyn Fn() -> Option<Box<dyn Renewer>> + Send + Sync>;

/// The refresh-ahead state of one session: whether it was used, whether its thread runs.
#[derive(Default)]
pub(crate) struct Ahead {
    inner: Mutex<Plan>,
    wake: Condvar,
}

#[derive(Default)]
struct Plan {
    /// Used since the last refresh ahead (see the module docs, "Activity").
    used: bool,
    /// The timer thread is alive.
    running: bool,
    /// Bumped by every change of the session and every drop of a client: the thread plans
    /// again.
    changes: u64,
    /// The client that last used the session.
    client: Option<Upgrade>,
    /// The access token whose refresh ahead failed: it is never refreshed ahead again (see
    /// the module docs, "Failure").
    failed: Option<String>,
}

/// When `tokens` are refreshed ahead, if ever (see the module docs, "When").
pub(crate) fn due_at(tokens: &TokenSet) -> Option<Instant> {
    tokens.refresh_token()?;
    let lifetime = Duration::from_secs(tokens.expire_in()).min(MAX_LIFETIME);
    let usable = lifetime.checked_sub(EXPIRY_MARGIN)?;
    if usable <= MIN_USABLE_LIFE {
        return None;
    }
    let lead = (usable / 4).min(MAX_LEAD);
    tokens.expires_at().checked_sub(EXPIRY_MARGIN + lead)
}

impl Ahead {
    fn plan(&self) -> MutexGuard<'_, Plan> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session changed, or a client was dropped: the thread, if any, plans again.
    /// Called with the session's cache lock held or not; never takes it.
    pub(crate) fn poke(&self) {
        let mut plan = self.plan();
        plan.changes = plan.changes.wrapping_add(1);
        drop(plan);
        self.wake.notify_all();
    }

    /// Ends the thread unless something changed since it planned at `seen` (a use or a
    /// change it has not seen yet): whether it ends.
    fn stop(&self, seen: u64) -> bool {
        let mut plan = self.plan();
        if plan.changes != seen {
            return false;
        }
        plan.running = false;
        true
    }
}

impl SessionState {
    /// A use of the session (a sign-in, or a call that got the user's token `token`) by the
    /// client `client`: marks the session used and starts its timer thread if none runs.
    /// A use of a token whose refresh ahead failed is no use here: that token is never
    /// refreshed ahead again, and no thread starts for it.
    pub(crate) fn used_by(self: &Arc<SessionState>, client: Upgrade, token: &str) {
        let mut plan = self.ahead.plan();
        if plan.failed.as_deref() == Some(token) {
            return;
        }
        plan.used = true;
        plan.client = Some(client);
        if plan.running {
            // Not a wake-up (a burst of calls would wake the thread for each): the thread
            // sees it when it next plans, and does not end before it has.
            plan.changes = plan.changes.wrapping_add(1);
            return;
        }
        let state = Arc::downgrade(self);
        let spawned = thread::Builder::new()
            .name(THREAD_NAME.into())
            .spawn(move || run(&state));
        match spawned {
            Ok(_) => plan.running = true,
            Err(error) => log::warn!(
                target: logging::TARGET,
                "could not start the refresh-ahead thread ({error}): calls refresh the session in their path"
            ),
        }
    }

    /// The current session's access token and when it is refreshed ahead, without reading
    /// the store; `None` when there is nothing to refresh ahead.
    fn ahead_due(&self) -> Option<(String, Instant)> {
        let cache = self.cache();
        let Some(Some(session)) = &cache.loaded else {
            return None;
        };
        let tokens = session.tokens();
        Some((tokens.access_token().to_string(), due_at(tokens)?))
    }
}

/// Why the timer thread waits no more.
enum Woken {
    /// The planned moment came.
    Due,
    /// The session changed or a client was dropped: plan again.
    Changed,
}

/// The timer thread: plans, waits, refreshes, until there is nothing left to do.
///
/// The ahead lock is never held while the client is upgraded or let go: letting go of the
/// last handle drops the client, whose drop pokes (takes the lock).
fn run(state: &Weak<SessionState>) {
    loop {
        let Some(session) = state.upgrade() else {
            return;
        };
        let ahead = &session.ahead;
        let (seen, client, failed) = {
            let plan = ahead.plan();
            (plan.changes, plan.client.clone(), plan.failed.clone())
        };
        let due = session.ahead_due();
        let alive = client.as_ref().and_then(|upgrade| upgrade()).is_some();
        // A token whose refresh ahead failed is left to the calls' in-path refresh.
        let due = due.filter(|(token, _)| failed.as_deref() != Some(token.as_str()));
        let Some((token, at)) = due.filter(|_| alive) else {
            if ahead.stop(seen) {
                return;
            }
            continue;
        };
        let mut plan = ahead.plan();
        let woken = loop {
            if plan.changes != seen {
                break Woken::Changed;
            }
            let left = at.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break Woken::Due;
            }
            plan = ahead
                .wake
                .wait_timeout(plan, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        };
        if let Woken::Changed = woken {
            continue;
        }
        if !plan.used {
            log::debug!(
                target: logging::TARGET,
                "refresh ahead: the session was not used since the last refresh ahead; it is left to lapse"
            );
            plan.running = false;
            return;
        }
        plan.used = false;
        let client = plan.client.clone();
        drop(plan);
        let Some(client) = client.and_then(|upgrade| upgrade()) else {
            if ahead.stop(seen) {
                return;
            }
            continue;
        };
        let renewed = session.renew(
            Renew::Ahead { planned: &token },
            |refresh_token| client.refresh(refresh_token),
            |token| client.revoke(token),
        );
        drop(client);
        match renewed {
            // Renewed (the next plan is the new token's), or the session ended (the next
            // plan finds none).
            Ok(_) | Err(Refusal::NotSignedIn(_)) => {}
            Err(Refusal::Failed(answer)) => {
                log::info!(
                    target: logging::TARGET,
                    "refresh ahead failed (statusCode {}, apiCode {}): the session stays, its token is not refreshed ahead again; the next call that finds it expired refreshes it",
                    answer.status_code(),
                    answer.api_code(),
                );
                ahead.plan().failed = Some(token);
                if ahead.stop(seen) {
                    return;
                }
            }
            Err(Refusal::Store(_)) => {
                ahead.plan().failed = Some(token);
                if ahead.stop(seen) {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tokens(expire_in: u64, refresh: bool) -> TokenSet {
        let mut data = json!({"access_token": "a", "expire_in": expire_in});
        if refresh {
            data["refresh_token"] = json!("r");
        }
        TokenSet::from_answer(&data, Instant::now(), std::time::SystemTime::now()).unwrap()
    }

    #[test]
    fn a_quarter_of_the_usable_life_early_at_most_five_minutes() {
        let t = tokens(10, true);
        let usable_end = t.expires_at() - EXPIRY_MARGIN;
        assert_eq!(due_at(&t), Some(usable_end - Duration::from_millis(1250)));
        let t = tokens(7200, true);
        assert_eq!(due_at(&t), Some(t.expires_at() - EXPIRY_MARGIN - MAX_LEAD));
    }

    #[test]
    fn short_lived_tokens_and_sessions_without_refresh_token_are_never_refreshed_ahead() {
        assert_eq!(due_at(&tokens(6, true)), None);
        assert_eq!(due_at(&tokens(0, true)), None);
        assert_eq!(due_at(&tokens(3600, false)), None);
        assert!(due_at(&tokens(7, true)).is_some());
    }
}
