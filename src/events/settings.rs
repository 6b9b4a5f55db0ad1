//! Where the event stream is: the builder's `web_socket_host` and `web_socket_endpoint`
//! (Java: `AuthenticationClientOptions.webSocketHost`, `.webSocketEndpoint`), checked by
//! `build`, and the subscription URL made from them.

use crate::client::builder::AuthClientBuilder;
use crate::client::config::ConfigError;
use crate::transport::urlencoded;

/// Java's default event host (`AuthenticationClientOptions.webSocketHost`; the Node and
/// iOS SDKs use the same).
pub const DEFAULT_WEB_SOCKET_HOST: &str = "wss://openevent.authing.cn";
/// Java's default subscription endpoint (`webSocketEndpoint`).
pub const DEFAULT_WEB_SOCKET_ENDPOINT: &str = "/events/v1/authentication/sub";

/// The event settings of a client, as given (`None`: the default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EventSettings {
    pub(crate) host: Option<String>,
    pub(crate) endpoint: Option<String>,
}

impl EventSettings {
    /// Checks the settings (at `build`): a host is `ws://` or `wss://` and an authority
    /// (no path, query or fragment; one trailing `/` is dropped); an endpoint is a path
    /// starting with `/`, without query, fragment, spaces or control characters.
    pub(crate) fn checked(self) -> Result<EventSettings, ConfigError> {
        let host = match self.host {
            None => None,
            Some(host) => Some(check_host(&host)?),
        };
        let endpoint = match self.endpoint {
            None => None,
            Some(path) => {
                let ok = path.starts_with('/')
                    && path.len() <= 512
                    && path
                        .bytes()
                        .all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#'));
                if !ok {
                    return Err(ConfigError::new(
                        "web_socket_endpoint",
                        "must be a path starting with '/', without query, fragment or spaces",
                    ));
                }
                Some(path)
            }
        };
        Ok(EventSettings { host, endpoint })
    }

    /// The subscription URL for `code` and `token`, given the client's API base URL:
    /// `{host}{endpoint}?code={code}&token={token}`, both values percent-encoded. The
    /// host is the setting, else `ws://` and the API host when the API is `http://` (the
    /// emulator, a local test server), else Java's `wss://openevent.authing.cn`. A
    /// `ws://` host is refused unless the API itself is `http://`: a token never goes in
    /// the clear to a server the app reaches over TLS.
    #[cfg_attr(not(feature = "events"), allow(dead_code))]
    pub(crate) fn url(&self, api_base: &str, code: &str, token: &str) -> Result<String, String> {
        let plain_api = api_base.strip_prefix("http://");
        let host = match (&self.host, plain_api) {
            (Some(host), None) if host.starts_with("ws://") => {
                return Err(
                    "web_socket_host is ws:// but the app host is https://: the access token would travel unencrypted"
                        .into(),
                );
            }
            (Some(host), _) => host.clone(),
            (None, Some(authority)) => {
                format!("ws://{}", authority.split('/').next().unwrap_or(authority))
            }
            (None, None) => DEFAULT_WEB_SOCKET_HOST.to_owned(),
        };
        let endpoint = self
            .endpoint
            .as_deref()
            .unwrap_or(DEFAULT_WEB_SOCKET_ENDPOINT);
        Ok(format!(
            "{host}{endpoint}?code={}&token={}",
            urlencoded::component(code),
            urlencoded::component(token)
        ))
    }
}

fn check_host(host: &str) -> Result<String, ConfigError> {
    let bad = |why: &str| ConfigError::new("web_socket_host", why.to_owned());
    let trimmed = host.strip_suffix('/').unwrap_or(host);
    let rest = trimmed
        .strip_prefix("wss://")
        .or_else(|| trimmed.strip_prefix("ws://"))
        .ok_or_else(|| bad("the scheme must be ws or wss"))?;
    if rest.is_empty() {
        return Err(bad("has no host"));
    }
    if !rest
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']' | b'_'))
    {
        return Err(bad(
            "must be a scheme and a host (and port) only, without path, query or user info",
        ));
    }
    Ok(trimmed.to_owned())
}

