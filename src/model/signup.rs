//! [`AuthProfile`]: the profile a sign-up fills in (Java: `AuthProfile`).

use serde_json::Value;

use super::accessors::profile_fields;
use crate::error::InputError;
use crate::validate;

/// The longest profile text accepted, in characters.
const MAX_PROFILE_TEXT: usize = 4096;

/// How a profile field is checked.
#[derive(Clone, Copy)]
enum Check {
    Text,
    Email,
    Phone,
    Gender,
}

profile_fields! {
/// The profile a sign-up fills in (Java: `AuthProfile`; the spec's `SignUpProfileDto`).
/// Pass `None` for no profile.
///
/// Every field of the spec's `SignUpProfileDto` has a setter (`set_nickname`) and a
/// getter (`nickname()`); fields that are not set are left out of the body. Android's
/// `AuthProfile` also has `username`, `province` and `city`, which the spec's DTO lacks:
/// they are not here (the username is an argument of
/// [`sign_up_by_user_name_password`](crate::AuthClient::sign_up_by_user_name_password)).
///
/// Checked before anything is sent (status code 10010): no value empty, only
/// whitespace, longer than 4096 characters or with control characters; `email` an
/// email address; `phone` 1 to 20 digits; `gender` one of `M`, `F`, `U`; custom data a
/// JSON object.
///
/// ```
/// let mut profile = authing::AuthProfile::new();
/// profile.set_nickname("Mike").set_gender("M").set_company("Authing");
/// profile.set_custom_data(serde_json::json!({"team": "blue"}));
/// assert_eq!(profile.nickname(), Some("Mike"));
/// ```
    AuthProfile, hidden [];
    nickname, set_nickname, "nickname", "Nickname", Text, "Mike", "nickname";
    company, set_company, "company", "Company", Text, "Authing", "company";
    photo, set_photo, "photo", "Photo", Text, "https://example.com/me.png", "avatar's URL";
    device, set_device, "device", "Device", Text, "iOS", "device";
    browser, set_browser, "browser", "Browser", Text, "Edge", "browser";
    name, set_name, "name", "Name", Text, "Mike Li", "real name";
    given_name, set_given_name, "givenName", "GivenName", Text, "Mike", "given name";
    family_name, set_family_name, "familyName", "FamilyName", Text, "Li", "family name";
    middle_name, set_middle_name, "middleName", "MiddleName", Text, "J", "middle name";
    profile, set_profile, "profile", "Profile", Text, "https://example.com/mike", "profile page";
    preferred_username, set_preferred_username, "preferredUsername", "PreferredUsername", Text, "mike", "preferred username";
    website, set_website, "website", "Website", Text, "https://example.com", "website";
    gender, set_gender, "gender", "Gender", Gender, "M", "gender: a [`Gender`](crate::Gender), or its text `M`, `F` or `U`";
    birthdate, set_birthdate, "birthdate", "Birthdate", Text, "1990-01-31", "birth date";
    zoneinfo, set_zoneinfo, "zoneinfo", "Zoneinfo", Text, "Asia/Shanghai", "time zone";
    locale, set_locale, "locale", "Locale", Text, "zh-CN", "locale";
    address, set_address, "address", "Address", Text, "1 Main St", "address";
    formatted, set_formatted, "formatted", "Formatted", Text, "1 Main St, Beijing", "formatted full address";
    street_address, set_street_address, "streetAddress", "StreetAddress", Text, "1 Main St", "street address";
    locality, set_locality, "locality", "Locality", Text, "Haidian", "locality";
    region, set_region, "region", "Region", Text, "Beijing", "region";
    postal_code, set_postal_code, "postalCode", "PostalCode", Text, "100000", "postal code";
    country, set_country, "country", "Country", Text, "CN", "country";
    email, set_email, "email", "Email", Email, "mike@example.com", "email address (to complete the profile; verify it with `set_email_pass_code_for_information_completion`)";
    phone, set_phone, "phone", "Phone", Phone, "18812345678", "phone number (to complete the profile; verify it with `set_phone_pass_code_for_information_completion`)";
}

impl AuthProfile {
    /// The profile's fields as the body's `profile` object, checked.
    pub(crate) fn to_json(&self) -> Result<Value, InputError> {
        Ok(Value::Object(self.checked_fields()?))
    }
}

fn check<'a>(field: &'static str, kind: Check, value: &'a str) -> Result<&'a str, InputError> {
    match kind {
        Check::Text => validate::text(field, Some(value), MAX_PROFILE_TEXT),
        Check::Email => validate::email(field, Some(value)),
        Check::Phone => validate::phone_number(field, Some(value)),
        Check::Gender => match value {
            "M" | "F" | "U" => Ok(value),
            _ => Err(InputError::new(field, "must be M, F or U")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_fields_set_are_sent_with_their_spec_names() {
        let mut profile = AuthProfile::new();
        profile
            .set_given_name("Mike")
            .set_postal_code("100000")
            .set_custom_data(json!({"a": 1}));
        assert_eq!(
            profile.to_json().unwrap(),
            json!({"givenName": "Mike", "postalCode": "100000", "customData": {"a": 1}})
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let mut profile = AuthProfile::new();
        profile.set_gender("male");
        assert_eq!(
            profile.to_json().unwrap_err().to_string(),
            "invalid input: profile.gender must be M, F or U"
        );
        let mut profile = AuthProfile::new();
        profile.set_nickname("  ");
        assert_eq!(
            profile.to_json().unwrap_err().to_string(),
            "invalid input: profile.nickname is only whitespace"
        );
        let mut profile = AuthProfile::new();
        profile.set_custom_data(json!([1]));
        assert_eq!(
            profile.to_json().unwrap_err().to_string(),
            "invalid input: profile.custom_data must be a json object"
        );
    }
}
