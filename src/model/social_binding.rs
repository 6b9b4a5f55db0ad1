//! Social account binding (`/api/v2/ecConn/wechatMobile/*`): the "identity needs binding"
//! answer of a first WeChat mobile sign-in ([`SocialBinding`]), and the bodies of the six
//! ways to finish it, each with its local checks.

use std::fmt;

use serde_json::{json, Map, Value};

use crate::error::{ApiCode, InputError};
use crate::response::AuthResponse;
use crate::validate;

/// The `type` of the WeChat mobile connection in the app's public config.
pub(crate) const WECHAT_MOBILE_EC_TYPE: &str = "wechat:mobile";

/// The `statusCode` of the "identity needs binding" answer (the spec's
/// `WechatIdentityResolveRespDto`).
pub(crate) const NEEDS_BINDING_STATUS: i32 = 301;

/// The answer of a first WeChat mobile sign-in whose identity is bound to no account yet
/// (Java: `authByCodeIdentity`'s `WechatIdentityResolveRespDto`; statusCode 301, apiCode
/// [`ApiCode::BIND_EXISTING_ACCOUNT`] 1640 or [`ApiCode::BIND_OR_CREATE_ACCOUNT`] 1641):
/// the key that names the pending sign-in, the ways the app may bind it and the existing
/// accounts that match the identity. Read it with
/// [`AuthResponse::social_binding`]; then finish the sign-in with one of
/// [`register_new_user`](crate::AuthClient::register_new_user) (1641 only),
/// [`bind_by_email_code`](crate::AuthClient::bind_by_email_code),
/// [`bind_by_phone_code`](crate::AuthClient::bind_by_phone_code),
/// [`bind_by_account`](crate::AuthClient::bind_by_account),
/// [`select_account`](crate::AuthClient::select_account) or
/// [`bind_by_account_id`](crate::AuthClient::bind_by_account_id).
///
/// The key is a secret: `Debug` hides it.
///
/// ```
/// use authing::AuthClient;
/// use authing::emulator::{Emulator, NewProviderCode};
///
/// let emulator = Emulator::start()?;
/// let code = emulator.add_provider_code(NewProviderCode::new("wechat", "wx-new-1"))?;
/// let client = AuthClient::builder().app_id(emulator.app_id()).app_host(emulator.base_url()).build()?;
/// let response = client.auth_by_code_identity_blocking(&code, None);
/// let binding = response.social_binding().expect("a new identity needs binding");
/// assert!(binding.may_register());
/// assert!(!binding.key().is_empty());
/// assert!(!format!("{binding:?}").contains(binding.key()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SocialBinding {
    key: String,
    methods: Vec<String>,
    accounts: Vec<String>,
    api_code: ApiCode,
}

impl fmt::Debug for SocialBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocialBinding")
            .field("key", &"<redacted>")
            .field("methods", &self.methods)
            .field("accounts", &self.accounts)
            .field("api_code", &self.api_code)
            .finish()
    }
}

