//! The requests every call goes through: where the API is (a fixed base URL or the
//! discovered one), the headers, and `POST`/`GET` in the shapes the families need (an
//! envelope, plain JSON, an OAuth form, a multipart upload), with the `Authorization` a
//! call asks for. Each runs the configuration check first and answers an `AuthResponse`,
//! never an error of its own.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use super::{missing_endpoint, AuthClient};
use crate::client::config::{ClientConfig, Endpoint};
use crate::client::discovery::{self, Source, Target};
use crate::error::AuthError;
use crate::response::AuthResponse;
use crate::transport::urlencoded;
use crate::transport::{self, Headers, Shape};

/// Which `Authorization` a request carries.
pub(crate) enum Auth<'a> {
    /// The builder's fixed `access_token`, if any (every call of the recovery journey).
    Config,
    /// None at all (the OAuth endpoints, whose `Authorization` would mean client auth).
    Nothing,
    /// `Bearer` with this access token.
    Bearer(&'a str),
}

/// A query: its pairs, in order.
pub(crate) type Query = Vec<(&'static str, String)>;

impl AuthClient {
    /// Where the API is: the fixed base URL, or the discovered one.
    pub(super) fn target(&self, config: &ClientConfig) -> Result<Arc<Target>, AuthError> {
        match &config.endpoint {
            Endpoint::Fixed(base_url) => Ok(Arc::new(Target {
                base_url: base_url.clone(),
                user_pool_id: None,
                social: Vec::new(),
                from_disk: false,
            })),
            Endpoint::Discover {
                console,
                domain,
                scheme,
            } => {
                let app_id = config.app_id.as_deref().unwrap_or_default();
                let source = Source {
                    console,
                    domain,
                    scheme,
                    app_id,
                    lang: config.lang,
                    fixed_base: None,
                };
                self.inner
                    .discovery
                    .resolve(|| self.load_public_config(&source))
            }
            Endpoint::Missing => Err(missing_endpoint()),
        }
    }

    /// The app's public config as discovery keeps it (fetched once, shared by every call):
    /// the discovered target, or, with a fixed `app_host`, the public config fetched from
    /// that host (`GET {app_host}/api/v2/applications/{app_id}/public-config`) for what it
    /// says besides the host (the social connections of `api/social.rs`).
    pub(crate) fn public_config(&self, config: &ClientConfig) -> Result<Arc<Target>, AuthError> {
        let Endpoint::Fixed(base_url) = &config.endpoint else {
            return self.target(config);
        };
        let app_id = config.app_id.as_deref().unwrap_or_default();
        let source = Source {
            console: base_url,
            domain: "",
            scheme: "https",
            app_id,
            lang: config.lang,
            fixed_base: Some(base_url),
        };
        self.inner
            .discovery
            .resolve(|| self.load_public_config(&source))
    }

    /// The target `source` gives: from the disk cache's public config when there is one
    /// (`config_cache.rs`), else fetched (and then written to the cache).
    fn load_public_config(&self, source: &Source<'_>) -> Result<Target, String> {
        let cache = self.inner.config_cache.as_ref();
        if let Some(data) = cache.and_then(|cache| cache.config()) {
            match discovery::target_of(&data, source) {
                Ok(target) => {
                    return Ok(Target {
                        from_disk: true,
                        ..target
                    })
                }
                Err(why) => log::debug!(
                    target: crate::logging::TARGET,
                    "public config cache: the cached config is not usable ({why}); fetching it"
                ),
            }
        }
        let data = discovery::fetch(&self.inner.transport, source)?;
        let target = discovery::target_of(&data, source)?;
        if let Some(cache) = cache {
            cache.store_config(&data);
        }
        Ok(target)
    }

    /// `POST path` with the body `body` builds, after the configuration and input checks.
    pub(crate) fn post(
        &self,
        path: &str,
        body: impl FnOnce() -> Result<Vec<u8>, AuthError>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let body = body()?;
            let target = self.target(config)?;
            let url = format!("{}{path}", target.base_url);
            let cookie = self.session().captcha.get();
            let mut headers = headers(config, &target);
            headers.cookie = cookie.as_deref();
            let response = self.inner.transport.post(&url, &headers, body);
            self.forget_cached_target(&target, &response);
            Ok(response)
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// `POST path` with the form body (`application/x-www-form-urlencoded`) that `pairs`
    /// builds, read as an OAuth answer, without `Authorization`.
    pub(crate) fn post_form(
        &self,
        path: &str,
        pairs: impl FnOnce() -> Result<Vec<(&'static str, String)>, AuthError>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let body = urlencoded::pairs(&pairs()?).into_bytes();
            let form = Some((transport::FORM, body));
            self.wire(config, path, &[], form, Shape::OAuth, Auth::Nothing)
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// `GET path?query` with the `Authorization` of `auth`.
    pub(crate) fn get_with(
        &self,
        path: &str,
        query: &[(&str, &str)],
        shape: Shape,
        auth: Auth<'_>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            self.wire(config, path, query, None, shape, auth)
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// `POST path?query` with the body `body` builds (its content type and bytes, after the
    /// configuration check), read as `shape`, with the `Authorization` of `auth`: the calls
    /// that act for the signed-in user (or with an MFA token), and the multipart upload.
    pub(crate) fn post_with(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: impl FnOnce() -> Result<(Cow<'static, str>, Vec<u8>), AuthError>,
        shape: Shape,
        auth: Auth<'_>,
    ) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let (content_type, bytes) = body()?;
            let sent = Some((content_type.as_ref(), bytes));
            self.wire(config, path, query, sent, shape, auth)
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// `POST path` with the JSON body `body` builds, read as `shape`, with `auth`.
    pub(crate) fn post_json(
        &self,
        path: &str,
        body: impl FnOnce() -> Result<Vec<u8>, AuthError>,
        shape: Shape,
        auth: Auth<'_>,
    ) -> AuthResponse {
        self.post_with(
            path,
            &[],
            || Ok((crate::transport::headers::JSON.into(), body()?)),
            shape,
            auth,
        )
    }

    /// `GET path`, its body read as `shape`.
    pub(crate) fn get(&self, path: &str, shape: Shape) -> AuthResponse {
        let attempt = || -> Result<AuthResponse, AuthError> {
            let config = self.settings()?;
            let target = self.target(config)?;
            let url = format!("{}{path}", target.base_url);
            let cookie = self.session().captcha.get();
            let mut headers = headers(config, &target);
            headers.cookie = cookie.as_deref();
            Ok(self.inner.transport.get(&url, &headers, shape))
        };
        attempt().unwrap_or_else(AuthResponse::from_error)
    }

    /// Sends one request to `path` on the app's API: a POST of `body` (content type and
    /// bytes) or, without one, a GET; the query percent-encoded.
    fn wire(
        &self,
        config: &ClientConfig,
        path: &str,
        query: &[(&str, &str)],
        body: Option<(&str, Vec<u8>)>,
        shape: Shape,
        auth: Auth<'_>,
    ) -> Result<AuthResponse, AuthError> {
        let target = self.target(config)?;
        let mut url = format!("{}{path}", target.base_url);
        if !query.is_empty() {
            url.push('?');
            url.push_str(&urlencoded::pairs(query));
        }
        let cookie = self.session().captcha.get();
        let mut headers = headers(config, &target);
        headers.cookie = cookie.as_deref();
        if shape == Shape::Image {
            headers.accept = crate::transport::headers::ACCEPT_IMAGE;
        }
        match auth {
            Auth::Config => {}
            Auth::Nothing => headers.access_token = None,
            Auth::Bearer(token) => headers.access_token = Some(token),
        }
        let transport = &self.inner.transport;
        let response = match body {
            Some((content_type, bytes)) => {
                transport.post_as(&url, &headers, content_type, bytes, shape)
            }
            None => transport.get(&url, &headers, shape),
        };
        self.forget_cached_target(&target, &response);
        Ok(response)
    }

    /// After a request to `target`: when the target came from the disk cache and the API
    /// host could not be reached (a connection failure, DNS included, or a connect or DNS
    /// time-out) or answered a bare HTTP 404 (no Authing envelope: not an Authing API),
    /// the cached public config is forgotten, on disk and in the client, so the next call
    /// discovers again. The call's own answer stays as it is: it is not resent.
    fn forget_cached_target(&self, target: &Arc<Target>, response: &AuthResponse) {
        if !target.from_disk {
            return;
        }
        let unreachable = match response.error() {
            Some(AuthError::Connection { .. }) => true,
            Some(AuthError::Timeout { phase, .. }) => phase == "connect" || phase == "resolve",
            Some(AuthError::HttpStatus { status: 404 }) => true,
            _ => false,
        };
        if !unreachable {
            return;
        }
        log::info!(
            target: crate::logging::TARGET,
            "public config cache: the cached api host {} did not serve the call ({}); the next call discovers it again",
            target.base_url,
            response.error().map(ToString::to_string).unwrap_or_default(),
        );
        if let Some(cache) = self.inner.config_cache.as_ref() {
            cache.forget_config();
        }
        self.inner.discovery.forget(target);
    }

    /// The API's base URL (discovered first if need be), for URLs the browser opens and
    /// for checking the OIDC issuer.
    pub(crate) fn base_url(&self) -> Result<String, AuthError> {
        let config = self.settings()?;
        Ok(self.target(config)?.base_url.clone())
    }
}

fn headers<'a>(config: &'a ClientConfig, target: &'a Target) -> Headers<'a> {
    Headers {
        app_id: config.app_id.as_deref(),
        user_pool_id: config
            .user_pool_id
            .as_deref()
            .or(target.user_pool_id.as_deref()),
        lang: config.lang,
        access_token: config.access_token.as_deref(),
        cookie: None,
        accept: crate::transport::headers::ACCEPT_JSON,
    }
}

/// A request body as JSON bytes.
pub(crate) fn json_body(body: &impl Serialize) -> Result<Vec<u8>, AuthError> {
    serde_json::to_vec(body)
        .map_err(|e| AuthError::Internal(format!("could not encode the body: {e}")))
}
