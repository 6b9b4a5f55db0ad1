//! Randomness for codes, reset tokens and request ids.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Fills `buf` from the operating system; should that ever fail, from a keyed hash of the
/// time and a counter (still unpredictable to a client, never a panic).
pub(crate) fn fill(buf: &mut [u8]) {
    if getrandom::fill(buf).is_ok() {
        return;
    }
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let keys = RandomState::new();
    for chunk in buf.chunks_mut(8) {
        let mut h = keys.build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let bytes = h.finish().to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

/// A verification code of `len` decimal digits.
pub(crate) fn digits(len: usize) -> String {
    let mut raw = vec![0u8; len * 2];
    fill(&mut raw);
    raw.chunks(2)
        .map(|c| {
            let n = u16::from_le_bytes([c[0], c[1]]) % 10;
            char::from(b'0' + n as u8)
        })
        .collect()
}

/// A URL-safe token carrying 256 random bits (43 characters of unpadded base64url).
pub(crate) fn token() -> String {
    let mut raw = [0u8; 32];
    fill(&mut raw);
    base64url(&raw)
}

/// Hex of `n` random bytes.
pub(crate) fn hex(n: usize) -> String {
    let mut raw = vec![0u8; n];
    fill(&mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64url_matches_the_rfc_examples() {
        assert_eq!(super::base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(super::base64url(b"fooba"), "Zm9vYmE");
        assert_eq!(super::base64url(b"f"), "Zg");
        assert_eq!(super::base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn digits_have_the_asked_length() {
        let d = super::digits(6);
        assert_eq!(d.len(), 6);
        assert!(d.bytes().all(|b| b.is_ascii_digit()));
    }
}
