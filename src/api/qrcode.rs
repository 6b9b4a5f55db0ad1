//! QR-code sign-in, both sides. The desktop generates a code (`gene_qr_code`), shows it,
//! checks its status (`check_qr_code_status`) and exchanges the ticket of an authorized
//! code for tokens (`exchange_token_set_with_qr_code`), or does all of it in one call
//! (`sign_in_by_qr_code`); the phone, signed in, scans, confirms or cancels it
//! (`change_qr_code_status`). Each call in its callback form and its blocking twin.

use serde::Serialize;
use serde_json::Value;

use crate::client::json_body;
use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::flows::poll::{self, Listener};
use crate::model::qrcode_sign_in::check_custom_data;
use crate::model::{Action, FastpassOptions, QrCodeSignInOptions, QrCodeUpdate};
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::transport::headers::JSON;
use crate::transport::Shape;
use crate::validate;

/// `geneQrCode`'s endpoint.
pub(crate) const GENE_PATH: &str = "/api/v3/gene-qrcode";
/// `checkQRCodeStatus`'s endpoint.
pub(crate) const CHECK_PATH: &str = "/api/v3/check-qrcode-status";
/// `changeQrCodeStatus`'s endpoint.
pub(crate) const CHANGE_PATH: &str = "/api/v3/change-qrcode-status";
/// `exchangeTokenSetWithQRCode`'s endpoint.
pub(crate) const EXCHANGE_PATH: &str = "/api/v3/exchange-tokenset-with-qrcode-ticket";

/// The QR type this crate generates: the app's own phone app scans it (the spec's
/// `MOBILE_APP`; the WeChat types are scanned by WeChat, not by an app of yours).
const MOBILE_APP: &str = "MOBILE_APP";

/// The body of `POST /api/v3/gene-qrcode` (the spec's `GenerateQrcodeDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GeneBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<&'a Value>,
}

/// The body of `POST /api/v3/change-qrcode-status` (the spec's `ChangeQRCodeStatusDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeBody<'a> {
    qrcode_id: &'a str,
    action: &'static str,
}

/// The body of `POST /api/v3/exchange-tokenset-with-qrcode-ticket` (the spec's
/// `ExchangeTokenSetWithQRcodeTicketDto`; its fields are snake_case on the wire).
#[derive(Serialize)]
struct ExchangeBody<'a> {
    ticket: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
}

/// # QR-code sign-in (Java: `AuthClient.checkQRCodeStatus`, `exchangeTokenSetWithQRCode`, `changeQrCodeStatus`)
///
/// The desktop shows a code ([`QrCode`](crate::QrCode)) and polls it; the signed-in phone
/// scans and confirms ([`Action`](crate::Action)).
impl AuthClient {
    /// Generates a QR code to sign in with (Authing's `geneQrCode`; `POST
    /// /api/v3/gene-qrcode`, `{"type":"MOBILE_APP"}`). The callback form. Android has no such
    /// call: it is the phone side.
    ///
    /// On success `data` is the code ([`qr_code`](AuthResponse::qr_code)): show it, then
    /// poll [`check_qr_code_status`](Self::check_qr_code_status), or let
    /// [`sign_in_by_qr_code`](Self::sign_in_by_qr_code) do all of it. `custom_data` is
    /// `None`, or a JSON object stored on the user who confirms (`customData`; 10010 when it
    /// is not an object, nothing sent).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .gene_qr_code(None, |response: AuthResponse| {
    ///         if let Ok(code) = response.qr_code() { println!("show {}", code.url()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("geneQrCode"))]
    pub fn gene_qr_code<C: AuthCallback>(
        &self,
        custom_data: impl Into<Option<Value>>,
        callback: C,
    ) -> RequestHandle {
        let custom_data = custom_data.into();
        self.spawn(callback, move |client, _| {
            client.gene_qr_code_blocking(custom_data)
        })
    }

    /// The blocking twin of [`gene_qr_code`](Self::gene_qr_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().gene_qr_code_blocking(None);
    /// println!("{}", response.qr_code().map(|c| c.qrcode_id().to_string()).unwrap_or_default());
    /// ```
    pub fn gene_qr_code_blocking(&self, custom_data: impl Into<Option<Value>>) -> AuthResponse {
        let custom_data = custom_data.into();
        self.post(GENE_PATH, || {
            check_custom_data(custom_data.as_ref())?;
            json_body(&GeneBody {
                kind: MOBILE_APP,
                custom_data: custom_data.as_ref(),
            })
        })
    }

