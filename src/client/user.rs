//! The signed-in user as every family needs it, so that no family borrows it from another:
//! - the access token a call that needs a user sends (refreshed first when it has
//!   expired, once more when the server rejects it): `as_user`, `checked_as_user`,
//!   `get_as_user`, `post_json_as_user`; each use of the session (a call that got the
//!   token, a sign-in) plans its refresh ahead of expiry (`session/ahead.rs`), through
//!   this client as a [`Renewer`];
//! - the start of a session after a sign-in (`finish_sign_in`, `start_session`: the MFA
//!   challenge, the tokens, the user (from the id_token's claims, the full profile after
//!   the answer: `session_user.rs`; or fetched before the answer), the token store);
//! - the token refresh (`refresh_tokens`, `POST /oidc/token`), the revocation of a token
//!   (`revoke_one_token`, `POST /oidc/token/revocation`: sign-out, and the tokens of a refresh
//!   that finished after its session ended) and the user fetched again after a change
//!   (`after_user_change`);
//! - the answer that refuses a sign-in whose token store cannot be read.

use std::cell::Cell;
use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;

use super::session_user::FirstUser;
use super::{json_body, Auth, AuthClient, Query};
use crate::error::{ApiCode, AuthError, InputError};
use crate::logging;
use crate::model::page::Paging;
use crate::response::{codes, AuthResponse};
use crate::session::{RefreshError, Refusal, Renew, Renewer, Session, TokenSet};
use crate::transport::Shape;

