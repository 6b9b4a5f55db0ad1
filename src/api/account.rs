//! The signed-in user's account: the password, and deleting the account. Each call in its
//! callback form and its blocking twin. Acting as the signed-in user and keeping the
//! session's cached user true after a change, which `profile.rs` and `binding.rs` use too,
//! are client plumbing (`client/user.rs`).
//!
//! # What a change does to the session
//!
//! - A call whose answer is the changed user (`update_profile`, `upload_avatar`) makes that
//!   user the session's ([`AuthClient::get_current_user`]).
//! - A call whose answer is only a success (the password, the phone and email calls)
//!   fetches the user once more (`GET /api/v3/get-profile`, with the same access token and
//!   the same `with*` flags the cached user was fetched with) and caches it. If the server
//!   refuses that token (statusCode 401, as a server that ends sessions on a password
//!   change may), the session is renewed once with its refresh token, as for any call that
//!   needs a user: a refresh token the server refuses too ends the session here, as the
//!   server did; a new token fetches the user. Without a refresh token, a refused token
//!   clears the session. If the fetch fails otherwise, the cached user is dropped
//!   (`get_current_user` answers `None`, as after a sign-in whose profile could not be
//!   fetched) rather than left stale. Either way the call's answer is the change's own.
//! - `delete_account` clears the session on success (the server has ended it with the
//!   account). A failed change changes nothing.

use serde_json::json;

use crate::client::json_body;
use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::{AuthError, InputError};
use crate::model::deletion::Checked;
use crate::model::{
    DeleteAccountPayload, DeleteAccountToken, DeleteAccountVerifyMethod, PasswordEncryptType,
};
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::validate;

/// `updatePassword`'s endpoint.
pub(crate) const UPDATE_PASSWORD_PATH: &str = "/api/v3/update-password";
/// `deleteAccountRequest`'s endpoint.
pub(crate) const VERIFY_DELETE_PATH: &str = "/api/v3/verify-delete-account-request";
/// `deleteAccount`'s endpoint.
pub(crate) const DELETE_PATH: &str = "/api/v3/delete-account";

/// # Password and deletion (Java: `AuthClient.updatePassword`, `deleteAccountRequest`, `deleteAccount`)
///
/// The signed-in user's password, and deleting the account
/// ([`DeleteAccountPayload`](crate::DeleteAccountPayload)).
impl AuthClient {
    /// Changes the signed-in user's password (Java: `updatePassword`; `POST
    /// /api/v3/update-password`, `{newPassword, oldPassword?, passwordEncryptType}`, with the
    /// session's bearer). The callback form.
    ///
    /// `old_password` is the current password, required by the server when the user has
    /// one (`None` for a user who signed up with a passcode and never set one). With `rsa`
    /// or `sm2`, both passwords are encrypted with the server's public key (never sent in
    /// plain text instead); `passwordEncryptType` is always sent, `none` included.
    /// `encrypt_type` is a [`PasswordEncryptType`] or `None` for `none`, the spec's default
    /// (Authing's published sample leaves it out; Android's `updatePassword` and Guard's
    /// take it, and Java's `AuthenticationClient` defaults it to `none`).
    ///
    /// Checked before anything is sent (status code 10010): both passwords as
    /// [`reset_password`](Self::reset_password) checks one, and the new one different from
    /// the old one (the emulator refuses an unchanged password too). Without a signed-in
    /// user: 10015, nothing sent. On success the session's user is fetched again (its
    /// `passwordLastSetAt` changed); if the server ended the session with the change, the
    /// session is cleared (see the module docs). The emulator keeps the calling session and
    /// ends the user's other sessions: `docs/EMULATOR.md`.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, PasswordEncryptType};
    /// AuthClient::new()
    ///     .update_password("a new passw0rd", "the old passw0rd", PasswordEncryptType::rsa,
    ///         |response: AuthResponse| println!("{} {}", response.status_code(), response.message()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("updatePassword"))]
    pub fn update_password<C: AuthCallback>(
        &self,
        new_password: &str,
        old_password: impl OptionalText,
        encrypt_type: impl Into<Option<PasswordEncryptType>>,
        callback: C,
    ) -> RequestHandle {
        let new_password = new_password.to_string();
        let old_password = text::into_text(old_password);
        let encrypt_type = encrypt_type.into();
        self.spawn(callback, move |client, _| {
            client.update_password_blocking(&new_password, old_password.as_deref(), encrypt_type)
        })
    }

