//! Linked identities: the signed-in user's accounts at external identity providers (link,
//! unlink, list) and the providers the app offers. Each call in its callback form and its
//! blocking twin; each sends the session's bearer.

use serde::Serialize;

use crate::client::json_body;
use crate::client::{Auth, AuthClient, Query};
use crate::dispatch::callback::AuthCallback;
use crate::dispatch::handle::RequestHandle;
use crate::error::InputError;
use crate::optional_text::{self as text, OptionalText};
use crate::response::AuthResponse;
use crate::session::Refusal;
use crate::transport::Shape;
use crate::validate;

/// `linkExtIdp`'s endpoint.
pub(crate) const LINK_EXT_IDP_PATH: &str = "/api/v3/link-extidp";
/// `generateLinkExtIdpUrl`'s endpoint (the same parameters, always answering the URL).
pub(crate) const GENERATE_LINK_EXT_IDP_URL_PATH: &str = "/api/v3/generate-link-extidp-url";
/// `unLinkExtIdp`'s endpoint.
pub(crate) const UNLINK_EXT_IDP_PATH: &str = "/api/v3/unlink-extidp";
/// `getIdentities`'s endpoint.
pub(crate) const IDENTITIES_PATH: &str = "/api/v3/get-identities";
/// `getExtIdps`'s endpoint (the spec's; Android calls `/api/v3/get-extidps`, which the
/// spec does not have).
pub(crate) const EXT_IDPS_PATH: &str = "/api/v3/get-application-enabled-extidps";

/// The body of `POST /api/v3/unlink-extidp` (the spec's `UnlinkExtIdpDto`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UnlinkBody<'a> {
    ext_idp_id: &'a str,
}

/// # Linked identities (Java: `AuthClient.linkExtIdp`, `unLinkExtIdp`, `getIdentities`, `getExtIdps`)
///
/// The external identity providers linked to the signed-in user ([`Identity`](crate::Identity),
/// [`ExtIdp`](crate::ExtIdp)).
impl AuthClient {
    /// Asks for the link that binds an external identity provider's account to the
    /// signed-in user (Java: `linkExtIdp`; `GET /api/v3/link-extidp?ext_idp_conn_identifier=
    /// ..&app_id=..&id_token=..`). The callback form.
    ///
    /// `ext_idp_conn_identifier` is the provider connection's identifier
    /// ([`ExtIdp::identifier`](crate::ExtIdp::identifier) of
    /// [`get_ext_idps`](Self::get_ext_idps)). `app_id` is `None` for the client's own app
    /// id, and `id_token` `None` for the session's id token (the user's, from the
    /// sign-in); either may be given, as in Java. `""` counts as `None` (our choice, so
    /// that Authing's published sample `linkExtIdp("my-wechat", "", "")` works: Android
    /// sends the empty values, which the spec's required parameters refuse). On success the
    /// answer is the URL to
    /// open in a browser ([`ext_idp_link_url`](AuthResponse::ext_idp_link_url)): the user
    /// signs in to the provider there, and the identity is linked; then
    /// [`get_identities`](Self::get_identities) lists it.
    ///
    /// The spec also allows the server to answer HTTP 302 to the provider's sign-in page
    /// (the endpoint is meant to be opened by a browser). This SDK never follows a
    /// redirect: such an answer is [`AuthError::HttpStatus`](crate::AuthError::HttpStatus)
    /// 302 whose message names the location, the page to open.
    ///
    /// Checked first (10010): the identifier is not empty, and it and a given app id are at
    /// most 256 visible ASCII characters (a blank `" "` is refused); a given id token is
    /// visible ASCII, at most 4096 bytes.
    /// Then the session: without a signed-in user, or with `id_token` `None` and a session
    /// without an id token, 10015 and nothing is sent. Every query value is
    /// percent-encoded (Android concatenates them unescaped).
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .link_ext_idp("my-github", None, None, |response: AuthResponse| {
    ///         match response.ext_idp_link_url() {
    ///             Ok(url) => println!("open {url} in a browser"),
    ///             Err(error) => println!("{error}"),
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("linkExtIdp"))]
    pub fn link_ext_idp<C: AuthCallback>(
        &self,
        ext_idp_conn_identifier: &str,
        app_id: impl OptionalText,
        id_token: impl OptionalText,
        callback: C,
    ) -> RequestHandle {
        let identifier = ext_idp_conn_identifier.to_string();
        let (app_id, id_token) = (text::into_text(app_id), text::into_text(id_token));
        self.spawn(callback, move |client, _| {
            client.link_ext_idp_blocking(&identifier, app_id.as_deref(), id_token.as_deref())
        })
    }

