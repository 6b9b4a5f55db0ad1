//! Mobile social sign-in (`POST /api/v3/signin-by-mobile`): with a provider's one-time
//! code ([`sign_in_by_mobile`](AuthClient::sign_in_by_mobile)), NetEase Yidun one-tap
//! ([`sign_in_by_one_auth`](AuthClient::sign_in_by_one_auth)) and the WeChat mini program
//! ([`sign_in_by_wechat_mini_program`](AuthClient::sign_in_by_wechat_mini_program)). Each
//! call in its callback form and its blocking twin; a successful one starts the session as
//! [`sign_in_by_email_password`](AuthClient::sign_in_by_email_password) does.
//!
//! The body names the app's connection by its identifier (`extIdpConnidentifier`), read
//! from the app's public config, which the client fetches once and keeps (discovery.rs).

use crate::client::config::Endpoint;
use crate::client::json_body;
use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::model::social::{self, Connection, SocialCredential};
use crate::model::AuthOptions;
use crate::response::AuthResponse;
use crate::transport::Shape;
use crate::validate;

/// The mobile social sign-in endpoint.
pub(crate) const SIGNIN_BY_MOBILE_PATH: &str = "/api/v3/signin-by-mobile";

/// # Mobile social sign-in (Java: `AuthClient.signInByMobile`, `signInByOneAuth`, `signInByWechatMiniProgram`)
///
/// A provider's one-time code ([`Connection`](crate::Connection)) traded for the user's tokens.
impl AuthClient {
    /// Signs in with the one-time code a provider's mobile SDK gave the app (Java:
    /// `signInByMobile`; `POST /api/v3/signin-by-mobile`, `connection` the
    /// [`Connection`]'s name, `<connection>Payload.code`; for
    /// [`Connection::facebook`], `facebookPayload.access_token`, Facebook's access token).
    /// The callback form.
    ///
    /// `extIdpConnidentifier` is the identifier of the app's connection of that provider,
    /// read from the app's public config (`data.ecConnections[]`, the entry whose `type`
    /// is the provider's mobile type, such as `wechat:mobile`); the client fetches that
    /// config once and keeps it (with a fixed `app_host`, from
    /// `{app_host}/api/v2/applications/{app_id}/public-config`). When the app has no such
    /// connection, the answer is status code 10002 ([`AuthError::Config`]) naming the
    /// connection, and nothing is sent to `signin-by-mobile` (Android sends `null` and
    /// lets the server refuse). When the public config cannot be fetched, also 10002, and
    /// the message says so (and that the client has a fixed `app_host`, when it has).
    ///
    /// Checked before anything is sent (10010): the code is not empty or only
    /// whitespace, is visible ASCII and at most 4096 bytes; the options as
    /// [`AuthOptions`] says. Of the options only those the spec's
    /// `SignInByMobileOptionsDto` has are sent: `scope`, `context`, `tenantId`,
    /// `customData`. The code is a secret: no message or `Debug` output shows it.
    ///
    /// On success the session starts exactly as after
    /// [`sign_in_by_account_password`](Self::sign_in_by_account_password) (tokens kept,
    /// the user from the id_token's claims and the full profile after the answer, token
    /// store saved; an MFA challenge waits for an
    /// `mfa_verify_by_*` call).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, Connection};
    /// AuthClient::new()
    ///     .sign_in_by_mobile(Connection::wechat, "code-from-wechat", None, |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("signed in"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias(
        "signInByMobile",
        "loginByWechat",
        "loginByAlipay",
        "loginByWecom",
        "loginByWecomAgency",
        "loginByLark",
        "loginByGoogle",
        "loginByFaceBook"
    ))]
    pub fn sign_in_by_mobile<C: AuthCallback>(
        &self,
        connection: Connection,
        code: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (code, options) = (code.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_mobile_blocking(connection, &code, options)
        })
    }

    /// The blocking twin of [`sign_in_by_mobile`](Self::sign_in_by_mobile).
    ///
    /// ```no_run
    /// use authing::{AuthClient, Connection};
    /// let response = AuthClient::new().sign_in_by_mobile_blocking(Connection::alipay, "code-from-alipay", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_mobile_blocking(
        &self,
        connection: Connection,
        code: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        let credential = SocialCredential::Mobile(connection, code.to_string());
        self.sign_in_by_social(credential, options.into())
    }

    /// Signs in with NetEase Yidun one-tap sign-in (Java: `signInByOneAuth`;
    /// `connection` `yidun`, `yidunPayload` with `token` and `accessToken`, Yidun's
    /// token and the carrier's access token). The callback form; the app's connection of
    /// type `yidun`, the checks (both values) and the session as
    /// [`sign_in_by_mobile`](Self::sign_in_by_mobile).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_one_auth("yidun-token", "carrier-access-token", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByOneAuth", "loginByOneAuth"))]
    pub fn sign_in_by_one_auth<C: AuthCallback>(
        &self,
        token: &str,
        access_token: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (token, access_token, options) =
            (token.to_string(), access_token.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.sign_in_by_one_auth_blocking(&token, &access_token, options)
        })
    }

    /// The blocking twin of [`sign_in_by_one_auth`](Self::sign_in_by_one_auth).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_one_auth_blocking("yidun-token", "carrier-access-token", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_one_auth_blocking(
        &self,
        token: &str,
        access_token: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        let credential = SocialCredential::OneAuth {
            token: token.to_string(),
            access_token: access_token.to_string(),
        };
        self.sign_in_by_social(credential, options.into())
    }

    /// Signs in from a WeChat mini program (Java: `signInByWechatMiniProgram`;
    /// `connection` `wechat_mini_program_code_and_phone`,
    /// `wechatMiniProgramCodeAndPhonePayload` with `wxLoginInfo.code`, the `wx.login`
    /// code, and `wxPhoneInfo.code`, the phone-number code). The callback form.
    ///
    /// Android also sends `wxLoginInfo.encryptedData` and `wxLoginInfo.iv`, both empty;
    /// the spec requires only `code`, so they are left out. The app's connection of type
    /// `wechat:miniprogram:app-launch`, the checks (both codes) and the session as
    /// [`sign_in_by_mobile`](Self::sign_in_by_mobile).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .sign_in_by_wechat_mini_program("wx-login-code", "phone-info-code", None, |response: AuthResponse| {
    ///         println!("{}", response.status_code());
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("signInByWechatMiniProgram", "loginByWechatMiniProgram"))]
    pub fn sign_in_by_wechat_mini_program<C: AuthCallback>(
        &self,
        code: &str,
        phone_info_code: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (code, phone_info_code, options) = (
            code.to_string(),
            phone_info_code.to_string(),
            options.into(),
        );
        self.spawn(callback, move |client, _| {
            client.sign_in_by_wechat_mini_program_blocking(&code, &phone_info_code, options)
        })
    }

    /// The blocking twin of
    /// [`sign_in_by_wechat_mini_program`](Self::sign_in_by_wechat_mini_program).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().sign_in_by_wechat_mini_program_blocking("wx-login-code", "phone-info-code", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn sign_in_by_wechat_mini_program_blocking(
        &self,
        code: &str,
        phone_info_code: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        let credential = SocialCredential::MiniProgram {
            code: code.to_string(),
            phone_info_code: phone_info_code.to_string(),
        };
        self.sign_in_by_social(credential, options.into())
    }

    /// Checks the credential and options, looks the app's connection up, sends the
    /// sign-in and starts the session on success.
    fn sign_in_by_social(
        &self,
        credential: SocialCredential,
        options: Option<AuthOptions>,
    ) -> AuthResponse {
        if let Some(refused) = self.store_refusal() {
            return refused;
        }
        let precheck = || -> Result<serde_json::Value, AuthError> {
            self.settings()?;
            credential.check()?;
            let options = options.unwrap_or_default().sign_in_json()?;
            Ok(social::mobile_options(options))
        };
        let options = match precheck() {
            Ok(options) => options,
            Err(error) => return AuthResponse::from_error(error),
        };
        let identifier = match self.social_identifier(&credential) {
            Ok(identifier) => identifier,
            Err(error) => return AuthResponse::from_error(error),
        };
        let response = self.post(SIGNIN_BY_MOBILE_PATH, || {
            json_body(&credential.body(&identifier, options))
        });
        self.finish_sign_in(response)
    }

    /// The identifier of the app's connection for `credential`, from its public config.
    fn social_identifier(&self, credential: &SocialCredential) -> Result<String, AuthError> {
        let config = self.settings()?;
        let (connection, ec_type) = (credential.connection(), credential.ec_type());
        let fixed = matches!(config.endpoint, Endpoint::Fixed(_));
        if fixed && config.app_id.is_none() {
            return Err(AuthError::Config(format!(
                "the {connection} connection's identifier is unknown: the client has a fixed \
                 app_host and no app_id, so it cannot fetch the app's public config"
            )));
        }
        let target = self.public_config(config).map_err(|error| match error {
            AuthError::Config(reason) if fixed => AuthError::Config(format!(
                "the {connection} connection's identifier is unknown: the client has a fixed \
                 app_host and its public config could not be fetched ({reason})"
            )),
            AuthError::Config(reason) => AuthError::Config(format!(
                "the {connection} connection's identifier is unknown: {reason}"
            )),
            other => other,
        })?;
        social::identifier_for(&target.social, ec_type)
            .map(str::to_string)
            .ok_or_else(|| {
                AuthError::Config(format!(
                    "the app has no {connection} connection: its public config lists no \
                     social connection of type {ec_type} (ecConnections)"
                ))
            })
    }
}

