//! Fast authentication ("快速认证") by QR code: the signed-in user's side shows a code
//! ([`FastpassQrCode`], made with [`FastpassOptions`]); the app that scans it lists the
//! client apps it can sign in to ([`FastpassApp`]) and signs in as that user.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::error::{AuthError, InputError};
use crate::redact::RedactedJson;
use crate::response::AuthResponse;

/// The longest `scope` sent (a few dozen scope words fit in far less).
const MAX_SCOPE_LEN: usize = 1024;

/// A text field that may be absent or `null` (then empty).
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    })
}

/// The options of [`gene_fastpass_qrcode_info`](crate::AuthClient::gene_fastpass_qrcode_info)
/// (the spec's `SignInFastpassDto.options`; Java: `SignInFastpassDto`): all optional.
///
/// | setting | wire | what it is |
/// |---|---|---|
/// | [`set_scope`](Self::set_scope) | `scope` | the scope of the tokens the scanning app gets (space-separated words) |
/// | [`set_context`](Self::set_context) | `context` | a JSON object handed to the server's pipeline |
/// | [`set_custom_data`](Self::set_custom_data) | `customData` | a JSON object stored on the user |
///
/// Checked when the call starts (status code 10010, nothing sent): the scope is 1 to 1024
/// visible ASCII characters, the context and custom data are JSON objects.
///
/// ```
/// let mut options = authing::FastpassOptions::new();
/// options.set_scope("openid profile offline_access");
/// assert_eq!(options.scope(), Some("openid profile offline_access"));
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FastpassOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<Value>,
}

/// Secret-looking keys of the context and custom data show as `<redacted>`, as in
/// [`AuthOptions`](crate::AuthOptions).
impl std::fmt::Debug for FastpassOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastpassOptions")
            .field("scope", &self.scope)
            .field("context", &self.context.as_ref().map(RedactedJson))
            .field("custom_data", &self.custom_data.as_ref().map(RedactedJson))
            .finish()
    }
}

impl FastpassOptions {
    /// No option set: the server's defaults.
    ///
    /// ```
    /// assert_eq!(authing::FastpassOptions::new().scope(), None);
    /// ```
    pub fn new() -> FastpassOptions {
        FastpassOptions::default()
    }

    /// Sets the scope of the tokens the scanning app gets (`scope`).
    ///
    /// ```
    /// authing::FastpassOptions::new().set_scope("openid profile");
    /// ```
    pub fn set_scope(&mut self, scope: impl Into<String>) -> &mut Self {
        self.scope = Some(scope.into());
        self
    }

    /// The scope set, if any.
    ///
    /// ```
    /// assert_eq!(authing::FastpassOptions::new().scope(), None);
    /// ```
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// Sets the `context`, a JSON object for the server's pipeline.
    ///
    /// ```
    /// authing::FastpassOptions::new().set_context(serde_json::json!({"source": "desktop"}));
    /// ```
    pub fn set_context(&mut self, context: Value) -> &mut Self {
        self.context = Some(context);
        self
    }

    /// The context set, if any.
    ///
    /// ```
    /// assert_eq!(authing::FastpassOptions::new().context(), None);
    /// ```
    pub fn context(&self) -> Option<&Value> {
        self.context.as_ref()
    }

    /// Sets the `customData`, a JSON object stored on the user.
    ///
    /// ```
    /// authing::FastpassOptions::new().set_custom_data(serde_json::json!({"seat": "12A"}));
    /// ```
    pub fn set_custom_data(&mut self, custom_data: Value) -> &mut Self {
        self.custom_data = Some(custom_data);
        self
    }

    /// The custom data set, if any.
    ///
    /// ```
    /// assert_eq!(authing::FastpassOptions::new().custom_data(), None);
    /// ```
    pub fn custom_data(&self) -> Option<&Value> {
        self.custom_data.as_ref()
    }

    /// Checks the options (what goes on the wire is the struct itself, fields in order).
    pub(crate) fn check(&self) -> Result<(), InputError> {
        if let Some(scope) = &self.scope {
            let visible = scope.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
            if scope.trim().is_empty() || scope.len() > MAX_SCOPE_LEN || !visible {
                return Err(InputError::new(
                    "scope",
                    "must be 1 to 1024 visible ascii characters",
                ));
            }
        }
        if self.context.as_ref().is_some_and(|c| !c.is_object()) {
            return Err(InputError::new("context", "must be a json object"));
        }
        if self.custom_data.as_ref().is_some_and(|c| !c.is_object()) {
            return Err(InputError::new("custom_data", "must be a json object"));
        }
        Ok(())
    }
}

