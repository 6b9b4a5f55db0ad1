//! Generated hostile text against every parser of what a server (or a file the SDK reads)
//! sends: none may panic (issue 19). Each parser gets a hand-made list of hostile strings,
//! every seed of its own format with a multi-byte character inserted at, or put in place
//! of, each position, and thousands of generated strings: random bytes read as UTF-8
//! (lossy), random ASCII from the characters dates and numbers are made of, and random
//! mutations of the seeds. A small xorshift PRNG with a fixed seed makes every run feed
//! the same inputs; a panic names the parser, the input and the seed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::response::{self, MAX_WAIT};

/// The PRNG's seed: change it to explore, keep it fixed to reproduce.
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;
/// Generated strings per kind (random bytes, random ASCII, seed mutations) and parser.
const PER_KIND: usize = 700;

/// xorshift64 (Marsaglia): deterministic, no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Characters that break byte-slicing and digit-reading parsers: full-width digits and
/// signs, a combining mark, an emoji, a two-byte letter, a zero-width joiner, NUL.
const MULTI_BYTE: &[&str] = &[
    "＋", "－", "０", "１", "９", "：", "\u{301}", "😀", "é", "\u{200d}", "\0", "Ｔ", "Ｚ",
];

/// Fragments a mutation splices in.
const FRAGMENTS: &[&str] = &[
    "＋",
    "０",
    "😀",
    "\u{301}",
    "-",
    "+",
    ":",
    ".",
    "T",
    "Z",
    " ",
    "99999999",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "-0",
    "",
    "=",
    "%",
    "%G",
    "%e9",
    "&",
    "\r\n",
    "GMT",
];

