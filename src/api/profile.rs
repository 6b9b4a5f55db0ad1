//! The signed-in user's profile: change it, upload an avatar, rate a password locally, and
//! read the account's security level. Each network call in its callback form and its
//! blocking twin.

use std::borrow::Cow;

use serde_json::{json, Value};

use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::dispatcher::CancelCheck;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::model::{Avatar, PasswordStrength, Profile};
use crate::response::AuthResponse;
use crate::transport::multipart::{self, Part};
use crate::transport::Shape;

/// `updateProfile`'s endpoint.
pub(crate) const UPDATE_PROFILE_PATH: &str = "/api/v3/update-profile";
/// `getSecurityLevel`'s endpoint.
pub(crate) const SECURITY_INFO_PATH: &str = "/api/v3/get-security-info";
/// The upload endpoint of `uploadAvatar` (Android's `Uploader`).
pub(crate) const UPLOAD_PATH: &str = "/api/v2/upload";

/// # Profile (Java: `AuthClient.updateProfile`, `uploadAvatar`, `computePasswordSecurityLevel`, `getSecurityLevel`)
///
/// The signed-in user's profile ([`Profile`](crate::Profile)), avatar ([`Avatar`](crate::Avatar))
/// and security level.
impl AuthClient {
    /// Changes the signed-in user's profile (Java: `updateProfile`; `POST
    /// /api/v3/update-profile`, the spec's `UpdateUserProfileDto`, with the session's
    /// bearer). The callback form.
    ///
    /// Only the fields set in `profile` are sent and changed. On success `data` is the
    /// changed user ([`user_info`](AuthResponse::user_info)), and it becomes the session's
    /// user ([`get_current_user`](Self::get_current_user)). The email, phone and password
    /// have calls of their own.
    ///
    /// Checked before anything is sent (status code 10010): see [`Profile`]; a profile
    /// that sets nothing is refused too. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, Profile};
    /// let auth_client = AuthClient::new();
    /// let mut profile = Profile::new();
    /// profile.set_nickname("Mike");
    /// profile.set_city("Beijing");
    /// auth_client
    ///     .update_profile(profile, |response: AuthResponse| {
    ///         if let Ok(user) = response.user_info() {
    ///             println!("now {}", user.nickname().unwrap_or("-"));
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("updateProfile", "updateUser"))]
    pub fn update_profile<C: AuthCallback>(&self, profile: Profile, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.update_profile_blocking(profile)
        })
    }

    /// The blocking twin of [`update_profile`](Self::update_profile).
    ///
    /// ```no_run
    /// let mut profile = authing::Profile::new();
    /// profile.set_nickname("Mike");
    /// let response = authing::AuthClient::new().update_profile_blocking(profile);
    /// println!("{}", response.status_code());
    /// ```
    pub fn update_profile_blocking(&self, profile: Profile) -> AuthResponse {
        let input = || profile.to_json().map_err(AuthError::from);
        self.checked_as_user(input, |token, body| self.send_profile(token, body))
    }

    /// Uploads a picture and makes it the signed-in user's avatar (Java: `uploadAvatar`):
    /// `POST /api/v2/upload?folder=photos`, `multipart/form-data` with the image as the
    /// part `file`, then [`update_profile`](Self::update_profile) with the answered `url`
    /// as the `photo`. The callback form.
    ///
    /// `avatar` is a path (`Path::new("me.png")`), a [`File`](std::fs::File), bytes, or any
    /// reader through [`Avatar::from_reader`]; it is read when the call runs. The answer is
    /// the profile update's: on success the changed user, which becomes the session's user,
    /// its `photo` the uploaded picture's URL. If the upload fails, its answer is the call's
    /// and the profile is not touched; an upload answer without a `url` is status code
    /// 10004. Cancelled between the two steps, the profile is not changed (the picture
    /// stays uploaded).
    ///
    /// Checked before anything is sent (status code 10010): see [`Avatar`] (readable, not
    /// empty, at most [`MAX_AVATAR_BYTES`](crate::MAX_AVATAR_BYTES), a PNG, JPEG, GIF or
    /// WebP image). Without a signed-in user: 10015, nothing sent. The upload carries no
    /// `Authorization` (the spec lists no security for it, and Android sends none); the
    /// profile update carries the bearer. Android answers any upload failure with its local
    /// code 10009 "Upload avatar failed"; here the server's answer says why.
    ///
    /// ```no_run
    /// use std::path::Path;
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .upload_avatar(Path::new("me.png"), |response: AuthResponse| {
    ///         match response.user_info() {
    ///             Ok(user) => println!("avatar at {}", user.photo().unwrap_or("-")),
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("uploadAvatar"))]
    pub fn upload_avatar<C: AuthCallback>(
        &self,
        avatar: impl Into<Avatar>,
        callback: C,
    ) -> RequestHandle {
        let avatar = avatar.into();
        self.spawn(callback, move |client, cancel| {
            client.upload_then_set(avatar, Some(cancel))
        })
    }

    /// The blocking twin of [`upload_avatar`](Self::upload_avatar).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().upload_avatar_blocking(std::path::Path::new("me.png"));
    /// println!("{}", response.status_code());
    /// ```
    pub fn upload_avatar_blocking(&self, avatar: impl Into<Avatar>) -> AuthResponse {
        self.upload_then_set(avatar.into(), None)
    }

    /// Rates `password` on this machine, without the network (Java:
    /// `computePasswordSecurityLevel`): see [`PasswordStrength::of`] for the rule, which is
    /// Android's. The server applies its own password policy when a password is set.
    ///
    /// ```
    /// use authing::{AuthClient, PasswordStrength};
    /// let auth_client = AuthClient::builder().build().unwrap();
    /// assert_eq!(auth_client.compute_password_security_level("passw0rd"), PasswordStrength::EMedium);
    /// ```
    #[doc(alias("computePasswordSecurityLevel"))]
    pub fn compute_password_security_level(&self, password: &str) -> PasswordStrength {
        PasswordStrength::of(password)
    }

    /// Fetches the signed-in user's password strength and account security score (Java:
    /// `getSecurityLevel`; `GET /api/v3/get-security-info`, with the session's bearer). The
    /// callback form.
    ///
    /// On success [`security_info`](AuthResponse::security_info) gives the spec's
    /// `GetSecurityInfoDto`: the password's level, whether MFA, a password, an email and a
    /// phone are set, and the score. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_security_level(|response: AuthResponse| {
    ///         if let Ok(info) = response.security_info() {
    ///             println!("security score {}", info.security_score());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getSecurityLevel"))]
    pub fn get_security_level<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.get_security_level_blocking()
        })
    }

    /// The blocking twin of [`get_security_level`](Self::get_security_level).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_security_level_blocking();
    /// println!("{:?}", response.security_info());
    /// ```
    pub fn get_security_level_blocking(&self) -> AuthResponse {
        self.checked_as_user(
            || Ok(()),
            |token, ()| {
                self.get_with(
                    SECURITY_INFO_PATH,
                    &[],
                    Shape::Envelope,
                    Auth::Bearer(token),
                )
            },
        )
    }

    /// `POST /api/v3/update-profile` with `body`; a user answered becomes the session's.
    fn send_profile(&self, token: &str, body: &Value) -> AuthResponse {
        let answer = self.post_json_as_user(token, UPDATE_PROFILE_PATH, body);
        if let Ok(user) = answer.user_info() {
            self.session().update_user(token, user);
        }
        answer
    }

    /// Both steps of `upload_avatar`; one answer.
    fn upload_then_set(&self, avatar: Avatar, cancel: Option<&CancelCheck<'_>>) -> AuthResponse {
        let input = || avatar.load().map_err(AuthError::from);
        self.checked_as_user(input, |token, image| {
            let filename = format!("avatar.{}", image.kind.extension());
            let part = Part {
                name: "file",
                filename: Some(&filename),
                content_type: image.kind.mime(),
                body: &image.bytes,
            };
            let uploaded = self.post_with(
                UPLOAD_PATH,
                &[("folder", "photos")],
                || {
                    let (content_type, body) = multipart::encode(&[part]);
                    Ok((Cow::Owned(content_type), body))
                },
                Shape::Envelope,
                Auth::Nothing,
            );
            if !uploaded.is_success() {
                return uploaded;
            }
            if cancel.is_some_and(CancelCheck::is_cancelled) {
                // The caller already has its cancellation; this answer is never delivered.
                return AuthResponse::from_error(AuthError::Cancelled);
            }
            let url = uploaded
                .data()
                .and_then(|d| d.get("url"))
                .and_then(Value::as_str)
                .filter(|url| !url.trim().is_empty());
            match url {
                Some(url) => self.send_profile(token, &json!({ "photo": url })),
                None => {
                    let mut answer = AuthResponse::from_error(AuthError::UnexpectedResponse {
                        reason: "the upload answer has no url".into(),
                    });
                    answer.request_id = uploaded.request_id.clone();
                    answer
                }
            }
        })
    }
}
