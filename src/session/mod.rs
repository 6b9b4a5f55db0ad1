//! The signed-in session: the [`TokenSet`] and user a client keeps after a sign-in, the
//! [`TokenStore`] it persists them in, the single-flight refresh of an expired access
//! token, and its refresh ahead of expiry in the background (`ahead.rs`).
//!
//! Android keeps the signed-in user in process-wide statics (`Authing.saveToken`). Here it
//! lives in the client's shared state: clones share it, and every `AuthClient::new()` of
//! the same app (app id and API endpoint) shares one, so Java-style `new AuthClient()` per
//! call still sees the signed-in user. A client made with the builder has a session of its
//! own, in the store given to `token_store(..)` (memory by default).

mod ahead;
mod captcha;
mod challenge;
mod file;
#[cfg(feature = "keyring")]
mod keychain;
mod machine_token;
mod refusal;
mod store;
pub(crate) mod tokens;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

pub(crate) use ahead::{Renewer, Upgrade};
pub(crate) use captcha::CaptchaCookie;
pub(crate) use challenge::PendingChallenge;
pub use file::FileTokenStore;
#[cfg(feature = "keyring")]
pub use keychain::KeyringTokenStore;
pub(crate) use machine_token::MachineTokenCache;
pub use machine_token::{MachineToken, MACHINE_TOKEN_MARGIN};
pub(crate) use refusal::refusal_reason;
use store::SessionApp;
pub use store::{MemoryTokenStore, Session, TokenStore, TokenStoreError, SESSION_FORMAT_VERSION};
pub use tokens::{TokenSet, EXPIRY_MARGIN};

use crate::client::config::Endpoint;
use crate::dispatch::slot::panic_text;
use crate::error::AuthError;
use crate::logging;
use crate::model::UserInfo;
use crate::response::AuthResponse;

/// Why the session could not give what a call needs; [`Refusal::into_response`] is the
/// call's answer.
pub(crate) enum Refusal {
    /// No session, or one that has ended (10015); why, as a whole phrase.
    NotSignedIn(String),
    /// The token store failed (10016).
    Store(TokenStoreError),
    /// A refresh failed; this is its answer.
    Failed(Box<AuthResponse>),
}

impl Refusal {
    /// The answer of a call the session refused.
    pub(crate) fn into_response(self) -> AuthResponse {
        match self {
            Refusal::NotSignedIn(reason) => {
                AuthResponse::from_error(AuthError::NotSignedIn { reason })
            }
            Refusal::Store(error) => AuthResponse::from_error(AuthError::TokenStore(error)),
            Refusal::Failed(answer) => *answer,
        }
    }
}

impl From<TokenStoreError> for Refusal {
    fn from(error: TokenStoreError) -> Refusal {
        Refusal::Store(error)
    }
}

/// Why a refresh did not give new tokens.
pub(crate) enum RefreshError {
    /// The refresh failed (network, server error, unreadable answer): the session stays,
    /// and a later call tries again. This is the answer.
    Failed(Box<AuthResponse>),
    /// The server refused the refresh token (OAuth `invalid_grant`): the session is over.
    Refused {
        /// What the server said (`error: error_description`, `refusal.rs`), without
        /// secrets.
        reason: String,
    },
}