    /// The blocking twin of [`link_ext_idp`](Self::link_ext_idp).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().link_ext_idp_blocking("my-github", None, None);
    /// println!("{}", response.ext_idp_link_url()?);
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn link_ext_idp_blocking(
        &self,
        ext_idp_conn_identifier: &str,
        app_id: impl OptionalText,
        id_token: impl OptionalText,
    ) -> AuthResponse {
        self.link_url(LINK_EXT_IDP_PATH, ext_idp_conn_identifier, app_id, id_token)
    }

    /// Asks for the link that binds an external identity provider's account to the
    /// signed-in user, through the spec's `generate-link-extidp-url` (Authing's Node and
    /// Python SDKs' `generateLinkExtIdpUrl`; `GET
    /// /api/v3/generate-link-extidp-url?ext_idp_conn_identifier=..&app_id=..&id_token=..`).
    /// The callback form.
    ///
    /// The same as [`link_ext_idp`](Self::link_ext_idp), whose rules it follows (the
    /// defaults of `app_id` and `id_token`, the checks, 10015 without a session), through
    /// the endpoint that always answers the URL (`data.url`,
    /// [`ext_idp_link_url`](AuthResponse::ext_idp_link_url)) rather than a redirect: open
    /// it in the user's browser.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .generate_link_ext_idp_url("my-github", None, None, |response: AuthResponse| {
    ///         if let Ok(url) = response.ext_idp_link_url() { println!("open {url}"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("generateLinkExtIdpUrl"))]
    pub fn generate_link_ext_idp_url<C: AuthCallback>(
        &self,
        ext_idp_conn_identifier: &str,
        app_id: impl OptionalText,
        id_token: impl OptionalText,
        callback: C,
    ) -> RequestHandle {
        let identifier = ext_idp_conn_identifier.to_string();
        let (app_id, id_token) = (text::into_text(app_id), text::into_text(id_token));
        self.spawn(callback, move |client, _| {
            client.generate_link_ext_idp_url_blocking(
                &identifier,
                app_id.as_deref(),
                id_token.as_deref(),
            )
        })
    }

    /// The blocking twin of [`generate_link_ext_idp_url`](Self::generate_link_ext_idp_url).
    ///
    /// ```
    /// use authing::emulator::{Emulator, NewExtIdp, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "passw0rd!"))?;
    /// emulator.add_ext_idp(NewExtIdp::new("my-github", "github", "GitHub"))?;
    /// let client = authing::AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
    /// client.sign_in_by_account_password_blocking("alice@example.com", "passw0rd!", None);
    /// let url = client.generate_link_ext_idp_url_blocking("my-github", None, None).ext_idp_link_url()?;
    /// assert!(url.starts_with(&emulator.base_url()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn generate_link_ext_idp_url_blocking(
        &self,
        ext_idp_conn_identifier: &str,
        app_id: impl OptionalText,
        id_token: impl OptionalText,
    ) -> AuthResponse {
        self.link_url(
            GENERATE_LINK_EXT_IDP_URL_PATH,
            ext_idp_conn_identifier,
            app_id,
            id_token,
        )
    }

    /// Unlinks an external identity provider from the signed-in user (Java:
    /// `unLinkExtIdp`; `POST /api/v3/unlink-extidp`, body `{"extIdpId": ..}`). The
    /// callback form.
    ///
    /// `ext_idp_id` is the provider's id as [`Identity::ext_idp_id`](crate::Identity::ext_idp_id)
    /// has it (not a connection's identifier): every identity the user has at that
    /// provider is unlinked. On success `data` is empty. Checked first (10010): not empty,
    /// at most 256 visible ASCII characters. Without a signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .un_link_ext_idp("62f209327xxxxcc10d966ee5", |response: AuthResponse| {
    ///         if response.status_code() == 200 { println!("unlinked"); }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("unLinkExtIdp", "unlinkExtIdp"))]
    pub fn un_link_ext_idp<C: AuthCallback>(&self, ext_idp_id: &str, callback: C) -> RequestHandle {
        let ext_idp_id = ext_idp_id.to_string();
        self.spawn(callback, move |client, _| {
            client.un_link_ext_idp_blocking(&ext_idp_id)
        })
    }

    /// The blocking twin of [`un_link_ext_idp`](Self::un_link_ext_idp).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().un_link_ext_idp_blocking("62f209327xxxxcc10d966ee5");
    /// assert_eq!(response.status_code(), 200);
    /// ```
    pub fn un_link_ext_idp_blocking(&self, ext_idp_id: &str) -> AuthResponse {
        if let Err(error) = self.settings() {
            return AuthResponse::from_error(error);
        }
        let ext_idp_id = match validate::code("ext_idp_id", ext_idp_id) {
            Ok(id) => id,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        self.as_user(|token| {
            self.post_json(
                UNLINK_EXT_IDP_PATH,
                || json_body(&UnlinkBody { ext_idp_id }),
                Shape::Envelope,
                Auth::Bearer(token),
            )
        })
    }

    /// Fetches the signed-in user's linked identities (Java: `getIdentities`;
    /// `GET /api/v3/get-identities`). The callback form.
    ///
    /// On success the answer is [`identities`](AuthResponse::identities): one
    /// [`Identity`](crate::Identity) per id a provider knows the user by. Without a
    /// signed-in user: 10015, nothing sent.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_identities(|response: AuthResponse| {
    ///         for identity in response.identities().unwrap_or_default() {
    ///             println!("{}: {}", identity.provider(), identity.user_id_in_idp());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getIdentities"))]
    pub fn get_identities<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| client.get_identities_blocking())
    }

    /// The blocking twin of [`get_identities`](Self::get_identities).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_identities_blocking();
    /// println!("{} identities", response.identities().map(|i| i.len()).unwrap_or(0));
    /// ```
    pub fn get_identities_blocking(&self) -> AuthResponse {
        self.get_as_user(IDENTITIES_PATH, || Ok(Query::new()), None)
    }

    /// Fetches the external identity providers the app offers (Java: `getExtIdps`;
    /// `GET /api/v3/get-application-enabled-extidps`). The callback form.
    ///
    /// On success the answer is [`ext_idp_list`](AuthResponse::ext_idp_list). The spec
    /// lists bearer security for the endpoint, so, as every call of this family, it needs
    /// a signed-in user: without one, 10015 and nothing is sent. Android calls
    /// `/api/v3/get-extidps`, a path the spec does not have; this call uses the spec's.
    ///
    /// ```no_run
    /// use authing::{AuthClient, AuthResponse};
    /// AuthClient::new()
    ///     .get_ext_idps(|response: AuthResponse| {
    ///         for idp in response.ext_idp_list().unwrap_or_default() {
    ///             println!("link your {} account: {}", idp.name(), idp.identifier());
    ///         }
    ///     })
    ///     .join()
    ///     .unwrap();
    /// ```
    #[doc(alias("getExtIdps"))]
    pub fn get_ext_idps<C: AuthCallback>(&self, callback: C) -> RequestHandle {
        self.spawn(callback, move |client, _| client.get_ext_idps_blocking())
    }

    /// The blocking twin of [`get_ext_idps`](Self::get_ext_idps).
    ///
    /// ```no_run
    /// let response = authing::AuthClient::new().get_ext_idps_blocking();
    /// println!("{} providers", response.ext_idp_list().map(|i| i.len()).unwrap_or(0));
    /// ```
    pub fn get_ext_idps_blocking(&self) -> AuthResponse {
        self.get_as_user(EXT_IDPS_PATH, || Ok(Query::new()), None)
    }
}

