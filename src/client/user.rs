//! The signed-in user as the plumbing sees it: the access token a call that needs a user
//! sends (refreshed first when it has expired, once more when the server rejects it), and
//! the answer that refuses a sign-in whose token store cannot be read.

use std::time::Instant;

use super::AuthClient;
use crate::response::AuthResponse;
use crate::session::{Refusal, Renew};

impl AuthClient {
    /// The answer refusing a sign-in whose token store cannot be read (10016), if any: a
    /// sign-in that could not save its session must not start (QR, social sign-in).
    pub(crate) fn store_refusal(&self) -> Option<AuthResponse> {
        if self.settings().is_err() {
            return None;
        }
        self.session().current().err().map(|r| r.into_response())
    }

    /// The access token a call that needs a user sends as `Authorization: Bearer`: the
    /// session's, refreshed first when it has expired; without a session the builder's
    /// `access_token` stands in; without either, the 10015 answer (nothing is sent).
    pub(crate) fn user_token(&self) -> Result<String, Refusal> {
        let (session, _) = self.inner.session.current()?;
        if session.is_none() {
            if let Some(token) = self.settings().ok().and_then(|c| c.access_token.clone()) {
                return Ok(token);
            }
        }
        self.inner
            .session
            .access_token(|refresh_token| self.refresh_tokens(refresh_token))
    }

    /// Runs `call` with the access token of a call that needs a user
    /// ([`user_token`](Self::user_token)). When the server rejects that token (statusCode
    /// 401 with apiCode 2020 or none: it expired on the server's clock before it did on
    /// ours, or it was revoked) and the token is the session's, which holds a refresh
    /// token, the session is renewed once and `call` runs once more with the new token.
    /// Calls that meet the same rejected token share one refresh (single flight). The
    /// renewal's failure is the answer, as for a token that expired here: 10015 when the
    /// server refuses the refresh token (the session ends), the refresh's own answer when
    /// it fails otherwise. Without a session or a refresh token, the server's 401 is the
    /// answer.
    pub(crate) fn as_user(&self, call: impl Fn(&str) -> AuthResponse) -> AuthResponse {
        let started = Instant::now();
        let token = match self.user_token() {
            Ok(token) => token,
            Err(refused) => return refused.into_response(),
        };
        let first = call(&token);
        let rejected = first.status_code() == 401 && matches!(first.api_code(), 0 | 2020);
        let renewable = self
            .inner
            .session
            .peek()
            .is_some_and(|s| s.tokens().refresh_token().is_some());
        if !rejected || !renewable {
            return first;
        }
        let renewed = self.inner.session.renew(
            Renew::IfRejected {
                started,
                rejected: &token,
            },
            |refresh_token| self.refresh_tokens(refresh_token),
        );
        match renewed {
            Ok(session) => call(session.tokens().access_token()),
            Err(refused) => refused.into_response(),
        }
    }
}
