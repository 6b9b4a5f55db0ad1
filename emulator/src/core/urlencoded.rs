//! `application/x-www-form-urlencoded` bodies and query strings.

use serde_json::{Map, Value};

/// The parameters of a form body. A body that is a JSON object is read as JSON instead,
/// whatever its `Content-Type` says (the emulator never checks it).
pub(crate) fn params(body: &[u8]) -> Map<String, Value> {
    let text = String::from_utf8_lossy(body);
    if text.trim_start().starts_with('{') {
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&text) {
            return map;
        }
    }
    parse(&text)
}

/// The pairs of a form or query string; a name given twice keeps its last value.
pub(crate) fn parse(text: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(decode(name), Value::String(decode(value)));
    }
    out
}

/// Percent-decoding of a path segment: `+` stays a plus.
pub(crate) fn decode_path(text: &str) -> String {
    decode(&text.replace('+', "%2B"))
}

/// Percent-decoding with `+` as a space; a `%` not followed by two hex digits stays as is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let digit = |at: usize| bytes.get(at).copied().and_then(hex);
                match (digit(i + 1), digit(i + 2)) {
                    (Some(hi), Some(lo)) => {
                        out.push(hi * 16 + lo);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_pairs_are_percent_decoded() {
        let map = parse("grant_type=refresh_token&token=a%2Bb%3D&scope=openid+profile&x&bad=%zz%4");
        assert_eq!(map["grant_type"], "refresh_token");
        assert_eq!(map["token"], "a+b=");
        assert_eq!(map["scope"], "openid profile");
        assert_eq!(map["x"], "");
        assert_eq!(map["bad"], "%zz%4");
    }

    #[test]
    fn a_json_body_is_read_as_json() {
        let map = params(br#"{"token":"t1"}"#);
        assert_eq!(map["token"], "t1");
    }
}
