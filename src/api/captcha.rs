//! Captcha and code checks (Java: `AuthenticationClient.getCaptchaCode`, `preCheckCode`):
//! the graphic captcha a sign-in needs when the user pool's login failure limit asks for
//! one, and a pass code checked without being spent. Each call in its callback form and
//! its blocking twin.

use crate::client::{json_body, Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::model::PreCheckCodePayload;
use crate::response::AuthResponse;
use crate::transport::Shape;

/// `getCaptchaCode`'s endpoint, as the spec names it (the Java SDK calls
/// `/api/v3/get-captcha-code`, which the spec lacks).
pub(crate) const CAPTCHA_PATH: &str = "/api/v3/captcha-code";
/// `preCheckCode`'s endpoint.
pub(crate) const PRE_CHECK_PATH: &str = "/api/v3/pre-check-code";

/// # Captcha and code checks (Java: `AuthenticationClient.getCaptchaCode`, `preCheckCode`)
///
/// When the user pool limits failed sign-ins with the security policy "captcha", a
/// sign-in after too many failures answers apiCode 2000
/// ([`is_captcha_required`](AuthResponse::is_captcha_required)). The app then fetches a
/// captcha image ([`get_captcha_code`](Self::get_captcha_code)), shows it, and signs in
/// again with the answer in [`AuthOptions::set_captcha_code`](crate::AuthOptions::set_captcha_code).
/// The server ties the captcha to a cookie it sets with the image; this client keeps that
/// cookie and sends it back with its calls to the app's API until a sign-in succeeds, as a
/// browser would, so the image and the sign-in must go through clients that share the
/// session (one client, its clones, or `AuthClient::new()` for one app).
///
/// ```
/// use authing::emulator::{CaptchaPolicy, Emulator, NewUser};
/// use authing::AuthOptions;
///
/// let emulator = Emulator::start()?;
/// emulator.add_user(NewUser::with_username("alice", "secret-2"))?;
/// emulator.set_captcha_policy(CaptchaPolicy::Always);
/// let client = authing::AuthClient::builder()
///     .app_id(emulator.app_id())
///     .app_host(emulator.base_url())
///     .build()?;
/// let refused = client.sign_in_by_user_name_password_blocking("alice", "secret-2", None);
/// assert!(refused.is_captcha_required());
/// let image = client.get_captcha_code_blocking().captcha_image()?;
/// assert!(image.as_svg().is_some());
/// let answer = emulator.latest_captcha_answer().unwrap(); // what the person reads
/// let mut options = AuthOptions::new();
/// options.set_captcha_code(answer);
/// client.sign_in_by_user_name_password_blocking("alice", "secret-2", options).into_result()?;
/// assert!(client.get_current_user().is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl AuthClient {
    /// Fetches a captcha image (Java: `getCaptchaCode`; `GET /api/v3/captcha-code`, the
    /// spec's path). The callback form.
    ///
    /// The answer is not JSON: on success
    /// [`captcha_image`](AuthResponse::captcha_image) gives the image's bytes and content
    /// type (`image/svg+xml` from Authing) and `data` is empty. The cookie the server sets
    /// with it is kept (replacing an earlier captcha's) and sent back with this client's
    /// calls until a sign-in succeeds. A 2xx answer that is not an image (JSON, HTML) is
    /// status code 10001 with [`AuthError::UnreadableBody`](crate::AuthError::UnreadableBody)
    /// naming what came; a failure envelope is the server's answer, as for any call. No
    /// `Authorization` is sent, and no `r` (the spec's cache-buster for browsers).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_captcha_code(|response: AuthResponse| {
    ///         if let Ok(image) = response.captcha_image() {
    ///             std::fs::write("captcha.svg", image.bytes()).unwrap();
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getCaptchaCode", "geneCaptchaCode", "captcha-code"))]
    pub fn get_captcha_code<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.get_captcha_code_blocking()
        })
    }

    /// The blocking twin of [`get_captcha_code`](Self::get_captcha_code).
    ///
    /// ```
    /// let emulator = authing::emulator::Emulator::start()?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id(emulator.app_id())
    ///     .app_host(emulator.base_url())
    ///     .build()?;
    /// let response = client.get_captcha_code_blocking();
    /// assert_eq!(response.captcha_image()?.content_type(), "image/svg+xml");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_captcha_code_blocking(&self) -> AuthResponse {
        let response = self.get_with(CAPTCHA_PATH, &[], Shape::Image, Auth::Nothing);
        if let Some(raw) = &response.raw {
            self.session().captcha.set(&raw.cookies);
        }
        response
    }

    /// Checks a pass code without spending it (Java: `preCheckCode`; `POST
    /// /api/v3/pre-check-code`, `{codeType, smsCodePayload | emailCodePayload}`). The
    /// callback form.
    ///
    /// On success [`pre_check_code_result`](AuthResponse::pre_check_code_result) says
    /// whether the code is the right one and still usable, and if not why; either way the
    /// code stays usable for the call that needs it (a sign-in, a sign-up, a change of
    /// phone). A wrong code counts against the attempt limit as a wrong try of that call
    /// would (the emulator does so; Authing does not say). The session's bearer is sent
    /// when someone is signed in (the spec lists `bearer`), none otherwise: a sign-up form
    /// checks its code before anyone is.
    ///
    /// Checked before anything is sent (10010): as [`PreCheckCodePayload`] says.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, PreCheckCodePayload, SmsType};
    /// let payload = PreCheckCodePayload::sms("18812345678", "1234", SmsType::CHANNEL_REGISTER);
    /// AuthClient::new()
    ///     .pre_check_code(payload, |response: AuthResponse| {
    ///         match response.pre_check_code_result() {
    ///             Ok(result) if result.is_valid() => println!("the code is right"),
    ///             Ok(result) => println!("{}", result.message().unwrap_or("wrong code")),
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("preCheckCode", "pre-check-code"))]
    pub fn pre_check_code<C: AuthCallback>(
        &self,
        payload: PreCheckCodePayload,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.pre_check_code_blocking(payload)
        })
    }

    /// The blocking twin of [`pre_check_code`](Self::pre_check_code).
    ///
    /// ```
    /// use authing::{EmailType, PreCheckCodePayload};
    /// let emulator = authing::emulator::Emulator::start()?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id(emulator.app_id())
    ///     .app_host(emulator.base_url())
    ///     .build()?;
    /// client.send_email_blocking("alice@example.com", EmailType::CHANNEL_REGISTER).into_result()?;
    /// let code = emulator.latest_code("alice@example.com").unwrap();
    /// let payload = PreCheckCodePayload::email("alice@example.com", code, EmailType::CHANNEL_REGISTER);
    /// assert!(client.pre_check_code_blocking(payload).pre_check_code_result()?.is_valid());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pre_check_code_blocking(&self, payload: PreCheckCodePayload) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let body = match payload.body() {
            Ok(body) => body,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        let signed_in = matches!(self.session().current(), Ok((Some(_), _)));
        if signed_in {
            return self.as_user(|token| self.post_json_as_user(token, PRE_CHECK_PATH, &body));
        }
        self.post_json(
            PRE_CHECK_PATH,
            || json_body(&body),
            Shape::Envelope,
            Auth::Config,
        )
    }
}
