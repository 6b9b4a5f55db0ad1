//! Deleting the account: how the user proves it is them ([`DeleteAccountVerifyMethod`]) and
//! the proof ([`DeleteAccountPayload`]), the request of `delete_account_request`.

use std::fmt;

use serde_json::{json, Map, Value};

use super::accessors::text_accessors;
use crate::error::InputError;
use crate::model::PasswordEncryptType;
use crate::redact::SecretField;
use crate::validate;

/// How `delete_account_request` proves the user's identity (Java:
/// `DeleteAccountVerifyMethod`): a passcode sent by SMS or email on
/// `CHANNEL_DELETE_ACCOUNT`, or the password.
///
/// The variants are Java's constants, spelled as on the wire; that is their one name, and
/// what `Debug` and `Display` print.
///
/// ```
/// use authing::DeleteAccountVerifyMethod;
/// assert_eq!(DeleteAccountVerifyMethod::PASSWORD.as_str(), "PASSWORD");
/// assert_eq!(format!("{:?}", DeleteAccountVerifyMethod::EMAIL_PASSCODE), "EMAIL_PASSCODE");
/// assert_eq!(DeleteAccountVerifyMethod::PHONE_PASSCODE.to_string(), "PHONE_PASSCODE");
/// ```
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeleteAccountVerifyMethod {
    /// A passcode sent to the account's email address.
    EMAIL_PASSCODE,
    /// A passcode sent by SMS to the account's phone.
    PHONE_PASSCODE,
    /// The account's password (the way for a user with neither phone nor email).
    PASSWORD,
}

impl DeleteAccountVerifyMethod {
    /// The name on the wire.
    ///
    /// ```
    /// assert_eq!(authing::DeleteAccountVerifyMethod::EMAIL_PASSCODE.as_str(), "EMAIL_PASSCODE");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DeleteAccountVerifyMethod::EMAIL_PASSCODE => "EMAIL_PASSCODE",
            DeleteAccountVerifyMethod::PHONE_PASSCODE => "PHONE_PASSCODE",
            DeleteAccountVerifyMethod::PASSWORD => "PASSWORD",
        }
    }
}

impl fmt::Debug for DeleteAccountVerifyMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for DeleteAccountVerifyMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The proof `delete_account_request` sends (Java: `DeleteAccountPayload`).
///
/// - [`PHONE_PASSCODE`](DeleteAccountVerifyMethod::PHONE_PASSCODE): the account's phone
///   number, optionally its country code, and the passcode sent to it on
///   `CHANNEL_DELETE_ACCOUNT`;
/// - [`EMAIL_PASSCODE`](DeleteAccountVerifyMethod::EMAIL_PASSCODE): the passcode sent to the
///   account's email on `CHANNEL_DELETE_ACCOUNT`, and optionally the email itself (the
///   spec's DTO requires only the passcode);
/// - [`PASSWORD`](DeleteAccountVerifyMethod::PASSWORD): the password, and how it travels
///   ([`set_password_encrypt_type`](Self::set_password_encrypt_type), `none` by default).
///
/// Checked before anything is sent (status code 10010), as the recovery payload is: a
/// field of another method (an email on a phone request) is an error, not silently
/// dropped. Android sends the password in plain text whatever its encrypt type says; here
/// `rsa` and `sm2` encrypt it. `Debug` never shows the pass code or the password.
///
/// ```
/// use authing::{DeleteAccountPayload, PasswordEncryptType};
/// let mut delete_account_payload = DeleteAccountPayload::new();
/// delete_account_payload.set_password("passw0rd");
/// delete_account_payload.set_password_encrypt_type(PasswordEncryptType::none);
/// assert!(!format!("{delete_account_payload:?}").contains("passw0rd"));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DeleteAccountPayload {
    phone_number: Option<String>,
    phone_country_code: Option<String>,
    email: Option<String>,
    pass_code: Option<String>,
    password: Option<String>,
    password_encrypt_type: Option<PasswordEncryptType>,
}