impl AuthClient {
    /// `GET path?ext_idp_conn_identifier=..&app_id=..&id_token=..` as the signed-in user:
    /// `link_ext_idp` and `generate_link_ext_idp_url`, which differ only by the path.
    fn link_url(
        &self,
        path: &str,
        ext_idp_conn_identifier: &str,
        app_id: impl OptionalText,
        id_token: impl OptionalText,
    ) -> AuthResponse {
        // "" is the default (our choice, for Authing's published sample
        // `linkExtIdp("my-wechat", "", "")`): Android sends `app_id=&id_token=`, which the
        // spec's required parameters refuse, so no working call changes meaning.
        let given = |value: Option<String>| value.filter(|v| !v.is_empty());
        let (app_id, id_token) = (
            given(text::into_text(app_id)),
            given(text::into_text(id_token)),
        );
        let config = match self.settings() {
            Ok(config) => config,
            Err(error) => return AuthResponse::from_error(error),
        };
        let checked = || -> Result<(String, String, Option<&str>), InputError> {
            let identifier = validate::code("ext_idp_conn_identifier", ext_idp_conn_identifier)?;
            let app_id = match app_id.as_deref() {
                Some(app_id) => validate::code("app_id", app_id)?.to_string(),
                None => config.app_id.clone().unwrap_or_default(),
            };
            let id_token = id_token
                .as_deref()
                .map(|t| validate::token("id_token", Some(t)))
                .transpose()?;
            Ok((identifier.to_string(), app_id, id_token))
        };
        let (identifier, app_id, given_token) = match checked() {
            Ok(checked) => checked,
            Err(problem) => return AuthResponse::from_error(problem.into()),
        };
        self.as_user(|bearer| {
            // Read after any renewal, which may bring a new id token.
            let session_token = || {
                self.session()
                    .peek()
                    .and_then(|s| s.tokens().id_token().map(str::to_string))
            };
            let Some(id_token) = given_token.map(str::to_string).or_else(session_token) else {
                return Refusal::NotSignedIn(
                    "the session holds no id token; pass one as id_token, or sign in again".into(),
                )
                .into_response();
            };
            let query = [
                ("ext_idp_conn_identifier", identifier.as_str()),
                ("app_id", app_id.as_str()),
                ("id_token", id_token.as_str()),
            ];
            self.get_with(path, &query, Shape::Envelope, Auth::Bearer(bearer))
        })
    }
}
