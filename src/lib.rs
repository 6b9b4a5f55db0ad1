//! # authing
//!
//! A Rust SDK for the [Authing](https://www.authing.cn) identity platform's v3 API,
//! blocking and callback-style, no async runtime. It brings the Java/Android SDK's
//! `AuthClient` to Rust so that ported code reads almost line for line like the Java
//! sample, and it runs from plain `main` programs and from GUI event handlers alike.
//!
//! Its first journey is account recovery: verify a passcode sent by SMS or email for a
//! `passwordResetToken` ([`AuthClient::reset_password_request`]). Then sign-up, sign-in and
//! the signed-in session (see "Signing in" below).
//!
//! ## The Java sample, ported
//!
//! ```no_run
//! use authing::{AuthClient, AuthResponse, Authing, ResetPasswordPayload, ResetPasswordVerifyMethod};
//!
//! Authing::init("your-app-id"); // Authing.init(context, appId): your app's id from the console
//!
//! let auth_client = AuthClient::new();
//! let mut reset_password_payload = ResetPasswordPayload::new();
//! reset_password_payload.set_phone_country_code("+86");
//! reset_password_payload.set_phone_number("18812345678");
//! reset_password_payload.set_pass_code("1234");
//! let handle = auth_client.reset_password_request(ResetPasswordVerifyMethod::PHONE_PASSCODE, reset_password_payload,
//!     |response: AuthResponse| {
//!         if response.status_code() == 200 { /* success */ }
//!     });
//! handle.join().unwrap(); // let `main` wait for the callback
//! ```
//!
//! Without [`Authing::init`] (or `AUTHING_APP_ID` in the environment, or a client from
//! [`AuthClient::builder`]) the client has no app to talk to and every call answers status
//! code 10002, "config not found". To try the journey offline, `cargo run --example
//! reset_password` runs it against the bundled emulator.
//!
//! Java names map mechanically: `getX()` is `x()`, `setX(v)` is `set_x(v)`, `doThing` is
//! `do_thing`, constants keep their spelling (`PHONE_PASSCODE`), `Authing.init(context,
//! appId)` is [`Authing::init`]`(app_id)`.
//!
//! ## The families of calls
//!
//! Each family is one `impl AuthClient` block with a heading of its own on
//! [`AuthClient`]'s page; its calls are in `src/api/<family>.rs`, its payloads, typed
//! answers and [`AuthResponse`] views in `src/model/<family>.rs`.
//!
//! - **Account recovery**: [`AuthClient::reset_password_request`], [`AuthClient::send_sms`],
//!   [`ResetPasswordPayload`], [`ResetPasswordData`], [`SmsType`], [`EmailType`].
//! - **Sign-up**: [`AuthClient::sign_up_by_user_name_password`], [`AuthProfile`].
//! - **Sign-in**: [`AuthClient::sign_in_by_account_password`], [`AuthOptions`].
//! - **The session**: [`AuthClient::get_current_user`], [`TokenSet`], [`UserInfo`],
//!   [`TokenStore`].
//! - **Common**: [`AuthClient::get_country_list`], [`Country`].
//! - **What the user may access**: [`AuthClient::get_login_history`], [`Page`], [`Role`],
//!   [`Department`].
//! - **Authorization**: [`AuthClient::check_permission_by_string_resource`],
//!   [`AuthClient::get_user_auth_resource_struct`], [`PermissionCheck`], [`ResourceStruct`].
//! - **Linked identities**: [`AuthClient::link_ext_idp`], [`Identity`], [`ExtIdp`].
//! - **MFA**: [`AuthClient::send_enroll_factor_request`], [`MfaChallenge`], [`FactorType`].
//! - **QR-code sign-in**: [`AuthClient::gene_qr_code`], [`AuthClient::sign_in_by_qr_code`],
//!   [`QrCode`], [`QrCodeUpdate`]; fast authentication, the other way round:
//!   [`AuthClient::gene_fastpass_qrcode_info`], [`AuthClient::qr_code_app_login`],
//!   [`FastpassQrCode`].
//! - **Push sign-in**: [`AuthClient::gene_push_code`], [`AuthClient::sign_in_by_push`],
//!   [`AuthClient::change_push_code_status`], [`PushCode`], [`PushCodeUpdate`].
//! - **Mobile social sign-in**: [`AuthClient::sign_in_by_mobile`], [`Connection`].
//! - **Social account binding**: [`AuthClient::auth_by_code_identity`],
//!   [`AuthClient::register_new_user`], [`AuthClient::bind_by_account`], [`SocialBinding`].
//! - **WeChat helpers**: [`AuthClient::decrypt_wechat_mini_program_data`],
//!   [`AuthClient::get_wechat_mini_program_phone`],
//!   [`AuthClient::get_wechat_mp_access_token_info`], [`WechatAccessToken`].
//! - **OpenID Connect and the browser sign-in**: [`AuthClient::build_authorize_url`],
//!   [`AuthClient::sign_in_by_browser`], [`AuthRequest`], [`BrowserSignIn`].
//! - **Profile**: [`AuthClient::update_profile`], [`Profile`], [`Avatar`].
//! - **Password and deletion**: [`AuthClient::update_password`], [`DeleteAccountPayload`].
//! - **Phone and email**: [`AuthClient::bind_phone`], [`UpdatePhoneToken`],
//!   [`UpdateEmailToken`].
//! - **Tokens**: [`AuthClient::introspect_token`],
//!   [`AuthClient::get_access_token_by_client_credentials`], [`TokenIntrospection`],
//!   [`ClientCredentialInput`], [`MachineToken`].
//! - **Devices**: [`AuthClient::list`], [`AuthClient::revoke`], [`AuthClient::unbind`],
//!   [`DeviceSession`], [`Device`], [`AuthClientBuilder::device_id`].
//! - **Switch login**: [`AuthClient::list_public_accounts_for_switch_logged_in`],
//!   [`AuthClient::switch_login_by_user`], [`PublicAccountList`], [`PublicAccount`].
//! - **Captcha and code checks**: [`AuthClient::get_captcha_code`], [`CaptchaImage`],
//!   [`AuthResponse::is_captcha_required`], [`AuthOptions::set_captcha_code`],
//!   [`AuthClient::pre_check_code`], [`PreCheckCodePayload`], [`PreCheckCodeResult`].
//! - **Passkeys (WebAuthn)**: [`AuthClient::register_passkey`],
//!   [`AuthClient::sign_in_by_passkey`], [`AuthClient::init_register_options`],
//!   [`AuthClient::verify_authentication`], [`AuthClient::list_credentials_by_page`],
//!   [`AuthClient::remove_credential`], [`AuthenticatorCode`], and the [`passkey`] module:
//!   the [`passkey::Authenticator`] trait and (feature `software-authenticator`) the
//!   `SoftwareAuthenticator`.
//!
//! ## Configuration
//!
//! [`AuthClient::new`] reads the process-wide [`Authing`] settings, then the environment:
//! `AUTHING_APP_ID`, `AUTHING_APP_HOST` (a base URL such as `https://myapp.authing.cn`),
//! `AUTHING_LANG` (`zh-CN`, `en-US`, `ja-JP`, `zh-TW`), `AUTHING_TIMEOUT_MS`. It never
//! fails: an unconfigured client (no app id; every call sends one as `x-authing-app-id`)
//! answers every call with status code 10002. Clients made by
//! `new()` with the same settings share one connection pool and one dispatcher.
//! [`AuthClient::builder`] makes a client with settings of its own and checks them.
//!
//! ## App discovery
//!
//! With an app id and no base URL, the first call fetches the app's public config
//! (`GET https://console.authing.cn/api/v2/applications/{appId}/public-config`, or from the
//! host given to [`Authing::set_host`]) and learns the API host (`requestHostname`, else
//! `{identifier}.authing.cn`) and the user pool id. It is fetched once per client and shared
//! by its calls; calls that arrive while it loads wait for it. If it fails, every waiting
//! call is answered once with status code 10002, and a later call tries again.
//!
//! ## Warming up, and the public config on disk
//!
//! No request goes out until the program calls. [`AuthClient::warm_up`] (Java's
//! `Authing.init` fetching the app's config) does the discovery, fetches the public
//! password keys and leaves a connection open (50 s while idle), so that a click on
//! "Sign in" costs the sign-in request alone;
//! [`AuthClientBuilder::warm_up`]`(true)` starts it from `build()` in the background.
//! [`AuthClientBuilder::public_config_cache`] keeps the public config and keys in a file
//! (public data only, one day by default), so a second program start skips both requests.
//! Both are in `docs/PERFORMANCE.md` ([`guide::performance`]).
//!
//! ## Transport
//!
//! One HTTP client per client (ureq, shared by its clones); its connection pool, TLS
//! sessions and DNS cache are shared by every living client of the process with the same
//! API host and transport settings (`src/transport/agents.rs`). One policy:
//!
//! | setting ([`AuthClientBuilder`]) | default | what it does |
//! |---|---|---|
//! | [`connect_timeout`](AuthClientBuilder::connect_timeout) | 10 s | time to open a connection, TCP and TLS |
//! | [`timeout`](AuthClientBuilder::timeout) | 30 s | the whole call, DNS lookup included, to the last byte |
//! | [`max_response_bytes`](AuthClientBuilder::max_response_bytes) | 1 MiB | the largest body read |
//! | [`header`](AuthClientBuilder::header) | none | an extra header on every call, e.g. `x-real-ip`; checked, cannot replace the SDK's |
//! | [`root_certificates_pem`](AuthClientBuilder::root_certificates_pem) / [`_file`](AuthClientBuilder::root_certificates_pem_file) | Mozilla's roots, compiled in | trust only these CAs (an on-premises private CA) |
//! | [`platform_verifier`](AuthClientBuilder::platform_verifier) | off | the OS's verifier and trust store (cargo feature `platform-verifier`) |
//! | [`rsa_public_key`](AuthClientBuilder::rsa_public_key) / [`sm2_public_key`](AuthClientBuilder::sm2_public_key) | fetched | preset password-encryption keys: no `GET /api/v3/system` |
//! | [`public_config_cache`](AuthClientBuilder::public_config_cache) / [`_max_age`](AuthClientBuilder::public_config_cache_max_age) | none; one day | the public config and keys kept in a file across program starts |
//! | [`warm_up`](AuthClientBuilder::warm_up) | off | `build()` starts [`AuthClient::warm_up`] on a worker |
//! | [`proxy`](AuthClientBuilder::proxy) / [`no_proxy`](AuthClientBuilder::no_proxy) | the environment's (`ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) | an http, https or socks5 proxy, which resolves the API host's name; `no_proxy("*")`: none |
//!
//! - **No redirects.** Authing's API never redirects, so a 3xx answer is never followed:
//!   the call answers with that status ([`AuthError::HttpStatus`]) and a message naming the
//!   `location`. A body is never replayed to another host, nor over plain http.
//! - **https unless a URL says `http://`.** A bare app host means https. App discovery
//!   keeps the scheme of the discovery request: a public config fetched over https never
//!   turns the API host into http, whatever its `requestHostname` says.
//! - **DNS** is looked up once per host at a time and its addresses reused for 60 s (a
//!   failure for 2 s); each call waits for a lookup no longer than its own `timeout`, and
//!   the lookup of one host never waits for another's. A host that could not be reached is
//!   looked up again on the next call. IP literals are never looked up. Through a proxy,
//!   only the proxy's name is looked up (see [`guide::configuration`], "Proxies").
//! - **Public keys** for `rsa`/`sm2` are fetched once per client, unless preset. When the
//!   server answers 400 saying the password does not decrypt (its message contains
//!   `decrypt` or `解密`: our rule, Authing documents no code for it), the keys are fetched
//!   again once, and if the key changed, the request is sent once more with the password
//!   encrypted anew. A preset key is pinned: it is never refetched.
//!
//! ## Logging
//!
//! The SDK writes through the [`log`](https://docs.rs/log) facade, target `authing`, and
//! installs no logger: with yours (`env_logger` and `RUST_LOG=authing=debug,ureq=debug`,
//! say) you get one debug record per HTTP exchange (method, path without its query,
//! status, `statusCode`, `apiCode`, `requestId`, duration, resent or refreshed), info on
//! the session's events (signed in, refreshed, signed out, a token store that failed) and
//! warn on what it recovers from (a 401 answered by a refresh, a password key fetched
//! again). Never a token, password, code or secret, nor an email or phone number: users
//! by id. Keep ureq below TRACE, which writes the wire, bearer tokens included. See
//! [the logging guide](crate::guide::configuration#logging).
//!
//! ## The callback contract
//!
//! 1. **Exactly once.** The callback runs once per call: on success and on every failure
//!    (network, time-out, unreadable body, bad input caught locally, cancellation, a full
//!    queue, failed discovery). Never twice, never zero times.
//! 2. **Off your thread.** It runs on a dispatcher worker thread, never on the thread that
//!    made the call, unless you give the client a callback executor
//!    ([`AuthClientBuilder::callback_executor`]) that hops to a thread of your choice, such as
//!    a GUI thread. (Exceptions, for a rejection or a cancellation only: when
//!    `max_queued_requests` such answers already wait for the courier thread, or no thread
//!    can be started, it is delivered on the thread that made the call or called `cancel`;
//!    see docs/THREADING.md.)
//! 3. **Any callback shape.** A closure `|response: AuthResponse| { .. }`, your own type
//!    implementing [`AuthCallback`], a `Box<dyn AuthCallback>`, an
//!    `std::sync::mpsc::Sender<AuthResponse>`, [`send_with`]`(sender, Msg::Variant)` (a
//!    sender of your own messages that says which call answered), or
//!    [`Inbox::callback`] (a closure that stays on your UI thread and need not be `Send`).
//!
//! For GUI event loops that sleep until woken, [`AuthClientBuilder::on_delivery`] (or
//! [`AuthClient::set_on_delivery`], once the toolkit exists) is called after each delivery:
//! an egui app calls `ctx.request_repaint()` there. docs/THREADING.md has the recipes and
//! docs/GUI.md a whole desktop app built on them.
//! 4. **Panics are contained.** A callback that panics does not kill a worker or poison the
//!    SDK: the panic is reported (to stderr, or to the client's
//!    [`reporter`](AuthClientBuilder::reporter)) and returned by [`RequestHandle::join`],
//!    and the next call works. Not under `panic = "abort"`: there a panicking callback ends
//!    the process.
//! 5. **A handle per call.** [`RequestHandle::join`] waits for the delivery,
//!    [`RequestHandle::is_finished`] tells, [`RequestHandle::cancel`] replaces the answer with
//!    a cancellation (status code 10011); a call already on the wire is not interrupted, so
//!    **the server may already have acted**. Dropping the handle detaches; nothing blocks in
//!    `Drop`.
//! 6. **Bounded.** Each client runs at most `max_concurrent_requests` calls at once (8 by
//!    default) on as many worker threads; more calls wait in a FIFO queue (100,000 by
//!    default; beyond it a call is answered with status code 10012). A burst of 10,000 calls
//!    queues, it does not start 10,000 threads. Answers that need no network (a rejection,
//!    a cancellation) go through one extra "courier" thread so they never wait behind calls
//!    on the wire. Idle threads exit after 10 seconds. No SDK lock is held while your
//!    callback or executor runs (a [`TokenStore`] of your own is the one exception: it is
//!    called under the lock that orders the session's changes and must not change the
//!    session from inside; reading the session never waits for it, but for the first read).
//!
//! ## Errors
//!
//! [`AuthResponse`] keeps the Android fields: `status_code()`, `message()`, `api_code()`
//! (0 when absent), `request_id()`, `data()`. The server answers HTTP 200 even for business
//! errors; success is `status_code() == 200`. Other HTTP statuses give that status and the
//! raw body as the message, unless the body is Authing's envelope (the spec's HTTP 429
//! answer is), which is then read as on HTTP 200. `Retry-After` is read on every status.
//! Local failures use the Android codes ([`codes`]: 10001 network, 10002 config, 10004
//! unexpected data) and this crate's own (10010 invalid input, 10011 cancelled, 10012
//! rejected, 10013 internal, 10014 password encryption failed, 10015 not signed in, 10016
//! token store failed, 10017 no MFA challenge, 10018 QR code not authorized, 10019 OpenID
//! Connect sign-in failed). The typed view, [`AuthResponse::error`] and
//! [`AuthResponse::into_result`], gives an [`AuthError`] that tells the precise cause, with
//! known `apiCode`s named in [`ApiCode`]. No error message or `Debug` output contains a pass
//! code, password, or any token (reset, access, id, refresh).
//!
//! ## Signing in
//!
//! A successful `sign_in_by_*` call starts the client's session: its [`TokenSet`] and the
//! user ([`AuthClient::get_current_user`]), shared by the client's clones and by every
//! `AuthClient::new()` of the same app. The sign-in answers after its one request: the
//! user is first the one the answer's id_token describes ([`UserInfo::is_partial`]), and
//! the full profile, fetched right after the callback, replaces it. Calls that need a user, such as
//! [`AuthClient::get_profile`], send its access token as `Authorization: Bearer`, and
//! refresh it first (one refresh, however many calls wait) when it has expired; without
//! a usable session they answer status code 10015 and send nothing. A session in use is
//! refreshed ahead of its expiry in the background, so that a call seldom waits for a
//! refresh ([`AuthClientBuilder::refresh_ahead`]).
//! [`AuthClient::logout`] revokes the tokens and always signs this device out. The session
//! lives in memory, or in a [`FileTokenStore`] (or, with the cargo feature `keyring`, a
//! `KeyringTokenStore` in the OS's credential store) given to
//! [`AuthClientBuilder::token_store`] so that a desktop app stays signed in across
//! restarts.
//!
//! ```no_run
//! use authing::{AuthClient, AuthResponse};
//!
//! let auth_client = AuthClient::new();
//! auth_client
//!     .sign_in_by_email_password("mike@example.com", "passw0rd", None, |response: AuthResponse| {
//!         if response.status_code() == 200 { /* show the main screen */ }
//!     })
//!     .join()
//!     .unwrap();
//! if let Some(user) = auth_client.get_current_user() {
//!     println!("hello, {}", user.nickname().unwrap_or(user.user_id()));
//! }
//! ```
//!
//! ## What the signed-in user may access
//!
//! With a user signed in, [`AuthClient::get_role_list`], [`AuthClient::get_group_list`],
//! [`AuthClient::get_department_list`], [`AuthClient::get_login_history`] and the other
//! calls of `src/api/directory.rs` and `src/api/identities.rs` list what the user has.
//! Each answer keeps Android's JSON in `data()` and has a typed view beside it
//! ([`AuthResponse::role_list`], ...); a paged one is a [`Page`], which says the total and
//! whether more pages exist.
//!
//! ```no_run
//! let auth_client = authing::AuthClient::new();
//! let mut page = 1;
//! loop {
//!     let departments = auth_client
//!         .get_department_list_blocking(page, 50, false, "DepartmentName", "Asc")
//!         .department_list()?;
//!     for department in departments.list() {
//!         println!("{}", department.department_name_path().join(" / "));
//!     }
//!     match departments.next_page() {
//!         Some(next) => page = next,
//!         None => break,
//!     }
//! }
//! # Ok::<(), authing::AuthError>(())
//! ```
//!
//! ## Authorization: what the user may do
//!
//! Before it shows a button, an app asks whether the signed-in user may do that action to
//! that resource: [`AuthClient::check_permission_by_string_resource`] (and `_array_`,
//! `_tree_`, whose resources are paths such as `docs/guides/intro`) answers a
//! [`PermissionCheck`], whose [`can`](PermissionCheck::can) is the `if`.
//! [`AuthClient::get_user_authorized_resources_list`],
//! [`AuthClient::get_user_auth_resource_permission_list`] and
//! [`AuthClient::get_user_auth_resource_struct`] list what the user may act on.
//! `cargo run --example permissions` runs them offline.
//!
//! ```no_run
//! let client = authing::AuthClient::new();
//! let allowed = client
//!     .check_permission_by_string_resource_blocking(["report"], "export")
//!     .permission_check()?;
//! if allowed.can("report", "export") { /* show the export button */ }
//! # Ok::<(), authing::AuthError>(())
//! ```
//!
//! ## MFA
//!
//! When an app or a user has MFA on, a sign-in answers apiCode 1635 or 1636 instead of
//! tokens: [`AuthResponse::mfa_challenge`] says which factors the server offers, nothing is
//! saved, and the client keeps the challenge's `mfaToken` (never in `Debug`) until
//! [`AuthClient::mfa_verify_by_otp`] (or `_by_recovery_code`, `_by_phone`, `_by_email`)
//! completes the sign-in as a one-step one would. A signed-in user manages their factors
//! with [`AuthClient::send_enroll_factor_request`], [`AuthClient::enroll_factor`] and the
//! rest of Android's `MFAClient`; the OTP enrolment answer carries the `otpauth://` URI
//! ([`OtpEnrollment`]). `cargo run --example mfa` runs it all offline.
//!
//! ```no_run
//! use authing::AuthClient;
//!
//! let client = AuthClient::new();
//! let response = client.sign_in_by_email_password_blocking("mike@example.com", "passw0rd", None);
//! if let Some(challenge) = response.mfa_challenge() {
//!     println!("second factor required: {:?}", challenge.factors());
//!     let done = client.mfa_verify_by_otp_blocking("123456"); // from the authenticator app
//!     println!("signed in: {}", done.is_success());
//! }
//! ```
//!
//! ## Signing in by QR code
//!
//! A desktop app signs in by showing a QR code that the user's phone app, already signed
//! in, scans and confirms: [`AuthClient::sign_in_by_qr_code`] generates the code, hands it
//! to a status listener to draw ([`QrCodeUpdate`]), polls its status (once a second by
//! default), reports each change (`SCANNED`: "confirm on your phone"), and once the phone
//! confirms, exchanges the ticket and starts the session; its callback runs once, with the
//! tokens, status code 10018 (cancelled on the phone, expired), or the cancellation of its
//! [`RequestHandle`], which stops the polling at once. The phone's side is
//! [`AuthClient::change_qr_code_status`] with [`Action::SCAN`], `CONFIRM` or `CANCEL`.
//! `cargo run --example qr_sign_in` plays both sides offline.
//!
//! ```no_run
//! use authing::{AuthClient, AuthResponse, QrCodeStatus, QrCodeUpdate};
//!
//! AuthClient::new()
//!     .sign_in_by_qr_code(
//!         None,
//!         |update: QrCodeUpdate| {
//!             if update.status() == QrCodeStatus::PENDING {
//!                 println!("scan {}", update.qr_code().content());
//!             }
//!         },
//!         |response: AuthResponse| println!("{}", response.status_code()),
//!     )
//!     .join()
//!     .unwrap();
//! ```
//!
//! ## Signing in by push
//!
//! A desktop app can instead ask the user's phone app, already signed in, to approve:
//! [`AuthClient::sign_in_by_push`] sends the push (Java's `signInByPush`, here
//! [`AuthClient::gene_push_code`]), tells a status listener ([`PushCodeUpdate`], `PUSHED`:
//! "approve on your phone"), polls on the QR flow's engine, and once the phone approves,
//! starts the session with the tokens the status answer carries; its callback runs once,
//! with the tokens, status code 10020 (refused, expired), or the cancellation. The phone's
//! side is [`AuthClient::change_push_code_status`] with [`PushCodeAction::CONFIRM`] or
//! `CANCEL`. `cargo run --example push_sign_in` plays both sides offline.
//!
//! ```no_run
//! use authing::{AuthClient, AuthResponse, PushCodeStatus, PushCodeUpdate};
//!
//! AuthClient::new()
//!     .sign_in_by_push(
//!         "alice@example.com",
//!         None,
//!         |update: PushCodeUpdate| {
//!             if update.status() == PushCodeStatus::PUSHED {
//!                 println!("approve the sign-in on your phone");
//!             }
//!         },
//!         |response: AuthResponse| println!("{}", response.status_code()),
//!     )
//!     .join()
//!     .unwrap();
//! ```
//!
//! ## Signing in with a social provider's mobile code
//!
//! A mobile or desktop app that got a one-time code from a provider's own SDK (WeChat,
//! Alipay, WeCom, Lark, Google, Facebook: a [`Connection`]; NetEase Yidun one-tap; a
//! WeChat mini program) trades it for the user's tokens with
//! [`AuthClient::sign_in_by_mobile`], [`AuthClient::sign_in_by_one_auth`] or
//! [`AuthClient::sign_in_by_wechat_mini_program`]. The app's connection identifier comes
//! from its public config (`ecConnections`), fetched once per client: an app without that
//! connection is answered 10002 locally, naming it, and nothing is sent. A success starts
//! the session as any sign-in does. The emulator plays the providers
//! (`Emulator::add_provider_code`, feature `emulator`).
//!
//! ```no_run
//! use authing::{AuthClient, AuthResponse, Connection};
//!
//! AuthClient::new()
//!     .sign_in_by_mobile(Connection::wechat, "code-from-wechat", None, |response: AuthResponse| {
//!         println!("{}", response.status_code());
//!     })
//!     .join()
//!     .unwrap();
//! ```
//!
//! ## Binding a WeChat identity to an account
//!
//! [`AuthClient::auth_by_code_identity`] signs in with a WeChat mobile code like
//! [`AuthClient::sign_in_by_mobile`], but a WeChat identity bound to no account yet is not
//! given one: the answer is statusCode 301 and [`AuthResponse::social_binding`] gives a
//! [`SocialBinding`] (a key, the binding methods, the matching accounts). The app then
//! binds the identity, and signs in, with [`AuthClient::register_new_user`],
//! [`AuthClient::bind_by_email_code`], [`AuthClient::bind_by_phone_code`],
//! [`AuthClient::bind_by_account`], [`AuthClient::select_account`] or
//! [`AuthClient::bind_by_account_id`].
//!
//! ```
//! use authing::AuthClient;
//! use authing::emulator::{Emulator, NewProviderCode, NewUser};
//!
//! let emulator = Emulator::start()?;
//! emulator.add_user(NewUser::with_username("mike", "passw0rd-1"))?;
//! let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
//! let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-mike"))?;
//! let response = client.auth_by_code_identity_blocking(&code, None);
//! if let Some(binding) = response.social_binding() {
//!     let bound = client.bind_by_account_blocking(binding.key(), "mike", "passw0rd-1");
//!     assert_eq!(bound.status_code(), 200);
//! }
//! assert!(client.get_current_user().is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Signing in through the browser
//!
//! A desktop program signs in the way RFC 8252 (OAuth 2.0 for Native Apps) asks: the
//! OpenID Connect authorization code flow with PKCE, in the user's own browser, with a
//! loopback redirect. [`AuthClient::sign_in_by_browser`] does all of it in one call: it
//! listens on `127.0.0.1` with an ephemeral port, opens Authing's sign-in page, waits for
//! the browser to come back (with a deadline, and [`RequestHandle::cancel`]), checks
//! `state`, exchanges the code with the PKCE verifier, checks the id_token (its RS256
//! signature against the provider's JWKS, `iss`, `aud`, `exp`, `nonce`), answers the
//! browser "you may close this tab", and saves the session. The callback runs once,
//! whatever the user does. The Android calls it replaces are here too
//! ([`AuthClient::build_authorize_url`], [`AuthClient::get_access_token_by_code`],
//! [`AuthClient::get_user_info_by_access_token`], with an [`AuthRequest`]).
//!
//! ```no_run
//! use authing::{AuthClient, AuthResponse, BrowserSignIn};
//!
//! let auth_client = AuthClient::new();
//! let options = BrowserSignIn::new() // the system browser (cargo feature "browser"), or:
//!     .open_with(|url: &str| println!("Sign in at {url}"));
//! auth_client
//!     .sign_in_by_browser(options, |response: AuthResponse| match response.error() {
//!         None => println!("signed in"),
//!         Some(error) => println!("not signed in: {error}"),
//!     })
//!     .join()
//!     .unwrap();
//! ```
//!
//! ## The signed-in user's account
//!
//! With a user signed in, the account calls act for them: [`AuthClient::update_profile`],
//! [`AuthClient::upload_avatar`], [`AuthClient::update_password`], binding, unbinding and
//! changing the phone and email, and deleting the account. A change first verifies the
//! passcodes and answers a one-time token with its expiry
//! ([`AuthClient::update_phone_request`] then [`AuthClient::update_phone`]); the typed
//! token is refused locally once expired. After a change the session's user
//! ([`AuthClient::get_current_user`]) is the changed one; a deleted account signs this
//! device out. Without a signed-in user each call answers 10015 and sends nothing.
//!
//! ```no_run
//! use authing::{AuthClient, SmsType};
//!
//! let auth_client = AuthClient::new(); // signed in earlier
//! auth_client.send_sms_blocking("+86", "18800000001", SmsType::CHANNEL_BIND_PHONE);
//! let verified = auth_client
//!     .update_phone_request_blocking("+86", "18800000001", "1234", None, None, None)
//!     .update_phone_data()?;
//! auth_client.update_phone_blocking(&verified);
//! println!("{:?}", auth_client.get_current_user().and_then(|u| u.phone().map(str::to_owned)));
//! # Ok::<(), authing::AuthError>(())
//! ```
//!
//! ## Events: reacting at once to what happens elsewhere
//!
//! A desktop app learns at once that the user was signed out on another device, that
//! their profile or roles changed, or that the app's own backend published something:
//! `AuthClient::sub_event(code, on_event)` (Java `subEvent`; cargo feature `events`)
//! opens Authing's event WebSocket for one event code as the signed-in user and returns
//! an `EventSubscription`. `on_event` (a closure `|update: SubEvent|`, a
//! `Sender<SubEvent>`, your own [`EventCallback`]) gets
//! [`SubEvent::Connected`], one [`SubEvent::Event`] per event (an [`AuthEvent`]: the
//! frame's text, its id, code and data; an event the server sends again is dropped by
//! its id), [`SubEvent::Reconnecting`] when the connection drops (it reconnects after a
//! back-off with jitter, with a fresh access token), and last, once,
//! [`SubEvent::Ended`] with why ([`EventEnd`]: unsubscribed, signed out, refused, gave
//! up). It runs on a thread of its own; `on_event` runs there or through the callback
//! executor, like every callback, and the delivery hook rings after each update; with
//! [`Inbox::event_callback`] the handler stays on the UI thread.
//! [`AuthClient::pub_event`] (Java `pubtEvent`) publishes one of the pool's custom events
//! (`POST /api/v3/pub-userEvent`, no feature). The host and path are builder settings
//! ([`web_socket_host`](AuthClientBuilder::web_socket_host),
//! [`web_socket_endpoint`](AuthClientBuilder::web_socket_endpoint)) with Java's defaults.
//!
//! ```no_run
//! # #[cfg(feature = "events")] {
//! use authing::{AuthClient, EventEnd, SubEvent};
//! let client = AuthClient::new();
//! let subscription = client.sub_event("authing.user.updated", |update: SubEvent| match update {
//!     SubEvent::Event(event) => println!("profile changed: {}", event.data()),
//!     SubEvent::Ended(EventEnd::SignedOut) => println!("signed out on another device"),
//!     _ => {}
//! });
//! subscription.unsubscribe();
//! # }
//! ```
//!
//! ## The blocking twin
//!
//! Every callback method has a blocking twin ending in `_blocking` that runs the same call on
//! the caller's thread and returns the [`AuthResponse`]: the truth the callback form wraps.
//!
//! ```no_run
//! # use authing::*;
//! let mut payload = ResetPasswordPayload::new();
//! payload.set_email("someone@example.com").set_pass_code("123456");
//! let response = AuthClient::new().reset_password_request_blocking(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload);
//! let reset = response.reset_password_data()?;
//! println!("token expires in {} s", reset.token_expires_in());
//! # Ok::<(), AuthError>(())
//! ```
//!
//! ## Guides
//!
//! The manual pages of the repository's `docs/` directory are modules of [`guide`]:
//! [`guide::porting`] (Java to Rust call by call, and nested callbacks that outlive `main`),
//! [`guide::families`] (each family with its example and a real run),
//! [`guide::configuration`], [`guide::threading`], [`guide::gui`], [`guide::errors`],
//! [`guide::emulator`], [`guide::conformance`], [`guide::performance`], and
//! [`guide::layout`] (where each thing lives in the repository, and how to add a family).
//!
//! ## Cargo features
//!
//! - `rsa`: [`PasswordEncryptType::rsa`] (RSA PKCS#1 v1.5, base64).
//! - `sm2`: [`PasswordEncryptType::sm2`] (SM2 C1C2C3 over the base64 of the password, hex).
//! - `platform-verifier`: [`AuthClientBuilder::platform_verifier`], certificates checked
//!   by the operating system's verifier and trust store (through `rustls-platform-verifier`).
//! - `totp`: [`totp`], a local RFC 6238 generator (HMAC-SHA1 from RustCrypto's `hmac` and
//!   `sha1`), for tests, examples and apps that compute OTP codes themselves.
//! - `software-authenticator`: `passkey::SoftwareAuthenticator`, ES256 passkeys in memory
//!   or in a file (RustCrypto's `p256`, CBOR through `ciborium`), for tests, development and
//!   the emulator; no substitute for a platform or hardware authenticator. The passkey
//!   calls and flows themselves need no feature.
//! - `qrcode`: [`QrCode::to_svg`], [`QrCode::to_terminal_string`] and
//!   [`QrCode::to_matrix`], a QR sign-in code drawn locally (through the `qrcode` crate).
//! - `oidc`: the OpenID Connect calls' CSPRNG (`getrandom`), PKCE S256 (`sha2`) and
//!   id_token signature checks (`rsa`): [`AuthRequest`], [`AuthClient::get_access_token_by_code`],
//!   [`AuthClient::sign_in_by_browser`]. Without it those calls answer status code 10019
//!   ([`OidcError::FeatureDisabled`]) and send nothing: an id_token is never accepted
//!   unchecked.
//! - `browser`: `oidc`, and [`BrowserSignIn`] opens the user's default browser (the `open`
//!   crate); without it, give [`BrowserSignIn::open_with`] a function that shows the URL.
//! - `events`: `AuthClient::sub_event` and `EventSubscription`, Authing's event stream
//!   over a WebSocket (`tungstenite`, its handshake only; TLS by the rustls ureq uses,
//!   with the client's trust settings). [`AuthClient::pub_event`] needs no feature.
//! - `emulator`: [`emulator::Emulator`], a local Authing-compatible server for tests,
//!   examples and offline development: the `authing-emulator` crate of this workspace
//!   (which also builds the `authing-emulator` program), re-exported. It turns on `rsa`
//!   and `sm2`, so code that sends it encrypted passwords needs no other feature.
//!
//! Without its feature, `rsa` or `sm2` fails with status code 10014 and sends nothing:
//! the password never falls back to plain text.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Feature badges on docs.rs (which sets `--cfg docsrs`). Current nightlies fold the old
// `doc_auto_cfg` into `doc_cfg` (naming `doc_auto_cfg` is now an error), so `doc_cfg`
// alone labels the `emulator` items.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The map, top layer first. Each folder's `mod.rs` (or file's `//!`) says what it holds.
//
// The client plumbing every family uses: `AuthClient` itself, its settings and app
// discovery, requests, the signed-in user, password sealing. No endpoint.
mod client;
// The families: `api/<family>.rs` holds the calls (one `impl AuthClient` block each),
// `model/<family>.rs` their payloads, typed answers and `AuthResponse` views. A family
// depends on `client/`, `model/` and `validate`, never on another family.
mod api;
mod model;
// Multi-request flows behind one call: the QR sign-in and the browser sign-in.
mod flows;
// The signed-in session: tokens, stores, the MFA challenge, single-flight refresh.
mod session;
// OpenID Connect protocol pieces: PKCE, JWT/JWKS, id_token checks, loopback, pages.
mod oidc;
// Delivery: the worker pool, exactly-once callbacks, handles, GUI hooks.
mod dispatch;
// HTTP: the shared agent, DNS, TLS, headers, request and answer encodings.
mod transport;
// Authing's event stream: the builder's event settings and (feature `events`) the
// WebSocket subscription's connection, thread and deliveries.
mod events;
// Shared by all of the above.
mod crypto;
mod error;
mod i18n;
// The `log` records (target `authing`): what each level carries, what is never logged.
mod logging;
mod optional_text;
mod owner_file;
mod redact;
mod response;
#[cfg(feature = "totp")]
#[cfg_attr(docsrs, doc(cfg(feature = "totp")))]
pub mod totp;
// Passkeys: the authenticator the passkey flows use (and the software one, feature
// `software-authenticator`).
pub mod passkey;
mod validate;
// Generated hostile text against every parser of server text (issue 19).
#[cfg(test)]
mod hostile_input;