/// A payload checked for its method; the password still in plain text.
pub(crate) enum Checked<'a> {
    Phone {
        phone_number: &'a str,
        phone_country_code: Option<String>,
        pass_code: &'a str,
    },
    Email {
        email: Option<&'a str>,
        pass_code: &'a str,
    },
    Password {
        password: &'a str,
        encrypt_type: PasswordEncryptType,
    },
}

impl DeleteAccountPayload {
    /// An empty payload (Java: `new DeleteAccountPayload()`).
    ///
    /// ```
    /// assert_eq!(authing::DeleteAccountPayload::new().email(), None);
    /// ```
    pub fn new() -> DeleteAccountPayload {
        DeleteAccountPayload::default()
    }

    /// Sets how the password travels (Java: `setPasswordEncryptType`); `none` when unset.
    ///
    /// ```
    /// authing::DeleteAccountPayload::new().set_password_encrypt_type(authing::PasswordEncryptType::rsa);
    /// ```
    pub fn set_password_encrypt_type(&mut self, encrypt_type: PasswordEncryptType) -> &mut Self {
        self.password_encrypt_type = Some(encrypt_type);
        self
    }

    /// How the password travels (Java: `getPasswordEncryptType`): `none` when unset.
    ///
    /// ```
    /// use authing::{DeleteAccountPayload, PasswordEncryptType};
    /// assert_eq!(DeleteAccountPayload::new().password_encrypt_type(), PasswordEncryptType::none);
    /// ```
    pub fn password_encrypt_type(&self) -> PasswordEncryptType {
        self.password_encrypt_type.unwrap_or_default()
    }

    /// Checks the payload for `method`: the fields it needs, and none of another method's.
    pub(crate) fn check(
        &self,
        method: DeleteAccountVerifyMethod,
    ) -> Result<Checked<'_>, InputError> {
        let set = |value: &Option<String>| value.is_some();
        let fields = [
            ("phone_number", set(&self.phone_number)),
            ("phone_country_code", set(&self.phone_country_code)),
            ("email", set(&self.email)),
            ("pass_code", set(&self.pass_code)),
            ("password", set(&self.password)),
            (
                "password_encrypt_type",
                self.password_encrypt_type.is_some(),
            ),
        ];
        let allowed: &[&str] = match method {
            DeleteAccountVerifyMethod::PHONE_PASSCODE => {
                &["phone_number", "phone_country_code", "pass_code"]
            }
            DeleteAccountVerifyMethod::EMAIL_PASSCODE => &["email", "pass_code"],
            DeleteAccountVerifyMethod::PASSWORD => &["password", "password_encrypt_type"],
        };
        if let Some((field, _)) = fields
            .iter()
            .find(|(field, is_set)| *is_set && !allowed.contains(field))
        {
            return Err(InputError::new(
                field,
                format!(
                    "is set, but the verify method is {method}; clear it or use another method"
                ),
            ));
        }
        Ok(match method {
            DeleteAccountVerifyMethod::PHONE_PASSCODE => Checked::Phone {
                phone_number: validate::phone_number("phone_number", self.phone_number.as_deref())?,
                phone_country_code: self
                    .phone_country_code
                    .as_deref()
                    .map(|c| validate::country_code("phone_country_code", c))
                    .transpose()?
                    .map(|c| c.into_owned()),
                pass_code: validate::pass_code("pass_code", self.pass_code.as_deref())?,
            },
            DeleteAccountVerifyMethod::EMAIL_PASSCODE => Checked::Email {
                email: self
                    .email
                    .as_deref()
                    .map(|e| validate::email("email", Some(e)))
                    .transpose()?,
                pass_code: validate::pass_code("pass_code", self.pass_code.as_deref())?,
            },
            DeleteAccountVerifyMethod::PASSWORD => Checked::Password {
                password: validate::password("password", self.password.as_deref())?,
                encrypt_type: self.password_encrypt_type(),
            },
        })
    }
}

