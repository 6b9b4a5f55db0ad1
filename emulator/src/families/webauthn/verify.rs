//! The checks of a WebAuthn ceremony, written for the emulator (it shares no code with any
//! client): clientDataJSON (type, challenge, origin), the attestation object (CBOR, format
//! `none`), authenticatorData (RP id hash, flags, counter, attested credential data with
//! its COSE key) and the ES256 signature over authenticatorData || SHA-256(clientDataJSON).

use ciborium::Value as Cbor;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::state::Settings;

/// The UP flag: the user was present.
pub(crate) const USER_PRESENT: u8 = 0x01;
/// The UV flag: the user was verified.
pub(crate) const USER_VERIFIED: u8 = 0x04;
/// The AT flag: attested credential data follows.
const ATTESTED: u8 = 0x40;
/// COSE algorithm ES256.
pub(crate) const ES256: i64 = -7;

/// base64url without padding.
pub(crate) fn b64url(bytes: &[u8]) -> String {
    crate::core::codec::base64(bytes)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// base64url (padding optional); `None` for anything else (standard base64's `+`/`/`
/// included: WebAuthn's JSON encoding is base64url).
pub(crate) fn unb64url(text: &str) -> Option<Vec<u8>> {
    if text.contains(['+', '/']) {
        return None;
    }
    crate::core::codec::unbase64(&text.replace('-', "+").replace('_', "/"))
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Checks clientDataJSON (base64url) of a ceremony: its `type`, its `challenge` (the
/// ticket's), its `origin` (one the settings allow), `crossOrigin` not true. Returns the
/// decoded bytes (the signature covers their hash).
pub(crate) fn client_data(
    encoded: &str,
    kind: &str,
    challenge: &str,
    settings: &Settings,
) -> Result<Vec<u8>, &'static str> {
    let bytes = unb64url(encoded).ok_or("clientDataJSON is not base64url")?;
    let json: Value = serde_json::from_slice(&bytes).map_err(|_| "clientDataJSON is not JSON")?;
    let field = |name: &str| json.get(name).and_then(Value::as_str);
    if field("type") != Some(kind) {
        return Err("clientDataJSON type");
    }
    if field("challenge") != Some(challenge) {
        return Err("challenge");
    }
    if !field("origin").is_some_and(|o| settings.origin_allowed(o)) {
        return Err("origin");
    }
    if json.get("crossOrigin") == Some(&Value::Bool(true)) {
        return Err("crossOrigin");
    }
    Ok(bytes)
}

/// authenticatorData, read.
pub(crate) struct AuthData {
    pub(crate) rp_id_hash: [u8; 32],
    pub(crate) flags: u8,
    pub(crate) counter: u32,
    /// The credential id and its public key (SEC1 uncompressed), when AT is set.
    pub(crate) attested: Option<(Vec<u8>, Vec<u8>)>,
}

/// Reads authenticatorData: 32 bytes RP id hash, flags, 4 bytes counter, then (AT) the
/// AAGUID, the credential id and its COSE key (EC2, P-256, ES256 only).
pub(crate) fn auth_data(bytes: &[u8]) -> Result<AuthData, &'static str> {
    const BAD: &str = "authenticatorData is malformed";
    if bytes.len() < 37 {
        return Err(BAD);
    }
    let mut rp_id_hash = [0u8; 32];
    rp_id_hash.copy_from_slice(&bytes[..32]);
    let flags = bytes[32];
    let counter = u32::from_be_bytes([bytes[33], bytes[34], bytes[35], bytes[36]]);
    let mut attested = None;
    if flags & ATTESTED != 0 {
        let rest = &bytes[37..];
        if rest.len() < 18 {
            return Err(BAD);
        }
        let len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
        let rest = &rest[18..];
        if rest.len() < len || len == 0 || len > 1023 {
            return Err(BAD);
        }
        let id = rest[..len].to_vec();
        let mut key_bytes = &rest[len..];
        let key: Cbor = ciborium::de::from_reader(&mut key_bytes).map_err(|_| BAD)?;
        attested = Some((id, cose_p256(&key)?));
    }
    Ok(AuthData {
        rp_id_hash,
        flags,
        counter,
        attested,
    })
}

/// The SEC1 point of a COSE_Key `{1: 2, 3: -7, -1: 1, -2: x, -3: y}`.
fn cose_p256(key: &Cbor) -> Result<Vec<u8>, &'static str> {
    let map = key
        .as_map()
        .ok_or("the credential public key is not a COSE key")?;
    let get = |label: i64| {
        map.iter()
            .find(|(k, _)| k.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(label))
            .map(|(_, v)| v)
    };
    let int = |label: i64| {
        get(label)
            .and_then(Cbor::as_integer)
            .and_then(|i| i64::try_from(i).ok())
    };
    if int(1) != Some(2) || int(-1) != Some(1) {
        return Err("the credential public key is not EC2 on P-256");
    }
    if int(3) != Some(ES256) {
        return Err("the credential public key is not ES256");
    }
    let coord = |label: i64| {
        get(label)
            .and_then(Cbor::as_bytes)
            .filter(|b| b.len() == 32)
            .cloned()
    };
    let (Some(x), Some(y)) = (coord(-2), coord(-3)) else {
        return Err("the credential public key's coordinates are malformed");
    };
    let mut point = vec![0x04];
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    VerifyingKey::from_sec1_bytes(&point)
        .map_err(|_| "the credential public key is not on P-256")?;
    Ok(point)
}

