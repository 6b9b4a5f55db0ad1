//! The signed-in session: the cached user and tokens, the profile, the token refresh, and
//! sign-out. Each network call in its callback form and its blocking twin. Starting a
//! session after a sign-in, and the refresh a call that needs a user makes on its own, are
//! client plumbing (`client/user.rs`): every sign-in family uses them.

use serde_json::json;

use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::logging;
use crate::model::UserInfo;
use crate::response::{self, AuthResponse};
use crate::session::{Renew, TokenSet};
use crate::validate;

/// # The session (Java: `Authing.getCurrentUser`, `AuthClient.getProfile`, `getNewAccessTokenByRefreshToken`, `logout`)
///
/// The signed-in user and tokens ([`TokenSet`](crate::TokenSet), [`UserInfo`](crate::UserInfo)),
/// the profile, the refresh, and sign-out.
impl AuthClient {
    /// The signed-in user, from the session, without going on the network (Android:
    /// `Authing.getCurrentUser()`); `None` when nobody is signed in.
    ///
    /// Right after a sign-in it is the partial user built from the id_token's claims
    /// ([`UserInfo::is_partial`](crate::UserInfo::is_partial)); the full profile, fetched
    /// once the sign-in's callback has returned, replaces it, and every successful
    /// [`get_profile`](Self::get_profile) replaces it again. A sign-in whose answer has no
    /// id_token with a `sub` fetches the profile before it answers. The user stays while
    /// the session does, even when the access token has expired (the next call that needs
    /// a user refreshes it, or answers 10015). `None` too when a sign-in without an
    /// id_token could not fetch the profile, or the
    /// token store cannot be read (the next network call says why, with 10016), or it holds
    /// a session another app or API host saved, or one of format version 1, which does not
    /// say whose it is (see [`Session::app_id`](crate::Session::app_id)): such a session is
    /// never used, and its tokens are never sent.
    ///
    /// ```no_run
    /// let auth_client = authing::AuthClient::new();
    /// match auth_client.get_current_user() {
    ///     Some(user) => println!("signed in as {}", user.user_id()),
    ///     None => println!("show the sign-in screen"),
    /// }
    /// ```
    #[doc(alias("getCurrentUser"))]
    pub fn get_current_user(&self) -> Option<UserInfo> {
        self.session().peek().and_then(|s| s.user().cloned())
    }

    /// The signed-in session's tokens, without going on the network (Android:
    /// `Authing.getToken()`); `None` when nobody is signed in. The tokens are secrets:
    /// never log them (their `Debug` hides them).
    ///
    /// ```no_run
    /// if let Some(tokens) = authing::AuthClient::new().get_token() {
    ///     println!("access token expired: {}", tokens.is_expired());
    /// }
    /// ```
    #[doc(alias("getToken"))]
    pub fn get_token(&self) -> Option<TokenSet> {
        self.session().peek().map(|s| s.tokens().clone())
    }