text_accessors! {
    DeleteAccountPayload;
    phone_number, set_phone_number, "PhoneNumber", "18812345678", "account's phone number, without its country code";
    ///
    /// `"86"` is sent as `"+86"`.
    phone_country_code, set_phone_country_code, "PhoneCountryCode", "+86", "phone's country code";
    email, set_email, "Email", "someone@example.com", "account's email address";
    pass_code, set_pass_code, "PassCode", "1234", "passcode sent on `CHANNEL_DELETE_ACCOUNT`";
    password, set_password, "Password", "passw0rd", "account's password";
}

impl Checked<'_> {
    /// The body of `POST /api/v3/verify-delete-account-request`; `wire_password` is the
    /// password as it goes on the wire (sealed), for the `PASSWORD` method.
    pub(crate) fn body(&self, wire_password: &str) -> Value {
        match self {
            Checked::Phone {
                phone_number,
                phone_country_code,
                pass_code,
            } => {
                let mut payload = Map::new();
                payload.insert("phoneNumber".into(), json!(phone_number));
                payload.insert("passCode".into(), json!(pass_code));
                if let Some(code) = phone_country_code {
                    payload.insert("phoneCountryCode".into(), json!(code));
                }
                json!({"verifyMethod": "PHONE_PASSCODE", "phonePassCodePayload": payload})
            }
            Checked::Email { email, pass_code } => {
                let mut payload = Map::new();
                if let Some(email) = email {
                    payload.insert("email".into(), json!(email));
                }
                payload.insert("passCode".into(), json!(pass_code));
                json!({"verifyMethod": "EMAIL_PASSCODE", "emailPassCodePayload": payload})
            }
            Checked::Password { encrypt_type, .. } => json!({
                "verifyMethod": "PASSWORD",
                "passwordPayload": {
                    "password": wire_password,
                    "passwordEncryptType": encrypt_type.as_str(),
                },
            }),
        }
    }
}

impl fmt::Debug for DeleteAccountPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeleteAccountPayload")
            .field("phone_number", &self.phone_number)
            .field("phone_country_code", &self.phone_country_code)
            .field("email", &self.email)
            .field("pass_code", &SecretField(&self.pass_code))
            .field("password", &SecretField(&self.password))
            .field("password_encrypt_type", &self.password_encrypt_type)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_method_sends_only_its_own_payload() {
        let mut phone = DeleteAccountPayload::new();
        phone
            .set_phone_number("18812345678")
            .set_phone_country_code("86")
            .set_pass_code("1234");
        let body = phone
            .check(DeleteAccountVerifyMethod::PHONE_PASSCODE)
            .unwrap()
            .body("");
        assert_eq!(
            body,
            json!({"verifyMethod": "PHONE_PASSCODE", "phonePassCodePayload":
                {"phoneNumber": "18812345678", "phoneCountryCode": "+86", "passCode": "1234"}})
        );
        let mut email = DeleteAccountPayload::new();
        email.set_pass_code("1234");
        assert_eq!(
            email
                .check(DeleteAccountVerifyMethod::EMAIL_PASSCODE)
                .unwrap()
                .body(""),
            json!({"verifyMethod": "EMAIL_PASSCODE", "emailPassCodePayload": {"passCode": "1234"}})
        );
        let mut password = DeleteAccountPayload::new();
        password.set_password("pw-1");
        assert_eq!(
            password
                .check(DeleteAccountVerifyMethod::PASSWORD)
                .unwrap()
                .body("sealed"),
            json!({"verifyMethod": "PASSWORD", "passwordPayload":
                {"password": "sealed", "passwordEncryptType": "none"}})
        );
    }

    #[test]
    fn a_field_of_another_method_or_a_missing_one_is_named() {
        let mut payload = DeleteAccountPayload::new();
        payload.set_email("a@b.co").set_pass_code("1234");
        let error = payload
            .check(DeleteAccountVerifyMethod::PHONE_PASSCODE)
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            "invalid input: email is set, but the verify method is PHONE_PASSCODE; clear it or use another method"
        );
        let error = DeleteAccountPayload::new()
            .check(DeleteAccountVerifyMethod::PASSWORD)
            .err()
            .unwrap();
        assert_eq!(error.to_string(), "invalid input: password is missing");
    }
}
