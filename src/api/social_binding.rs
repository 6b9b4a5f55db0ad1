//! Social account binding (`/api/v2/ecConn/wechatMobile/*`): Guard's WeChat mobile
//! sign-in ([`auth_by_code`](AuthClient::auth_by_code), which gives a new identity an
//! account), the sign-in that asks, for an identity bound to no account yet, how to bind it
//! ([`auth_by_code_identity`](AuthClient::auth_by_code_identity)), and the six ways to
//! answer: a new account, an email or phone code, an account and its password, one of the
//! candidate accounts, an account id. Each call in its callback form and its blocking twin;
//! each one that signs in starts the session as
//! [`sign_in_by_account_password`](AuthClient::sign_in_by_account_password) does.
//!
//! The sign-in names the app's WeChat mobile connection by its id (`connId`), read from
//! the app's public config, which the client fetches once and keeps (discovery.rs).

use serde_json::{json, Value};

use crate::client::config::Endpoint;
use crate::client::v2::from_v2;
use crate::client::AuthClient;
use crate::client::{json_body, Auth};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::model::social::{self, mobile_options};
use crate::model::social_binding::{read_answer, Binding, WECHAT_MOBILE_EC_TYPE};
use crate::model::AuthOptions;
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::transport::Shape;
use crate::validate;

/// `authByCode`'s endpoint (Guard's `loginByWechat`).
pub(crate) const AUTH_BY_CODE_PATH: &str = "/api/v2/ecConn/wechatMobile/authByCode";

/// `authByCodeIdentity`'s endpoint.
pub(crate) const AUTH_BY_CODE_IDENTITY_PATH: &str =
    "/api/v2/ecConn/wechatMobile/authByCodeIdentity";