    /// The blocking twin of [`update_password`](Self::update_password).
    ///
    /// ```no_run
    /// use authing::{AuthClient, PasswordEncryptType};
    /// let response = AuthClient::new().update_password_blocking("a new passw0rd", "the old passw0rd", None);
    /// println!("{}", response.status_code());
    /// ```
    pub fn update_password_blocking(
        &self,
        new_password: &str,
        old_password: impl OptionalText,
        encrypt_type: impl Into<Option<PasswordEncryptType>>,
    ) -> AuthResponse {
        let old_password = text::into_text(old_password);
        // The spec's default (`UpdatePasswordDto.passwordEncryptType`), which Authing's
        // published sample `updatePassword(newPassword, oldPassword, callback)` relies on.
        let encrypt_type = encrypt_type.into().unwrap_or_default();
        let input = || -> Result<(), AuthError> {
            validate::password("new_password", Some(new_password))?;
            if let Some(old) = old_password.as_deref() {
                validate::password("old_password", Some(old))?;
                if old == new_password {
                    return Err(InputError::new(
                        "new_password",
                        "is the same as old_password; choose a different one",
                    )
                    .into());
                }
            }
            Ok(())
        };
        self.checked_as_user(input, |token, ()| {
            let mut passwords = vec![new_password];
            passwords.extend(old_password.as_deref());
            let mut sealed = Vec::new();
            for password in passwords {
                match self.seal_password(encrypt_type, password) {
                    Ok(wire) => sealed.push((password, wire)),
                    Err(error) => return AuthResponse::from_error(error),
                }
            }
            let answer = self.post_sealed_as(
                UPDATE_PASSWORD_PATH,
                encrypt_type,
                sealed,
                None,
                Some(token),
                |wires| {
                    let mut body = json!({
                        "newPassword": wires[0],
                        "passwordEncryptType": encrypt_type.as_str(),
                    });
                    if let Some(old) = wires.get(1) {
                        body["oldPassword"] = json!(old);
                    }
                    json_body(&body)
                },
            );
            self.after_user_change(token, answer)
        })
    }