/// # Events (Java: `AuthenticationClientOptions.webSocketHost`, `webSocketEndpoint`)
impl AuthClientBuilder {
    /// The host of Authing's event stream, which `AuthClient::sub_event` (cargo feature `events`)
    /// connects to (Java: `setWebSocketHost`). Default: `ws://` and the app host when the
    /// app host is `http://` (the emulator), else [`DEFAULT_WEB_SOCKET_HOST`]
    /// (`wss://openevent.authing.cn`, Java's). `ws://` or `wss://` and a host (and
    /// port); `build` refuses anything else. A `ws://` host with an `https://` app host is
    /// refused when subscribing: the access token never travels unencrypted.
    ///
    /// The access token goes to this host (in the subscription URL's query). By default,
    /// with any `https://` app host, that is Authing's public event host, even for a
    /// private deployment (an app host such as `https://auth.corp.com`): a private
    /// deployment must set its own event host here, or its users' access tokens are sent
    /// to `openevent.authing.cn`.
    ///
    /// ```
    /// let client = authing::AuthClient::builder()
    ///     .app_id("app")
    ///     .app_host("https://myapp.authing.cn")
    ///     .web_socket_host("wss://events.authing.cn")
    ///     .build()?;
    /// # drop(client);
    /// let error = authing::AuthClient::builder().web_socket_host("https://x").build().unwrap_err();
    /// assert_eq!(error.to_string(), "invalid setting web_socket_host: the scheme must be ws or wss");
    /// # Ok::<(), authing::ConfigError>(())
    /// ```
    #[doc(alias = "setWebSocketHost")]
    #[doc(alias = "webSocketHost")]
    pub fn web_socket_host(mut self, host: impl Into<String>) -> Self {
        self.events.host = Some(host.into());
        self
    }

    /// The path of the subscription on the event host (Java: `setWebSocketEndpoint`).
    /// Default: [`DEFAULT_WEB_SOCKET_ENDPOINT`] (`/events/v1/authentication/sub`).
    ///
    /// ```
    /// let built = authing::AuthClient::builder()
    ///     .web_socket_endpoint("/events/v1/authentication/sub")
    ///     .build();
    /// assert!(built.is_ok());
    /// let error = authing::AuthClient::builder().web_socket_endpoint("sub?x=1").build().unwrap_err();
    /// assert_eq!(error.setting(), "web_socket_endpoint");
    /// ```
    #[doc(alias = "setWebSocketEndpoint")]
    #[doc(alias = "webSocketEndpoint")]
    pub fn web_socket_endpoint(mut self, path: impl Into<String>) -> Self {
        self.events.endpoint = Some(path.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: Option<&str>) -> EventSettings {
        EventSettings {
            host: host.map(str::to_owned),
            endpoint: None,
        }
        .checked()
        .unwrap()
    }

    #[test]
    fn the_default_host_is_javas_for_https_and_the_api_host_for_http() {
        let https = settings(None)
            .url("https://a.authing.cn", "c", "t")
            .unwrap();
        assert_eq!(
            https,
            "wss://openevent.authing.cn/events/v1/authentication/sub?code=c&token=t"
        );
        let http = settings(None)
            .url("http://127.0.0.1:8080", "a.b", "x.y")
            .unwrap();
        assert_eq!(
            http,
            "ws://127.0.0.1:8080/events/v1/authentication/sub?code=a.b&token=x.y"
        );
    }

    #[test]
    fn plain_ws_is_refused_for_an_https_api_and_values_are_encoded() {
        let plain = settings(Some("ws://events.local"));
        assert!(plain.url("https://a.authing.cn", "c", "t").is_err());
        let url = plain.url("http://127.0.0.1:1", "my&code", "t").unwrap();
        assert!(url.ends_with("?code=my%26code&token=t"), "{url}");
    }

    #[test]
    fn hosts_with_paths_or_other_schemes_are_refused() {
        for bad in ["https://x", "wss://", "wss://x/path", "wss://u@x", "x"] {
            let checked = EventSettings {
                host: Some(bad.into()),
                endpoint: None,
            }
            .checked();
            assert!(checked.is_err(), "{bad}");
        }
        assert_eq!(
            settings(Some("wss://x:8443/")).host.as_deref(),
            Some("wss://x:8443")
        );
    }
}