/// The bundled Authing emulator: the crate [`authing_emulator`], re-exported (cargo
/// feature `emulator`), so `authing::emulator::Emulator` works as it did when the emulator
/// lived inside this crate. It is a second, independent implementation of Authing's server
/// and depends on no part of this crate.
///
/// ```
/// let emulator = authing::emulator::Emulator::start()?;
/// let client = authing::AuthClient::builder()
///     .app_id(emulator.app_id())
///     .app_host(emulator.base_url())
///     .build()?;
/// # let _ = client;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A browser sign-in tested offline: the opener plays the person with the emulator's
/// [`HostedBrowser`](emulator::HostedBrowser), on a thread of its own (the opener runs on
/// the SDK's worker, and the flow waits for the redirect):
///
/// ```
/// use authing::emulator::{Emulator, HostedBrowser, NewUser};
/// use authing::{AuthClient, BrowserSignIn};
///
/// let emulator = Emulator::start()?;
/// emulator.add_user(NewUser::with_email("mike@example.com", "passw0rd-1"))?;
/// let client = AuthClient::builder()
///     .app_id(emulator.app_id())
///     .app_host(emulator.base_url())
///     .build()?;
/// let options = BrowserSignIn::new().open_with(|url: &str| {
///     let url = url.to_string();
///     std::thread::spawn(move || {
///         let mut browser = HostedBrowser::new();
///         let back = browser.sign_in(&url, "mike@example.com", "passw0rd-1", true)?;
///         browser.get(&back) // the app's loopback page: "You are signed in"
///     });
/// });
/// let response = client.sign_in_by_browser_blocking(options);
/// assert_eq!(response.status_code(), 200);
/// assert!(client.get_current_user().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// QR sign-in: the emulator plays the phone.
///
/// ```
/// use authing::{Action, AuthClient, QrCodeStatus};
/// use authing::emulator::{Emulator, NewUser};
///
/// let emulator = Emulator::start()?;
/// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
/// // The desktop generates a code...
/// let desktop = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
/// let code = desktop.gene_qr_code_blocking(None).qr_code()?;
/// // ...and Alice's phone scans it and confirms.
/// emulator.change_qr_code_status(code.qrcode_id(), "alice@example.com", Action::SCAN)?;
/// let info = emulator.change_qr_code_status(code.qrcode_id(), "alice@example.com", Action::CONFIRM)?;
/// assert_eq!(info.status, QrCodeStatus::AUTHORIZED);
/// assert!(emulator.change_qr_code_status("qr-unknown", "alice@example.com", Action::SCAN).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Mobile social sign-in: the emulator plays the provider.
///
/// ```
/// use authing::{AuthClient, Connection};
/// use authing::emulator::{Emulator, NewProviderCode};
///
/// let emulator = Emulator::start()?;
/// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-user-1").nickname("Mike"))?;
/// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
/// let response = client.sign_in_by_mobile_blocking(Connection::wechat, &code, None);
/// assert_eq!(response.status_code(), 200);
/// // A code is single-use.
/// assert_ne!(client.sign_in_by_mobile_blocking(Connection::wechat, &code, None).status_code(), 200);
/// assert!(emulator.add_provider_code(NewProviderCode::new("myspace", "x")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "emulator")]
#[cfg_attr(docsrs, doc(cfg(feature = "emulator")))]
pub use authing_emulator as emulator;

