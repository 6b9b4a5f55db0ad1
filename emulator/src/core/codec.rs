//! The emulator's own text codecs: hex, base64, PEM bodies, percent-encoding of query
//! pairs and HTML escaping.
//!
//! The emulator judges what the SDK sends, so it shares none of the SDK's code: these are
//! written here from the formats themselves (RFC 4648 through the `base64` crate, RFC 3986
//! for percent-encoding, RFC 7468 for PEM, HTML's five special characters).

use base64::Engine as _;

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// The bytes of a hex text (either case, surrounding whitespace ignored); `None` for an
/// empty text, an odd length or a character that is not a hex digit.
pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.is_empty() || text.len() % 2 == 1 {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard base64, with or without its padding; `None` when it is not base64.
pub(crate) fn unbase64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{general_purpose, DecodePaddingMode, GeneralPurpose};
    const EITHER: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        general_purpose::PAD.with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    EITHER.decode(text.trim()).ok()
}

/// The DER bytes of a PEM text (RFC 7468): the armour lines dropped, the base64 between
/// them decoded.
pub(crate) fn pem_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .collect();
    unbase64(&body)
}

/// `name=value&name=value`, every byte outside RFC 3986's unreserved set percent-encoded.
pub(crate) fn query<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        percent_encode(name.as_ref(), &mut out);
        out.push('=');
        percent_encode(value.as_ref(), &mut out);
    }
    out
}

fn percent_encode(text: &str, out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(DIGITS[usize::from(b >> 4)]));
            out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
        }
    }
}

/// `text` with HTML's special characters (`& < > " '`) as character references, safe in an
/// element and in a quoted attribute.
pub(crate) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_in_either_case_and_refuses_junk() {
        assert_eq!(hex(&[0x00, 0xab, 0x0f]), "00ab0f");
        assert_eq!(unhex(" 00AB0f "), Some(vec![0x00, 0xab, 0x0f]));
        for junk in ["", "abc", "zz", "0g"] {
            assert_eq!(unhex(junk), None, "{junk}");
        }
    }

    #[test]
    fn base64_takes_text_with_or_without_padding() {
        assert_eq!(base64(b"MIIB"), "TUlJQg==");
        assert_eq!(unbase64("TUlJQg==").as_deref(), Some(&b"MIIB"[..]));
        assert_eq!(unbase64("TUlJQg").as_deref(), Some(&b"MIIB"[..]));
        assert_eq!(unbase64("not base64!"), None);
    }

    #[test]
    fn a_pem_body_is_the_base64_between_the_armour_lines() {
        let pem = "-----BEGIN PUBLIC KEY-----\nTUlJ\nQg==\n-----END PUBLIC KEY-----\n";
        assert_eq!(pem_der(pem).as_deref(), Some(&b"MIIB"[..]));
    }

    #[test]
    fn a_query_keeps_only_unreserved_bytes_as_they_are() {
        assert_eq!(
            query(&[("ticket", "a+b/c d"), ("x", "~ok-._é")]),
            "ticket=a%2Bb%2Fc%20d&x=~ok-._%C3%A9"
        );
    }

    #[test]
    fn html_special_characters_are_escaped() {
        assert_eq!(
            html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
