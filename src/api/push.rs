//! Push sign-in, both sides. The desktop asks the server to push a sign-in request to the
//! user's phone app (`gene_push_code`, Java's `signInByPush`) and checks its status
//! (`check_push_code_status`), or does all of it, session included, in one call
//! (`sign_in_by_push`); the phone app, signed in as that user, looks up which apps the
//! push concerns (`get_push_login_relation_apps`) and approves or refuses it
//! (`change_push_code_status`). Each call in its callback form and its blocking twin.

use serde::Serialize;
use serde_json::Value;

use crate::client::json_body;
use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::flows::poll::{self, Listener};
use crate::model::{AuthOptions, PushCodeAction, PushCodeUpdate, PushSignInOptions};
use crate::response::AuthResponse;
use crate::transport::headers::JSON;
use crate::transport::Shape;
use crate::validate;

/// `signInByPush`'s endpoint.
pub(crate) const PUSH_PATH: &str = "/api/v3/signin-by-push";
/// `checkPushCodeStatus`'s endpoint.
pub(crate) const CHECK_PATH: &str = "/api/v3/check-pushcode-status";
/// `changePushCodeStatus`'s endpoint.
pub(crate) const CHANGE_PATH: &str = "/api/v3/change-pushcode-status";
/// `getPushLoginRelationApps`'s endpoint.
pub(crate) const RELATION_APPS_PATH: &str = "/api/v3/get-pushlogin-relation-apps";

/// The longest account accepted, as for a sign-in by account and password.
const MAX_ACCOUNT_LEN: usize = 256;

/// The body of `POST /api/v3/signin-by-push` (the spec's `SignInByPushDto`).
#[derive(Serialize)]
struct PushBody<'a> {
    account: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Value>,
}

/// The body of `POST /api/v3/change-pushcode-status` (the spec's `ChangePushCodeStatusDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeBody<'a> {
    push_code_id: &'a str,
    action: &'static str,
}

/// The body of `POST /api/v3/get-pushlogin-relation-apps` (the spec's
/// `GetPushCodeRelationAppsDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelationAppsBody<'a> {
    push_code_id: &'a str,
    app_id: &'a str,
}