    /// Checks a QR code's status (Java: `checkQRCodeStatus`; `GET
    /// /api/v3/check-qrcode-status?qrcodeId=..`). The callback form.
    ///
    /// On success `data` is the state ([`qr_code_state`](AuthResponse::qr_code_state)):
    /// `PENDING`, `SCANNED` (with who scanned), `AUTHORIZED` (with the ticket for
    /// [`exchange_token_set_with_qr_code`](Self::exchange_token_set_with_qr_code)),
    /// `CANCELLED`, `EXPIRED` or `ERROR`. The id is percent-encoded into the query (Android
    /// concatenates it as it is). Checked first (10010, nothing sent): the id is 1 to 4096
    /// visible ASCII characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .check_qr_code_status("qrcode-id", |response: AuthResponse| {
    ///         if let Ok(state) = response.qr_code_state() { println!("{}", state.status()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("checkQRCodeStatus"))]
    pub fn check_qr_code_status<C: AuthCallback>(
        &self,
        qrcode_id: &str,
        callback: C,
    ) -> RequestHandle {
        let qrcode_id = qrcode_id.to_string();
        self.spawn(callback, move |client, _| {
            client.check_qr_code_status_blocking(&qrcode_id)
        })
    }

    /// The blocking twin of [`check_qr_code_status`](Self::check_qr_code_status).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().check_qr_code_status_blocking("qrcode-id");
    /// println!("{}", response.status_code());
    /// ```
    pub fn check_qr_code_status_blocking(&self, qrcode_id: &str) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let qrcode_id = match validate::token("qrcode_id", Some(qrcode_id)) {
            Ok(id) => id,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        self.get_with(
            CHECK_PATH,
            &[("qrcodeId", qrcode_id)],
            Shape::Envelope,
            Auth::Config,
        )
    }

    /// Exchanges the ticket of an authorized QR code for tokens, and signs in (Java:
    /// `exchangeTokenSetWithQRCode`; `POST /api/v3/exchange-tokenset-with-qrcode-ticket`,
    /// `{"ticket":..}`). The callback form.
    ///
    /// On success `data` holds the tokens
    /// ([`login_token_data`](AuthResponse::login_token_data)) and the client's session
    /// starts, as after [`sign_in_by_account_password`](Self::sign_in_by_account_password)
    /// (Android hands the tokens over and saves nothing). A ticket is single use.
    ///
    /// `client_id` and `client_secret` are Java's: `None` leaves them out (an app whose
    /// token endpoint authentication is `none`, as every desktop or mobile app's must be:
    /// such an app cannot keep a secret); give them only for an app set to
    /// `client_secret_post`. Checked first (10010, nothing sent): the ticket, and each given
    /// client field, 1 to 4096 visible ASCII characters; the token store is read first
    /// (10016) as for a sign-in.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .exchange_token_set_with_qr_code("ticket", None, None, |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("signed in"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("exchangeTokenSetWithQRCode"))]
    pub fn exchange_token_set_with_qr_code<C: AuthCallback>(
        &self,
        ticket: &str,
        client_id: impl OptionalText,
        client_secret: impl OptionalText,
        callback: C,
    ) -> RequestHandle {
        let ticket = ticket.to_string();
        let (id, secret) = (text::into_text(client_id), text::into_text(client_secret));
        self.spawn(callback, move |client, _| {
            client.exchange_token_set_with_qr_code_blocking(
                &ticket,
                id.as_deref(),
                secret.as_deref(),
            )
        })
    }

