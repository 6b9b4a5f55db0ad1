//! Public information a sign-in screen needs: the country list. Each call in its callback
//! form and its blocking twin.

use crate::client::{Auth, AuthClient};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::response::AuthResponse;
use crate::transport::Shape;

/// `getCountryList`'s endpoint.
pub(crate) const COUNTRY_LIST_PATH: &str = "/api/v3/get-country-list";

/// # Common (Java: `AuthClient.getCountryList`)
///
/// Lists that need no user: the countries and their calling codes ([`Country`](crate::Country)).
impl AuthClient {
    /// Fetches the countries and their phone country codes, for a sign-in screen's country
    /// picker (Java: `getCountryList`; `GET /api/v3/get-country-list`). The callback form.
    ///
    /// On success `data` is the list ([`country_list`](AuthResponse::country_list)). It needs
    /// nobody signed in: when a user is, and the session's access token is still valid, it
    /// is sent as `Authorization: Bearer` (the spec lists bearer security for this path);
    /// otherwise no session token is sent, nothing is refreshed and nothing is refused.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse, Lang};
    /// AuthClient::new()
    ///     .get_country_list(|response: AuthResponse| {
    ///         for country in response.country_list().unwrap_or_default() {
    ///             println!("{} {}", country.phone_country_code(), country.name(Lang::EnUs).unwrap_or("?"));
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getCountryList"))]
    pub fn get_country_list<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| {
            client.get_country_list_blocking()
        })
    }

    /// The blocking twin of [`get_country_list`](Self::get_country_list).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_country_list_blocking();
    /// println!("{} countries", response.country_list().map(|c| c.len()).unwrap_or(0));
    /// ```
    pub fn get_country_list_blocking(&self) -> AuthResponse {
        let fresh = self
            .session()
            .peek()
            .filter(|s| !s.tokens().is_expired())
            .map(|s| s.tokens().access_token().to_string());
        let auth = match &fresh {
            Some(token) => Auth::Bearer(token),
            None => Auth::Config,
        };
        self.get_with(COUNTRY_LIST_PATH, &[], Shape::Envelope, auth)
    }
}