/// # Push sign-in (Java: `AuthenticationClient.signInByPush`, `checkPushCodeStatus`, `changePushCodeStatus`, `getPushLoginRelationApps`)
///
/// The desktop asks the user's phone app to approve a sign-in
/// ([`PushCode`](crate::PushCode)) and polls it; the signed-in phone approves or refuses
/// ([`PushCodeAction`]).
impl AuthClient {
    /// Asks the server to push a sign-in request to the phone app of the user `account`
    /// names (Java: `signInByPush`; `POST /api/v3/signin-by-push`, `{"account":..}`). The
    /// callback form.
    ///
    /// Named after its answer (the spec's `GenePushCodeRespDto`, as
    /// [`gene_qr_code`](Self::gene_qr_code) is after `GeneQRCodeRespDto`) because
    /// [`sign_in_by_push`](Self::sign_in_by_push) is the whole sign-in: this call, the
    /// polling and the session.
    ///
    /// On success `data` is the push ([`push_code`](AuthResponse::push_code)): its id and
    /// how long the user has to answer. Then poll
    /// [`check_push_code_status`](Self::check_push_code_status). `options` is `None`, or an
    /// [`AuthOptions`] whose scope, context and custom data are sent as `options` (the
    /// spec's `SignInByPushOptionsDto`). No session starts here.
    ///
    /// Checked first (10010, nothing sent): the account is not empty, not only whitespace,
    /// at most 256 characters, no control characters; the options as [`AuthOptions`] says.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .gene_push_code("alice@example.com", None, |response: AuthResponse| {
    ///         if let Ok(code) = response.push_code() { println!("approve on your phone: {}", code.push_code_id()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByPush"))]
    pub fn gene_push_code<C: AuthCallback>(
        &self,
        account: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (account, options) = (account.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.gene_push_code_blocking(&account, options)
        })
    }

    /// The blocking twin of [`gene_push_code`](Self::gene_push_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().gene_push_code_blocking("alice@example.com", None);
    /// println!("{}", response.push_code().map(|c| c.push_code_id().to_string()).unwrap_or_default());
    /// ```
    pub fn gene_push_code_blocking(
        &self,
        account: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        let options = options.into();
        self.post(PUSH_PATH, || {
            let account = validate::text("account", Some(account), MAX_ACCOUNT_LEN)?;
            let options = options.as_ref().map(AuthOptions::push_json).transpose()?;
            json_body(&PushBody { account, options })
        })
    }

    /// Checks a push's status (Java: `checkPushCodeStatus`; `GET
    /// /api/v3/check-pushcode-status?pushCodeId=..`). The callback form.
    ///
    /// On success `data` is the state ([`push_code_state`](AuthResponse::push_code_state)):
    /// `PUSHED`, `AUTHORIZED` (with the tokens, `tokenSet`), `CANCELLED`, `EXPIRED` or
    /// `ERROR`. This call starts no session even when the answer carries tokens: it is
    /// [`sign_in_by_push`](Self::sign_in_by_push) that does. The id is percent-encoded into
    /// the query. Checked first (10010, nothing sent): the id is 1 to 4096 visible ASCII
    /// characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .check_push_code_status("push-code-id", |response: AuthResponse| {
    ///         if let Ok(state) = response.push_code_state() { println!("{}", state.status()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("checkPushCodeStatus"))]
    pub fn check_push_code_status<C: AuthCallback>(
        &self,
        push_code_id: &str,
        callback: C,
    ) -> RequestHandle {
        let push_code_id = push_code_id.to_string();
        self.spawn(callback, move |client, _| {
            client.check_push_code_status_blocking(&push_code_id)
        })
    }

    /// The blocking twin of [`check_push_code_status`](Self::check_push_code_status).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().check_push_code_status_blocking("push-code-id");
    /// println!("{}", response.status_code());
    /// ```
    pub fn check_push_code_status_blocking(&self, push_code_id: &str) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let push_code_id = match validate::token("push_code_id", Some(push_code_id)) {
            Ok(id) => id,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        self.get_with(
            CHECK_PATH,
            &[("pushCodeId", push_code_id)],
            Shape::Envelope,
            Auth::Config,
        )
    }

    /// Approves or refuses a push as the signed-in user: the phone's side (Java:
    /// `changePushCodeStatus`; `POST /api/v3/change-pushcode-status`,
    /// `{"pushCodeId":..,"action":"CONFIRM"|"CANCEL"}`, sent with the session's bearer).
    /// The callback form.
    ///
    /// `CONFIRM` signs the desktop in as this user (its next status check answers
    /// `AUTHORIZED` with the tokens); `CANCEL` refuses. Without a usable session the answer
    /// is 10015 and nothing is sent (an expired access token is refreshed first, as for
    /// [`get_profile`](Self::get_profile)). The id is checked first (10010): 1 to 4096
    /// visible ASCII characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, PushCodeAction};
    /// AuthClient::new()
    ///     .change_push_code_status("push-code-id", PushCodeAction::CONFIRM, |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("the desktop is signed in"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("changePushCodeStatus"))]
    pub fn change_push_code_status<C: AuthCallback>(
        &self,
        push_code_id: &str,
        action: PushCodeAction,
        callback: C,
    ) -> RequestHandle {
        let push_code_id = push_code_id.to_string();
        self.spawn(callback, move |client, _| {
            client.change_push_code_status_blocking(&push_code_id, action)
        })
    }

    /// The blocking twin of [`change_push_code_status`](Self::change_push_code_status).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().change_push_code_status_blocking("push-code-id", authing::PushCodeAction::CANCEL);
    /// println!("{}", response.status_code());
    /// ```
    pub fn change_push_code_status_blocking(
        &self,
        push_code_id: &str,
        action: PushCodeAction,
    ) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let push_code_id = match validate::token("push_code_id", Some(push_code_id)) {
            Ok(id) => id,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        let token = match self.user_token() {
            Ok(token) => token,
            Err(refused) => return refused.into_response(),
        };
        let body = ChangeBody {
            push_code_id,
            action: action.as_str(),
        };
        self.post_with(
            CHANGE_PATH,
            &[],
            || Ok((JSON.into(), json_body(&body)?)),
            Shape::Envelope,
            Auth::Bearer(&token),
        )
    }

    /// The apps related to the one that started a push (Java: `getPushLoginRelationApps`;
    /// `POST /api/v3/get-pushlogin-relation-apps`, `{"pushCodeId":..,"appId":..}`): the
    /// phone app asks it when a push arrives, to see whether it may answer a push of the
    /// app `app_id`. The callback form.
    ///
    /// On success `data.appIds` is the list
    /// ([`push_login_relation_apps`](AuthResponse::push_login_relation_apps)). Sent with the
    /// app id only, as the spec describes it (no bearer). Checked first (10010, nothing
    /// sent): both ids are 1 to 4096 visible ASCII characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_push_login_relation_apps("push-code-id", "app-id", |response: AuthResponse| {
    ///         println!("{:?}", response.push_login_relation_apps());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getPushLoginRelationApps"))]
    pub fn get_push_login_relation_apps<C: AuthCallback>(
        &self,
        push_code_id: &str,
        app_id: &str,
        callback: C,
    ) -> RequestHandle {
        let (push_code_id, app_id) = (push_code_id.to_string(), app_id.to_string());
        self.spawn(callback, move |client, _| {
            client.get_push_login_relation_apps_blocking(&push_code_id, &app_id)
        })
    }

    /// The blocking twin of
    /// [`get_push_login_relation_apps`](Self::get_push_login_relation_apps).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_push_login_relation_apps_blocking("push-code-id", "app-id");
    /// println!("{}", response.status_code());
    /// ```
    pub fn get_push_login_relation_apps_blocking(
        &self,
        push_code_id: &str,
        app_id: &str,
    ) -> AuthResponse {
        self.post(RELATION_APPS_PATH, || {
            json_body(&RelationAppsBody {
                push_code_id: validate::token("push_code_id", Some(push_code_id))?,
                app_id: validate::token("app_id", Some(app_id))?,
            })
        })
    }

    /// Signs in by push, the whole desktop side in one call: asks the server to push a
    /// sign-in request to the phone app of the user `account` names, tells `on_status`
    /// about it and about each change the server reports, and once the user approves on
    /// the phone, starts the session with the tokens the status answer carries. The
    /// callback form. Java's `signInByPush` is the first request only:
    /// [`gene_push_code`](Self::gene_push_code) here.
    ///
    /// 1. `POST /api/v3/signin-by-push` (`account`, and the options'
    ///    [`auth_options`](PushSignInOptions::set_auth_options) as `options`).
    /// 2. `on_status` gets a [`PushCodeUpdate`] with status `PUSHED` and the push: tell the
    ///    user to approve on their phone.
    /// 3. `GET /api/v3/check-pushcode-status` every
    ///    [`interval`](PushSignInOptions::set_interval) (1 s by default) after the previous
    ///    answer; each status that differs from the last one goes to `on_status` once, in
    ///    order.
    /// 4. At `AUTHORIZED`: the answer's `tokenSet` (the spec's `LoginTokenResponseDataDto`)
    ///    starts the session as after a sign-in (the user from the id_token's claims, the
    ///    full profile fetched after the answer; token store written), and
    ///    the callback gets the token answer (status code 200,
    ///    [`login_token_data`](AuthResponse::login_token_data)). An `AUTHORIZED` answer
    ///    without `tokenSet` ends the call with 10004.
    /// 5. At `CANCELLED`, `EXPIRED` or `ERROR`, or when no final status came within the
    ///    [`timeout`](PushSignInOptions::set_timeout) (10 min by default), the callback gets
    ///    status code 10020
    ///    ([`AuthError::PushNotAuthorized`](crate::AuthError::PushNotAuthorized)) with the
    ///    last state's `data`. A check that fails transiently (network, 5xx, 429) is tried
    ///    again at the next tick, up to 3 failures in a row; any other failure ends the call
    ///    with that answer.
    ///
    /// The polling is [`sign_in_by_qr_code`](Self::sign_in_by_qr_code)'s, one engine for
    /// both, with the same promises: the flow holds one dispatcher worker for its duration;
    /// `on_status` runs on that worker, or through the client's callback executor when it
    /// has one; a panic in it is reported and the flow goes on. [`RequestHandle::cancel`]
    /// stops the polling at once (a wait between checks ends immediately; a check on the
    /// wire is let finish, its answer dropped), sends no more requests, starts no more
    /// updates, and the callback gets the cancellation (10011) once. No update reaches
    /// `on_status` once `cancel()` has returned `true`. The push itself stays on the phone
    /// until it expires (the spec has no call for the desktop to withdraw it); approving it
    /// then signs nobody in here. See docs/THREADING.md.
    ///
    /// Checked first (10010, nothing sent): the account as for
    /// [`gene_push_code`](Self::gene_push_code), the options; the token store is read
    /// (10016).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, PushCodeStatus, PushCodeUpdate};
    ///
    /// let handle = AuthClient::new().sign_in_by_push(
    ///     "alice@example.com",
    ///     None,
    ///     |update: PushCodeUpdate| match update.status() {
    ///         PushCodeStatus::PUSHED => println!("approve the sign-in on your phone"),
    ///         other => println!("{other}"),
    ///     },
    ///     |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("signed in"); }
    ///     },
    /// );
    /// handle.join().unwrap();
    /// ```
    pub fn sign_in_by_push<L, C>(
        &self,
        account: &str,
        options: impl Into<Option<PushSignInOptions>>,
        on_status: L,
        callback: C,
    ) -> RequestHandle
    where
        L: FnMut(PushCodeUpdate) + Send + 'static,
        C: AuthCallback,
    {
        let (account, options) = (account.to_string(), options.into());
        let hopped = poll::hop(self, "a push status listener", on_status);
        self.spawn(callback, move |client, cancel| {
            let listener = Listener::Hopped(hopped, cancel.watch());
            client.sign_in_by_push_with(&account, options, listener, Some(cancel))
        })
    }

    /// The blocking twin of [`sign_in_by_push`](Self::sign_in_by_push): the same flow on
    /// the caller's thread, `on_status` called on it too (it need not be `Send`). It cannot
    /// be cancelled; the options' timeout bounds it.
    ///
    /// Here against the embedded emulator, which plays the phone:
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// use authing::{AuthClient, PushCodeAction, PushCodeStatus, PushCodeUpdate, PushSignInOptions};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-123"))?;
    /// let desktop = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let mut options = PushSignInOptions::new();
    /// options.set_interval(std::time::Duration::from_millis(50));
    /// let response = desktop.sign_in_by_push_blocking("alice@example.com", options, |update: PushCodeUpdate| {
    ///     if update.status() == PushCodeStatus::PUSHED {
    ///         // Alice approves on her phone.
    ///         emulator.change_push_code_status(update.push_code().push_code_id(), PushCodeAction::CONFIRM).unwrap();
    ///     }
    /// });
    /// assert_eq!(response.status_code(), 200);
    /// assert_eq!(desktop.get_current_user().unwrap().email(), Some("alice@example.com"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_in_by_push_blocking(
        &self,
        account: &str,
        options: impl Into<Option<PushSignInOptions>>,
        mut on_status: impl FnMut(PushCodeUpdate),
    ) -> AuthResponse {
        self.sign_in_by_push_with(
            account,
            options.into(),
            Listener::Direct(&mut on_status),
            None,
        )
    }
}