impl SocialBinding {
    /// Reads the answer: `None` unless it is statusCode 301 with apiCode 1640 or 1641 and
    /// a non-empty `data.key`.
    pub(crate) fn from_response(response: &AuthResponse) -> Option<SocialBinding> {
        if response.status_code() != NEEDS_BINDING_STATUS {
            return None;
        }
        let api_code = ApiCode(response.api_code());
        if api_code != ApiCode::BIND_EXISTING_ACCOUNT && api_code != ApiCode::BIND_OR_CREATE_ACCOUNT
        {
            return None;
        }
        let data = response.data()?;
        let key = data
            .get("key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())?
            .to_string();
        let list = |field: &str| -> Vec<String> {
            data.get(field)
                .and_then(Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(SocialBinding {
            key,
            methods: list("methods"),
            accounts: list("accounts"),
            api_code,
        })
    }

    /// The key of the pending sign-in (`data.key`), the first argument of every binding
    /// call. A secret: never log it.
    ///
    /// ```no_run
    /// # fn f(binding: authing::SocialBinding) {
    /// let key = binding.key().to_string();
    /// # let _ = key; }
    /// ```
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The ways the app offers to bind (`data.methods`), as the server names them, such
    /// as `"email-code"`, `"phone-code"`, `"username-password"`; empty when it names none.
    ///
    /// ```no_run
    /// # fn f(binding: authing::SocialBinding) {
    /// if binding.methods().iter().any(|m| m == "email-code") { /* offer the email code */ }
    /// # }
    /// ```
    pub fn methods(&self) -> &[String] {
        &self.methods
    }

    /// The ids of the existing accounts that match the identity (`data.accounts`), for
    /// [`select_account`](crate::AuthClient::select_account); empty when none does.
    ///
    /// ```no_run
    /// # fn f(binding: authing::SocialBinding) {
    /// for account_id in binding.accounts() { println!("candidate: {account_id}"); }
    /// # }
    /// ```
    pub fn accounts(&self) -> &[String] {
        &self.accounts
    }

    /// Why: [`ApiCode::BIND_EXISTING_ACCOUNT`] (1640, bind to an existing account only)
    /// or [`ApiCode::BIND_OR_CREATE_ACCOUNT`] (1641, a new account may be created too).
    ///
    /// ```no_run
    /// # fn f(binding: authing::SocialBinding) {
    /// println!("apiCode {}", binding.api_code().as_i32());
    /// # }
    /// ```
    pub fn api_code(&self) -> ApiCode {
        self.api_code
    }

    /// Whether a new account may be created for the identity (apiCode 1641), with
    /// [`register_new_user`](crate::AuthClient::register_new_user).
    ///
    /// ```no_run
    /// # fn f(binding: authing::SocialBinding) {
    /// if binding.may_register() { /* show "create a new account" */ }
    /// # }
    /// ```
    pub fn may_register(&self) -> bool {
        self.api_code == ApiCode::BIND_OR_CREATE_ACCOUNT
    }
}

/// # Social account binding
impl AuthResponse {
    /// The "identity needs binding" answer of
    /// [`auth_by_code_identity`](crate::AuthClient::auth_by_code_identity): `Some` for
    /// statusCode 301 with apiCode 1640 or 1641 and a key, `None` for any other answer
    /// (a sign-in, a refusal).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().auth_by_code_identity_blocking("code-from-wechat", None);
    /// match response.social_binding() {
    ///     Some(binding) => println!("bind to one of {:?}", binding.accounts()),
    ///     None if response.is_success() => println!("signed in"),
    ///     None => println!("refused: {}", response.message()),
    /// }
    /// ```
    pub fn social_binding(&self) -> Option<SocialBinding> {
        SocialBinding::from_response(self)
    }

    /// Whether this answer asks to bind the WeChat identity to an account (see
    /// [`social_binding`](Self::social_binding)).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().auth_by_code_identity_blocking("code-from-wechat", None);
    /// if response.needs_social_binding() { /* show the binding screen */ }
    /// ```
    pub fn needs_social_binding(&self) -> bool {
        self.social_binding().is_some()
    }
}

/// Reads an answer of the WeChat mobile endpoints, asked for as plain JSON: the v3
/// envelope (`statusCode`) as it is; the v2 envelope (`{code, message, data}`, Guard's
/// form) as the same envelope; the bare token set the spec shows as it is (a success, the
/// tokens as `data`).
pub(crate) fn read_answer(response: AuthResponse) -> AuthResponse {
    let v2 = response.is_success()
        && response.data().is_some_and(|data| {
            data.get("code").is_some_and(Value::is_i64)
                && data.get("statusCode").is_none()
                && data.get("access_token").is_none()
        });
    if !v2 {
        return response;
    }
    let Some(Value::Object(mut body)) = response.data else {
        return AuthResponse::from_error(crate::error::AuthError::UnreadableBody {
            reason: "the answer is not an object".into(),
            source: None,
        });
    };
    if let Some(code) = body.remove("code") {
        body.insert("statusCode".into(), code);
    }
    crate::response::from_envelope(Value::Object(body), None)
        .unwrap_or_else(AuthResponse::from_error)
}

/// One way to finish a pending WeChat mobile sign-in: its endpoint, its `action` and its
/// fields. The codes and the password are secrets: `Debug` names only the way.
pub(crate) enum Binding {
    /// `registerNewUser`: a new account from the identity's profile.
    Register,
    /// `bindByEmailCode`: the account of an email, proved by a code sent to it.
    EmailCode { email: String, code: String },
    /// `bindByPhoneCode`: the account of a phone number, proved by a code sent to it.
    PhoneCode {
        phone_country_code: Option<String>,
        phone: String,
        code: String,
    },
    /// `bindByAccount`: the account of a username, phone or email, proved by its password.
    Account { account: String, password: String },
    /// `selectAccount`: one of the candidate accounts of the answer.
    Select { account_id: String },
    /// `bindByAccountId`: an account named by its id.
    AccountId { account_id: String },
}

impl fmt::Debug for Binding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Binding({}, <redacted>)", self.action())
    }
}

/// The longest account (username, phone or email) sent, in characters.
const MAX_ACCOUNT_CHARS: usize = 256;

impl Binding {
    /// The endpoint.
    pub(crate) fn path(&self) -> &'static str {
        match self {
            Binding::Register => "/api/v2/ecConn/wechatMobile/register",
            Binding::EmailCode { .. } => "/api/v2/ecConn/wechatMobile/byEmailCode",
            Binding::PhoneCode { .. } => "/api/v2/ecConn/wechatMobile/byPhoneCode",
            Binding::Account { .. } => "/api/v2/ecConn/wechatMobile/byAccount",
            Binding::Select { .. } => "/api/v2/ecConn/wechatMobile/select",
            Binding::AccountId { .. } => "/api/v2/ecConn/wechatMobile/byAccountId",
        }
    }