/// The authenticatorData of an attestation object (base64url CBOR `{fmt, attStmt,
/// authData}`) whose format is `none` (with an empty `attStmt`); other formats are refused.
pub(crate) fn attestation(encoded: &str) -> Result<Vec<u8>, &'static str> {
    let bytes = unb64url(encoded).ok_or("attestationObject is not base64url")?;
    let value: Cbor =
        ciborium::de::from_reader(bytes.as_slice()).map_err(|_| "attestationObject is not CBOR")?;
    let map = value.as_map().ok_or("attestationObject is not a map")?;
    let get = |name: &str| {
        map.iter()
            .find(|(k, _)| k.as_text() == Some(name))
            .map(|(_, v)| v)
    };
    match get("fmt").and_then(Cbor::as_text) {
        Some("none") => {}
        Some(_) => return Err("attestation format (only none is accepted)"),
        None => return Err("attestationObject has no fmt"),
    }
    if !get("attStmt")
        .and_then(Cbor::as_map)
        .is_some_and(|m| m.is_empty())
    {
        return Err("attStmt of format none is not empty");
    }
    get("authData")
        .and_then(Cbor::as_bytes)
        .cloned()
        .ok_or("attestationObject has no authData")
}

/// Whether `signature` (DER) is `public_key`'s ES256 signature over
/// authenticatorData || SHA-256(clientDataJSON).
pub(crate) fn signature_ok(
    public_key: &[u8],
    auth_data: &[u8],
    client_data: &[u8],
    signature: &[u8],
) -> bool {
    let (Ok(key), Ok(signature)) = (
        VerifyingKey::from_sec1_bytes(public_key),
        Signature::from_der(signature),
    ) else {
        return false;
    };
    let mut signed = auth_data.to_vec();
    signed.extend_from_slice(&sha256(client_data));
    key.verify(&signed, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_and_refuses_standard_base64() {
        let bytes = [0xfb, 0xff, 0x01];
        assert_eq!(b64url(&bytes), "-_8B");
        assert_eq!(unb64url("-_8B").unwrap(), bytes);
        assert!(unb64url("+/8B").is_none());
    }

    #[test]
    fn short_authenticator_data_is_refused() {
        assert!(auth_data(&[0; 36]).is_err());
        let read = auth_data(&[0; 37]).unwrap();
        assert_eq!((read.flags, read.counter), (0, 0));
        assert!(read.attested.is_none());
    }
}