/// Who a fast authentication code is for, or whose pool it is (the spec's `user` and
/// `userpool` of `GeneFastpassQRCodeRespDto`): an id, a display name and a photo URL.
///
/// ```no_run
/// # let response = authing::AuthClient::new().gene_fastpass_qrcode_info_blocking(None);
/// let code = response.fastpass_qr_code()?;
/// println!("{} ({})", code.user().display_name(), code.user().id());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FastpassParty {
    #[serde(default, deserialize_with = "text")]
    id: String,
    #[serde(default, deserialize_with = "text")]
    display_name: String,
    #[serde(default, deserialize_with = "text")]
    photo: String,
}

impl FastpassParty {
    /// Its id.
    ///
    /// ```no_run
    /// # fn f(p: &authing::FastpassParty) { println!("{}", p.id()); }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its display name.
    ///
    /// ```no_run
    /// # fn f(p: &authing::FastpassParty) { println!("{}", p.display_name()); }
    /// ```
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// Its photo (a URL; empty when it has none).
    ///
    /// ```no_run
    /// # fn f(p: &authing::FastpassParty) { println!("{}", p.photo()); }
    /// ```
    pub fn photo(&self) -> &str {
        &self.photo
    }
}

/// The answer of [`gene_fastpass_qrcode_info`](crate::AuthClient::gene_fastpass_qrcode_info)
/// (the spec's `GeneFastpassQRCodeInfoDto`): what the code carries to the app that scans it.
///
/// ```no_run
/// # let response = authing::AuthClient::new().gene_fastpass_qrcode_info_blocking(None);
/// let code = response.fastpass_qr_code()?;
/// println!("draw {}", code.content());
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FastpassQrCode {
    qrcode_id: String,
    #[serde(default, deserialize_with = "text")]
    scene: String,
    #[serde(default, deserialize_with = "text")]
    app_id: String,
    #[serde(default, deserialize_with = "text")]
    api_host: String,
    user: FastpassParty,
    userpool: FastpassParty,
    #[serde(skip)]
    content: String,
}

impl FastpassQrCode {
    /// The code's id (`qrcodeId`), for [`get_qr_code_status`](crate::AuthClient::get_qr_code_status)
    /// and the scanning app's calls.
    ///
    /// ```no_run
    /// # fn f(c: &authing::FastpassQrCode) { println!("{}", c.qrcode_id()); }
    /// ```
    pub fn qrcode_id(&self) -> &str {
        &self.qrcode_id
    }

    /// The scene the code is for (`scene`).
    ///
    /// ```no_run
    /// # fn f(c: &authing::FastpassQrCode) { println!("{}", c.scene()); }
    /// ```
    pub fn scene(&self) -> &str {
        &self.scene
    }

    /// The app the code signs in to (`appId`).
    ///
    /// ```no_run
    /// # fn f(c: &authing::FastpassQrCode) { println!("{}", c.app_id()); }
    /// ```
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The API host the scanning app talks to (`apiHost`).
    ///
    /// ```no_run
    /// # fn f(c: &authing::FastpassQrCode) { println!("{}", c.api_host()); }
    /// ```
    pub fn api_host(&self) -> &str {
        &self.api_host
    }

    /// The signed-in user the code is for (`user`).
    ///
    /// ```no_run
    /// # fn f(c: &authing::FastpassQrCode) { println!("{}", c.user().display_name()); }
    /// ```
    pub fn user(&self) -> &FastpassParty {
        &self.user
    }

    /// The user pool (`userpool`).
    ///
    /// ```no_run
    /// # fn f(c: &authing::FastpassQrCode) { println!("{}", c.userpool().id()); }
    /// ```
    pub fn userpool(&self) -> &FastpassParty {
        &self.userpool
    }

    /// The text to encode in the QR code: the answer's `data` as compact JSON, every field
    /// the scanning app needs (`qrcodeId`, `appId`, `apiHost`, `scene`, …).
    ///
    /// ```no_run
    /// # fn f(c: &authing::FastpassQrCode) { assert!(c.content().contains(c.qrcode_id())); }
    /// ```
    pub fn content(&self) -> &str {
        &self.content
    }

