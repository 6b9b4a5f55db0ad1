//! Reading the fields of a JSON body: strings, objects and booleans that must be present or
//! may be left out, each refused with statusCode 400 and apiCode 2231 when missing or of
//! the wrong type, and the phone or email a code goes to (2028 when malformed).

use serde_json::{Map, Value};

use crate::core::codes::BAD_TARGET;
use crate::core::contact::Target;
use crate::core::envelope::Failure;
use crate::core::msg::Msg;

/// A string field that may be left out (or sent as null).
pub(crate) fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
) -> Result<Option<&'a str>, Failure> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Failure::params(Msg::WrongType(key))),
    }
}

/// A string field that must be present and not empty.
pub(crate) fn req_str<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
) -> Result<&'a str, Failure> {
    match opt_str(obj, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(Failure::params(Msg::MissingField(key))),
    }
}

/// An object field that may be left out (or sent as null).
pub(crate) fn opt_obj<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
) -> Result<Option<&'a Map<String, Value>>, Failure> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(Failure::params(Msg::WrongType(key))),
    }
}

/// A boolean field that may be left out (or sent as null).
pub(crate) fn opt_bool(
    obj: &Map<String, Value>,
    key: &'static str,
) -> Result<Option<bool>, Failure> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Failure::params(Msg::WrongType(key))),
    }
}

/// A string field that may be left out, sent as null or sent empty: `None` for all three.
pub(crate) fn opt_text<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
) -> Result<Option<&'a str>, Failure> {
    Ok(opt_str(obj, key)?.filter(|s| !s.trim().is_empty()))
}

/// An object field that must be present.
pub(crate) fn req_obj<'a>(
    obj: &'a Map<String, Value>,
    key: &'static str,
) -> Result<&'a Map<String, Value>, Failure> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(Failure::params(Msg::MissingField(key))),
        Some(Value::Object(m)) => Ok(m),
        Some(_) => Err(Failure::params(Msg::WrongType(key))),
    }
}

/// A malformed phone number or email: statusCode 400, apiCode 2028.
pub(crate) fn bad_target() -> Failure {
    Failure::new(400, Some(BAD_TARGET), Msg::InvalidTarget)
}

/// The phone of `phoneNumber` and `phoneCountryCode` in `obj`.
pub(crate) fn phone_target(obj: &Map<String, Value>) -> Result<Target, Failure> {
    let number = req_str(obj, "phoneNumber")?;
    let cc = opt_str(obj, "phoneCountryCode")?;
    Target::phone(cc, number).ok_or_else(bad_target)
}

/// The email of `email` in `obj`.
pub(crate) fn email_target(obj: &Map<String, Value>) -> Result<Target, Failure> {
    Target::email(req_str(obj, "email")?).ok_or_else(bad_target)
}