    /// The blocking twin of
    /// [`exchange_token_set_with_qr_code`](Self::exchange_token_set_with_qr_code).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().exchange_token_set_with_qr_code_blocking("ticket", None, None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn exchange_token_set_with_qr_code_blocking(
        &self,
        ticket: &str,
        client_id: impl OptionalText,
        client_secret: impl OptionalText,
    ) -> AuthResponse {
        let (id, secret) = (text::into_text(client_id), text::into_text(client_secret));
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let response = self.exchange_ticket(ticket, id.as_deref(), secret.as_deref());
        if !response.is_success() {
            return response;
        }
        self.start_session(response)
    }

    /// Scans, confirms or cancels a QR code as the signed-in user: the phone's side (Java:
    /// `changeQrCodeStatus`; `POST /api/v3/change-qrcode-status`,
    /// `{"qrcodeId":..,"action":"SCAN"|"CONFIRM"|"CANCEL"}`, sent with the session's bearer).
    /// The callback form.
    ///
    /// `SCAN` right after reading the code (the desktop shows who scanned), then `CONFIRM`
    /// to sign the desktop in as this user, or `CANCEL`. Without a usable session the answer
    /// is 10015 and nothing is sent (an expired access token is refreshed first, as for
    /// [`get_profile`](Self::get_profile)). The id is checked first (10010): 1 to 4096
    /// visible ASCII characters.
    ///
    /// ```no_run
    /// use authing::{Action, AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .change_qr_code_status("qrcode-id", Action::CONFIRM, |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("the desktop is signed in"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("changeQrCodeStatus"))]
    pub fn change_qr_code_status<C: AuthCallback>(
        &self,
        qrcode_id: &str,
        action: Action,
        callback: C,
    ) -> RequestHandle {
        let qrcode_id = qrcode_id.to_string();
        self.spawn(callback, move |client, _| {
            client.change_qr_code_status_blocking(&qrcode_id, action)
        })
    }

    /// The blocking twin of [`change_qr_code_status`](Self::change_qr_code_status).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().change_qr_code_status_blocking("qrcode-id", authing::Action::SCAN);
    /// println!("{}", response.status_code());
    /// ```
    pub fn change_qr_code_status_blocking(&self, qrcode_id: &str, action: Action) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let qrcode_id = match validate::token("qrcode_id", Some(qrcode_id)) {
            Ok(id) => id,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        let token = match self.user_token() {
            Ok(token) => token,
            Err(refused) => return refused.into_response(),
        };
        let body = ChangeBody {
            qrcode_id,
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

    /// Signs in by QR code, the whole desktop side in one call: generates a code, tells
    /// `on_status` about it and about each change the server reports, and once the phone
    /// confirms, exchanges the ticket and starts the session. The callback form; no Java
    /// counterpart (Android is the phone side).
    ///
    /// 1. `POST /api/v3/gene-qrcode` (`MOBILE_APP`, and the options' `customData`).
    /// 2. `on_status` gets a [`QrCodeUpdate`] with status `PENDING` and the code: draw it
    ///    ([`QrCode::content`](crate::QrCode::content), or with the cargo feature `qrcode`,
    ///    [`QrCode::to_svg`](crate::QrCode::to_svg) /
    ///    [`to_terminal_string`](crate::QrCode::to_terminal_string)).
    /// 3. `GET /api/v3/check-qrcode-status` every
    ///    [`interval`](QrCodeSignInOptions::set_interval) (1 s by default) after the
    ///    previous answer; each status that differs from the last one goes to `on_status`
    ///    once, in order (`SCANNED` with who scanned: "confirm on your phone").
    /// 4. At `AUTHORIZED`: `POST /api/v3/exchange-tokenset-with-qrcode-ticket` with the
    ///    ticket (or, when the server sent the tokens themselves in `tokenSet`, those), then
    ///    the session starts as after a sign-in (the user from the id_token's claims, the
    ///    full profile fetched after the answer; token store written), and
    ///    the callback gets the token answer (status code 200,
    ///    [`login_token_data`](AuthResponse::login_token_data)).
    /// 5. At `CANCELLED`, `EXPIRED` or `ERROR`, or when no final status came within the
    ///    [`timeout`](QrCodeSignInOptions::set_timeout) (10 min by default), the callback
    ///    gets status code 10018 ([`AuthError::QrCodeNotAuthorized`](crate::AuthError::QrCodeNotAuthorized)) with the last state's
    ///    `data`. A check that fails transiently (network, 5xx, 429) is tried again at the
    ///    next tick, up to 3 failures in a row; any other failure ends the call with that
    ///    answer.
    ///
    /// The whole flow runs on one dispatcher worker (it holds one of the
    /// `max_concurrent_requests` for its duration). `on_status` runs on that worker, or
    /// through the client's callback executor when it has one (so a GUI gets the updates on
    /// its thread, before the callback); a panic in it is reported and the flow goes on.
    /// [`RequestHandle::cancel`] stops the polling at once (a wait between checks ends
    /// immediately; a check on the wire is let finish, its answer dropped), sends no more
    /// requests, starts no more updates, and the callback gets the cancellation (10011)
    /// once. No update reaches `on_status` once `cancel()` has returned `true`, even one the flow
    /// had already handed to your executor (its task sees the cancel and skips the
    /// listener); only an update whose listener had already started may finish after it.
    /// A cancel that comes after the ticket was exchanged but before the session is saved
    /// drops the tokens (they stay valid on the server until they expire); one that comes
    /// while it is being saved may leave the session saved. See docs/THREADING.md.
    ///
    /// Checked first (10010, nothing sent): the options; the token store is read (10016).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, QrCodeStatus, QrCodeUpdate};
    ///
    /// let handle = AuthClient::new().sign_in_by_qr_code(
    ///     None,
    ///     |update: QrCodeUpdate| match update.status() {
    ///         QrCodeStatus::PENDING => println!("scan {}", update.qr_code().content()),
    ///         QrCodeStatus::SCANNED => println!("confirm on your phone"),
    ///         other => println!("{other}"),
    ///     },
    ///     |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("signed in"); }
    ///     },
    /// );
    /// handle.join().unwrap();
    /// ```
    pub fn sign_in_by_qr_code<L, C>(
        &self,
        options: impl Into<Option<QrCodeSignInOptions>>,
        on_status: L,
        callback: C,
    ) -> RequestHandle
    where
        L: FnMut(QrCodeUpdate) + Send + 'static,
        C: AuthCallback,
    {
        let options = options.into();
        let hopped = poll::hop(self, "a qr code status listener", on_status);
        self.spawn(callback, move |client, cancel| {
            let listener = Listener::Hopped(hopped, cancel.watch());
            client.sign_in_by_qr_code_with(options, listener, Some(cancel))
        })
    }

    /// The blocking twin of [`sign_in_by_qr_code`](Self::sign_in_by_qr_code): the same flow on
    /// the caller's thread, `on_status` called on it too (it need not be `Send`). It cannot
    /// be cancelled; the options' timeout bounds it.
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_qr_code_blocking(None, |update: authing::QrCodeUpdate| {
    ///     println!("{}", update.status());
    /// });
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_qr_code_blocking(
        &self,
        options: impl Into<Option<QrCodeSignInOptions>>,
        mut on_status: impl FnMut(QrCodeUpdate),
    ) -> AuthResponse {
        self.sign_in_by_qr_code_with(options.into(), Listener::Direct(&mut on_status), None)
    }

    /// `POST /api/v3/exchange-tokenset-with-qrcode-ticket`, the input checked first; no
    /// session is started here.
    pub(crate) fn exchange_ticket(
        &self,
        ticket: &str,
        client_id: Option<&str>,
        client_secret: Option<&str>,
    ) -> AuthResponse {
        self.post(EXCHANGE_PATH, || {
            let body = ExchangeBody {
                ticket: validate::token("ticket", Some(ticket))?,
                client_id: client_id
                    .map(|v| validate::token("client_id", Some(v)))
                    .transpose()?,
                client_secret: client_secret
                    .map(|v| validate::token("client_secret", Some(v)))
                    .transpose()?,
            };
            json_body(&body)
        })
    }
}

/// `geneFastpassQrcodeInfo`'s endpoint.
pub(crate) const FASTPASS_GENE_PATH: &str = "/api/v3/gene-fastpass-qrcode-info";
/// `getFastpassParams`'s endpoint.
pub(crate) const FASTPASS_APPS_PATH: &str = "/api/v3/get-fastpass-client-apps";
/// `getQrCodeStatus`'s endpoint.
pub(crate) const APP_LOGIN_STATUS_PATH: &str = "/api/v3/get-app-login-qrcode-status";
/// `qrCodeAppLogin`'s endpoint.
pub(crate) const APP_LOGIN_PATH: &str = "/api/v3/qrcode-app-login";

/// The only `action` of `qrcode-app-login` (the spec's `AppQRCodeLoginDto.action`).
const APP_LOGIN: &str = "APP_LOGIN";

/// The body of `POST /api/v3/gene-fastpass-qrcode-info` (the spec's `SignInFastpassDto`).
#[derive(Serialize)]
struct FastpassBody<'a> {
    options: &'a FastpassOptions,
}

/// The body of `POST /api/v3/qrcode-app-login` (the spec's `AppQRCodeLoginDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AppLoginBody<'a> {
    action: &'static str,
    qrcode_id: &'a str,
}

/// # Fast authentication by QR code (Java: `AuthenticationClient.geneFastpassQrcodeInfo`, `getFastpassParams`, `getQrCodeStatus`, `qrCodeAppLogin`)
///
/// QR sign-in the other way round (Authing's "快速认证", fast authentication from the
/// user's personal center): a client where the user is signed in shows a code
/// ([`gene_fastpass_qrcode_info`](Self::gene_fastpass_qrcode_info)) and watches it
/// ([`get_qr_code_status`](Self::get_qr_code_status)); an app that is not signed in scans
/// it, lists the client apps it can enter ([`get_fastpass_params`](Self::get_fastpass_params))
/// and signs in as that user ([`qr_code_app_login`](Self::qr_code_app_login)).
impl AuthClient {
    /// Makes a fast authentication code for the signed-in user (Java:
    /// `geneFastpassQrcodeInfo`; `POST /api/v3/gene-fastpass-qrcode-info`,
    /// `{"options":{..}}`, sent with the session's bearer). The callback form.
    ///
    /// On success `data` is what the code carries
    /// ([`fastpass_qr_code`](AuthResponse::fastpass_qr_code)): draw its
    /// [`content`](crate::FastpassQrCode::content), then watch it with
    /// [`get_qr_code_status`](Self::get_qr_code_status). Whoever scans the code can sign in
    /// as this user: show it only to them. `options` is `None` or a
    /// [`FastpassOptions`](crate::FastpassOptions), checked first (10010, nothing sent).
    /// Without a usable session the answer is 10015 and nothing is sent (an expired access
    /// token is refreshed first, as for [`get_profile`](Self::get_profile)).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .gene_fastpass_qrcode_info(None, |response: AuthResponse| {
    ///         if let Ok(code) = response.fastpass_qr_code() { println!("draw {}", code.content()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("geneFastpassQrcodeInfo"))]
    pub fn gene_fastpass_qrcode_info<C: AuthCallback>(
        &self,
        options: impl Into<Option<FastpassOptions>>,
        callback: C,
    ) -> RequestHandle {
        let options = options.into();
        self.spawn(callback, move |client, _| {
            client.gene_fastpass_qrcode_info_blocking(options)
        })
    }

    /// The blocking twin of [`gene_fastpass_qrcode_info`](Self::gene_fastpass_qrcode_info).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "passw0rd!"))?;
    /// let desktop = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// desktop.sign_in_by_account_password_blocking("alice@example.com", "passw0rd!", None);
    /// let code = desktop.gene_fastpass_qrcode_info_blocking(None).fastpass_qr_code()?;
    /// assert_eq!(code.app_id(), emulator.app_id());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn gene_fastpass_qrcode_info_blocking(
        &self,
        options: impl Into<Option<FastpassOptions>>,
    ) -> AuthResponse {
        let options = options.into().unwrap_or_default();
        self.checked_as_user(
            || options.check().map_err(AuthError::from),
            |token, _| {
                let body = FastpassBody { options: &options };
                self.post_with(
                    FASTPASS_GENE_PATH,
                    &[],
                    || Ok((JSON.into(), json_body(&body)?)),
                    Shape::Envelope,
                    Auth::Bearer(token),
                )
            },
        )
    }

    /// Lists the client apps a scanned fast authentication code can sign in to: the
    /// scanning app's first step (Java: `getFastpassParams`; `GET
    /// /api/v3/get-fastpass-client-apps?qrcodeId=..&appId=..`). The callback form.
    ///
    /// `qrcode_id` and `app_id` are the code's ([`FastpassQrCode`](crate::FastpassQrCode)).
    /// On success `data.relationApps` lists the apps
    /// ([`fastpass_apps`](AuthResponse::fastpass_apps)). Needs no session. Checked first
    /// (10010, nothing sent): both are 1 to 4096 visible ASCII characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_fastpass_params("qrcode-id", "app-id", |response: AuthResponse| {
    ///         for app in response.fastpass_apps().unwrap_or_default() { println!("{}", app.name()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getFastpassParams"))]
    pub fn get_fastpass_params<C: AuthCallback>(
        &self,
        qrcode_id: &str,
        app_id: &str,
        callback: C,
    ) -> RequestHandle {
        let (qrcode_id, app_id) = (qrcode_id.to_string(), app_id.to_string());
        self.spawn(callback, move |client, _| {
            client.get_fastpass_params_blocking(&qrcode_id, &app_id)
        })
    }

    /// The blocking twin of [`get_fastpass_params`](Self::get_fastpass_params).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_fastpass_params_blocking("qrcode-id", "app-id");
    /// println!("{}", response.status_code());
    /// ```
    pub fn get_fastpass_params_blocking(&self, qrcode_id: &str, app_id: &str) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let checked = validate::token("qrcode_id", Some(qrcode_id))
            .and_then(|id| Ok((id, validate::token("app_id", Some(app_id))?)));
        let (qrcode_id, app_id) = match checked {
            Ok(both) => both,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        self.get_with(
            FASTPASS_APPS_PATH,
            &[("qrcodeId", qrcode_id), ("appId", app_id)],
            Shape::Envelope,
            Auth::Config,
        )
    }

    /// Checks a fast authentication code's status: the showing side's poll (Java:
    /// `getQrCodeStatus`; `GET /api/v3/get-app-login-qrcode-status?qrcodeId=..`). The
    /// callback form.
    ///
    /// On success `data` is the state ([`qr_code_state`](AuthResponse::qr_code_state)), as
    /// for [`check_qr_code_status`](Self::check_qr_code_status): `PENDING`, `SCANNED` (the
    /// app listed the client apps), `AUTHORIZED` (the app signed in), `CANCELLED`,
    /// `EXPIRED` or `ERROR`. Checked first (10010, nothing sent): the id is 1 to 4096
    /// visible ASCII characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_qr_code_status("qrcode-id", |response: AuthResponse| {
    ///         if let Ok(state) = response.qr_code_state() { println!("{}", state.status()); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getQrCodeStatus"))]
    pub fn get_qr_code_status<C: AuthCallback>(
        &self,
        qrcode_id: &str,
        callback: C,
    ) -> RequestHandle {
        let qrcode_id = qrcode_id.to_string();
        self.spawn(callback, move |client, _| {
            client.get_qr_code_status_blocking(&qrcode_id)
        })
    }

    /// The blocking twin of [`get_qr_code_status`](Self::get_qr_code_status).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_qr_code_status_blocking("qrcode-id");
    /// println!("{}", response.status_code());
    /// ```
    pub fn get_qr_code_status_blocking(&self, qrcode_id: &str) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let qrcode_id = match validate::token("qrcode_id", Some(qrcode_id)) {
            Ok(id) => id,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        self.get_with(
            APP_LOGIN_STATUS_PATH,
            &[("qrcodeId", qrcode_id)],
            Shape::Envelope,
            Auth::Config,
        )
    }

    /// Signs this app in by a scanned fast authentication code, as the user who showed it
    /// (Java: `qrCodeAppLogin`; `POST /api/v3/qrcode-app-login`,
    /// `{"action":"APP_LOGIN","qrcodeId":..}`). The callback form.
    ///
    /// On success `data` holds the tokens
    /// ([`login_token_data`](AuthResponse::login_token_data)) and the client's session
    /// starts, as after [`sign_in_by_account_password`](Self::sign_in_by_account_password);
    /// the showing side sees `AUTHORIZED`. A code signs one app in. Checked first (10010,
    /// nothing sent): the id is 1 to 4096 visible ASCII characters; the token store is read
    /// first (10016) as for a sign-in.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .qr_code_app_login("qrcode-id", |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("signed in"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("qrCodeAppLogin"))]
    pub fn qr_code_app_login<C: AuthCallback>(
        &self,
        qrcode_id: &str,
        callback: C,
    ) -> RequestHandle {
        let qrcode_id = qrcode_id.to_string();
        self.spawn(callback, move |client, _| {
            client.qr_code_app_login_blocking(&qrcode_id)
        })
    }

    /// The blocking twin of [`qr_code_app_login`](Self::qr_code_app_login).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// use authing::{AuthClient, QrCodeStatus};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "passw0rd!"))?;
    /// let client = || AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build();
    /// let (desktop, phone) = (client()?, client()?);
    /// desktop.sign_in_by_account_password_blocking("alice@example.com", "passw0rd!", None);
    /// let code = desktop.gene_fastpass_qrcode_info_blocking(None).fastpass_qr_code()?;
    /// let apps = phone.get_fastpass_params_blocking(code.qrcode_id(), code.app_id()).fastpass_apps()?;
    /// assert_eq!(apps[0].id(), emulator.app_id());
    /// assert_eq!(phone.qr_code_app_login_blocking(code.qrcode_id()).status_code(), 200);
    /// assert!(phone.get_current_user().is_some());
    /// let state = desktop.get_qr_code_status_blocking(code.qrcode_id()).qr_code_state()?;
    /// assert_eq!(state.status(), QrCodeStatus::AUTHORIZED);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn qr_code_app_login_blocking(&self, qrcode_id: &str) -> AuthResponse {
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let response = self.post(APP_LOGIN_PATH, || {
            json_body(&AppLoginBody {
                action: APP_LOGIN,
                qrcode_id: validate::token("qrcode_id", Some(qrcode_id))?,
            })
        });
        if !response.is_success() {
            return response;
        }
        self.start_session(response)
    }
}