// The SDK's wire words converted to and compared with the emulator's (feature `emulator`).
#[cfg(feature = "emulator")]
mod emulator_types;

pub mod guide;

// The client and its settings
pub use client::builder::AuthClientBuilder;
pub use client::config::{
    Authing, ConfigError, Lang, DEFAULT_CONNECT_TIMEOUT, DEFAULT_HOST, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_QUEUED_REQUESTS, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
};
pub use client::config_cache::DEFAULT_PUBLIC_CONFIG_CACHE_MAX_AGE;
pub use client::AuthClient;

// Callbacks and their delivery
pub use dispatch::callback::{send_with, AuthCallback, SendWith};
pub use dispatch::dispatcher::DispatcherLoad;
pub use dispatch::handle::{CallbackPanic, RequestHandle};
pub use dispatch::inbox::{Inbox, InboxCallback, InboxEventCallback};

// Answers, errors, arguments
pub use error::{ApiCode, ApiError, AuthError, Cause, InputError};
pub use optional_text::OptionalText;
pub use response::{codes, AuthResponse};

// Account recovery
pub use model::{
    EmailType, PasswordEncryptType, ResetPasswordData, ResetPasswordPayload,
    ResetPasswordVerifyMethod, ResetToken, SmsType,
};

// Sign-up and sign-in
pub use model::{AuthOptions, AuthProfile, DEFAULT_SCOPE};