/// Which refresh [`SessionState::renew`] does.
pub(crate) enum Renew<'a> {
    /// Only if the session's access token has expired (a call that needs a user), for a
    /// call that began at `started`.
    IfExpired { started: Instant },
    /// Only if the session's access token is still `rejected`, which the server refused
    /// (401: it expired on the server's clock before ours, or was revoked), or has expired,
    /// for a call that began at `started`. A caller that finds another token in the session
    /// (another call refreshed meanwhile, or someone signed in again) gets that session.
    IfRejected { started: Instant, rejected: &'a str },
    /// Always, with the session's refresh token (`get_new_access_token_by_refresh_token()`).
    Now,
    /// Always, with this refresh token (`get_new_access_token_by_refresh_token(Some(..))`).
    With(&'a str),
    /// Ahead of expiry, in the background (`ahead.rs`): only if the session's access token
    /// is still the `planned` one. A failure is nobody's answer: it is not kept for the
    /// calls that wait, which refresh for themselves.
    Ahead { planned: &'a str },
}

/// One client's session: cached in memory, persisted in its store.
///
/// Two locks, taken in this order: `io` serializes every change of the session (the store
/// call and the memory update that goes with it), so memory and store change in the same
/// order; `cache` guards the in-memory copy and is only ever held for a moment, never
/// across a store call, so reading the session (`get_current_user`, `get_token`, a call's
/// bearer) never waits for a slow store. Only the first read, which loads the store, does.
pub(crate) struct SessionState {
    store: Guarded,
    cache: Mutex<Cache>,
    /// Held across each store call and the memory update that goes with it.
    io: Mutex<()>,
    /// Held while a refresh is on the wire: one refresh at a time (single flight).
    turn: Mutex<()>,
    /// A sign-in's pending second-factor challenge (see `challenge.rs`).
    pub(crate) challenge: PendingChallenge,
    /// The cookie of the last captcha image, sent back until a sign-in succeeds (see
    /// `captcha.rs`).
    pub(crate) captcha: CaptchaCookie,
    /// The app the client is of: every session it saves records it, and a stored session
    /// that records another (or none) is no session for it. `None` for a state no
    /// configured client uses.
    app: Option<SessionApp>,
    /// Refresh ahead of expiry: whether the session was used, its timer thread
    /// (`ahead.rs`).
    ahead: ahead::Ahead,
}

#[derive(Default)]
struct Cache {
    /// `None` until the store has been read; then the session, if any.
    loaded: Option<Option<Arc<Session>>>,
    /// Bumped on every change of the session, so a refresh can tell whether it is stale.
    /// A change of the user alone (the full profile after a sign-in, `get_profile`, a
    /// profile update, a stale user dropped) keeps it: the session is the same, and a
    /// refresh that saves takes that user as it is then, not as it was when the refresh
    /// began ([`SessionState::save_unless_changed`]).
    generation: u64,
    /// The last failed refresh: its session generation, when it failed, and its answer, for
    /// the callers that waited for it.
    last_failure: Option<(u64, Instant, AuthResponse)>,
    /// The generation the last sign-out began at ([`SessionState::end`]).
    signed_out_at: Option<u64>,
    /// Why the tokens of refreshes that finished after a sign-out began could not be
    /// revoked, each with the generation it ended at, for that `logout`'s answer.
    orphan_failures: Vec<(u64, String)>,
}

/// What a refresh the server refused leaves ([`SessionState::after_refusal`]).
enum AfterRefusal {
    /// The store holds a newer session of this app (another copy of the app refreshed it):
    /// now the current one.
    Adopted(Arc<Session>),
    /// The session is over (or had already changed).
    Ended,
}

/// The client's [`TokenStore`], whose panics are caught: a store of the app's own that
/// panics fails its call with status code 10016 (`the token store panicked while saving
/// the session: …`), like a store that returns an error, instead of unwinding through the
/// SDK (the callback form would answer 10013, a defect of the SDK's; the blocking twin
/// would panic on the caller's thread). Nothing changes in memory when the store fails.
struct Guarded(Arc<dyn TokenStore>);

impl Guarded {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        guard("reading the session", || self.0.load())
    }

    fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
        guard("saving the session", || self.0.save(session))
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        guard("removing the session", || self.0.clear())
    }

    fn clear_if(&self, session: &Session) -> Result<(), TokenStoreError> {
        guard("removing the session", || self.0.clear_if(session))
    }
}

/// `call`'s result, or its panic as a [`TokenStoreError`] saying what the store was doing.
/// A failure is logged (info): the call that met it answers 10016.
fn guard<T>(
    doing: &str,
    call: impl FnOnce() -> Result<T, TokenStoreError>,
) -> Result<T, TokenStoreError> {
    let result = catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|p| {
        Err(TokenStoreError::new(format!(
            "the token store panicked while {doing}: {}",
            panic_text(p.as_ref())
        )))
    });
    if result.is_err() {
        // Not the store's own words: a store of the app's, a panic's payload or a keychain
        // entry named after an account could carry anything, an email included. The call
        // answers 10016 with them, where the app decides what to show.
        log::info!(
            target: logging::TARGET,
            "token store failed while {doing} (the call answers 10016 with the store's reason)"
        );
    }
    result
}

