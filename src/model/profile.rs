//! The profile family's payloads and typed answers: [`Profile`] (what `update_profile`
//! changes), [`PasswordStrength`] (the local strength check) and [`SecurityInfo`] (the
//! answer of `get_security_level`).

use std::fmt;

use serde_json::Value;

use super::accessors::profile_fields;
use super::wire_enum::wire_enum;
use crate::error::{AuthError, InputError};
use crate::response::AuthResponse;
use crate::validate;

/// The longest profile text accepted, in characters.
const MAX_PROFILE_TEXT: usize = 4096;

/// How a profile field is checked.
#[derive(Clone, Copy)]
enum Check {
    Text,
    Username,
    Gender,
}

profile_fields! {
/// What [`update_profile`](crate::AuthClient::update_profile) changes (Java:
/// `Profile`; the spec's `UpdateUserProfileDto`).
///
/// Every field of the spec's DTO has a setter (`set_nickname`) and a getter
/// (`nickname()`). Only the fields you set are sent; the others stay as they are on
/// the server. (Android's `Profile` starts with `gender` set to `U` and so resets the
/// gender on every update; here an unset gender is left out.) `set_gender` takes a
/// [`Gender`] (`Gender::M`, Java's `setGender(Gender.M)`) or its text (`"M"`).
///
/// `region` is the one field outside the spec's DTO: Android's `Profile` sends it,
/// Authing's published `updateProfile` sample sets it, and the spec's `UserDto` answers
/// it, so it is here too (a server that does not know it ignores it). Android's
/// `Profile` also has `device`, `browser`, `givenName`, `familyName`, `middleName`,
/// `profile`, `preferredUsername`, `website`, `zoneinfo`, `locale`, `formatted` and
/// `locality`, which neither the spec's DTO nor Authing's samples use: they are not
/// here. The email, the phone and the password have calls of their own.
///
/// Checked before anything is sent (status code 10010): at least one field set; no
/// value empty, only whitespace, longer than 4096 characters or with control
/// characters; `username` at most 256 characters without whitespace; `gender` one
/// of `M`, `F`, `U`; custom data a JSON object. `Debug` hides the identity number
/// and the custom data's secrets.
///
/// ```
/// let mut profile = authing::Profile::new();
/// profile.set_nickname("Mike").set_gender(authing::Gender::M).set_city("Beijing");
/// profile.set_region("CN");
/// profile.set_custom_data(serde_json::json!({"team": "blue"}));
/// assert_eq!(profile.nickname(), Some("Mike"));
/// assert_eq!(profile.username(), None);
/// ```
    Profile, hidden ["identity_number"];
    name, set_name, "name", "Name", Text, "Mike Li", "real name";
    nickname, set_nickname, "nickname", "Nickname", Text, "Mike", "nickname";
    photo, set_photo, "photo", "Photo", Text, "https://example.com/me.png", "avatar's URL (`upload_avatar` sets it from a file)";
    external_id, set_external_id, "externalId", "ExternalId", Text, "10010", "id in a system of your own";
    birthdate, set_birthdate, "birthdate", "Birthdate", Text, "1990-01-31", "birth date";
    country, set_country, "country", "Country", Text, "CN", "country";
    province, set_province, "province", "Province", Text, "BJ", "province";
    city, set_city, "city", "City", Text, "Beijing", "city";
    region, set_region, "region", "Region", Text, "CN", "region (outside the spec's `UpdateUserProfileDto`; Android's `Profile` sends it)";
    address, set_address, "address", "Address", Text, "1 Main St, Chaoyang", "address";
    street_address, set_street_address, "streetAddress", "StreetAddress", Text, "1 Main St", "street address";
    postal_code, set_postal_code, "postalCode", "PostalCode", Text, "100000", "postal code";
    gender, set_gender, "gender", "Gender", Gender, "M", "gender: a [`Gender`](crate::Gender), or its text `M`, `F` or `U`";
    username, set_username, "username", "Username", Username, "mike", "username, unique in the user pool";
    company, set_company, "company", "Company", Text, "Authing", "company";
    identity_number, set_identity_number, "identityNumber", "IdentityNumber", Text, "420421199001011234", "identity card number (hidden from `Debug`)";
}