    /// The body's `action`, as the spec's examples and Android's `AuthClient` send it.
    pub(crate) fn action(&self) -> &'static str {
        match self {
            Binding::Register => "create-federation-account",
            Binding::EmailCode { .. } => "bind-identity-by-email-code",
            Binding::PhoneCode { .. } => "bind-identity-by-phone-code",
            Binding::Account { .. } => "bind-identity-by-password",
            Binding::Select { .. } => "bind-identity-by-selection",
            Binding::AccountId { .. } => "bind-identity-by-account-id",
        }
    }

    /// Checks the key and every field (10010); the messages name the field, never a
    /// secret's value. Answers the body: `action`, `key`, then the way's fields in the
    /// spec's order (a country code normalized to `+86` form).
    pub(crate) fn body(&self, key: &str) -> Result<Value, InputError> {
        let key = validate::token("key", Some(key))?;
        let mut body = Map::new();
        body.insert("action".into(), self.action().into());
        body.insert("key".into(), key.into());
        match self {
            Binding::Register => {}
            Binding::EmailCode { email, code } => {
                let email = validate::email("email", Some(email))?;
                let code = validate::pass_code("code", Some(code))?;
                body.insert("email".into(), email.into());
                body.insert("code".into(), code.into());
            }
            Binding::PhoneCode {
                phone_country_code,
                phone,
                code,
            } => {
                let phone = validate::phone_number("phone", Some(phone))?;
                let code = validate::pass_code("code", Some(code))?;
                body.insert("phone".into(), phone.into());
                body.insert("code".into(), code.into());
                if let Some(cc) = phone_country_code {
                    let cc = validate::country_code("phone_country_code", cc)?;
                    body.insert("phoneCountryCode".into(), json!(cc));
                }
            }
            Binding::Account { account, password } => {
                let account = validate::text("account", Some(account), MAX_ACCOUNT_CHARS)?;
                let password = validate::password("password", Some(password))?;
                body.insert("account".into(), account.into());
                body.insert("password".into(), password.into());
            }
            Binding::Select { account_id } => {
                let account_id = validate::code("account_id", account_id)?;
                body.insert("account".into(), account_id.into());
            }
            Binding::AccountId { account_id } => {
                let account_id = validate::code("account_id", account_id)?;
                body.insert("accountId".into(), account_id.into());
            }
        }
        Ok(Value::Object(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: i32, api_code: i32, data: Value) -> AuthResponse {
        let mut response = AuthResponse::from_error(crate::error::AuthError::Config("x".into()));
        response.status_code = status;
        response.api_code = api_code;
        response.data = Some(data);
        response
    }

    #[test]
    fn only_a_301_with_1640_or_1641_and_a_key_is_a_binding() {
        let data = json!({"key": "k-1", "methods": ["email-code"], "accounts": ["u-1", 7]});
        let binding = answer(301, 1641, data.clone()).social_binding().unwrap();
        assert_eq!(binding.key(), "k-1");
        assert_eq!(binding.methods(), ["email-code"]);
        assert_eq!(binding.accounts(), ["u-1"]);
        assert!(binding.may_register());
        assert!(!answer(301, 1640, data.clone())
            .social_binding()
            .unwrap()
            .may_register());
        assert!(answer(301, 1642, data.clone()).social_binding().is_none());
        assert!(answer(200, 1641, data).social_binding().is_none());
        assert!(answer(301, 1641, json!({"key": ""}))
            .social_binding()
            .is_none());
    }

    #[test]
    fn the_v2_envelope_and_the_bare_token_set_are_read_as_the_v3_envelope_is() {
        let v2 = crate::response::from_plain_json(
            json!({"code": 301, "message": "bind", "apiCode": 1641, "data": {"key": "k"}}),
        );
        let read = read_answer(v2);
        assert_eq!(read.status_code(), 301);
        assert_eq!(read.social_binding().unwrap().key(), "k");
        let bare = json!({"access_token": "at", "token_type": "Bearer", "expire_in": 7200});
        let read = read_answer(crate::response::from_plain_json(bare.clone()));
        assert_eq!(read.status_code(), 200);
        assert_eq!(read.data(), Some(&bare));
    }

    #[test]
    fn a_binding_checks_its_fields_and_hides_its_secrets() {
        let way = Binding::EmailCode {
            email: "a@example.com".into(),
            code: "1234".into(),
        };
        assert_eq!(
            way.body("k").unwrap(),
            json!({"action": "bind-identity-by-email-code", "key": "k", "email": "a@example.com", "code": "1234"})
        );
        assert!(!format!("{way:?}").contains("1234"));
        assert_eq!(way.body(" ").unwrap_err().field, "key");
        let way = Binding::PhoneCode {
            phone_country_code: Some("86".into()),
            phone: "+8618812345678".into(),
            code: "1234".into(),
        };
        assert_eq!(way.body("k").unwrap_err().field, "phone");
        let way = Binding::Account {
            account: "mike".into(),
            password: "s3cret\n".into(),
        };
        let error = way.body("k").unwrap_err();
        assert_eq!(error.field, "password");
        assert!(!error.to_string().contains("s3cret"));
    }
}
