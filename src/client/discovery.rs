//! App discovery, as Android's `Authing.init(context, appId)`: the API host and user pool
//! id come from the app's public config, fetched once per client and shared by all calls
//! (or read from the disk cache, `config_cache.rs`: `request.rs` decides where the config
//! comes from, this file how it is fetched and read, and that it loads once at a time).
//!
//! The API host keeps the scheme of the discovery request: a public config fetched over
//! `https` gives an `https` API host, even when its `requestHostname` says `http://` (or
//! when [`scheme`](crate::AuthClientBuilder::scheme) says `http` for an `https://` host). A
//! config fetched over `http` (only when the discovery URL says so) gives the scheme its
//! `requestHostname` names, else the configured one.

use std::sync::Arc;

use serde_json::Value;

use crate::client::config::{self, Lang};
use crate::client::single_flight::SingleFlight;
use crate::error::AuthError;
use crate::model::social::{self, SocialConnection};
use crate::transport::{Headers, Shape, Transport};

/// Where the API of an app is, once known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) base_url: String,
    pub(crate) user_pool_id: Option<String>,
    /// The app's social connections (`ecConnections`); empty when no public config was
    /// fetched (a fixed `app_host`) or it lists none.
    pub(crate) social: Vec<SocialConnection>,
    /// Read from the disk cache (`config_cache.rs`), not fetched by this process: a call
    /// that finds it unreachable forgets it (`request.rs`, `forget_cached_target`).
    pub(crate) from_disk: bool,
}

/// Where to look the app up.
pub(crate) struct Source<'a> {
    pub(crate) console: &'a str,
    pub(crate) domain: &'a str,
    pub(crate) scheme: &'a str,
    pub(crate) app_id: &'a str,
    pub(crate) lang: Lang,
    /// A fixed API host: the public config is read only for what else it says (the social
    /// connections), its `requestHostname` is not needed.
    pub(crate) fixed_base: Option<&'a str>,
}

/// The discovery state of one client: loaded once; calls that arrive while it loads wait
/// (single-flight, `single_flight.rs`); a failure answers every waiting call and lets a
/// later call try again.
pub(crate) struct Discovery {
    target: SingleFlight<Arc<Target>, String>,
}

impl Default for Discovery {
    fn default() -> Discovery {
        Discovery {
            target: SingleFlight::new(),
        }
    }
}

impl Discovery {
    /// The app's target, loaded by `load` (the disk cache or [`fetch`], then
    /// [`target_of`]) if nobody has yet.
    pub(crate) fn resolve(
        &self,
        load: impl FnOnce() -> Result<Target, String>,
    ) -> Result<Arc<Target>, AuthError> {
        self.target
            .load(
                false,
                || load().map(Arc::new),
                || "the sdk panicked while loading the public config".to_string(),
            )
            .map_err(|reason| discovery_error(&reason))
    }

    /// Forgets `target` if it is still the one loaded, so the next call loads again.
    pub(crate) fn forget(&self, target: &Arc<Target>) {
        self.target.forget(|loaded| Arc::ptr_eq(loaded, target));
    }
}

fn discovery_error(reason: &str) -> AuthError {
    AuthError::Config(format!("app discovery failed: {reason}"))
}

/// `GET {console}/api/v2/applications/{app_id}/public-config`: the config's `data`.
pub(crate) fn fetch(transport: &Transport, source: &Source<'_>) -> Result<Value, String> {
    let url = format!(
        "{}/api/v2/applications/{}/public-config",
        source.console, source.app_id
    );
    let headers = Headers {
        app_id: Some(source.app_id),
        user_pool_id: None,
        lang: source.lang,
        access_token: None,
        cookie: None,
        accept: crate::transport::headers::ACCEPT_JSON,
    };
    let response = transport.get(&url, &headers, Shape::Plain);
    if let Some(error) = response.error() {
        return Err(match error {
            AuthError::HttpStatus { status } => format!("the console answered http {status}"),
            other => other.to_string(),
        });
    }
    let body = response.data().cloned().unwrap_or(Value::Null);
    let code = body.get("code").and_then(Value::as_i64);
    if code != Some(200) {
        let message = body.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(match code {
            Some(code) => format!("the console answered code {code}: {message}"),
            None => "the public config has no code".to_string(),
        });
    }
    body.get("data")
        .cloned()
        .ok_or_else(|| "the public config has no data".to_string())
}

/// Where the API of the app whose public config `data` is lives, for `source`.
pub(crate) fn target_of(data: &Value, source: &Source<'_>) -> Result<Target, String> {
    let text = |key: &str| {
        data.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let social = social::social_connections(data);
    if let Some(base_url) = source.fixed_base {
        return Ok(Target {
            base_url: base_url.to_string(),
            user_pool_id: text("userPoolId"),
            social,
            from_disk: false,
        });
    }
    let scheme = api_scheme(source);
    let base = match (text("requestHostname"), text("identifier")) {
        (Some(host), _) => match host.split_once("://") {
            // https stays https: a public config fetched over https cannot downgrade.
            Some((given, rest)) if scheme == "https" || given.eq_ignore_ascii_case("https") => {
                let kept = if given.eq_ignore_ascii_case("http") {
                    "https"
                } else {
                    given
                };
                format!("{kept}://{rest}")
            }
            Some(_) => host,
            None => format!("{scheme}://{host}"),
        },
        (None, Some(identifier)) => format!("{scheme}://{identifier}.{}", source.domain),
        (None, None) => {
            return Err("the public config has neither requestHostname nor identifier".into())
        }
    };
    let base_url = config::base_url("requestHostname", &base).map_err(|e| e.to_string())?;
    Ok(Target {
        base_url,
        user_pool_id: text("userPoolId"),
        social,
        from_disk: false,
    })
}

/// The scheme of the discovered API host: `https` whenever the public config came over
/// https (whatever `scheme` says), else the configured scheme (`http` only when the
/// discovery URL itself is `http://`).
fn api_scheme<'a>(source: &Source<'a>) -> &'a str {
    if source.console.starts_with("https://") {
        "https"
    } else {
        source.scheme
    }
}
