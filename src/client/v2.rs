//! Authing's v2 answers, as Guard's endpoints give them (the MFA completion,
//! `authByCode`): the v2 envelope `{code, message, data}` read as the v3 one, and the
//! signed-in user with its token turned into the session's token set. Shared by
//! `api/mfa.rs` and `api/social_binding.rs`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use crate::client::AuthClient;
use crate::error::AuthError;
use crate::response::{self, codes, AuthResponse};

impl AuthClient {
    /// Starts the session from a successful v2 sign-in whose `data` is the signed-in user
    /// with its tokens ([`token_answer`]: the v3 token fields, else the v2 `token` and
    /// `tokenExpiredAt`); the answer as it is on success. Shared by the MFA completion
    /// and `auth_by_code` (`api/social_binding.rs`).
    pub(crate) fn start_user_session(&self, answer: AuthResponse) -> AuthResponse {
        let tokens = answer.data().and_then(token_answer);
        let Some(tokens) = tokens else {
            let mut failed = AuthResponse::from_error(AuthError::UnexpectedResponse {
                reason:
                    "the answer has no access_token, or a token without a readable tokenExpiredAt"
                        .into(),
            });
            failed.request_id = answer.request_id.clone();
            return failed;
        };
        let mut signed_in = response::from_plain_json(tokens);
        signed_in.received_at = answer.received_at;
        let started = self.start_session(signed_in);
        if started.is_success() {
            answer
        } else {
            started
        }
    }
}

/// Reads a v2 answer (`{code, message, data}`, and a top-level `recoveryCode`) as the v3
/// envelope: `statusCode` = `code`, and `apiCode` = `code` when it is not 200. Any other
/// answer (a v3 envelope, an HTTP error, a local failure) is kept as it is.
pub(crate) fn from_v2(answer: AuthResponse) -> AuthResponse {
    if !answer.is_success() {
        return answer;
    }
    let Some(Value::Object(body)) = answer.data() else {
        return answer;
    };
    let Some(code) = body.get("code").and_then(response::lenient_i32) else {
        return answer;
    };
    let mut envelope = body.clone();
    envelope.remove("code");
    envelope.insert("statusCode".into(), code.into());
    if code != codes::OK && !envelope.contains_key("apiCode") {
        envelope.insert("apiCode".into(), code.into());
    }
    if let Some(next) = envelope.remove("recoveryCode") {
        match envelope.get_mut("data") {
            Some(Value::Object(data)) => {
                data.insert("recoveryCode".into(), next);
            }
            _ => {
                envelope.insert("data".into(), json!({ "recoveryCode": next }));
            }
        }
    }
    let received_at = answer.received_at;
    match response::from_envelope(Value::Object(envelope), answer.retry_after) {
        Ok(mut read) => {
            read.received_at = received_at;
            read
        }
        Err(error) => AuthResponse::from_error(error),
    }
}