/// `getAlipayAuthInfo`'s endpoint.
pub(crate) const ALIPAY_AUTH_INFO_PATH: &str = "/api/v3/get-alipay-authinfo";

/// # Alipay's AuthInfo (Java: `AuthenticationClient.getAlipayAuthInfo`)
///
/// The signed string Alipay's mobile SDK needs to start its sign-in, whose code then goes
/// to [`sign_in_by_mobile`](Self::sign_in_by_mobile) with [`Connection::alipay`].
impl AuthClient {
    /// Gets the `authInfo` that starts Alipay's sign-in in its mobile SDK (Java:
    /// `getAlipayAuthInfo`; `GET /api/v3/get-alipay-authinfo?extIdpConnidentifier=..`,
    /// no session needed). The callback form.
    ///
    /// `ext_idp_connidentifier` is the identifier of the app's Alipay connection. On
    /// success `data.authInfo` is the string to hand Alipay's SDK as it is
    /// ([`alipay_auth_info`](AuthResponse::alipay_auth_info)). Checked first (10010,
    /// nothing sent): the identifier is 1 to 256 characters, no control characters.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_alipay_auth_info("alipay", |response: AuthResponse| {
    ///         if let Ok(info) = response.alipay_auth_info() { println!("hand {info} to alipay"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getAlipayAuthInfo"))]
    pub fn get_alipay_auth_info<C: AuthCallback>(
        &self,
        ext_idp_connidentifier: &str,
        callback: C,
    ) -> RequestHandle {
        let identifier = ext_idp_connidentifier.to_string();
        self.spawn(callback, move |client, _| {
            client.get_alipay_auth_info_blocking(&identifier)
        })
    }

    /// The blocking twin of [`get_alipay_auth_info`](Self::get_alipay_auth_info).
    ///
    /// ```
    /// let emulator = authing::emulator::Emulator::start()?;
    /// let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// let info = client.get_alipay_auth_info_blocking("alipay").alipay_auth_info()?;
    /// assert!(info.contains("apiname=com.alipay.account.auth"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_alipay_auth_info_blocking(&self, ext_idp_connidentifier: &str) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let identifier =
            match validate::text("ext_idp_connidentifier", Some(ext_idp_connidentifier), 256) {
                Ok(id) => id.trim(),
                Err(problem) => return AuthResponse::from_error(problem.into()),
            };
        self.get_with(
            ALIPAY_AUTH_INFO_PATH,
            &[("extIdpConnidentifier", identifier)],
            Shape::Envelope,
            Auth::Config,
        )
    }
}
