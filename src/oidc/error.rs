//! [`OidcError`]: why an OpenID Connect sign-in did not end in a session.

use std::time::Duration;

/// Why an OpenID Connect call failed on this side of the wire: the authorization code
/// flow (`get_access_token_by_code`, `sign_in_by_browser`) and what it checks. Every one
/// is status code 10019 ([`codes::OIDC_FAILED`](crate::codes::OIDC_FAILED)), carried as
/// [`AuthError::Oidc`](crate::AuthError::Oidc).
///
/// Messages are lowercase and never quote a token, a code, a `state` or a `nonce`.
///
/// ```
/// use authing::{AuthError, OidcError};
/// let error = AuthError::Oidc(OidcError::IdToken("its nonce does not match this sign-in's".into()));
/// assert_eq!(error.status_code(), authing::codes::OIDC_FAILED);
/// assert_eq!(error.to_string(), "the id_token is not valid: its nonce does not match this sign-in's");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OidcError {
    /// The crate was built without the cargo feature this needs (`"oidc"` for the
    /// CSPRNG and the id_token checks, `"browser"` for the system browser). Nothing was
    /// sent.
    #[error("the authing crate was built without its {feature:?} cargo feature, which {needed_by} needs")]
    FeatureDisabled {
        /// The cargo feature to turn on.
        feature: &'static str,
        /// What needs it, e.g. `"the pkce code verifier"`.
        needed_by: &'static str,
    },
    /// The operating system's random number generator failed; no `state`, `nonce` or
    /// PKCE verifier could be made. Nothing was sent.
    #[error("the system's random number generator failed: {0}")]
    Random(String),
    /// The provider's OpenID configuration or its keys (JWKS) are missing or unusable,
    /// e.g. its `issuer` is not the app's. Nothing was exchanged.
    #[error("the openid provider's metadata is unusable: {0}")]
    Provider(String),
    /// The token answer's id_token failed a check of OpenID Connect Core 3.1.3.7: its
    /// RS256 signature against the provider's JWKS, `iss`, `aud`, `exp` or `nonce`. The
    /// tokens were not saved.
    #[error("the id_token is not valid: {0}")]
    IdToken(String),
    /// The access token that
    /// [`introspect_access_token_offline`](crate::AuthClient::introspect_access_token_offline)
    /// checked failed a check: its RS256 signature against the provider's JWKS, `iss`,
    /// `aud`, `exp` (with a minute of leeway), `iat` or `sub`.
    #[error("the access token is not valid: {0}")]
    AccessToken(String),
    /// The authorization server sent the browser back with an OAuth error instead of a
    /// code (RFC 6749 section 4.1.2.1): `access_denied` when the user declined.
    #[error("the sign-in was not granted: {error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Denied {
        /// The OAuth `error` code, e.g. `access_denied`.
        error: String,
        /// The server's `error_description`, when it sent one.
        description: Option<String>,
    },
    /// No answer came back from the browser before the deadline (the user closed the tab
    /// or walked away). The loopback listener is closed.
    #[error("no sign-in came back from the browser within {} s", .0.as_secs())]
    TimedOut(Duration),
    /// The browser could not be opened, or no way to open it was given.
    #[error("the browser could not be opened: {0}")]
    Browser(String),
    /// The loopback listener for the redirect could not be set up or failed.
    #[error("the loopback listener failed: {0}")]
    Listener(String),
}
