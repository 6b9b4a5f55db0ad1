//! The typed answers of linked identities: [`Identity`] (an account of the user's at an
//! external identity provider) and [`ExtIdp`] (a provider the app offers), with their
//! accessors on [`AuthResponse`].

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::error::AuthError;
use crate::model::directory::{text, texts};
use crate::model::page;
use crate::redact::RedactedJson;
use crate::response::AuthResponse;

/// An account of the user's at an external identity provider (the spec's `IdentityDto`),
/// an item of [`AuthResponse::identities`]. A provider may know the user by several ids
/// (WeChat's `openid` and `unionid`): each is one `Identity`, with the same
/// [`ext_idp_id`](Identity::ext_idp_id).
///
/// The provider's own tokens, which the server sends to the user (`accessToken`,
/// `refreshToken`), are not read into it; `response.data()` has them. `Debug` hides
/// secrets in [`user_info_in_idp`](Identity::user_info_in_idp).
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_identities_blocking();
/// for identity in response.identities()? {
///     println!("{} {} = {}", identity.provider(), identity.identity_type(), identity.user_id_in_idp());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    identity_id: String,
    ext_idp_id: String,
    #[serde(default, deserialize_with = "text")]
    provider: String,
    #[serde(rename = "type", default, deserialize_with = "text")]
    identity_type: String,
    #[serde(default, deserialize_with = "text")]
    user_id_in_idp: String,
    #[serde(default)]
    user_info_in_idp: Value,
    #[serde(default, deserialize_with = "texts")]
    origin_conn_ids: Vec<String>,
}

impl Identity {
    /// The identity's id (`identityId`).
    ///
    /// ```no_run
    /// # fn f(i: &authing::Identity) { println!("{}", i.identity_id()); }
    /// ```
    pub fn identity_id(&self) -> &str {
        &self.identity_id
    }

    /// The id of the external identity provider (`extIdpId`): what
    /// [`un_link_ext_idp`](crate::AuthClient::un_link_ext_idp) takes.
    ///
    /// ```no_run
    /// # fn f(i: &authing::Identity) { println!("{}", i.ext_idp_id()); }
    /// ```
    pub fn ext_idp_id(&self) -> &str {
        &self.ext_idp_id
    }

    /// The kind of provider (`provider`: `wechat`, `github`, `ldap`, ...).
    ///
    /// ```no_run
    /// # fn f(i: &authing::Identity) { println!("{}", i.provider()); }
    /// ```
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Which of the provider's ids this is (`type`: `openid`, `unionid`, `primary`, ...).
    ///
    /// ```no_run
    /// # fn f(i: &authing::Identity) { println!("{}", i.identity_type()); }
    /// ```
    pub fn identity_type(&self) -> &str {
        &self.identity_type
    }

    /// The user's id at the provider (`userIdInIdp`).
    ///
    /// ```no_run
    /// # fn f(i: &authing::Identity) { println!("{}", i.user_id_in_idp()); }
    /// ```
    pub fn user_id_in_idp(&self) -> &str {
        &self.user_id_in_idp
    }

    /// What the provider says about the user (`userInfoInIdp`), as it sent it.
    ///
    /// ```no_run
    /// # fn f(i: &authing::Identity) { println!("{}", i.user_info_in_idp()["nickname"]); }
    /// ```
    pub fn user_info_in_idp(&self) -> &Value {
        &self.user_info_in_idp
    }

    /// The ids of the provider's connections the identity came through (`originConnIds`).
    ///
    /// ```no_run
    /// # fn f(i: &authing::Identity) { println!("{:?}", i.origin_conn_ids()); }
    /// ```
    pub fn origin_conn_ids(&self) -> &[String] {
        &self.origin_conn_ids
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("identity_id", &self.identity_id)
            .field("ext_idp_id", &self.ext_idp_id)
            .field("provider", &self.provider)
            .field("identity_type", &self.identity_type)
            .field("user_id_in_idp", &self.user_id_in_idp)
            .field("user_info_in_idp", &RedactedJson(&self.user_info_in_idp))
            .field("origin_conn_ids", &self.origin_conn_ids)
            .finish()
    }
}

