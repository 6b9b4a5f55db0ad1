//! OpenID Connect protocol pieces, for the authorization code flow with PKCE as a desktop
//! or mobile app (a public client, RFC 8252) runs it: the random values and the S256
//! challenge (`pkce.rs`), the authorize URL and the code exchange (`exchange.rs`), the
//! provider's configuration and keys (`provider.rs`), the id_token checks (`jwt.rs`,
//! `id_token.rs`), the loopback listener (`loopback.rs`) and the pages it answers
//! (`page.rs`), and the end of the provider's session at sign-out (`session_end.rs`). The
//! browser sign-in that runs them in order is `flows/browser.rs`; the `AuthClient` calls
//! are in `api/oidc.rs`.
//!
//! The CSPRNG, SHA-256 and RSA come with the cargo feature `oidc`; without it every call
//! that needs them answers [`OidcError::FeatureDisabled`] before sending anything, and
//! nothing is ever accepted unchecked.

mod error;
mod exchange;
pub(crate) mod id_token;
#[cfg(feature = "oidc")]
pub(crate) mod jwt;
pub(crate) mod loopback;
pub(crate) mod page;
pub(crate) mod pkce;
pub(crate) mod provider;
mod session_end;

pub use error::OidcError;

/// `Ok` with the cargo feature `oidc`; what `needed_by` needs it for otherwise.
pub(crate) fn require_feature(needed_by: &'static str) -> Result<(), OidcError> {
    if cfg!(feature = "oidc") {
        Ok(())
    } else {
        Err(OidcError::FeatureDisabled {
            feature: "oidc",
            needed_by,
        })
    }
}
