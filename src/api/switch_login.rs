//! Switch login (Java: `AuthenticationClient.listPublicAccountsForSwitchLoggedIn`,
//! `switchLoginByUser`): the public accounts a signed-in user may switch to, and the switch
//! itself, after which the client's session is the public account's. Each call in its
//! callback form and its blocking twin; each sends the session's bearer.

use serde_json::json;

use crate::client::AuthClient;
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::AuthError;
use crate::model::AuthOptions;
use crate::response::AuthResponse;
use crate::validate;

/// `listPublicAccountsForSwitchLoggedIn`'s endpoint.
pub(crate) const LIST_PATH: &str = "/api/v3/get-user-select-login-public-accounts";
/// `switchLoginByUser`'s endpoint.
pub(crate) const SWITCH_PATH: &str = "/api/v3/switch-login-by-user";

/// The longest user id sent, in characters.
const MAX_USER_ID_CHARS: usize = 128;

/// # Switch login (Java: `AuthenticationClient.listPublicAccountsForSwitchLoggedIn`, `switchLoginByUser`)
///
/// A public account is an account of the user pool that several people use (a shop's
/// front desk, a team's shared account), linked to the personal accounts allowed to use
/// it. A signed-in user lists the public accounts it may use and switches to one; the
/// session becomes the public account's, and a switch back to the personal account works
/// the same way.
impl AuthClient {
    /// Lists the public accounts the signed-in user may switch to (Java:
    /// `listPublicAccountsForSwitchLoggedIn`; `GET
    /// /api/v3/get-user-select-login-public-accounts?withOriginUser=..`). The callback
    /// form.
    ///
    /// With `with_origin_user`, the answer also carries the signed-in user itself. On
    /// success: [`public_account_list`](AuthResponse::public_account_list) (an empty list
    /// when there are none). Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .list_public_accounts_for_switch_logged_in(false, |response: AuthResponse| {
    ///         if let Ok(list) = response.public_account_list() {
    ///             for account in list.public_accounts() {
    ///                 println!("{} {}", account.user_id(), account.display_name().unwrap_or("-"));
    ///             }
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias(
        "listPublicAccountsForSwitchLoggedIn",
        "get-user-select-login-public-accounts"
    ))]
    pub fn list_public_accounts_for_switch_logged_in<C: AuthCallback>(
        &self,
        with_origin_user: bool,
        callback: C,
    ) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.list_public_accounts_for_switch_logged_in_blocking(with_origin_user)
        })
    }

    /// The blocking twin of
    /// [`list_public_accounts_for_switch_logged_in`](Self::list_public_accounts_for_switch_logged_in).
    ///
    /// ```
    /// let emulator = authing::emulator::Emulator::start()?;
    /// emulator.add_user(authing::emulator::NewUser::with_username("alice", "secret-2"))?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id(emulator.app_id())
    ///     .app_host(emulator.base_url())
    ///     .build()?;
    /// client.sign_in_by_user_name_password_blocking("alice", "secret-2", None).into_result()?;
    /// let list = client.list_public_accounts_for_switch_logged_in_blocking(true).public_account_list()?;
    /// assert!(list.public_accounts().is_empty());
    /// assert_eq!(list.origin_user().and_then(|me| me.display_name()), Some("alice"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn list_public_accounts_for_switch_logged_in_blocking(
        &self,
        with_origin_user: bool,
    ) -> AuthResponse {
        let flag = if with_origin_user { "true" } else { "false" };
        self.get_as_user(
            LIST_PATH,
            || Ok(vec![("withOriginUser", flag.into())]),
            None,
        )
    }

    /// Switches the signed-in user to another account (Java: `switchLoginByUser`; `POST
    /// /api/v3/switch-login-by-user`, `{targetUserId, options}`). The callback form.
    ///
    /// `target_user_id` is a public account linked to the signed-in user (from
    /// [`list_public_accounts_for_switch_logged_in`](Self::list_public_accounts_for_switch_logged_in)),
    /// or, signed in as a public account, the personal account to switch back to. On
    /// success the answer holds the target's tokens
    /// ([`login_token_data`](AuthResponse::login_token_data)) and the client's session
    /// becomes the target's, as a sign-in's does: the tokens kept, the target's profile
    /// fetched for [`get_current_user`](Self::get_current_user), both saved in the token
    /// store. The earlier session's tokens are not revoked (call [`logout`](Self::logout)
    /// first for that; then nobody is signed in to switch, so keep a second client). An
    /// account the user may not switch to answers the server's refusal (statusCode 403 from
    /// the emulator) and the session stays as it was.
    ///
    /// `options` is `None` for the defaults or an [`AuthOptions`], of which the switch
    /// sends `scope`, `context` and `customData` (the spec's `SignInBySwitchOptionsDto`).
    ///
    /// Checked before anything is sent (10010): `target_user_id` is not blank, at most 128
    /// characters, without control characters; the options as [`AuthOptions`] says.
    /// Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .switch_login_by_user("64f1c2d3e4a5b6c7d8e9f0a1", None, |response: AuthResponse| {
    ///         if response.is_success() { println!("now signed in as the public account"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("switchLoginByUser", "switch-login-by-user"))]
    pub fn switch_login_by_user<C: AuthCallback>(
        &self,
        target_user_id: &str,
        options: impl Into<Option<AuthOptions>>,
        callback: C,
    ) -> RequestHandle {
        let (target, options) = (target_user_id.to_string(), options.into());
        self.spawn(callback, move |client, _| {
            client.switch_login_by_user_blocking(&target, options)
        })
    }

    /// The blocking twin of [`switch_login_by_user`](Self::switch_login_by_user).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("front-desk", "secret-1"))?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-2"))?;
    /// let desk = emulator.link_public_account("front-desk", "alice")?;
    /// let client = authing::AuthClient::builder()
    ///     .app_id(emulator.app_id())
    ///     .app_host(emulator.base_url())
    ///     .build()?;
    /// client.sign_in_by_user_name_password_blocking("alice", "secret-2", None).into_result()?;
    /// client.switch_login_by_user_blocking(&desk, None).into_result()?;
    /// assert_eq!(client.get_current_user().unwrap().user_id(), desk);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn switch_login_by_user_blocking(
        &self,
        target_user_id: &str,
        options: impl Into<Option<AuthOptions>>,
    ) -> AuthResponse {
        let options = options.into().unwrap_or_default();
        let input = || -> Result<_, AuthError> {
            let id = validate::text("target_user_id", Some(target_user_id), MAX_USER_ID_CHARS)?;
            Ok(json!({ "targetUserId": id.trim(), "options": options.switch_json()? }))
        };
        let response = self.checked_as_user(input, |token, body| {
            self.post_json_as_user(token, SWITCH_PATH, body)
        });
        // Tokens, or a second factor asked: the switch is a sign-in. A refusal leaves the
        // session as it was.
        if response.is_success() || response.is_mfa_required() {
            return self.finish_sign_in(response);
        }
        response
    }
}