// The session
pub use model::UserInfo;
#[cfg(feature = "keyring")]
#[cfg_attr(docsrs, doc(cfg(feature = "keyring")))]
pub use session::KeyringTokenStore;
pub use session::{
    FileTokenStore, MemoryTokenStore, Session, TokenSet, TokenStore, TokenStoreError,
    EXPIRY_MARGIN, SESSION_FORMAT_VERSION,
};

// Common
pub use model::Country;

// What the user may access, linked identities
pub use api::directory::MAX_PAGE_LIMIT;
pub use model::{
    AppInfo, AuthorizedResource, Department, ExtIdp, Group, Identity, LoginRecord,
    OptionalResourceType, Page, ResourceType, Role, Tenant,
};

// Authorization: what the user may do with data resources
pub use api::permissions::MAX_RESOURCE_LEN;
pub use model::{
    AuthResource, DataResourceType, PermissionCheck, PermissionResult, ResourcePermission,
    ResourcePermissions, ResourceStruct, TreeNode, TreeNodeAuth, UserAuthResources,
};

// MFA
pub use model::{
    EnrollFactorRequestData, Factor, FactorProfile, FactorType, MfaChallenge, OtpEnrollment,
};

// QR-code sign-in
pub use model::{
    Action, QrCode, QrCodeSignInOptions, QrCodeState, QrCodeStatus, QrCodeUpdate,
    DEFAULT_QR_POLL_INTERVAL, DEFAULT_QR_TIMEOUT,
};
// Fast authentication by QR code (the signed-in side shows, an app scans and signs in)
pub use model::{FastpassApp, FastpassOptions, FastpassParty, FastpassQrCode};