/// An external identity provider the app offers (the spec's `ExtIdpInfoDto`), an item of
/// [`AuthResponse::ext_idp_list`]: what a sign-in screen draws its "sign in with ..."
/// buttons from, and what [`link_ext_idp`](crate::AuthClient::link_ext_idp) takes
/// ([`identifier`](ExtIdp::identifier)).
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_ext_idps_blocking();
/// for idp in response.ext_idp_list()? {
///     println!("[{}] {} ({})", idp.identifier(), idp.name(), idp.idp_type());
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtIdp {
    identifier: String,
    ext_idp_id: String,
    #[serde(rename = "type", default, deserialize_with = "text")]
    idp_type: String,
    #[serde(default, deserialize_with = "text")]
    ext_idp_type: String,
    #[serde(default, deserialize_with = "text")]
    bind_url: String,
    #[serde(default, deserialize_with = "text")]
    name: String,
    #[serde(rename = "name_en", default)]
    name_en: Option<String>,
    #[serde(default)]
    desc: Option<String>,
    #[serde(rename = "desc_en", default)]
    desc_en: Option<String>,
    #[serde(default)]
    logo: Option<String>,
}

impl ExtIdp {
    /// The connection's unique identifier (`identifier`), the `ext_idp_conn_identifier`
    /// of [`link_ext_idp`](crate::AuthClient::link_ext_idp).
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.identifier()); }
    /// ```
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// The provider's id (`extIdpId`).
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.ext_idp_id()); }
    /// ```
    pub fn ext_idp_id(&self) -> &str {
        &self.ext_idp_id
    }

    /// The kind of provider (`type`: `wechat`, `github`, `oidc`, ...).
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.idp_type()); }
    /// ```
    pub fn idp_type(&self) -> &str {
        &self.idp_type
    }

    /// `social` or `enterprise` (`extIdpType`).
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.ext_idp_type()); }
    /// ```
    pub fn ext_idp_type(&self) -> &str {
        &self.ext_idp_type
    }

    /// Where to authenticate with the provider (`bindUrl`).
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.bind_url()); }
    /// ```
    pub fn bind_url(&self) -> &str {
        &self.bind_url
    }

    /// The provider's display name (`name`).
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.name()); }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The provider's display name in English (`name_en`), if given.
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.name_en().unwrap_or(idp.name())); }
    /// ```
    pub fn name_en(&self) -> Option<&str> {
        self.name_en.as_deref()
    }

    /// The provider's description (`desc`), if given.
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.desc().unwrap_or("")); }
    /// ```
    pub fn desc(&self) -> Option<&str> {
        self.desc.as_deref()
    }

    /// The provider's description in English (`desc_en`), if given.
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { println!("{}", idp.desc_en().unwrap_or("")); }
    /// ```
    pub fn desc_en(&self) -> Option<&str> {
        self.desc_en.as_deref()
    }

    /// The provider's icon URL (`logo`), if given.
    ///
    /// ```no_run
    /// # fn f(idp: &authing::ExtIdp) { if let Some(logo) = idp.logo() { println!("{logo}"); } }
    /// ```
    pub fn logo(&self) -> Option<&str> {
        self.logo.as_deref()
    }
}

/// `data` of `link-extidp` (the spec's `GenerateBindExtIdpLinkDataDto`).
#[derive(Deserialize)]
struct LinkData {
    url: String,
}

impl AuthResponse {
    /// The typed answer of `get_identities`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_identities_blocking();
    /// let linked_to_github = response.identities()?.iter().any(|i| i.provider() == "github");
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn identities(&self) -> Result<Vec<Identity>, AuthError> {
        page::list_from_response(self)
    }

    /// The typed answer of `get_ext_idps`.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_ext_idps_blocking();
    /// for idp in response.ext_idp_list()? { println!("{}", idp.name()); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn ext_idp_list(&self) -> Result<Vec<ExtIdp>, AuthError> {
        page::list_from_response(self)
    }

    /// The typed answer of `link_ext_idp`: the URL to open in a browser, where the user
    /// signs in to the provider and the identity is linked (`data.url`).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().link_ext_idp_blocking("my-github", None, None);
    /// println!("open {}", response.ext_idp_link_url()?);
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn ext_idp_link_url(&self) -> Result<String, AuthError> {
        let data: LinkData = self.data_as()?;
        if data.url.trim().is_empty() {
            return Err(AuthError::UnexpectedResponse {
                reason: "url is empty".into(),
            });
        }
        Ok(data.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_identity_ignores_the_providers_tokens_and_its_debug_hides_secrets() {
        let identity: Identity = serde_json::from_value(json!({
            "identityId": "i1", "extIdpId": "e1", "provider": "github", "type": "primary",
            "userIdInIdp": "octocat", "userInfoInIdp": {"access_token": "gho_secret"},
            "originConnIds": ["c1"], "accessToken": "gho_secret", "refreshToken": "r_secret"
        }))
        .unwrap();
        let shown = format!("{identity:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("octocat"), "{shown}");
    }
}
