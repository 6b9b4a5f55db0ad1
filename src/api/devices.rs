//! The signed-in user's devices (Java: `AuthenticationClient`'s `list`, `revoke`,
//! `unbind`; `/api/v3/mydevices/*`): list them with their latest sign-in, sign a device
//! out, remove one. Each call in its callback form and its blocking twin; each sends the
//! session's bearer. The device this client speaks for, sent on every call, is set on the
//! builder ([`AuthClientBuilder::device_id`](crate::AuthClientBuilder::device_id)).

use serde_json::json;

use crate::client::device::DEVICE_ID_HEADER;
use crate::client::{AuthClient, Query};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::InputError;
use crate::response::AuthResponse;
use crate::validate;

/// `list`'s endpoint.
pub(crate) const LIST_PATH: &str = "/api/v3/mydevices/list";
/// `revoke`'s endpoint.
pub(crate) const REVOKE_PATH: &str = "/api/v3/mydevices/revoke-session";
/// `unbind`'s endpoint.
pub(crate) const UNBIND_PATH: &str = "/api/v3/mydevices/unbind";

/// The largest page of devices the server gives (the spec's `limit`: "at most 50").
const MAX_DEVICE_PAGE: u32 = 50;
/// The longest device id sent, in characters.
const MAX_DEVICE_ID_CHARS: usize = 128;

/// # Devices (Java: `AuthenticationClient`'s `list`, `revoke`, `unbind`)
///
/// The devices the signed-in user signed in on ([`DeviceSession`](crate::DeviceSession)),
/// signing one out, removing one; and the id this client sends for its own device.
impl AuthClient {
    /// The id of the device this client speaks for, as it sends it in
    /// `x-authing-device-id` on every call: the builder's
    /// [`device_id`](crate::AuthClientBuilder::device_id), else the derived one. `None`
    /// only when the client's configuration failed (its calls answer 10002).
    ///
    /// Compare it with [`Device::device_id`](crate::Device::device_id) to find this device
    /// in [`list`](Self::list)'s answer.
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .build()?;
    /// let id = client.device_id().unwrap();
    /// assert_eq!(id.len(), 16, "derived: 16 hex digits");
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    pub fn device_id(&self) -> Option<String> {
        let config = self.settings().ok()?;
        config
            .extra_headers
            .iter()
            .find(|(name, _)| name == DEVICE_ID_HEADER)
            .map(|(_, value)| value.clone())
    }

    /// Lists the devices the signed-in user signed in on, latest sign-in first, one page at
    /// a time (Java: `list`; `GET /api/v3/mydevices/list?page&limit`). The callback form.
    ///
    /// `page` counts from 1 and `limit` is 1 to 50; both are always sent. On success the
    /// answer is [`device_list`](AuthResponse::device_list): each device with its latest
    /// sign-in, its IP, and whether the user is signed in on it now.
    ///
    /// Checked before anything is sent (10010): `page` is not 0, `limit` is 1 to 50.
    /// Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .list(1, 10, |response: AuthResponse| {
    ///         for session in response.device_list().unwrap_or_default() {
    ///             println!("{} online: {}", session.device().device_id(), session.online());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("mydevices", "listDevices"))]
    pub fn list<C: AuthCallback>(&self, page: u32, limit: u32, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| client.list_blocking(page, limit))
    }

    /// The blocking twin of [`list`](Self::list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().list_blocking(1, 50);
    /// println!("{} devices", response.device_list()?.len());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn list_blocking(&self, page: u32, limit: u32) -> AuthResponse {
        let query = || -> Result<Query, InputError> {
            if page == 0 {
                return Err(InputError::new("page", "is 0; pages count from 1"));
            }
            if limit == 0 || limit > MAX_DEVICE_PAGE {
                return Err(InputError::new(
                    "limit",
                    format!("must be 1 to {MAX_DEVICE_PAGE}"),
                ));
            }
            Ok(vec![
                ("page", page.to_string()),
                ("limit", limit.to_string()),
            ])
        };
        self.get_as_user(LIST_PATH, query, None)
    }

    /// Signs the signed-in user out of one device (Java: `revoke`;
    /// `POST /api/v3/mydevices/revoke-session`, `{deviceId}`). The callback form.
    ///
    /// The server ends the sessions on that device: their access and refresh tokens stop
    /// working, so a client there answers 10015 at its next call needing a user, once its
    /// refresh is refused. The device stays in [`list`](Self::list), no longer online.
    /// Revoking this client's own device ([`device_id`](Self::device_id)) ends this session
    /// too.
    ///
    /// Checked before anything is sent (10010): `device_id` is not blank, at most 128
    /// characters, without control characters. Without a signed-in user: 10015, nothing
    /// sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .revoke("HZ2F6J3AGNAVSOTV", |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("revoke-session", "revokeSession"))]
    pub fn revoke<C: AuthCallback>(&self, device_id: &str, callback: C) -> RequestHandle {
        let device_id = device_id.to_string();
        self.spawn(callback, move |client, _| {
            client.revoke_blocking(&device_id)
        })
    }

    /// The blocking twin of [`revoke`](Self::revoke).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().revoke_blocking("HZ2F6J3AGNAVSOTV");
    /// assert!(response.is_success());
    /// ```
    pub fn revoke_blocking(&self, device_id: &str) -> AuthResponse {
        self.device_call(REVOKE_PATH, device_id)
    }

    /// Removes one of the signed-in user's devices (Java: `unbind`;
    /// `POST /api/v3/mydevices/unbind`, `{deviceId}`). The callback form.
    ///
    /// The device leaves [`list`](Self::list). The emulator also ends its sessions, as
    /// [`revoke`](Self::revoke) does; Authing's spec says only "移除设备" (remove the
    /// device), so call `revoke` first where a sign-out must be certain.
    ///
    /// Checked before anything is sent (10010): as for `revoke`. Without a signed-in user:
    /// 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .unbind("HZ2F6J3AGNAVSOTV", |response: AuthResponse| println!("{}", response.status_code()))
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("unbindDevice"))]
    pub fn unbind<C: AuthCallback>(&self, device_id: &str, callback: C) -> RequestHandle {
        let device_id = device_id.to_string();
        self.spawn(callback, move |client, _| {
            client.unbind_blocking(&device_id)
        })
    }

    /// The blocking twin of [`unbind`](Self::unbind).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().unbind_blocking("HZ2F6J3AGNAVSOTV");
    /// assert!(response.is_success());
    /// ```
    pub fn unbind_blocking(&self, device_id: &str) -> AuthResponse {
        self.device_call(UNBIND_PATH, device_id)
    }

    /// `POST path {deviceId}` as the signed-in user, `device_id` checked first.
    fn device_call(&self, path: &str, device_id: &str) -> AuthResponse {
        let input = || {
            let id = validate::text("device_id", Some(device_id), MAX_DEVICE_ID_CHARS)?;
            Ok::<_, crate::error::AuthError>(id.trim().to_string())
        };
        self.checked_as_user(input, |token, id| {
            self.post_json_as_user(token, path, &json!({ "deviceId": id }))
        })
    }
}