// Push sign-in
pub use model::{
    PushCode, PushCodeAction, PushCodeState, PushCodeStatus, PushCodeUpdate, PushSignInOptions,
    DEFAULT_PUSH_POLL_INTERVAL, DEFAULT_PUSH_TIMEOUT,
};

// Mobile social sign-in
pub use model::Connection;

// WeChat helpers
pub use model::{WechatAccessToken, WechatPhone};

// Social account binding
pub use model::SocialBinding;

// OpenID Connect and the browser sign-in
pub use model::{
    AuthRequest, BrowserSignIn, OpenOutcome, UserClaims, DEFAULT_BROWSER_TIMEOUT,
    DEFAULT_REDIRECT_PATH,
};
pub use oidc::OidcError;

// The signed-in user's account: profile, password and deletion, phone and email
pub use model::{
    Avatar, DeleteAccountData, DeleteAccountPayload, DeleteAccountToken, DeleteAccountVerifyMethod,
    Gender, PasswordStrength, Profile, SecurityInfo, UpdateEmailData, UpdateEmailToken,
    UpdatePhoneData, UpdatePhoneToken, MAX_AVATAR_BYTES,
};

// Tokens: introspection, revocation, the logout URL, client credentials
pub use model::{
    BuildLogoutUrlParams, ClientCredentialInput, MfaTokenIntrospection, TokenIntrospection,
    ValidateTokenParams,
};
pub use session::{MachineToken, MACHINE_TOKEN_MARGIN};