/// The token answer a completion carries, in `LoginTokenResponseDataDto`'s shape: the v3
/// fields when the server sent them (`access_token`, ...), else Authing's v2 `token`
/// (also an id token) with the lifetime `tokenExpiredAt` leaves (an ISO 8601 UTC time).
pub(crate) fn token_answer(data: &Value) -> Option<Value> {
    let text = |key: &str| {
        data.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if text("access_token").is_some() {
        let mut tokens = Map::new();
        for key in [
            "access_token",
            "id_token",
            "refresh_token",
            "token_type",
            "expire_in",
            "expires_in",
        ] {
            if let Some(value) = data.get(key) {
                tokens.insert(key.into(), value.clone());
            }
        }
        return Some(Value::Object(tokens));
    }
    let token = text("token")?;
    // Without a readable expiry the token's lifetime is unknown: no session is started
    // rather than one that looks expired at once (the caller answers 10004).
    let left = text("tokenExpiredAt")
        .and_then(parse_utc)?
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    Some(json!({
        "access_token": token,
        "id_token": token,
        "token_type": "Bearer",
        "expire_in": left.as_secs(),
    }))
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]` with `Z` or a `+HH:MM`/`-HH:MM` offset (what Authing's v2
/// `tokenExpiredAt` holds), `None` for anything else.
///
/// The text is read as ASCII bytes: any other character (a full-width digit or sign, a
/// combining mark) makes it unreadable, never a panic. The year is bounded to
/// `1970..=9999` (four digits, an expiry before the epoch has no meaning), the month to
/// `1..=12`, the day to the month's length, the hour to `0..=23`, the minute to `0..=59`,
/// the second to `0..=60` (a leap second) and an offset to `±23:59`; the fraction, any
/// number of digits, is dropped. With those bounds the arithmetic cannot overflow, and it
/// is checked all the same.
pub(crate) fn parse_utc(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    // Digits at `at..at + len`, as a number; `None` if any byte is not an ASCII digit.
    let number = |at: usize, len: usize| -> Option<i64> {
        let digits = bytes.get(at..at.checked_add(len)?)?;
        digits.iter().try_fold(0i64, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        })
    };
    let at = |i: usize, want: u8| bytes.get(i) == Some(&want);
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    let mut rest = bytes.get(19..)?;
    if let [b'.', fraction @ ..] = rest {
        let digits = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |a: u8, b: u8| {
                (a.is_ascii_digit() && b.is_ascii_digit())
                    .then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            };
            let (h, m) = (two(*h1, *h2)?, two(*m1, *m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let offset = h * 3600 + m * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if !(1970..=9999).contains(&year)
        || !(1..=month_days).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era
        .checked_mul(146_097)?
        .checked_add(doe)?
        .checked_sub(719_468)?;
    let secs = days
        .checked_mul(86_400)?
        .checked_add(hour * 3600 + minute * 60 + second)?
        .checked_sub(offset)?;
    UNIX_EPOCH.checked_add(Duration::from_secs(u64::try_from(secs).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iso_time_in_utc_is_read() {
        let at = parse_utc("2022-08-17T06:35:28.376Z").unwrap();
        assert_eq!(
            at.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_660_718_128
        );
        assert_eq!(
            parse_utc("2000-03-01T00:00:00Z")
                .unwrap()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            951_868_800
        );
        assert!(parse_utc("2022-08-17 06:35:28").is_none());
    }

    #[test]
    fn a_time_out_of_bounds_or_not_in_ascii_is_unreadable() {
        let secs =
            |t: &str| parse_utc(t).map(|at| at.duration_since(UNIX_EPOCH).unwrap().as_secs());
        assert_eq!(secs("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            secs("9999-12-31T23:59:59.999999999Z"),
            Some(253_402_300_799)
        );
        assert_eq!(
            secs("2024-02-29T00:00:00-00:30"),
            secs("2024-02-29T00:30:00Z")
        );
        for unreadable in [
            "2099-01-01T00:00:00＋08:00",
            "+99999999-01-01T00:00:00Z",
            "１９７０-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:00:00+00:01",
            "10000-01-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-01-01T00:00:61Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00+0800",
            "2024-01-01T00:00:00Zjunk",
            "",
        ] {
            assert_eq!(parse_utc(unreadable), None, "{unreadable}");
        }
    }

    #[test]
    fn a_v2_user_with_a_token_reads_as_a_token_answer() {
        let tokens = token_answer(
            &json!({"id": "u1", "token": "t.o.k", "tokenExpiredAt": "2999-01-01T00:00:00.000Z"}),
        )
        .unwrap();
        assert_eq!(tokens["access_token"], "t.o.k");
        assert!(tokens["expire_in"].as_u64().unwrap() > 0);
        // A token whose lifetime cannot be read starts no session.
        assert!(token_answer(&json!({"id": "u1", "token": "t.o.k"})).is_none());
        assert!(
            token_answer(&json!({"id": "u1", "token": "t", "tokenExpiredAt": "soon"})).is_none()
        );
        assert_eq!(
            parse_utc("2024-03-01T08:00:00+08:00"),
            parse_utc("2024-03-01T00:00:00Z")
        );
        let v3 = token_answer(&json!({"access_token": "a", "expire_in": 60, "id": "u"})).unwrap();
        assert_eq!(v3, json!({"access_token": "a", "expire_in": 60}));
        assert!(token_answer(&json!({"id": "u1"})).is_none());
    }

    #[test]
    fn a_v2_failure_reads_with_its_code_as_the_api_code() {
        let plain = response::from_plain_json(json!({"code": 6001, "message": "wrong"}));
        let read = from_v2(plain);
        assert_eq!(read.status_code(), 6001);
        assert_eq!(read.api_code(), 6001);
        assert_eq!(read.message(), "wrong");
        let ok = from_v2(response::from_plain_json(
            json!({"code": 200, "message": "", "data": {"id": "u"}, "recoveryCode": "r-1"}),
        ));
        assert!(ok.is_success());
        assert_eq!(ok.recovery_code(), Some("r-1"));
    }
}