    fn from_response(response: &AuthResponse) -> Result<FastpassQrCode, AuthError> {
        let data = data_of(response)?;
        let mut code: FastpassQrCode = serde_json::from_value(data.clone())
            .map_err(|e| unexpected(&format!("the fast authentication code: {e}")))?;
        if code.qrcode_id.is_empty() {
            return Err(unexpected("the answer has an empty qrcodeId"));
        }
        code.content = data.to_string();
        Ok(code)
    }
}

/// A client app the scanned code can sign in to (the spec's `relationApps` item of
/// `GetFastpassQRCodeRelationAppsRespDto`).
///
/// ```no_run
/// # let response = authing::AuthClient::new().get_fastpass_params_blocking("qrcode-id", "app-id");
/// for app in response.fastpass_apps()? { println!("{} {}", app.id(), app.name()); }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FastpassApp {
    #[serde(deserialize_with = "text")]
    id: String,
    #[serde(default, deserialize_with = "text")]
    name: String,
    #[serde(default, deserialize_with = "text")]
    logo: String,
}

impl FastpassApp {
    /// The app's id.
    ///
    /// ```no_run
    /// # fn f(a: &authing::FastpassApp) { println!("{}", a.id()); }
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The app's name.
    ///
    /// ```no_run
    /// # fn f(a: &authing::FastpassApp) { println!("{}", a.name()); }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The app's logo (a URL; empty when it has none).
    ///
    /// ```no_run
    /// # fn f(a: &authing::FastpassApp) { println!("{}", a.logo()); }
    /// ```
    pub fn logo(&self) -> &str {
        &self.logo
    }
}

fn data_of(response: &AuthResponse) -> Result<&Value, AuthError> {
    if let Some(error) = response.error() {
        return Err(error.clone());
    }
    response
        .data()
        .ok_or_else(|| unexpected("the answer has no data"))
}

fn unexpected(reason: &str) -> AuthError {
    AuthError::UnexpectedResponse {
        reason: reason.to_string(),
    }
}

// The typed views of the fast authentication answers.
impl AuthResponse {
    /// The typed answer of
    /// [`gene_fastpass_qrcode_info`](crate::AuthClient::gene_fastpass_qrcode_info): the code
    /// to show.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().gene_fastpass_qrcode_info_blocking(None);
    /// match response.fastpass_qr_code() {
    ///     Ok(code) => println!("draw {}", code.content()),
    ///     Err(error) => println!("{error}"),
    /// }
    /// ```
    pub fn fastpass_qr_code(&self) -> Result<FastpassQrCode, AuthError> {
        FastpassQrCode::from_response(self)
    }

    /// The typed answer of [`get_fastpass_params`](crate::AuthClient::get_fastpass_params):
    /// the client apps the scanned code can sign in to (`relationApps`; none when absent).
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_fastpass_params_blocking("qrcode-id", "app-id");
    /// if let Ok(apps) = response.fastpass_apps() {
    ///     println!("{} app(s)", apps.len());
    /// }
    /// ```
    pub fn fastpass_apps(&self) -> Result<Vec<FastpassApp>, AuthError> {
        let data = data_of(self)?;
        match data.get("relationApps") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(apps) => serde_json::from_value(apps.clone())
                .map_err(|e| unexpected(&format!("relationApps: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_are_checked_before_anything_is_sent() {
        let mut options = FastpassOptions::new();
        assert!(options.check().is_ok());
        options.set_scope("openid\nprofile");
        assert_eq!(options.check().unwrap_err().field, "scope");
        options.set_scope("openid profile");
        options.set_context(json!([1]));
        assert_eq!(options.check().unwrap_err().field, "context");
        options.set_context(json!({"a": 1}));
        options.set_custom_data(json!("x"));
        assert_eq!(options.check().unwrap_err().field, "custom_data");
        options.set_custom_data(json!({"b": 2}));
        assert!(options.check().is_ok());
        assert_eq!(
            serde_json::to_string(&options).unwrap(),
            r#"{"scope":"openid profile","context":{"a":1},"customData":{"b":2}}"#
        );
    }
}