/// The sessions of `AuthClient::new()`, one per app (app id and API endpoint). Never
/// evicted: a process talks to few apps, and a session must outlive the client cache.
type SharedSessions = Vec<((Option<String>, Endpoint), Arc<SessionState>)>;
static SHARED: Mutex<SharedSessions> = Mutex::new(Vec::new());

impl SessionState {
    pub(crate) fn new(store: Arc<dyn TokenStore>) -> Arc<SessionState> {
        SessionState::with_app(store, None)
    }

    /// The session of a client of `app_id` at `endpoint`, kept in `store`: the sessions it
    /// saves record both, and it reads only a session that records both.
    pub(crate) fn for_app(
        store: Arc<dyn TokenStore>,
        app_id: Option<&str>,
        endpoint: &Endpoint,
    ) -> Arc<SessionState> {
        let api = match endpoint {
            Endpoint::Fixed(base_url) => base_url.clone(),
            Endpoint::Discover {
                console,
                domain,
                scheme,
            } => format!("{scheme}://*.{domain} (discovered at {console})"),
            Endpoint::Missing => String::new(),
        };
        let app = SessionApp {
            app_id: app_id.unwrap_or_default().to_string(),
            api,
        };
        SessionState::with_app(store, Some(app))
    }

    fn with_app(store: Arc<dyn TokenStore>, app: Option<SessionApp>) -> Arc<SessionState> {
        Arc::new(SessionState {
            store: Guarded(store),
            cache: Mutex::new(Cache::default()),
            io: Mutex::new(()),
            turn: Mutex::new(()),
            challenge: PendingChallenge::default(),
            captcha: CaptchaCookie::default(),
            app,
            ahead: ahead::Ahead::default(),
        })
    }

    /// The store's session if it is this client's: one that records another app or API, or
    /// none (a version 1 form), is no session here, and its tokens are never sent.
    fn load_own(&self) -> Result<Option<Session>, TokenStoreError> {
        let loaded = self.store.load()?;
        Ok(match &self.app {
            None => loaded,
            Some(app) => loaded.filter(|s| s.belongs_to(app)),
        })
    }

    /// `session`, recording this client's app, for the store.
    fn own(&self, session: Session) -> Session {
        match &self.app {
            Some(app) => session.for_app(app),
            None => session,
        }
    }