impl Profile {
    /// The request body: the fields set, checked, with their spec names.
    pub(crate) fn to_json(&self) -> Result<Value, InputError> {
        let map = self.checked_fields()?;
        if map.is_empty() {
            return Err(InputError::new(
                "profile",
                "sets no field; set at least one (a nickname, a photo, ...) to update",
            ));
        }
        Ok(Value::Object(map))
    }
}

fn check<'a>(field: &'static str, kind: Check, value: &'a str) -> Result<&'a str, InputError> {
    match kind {
        Check::Text => validate::text(field, Some(value), MAX_PROFILE_TEXT),
        Check::Username => {
            let value = validate::text(field, Some(value), validate::MAX_ACCOUNT_LEN)?;
            if value.chars().any(char::is_whitespace) {
                return Err(InputError::new(field, "contains whitespace"));
            }
            Ok(value)
        }
        Check::Gender => match value {
            "M" | "F" | "U" => Ok(value),
            _ => Err(InputError::new(field, "must be M, F or U")),
        },
    }
}

wire_enum! {
    /// A user's gender (Java: `Gender`, Android's `cn.authing.api.params.type.Gender`), the
    /// spec's `gender` enum: what [`Profile::set_gender`] and
    /// [`AuthProfile::set_gender`](crate::AuthProfile::set_gender) take, beside its text.
    ///
    /// Each value has one name, Java's constant, which is also the wire value and what
    /// `Debug` and `Display` print. The setters take `impl Into<String>`, so both
    /// `set_gender(Gender::M)` (Java's `setGender(Gender.M)`) and `set_gender("M")` (Java's
    /// `AuthProfile.setGender("M")`) compile; the text is checked before anything is sent
    /// (10010 for anything but `M`, `F`, `U`). A user's gender as the server answers it is
    /// `Gender::from_text`.
    ///
    /// ```
    /// use authing::{Gender, Profile};
    /// let mut profile = Profile::new();
    /// profile.set_gender(Gender::F);
    /// assert_eq!(profile.gender(), Some("F"));
    /// assert_eq!(Gender::M.as_str(), "M");
    /// assert_eq!(format!("{:?}", Gender::U), "U");
    /// assert_eq!(Gender::from_text("F"), Some(Gender::F));
    /// assert_eq!(Gender::ALL.len(), 3);
    /// ```
    Gender: Serialize {
        /// Male (`M`).
        M,
        /// Female (`F`).
        F,
        /// Unknown (`U`), the server's default.
        U,
    }
}

impl Gender {
    /// The value whose wire text is `text`, spelled exactly (`"M"`, `"F"`, `"U"`), or
    /// `None`: read a user's `gender` with it.
    ///
    /// ```
    /// assert_eq!(authing::Gender::from_text("U"), Some(authing::Gender::U));
    /// assert_eq!(authing::Gender::from_text("m"), None);
    /// ```
    pub fn from_text(text: &str) -> Option<Gender> {
        Gender::from_wire(text)
    }
}

impl From<Gender> for String {
    /// The wire text, so that a `Gender` goes wherever a setter takes `impl Into<String>`.
    ///
    /// ```
    /// assert_eq!(String::from(authing::Gender::M), "M");
    /// ```
    fn from(gender: Gender) -> String {
        gender.as_str().to_string()
    }
}

/// How strong a password is (Java: `PasswordStrength`), as
/// [`compute_password_security_level`](crate::AuthClient::compute_password_security_level)
/// rates it, on this machine, as Android does.
///
/// The variants are Java's constants, and `Debug` and `Display` print them so. They are
/// ordered: `EWeak < EMedium < EStrong`.
///
/// ```
/// use authing::PasswordStrength;
/// assert_eq!(PasswordStrength::of("passw0rd!"), PasswordStrength::EStrong);
/// assert!(PasswordStrength::EWeak < PasswordStrength::EStrong);
/// assert_eq!(format!("{:?}", PasswordStrength::EMedium), "EMedium");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum PasswordStrength {
    /// Shorter than 6 characters, or of one kind of character only.
    EWeak,
    /// Two of the three kinds: letters, digits, special characters.
    EMedium,
    /// All three kinds.
    EStrong,
}

/// The special characters Android's `Validator.hasSpecialCharacter` looks for.
const SPECIAL: &str = "!@#$%&*()_+=|<>?{}[]~-";

