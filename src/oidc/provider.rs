//! The OpenID provider's metadata: its OpenID configuration (issuer, `jwks_uri`) and its
//! signing keys, fetched for each code exchange (two small GETs per sign-in, so a key
//! rotation is never missed and nothing stale is cached).
//!
//! The configuration must name the app's own issuer, `<API base URL>/oidc` (OpenID Connect
//! Discovery 1.0 section 4.3: the issuer a configuration names must be the one it was
//! fetched for), and its `jwks_uri` must be on the same host: keys from anywhere else are
//! not trusted.

use serde_json::Value;

use super::OidcError;
use crate::client::{Auth, AuthClient};
use crate::response::AuthResponse;
use crate::transport::Shape;

/// Where the OpenID configuration is, under the API's base URL.
pub(crate) const DISCOVERY_PATH: &str = "/oidc/.well-known/openid-configuration";

/// What the id_token checks need from the provider.
pub(crate) struct Provider {
    /// The configuration's `issuer`, which the id_token's `iss` must equal.
    pub(crate) issuer: String,
    /// The JWK Set.
    pub(crate) jwks: Value,
}

impl AuthClient {
    /// Fetches the provider's configuration and keys; the failed answer otherwise.
    pub(crate) fn provider(&self) -> Result<Provider, Box<AuthResponse>> {
        let base = self
            .base_url()
            .map_err(|e| Box::new(AuthResponse::from_error(e)))?;
        let unusable =
            |reason: String| Box::new(AuthResponse::from_error(OidcError::Provider(reason).into()));
        let config = self.get_with(DISCOVERY_PATH, &[], Shape::Plain, Auth::Nothing);
        if !config.is_success() {
            return Err(Box::new(config));
        }
        let text = |key: &str| {
            config
                .data()
                .and_then(|d| d.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let expected = format!("{base}/oidc");
        let issuer = text("issuer")
            .ok_or_else(|| unusable("its openid configuration has no issuer".into()))?;
        if issuer.trim_end_matches('/') != expected {
            return Err(unusable(format!(
                "its openid configuration names the issuer {issuer}, not this app's {expected}"
            )));
        }
        let jwks_uri = text("jwks_uri")
            .ok_or_else(|| unusable("its openid configuration has no jwks_uri".into()))?;
        let Some(path) = jwks_uri
            .strip_prefix(base.as_str())
            .filter(|p| p.starts_with('/'))
        else {
            return Err(unusable(format!(
                "its jwks_uri {jwks_uri} is not on the app's host {base}"
            )));
        };
        let keys = self.get_with(path, &[], Shape::Plain, Auth::Nothing);
        if !keys.is_success() {
            return Err(Box::new(keys));
        }
        let jwks = keys.data().cloned().unwrap_or(Value::Null);
        #[cfg(feature = "oidc")]
        super::jwt::rsa_keys(&jwks).map_err(unusable)?;
        Ok(Provider { issuer, jwks })
    }
}