    /// The in-memory session that every `AuthClient::new()` of this app shares.
    pub(crate) fn shared(app_id: Option<&str>, endpoint: &Endpoint) -> Arc<SessionState> {
        let key = (app_id.map(str::to_string), endpoint.clone());
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, state)) = shared.iter().find(|(k, _)| *k == key) {
            return Arc::clone(state);
        }
        let state = SessionState::for_app(Arc::new(MemoryTokenStore::new()), app_id, endpoint);
        shared.push((key, Arc::clone(&state)));
        state
    }

    /// A client of this session was dropped: the refresh-ahead thread, if any, checks
    /// whether the client it refreshes through is gone (`ahead.rs`).
    pub(crate) fn client_dropped(&self) {
        self.ahead.poke();
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The lock every change of the session takes first (see the type's docs).
    fn io(&self) -> MutexGuard<'_, ()> {
        self.io.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The session and its generation, read from the store the first time. A store that
    /// cannot be read is asked again next time.
    pub(crate) fn current(&self) -> Result<(Option<Arc<Session>>, u64), Refusal> {
        {
            let cache = self.cache();
            if let Some(loaded) = &cache.loaded {
                return Ok((loaded.clone(), cache.generation));
            }
        }
        let _io = self.io();
        self.loaded_under_io()
    }

    /// [`current`](Self::current) for a caller that holds `io`: loads the store if no one
    /// has yet (the cache lock is not held while the store reads).
    fn loaded_under_io(&self) -> Result<(Option<Arc<Session>>, u64), Refusal> {
        {
            let cache = self.cache();
            if let Some(loaded) = &cache.loaded {
                return Ok((loaded.clone(), cache.generation));
            }
        }
        let loaded = self.load_own()?.map(Arc::new);
        let mut cache = self.cache();
        cache.loaded = Some(loaded.clone());
        Ok((loaded, cache.generation))
    }

    /// The session, or `None` when there is none or the store cannot be read.
    pub(crate) fn peek(&self) -> Option<Arc<Session>> {
        self.current().ok().and_then(|(session, _)| session)
    }

    /// Saves `session` in the store, then makes it the current one. When the store fails,
    /// nothing changes and the answer is 10016.
    pub(crate) fn save(&self, session: Session) -> Result<Arc<Session>, Refusal> {
        let session = self.own(session);
        let _io = self.io();
        self.store.save(&session)?;
        let session = Arc::new(session);
        let mut cache = self.cache();
        cache.loaded = Some(Some(Arc::clone(&session)));
        cache.generation += 1;
        self.ahead.poke();
        cache.last_failure = None;
        self.challenge.clear();
        Ok(session)
    }

    /// The first step of a sign-out: forgets the session in memory at once, so that no call
    /// picks up its tokens any more and a refresh on the wire knows its session ended.
    /// Answers the session that was current (loading the store if no one had), and the
    /// generation the sign-out made, for [`logout_turn`](Self::logout_turn),
    /// [`take_orphan_failures`](Self::take_orphan_failures) and
    /// [`clear_store_after_logout`](Self::clear_store_after_logout).
    pub(crate) fn end(&self) -> (Result<Option<Arc<Session>>, Refusal>, u64) {
        self.challenge.clear();
        self.captcha.clear();
        let _io = self.io();
        let ended = self.loaded_under_io().map(|(session, _)| session);
        let mut cache = self.cache();
        cache.loaded = Some(None);
        cache.generation += 1;
        self.ahead.poke();
        cache.last_failure = None;
        cache.signed_out_at = Some(cache.generation);
        (ended, cache.generation)
    }

    /// Waits for the refresh on the wire, if any, and keeps others from starting while held:
    /// a sign-out holds it while it revokes, so that the tokens of a refresh that raced it
    /// have been revoked (see [`renew`](Self::renew)) before it answers.
    pub(crate) fn logout_turn(&self) -> MutexGuard<'_, ()> {
        self.turn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Why tokens refreshed after the sign-out of `generation` began could not be revoked.
    pub(crate) fn take_orphan_failures(&self, generation: u64) -> Vec<String> {
        std::mem::take(&mut self.cache().orphan_failures)
            .into_iter()
            .filter(|(at, _)| *at == generation)
            .map(|(_, why)| why)
            .collect()
    }

    /// The last step of a sign-out: forgets the session in the store (10016 when it
    /// cannot), unless someone signed in since [`end`](Self::end) gave `generation`, or the
    /// store holds another app's session, which is not this client's to remove.
    pub(crate) fn clear_store_after_logout(&self, generation: u64) -> Result<(), Refusal> {
        let _io = self.io();
        if self.cache().generation != generation {
            return Ok(());
        }
        if let (Some(app), Ok(Some(held))) = (&self.app, self.store.load()) {
            if held.app_id().is_some() && !held.belongs_to(app) {
                return Ok(());
            }
        }
        Ok(self.store.clear()?)
    }

    /// After the server refused the refresh token of `ended` (the session of `generation`):
    /// reads the store again, and adopts a newer session of this app found there (another
    /// copy of the app, sharing the store, refreshed first and so spent the refresh token
    /// this one held); otherwise forgets the session in memory and, if the store still
    /// holds it, there too ([`TokenStore::clear_if`]; its failure is 10016). Nothing
    /// changes when the session changed meanwhile (a sign-in while the refresh was on the
    /// wire wins). Without `adopt`, the store is not read again: the session ends.
    fn after_refusal(
        &self,
        generation: u64,
        ended: &Session,
        adopt: bool,
    ) -> Result<AfterRefusal, Refusal> {
        let _io = self.io();
        if self.cache().generation != generation {
            return Ok(AfterRefusal::Ended);
        }
        if let (true, Ok(Some(stored))) = (adopt, self.load_own()) {
            if !stored.holds_same_tokens(ended) {
                let stored = Arc::new(stored);
                let mut cache = self.cache();
                cache.loaded = Some(Some(Arc::clone(&stored)));
                cache.generation += 1;
                self.ahead.poke();
                cache.last_failure = None;
                return Ok(AfterRefusal::Adopted(stored));
            }
        }
        {
            let mut cache = self.cache();
            cache.loaded = Some(None);
            cache.generation += 1;
            self.ahead.poke();
            cache.last_failure = None;
        }
        self.challenge.clear();
        self.store.clear_if(ended)?;
        Ok(AfterRefusal::Ended)
    }

    /// Forgets the session whose access token is `access_token`, if it is still the current
    /// one (a sign-in meanwhile wins): in memory always, then in the store (10016).
    pub(crate) fn clear_if_current(&self, access_token: &str) -> Result<(), Refusal> {
        let _io = self.io();
        match self.forget_current_under_io(access_token) {
            Some(_) => Ok(self.store.clear()?),
            None => Ok(()),
        }
    }

    /// [`clear_if_current`](Self::clear_if_current) for a session the server ended: the
    /// store is cleared only if it still holds that session ([`TokenStore::clear_if`]), so
    /// a newer one another copy of the app saved there stays.
    pub(crate) fn end_if_current(&self, access_token: &str) -> Result<(), Refusal> {
        let _io = self.io();
        match self.forget_current_under_io(access_token) {
            Some(ended) => Ok(self.store.clear_if(&ended)?),
            None => Ok(()),
        }
    }

    /// Forgets the session in memory if its access token is `access_token`; answers it.
    fn forget_current_under_io(&self, access_token: &str) -> Option<Arc<Session>> {
        let mut cache = self.cache();
        let current = match &cache.loaded {
            Some(Some(current)) if current.tokens().access_token() == access_token => {
                Arc::clone(current)
            }
            _ => return None,
        };
        cache.loaded = Some(None);
        cache.generation += 1;
        self.ahead.poke();
        cache.last_failure = None;
        Some(current)
    }

    /// Makes `user` the user of the session whose access token is `access_token`, if that
    /// session is still the current one. Persisting it is best effort: the tokens, which
    /// are what matters, are unchanged.
    pub(crate) fn update_user(&self, access_token: &str, user: UserInfo) {
        let _io = self.io();
        let updated = {
            let cache = self.cache();
            let Some(Some(current)) = &cache.loaded else {
                return;
            };
            // An unchanged user is not written again: `get_profile` would otherwise write
            // the store (a file, for `FileTokenStore`) on every call.
            if current.tokens().access_token() != access_token || current.user() == Some(&user) {
                return;
            }
            Arc::new(current.with_user(Some(user)))
        };
        // Nobody else changes the session while we hold `io`: what we read is still current.
        let _ = self.store.save(&updated);
        self.cache().loaded = Some(Some(updated));
    }

    /// Replaces the partial user (built from the sign-in's id_token) of the current session
    /// with `user`, the full profile fetched with `access_token` after the sign-in's
    /// callback, if the session's user is still partial and it is the same session (its
    /// access token is still `access_token`) or the same user (a refresh renewed the tokens
    /// while the profile was on the wire: the user id decides). A sign-out meanwhile
    /// (nothing is brought back), a sign-in as someone else, or a `get_profile` that
    /// answered first wins. Whether it replaced it. Persisting it is best effort, as
    /// [`update_user`](Self::update_user).
    pub(crate) fn complete_user(&self, access_token: &str, user: UserInfo) -> bool {
        let _io = self.io();
        let updated = {
            let cache = self.cache();
            let Some(Some(current)) = &cache.loaded else {
                return false;
            };
            let Some(shown) = current.user().filter(|u| u.is_partial()) else {
                return false;
            };
            let same_session = current.tokens().access_token() == access_token;
            if !same_session && shown.user_id() != user.user_id() {
                return false;
            }
            Arc::new(current.with_user(Some(user)))
        };
        // Nobody else changes the session while we hold `io`: what we read is still current.
        let _ = self.store.save(&updated);
        self.cache().loaded = Some(Some(updated));
        true
    }

    /// Drops the cached user of the session whose access token is `access_token` (it is
    /// stale and could not be fetched again); the tokens stay. Best effort, as
    /// [`update_user`](Self::update_user).
    pub(crate) fn forget_user(&self, access_token: &str) {
        let _io = self.io();
        let updated = {
            let cache = self.cache();
            let Some(Some(current)) = &cache.loaded else {
                return;
            };
            if current.tokens().access_token() != access_token || current.user().is_none() {
                return;
            }
            Arc::new(current.with_user(None))
        };
        let _ = self.store.save(&updated);
        self.cache().loaded = Some(Some(updated));
    }

    /// The access token for a call that needs a user, refreshed first when it has expired.
    /// Without a session, or with an expired one that cannot be refreshed, the answer is
    /// 10015 and nothing goes on the wire.
    pub(crate) fn access_token(
        &self,
        refresh: impl FnMut(&str) -> Result<TokenSet, RefreshError>,
        revoke: impl Fn(&str) -> Option<String>,
    ) -> Result<String, Refusal> {
        let started = Instant::now();
        let (session, _) = self.current()?;
        let session = session.ok_or_else(no_session)?;
        if !session.tokens().is_expired() {
            return Ok(session.tokens().access_token().to_string());
        }
        let renewed = self.renew(Renew::IfExpired { started }, refresh, revoke)?;
        Ok(renewed.tokens().access_token().to_string())
    }

    /// Refreshes the tokens, one refresh at a time per session. A caller that waited while
    /// another refreshed uses that refresh's outcome: the new tokens, or, if it failed
    /// after the caller began, the same failure. Ten calls that find the token expired, or
    /// that the server answered 401 for the same token, together cause one refresh.
    ///
    /// When the server refuses the session's refresh token, the store is read again first:
    /// a newer session of this app found there (another copy of the app refreshed it) is
    /// adopted and used (refreshed once more if it needs it) instead of ending the session
    /// ([`after_refusal`](Self::after_refusal)).
    ///
    /// When a sign-out began while the refresh was on the wire, the tokens the refresh
    /// produced belong to nobody: they are revoked with `revoke` (which answers why not, if
    /// it could not), never handed to the caller, and the answer is 10015. The revocation
    /// happens before the single-flight turn is let go, so the `logout` waiting for it
    /// ([`logout_turn`](Self::logout_turn)) answers after it, and says so if it failed.
    /// (When a sign-in replaced the session meanwhile, the caller gets the refreshed
    /// session, which is not saved: the sign-in wins the store.) A user that changed while
    /// the refresh was on the wire (the full profile replacing the sign-in's partial user,
    /// a profile update) is kept: the refreshed session takes the session's user as it is
    /// when the refresh lands.
    pub(crate) fn renew(
        &self,
        mode: Renew<'_>,
        mut refresh: impl FnMut(&str) -> Result<TokenSet, RefreshError>,
        revoke: impl Fn(&str) -> Option<String>,
    ) -> Result<Arc<Session>, Refusal> {
        let _turn = self.turn.lock().unwrap_or_else(PoisonError::into_inner);
        let (session, generation) = self.current()?;
        let stale_since = match &mode {
            Renew::IfExpired { started } => Some((*started, None)),
            Renew::IfRejected { started, rejected } => Some((*started, Some(*rejected))),
            Renew::Now | Renew::With(_) | Renew::Ahead { .. } => None,
        };
        if let Renew::Ahead { planned } = mode {
            // Never revives an ended session; leaves one that changed meanwhile alone.
            let session = session.as_ref().ok_or_else(no_session)?;
            if session.tokens().access_token() != planned {
                return Ok(Arc::clone(session));
            }
        }
        if let Some((started, rejected)) = stale_since {
            let session = session.as_ref().ok_or_else(no_session)?;
            let tokens = session.tokens();
            if !tokens.is_expired() && rejected != Some(tokens.access_token()) {
                return Ok(Arc::clone(session));
            }
            if let Some((failed_generation, at, answer)) = &self.cache().last_failure {
                if *failed_generation == generation && *at >= started {
                    return Err(Refusal::Failed(Box::new(answer.clone())));
                }
            }
        }
        let refresh_token = match (&mode, &session) {
            (Renew::With(token), _) => (*token).to_string(),
            (_, None) => return Err(no_session()),
            (_, Some(session)) => session_refresh_token(session)?,
        };
        let mut attempt = Attempt {
            generation,
            session,
            refresh_token,
        };
        // At most two newer sessions are adopted from the store per renewal (three copies
        // of the app refreshing at once), so that copies that keep racing cannot loop.
        let mut adoptions_left = 2u8;
        loop {
            // The session this refresh renews: the current one when its refresh token is used.
            let renewing = attempt
                .session
                .filter(|s| s.tokens().refresh_token() == Some(attempt.refresh_token.as_str()));
            let generation = attempt.generation;
            match refresh(&attempt.refresh_token) {
                Ok(tokens) => {
                    let renewed = match &renewing {
                        Some(old) => old.renewed(tokens),
                        None => Session::new(tokens, None),
                    };
                    let renewed_from = renewing.as_ref().map(|_| attempt.refresh_token.as_str());
                    return self.save_unless_changed(generation, renewed, renewed_from, &revoke);
                }
                Err(RefreshError::Failed(answer)) => {
                    log::info!(
                        target: logging::TARGET,
                        "session refresh failed (statusCode {}, apiCode {}, requestId {}): the session stays for a later try",
                        answer.status_code(),
                        answer.api_code(),
                        logging::word(answer.request_id().unwrap_or("none")),
                    );
                    let mut cache = self.cache();
                    let ahead = matches!(mode, Renew::Ahead { .. });
                    if cache.generation == generation && !ahead {
                        cache.last_failure = Some((generation, Instant::now(), (*answer).clone()));
                    }
                    return Err(Refusal::Failed(answer));
                }
                Err(RefreshError::Refused { reason }) => {
                    let refused = || Refusal::NotSignedIn(refusal::refused_message(&reason));
                    let Some(ended) = renewing else {
                        return Err(refused());
                    };
                    let adopt = adoptions_left > 0;
                    let adopted = match self.after_refusal(generation, &ended, adopt)? {
                        AfterRefusal::Adopted(adopted) => {
                            log::warn!(
                                target: logging::TARGET,
                                "the server refused the refresh token, but the token store, read again, holds a newer session of user {} (another copy of the app refreshed it): adopted",
                                logging::user_of(adopted.user()),
                            );
                            adopted
                        }
                        AfterRefusal::Ended => {
                            log::info!(
                                target: logging::TARGET,
                                "session ended: the server refused the refresh token of user {}",
                                logging::user_of(ended.user()),
                            );
                            return Err(refused());
                        }
                    };
                    adoptions_left -= 1;
                    // A call that needs a user takes the adopted session as it is while its
                    // access token serves; an explicit refresh of the session renews it.
                    let serves = match (&mode, stale_since) {
                        (Renew::With(_), _) => return Err(refused()),
                        // The adopted session is planned afresh.
                        (Renew::Ahead { .. }, _) => true,
                        (_, Some((_, rejected))) => {
                            !adopted.tokens().is_expired()
                                && rejected != Some(adopted.tokens().access_token())
                        }
                        (_, None) => false,
                    };
                    if serves {
                        return Ok(adopted);
                    }
                    attempt = Attempt {
                        generation: self.cache().generation,
                        refresh_token: session_refresh_token(&adopted)?,
                        session: Some(adopted),
                    };
                }
            }
        }
    }

    /// Saves a refreshed session, unless the session changed while the refresh was on the
    /// wire (a sign-in or sign-out meanwhile wins). After a sign-out its tokens belong to
    /// nobody, are revoked with `revoke`, and the answer is 10015 (see
    /// [`renew`](Self::renew)).
    ///
    /// `renewed_from` is the refresh token of the session `session` renews, if it renews
    /// one. The user is taken from that session as it is cached now, not as it was when the
    /// refresh began: the user can change without a new generation (the full profile that
    /// follows a sign-in replacing the id_token's claims, a `get_profile`, a profile update,
    /// a stale user dropped), and a refresh on the wire meanwhile must not bring the old
    /// user back.
    fn save_unless_changed(
        &self,
        generation: u64,
        session: Session,
        renewed_from: Option<&str>,
        revoke: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Arc<Session>, Refusal> {
        let session = self.own(session);
        let signed_out = {
            let _io = self.io();
            let cache = self.cache();
            let signed_out = cache.signed_out_at.filter(|at| *at > generation);
            if cache.generation != generation && signed_out.is_none() {
                log::info!(
                    target: logging::TARGET,
                    "session refreshed for user {}, not saved: the session changed while the refresh was on the wire",
                    logging::user_of(session.user()),
                );
                return Ok(Arc::new(session));
            }
            // The same generation: the cached session is the one renewed, but its user may
            // have changed since the refresh began. That user is kept.
            let current_user = match &cache.loaded {
                Some(Some(current))
                    if renewed_from.is_some()
                        && current.tokens().refresh_token() == renewed_from =>
                {
                    Some(current.user().cloned())
                }
                _ => None,
            };
            drop(cache);
            if signed_out.is_none() {
                let session = match current_user {
                    Some(user) => session.with_user(user),
                    None => session,
                };
                // Nobody else changes the session while we hold `io`: the generation holds.
                self.store.save(&session)?;
                let session = Arc::new(session);
                let mut cache = self.cache();
                cache.loaded = Some(Some(Arc::clone(&session)));
                cache.generation += 1;
                self.ahead.poke();
                cache.last_failure = None;
                log::info!(
                    target: logging::TARGET,
                    "session refreshed: user {}, session saved",
                    logging::user_of(session.user()),
                );
                return Ok(session);
            }
            signed_out.unwrap_or(generation)
        };
        let tokens = session.tokens();
        let failures: Vec<String> = tokens
            .refresh_token()
            .into_iter()
            .chain([tokens.access_token()])
            .filter_map(revoke)
            .collect();
        let outcome = if failures.is_empty() {
            "the tokens it produced were revoked"
        } else {
            "the tokens it produced could not all be revoked"
        };
        log::info!(
            target: logging::TARGET,
            "a refresh finished after a sign-out began: {outcome}"
        );
        let why = |failure| {
            let said = "the tokens of a refresh that raced the sign-out could not be revoked";
            (signed_out, format!("{said} ({failure})"))
        };
        let reasons = failures.into_iter().map(why);
        self.cache().orphan_failures.extend(reasons);
        Err(Refusal::NotSignedIn(format!(
            "signed out while the session was being refreshed; {outcome}"
        )))
    }
}

/// One refresh of [`SessionState::renew`]: the session it renews (as of `generation`) and
/// the refresh token it sends.
struct Attempt {
    generation: u64,
    session: Option<Arc<Session>>,
    refresh_token: String,
}

/// The refresh token of `session`, or the 10015 that says it has none.
fn session_refresh_token(session: &Session) -> Result<String, Refusal> {
    session
        .tokens()
        .refresh_token()
        .map(str::to_string)
        .ok_or_else(|| {
            Refusal::NotSignedIn(
                if session.tokens().is_expired() {
                    "the session has expired and holds no refresh token; sign in again"
                } else {
                    "the session holds no refresh token (sign in with the offline_access scope to get one)"
                }
                .to_string(),
            )
        })
}

fn no_session() -> Refusal {
    Refusal::NotSignedIn("no user is signed in; sign in first".into())
}
