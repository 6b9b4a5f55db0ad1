//! The partial [`UserInfo`] a session starts with: the claims of the sign-in's id_token,
//! under the field names `GET /api/v3/get-profile` answers (the spec's `UserDto`).
//!
//! The token's signature is not checked here, and need not be: the token came in the
//! sign-in's own answer, from the server the client asked, on the client's own connection
//! (TLS to the configured host, or the plain http the app chose), together with the access
//! token the client trusts the same way. Nothing is decided from these claims; they are
//! what `get_current_user()` shows until the full profile, fetched after the sign-in's
//! callback, replaces them. (A browser sign-in's id_token is also checked, signature and
//! all, before its session starts: `oidc/id_token.rs`.)

use serde_json::{Map, Value};

use crate::model::UserInfo;
use crate::passkey::unb64url;

/// Claims that map one to one: (claim, `UserDto` field). Standard OpenID Connect claims
/// (Core 1.0 section 5.1) and Authing's `username` and `external_id`; a claim that is null
/// or of another type than the field's is left out.
const TEXT_CLAIMS: &[(&str, &str)] = &[
    ("username", "username"),
    ("preferred_username", "preferredUsername"),
    ("email", "email"),
    ("phone_number", "phone"),
    ("name", "name"),
    ("nickname", "nickname"),
    ("given_name", "givenName"),
    ("family_name", "familyName"),
    ("middle_name", "middleName"),
    ("picture", "photo"),
    ("gender", "gender"),
    ("birthdate", "birthdate"),
    ("locale", "locale"),
    ("zoneinfo", "zoneinfo"),
    ("website", "website"),
    ("profile", "profile"),
    ("external_id", "externalId"),
    // Authing and the emulator send an ISO 8601 text; a number (the standard's seconds
    // since the epoch) is not `UserDto`'s shape and is left out.
    ("updated_at", "updatedAt"),
];

/// Boolean claims: (claim, `UserDto` field).
const FLAG_CLAIMS: &[(&str, &str)] = &[
    ("email_verified", "emailVerified"),
    ("phone_number_verified", "phoneVerified"),
];

/// The parts of the `address` claim (an object, section 5.1.1): (member, `UserDto` field).
const ADDRESS_PARTS: &[(&str, &str)] = &[
    ("formatted", "formatted"),
    ("street_address", "streetAddress"),
    ("locality", "city"),
    ("region", "region"),
    ("postal_code", "postalCode"),
    ("country", "country"),
];

/// The partial user of `id_token`'s claims, or `None` when it is not a compact JWS whose
/// payload is a JSON object with a non-empty text `sub` (then the session starts as it
/// always did: the profile is fetched before the sign-in answers).
pub(crate) fn user_from_id_token(id_token: &str) -> Option<UserInfo> {
    let mut parts = id_token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let claims: Map<String, Value> = serde_json::from_slice(&unb64url(payload)?).ok()?;
    let sub = claims.get("sub").and_then(Value::as_str)?;
    if sub.is_empty() {
        return None;
    }
    let mut user = Map::new();
    user.insert("userId".into(), sub.into());
    for (claim, field) in TEXT_CLAIMS {
        if let Some(text) = claims.get(*claim).and_then(Value::as_str) {
            user.insert((*field).into(), text.into());
        }
    }
    for (claim, field) in FLAG_CLAIMS {
        if let Some(flag) = claims.get(*claim).and_then(Value::as_bool) {
            user.insert((*field).into(), flag.into());
        }
    }
    match claims.get("address") {
        Some(Value::Object(address)) => {
            for (part, field) in ADDRESS_PARTS {
                if let Some(text) = address.get(*part).and_then(Value::as_str) {
                    user.insert((*field).into(), text.into());
                }
            }
        }
        // Not the standard's shape, but `UserDto`'s own.
        Some(Value::String(address)) => {
            user.insert("address".into(), address.as_str().into());
        }
        _ => {}
    }
    UserInfo::from_value(Value::Object(user))
        .ok()
        .map(|user| user.with_partial(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passkey::b64url;
    use serde_json::json;

    fn token(claims: &Value) -> String {
        format!(
            "{}.{}.c2ln",
            b64url(br#"{"alg":"RS256","kid":"k1"}"#),
            b64url(claims.to_string().as_bytes())
        )
    }

    #[test]
    fn claims_map_to_the_profile_field_names() {
        let user = user_from_id_token(&token(&json!({
            "sub": "u-1", "aud": "app", "iss": "https://x", "exp": 1, "iat": 0,
            "email": "mike@example.com", "email_verified": true,
            "phone_number": "18812345678", "phone_number_verified": false,
            "nickname": "Mike", "picture": "https://x/p.png", "given_name": "Mi",
            "updated_at": "2024-01-01T00:00:00.000Z", "roles": ["admin"],
            "address": {"formatted": "1 Road", "country": "CN", "locality": null},
            "website": null,
        })))
        .unwrap();
        assert!(user.is_partial());
        assert_eq!(
            user.data(),
            &json!({
                "userId": "u-1", "email": "mike@example.com", "emailVerified": true,
                "phone": "18812345678", "phoneVerified": false, "nickname": "Mike",
                "photo": "https://x/p.png", "givenName": "Mi",
                "updatedAt": "2024-01-01T00:00:00.000Z", "formatted": "1 Road",
                "country": "CN",
            })
        );
        assert_eq!(user.email(), Some("mike@example.com"));
        assert!(user.email_verified());
    }

    #[test]
    fn a_token_without_a_readable_sub_gives_no_user() {
        for bad in [
            "it-1".to_string(),
            "id.token/1+2".to_string(),
            "a.b.c.d".to_string(),
            token(&json!({"email": "a@b.co"})),
            token(&json!({"sub": ""})),
            token(&json!({"sub": 7})),
            token(&json!(["sub"])),
            format!("{}.{}.c2ln", b64url(b"{}"), "!!"),
        ] {
            assert!(user_from_id_token(&bad).is_none(), "{bad}");
        }
    }
}