    /// Asks to delete the signed-in user's account and answers a `deleteAccountToken`
    /// (Java: `deleteAccountRequest`; `POST /api/v3/verify-delete-account-request`, with the
    /// session's bearer). The callback form.
    ///
    /// The proof is a passcode sent on `CHANNEL_DELETE_ACCOUNT` to the account's phone
    /// ([`PHONE_PASSCODE`](DeleteAccountVerifyMethod::PHONE_PASSCODE)) or email
    /// ([`EMAIL_PASSCODE`](DeleteAccountVerifyMethod::EMAIL_PASSCODE)), or the password
    /// ([`PASSWORD`](DeleteAccountVerifyMethod::PASSWORD), encrypted as the payload's
    /// encrypt type says; Android sends it in plain text whatever that says). On success
    /// [`delete_account_data`](AuthResponse::delete_account_data) gives the token, its
    /// lifetime and the instant it expires; hand it to
    /// [`delete_account`](Self::delete_account). Nothing is deleted yet.
    ///
    /// Checked before anything is sent (status code 10010): see [`DeleteAccountPayload`].
    /// Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, DeleteAccountPayload, DeleteAccountVerifyMethod};
    /// let auth_client = AuthClient::new();
    /// let mut delete_account_payload = DeleteAccountPayload::new();
    /// delete_account_payload.set_email("someone@example.com");
    /// delete_account_payload.set_pass_code("123456");
    /// auth_client
    ///     .delete_account_request(DeleteAccountVerifyMethod::EMAIL_PASSCODE, delete_account_payload,
    ///         |response: AuthResponse| {
    ///             if let Ok(verified) = response.delete_account_data() {
    ///                 println!("confirm within {} s", verified.token_expires_in());
    ///             }
    ///         })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("deleteAccountRequest"))]
    pub fn delete_account_request<C: AuthCallback>(
        &self,
        method: DeleteAccountVerifyMethod,
        payload: DeleteAccountPayload,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.delete_account_request_blocking(method, payload)
        })
    }

    /// The blocking twin of [`delete_account_request`](Self::delete_account_request).
    ///
    /// ```no_run
    /// use authing::{AuthClient, DeleteAccountPayload, DeleteAccountVerifyMethod};
    /// let mut payload = DeleteAccountPayload::new();
    /// payload.set_password("passw0rd");
    /// let response = AuthClient::new().delete_account_request_blocking(DeleteAccountVerifyMethod::PASSWORD, payload);
    /// println!("{}", response.status_code());
    /// ```
    pub fn delete_account_request_blocking(
        &self,
        method: DeleteAccountVerifyMethod,
        payload: DeleteAccountPayload,
    ) -> AuthResponse {
        let input = || payload.check(method).map_err(AuthError::from);
        self.checked_as_user(input, |token, checked| match &checked {
            Checked::Password {
                password,
                encrypt_type,
            } => match self.seal_password(*encrypt_type, password) {
                Ok(sealed) => self.post_sealed_as(
                    VERIFY_DELETE_PATH,
                    *encrypt_type,
                    vec![(*password, sealed)],
                    None,
                    Some(token),
                    |wires| json_body(&checked.body(&wires[0])),
                ),
                Err(error) => AuthResponse::from_error(error),
            },
            _ => self.post_json_as_user(token, VERIFY_DELETE_PATH, &checked.body("")),
        })
    }

    /// Deletes the signed-in user's account (Java: `deleteAccount`; `POST
    /// /api/v3/delete-account`, `{deleteAccountToken}`, with the session's bearer). The
    /// callback form.
    ///
    /// `delete_account_token` is the token string (as in Java) or, better, the
    /// [`DeleteAccountData`](crate::DeleteAccountData) of
    /// [`delete_account_request`](Self::delete_account_request)'s answer: then a token that
    /// has expired is refused locally (status code 10010), nothing sent. Without a
    /// signed-in user: 10015, nothing sent.
    ///
    /// On success (`data` `{"success": true}`) the account is gone and this device is
    /// signed out: the session is cleared, in memory and in the token store (the server
    /// ended its tokens with the account; nothing is revoked). On failure the session
    /// stays. Android clears its tokens whatever the answer.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// # fn f(verified: authing::DeleteAccountData) {
    /// AuthClient::new()
    ///     .delete_account(&verified, |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("goodbye"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// # }
    /// ```
    #[doc(alias("deleteAccount"))]
    pub fn delete_account<C: AuthCallback>(
        &self,
        delete_account_token: impl Into<DeleteAccountToken>,
        callback: C,
    ) -> RequestHandle {
        let token = delete_account_token.into();
        self.spawn(callback, move |client, _| {
            client.delete_account_blocking(token)
        })
    }

    /// The blocking twin of [`delete_account`](Self::delete_account).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().delete_account_blocking("the-delete-account-token");
    /// println!("{}", response.status_code());
    /// ```
    pub fn delete_account_blocking(
        &self,
        delete_account_token: impl Into<DeleteAccountToken>,
    ) -> AuthResponse {
        let token = delete_account_token.into();
        let input = || token.check().map(str::to_string).map_err(AuthError::from);
        self.checked_as_user(input, |bearer, checked| {
            let answer = self.post_json_as_user(
                bearer,
                DELETE_PATH,
                &json!({ "deleteAccountToken": checked }),
            );
            if !answer.is_success() {
                return answer;
            }
            match self.session().clear_if_current(bearer) {
                Ok(()) => answer,
                Err(store_failed) => store_failed.into_response(),
            }
        })
    }
}