    /// Fetches the signed-in user's profile (Java: `getProfile`; `GET
    /// /api/v3/get-profile?withCustomData=..&withIdentities=..&withDepartmentIds=..`, sent
    /// as `Authorization: Bearer` with the session's access token). The callback form.
    ///
    /// On success `data` is the user ([`user_info`](AuthResponse::user_info)), and it
    /// becomes the session's user ([`get_current_user`](Self::get_current_user)).
    ///
    /// An expired access token is refreshed first, once, with the session's refresh token
    /// (ten calls that find it expired together cause one refresh). Without a session, or
    /// with an expired one that has no refresh token or whose refresh token the server
    /// refuses (OAuth `invalid_grant`: the session is then cleared), the answer is status
    /// code 10015 and nothing is sent. Before it clears a refused session, the client reads
    /// its token store again: a newer session of the same app there (another running copy
    /// of the app sharing the store refreshed first, spending this copy's refresh token) is
    /// adopted and used instead, and a store that holds such a session is never cleared
    /// ([`TokenStore::clear_if`](crate::TokenStore::clear_if)). A refresh that fails otherwise (network, server
    /// error) is the answer, and the session stays for a later try. Android does neither:
    /// it sends the expired token.
    ///
    /// The server may end a token before this machine's clock says so (its clock runs
    /// ahead, or the token was revoked): when it answers statusCode 401 (apiCode 2020 or
    /// none) and the session holds a refresh token, the session is refreshed once (single
    /// flight again) and the call sent once more with the new token; the second answer is
    /// final. A refresh token it refuses then ends the session with 10015, as above.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_profile(true, false, false, |response: AuthResponse| {
    ///         match response.user_info() {
    ///             Ok(user) => println!("{}", user.nickname().unwrap_or("-")),
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getProfile", "getCurrentUser"))]
    pub fn get_profile<C: AuthCallback>(
        &self,
        with_custom_data: bool,
        with_identities: bool,
        with_department_ids: bool,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.get_profile_blocking(with_custom_data, with_identities, with_department_ids)
        })
    }

    /// The blocking twin of [`get_profile`](Self::get_profile).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_profile_blocking(false, false, false);
    /// if let Ok(user) = response.user_info() { println!("{}", user.user_id()); }
    /// ```
    pub fn get_profile_blocking(
        &self,
        with_custom_data: bool,
        with_identities: bool,
        with_department_ids: bool,
    ) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        self.as_user(|token| {
            let response = self.fetch_profile(
                token,
                [with_custom_data, with_identities, with_department_ids],
            );
            if let Ok(user) = response.user_info() {
                self.session().update_user(token, user);
            }
            response
        })
    }

    /// Exchanges a refresh token for new tokens (Java: `getNewAccessTokenByRefreshToken`;
    /// `POST /oidc/token`, `application/x-www-form-urlencoded`:
    /// `client_id=<app id>&grant_type=refresh_token&refresh_token=..`). The callback form.
    ///
    /// `refresh_token` is `None` for the session's own refresh token, or a token of your
    /// own. The answer is the token endpoint's, which is plain OAuth JSON, not the v3
    /// envelope: on success `data` holds `access_token`, `id_token`, `refresh_token`,
    /// `token_type` and `expires_in` (or the spec's `expire_in`)
    /// ([`login_token_data`](AuthResponse::login_token_data)); an error is an HTTP 400 whose
    /// `message()` is the raw `{"error":..,"error_description":..}`. The new tokens become
    /// the session's (keeping its user when the session's own refresh token was used, and
    /// its refresh token when the server issued no new one). A refresh token the server
    /// refuses (`invalid_grant`) that was the session's ends the session.
    ///
    /// Runs one at a time with the automatic refresh (see [`get_profile`](Self::get_profile)).
    /// No session and `None`: status code 10015, nothing sent. No client secret is sent: a
    /// desktop or mobile app cannot keep one (a public client), as in Android without one.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_new_access_token_by_refresh_token(None, |response: AuthResponse| {
    ///         match response.login_token_data() {
    ///             Ok(tokens) => println!("renewed for {} s", tokens.expire_in()),
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getNewAccessTokenByRefreshToken"))]
    pub fn get_new_access_token_by_refresh_token<'a, C: AuthCallback>(
        &self,
        refresh_token: impl Into<Option<&'a str>>,
        callback: C,
    ) -> RequestHandle {
        let refresh_token = refresh_token.into().map(str::to_string);
        self.spawn(callback, move |client, _| {
            client.get_new_access_token_by_refresh_token_blocking(refresh_token.as_deref())
        })
    }

    /// The blocking twin of
    /// [`get_new_access_token_by_refresh_token`](Self::get_new_access_token_by_refresh_token).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_new_access_token_by_refresh_token_blocking(None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn get_new_access_token_by_refresh_token_blocking<'a>(
        &self,
        refresh_token: impl Into<Option<&'a str>>,
    ) -> AuthResponse {
        let explicit = refresh_token.into();
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let mode = match explicit {
            None => Renew::Now,
            Some(token) => match validate::token("refresh_token", Some(token)) {
                Ok(token) => Renew::With(token),
                Err(problem) => return AuthResponse::from_error(problem.into()),
            },
        };
        let mut answer = None;
        let renewed = self.session().renew(
            mode,
            |token| {
                let (response, outcome) = self.request_refresh(token);
                answer = Some(response);
                outcome
            },
            |token| self.revoke_one_token(token),
        );
        match (renewed, answer) {
            (Ok(_), Some(answer)) => answer,
            // The server's own failure answers; a local one (10015, 10016) otherwise.
            (Err(_), Some(answer)) if !answer.is_success() => answer,
            (Err(local), _) => local.into_response(),
            (Ok(_), None) => AuthResponse::from_error(AuthError::Internal(
                "a renewal finished without a refresh request".into(),
            )),
        }
    }

    /// Signs out (Java: `logout`): revokes the session's tokens (`POST
    /// /oidc/token/revocation`, form `client_id=<app id>&token=..`, the refresh token first,
    /// then the access token), and, for a session a browser sign-in started
    /// ([`sign_in_by_browser`](Self::sign_in_by_browser),
    /// [`get_access_token_by_code`](Self::get_access_token_by_code)), ends the provider's
    /// session (`GET /oidc/session/end?id_token_hint=..`), then clears the session, in
    /// memory and in the token store, **even when a revocation fails**. The callback form.
    ///
    /// The answer says which happened: status code 200 with `data`
    /// `{"revoked": true}` when the server revoked every token (and ended the OIDC
    /// session), or `{"revoked": false, "reason": ".."}` when it could not (a network
    /// failure, say: the tokens may stay valid on the server until they expire) or nobody
    /// was signed in. After a browser sign-in `data` also has `"oidcSessionEnded": true`
    /// or `false`. In every case this device is signed out. Only a token store that cannot remove the
    /// session answers otherwise: status code 10016 (the session is cleared in memory
    /// anyway). Android clears the session only when the server says yes.
    ///
    /// **A refresh on the wire** (an expired token being renewed for another call) when
    /// `logout` starts: `logout` forgets the session in memory first, so no call picks up
    /// its tokens after that, then waits for the refresh. The tokens the refresh produced
    /// are revoked, never handed to a caller (that call answers 10015), and `logout`
    /// answers after they were: `revoked: true` covers them, and `revoked: false` names
    /// them if they could not be revoked. So no call goes out with a token of the ended
    /// session after `logout` has answered, except one whose token `logout` revoked.
    ///
    /// The token store is cleared even if another running copy of the app sharing it saved
    /// a newer session of the same sign-in (signing out means this device), but a session
    /// another app saved in it is left alone.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .logout(|response: AuthResponse| {
    ///         let revoked = response.data().map(|d| d["revoked"] == true).unwrap_or(false);
    ///         println!("signed out; revoked on the server: {revoked}");
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    pub fn logout<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| client.logout_blocking())
    }

    /// The blocking twin of [`logout`](Self::logout).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().logout_blocking();
    /// assert_eq!(response.status_code(), 200);
    /// ```
    pub fn logout_blocking(&self) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let mut failures = Vec::new();
        let mut oidc_ended = None;
        // Signed out in memory first: from here no call sends the session's tokens, and a
        // refresh on the wire will find its session ended.
        let (ended, generation) = self.session().end();
        // Who signed out, for the log (a user id, never an email or a phone number).
        let user = match &ended {
            Ok(Some(session)) => logging::user_of(session.user()).to_string(),
            Ok(None) => "none (nobody was signed in)".to_string(),
            Err(_) => "unknown (the session could not be read)".to_string(),
        };
        // Then wait for that refresh: the tokens it produced are revoked before it lets go
        // (see `SessionState::renew`), and no other starts until this sign-out is done.
        let _turn = self.session().logout_turn();
        match ended {
            Ok(Some(session)) => {
                let tokens = session.tokens();
                for token in tokens
                    .refresh_token()
                    .into_iter()
                    .chain([tokens.access_token()])
                {
                    if let Some(failure) = self.revoke_one_token(token) {
                        failures.push(failure);
                    }
                }
                // After a browser sign-in the provider keeps a session of its own.
                if let (true, Some(id_token)) = (session.has_oidc_session(), tokens.id_token()) {
                    let failure = self.end_oidc_session(id_token);
                    oidc_ended = Some(failure.is_none());
                    failures.extend(
                        failure.map(|f| format!("the oidc session could not be ended ({f})")),
                    );
                }
            }
            Ok(None) => failures.push("no user was signed in".to_string()),
            Err(unreadable) => failures.push(format!(
                "the saved session could not be read ({})",
                unreadable.into_response().message()
            )),
        }
        failures.extend(self.session().take_orphan_failures(generation));
        if let Err(store_failed) = self.session().clear_store_after_logout(generation) {
            log::info!(
                target: logging::TARGET,
                "signed out of user {user} in memory; the token store could not remove the session (10016)",
            );
            return store_failed.into_response();
        }
        log::info!(
            target: logging::TARGET,
            "signed out: user {user}; {}",
            match failures.len() {
                0 => "every token revoked on the server".to_string(),
                n => format!("not everything revoked on the server ({n} problem(s), in the answer's reason)"),
            }
        );
        let mut data = match failures.is_empty() {
            true => json!({"revoked": true}),
            false => json!({"revoked": false, "reason": failures.join("; ")}),
        };
        if let Some(ended) = oidc_ended {
            data["oidcSessionEnded"] = json!(ended);
        }
        response::from_plain_json(data)
    }
}