/// # Social account binding (Java: `AuthenticationClient`'s `authByCode`, `authByCodeIdentity`, `registerNewUser`, `bindByEmailCode`, `bindByPhoneCode`, `bindByAccount`, `selectAccount`, `bindByAccountId`)
///
/// A first WeChat mobile sign-in whose identity is bound to no account answers
/// [`SocialBinding`](crate::SocialBinding) (statusCode 301); one of the binding calls,
/// with its key, binds the identity and signs in.
impl AuthClient {
    /// Signs in with the code WeChat's mobile SDK gave the app, asking how to bind a new
    /// identity instead of creating its account (Java: `authByCodeIdentity`; Android:
    /// `loginByWechatWithBind`; `POST /api/v2/ecConn/wechatMobile/authByCodeIdentity`,
    /// `{code, appId, connId, options}`). The callback form.
    ///
    /// Two outcomes:
    /// - the WeChat identity is bound to an account already: statusCode 200 and that
    ///   account is signed in (the session starts exactly as after
    ///   [`sign_in_by_account_password`](Self::sign_in_by_account_password); an MFA
    ///   challenge waits for an `mfa_verify_by_*` call);
    /// - it is bound to none: statusCode 301, apiCode 1640 (bind to an existing account)
    ///   or 1641 (bind, or create a new account), and
    ///   [`social_binding`](AuthResponse::social_binding) gives the key, the binding
    ///   methods and the candidate accounts. No session starts; finish with one of
    ///   [`register_new_user`](Self::register_new_user),
    ///   [`bind_by_email_code`](Self::bind_by_email_code),
    ///   [`bind_by_phone_code`](Self::bind_by_phone_code),
    ///   [`bind_by_account`](Self::bind_by_account),
    ///   [`select_account`](Self::select_account),
    ///   [`bind_by_account_id`](Self::bind_by_account_id).
    ///
    /// `appId` is the client's app id; `connId` the id of the app's connection of type
    /// `wechat:mobile` in its public config (`data.ecConnections[].id`), fetched once and
    /// kept. When the app has no such connection, or the config cannot be fetched, the
    /// answer is 10002 ([`AuthError::Config`]) and nothing is sent (Android sends an empty
    /// `connId` and lets the server refuse).
    ///
    /// Checked before anything is sent (10010): the code is not empty or only whitespace,
    /// is visible ASCII and at most 4096 bytes; the options as [`AuthOptions`] says. Of
    /// the options those of `SignInByMobileOptionsDto` are sent (`scope`, `context`,
    /// `tenantId`, `customData`), as for [`sign_in_by_mobile`](Self::sign_in_by_mobile).
    /// The code is a secret: no message or `Debug` output shows it.
    ///
    /// ```
    /// use authing::{AuthClient, AuthResponse};
    /// use authing::emulator::{Emulator, NewProviderCode};
    /// use std::sync::mpsc;
    ///
    /// let emulator = Emulator::start()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-new-1"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let (tx, rx) = mpsc::channel();
    /// client.auth_by_code_identity(&code, None, move |response: AuthResponse| {
    ///     tx.send(response.needs_social_binding()).unwrap();
    /// });
    /// assert!(rx.recv_timeout(std::time::Duration::from_secs(10))?, "a new identity asks to bind");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias("authByCodeIdentity", "loginByWechatWithBind"))]
    pub fn auth_by_code_identity<C: AuthCallback>(
        &self,
        code: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (code, options) = (code.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.auth_by_code_identity_blocking(&code, options)
        })
    }

    /// The blocking twin of [`auth_by_code_identity`](Self::auth_by_code_identity).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode};
    ///
    /// let emulator = Emulator::start()?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// // The first sign-in of an identity asks to bind it; register a new account for it.
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1").nickname("Mike"))?;
    /// let binding = client.auth_by_code_identity_blocking(&code, None).social_binding().unwrap();
    /// assert_eq!(client.register_new_user_blocking(binding.key()).status_code(), 200);
    /// // From then on the identity signs in at once.
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1"))?;
    /// assert_eq!(client.auth_by_code_identity_blocking(&code, None).status_code(), 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn auth_by_code_identity_blocking(
        &self,
        code: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let options = options.into();
        let precheck = || -> Result<Value, AuthError> {
            self.settings()?;
            validate::token("code", Some(code))?;
            let options = options.unwrap_or_default().sign_in_json()?;
            Ok(mobile_options(options))
        };
        let options = match precheck() {
            Ok(options) => options,
            Err(error) => return AuthResponse::from_error(error),
        };
        let (app_id, conn_id) = match self.wechat_connection() {
            Ok(found) => found,
            Err(error) => return AuthResponse::from_error(error),
        };
        let body = json!({"code": code, "appId": app_id, "connId": conn_id, "options": options});
        self.send_social(AUTH_BY_CODE_IDENTITY_PATH, &body)
    }

    /// Signs in with the code WeChat's mobile SDK gave the app, the way Authing's
    /// Guard-era Android and iOS SDKs did (Java: `authByCode`; Android and iOS:
    /// `loginByWechat(authCode, cb)`; `POST /api/v2/ecConn/wechatMobile/authByCode`,
    /// `{code, appId, connId}`). The callback form.
    ///
    /// The server finds the account of the WeChat identity (a new identity gets one, by
    /// the server's rules, unless the connection only lets existing accounts sign in) and
    /// answers Guard's v2 envelope `{code, message, data}`, read here as the v3 envelope:
    /// `status_code()` is its `code`, and so is `api_code()` on a failure; on success
    /// `data` is the signed-in user (Authing's v2 user, with its `token`). The session then
    /// starts exactly as after [`sign_in_by_account_password`](Self::sign_in_by_account_password)
    /// (tokens kept, the user for [`get_current_user`](Self::get_current_user) from the
    /// id_token's claims with the full profile fetched after the answer, or fetched before
    /// it without an id_token; the token store written); an MFA challenge (1635/1636) waits for an
    /// `mfa_verify_by_*` call.
    ///
    /// How it differs from the two other WeChat mobile sign-ins:
    /// - [`auth_by_code_identity`](Self::auth_by_code_identity) asks the app how to bind
    ///   a new identity (statusCode 301 and a binding key) instead of creating its account;
    /// - [`sign_in_by_mobile`](Self::sign_in_by_mobile) with
    ///   [`Connection::wechat`](crate::Connection::wechat) is the same sign-in on the v3
    ///   endpoint (`/api/v3/signin-by-mobile`, the connection named by its identifier):
    ///   its answer is the v3 token set, and it takes the sign-in options (scope, context,
    ///   ...). Prefer it in new code; this call is for servers and habits of Guard's era.
    ///   The spec hides `authByCode` from SDKs and describes no answer.
    ///
    /// `appId` and `connId` are filled as for
    /// [`auth_by_code_identity`](Self::auth_by_code_identity): the client's app id and
    /// the id of the app's `wechat:mobile` connection in its public config (10002 and
    /// nothing sent when there is none). Checked before anything is sent (10010): the
    /// code is not empty or only whitespace, is visible ASCII and at most 4096 bytes. The
    /// code is a secret: no message or `Debug` output shows it.
    ///
    /// ```
    /// use authing::{AuthClient, AuthResponse};
    /// use authing::emulator::{Emulator, NewProviderCode};
    /// use std::sync::mpsc;
    ///
    /// let emulator = Emulator::start()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1").nickname("Mike"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let (tx, rx) = mpsc::channel();
    /// client.auth_by_code(&code, move |response: AuthResponse| {
    ///     tx.send(response.status_code()).unwrap();
    /// });
    /// assert_eq!(rx.recv_timeout(std::time::Duration::from_secs(10))?, 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias("authByCode", "loginByWechat"))]
    pub fn auth_by_code<C: AuthCallback>(&self, code: &str, callback: C) -> RequestHandle {
        let code = code.to_string();
        self.spawn(callback, move |client, _| {
            client.auth_by_code_blocking(&code)
        })
    }

    /// The blocking twin of [`auth_by_code`](Self::auth_by_code).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode};
    ///
    /// let emulator = Emulator::start()?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1").nickname("Mike"))?;
    /// let response = client.auth_by_code_blocking(&code);
    /// assert_eq!(response.status_code(), 200);
    /// // `data` is Guard's user, with its token.
    /// assert_eq!(response.data().unwrap()["nickname"], "Mike");
    /// assert!(client.get_current_user().is_some());
    /// // A code is good once.
    /// assert_eq!(client.auth_by_code_blocking(&code).api_code(), 2352);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn auth_by_code_blocking(&self, code: &str) -> AuthResponse {
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let precheck = || -> Result<(), AuthError> {
            self.settings()?;
            validate::token("code", Some(code))?;
            Ok(())
        };
        if let Err(error) = precheck() {
            return AuthResponse::from_error(error);
        }
        let (app_id, conn_id) = match self.wechat_connection() {
            Ok(found) => found,
            Err(error) => return AuthResponse::from_error(error),
        };
        let body = json!({"code": code, "appId": app_id, "connId": conn_id});
        let answer = self.post_json(
            AUTH_BY_CODE_PATH,
            || json_body(&body),
            Shape::Plain,
            Auth::Nothing,
        );
        self.finish_sign_in_by(from_v2(answer), |signed_in| {
            self.start_user_session(signed_in)
        })
    }

    /// Binds the pending identity to a new account made from its WeChat profile, and
    /// signs that account in (Java: `registerNewUser`; Android: `bindWechatWithRegister`;
    /// `POST /api/v2/ecConn/wechatMobile/register`, `{action: "create-federation-account",
    /// key}`). The callback form.
    ///
    /// `key` is [`SocialBinding::key`](crate::SocialBinding::key). The server allows this
    /// only when the answer was apiCode 1641
    /// ([`may_register`](crate::SocialBinding::may_register)). On success the session
    /// starts as after [`auth_by_code_identity`](Self::auth_by_code_identity).
    ///
    /// Checked before anything is sent (10010): the key is not empty or only whitespace,
    /// visible ASCII, at most 4096 bytes. The key is a secret, as are the codes and the
    /// password of the other binding calls: no message or `Debug` output shows them.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # let binding_key = "key-from-social_binding";
    /// AuthClient::new()
    ///     .register_new_user(binding_key, |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("registerNewUser", "bindWechatWithRegister"))]
    pub fn register_new_user<C: AuthCallback>(&self, key: &str, callback: C) -> RequestHandle {
        let key = key.to_string();
        self.spawn(callback, move |client, _| {
            client.register_new_user_blocking(&key)
        })
    }

    /// The blocking twin of [`register_new_user`](Self::register_new_user).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode};
    ///
    /// let emulator = Emulator::start()?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1"))?;
    /// let binding = client.auth_by_code_identity_blocking(&code, None).social_binding().unwrap();
    /// let response = client.register_new_user_blocking(binding.key());
    /// assert_eq!(response.status_code(), 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn register_new_user_blocking(&self, key: &str) -> AuthResponse {
        self.bind_social(key, Binding::Register)
    }

    /// Binds the pending identity to the account of `email`, proved by a code sent to it,
    /// and signs that account in (Java: `bindByEmailCode`; Android:
    /// `bindWechatByEmailCode`; `POST /api/v2/ecConn/wechatMobile/byEmailCode`,
    /// `{action: "bind-identity-by-email-code", key, email, code}`). The callback form.
    ///
    /// Send the code first with [`send_email`](Self::send_email) (channel
    /// [`EmailType::CHANNEL_LOGIN`](crate::EmailType::CHANNEL_LOGIN)). When no account has
    /// this email the server answers "user not found" (apiCode 2004).
    ///
    /// Checked before anything is sent (10010): the key as for
    /// [`register_new_user`](Self::register_new_user); the email is an email address; the
    /// code is 1 to 32 letters or digits.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # let binding_key = "key-from-social_binding";
    /// AuthClient::new()
    ///     .bind_by_email_code(binding_key, "mike@example.com", "1234", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("bindByEmailCode", "bindWechatByEmailCode"))]
    pub fn bind_by_email_code<C: AuthCallback>(
        &self,
        key: &str,
        email: &str,
        code: &str,
        callback: C,
    ) -> RequestHandle {
        let (key, email, code) = (key.to_string(), email.to_string(), code.to_string());
        self.spawn(callback, move |client, _| {
            client.bind_by_email_code_blocking(&key, &email, &code)
        })
    }

    /// The blocking twin of [`bind_by_email_code`](Self::bind_by_email_code).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode, NewUser};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("mike@example.com", "passw0rd-1"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1"))?;
    /// let binding = client.auth_by_code_identity_blocking(&code, None).social_binding().unwrap();
    /// client.send_email_blocking("mike@example.com", authing::EmailType::CHANNEL_LOGIN);
    /// let sent = emulator.latest_code("mike@example.com").unwrap();
    /// let response = client.bind_by_email_code_blocking(binding.key(), "mike@example.com", &sent);
    /// assert_eq!(response.status_code(), 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_by_email_code_blocking(&self, key: &str, email: &str, code: &str) -> AuthResponse {
        let binding = Binding::EmailCode {
            email: email.to_string(),
            code: code.to_string(),
        };
        self.bind_social(key, binding)
    }

    /// Binds the pending identity to the account of a phone number, proved by a code sent
    /// to it, and signs that account in (Java: `bindByPhoneCode`; Android:
    /// `bindWechatByPhoneCode`; `POST /api/v2/ecConn/wechatMobile/byPhoneCode`,
    /// `{action: "bind-identity-by-phone-code", key, phone, code, phoneCountryCode?}`).
    /// The callback form.
    ///
    /// Send the code first with [`send_sms`](Self::send_sms) (channel
    /// [`SmsType::CHANNEL_LOGIN`](crate::SmsType::CHANNEL_LOGIN)). `phone_country_code`
    /// is `"+86"` (or `"86"`, sent as `"+86"`) in any form of
    /// [`OptionalText`](crate::OptionalText), or `None` or `""` (left out; the server then
    /// assumes mainland China). When no account has
    /// this phone the server answers "user not found" (apiCode 2004).
    ///
    /// Checked before anything is sent (10010): the key as for
    /// [`register_new_user`](Self::register_new_user); the phone number is 1 to 20
    /// digits without `+`; the country code 1 to 4 digits; the code 1 to 32 letters or
    /// digits.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # let binding_key = "key-from-social_binding";
    /// AuthClient::new()
    ///     .bind_by_phone_code(binding_key, Some("+86"), "18812345678", "1234", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("bindByPhoneCode", "bindWechatByPhoneCode"))]
    pub fn bind_by_phone_code<C: AuthCallback>(
        &self,
        key: &str,
        phone_country_code: impl OptionalText,
        phone: &str,
        code: &str,
        callback: C,
    ) -> RequestHandle {
        let (key, cc, phone, code) = (
            key.to_string(),
            text::into_text(phone_country_code),
            phone.to_string(),
            code.to_string(),
        );
        self.spawn(callback, move |client, _| {
            client.bind_by_phone_code_blocking(&key, &cc, &phone, &code)
        })
    }

    /// The blocking twin of [`bind_by_phone_code`](Self::bind_by_phone_code).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode, NewUser};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_phone("+86", "18812345678", "passw0rd-1"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1"))?;
    /// let binding = client.auth_by_code_identity_blocking(&code, None).social_binding().unwrap();
    /// client.send_sms_blocking("+86", "18812345678", authing::SmsType::CHANNEL_LOGIN);
    /// let sent = emulator.latest_code("18812345678").unwrap();
    /// let response = client.bind_by_phone_code_blocking(binding.key(), "+86", "18812345678", &sent);
    /// assert_eq!(response.status_code(), 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_by_phone_code_blocking(
        &self,
        key: &str,
        phone_country_code: impl OptionalText,
        phone: &str,
        code: &str,
    ) -> AuthResponse {
        let binding = Binding::PhoneCode {
            phone_country_code: text::into_text(phone_country_code).filter(|c| !c.is_empty()),
            phone: phone.to_string(),
            code: code.to_string(),
        };
        self.bind_social(key, binding)
    }

    /// Binds the pending identity to an account named by its username, phone or email and
    /// proved by its password, and signs that account in (Java: `bindByAccount`; Android:
    /// `bindWechatByAccount`; `POST /api/v2/ecConn/wechatMobile/byAccount`,
    /// `{action: "bind-identity-by-password", key, account, password}`). The callback
    /// form.
    ///
    /// The password is sent as given, as the Java, Node and Python SDKs send it (the spec
    /// names no `passwordEncryptType` for this body; Android encrypts it with the server's
    /// RSA key). A wrong password or an unknown account is refused by the server.
    ///
    /// Checked before anything is sent (10010): the key as for
    /// [`register_new_user`](Self::register_new_user); the account is not empty or only
    /// whitespace, at most 256 characters, without control characters; the password not
    /// empty, at most 1024 characters, without control characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # let binding_key = "key-from-social_binding";
    /// AuthClient::new()
    ///     .bind_by_account(binding_key, "mike", "passw0rd", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("bindByAccount", "bindWechatByAccount"))]
    pub fn bind_by_account<C: AuthCallback>(
        &self,
        key: &str,
        account: &str,
        password: &str,
        callback: C,
    ) -> RequestHandle {
        let (key, account, password) = (key.to_string(), account.to_string(), password.to_string());
        self.spawn(callback, move |client, _| {
            client.bind_by_account_blocking(&key, &account, &password)
        })
    }

    /// The blocking twin of [`bind_by_account`](Self::bind_by_account).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode, NewUser};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("mike", "passw0rd-1"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1"))?;
    /// let binding = client.auth_by_code_identity_blocking(&code, None).social_binding().unwrap();
    /// let response = client.bind_by_account_blocking(binding.key(), "mike", "passw0rd-1");
    /// assert_eq!(response.status_code(), 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_by_account_blocking(
        &self,
        key: &str,
        account: &str,
        password: &str,
    ) -> AuthResponse {
        let binding = Binding::Account {
            account: account.to_string(),
            password: password.to_string(),
        };
        self.bind_social(key, binding)
    }

    /// Binds the pending identity to one of the existing accounts that match it
    /// ([`SocialBinding::accounts`](crate::SocialBinding::accounts)), and signs that
    /// account in (Java: `selectAccount`; Android: `bindWechatBySelectedAccountId`;
    /// `POST /api/v2/ecConn/wechatMobile/select`, `{action: "bind-identity-by-selection",
    /// key, account}`). The callback form.
    ///
    /// Checked before anything is sent (10010): the key as for
    /// [`register_new_user`](Self::register_new_user); the account id is not empty, at
    /// most 256 characters, visible ASCII.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # let binding_key = "key-from-social_binding";
    /// AuthClient::new()
    ///     .select_account(binding_key, "638ad16fea6354b72cd9a73c", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("selectAccount", "bindWechatBySelectedAccountId"))]
    pub fn select_account<C: AuthCallback>(
        &self,
        key: &str,
        account_id: &str,
        callback: C,
    ) -> RequestHandle {
        let (key, account_id) = (key.to_string(), account_id.to_string());
        self.spawn(callback, move |client, _| {
            client.select_account_blocking(&key, &account_id)
        })
    }

    /// The blocking twin of [`select_account`](Self::select_account).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode, NewUser};
    ///
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("mike@example.com", "passw0rd-1"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1").email("mike@example.com"))?;
    /// let binding = client.auth_by_code_identity_blocking(&code, None).social_binding().unwrap();
    /// // Mike's email at WeChat is his account's: his account is a candidate.
    /// let response = client.select_account_blocking(binding.key(), &binding.accounts()[0]);
    /// assert_eq!(response.status_code(), 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn select_account_blocking(&self, key: &str, account_id: &str) -> AuthResponse {
        let binding = Binding::Select {
            account_id: account_id.to_string(),
        };
        self.bind_social(key, binding)
    }

    /// Binds the pending identity to an account named by its id, and signs that account
    /// in (Java: `bindByAccountId`; Android: `bindWechatByAccountId`;
    /// `POST /api/v2/ecConn/wechatMobile/byAccountId`, `{action:
    /// "bind-identity-by-account-id", key, accountId}`). The callback form.
    ///
    /// When no account has this id the server answers "user not found" (apiCode 2004).
    /// Checked before anything is sent (10010): as for
    /// [`select_account`](Self::select_account).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # let binding_key = "key-from-social_binding";
    /// AuthClient::new()
    ///     .bind_by_account_id(binding_key, "638ad16fea6354b72cd9a73c", |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("bindByAccountId", "bindWechatByAccountId"))]
    pub fn bind_by_account_id<C: AuthCallback>(
        &self,
        key: &str,
        account_id: &str,
        callback: C,
    ) -> RequestHandle {
        let (key, account_id) = (key.to_string(), account_id.to_string());
        self.spawn(callback, move |client, _| {
            client.bind_by_account_id_blocking(&key, &account_id)
        })
    }

    /// The blocking twin of [`bind_by_account_id`](Self::bind_by_account_id).
    ///
    /// ```
    /// use authing::AuthClient;
    /// use authing::emulator::{Emulator, NewProviderCode, NewUser};
    ///
    /// let emulator = Emulator::start()?;
    /// let mike = emulator.add_user(NewUser::with_username("mike", "passw0rd-1"))?;
    /// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-1"))?;
    /// let binding = client.auth_by_code_identity_blocking(&code, None).social_binding().unwrap();
    /// let response = client.bind_by_account_id_blocking(binding.key(), &mike);
    /// assert_eq!(response.status_code(), 200);
    /// assert!(client.get_current_user().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_by_account_id_blocking(&self, key: &str, account_id: &str) -> AuthResponse {
        let binding = Binding::AccountId {
            account_id: account_id.to_string(),
        };
        self.bind_social(key, binding)
    }

    /// Checks the key and the binding's fields, sends the binding and starts the session
    /// on success.
    fn bind_social(&self, key: &str, binding: Binding) -> AuthResponse {
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let precheck = || -> Result<Value, AuthError> {
            self.settings()?;
            Ok(binding.body(key)?)
        };
        let body = match precheck() {
            Ok(body) => body,
            Err(error) => return AuthResponse::from_error(error),
        };
        self.send_social(binding.path(), &body)
    }

    /// Sends `body` to `path`, reads the answer in any of its forms (the v3 envelope, the
    /// v2 envelope, the spec's bare token set) and starts the session on a sign-in.
    fn send_social(&self, path: &str, body: &Value) -> AuthResponse {
        let response = self.post_json(path, || json_body(body), Shape::Plain, Auth::Nothing);
        self.finish_sign_in(read_answer(response))
    }

    /// The client's app id and the id of the app's WeChat mobile connection, from its
    /// public config.
    fn wechat_connection(&self) -> Result<(String, String), AuthError> {
        let config = self.settings()?;
        let fixed = matches!(config.endpoint, Endpoint::Fixed(_));
        let Some(app_id) = config.app_id.clone() else {
            return Err(AuthError::Config(
                "the wechat mobile connection's id is unknown: the client has a fixed \
                 app_host and no app_id, so it cannot fetch the app's public config"
                    .into(),
            ));
        };
        let target = self.public_config(config).map_err(|error| match error {
            AuthError::Config(reason) if fixed => AuthError::Config(format!(
                "the wechat mobile connection's id is unknown: the client has a fixed \
                 app_host and its public config could not be fetched ({reason})"
            )),
            AuthError::Config(reason) => AuthError::Config(format!(
                "the wechat mobile connection's id is unknown: {reason}"
            )),
            other => other,
        })?;
        let conn_id = social::id_for(&target.social, WECHAT_MOBILE_EC_TYPE)
            .map(str::to_string)
            .ok_or_else(|| {
                AuthError::Config(format!(
                    "the app has no wechat mobile connection: its public config lists no \
                     social connection of type {WECHAT_MOBILE_EC_TYPE} with an id \
                     (ecConnections)"
                ))
            })?;
        Ok((app_id, conn_id))
    }
}
