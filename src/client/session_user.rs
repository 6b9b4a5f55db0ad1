//! The user a session starts with: claims first, the full profile after the callback.
//!
//! When a sign-in's answer carries an id_token whose claims name the user (`sub`), the
//! session starts at once with the partial user built from them
//! (`model/id_token_user.rs`, [`UserInfo::is_partial`]), and the sign-in answers after its
//! one request. The full profile (`GET /api/v3/get-profile`, the same request a sign-in
//! sent before it answered until now) is fetched afterwards and replaces the partial user
//! in the session and the token store:
//! - in the callback form, on the same worker, once the answer is delivered (the callback
//!   returned, or its task was handed to the callback executor): `dispatch/after.rs`;
//! - in the blocking form (or a blocking sign-in inside a callback), on a worker of the
//!   client's dispatcher (`Dispatcher::detach`), so the blocking call returns after one
//!   round trip too.
//!
//! The full profile replaces the partial user only if the user is still partial and the
//! session is still the one it was fetched for, or one of the same user (a refresh renewed
//! the tokens meanwhile) ([`SessionState::complete_user`]): a sign-out meanwhile stays a
//! sign-out, a sign-in as someone else or a `get_profile` that answered first wins. A
//! fetch that fails leaves the partial user (logged at info); nothing retries it, and
//! `get_profile` completes it. Without an
//! id_token, or with one whose claims have no `sub`, the profile is fetched before the
//! sign-in answers, as always.
//!
//! [`UserInfo::is_partial`]: crate::UserInfo::is_partial
//! [`SessionState::complete_user`]: crate::session::SessionState

use std::sync::Arc;

use super::AuthClient;
use crate::dispatch::after::{self, Task};
use crate::logging;
use crate::model::id_token_user::user_from_id_token;
use crate::model::UserInfo;
use crate::session::TokenSet;

/// The user a session starts with ([`AuthClient::first_user`]).
pub(crate) enum FirstUser {
    /// Built from the id_token's claims: the full profile is to be fetched after the answer.
    Partial(UserInfo),
    /// Fetched before the answer, as always (`None` when the fetch failed).
    Fetched(Option<UserInfo>),
}

impl FirstUser {
    pub(crate) fn user(&self) -> Option<UserInfo> {
        match self {
            FirstUser::Partial(user) => Some(user.clone()),
            FirstUser::Fetched(user) => user.clone(),
        }
    }
}

impl AuthClient {
    /// The user of a session that starts with `tokens`: the id_token's claims when they
    /// name the user; otherwise the profile, fetched now.
    pub(crate) fn first_user(&self, tokens: &TokenSet) -> FirstUser {
        match tokens.id_token().and_then(user_from_id_token) {
            Some(user) => FirstUser::Partial(user),
            None => FirstUser::Fetched(
                self.fetch_profile(tokens.access_token(), [false; 3])
                    .user_info()
                    .ok(),
            ),
        }
    }

    /// Fetches the full profile of the session whose access token is `access_token` after
    /// the current call's answer is delivered (or, outside a call's work, on a worker of the
    /// dispatcher), and makes it the session's user if the session is still that one.
    pub(crate) fn complete_user_later(&self, access_token: &str) {
        let client = self.clone();
        let token = access_token.to_owned();
        let task: Task = Box::new(move || client.complete_user(&token));
        // (`complete_user` takes the clone and lets it go before the session changes.)
        if let Err(task) = after::defer(task) {
            if !self.inner.dispatcher.detach(task) {
                log::info!(
                    target: logging::TARGET,
                    "the full profile is not fetched after the sign-in: the dispatcher's queue is full; the user stays the one of the id_token's claims (get_profile fetches it)",
                );
            }
        }
    }

    /// The background half of [`complete_user_later`](Self::complete_user_later). It takes
    /// its clone of the client and drops it once the profile is in hand, before the session
    /// changes: whoever sees the full user may drop the last client of the app and find
    /// its connections gone with it (`tests/e2e/tls_reuse.rs`).
    fn complete_user(self, access_token: &str) {
        let still_partial = self.session().peek().is_some_and(|s| {
            s.tokens().access_token() == access_token && s.user().is_some_and(UserInfo::is_partial)
        });
        if !still_partial {
            log::info!(
                target: logging::TARGET,
                "the full profile is not fetched: the session changed (signed out, signed in again, or already completed) before the fetch began",
            );
            return;
        }
        let fetched = self.fetch_profile(access_token, [false; 3]);
        let session = Arc::clone(&self.inner.session);
        drop(self);
        match fetched.user_info() {
            Ok(user) => {
                let id = logging::word(user.user_id()).into_owned();
                if session.complete_user(access_token, user) {
                    log::info!(
                        target: logging::TARGET,
                        "the full profile of user {id} replaced the id_token's claims in the session",
                    );
                } else {
                    log::info!(
                        target: logging::TARGET,
                        "the full profile of user {id} arrived after the session changed (signed out, signed in again, refreshed, or completed by get_profile): dropped",
                    );
                }
            }
            Err(_) => log::info!(
                target: logging::TARGET,
                "the full profile could not be fetched after the sign-in (statusCode {}, apiCode {}, requestId {}): the user stays the one of the id_token's claims (get_profile fetches it)",
                fetched.status_code(),
                fetched.api_code(),
                logging::word(fetched.request_id().unwrap_or("none")),
            ),
        }
    }
}