impl PasswordStrength {
    /// The strength of `password`, by Android's rule (`UserClient.computePasswordSecurityLevel`):
    /// fewer than 6 characters is weak; otherwise it counts three kinds of character:
    /// letters with a case (Latin, Greek, Cyrillic, ...; Chinese characters have none and
    /// do not count, as in Java), digits (any script's, by `char::is_numeric`, which also
    /// counts a few numerals such as `½` that Java's `isDigit` does not), and the special
    /// characters `!@#$%&*()_+=|<>?{}[]~-`. All three is strong, two is medium, one is weak.
    /// Characters are counted as Unicode scalar values (Java counts UTF-16 units: a password
    /// with emoji can differ by its length alone).
    ///
    /// ```
    /// use authing::PasswordStrength;
    /// assert_eq!(PasswordStrength::of("ab1!"), PasswordStrength::EWeak); // too short
    /// assert_eq!(PasswordStrength::of("abcdefgh"), PasswordStrength::EWeak);
    /// assert_eq!(PasswordStrength::of("abcd1234"), PasswordStrength::EMedium);
    /// assert_eq!(PasswordStrength::of("密码ab12!?"), PasswordStrength::EStrong);
    /// ```
    pub fn of(password: &str) -> PasswordStrength {
        if password.chars().count() < 6 {
            return PasswordStrength::EWeak;
        }
        let letters = password
            .chars()
            .any(|c| c.is_lowercase() || c.is_uppercase());
        let digits = password.chars().any(char::is_numeric);
        let special = password.chars().any(|c| SPECIAL.contains(c));
        match [letters, digits, special]
            .iter()
            .filter(|kind| **kind)
            .count()
        {
            3 => PasswordStrength::EStrong,
            2 => PasswordStrength::EMedium,
            _ => PasswordStrength::EWeak,
        }
    }

    /// The Java name.
    ///
    /// ```
    /// assert_eq!(authing::PasswordStrength::EWeak.as_str(), "EWeak");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordStrength::EWeak => "EWeak",
            PasswordStrength::EMedium => "EMedium",
            PasswordStrength::EStrong => "EStrong",
        }
    }
}

impl fmt::Debug for PasswordStrength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for PasswordStrength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The typed answer of [`get_security_level`](crate::AuthClient::get_security_level): the
/// spec's `GetSecurityInfoDto`, from [`AuthResponse::security_info`].
///
/// ```no_run
/// let response = authing::AuthClient::new().get_security_level_blocking();
/// let info = response.security_info()?;
/// println!("score {} (password level {})", info.security_score(), info.password_security_level());
/// if !info.phone_binded() { println!("bind a phone to make the account safer"); }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityInfo {
    password_security_level: i32,
    mfa_enrolled: bool,
    password_set: bool,
    email_binded: bool,
    phone_binded: bool,
    security_score: f64,
}

