//! Local input checks, run before anything goes on the wire.
//!
//! Values are never trimmed or rewritten: what passes is sent exactly as given, with one
//! exception: a country calling code given without its `+` (`"86"`) is sent with it
//! (`"+86"`), the only form Authing documents and lists. Messages name the field and the
//! problem, never the value (it may be a secret).

use std::borrow::Cow;

use crate::error::InputError;

/// The longest phone number accepted, in digits (E.164 allows 15; some carriers use more).
pub(crate) const MAX_PHONE_DIGITS: usize = 20;
/// The longest email address accepted, in bytes (RFC 5321's path limit).
pub(crate) const MAX_EMAIL_LEN: usize = 254;
/// The longest pass code accepted, in characters.
pub(crate) const MAX_PASS_CODE_LEN: usize = 32;
/// The longest password accepted, in characters.
pub(crate) const MAX_PASSWORD_LEN: usize = 1024;
/// The longest reset token accepted, in bytes.
pub(crate) const MAX_TOKEN_LEN: usize = 4096;
/// The longest account, username or directory account name accepted, in characters.
pub(crate) const MAX_ACCOUNT_LEN: usize = 256;
/// The longest namespace code or app id accepted, in characters.
pub(crate) const MAX_CODE_LEN: usize = 256;

fn present<'a>(field: &'static str, value: Option<&'a str>) -> Result<&'a str, InputError> {
    let value = value.ok_or_else(|| InputError::new(field, "is missing"))?;
    if value.is_empty() {
        return Err(InputError::new(field, "is empty"));
    }
    if value.trim().is_empty() {
        return Err(InputError::new(field, "is only whitespace"));
    }
    Ok(value)
}

/// A national phone number: ASCII digits only, 1 to 20 of them.
pub(crate) fn phone_number<'a>(
    field: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, InputError> {
    let value = present(field, value)?;
    if value.starts_with('+') {
        return Err(InputError::new(
            field,
            "starts with '+'; put the country code in phone_country_code and the national number here",
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::new(field, "must contain digits only"));
    }
    if value.len() > MAX_PHONE_DIGITS {
        return Err(InputError::new(
            field,
            format!("is longer than {MAX_PHONE_DIGITS} digits"),
        ));
    }
    Ok(value)
}

/// A country calling code: 1 to 4 digits, the first not 0, with or without a leading `+`
/// (`"+86"`, `"86"`, `"+1"`). Answers it with the `+`, as Authing documents and lists
/// them: `"86"` becomes `"+86"`.
pub(crate) fn country_code<'a>(
    field: &'static str,
    value: &'a str,
) -> Result<Cow<'a, str>, InputError> {
    let value = present(field, Some(value))?;
    let digits = value.strip_prefix('+').unwrap_or(value);
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::new(
            field,
            "must be 1 to 4 digits, with or without a leading '+', such as \"+86\"",
        ));
    }
    if digits.starts_with('0') {
        return Err(InputError::new(
            field,
            "starts with 0, which is a dialling prefix, not part of a country code; write \"+86\" rather than \"0086\"",
        ));
    }
    Ok(if value.starts_with('+') {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(format!("+{value}"))
    })
}

/// An email address: one `@`, a non-empty local part, a dotted domain, no whitespace.
pub(crate) fn email<'a>(
    field: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, InputError> {
    let value = present(field, value)?;
    if value.len() > MAX_EMAIL_LEN {
        return Err(InputError::new(
            field,
            format!("is longer than {MAX_EMAIL_LEN} bytes"),
        ));
    }
    let malformed = || InputError::new(field, "is not an email address");
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InputError::new(
            field,
            "contains whitespace or control characters",
        ));
    }
    let (local, domain) = value.split_once('@').ok_or_else(malformed)?;
    if local.is_empty() || domain.contains('@') || domain.len() < 3 {
        return Err(malformed());
    }
    if !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(malformed());
    }
    Ok(value)
}

/// A pass code: 1 to 32 ASCII letters or digits.
pub(crate) fn pass_code<'a>(
    field: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, InputError> {
    let value = present(field, value)?;
    if value.len() > MAX_PASS_CODE_LEN {
        return Err(InputError::new(
            field,
            format!("is longer than {MAX_PASS_CODE_LEN} characters"),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(InputError::new(
            field,
            "must contain letters or digits only",
        ));
    }
    Ok(value)
}

/// A new password: not empty, not only whitespace, at most 1024 characters, no control
/// characters. The server applies its own password policy on top.
pub(crate) fn password<'a>(
    field: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, InputError> {
    let value = present(field, value)?;
    if value.chars().count() > MAX_PASSWORD_LEN {
        return Err(InputError::new(
            field,
            format!("is longer than {MAX_PASSWORD_LEN} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(InputError::new(field, "contains control characters"));
    }
    Ok(value)
}

/// A free text: not empty, not only whitespace, at most `max` characters, no control
/// characters.
pub(crate) fn text<'a>(
    field: &'static str,
    value: Option<&'a str>,
    max: usize,
) -> Result<&'a str, InputError> {
    let value = present(field, value)?;
    if value.chars().count() > max {
        return Err(InputError::new(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(InputError::new(field, "contains control characters"));
    }
    Ok(value)
}

/// An opaque token: visible ASCII, at most 4096 bytes.
pub(crate) fn token<'a>(
    field: &'static str,
    value: Option<&'a str>,
) -> Result<&'a str, InputError> {
    let value = present(field, value)?;
    if value.len() > MAX_TOKEN_LEN {
        return Err(InputError::new(
            field,
            format!("is longer than {MAX_TOKEN_LEN} bytes"),
        ));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(InputError::new(
            field,
            "must contain visible ascii characters only",
        ));
    }
    Ok(value)
}

/// A code or id: not empty, at most 256 characters, visible ASCII.
pub(crate) fn code<'a>(field: &'static str, value: &'a str) -> Result<&'a str, InputError> {
    let value = text(field, Some(value), MAX_CODE_LEN)?;
    token(field, Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for ok in ["a@b.co", "First.Last+tag@mail.example.com"] {
            assert!(email("email", Some(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "a", "@b.co", "a@", "a@b", "a@.co", "a@b.", "a@b..co", "a@@b.co", "a b@c.de",
        ] {
            assert!(email("email", Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn country_codes_are_up_to_four_digits_and_get_their_plus() {
        assert_eq!(country_code("c", "+86").unwrap(), "+86");
        assert_eq!(country_code("c", "86").unwrap(), "+86");
        assert_eq!(country_code("c", "+1268").unwrap(), "+1268");
        for bad in ["+", "+12345", "+8a", " +86", "0086", "+0", "++86"] {
            assert!(country_code("c", bad).is_err(), "{bad}");
        }
    }
}