// Devices
pub use model::{Device, DeviceSession};

// Switch login: public accounts
pub use model::{PublicAccount, PublicAccountList};

// Captcha and code checks
pub use model::{CaptchaImage, PreCheckCodePayload, PreCheckCodeResult};

// Events (subEvent, pubtEvent)
pub use events::settings::{DEFAULT_WEB_SOCKET_ENDPOINT, DEFAULT_WEB_SOCKET_HOST};
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
pub use events::subscription::EventSubscription;
pub use model::{AuthEvent, EventCallback, EventEnd, SubEvent};
// Passkeys (WebAuthn); the authenticator side is `authing::passkey`
pub use model::{
    AuthenticationOptions, AuthenticatorCode, PasskeyList, PasskeyVerification, RegistrationOptions,
};

/// The public types that cross threads are `Send + Sync`; this fails to compile otherwise.
#[allow(dead_code)]
fn _ensure_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<AuthClient>();
    is::<AuthClientBuilder>();
    is::<AuthResponse>();
    is::<RequestHandle>();
    is::<AuthError>();
    is::<ResetPasswordPayload>();
    is::<AuthOptions>();
    is::<AuthProfile>();
    is::<UserInfo>();
    is::<TokenSet>();
    is::<Session>();
    is::<FileTokenStore>();
    #[cfg(feature = "keyring")]
    is::<KeyringTokenStore>();
    is::<MemoryTokenStore>();
    is::<FactorProfile>();
    is::<MfaChallenge>();
    is::<QrCode>();
    is::<QrCodeState>();
    is::<QrCodeUpdate>();
    is::<QrCodeSignInOptions>();
    is::<FastpassOptions>();
    is::<FastpassQrCode>();
    is::<AuthRequest>();
    is::<PermissionCheck>();
    is::<ResourceStruct>();
    is::<UserAuthResources>();
    is::<PublicAccountList>();
    is::<CaptchaImage>();
    is::<PreCheckCodePayload>();
    is::<ClientCredentialInput>();
    is::<MachineToken>();
    is::<BrowserSignIn>();
    is::<UserClaims>();
    is::<OidcError>();
    is::<Profile>();
    is::<DeleteAccountPayload>();
    is::<UpdatePhoneToken>();
    is::<UpdateEmailToken>();
    is::<DeleteAccountToken>();
    is::<AuthEvent>();
    is::<SubEvent>();
    #[cfg(feature = "events")]
    is::<EventSubscription>();
    is::<RegistrationOptions>();
    is::<AuthenticationOptions>();
    is::<PasskeyVerification>();
    is::<passkey::NewCredential>();
    is::<passkey::Assertion>();
    #[cfg(feature = "software-authenticator")]
    is::<passkey::SoftwareAuthenticator>();
}