impl SecurityInfo {
    fn from_response(response: &AuthResponse) -> Result<SecurityInfo, AuthError> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire {
            password_security_level: Value,
            mfa_enrolled: bool,
            password_set: bool,
            email_binded: bool,
            phone_binded: bool,
            security_score: f64,
        }
        let wire: Wire = response.data_as()?;
        let level =
            crate::response::lenient_i32(&wire.password_security_level).ok_or_else(|| {
                AuthError::UnexpectedResponse {
                    reason: "passwordSecurityLevel is not a whole number".into(),
                }
            })?;
        Ok(SecurityInfo {
            password_security_level: level,
            mfa_enrolled: wire.mfa_enrolled,
            password_set: wire.password_set,
            email_binded: wire.email_binded,
            phone_binded: wire.phone_binded,
            security_score: wire.security_score,
        })
    }

    /// The password's strength level as the server rates it (`passwordSecurityLevel`; the
    /// spec gives no scale: the emulator answers 0 without a password, then 1, 2, 3 for
    /// [`PasswordStrength`]'s weak, medium, strong).
    ///
    /// ```no_run
    /// # fn f(info: authing::SecurityInfo) {
    /// println!("{}", info.password_security_level());
    /// # }
    /// ```
    pub fn password_security_level(&self) -> i32 {
        self.password_security_level
    }

    /// Whether the user has a multi-factor authenticator (`mfaEnrolled`).
    ///
    /// ```no_run
    /// # fn f(info: authing::SecurityInfo) {
    /// println!("{}", info.mfa_enrolled());
    /// # }
    /// ```
    pub fn mfa_enrolled(&self) -> bool {
        self.mfa_enrolled
    }

    /// Whether the user has a password (`passwordSet`).
    ///
    /// ```no_run
    /// # fn f(info: authing::SecurityInfo) {
    /// println!("{}", info.password_set());
    /// # }
    /// ```
    pub fn password_set(&self) -> bool {
        self.password_set
    }

    /// Whether an email address is bound (`emailBinded`, the spec's spelling).
    ///
    /// ```no_run
    /// # fn f(info: authing::SecurityInfo) {
    /// println!("{}", info.email_binded());
    /// # }
    /// ```
    pub fn email_binded(&self) -> bool {
        self.email_binded
    }

    /// Whether a phone number is bound (`phoneBinded`, the spec's spelling).
    ///
    /// ```no_run
    /// # fn f(info: authing::SecurityInfo) {
    /// println!("{}", info.phone_binded());
    /// # }
    /// ```
    pub fn phone_binded(&self) -> bool {
        self.phone_binded
    }

    /// The account's security score (`securityScore`; the spec gives no scale: the
    /// emulator's is 0 to 100, see `docs/EMULATOR.md`).
    ///
    /// ```no_run
    /// # fn f(info: authing::SecurityInfo) {
    /// println!("{}", info.security_score());
    /// # }
    /// ```
    pub fn security_score(&self) -> f64 {
        self.security_score
    }
}

impl AuthResponse {
    /// The typed answer of `get_security_level`.
    ///
    /// ```
    /// # let response = authing::AuthClient::builder().build().unwrap().get_security_level_blocking();
    /// match response.security_info() {
    ///     Ok(info) => println!("score {}", info.security_score()),
    ///     Err(error) => println!("{error}"),
    /// }
    /// ```
    pub fn security_info(&self) -> Result<SecurityInfo, AuthError> {
        SecurityInfo::from_response(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_fields_set_are_sent_with_their_spec_names() {
        let mut profile = Profile::new();
        profile
            .set_street_address("1 Main St")
            .set_external_id("x-1")
            .set_custom_data(json!({"a": 1}));
        assert_eq!(
            profile.to_json().unwrap(),
            json!({"streetAddress": "1 Main St", "externalId": "x-1", "customData": {"a": 1}})
        );
    }

    #[test]
    fn an_empty_profile_and_bad_fields_are_refused_by_name() {
        assert_eq!(
            Profile::new().to_json().unwrap_err().to_string(),
            "invalid input: profile sets no field; set at least one (a nickname, a photo, ...) to update"
        );
        let mut profile = Profile::new();
        profile.set_gender("male");
        assert_eq!(
            profile.to_json().unwrap_err().to_string(),
            "invalid input: profile.gender must be M, F or U"
        );
        let mut profile = Profile::new();
        profile.set_username("mike li");
        assert_eq!(
            profile.to_json().unwrap_err().to_string(),
            "invalid input: profile.username contains whitespace"
        );
    }

    #[test]
    fn debug_hides_the_identity_number_and_custom_secrets() {
        let mut profile = Profile::new();
        profile
            .set_identity_number("420421199001011234")
            .set_custom_data(json!({"apiSecret": "s3cr3t"}));
        let shown = format!("{profile:?}");
        assert!(!shown.contains("4204211990"), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }

    #[test]
    fn the_strength_follows_android_rule_kind_by_kind() {
        use PasswordStrength::*;
        for (password, strength) in [
            ("", EWeak),
            ("a1!a1", EWeak),
            ("aaaaaa", EWeak),
            ("123456", EWeak),
            ("!!!!!!", EWeak),
            ("aaa111", EMedium),
            ("aaa!!!", EMedium),
            ("111!!!", EMedium),
            ("aA1!xx", EStrong),
            ("ÉCOLE1~", EStrong),
            ("١٢٣abc", EMedium), // Arabic-Indic digits count as digits, as in Java
            ("abc def 1", EMedium), // a space is not special
        ] {
            assert_eq!(PasswordStrength::of(password), strength, "{password:?}");
        }
    }
}
