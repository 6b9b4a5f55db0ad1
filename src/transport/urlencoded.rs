//! Percent-encoding for query strings and `application/x-www-form-urlencoded` bodies.
//!
//! Every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) is written as
//! `%XX` (uppercase hex), a space included (`%20`, which both form decoders and URL query
//! parsers read as a space; a literal `+` becomes `%2B`). Values are encoded as UTF-8.
//! Android concatenates its query parameters unescaped; this module is why we do not.

use std::fmt::Write;

/// Percent-encodes one key or value.
pub(crate) fn component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `key=value&key=value`, each part percent-encoded, in the order given.
pub(crate) fn pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&component(key.as_ref()));
        out.push('=');
        out.push_str(&component(value.as_ref()));
    }
    out
}

/// The pairs of a query string or form body, percent-decoded (`+` is a space), in order.
/// A `%` not followed by two hex digits stays as is; bytes that are not UTF-8 become U+FFFD.
pub(crate) fn decode_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|b| char::from(*b).to_digit(16))
                .map(|d| d as u8)
        };
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_pass_through() {
        assert_eq!(component("AZaz09-._~"), "AZaz09-._~");
    }

    #[test]
    fn reserved_characters_spaces_and_plus_are_escaped() {
        assert_eq!(
            component("a b+c&d=e/f?g#h%"),
            "a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25"
        );
    }

    #[test]
    fn non_ascii_text_is_escaped_as_utf8_bytes() {
        assert_eq!(component("登录"), "%E7%99%BB%E5%BD%95");
    }

    #[test]
    fn pairs_join_in_order_with_ampersands() {
        assert_eq!(
            pairs(&[("grant_type", "refresh_token"), ("refresh_token", "a+b/c=")]),
            "grant_type=refresh_token&refresh_token=a%2Bb%2Fc%3D"
        );
        assert_eq!(pairs::<&str, &str>(&[]), "");
    }

    #[test]
    fn decoding_undoes_encoding_and_reads_plus_as_space() {
        let text = pairs(&[("state", "a b+c&d=é"), ("code", "x")]);
        assert_eq!(
            decode_pairs(&text),
            vec![
                ("state".into(), "a b+c&d=é".into()),
                ("code".into(), "x".into())
            ]
        );
        assert_eq!(
            decode_pairs("a=1+2&b&c=%zz&&"),
            vec![
                ("a".into(), "1 2".into()),
                ("b".into(), String::new()),
                ("c".into(), "%zz".into()),
            ]
        );
    }
}