/// The hand-made hostile list every parser gets.
fn hostile() -> Vec<String> {
    let mut list: Vec<String> = [
        "",
        " ",
        "\t\n ",
        "-",
        "+",
        ".",
        ":",
        "T",
        "Z",
        "0",
        "-0",
        "-1",
        "00",
        "1e309",
        "-1e309",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "Infinity",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "340282366920938463463374607431768211456",
        "0.5",
        "1.7976931348623157e308",
        "4.9e-324",
        "＋０１",
        "０",
        "１２３",
        "e\u{301}",
        "😀",
        "😀😀😀",
        "\u{feff}0",
        "\0",
        // Dates in the shape of `tokenExpiredAt`, and broken.
        "2099-01-01T00:00:00＋08:00",
        "2099-01-01T00:00:00－08:00",
        "+99999999-01-01T00:00:00Z",
        "99999999-01-01T00:00:00Z",
        "0-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "-1-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z",
        "2024-01-00T00:00:00Z",
        "2024-01-32T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:99Z",
        "2024-01-0100:00:00Z",
        "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00+99:99",
        "2024-01-01T00:00:00-24:00",
        "2024-01-01T00:00:00+08",
        "2024-01-01T00:00:00+0800",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.999999999999999999999Z",
        "2024-01-01T00:00:00",
        "T",
        "TZ",
        "+08:00",
        "-08:00",
        "Z+08:00",
        "2024-01-01T00:00:00Z😀",
        // HTTP-dates, as `Retry-After` holds them, and broken.
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 99999999999999999999 08:49:37 GMT",
        "Sun, 06 Nov 18446744073709551615 08:49:37 GMT",
        "Sun, 06 Nov 584554051223 08:49:37 GMT",
        "Sun, 06 Nov 10000 08:49:37 GMT",
        "Sun, 06 Nov 9999 23:59:60 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 99 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08:49:37:00 GMT",
        "Sun, ０6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-9 08:49:37 GMT",
        "Sunday, 06-Nov-９4 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun Nov  6 08:49:37 99999999999999",
        // JWTs with 0, 2 and 4 dots, bad base64url, huge claims.
        "abc",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "...",
        "....",
        "..",
        "eyJ.eyJ.",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE4NDQ2NzQ0MDczNzA5NTUxNjE2fQ.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOi0xfQ.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjFlMzA4fQ.c2ln",
        "e😀J.eyJ.c2ln",
        "=.=.=",
        "eyJhbGciOiJSUzI1NiJ9=.eyJleHAiOjF9==.c2ln===",
        // URIs, hosts, query strings.
        "otpauth://totp/",
        "otpauth://totp/a:b?secret=JBSWY3DPEHPK3PXP&digits=4294967296&period=-1",
        "otpauth://totp/%",
        "otpauth://totp/%e",
        "otpauth://totp/%+5",
        "otpauth://totp/%é",
        "otpauth://totp/x?secret=%G1&digits=99999999999999999999",
        "https://",
        "https://:",
        "https://[",
        "https://[::1",
        "https://[::1]:",
        "https://[::1]:99999",
        "https://h:-1",
        "https://h:65536",
        "https://h:18446744073709551616",
        "https://ｈｏｓｔ",
        "h/é",
        "a=b&c",
        "%%%",
        "%2",
        "%zz=%",
        "=&=&&",
        "-----",
        "----------",
        "-----BEGIN-----",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "-----BEGIN CERTIFICATE-----\nMIAw\n-----END CERTIFICATE-----",
        "-----BEGIN CERTIFICATE-----\nMIT/////\n-----END CERTIFICATE-----",
        "04",
        "0",
        "zz",
        "é0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    list.push("9".repeat(10_000));
    list.push("-".repeat(10_000));
    list.push("😀".repeat(2_500));
    list.push("é".repeat(5_000));
    list.push(".".repeat(10_000));
    list.push(format!("2024-01-01T00:00:00.{}Z", "9".repeat(10_000)));
    list.push(format!("Sun, 06 Nov {} 08:49:37 GMT", "9".repeat(10_000)));
    list
}

/// Every input one parser gets: the hostile list, its `seeds` with a multi-byte character
/// inserted at and put in place of each position and cut at each position, and
/// `PER_KIND` each of random bytes, random ASCII and seed mutations.
fn inputs(seeds: &[&str]) -> Vec<String> {
    let mut all = hostile();
    for seed in seeds {
        all.push(seed.to_string());
        let bounds: Vec<usize> = seed
            .char_indices()
            .map(|(i, _)| i)
            .chain([seed.len()])
            .collect();
        for (k, &at) in bounds.iter().enumerate() {
            all.push(seed[..at].to_string());
            for mb in MULTI_BYTE {
                all.push(format!("{}{mb}{}", &seed[..at], &seed[at..]));
                if let Some(&next) = bounds.get(k + 1) {
                    all.push(format!("{}{mb}{}", &seed[..at], &seed[next..]));
                }
            }
        }
    }
    let mut rng = XorShift(SEED);
    for _ in 0..PER_KIND {
        let len = rng.below(48);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        all.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    const ASCII: &[u8] = b"0123456789-+:.TZ ,eE=_%&/?abcfxXGMTNov\t[]";
    for _ in 0..PER_KIND {
        let len = rng.below(40);
        all.push(
            (0..len)
                .map(|_| char::from(ASCII[rng.below(ASCII.len())]))
                .collect(),
        );
    }
    if !seeds.is_empty() {
        for _ in 0..PER_KIND {
            let mut text = rng.pick(seeds).to_string();
            for _ in 0..1 + rng.below(3) {
                let bounds: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let at = bounds[rng.below(bounds.len())];
                let to = bounds[rng.below(bounds.len())].max(at);
                let fragment = rng.pick(FRAGMENTS);
                match rng.below(3) {
                    // Insert.
                    0 => text.insert_str(at, fragment),
                    // Replace a range.
                    1 => text.replace_range(at..to, fragment),
                    // Delete a range.
                    _ => text.replace_range(at..to, ""),
                }
            }
            all.push(text);
        }
    }
    all
}

/// `text` as a JSON number when it reads as one (so `1e400` and `-0` are numbers), else
/// as a JSON string.
fn number_or_text(text: &str) -> Value {
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_number)
        .unwrap_or_else(|| Value::String(text.to_string()))
}

/// Feeds every input to `parse` under `catch_unwind`; the first panic fails the test,
/// naming the parser and the input. Returns how many inputs were fed.
fn survive(parser: &str, inputs: &[String], parse: impl Fn(&str)) -> usize {
    let started = std::time::Instant::now();
    for input in inputs {
        if catch_unwind(AssertUnwindSafe(|| parse(input))).is_err() {
            let shown: String = input.chars().take(120).collect();
            panic!(
                "{parser} panicked on {shown:?} ({} bytes; generated with seed {SEED:#x})",
                input.len()
            );
        }
    }
    println!("{parser}: {:?}", started.elapsed());
    inputs.len()
}

const DATE_SEEDS: &[&str] = &[
    "2022-08-17T06:35:28.376Z",
    "2099-01-01T00:00:00+08:00",
    "1970-01-01T00:00:00-00:30",
    "9999-12-31T23:59:59.999Z",
];
const HTTP_DATE_SEEDS: &[&str] = &[
    "120",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
];
const NUMBER_SEEDS: &[&str] = &["3600", "299.5", "-1", "1e3", "0"];

#[test]
fn no_parser_of_server_text_panics_on_generated_hostile_input() {
    let mut fed = Vec::<(&str, usize)>::new();

    let dates = inputs(DATE_SEEDS);
    fed.push((
        "mfa tokenExpiredAt (parse_utc)",
        survive("parse_utc", &dates, |s| {
            if let Some(at) = crate::client::v2::parse_utc(s) {
                let secs = at.duration_since(UNIX_EPOCH).unwrap().as_secs();
                assert!(secs < 253_402_300_800 + 86_400, "{secs}");
            }
        }),
    ));
    fed.push((
        "mfa completion answer (token_answer)",
        survive("token_answer", &dates, |s| {
            crate::client::v2::token_answer(&json!({"token": "t", "tokenExpiredAt": s}));
            crate::client::v2::token_answer(
                &json!({"access_token": "a", "expire_in": number_or_text(s)}),
            );
        }),
    ));

    let waits = inputs(HTTP_DATE_SEEDS);
    let far = UNIX_EPOCH + Duration::from_secs(253_402_300_799);
    fed.push((
        "Retry-After",
        survive("retry_after::parse", &waits, |s| {
            for now in [UNIX_EPOCH, SystemTime::now(), far] {
                if let Some(wait) = crate::transport::retry_after::parse(s, now) {
                    assert!(wait <= MAX_WAIT, "{wait:?}");
                }
            }
        }),
    ));

    let numbers = inputs(NUMBER_SEEDS);
    fed.push((
        "envelope numbers (lenient_i32, from_envelope, from_error_envelope)",
        survive("envelope", &numbers, |s| {
            response::lenient_i32(&Value::String(s.to_string()));
            response::lenient_i32(&number_or_text(s));
            let n = number_or_text(s);
            for body in [
                json!({"statusCode": n, "apiCode": n, "message": s, "data": {"retryAfter": n}}),
                json!({"statusCode": 429, "data": {"retryAfter": n}}),
            ] {
                if let Ok(read) = response::from_envelope(body.clone(), None) {
                    assert!(read.retry_after().is_none_or(|w| w <= MAX_WAIT));
                }
                response::from_error_envelope(body.to_string().as_bytes(), None);
            }
            response::from_error_envelope(s.as_bytes(), None);
        }),
    ));
    fed.push((
        "mfa challenges and the app's connections (MfaChallenge, social_connections)",
        survive("challenge", &numbers, |s| {
            let n = number_or_text(s);
            let body = json!({"statusCode": 401, "apiCode": 1636, "message": s, "data": {
                "mfaToken": s, "totpMfaEnabled": true,
                "applicationMfa": [{"mfaPolicy": s, "status": n, "sort": n},
                                   {"mfaPolicy": "SMS", "status": 1, "sort": n}]}});
            if let Ok(read) = response::from_envelope(body, None) {
                read.mfa_challenge();
            }
            crate::model::social::social_connections(
                &json!({"ecConnections": [{"type": s, "identifier": s}, {"provider": n}]}),
            );
        }),
    ));
    fed.push((
        "token lifetimes (TokenSet, tokenExpiresIn, a push's expireTime)",
        survive("lifetimes", &numbers, |s| {
            let n = number_or_text(s);
            crate::session::TokenSet::from_response(&response::from_plain_json(
                json!({"access_token": "a", "expire_in": n}),
            ))
            .ok();
            crate::session::TokenSet::from_response(&response::from_plain_json(
                json!({"access_token": "a", "expires_in": n, "token_type": s}),
            ))
            .ok();
            crate::model::recovery::whole_seconds(&n).ok();
            crate::model::recovery::whole_seconds(&Value::String(s.to_string())).ok();
            response::from_plain_json(json!({"passwordResetToken": "t", "tokenExpiresIn": n}))
                .reset_password_data()
                .ok();
            crate::model::page::Page::<Value>::from_response(&response::from_plain_json(
                json!({"totalCount": n, "list": []}),
            ))
            .ok();
            response::from_plain_json(json!({"pushCodeId": "p", "expireTime": n}))
                .push_code()
                .ok();
        }),
    ));

    let saved = inputs(&[
        r#"{"format":"authing-session","version":1,"tokens":{"access_token":"a","expire_in":6,"expires_at_ms":1}}"#,
        "18446744073709551615",
    ]);
    fed.push((
        "the session file (Session::from_json)",
        survive("Session::from_json", &saved, |s| {
            crate::Session::from_json(s).ok();
            let n = number_or_text(s);
            let session = json!({"format": "authing-session", "version": n,
                "tokens": {"access_token": s, "expire_in": n, "expires_at_ms": n}});
            crate::Session::from_json(&session.to_string()).ok();
            let session = json!({"format": "authing-session", "version": 1,
                "tokens": {"access_token": "a", "expire_in": n, "expires_at_ms": n}});
            crate::Session::from_json(&session.to_string()).ok();
        }),
    ));

    let uris = inputs(&[
        "otpauth://totp/Authing:mike?secret=JBSWY3DPEHPK3PXP&issuer=Authing&digits=6&period=30",
        "a%20b+c=d%2B&e",
    ]);
    fed.push((
        "otpauth:// and urlencoded",
        survive("otpauth/urlencoded", &uris, |s| {
            crate::model::mfa::OtpEnrollment::from_value(&json!({"qrCodeUri": s})).ok();
            crate::model::mfa::OtpEnrollment::from_value(
                &json!({"qrCodeUri": format!("otpauth://totp/{s}")}),
            )
            .ok();
            crate::transport::urlencoded::decode_pairs(s);
        }),
    ));

    let hosts = inputs(&[
        "https://core.authing.cn:443/base/",
        "http://[::1]:8080",
        "app.example.com",
    ]);
    fed.push((
        "hosts and headers (base_url, extra_header)",
        survive("base_url/extra_header", &hosts, |s| {
            crate::client::config::base_url("requestHostname", s).ok();
            crate::transport::headers::extra_header(s, s).ok();
            crate::transport::headers::extra_header("x-extra", s).ok();
        }),
    ));

    let qr = inputs(&["qr-1", "https://example.com/qr?id=1"]);
    fed.push((
        "qr codes (QrCode, QrCodeState)",
        survive("qr", &qr, |s| {
            let n = number_or_text(s);
            response::from_plain_json(json!({"qrcodeId": s, "url": s, "customLogoUrl": s}))
                .qr_code()
                .ok();
            response::from_plain_json(
                json!({"status": n, "ticket": s, "userInfo": {"nickname": s}}),
            )
            .qr_code_state()
            .ok();
            response::from_plain_json(json!({"status": s}))
                .qr_code_state()
                .ok();
        }),
    ));

    // Drawing takes milliseconds in a debug build: every twentieth short one of the hand-made
    // list and the seeds' variants only.
    #[cfg(feature = "qrcode")]
    let short: Vec<String> = qr[..qr.len() - 3 * PER_KIND]
        .iter()
        .filter(|s| s.len() <= 64)
        .step_by(20)
        .cloned()
        .collect();
    #[cfg(feature = "qrcode")]
    fed.push((
        "qr code drawing (QrCode::to_matrix)",
        survive("qr drawing", &short, |s| {
            if let Ok(code) = response::from_plain_json(json!({"qrcodeId": s, "url": s})).qr_code()
            {
                code.to_matrix().ok();
            }
        }),
    ));

    let pem = inputs(&[
        "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    ]);
    fed.push((
        "pem and der (certificates, is_one_der_sequence, avatar sniff)",
        survive("pem", &pem, |s| {
            crate::transport::tls::certificates("root_certificates_pem", s.as_bytes()).ok();
            crate::model::avatar::ImageKind::sniff(s.as_bytes());
        }),
    ));

    #[cfg(any(feature = "rsa", feature = "sm2"))]
    fed.push((
        "public keys (pem_body, base64, hex)",
        survive("crypto", &pem, |s| {
            #[cfg(feature = "rsa")]
            {
                crate::crypto::pem_body(s);
                crate::crypto::base64_decode(s);
                crate::crypto::rsa_public_key(s).ok();
            }
            #[cfg(feature = "sm2")]
            {
                crate::crypto::hex_decode(s);
                crate::crypto::sm2_public_key(s).ok();
            }
        }),
    ));

    // Well-formed PKCS#1 DER around hostile numbers: a zero, one or even modulus, an
    // exponent of 0, 1 or 2, a modulus longer than the rsa crate takes; then encryption.
    #[cfg(feature = "rsa")]
    {
        fn der(tag: u8, body: &[u8]) -> Vec<u8> {
            let mut out = vec![tag];
            match body.len() {
                n if n < 0x80 => out.push(n as u8),
                n if n < 0x100 => out.extend([0x81, n as u8]),
                n => out.extend([0x82, (n >> 8) as u8, n as u8]),
            }
            out.extend_from_slice(body);
            out
        }
        let mut rng = XorShift(SEED ^ 0x5253_4131);
        let mut keys = Vec::new();
        for i in 0..400 {
            let n_len = match i % 4 {
                0 => rng.below(4),
                1 => rng.below(80),
                2 => 1 + rng.below(700),
                _ => 513 + rng.below(64),
            };
            let n: Vec<u8> = (0..n_len).map(|_| rng.next() as u8).collect();
            let e: Vec<u8> = match i % 5 {
                0 => vec![],
                1 => vec![0],
                2 => vec![1],
                3 => vec![2],
                _ => (0..1 + rng.below(9)).map(|_| rng.next() as u8).collect(),
            };
            let body = [der(0x02, &n), der(0x02, &e)].concat();
            keys.push(crate::crypto::base64_encode(&der(0x30, &body)));
        }
        fed.push((
            "rsa keys of hostile numbers (crypto::encrypt)",
            survive("rsa encrypt", &keys, |key| {
                crate::crypto::encrypt(crate::model::PasswordEncryptType::rsa, key, "passw0rd")
                    .ok();
            }),
        ));
    }

    #[cfg(feature = "totp")]
    fed.push((
        "totp secrets (totp::generate)",
        survive("totp::generate", &uris, |s| {
            crate::totp::generate(s, SystemTime::now()).ok();
            crate::totp::generate(s, far).ok();
        }),
    ));

    #[cfg(feature = "oidc")]
    {
        let tokens = inputs(&[
            "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJleHAiOjIwMDAsImlhdCI6MTAwMH0.c2ln",
            "e30.e30.",
        ]);
        fed.push((
            "JWTs (jwt::parse, base64url_decode, id_token claims)",
            survive("jwt", &tokens, |s| {
                crate::oidc::jwt::parse(s).ok();
                crate::oidc::jwt::base64url_decode(s);
                let n = number_or_text(s);
                let expected = crate::oidc::id_token::Expected {
                    issuer: "https://issuer",
                    client_id: "app",
                    nonce: Some("n"),
                    now: SystemTime::now(),
                };
                let claims = json!({"iss": "https://issuer", "aud": ["app", s], "azp": s,
                    "exp": n, "iat": n, "nonce": "n", "sub": s});
                let Value::Object(claims) = claims else {
                    unreachable!()
                };
                crate::oidc::id_token::check_claims(claims, &expected).ok();
                let jwks = json!({"keys": [{"kty": "RSA", "kid": s, "n": s, "e": s}]});
                crate::oidc::jwt::rsa_keys(&jwks).ok();
                let token = format!(
                    "{}.{}.{s}",
                    crate::oidc::jwt::base64url(br#"{"alg":"RS256"}"#),
                    crate::oidc::jwt::base64url(json!({"exp": n}).to_string().as_bytes())
                );
                crate::oidc::jwt::parse(&token).ok();
            }),
        ));
    }

    // A JWK of hostile numbers checking a signature of hostile length.
    #[cfg(feature = "oidc")]
    {
        use crate::oidc::jwt;
        let mut rng = XorShift(SEED ^ 0x4a57_4b53);
        let mut cases = Vec::new();
        for i in 0..300 {
            let mut bytes =
                |len: usize| -> Vec<u8> { (0..len).map(|_| rng.next() as u8).collect() };
            let n = bytes([0, 1, 8, 64, 256, 257, 600][i % 7]);
            let e = bytes(i % 5);
            let signature = bytes([0, 1, 64, 256, 300][i % 5]);
            cases.push(
                json!({
                    "n": jwt::base64url(&n),
                    "e": jwt::base64url(&e),
                    "token": format!("e30.e30.{}", jwt::base64url(&signature)),
                })
                .to_string(),
            );
        }
        fed.push((
            "jwk numbers and signatures (jwt::verify_rs256)",
            survive("verify_rs256", &cases, |case| {
                let case: Value = serde_json::from_str(case).unwrap();
                let jwks = json!({"keys": [{"kty": "RSA", "n": case["n"], "e": case["e"]}]});
                let token = case["token"].as_str().unwrap();
                if let (Ok(keys), Ok(jws)) = (jwt::rsa_keys(&jwks), jwt::parse(token)) {
                    if let Ok(key) = jwt::key_for(&jws, &keys) {
                        jwt::verify_rs256(&jws, key);
                    }
                }
            }),
        ));
    }

    let total: usize = fed.iter().map(|(_, n)| n).sum();
    for (parser, n) in &fed {
        println!("{n:>6} inputs: {parser}");
    }
    println!("{total:>6} inputs in all, seed {SEED:#x}");
    assert!(total > 20_000, "{total}");
}
