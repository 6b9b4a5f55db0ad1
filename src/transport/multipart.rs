//! A small `multipart/form-data` encoder (RFC 7578) for the avatar upload.
//!
//! Built here rather than with ureq's: ureq 3.5 has one only as `unversioned::multipart`
//! (an API it may change in any minor release) behind a cargo feature that adds
//! `mime_guess` and `getrandom`, and the SDK needs one file part of bytes it already holds.
//!
//! The boundary is `authing-` and 32 hex digits from std's randomly keyed hasher (its keys
//! come from the operating system's random source). It need not be secret, only absent
//! from the content; and since the whole body is in memory, that is checked, not hoped for:
//! a boundary that occurs in a part is replaced by another.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// One part of the form.
pub(crate) struct Part<'a> {
    /// The form field's name (`file`).
    pub(crate) name: &'a str,
    /// The file name, for a file part.
    pub(crate) filename: Option<&'a str>,
    /// The part's `Content-Type`.
    pub(crate) content_type: &'a str,
    pub(crate) body: &'a [u8],
}

/// The body of `parts`, and its content type (`multipart/form-data; boundary=..`).
pub(crate) fn encode(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    encode_with(parts, boundary)
}

/// [`encode`] with the boundaries `next` proposes, taking the first that no part holds.
fn encode_with(parts: &[Part<'_>], mut next: impl FnMut() -> String) -> (String, Vec<u8>) {
    let boundary = loop {
        let candidate = next();
        let needle = candidate.as_bytes();
        let clash = parts.iter().any(|p| {
            contains(p.body, needle)
                || p.name.contains(&candidate)
                || p.filename.is_some_and(|f| f.contains(&candidate))
        });
        if !clash {
            break candidate;
        }
    };
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        body.extend_from_slice(quoted(part.name).as_bytes());
        body.push(b'"');
        if let Some(filename) = part.filename {
            body.extend_from_slice(b"; filename=\"");
            body.extend_from_slice(quoted(filename).as_bytes());
            body.push(b'"');
        }
        body.extend_from_slice(b"\r\nContent-Type: ");
        body.extend_from_slice(part.content_type.as_bytes());
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(part.body);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--");
    body.extend_from_slice(boundary.as_bytes());
    body.extend_from_slice(b"--\r\n");
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A fresh boundary: `authing-` and 32 hex digits.
fn boundary() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(n);
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("authing-{:016x}{:016x}", half(1), half(2))
}

/// A name or file name inside `"…"`: `"`, CR and LF percent-encoded, as browsers do
/// (WHATWG HTML, "multipart/form-data encoding algorithm").
fn quoted(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_file_part_is_framed_as_rfc_7578_says() {
        let part = Part {
            name: "file",
            filename: Some("avatar.png"),
            content_type: "image/png",
            body: b"\x89PNG-bytes",
        };
        let (content_type, body) = encode_with(&[part], || "B0UND".to_string());
        assert_eq!(content_type, "multipart/form-data; boundary=B0UND");
        assert_eq!(
            body,
            b"--B0UND\r\nContent-Disposition: form-data; name=\"file\"; filename=\"avatar.png\"\r\n\
              Content-Type: image/png\r\n\r\n\x89PNG-bytes\r\n--B0UND--\r\n"
                .to_vec()
        );
    }

    #[test]
    fn a_boundary_found_in_the_content_is_replaced() {
        let part = Part {
            name: "file",
            filename: None,
            content_type: "image/gif",
            body: b"GIF89a...first...",
        };
        let mut proposals = ["first", "second"].into_iter().map(String::from);
        let (content_type, _) = encode_with(&[part], || proposals.next().unwrap());
        assert_eq!(content_type, "multipart/form-data; boundary=second");
    }

    #[test]
    fn quotes_and_line_breaks_in_names_are_escaped() {
        assert_eq!(quoted("a\"b\r\nc"), "a%22b%0D%0Ac");
    }

    #[test]
    fn boundaries_differ_and_look_alike() {
        let (a, b) = (boundary(), boundary());
        assert_ne!(a, b);
        assert_eq!(a.len(), "authing-".len() + 32);
        assert!(a.starts_with("authing-"));
    }
}