/// `getProfile`'s endpoint.
pub(crate) const PROFILE_PATH: &str = "/api/v3/get-profile";
/// The OAuth token endpoint (refresh).
pub(crate) const TOKEN_PATH: &str = "/oidc/token";
/// The OAuth token revocation endpoint (sign-out).
pub(crate) const REVOCATION_PATH: &str = "/oidc/token/revocation";

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
        let token = self.inner.session.access_token(
            |refresh_token| self.refresh_tokens(refresh_token),
            |token| self.revoke_one_token(token),
        )?;
        self.used_session(&token);
        Ok(token)
    }

    /// A use of the session (a sign-in, or a call that got the user's token): the session
    /// is refreshed ahead of expiry unless this client opted out (`session/ahead.rs`).
    /// `token` is the access token it got.
    fn used_session(&self, token: &str) {
        if self.inner.config.as_ref().is_ok_and(|c| c.refresh_ahead) {
            self.inner
                .session
                .used_by(Arc::clone(&self.inner.ahead_client), token);
        }
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
        // The session's token before the call, to tell (in its debug records) whether the
        // token it sends was refreshed for it.
        let held = log::log_enabled!(target: logging::TARGET, log::Level::Debug)
            .then(|| self.inner.session.peek())
            .flatten();
        let token = match self.user_token() {
            Ok(token) => token,
            Err(refused) => return refused.into_response(),
        };
        let refreshed = held.is_some_and(|s| s.tokens().access_token() != token);
        let marks = logging::Marks {
            refreshed,
            ..logging::Marks::default()
        };
        let first = logging::marked(marks, || call(&token));
        let rejected = first.status_code() == 401 && matches!(first.api_code(), 0 | 2020);
        let renewable = self
            .inner
            .session
            .peek()
            .is_some_and(|s| s.tokens().refresh_token().is_some());
        if !rejected || !renewable {
            return first;
        }
        log::warn!(
            target: logging::TARGET,
            "the server rejected the access token (statusCode 401, apiCode {}, requestId {}): refreshing the session, then sending the call once more",
            first.api_code(),
            logging::word(first.request_id().unwrap_or("none")),
        );
        let renewed = self.inner.session.renew(
            Renew::IfRejected {
                started,
                rejected: &token,
            },
            |refresh_token| self.refresh_tokens(refresh_token),
            |token| self.revoke_one_token(token),
        );
        match renewed {
            Ok(session) => {
                let marks = logging::Marks {
                    refreshed: true,
                    ..logging::Marks::default()
                };
                logging::marked(marks, || call(session.tokens().access_token()))
            }
            Err(refused) => {
                let answer = refused.into_response();
                log::info!(
                    target: logging::TARGET,
                    "the session could not be renewed after the 401: statusCode {}, apiCode {}; the call is not sent again",
                    answer.status_code(),
                    answer.api_code(),
                );
                answer
            }
        }
    }

    /// Starts the session of a successful sign-in: reads its tokens, takes the user from
    /// the id_token's claims (the full profile is fetched after the answer is delivered,
    /// `session_user.rs`) or, without usable claims, fetches it now, and saves both in the
    /// token store. The sign-in's answer on success. Every sign-in comes through here.
    pub(crate) fn start_session(&self, signed_in: AuthResponse) -> AuthResponse {
        self.start_session_as(signed_in, false)
    }

    /// [`start_session`](Self::start_session), marking the session as started by the
    /// OpenID Connect authorization code flow when `oidc` (sign-out then ends the
    /// provider's session too).
    pub(crate) fn start_session_as(&self, signed_in: AuthResponse, oidc: bool) -> AuthResponse {
        let tokens = match signed_in.login_token_data() {
            Ok(tokens) => tokens,
            Err(error) => {
                let mut answer = AuthResponse::from_error(error);
                answer.request_id = signed_in.request_id.clone();
                return answer;
            }
        };
        let first = self.first_user(&tokens);
        let partial = matches!(first, FirstUser::Partial(_));
        let session = Session::new(tokens, first.user());
        let session = if oidc {
            session.with_oidc_session()
        } else {
            session
        };
        match self.session().save(session) {
            Ok(saved) => {
                self.used_session(saved.tokens().access_token());
                // The captcha (if any) did its job: its cookie is not sent again.
                self.session().captcha.clear();
                log::info!(
                    target: logging::TARGET,
                    "signed in: user {}{}, session saved{}",
                    logging::user_of(saved.user()),
                    if oidc { " (browser sign-in)" } else { "" },
                    if partial {
                        " (user from the id_token's claims; the full profile follows the answer)"
                    } else {
                        ""
                    },
                );
                if partial {
                    self.complete_user_later(saved.tokens().access_token());
                }
                signed_in
            }
            Err(store_failed) => {
                let answer = store_failed.into_response();
                log::info!(
                    target: logging::TARGET,
                    "signed in on the server, but the session could not be saved (statusCode {}): not signed in here",
                    answer.status_code(),
                );
                answer
            }
        }
    }

    /// `GET /api/v3/get-profile` with `access_token`, the three flags spelled out.
    pub(crate) fn fetch_profile(&self, access_token: &str, flags: [bool; 3]) -> AuthResponse {
        let text = |b: bool| if b { "true" } else { "false" };
        self.get_with(
            PROFILE_PATH,
            &[
                ("withCustomData", text(flags[0])),
                ("withIdentities", text(flags[1])),
                ("withDepartmentIds", text(flags[2])),
            ],
            Shape::Envelope,
            Auth::Bearer(access_token),
        )
    }

    /// Revokes one token (`POST /oidc/token/revocation`, form `client_id=<app id>&token=..`);
    /// `None` when the server did, else why not (never quoting the token).
    pub(crate) fn revoke_one_token(&self, token: &str) -> Option<String> {
        let app_id = self.settings().ok()?.app_id.clone().unwrap_or_default();
        let response = self.post_form(REVOCATION_PATH, || {
            Ok(vec![("client_id", app_id), ("token", token.to_string())])
        });
        // An empty 200 (RFC 7009), plain JSON, or the spec's `IsSuccessRespDto`.
        let refused = response.data().and_then(|d| d.get("success")) == Some(&Value::Bool(false));
        match response.error() {
            None if !refused => None,
            None => Some("the server answered success: false".into()),
            Some(error) => Some(error.to_string()),
        }
    }

    /// The automatic refresh of a call that needs a user.
    pub(crate) fn refresh_tokens(&self, refresh_token: &str) -> Result<TokenSet, RefreshError> {
        self.request_refresh(refresh_token).1
    }

    /// `POST /oidc/token` with `grant_type=refresh_token`: the answer, and what it means.
    pub(crate) fn request_refresh(
        &self,
        refresh_token: &str,
    ) -> (AuthResponse, Result<TokenSet, RefreshError>) {
        let app_id = self
            .settings()
            .ok()
            .and_then(|c| c.app_id.clone())
            .unwrap_or_default();
        let response = self.post_form(TOKEN_PATH, || {
            Ok(vec![
                ("client_id", app_id),
                ("grant_type", "refresh_token".to_string()),
                ("refresh_token", refresh_token.to_string()),
            ])
        });
        let outcome = if response.is_success() {
            response.login_token_data().map_err(|error| {
                let mut answer = AuthResponse::from_error(error);
                answer.request_id = response.request_id.clone();
                RefreshError::Failed(Box::new(answer))
            })
        } else if oauth_field(&response, "error").as_deref() == Some("invalid_grant") {
            let description = oauth_field(&response, "error_description");
            Err(RefreshError::Refused {
                reason: crate::session::refusal_reason(
                    "invalid_grant",
                    description.as_deref(),
                    refresh_token,
                ),
            })
        } else {
            Err(RefreshError::Failed(Box::new(response.clone())))
        };
        (response, outcome)
    }

    /// What a sign-in's answer does to the session: an MFA challenge waits, a success
    /// starts the session. Shared by every sign-in that answers a `LoginTokenRespDto`
    /// (`api/signin.rs`, `api/social.rs`).
    pub(crate) fn finish_sign_in(&self, response: AuthResponse) -> AuthResponse {
        self.finish_sign_in_by(response, |signed_in| self.start_session(signed_in))
    }

    /// [`finish_sign_in`](Self::finish_sign_in), a success starting the session with
    /// `start` (`auth_by_code` reads a v2 user with its token, api/social_binding.rs).
    pub(crate) fn finish_sign_in_by(
        &self,
        response: AuthResponse,
        start: impl FnOnce(AuthResponse) -> AuthResponse,
    ) -> AuthResponse {
        // A second factor is asked (apiCode 1635/1636): no token is saved; the challenge
        // waits for an `mfa_verify_by_*` call (api/mfa.rs). Any other answer ends an
        // earlier sign-in's challenge.
        if let Some(challenge) = response.mfa_challenge() {
            self.session().challenge.set(challenge);
            log::info!(
                target: logging::TARGET,
                "sign-in waits for a second factor (apiCode {}): no session yet",
                response.api_code(),
            );
            return response;
        }
        self.session().challenge.clear();
        if !response.is_success() {
            log::info!(
                target: logging::TARGET,
                "sign-in refused: statusCode {}, apiCode {}, requestId {}",
                response.status_code(),
                response.api_code(),
                logging::word(response.request_id().unwrap_or("none")),
            );
            return response;
        }
        start(response)
    }

    /// Runs a call that acts for the signed-in user: the configuration first (10002), then
    /// `input`'s checks (10010), then [`as_user`](Self::as_user) with the checked input:
    /// the session's access token (10015; refreshed first when it has expired, and once
    /// more when the server rejects it, `call` then running again). Nothing goes on the
    /// wire before the checks pass.
    pub(crate) fn checked_as_user<T>(
        &self,
        input: impl FnOnce() -> Result<T, AuthError>,
        call: impl Fn(&str, &T) -> AuthResponse,
    ) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        match input() {
            Ok(checked) => self.as_user(|token| call(token, &checked)),
            Err(error) => AuthResponse::from_error(error),
        }
    }

    /// `POST path` with the JSON `body` and `Authorization: Bearer token`.
    pub(crate) fn post_json_as_user(&self, token: &str, path: &str, body: &Value) -> AuthResponse {
        self.post_json(
            path,
            || json_body(body),
            Shape::Envelope,
            Auth::Bearer(token),
        )
    }

    /// After a change whose `answer` does not carry the user: on success, fetches the user
    /// again with `token` and caches it (see `api/account.rs`, "What a change does to the
    /// session"). Answers `answer`.
    pub(crate) fn after_user_change(&self, token: &str, answer: AuthResponse) -> AuthResponse {
        if !answer.is_success() {
            return answer;
        }
        let flags = self
            .session()
            .peek()
            .and_then(|s| s.user().cloned())
            .map(|user| {
                let has = |key: &str| user.data().get(key).is_some();
                [has("customData"), has("identities"), has("departmentIds")]
            })
            .unwrap_or_default();
        let text = |b: bool| if b { "true" } else { "false" };
        let query = [
            ("withCustomData", text(flags[0])),
            ("withIdentities", text(flags[1])),
            ("withDepartmentIds", text(flags[2])),
        ];
        // The token the fetch went out with: the change's, or the one a refresh after a
        // 401 gave.
        let used = Cell::new(None::<String>);
        let fetched = self.as_user(|token| {
            used.replace(Some(token.to_owned()));
            self.get_with(PROFILE_PATH, &query, Shape::Envelope, Auth::Bearer(token))
        });
        let used = used.take().unwrap_or_else(|| token.to_owned());
        match fetched.user_info() {
            Ok(user) => self.session().update_user(&used, user),
            // The session could not be renewed: the renewal has done what that means (a
            // refresh token the server refused ended the session).
            Err(_) if fetched.status_code() == codes::NOT_SIGNED_IN => {}
            Err(error) if token_refused(&error) => {
                // The server ended the session and it could not be renewed; a store that
                // cannot forget it is not the change's failure: the next call that needs a
                // user says so (10016).
                let _ = self.session().end_if_current(&used);
            }
            Err(_) => self.session().forget_user(&used),
        }
        answer
    }

    /// `GET path?query` as the signed-in user: the configuration (10002), then the query
    /// `query` builds (10010), then the session's bearer (10015, 10016, or a refresh's own
    /// failure), then the request, sent once more after a renewal when the server rejects
    /// the token ([`as_user`](AuthClient::as_user)). The answer keeps `paging` for
    /// [`Page`](crate::Page).
    pub(crate) fn get_as_user(
        &self,
        path: &str,
        query: impl FnOnce() -> Result<Query, InputError>,
        paging: Option<Paging>,
    ) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let query = match query() {
            Ok(query) => query,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut response =
            self.as_user(|token| self.get_with(path, &pairs, Shape::Envelope, Auth::Bearer(token)));
        response.paging = paging;
        response
    }
}

/// The refresh-ahead thread refreshes and revokes through the client that last used the
/// session, as a call would.
impl Renewer for AuthClient {
    fn refresh(&self, refresh_token: &str) -> Result<TokenSet, RefreshError> {
        self.refresh_tokens(refresh_token)
    }

    fn revoke(&self, token: &str) -> Option<String> {
        self.revoke_one_token(token)
    }
}

/// The OAuth `error` code of a failed token-endpoint answer (RFC 6749 section 5.2): in the
/// raw body of a non-2xx answer, or in `data`.
fn oauth_field(response: &AuthResponse, field: &str) -> Option<String> {
    let from_body = serde_json::from_str::<Value>(response.message())
        .ok()
        .and_then(|body| body.get(field).and_then(Value::as_str).map(str::to_string));
    from_body.or_else(|| {
        response
            .data()
            .and_then(|d| d.get(field))
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

/// Whether `error` says the access token is no longer accepted: statusCode 401, or
/// apiCode 2020 ("not signed in").
fn token_refused(error: &AuthError) -> bool {
    error
        .api()
        .is_some_and(|api| api.status_code == 401 || api.api_code == Some(ApiCode::NOT_SIGNED_IN))
        || matches!(error, AuthError::HttpStatus { status: 401, .. })
}
