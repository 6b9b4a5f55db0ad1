//! The verify-then-act tokens of the account family: the typed answers of
//! `update_phone_request`, `update_email_request` and `delete_account_request` (a one-time
//! token, its lifetime and the instant it expires), and the token each second step takes.
//!
//! The same pattern as the recovery journey's [`ResetPasswordData`](crate::ResetPasswordData)
//! and [`ResetToken`](crate::ResetToken): a token handed over as its typed answer carries its
//! expiry, so an expired one is refused locally (status code 10010) instead of on the
//! server; a plain string (as in Java) has no known expiry and goes to the server as it is.

use std::fmt;
use std::time::{Duration, Instant};

use crate::error::{AuthError, InputError};
use crate::model::recovery::whole_seconds;
use crate::redact::REDACTED;
use crate::response::AuthResponse;
use crate::validate;

/// Reads `{<token_key>: string, tokenExpiresIn: number}` from `response`: the token, its
/// lifetime in whole seconds, and the instant it expires.
fn read(response: &AuthResponse, token_key: &str) -> Result<(String, u64, Instant), AuthError> {
    let data: serde_json::Map<String, serde_json::Value> = response.data_as()?;
    let unexpected = |reason: String| AuthError::UnexpectedResponse { reason };
    let token = data
        .get(token_key)
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| unexpected(format!("the answer has no {token_key}")))?;
    let expires_in = data
        .get("tokenExpiresIn")
        .ok_or("the answer has no tokenExpiresIn")
        .and_then(whole_seconds)
        .map_err(|reason| unexpected(reason.into()))?;
    let expires_at = response
        .received_at()
        .checked_add(Duration::from_secs(expires_in))
        .ok_or_else(|| unexpected("tokenExpiresIn is out of range".into()))?;
    Ok((token.to_string(), expires_in, expires_at))
}

macro_rules! verified {
    (
        $data:ident, $token:ident, $accessor:ident, $token_fn:ident, $wire:literal, $field:literal,
        $request:literal, $call:literal, $what:literal
    ) => {
        #[doc = concat!("The typed answer of [`", $request, "`](crate::AuthClient::", $request, "), from [`AuthResponse::", stringify!($accessor), "`]: the `", $wire, "` that ", $what, ", its lifetime, and the instant it expires.")]
        ///
        /// The expiry instant is computed on this machine when the answer arrived
        /// ([`AuthResponse::received_at`] plus `tokenExpiresIn`, rounded down to whole
        /// seconds), so it does not depend on the server's clock. `Debug` hides the token.
        ///
        /// ```no_run
        #[doc = concat!("# fn f(response: authing::AuthResponse) -> Result<(), authing::AuthError> {")]
        #[doc = concat!("let verified = response.", stringify!($accessor), "()?;")]
        /// println!("valid for {} s, expired: {}", verified.token_expires_in(), verified.is_expired());
        /// # Ok(()) }
        /// ```
        #[derive(Clone, PartialEq, Eq)]
        pub struct $data {
            token: String,
            token_expires_in: u64,
            expires_at: Instant,
        }

        impl $data {
            #[doc = concat!("The `", $wire, "` itself. A secret: do not log it.")]
            ///
            /// ```no_run
            #[doc = concat!("# fn f(verified: authing::", stringify!($data), ") {")]
            #[doc = concat!("let token: &str = verified.", stringify!($token_fn), "();")]
            /// # let _ = token; }
            /// ```
            pub fn $token_fn(&self) -> &str {
                &self.token
            }

            /// The token's lifetime in whole seconds, as the server said (`tokenExpiresIn`).
            ///
            /// ```no_run
            #[doc = concat!("# fn f(verified: authing::", stringify!($data), ") {")]
            /// println!("{} s", verified.token_expires_in());
            /// # }
            /// ```
            pub fn token_expires_in(&self) -> u64 {
                self.token_expires_in
            }

            /// The instant the token expires, on this machine's monotonic clock.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(verified: authing::", stringify!($data), ") {")]
            /// let left = verified.expires_at().saturating_duration_since(std::time::Instant::now());
            /// # let _ = left; }
            /// ```
            pub fn expires_at(&self) -> Instant {
                self.expires_at
            }

            /// Whether the token has expired by now.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(verified: authing::", stringify!($data), ") {")]
            /// if verified.is_expired() { println!("verify again"); }
            /// # }
            /// ```
            pub fn is_expired(&self) -> bool {
                Instant::now() >= self.expires_at
            }
        }

        impl fmt::Debug for $data {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($data))
                    .field($field, &format_args!("{REDACTED}"))
                    .field("token_expires_in", &self.token_expires_in)
                    .field("expires_at", &self.expires_at)
                    .finish()
            }
        }

        #[doc = concat!("The token [`", $call, "`](crate::AuthClient::", $call, ") takes: a plain string (as in Java), or the [`", stringify!($data), "`] of the request's answer, which also carries the expiry so that an expired token is refused locally, before anything is sent. `Debug` hides the token.")]
        ///
        /// ```
        #[doc = concat!("use authing::", stringify!($token), ";")]
        #[doc = concat!("let from_java_style: ", stringify!($token), " = \"the-token\".into();")]
        /// assert_eq!(from_java_style.token(), "the-token");
        /// assert_eq!(from_java_style.expires_at(), None);
        /// assert!(!format!("{from_java_style:?}").contains("the-token"));
        /// ```
        #[derive(Clone, PartialEq, Eq)]
        pub struct $token {
            token: String,
            expires_at: Option<Instant>,
        }

        impl $token {
            /// The token itself.
            ///
            /// ```
            #[doc = concat!("assert_eq!(authing::", stringify!($token), "::from(\"t\").token(), \"t\");")]
            /// ```
            pub fn token(&self) -> &str {
                &self.token
            }

            #[doc = concat!("When it expires, if known (a token from [`", stringify!($data), "`]).")]
            ///
            /// ```
            #[doc = concat!("assert!(authing::", stringify!($token), "::from(\"t\").expires_at().is_none());")]
            /// ```
            pub fn expires_at(&self) -> Option<Instant> {
                self.expires_at
            }

            /// Checks the token before it goes on the wire: well-formed and, when its expiry
            /// is known, not expired.
            pub(crate) fn check(&self) -> Result<&str, InputError> {
                let token = validate::token($field, Some(&self.token))?;
                if self.expires_at.is_some_and(|at| Instant::now() >= at) {
                    return Err(InputError::new(
                        $field,
                        concat!("has expired; call ", $request, " again for a new token"),
                    ));
                }
                Ok(token)
            }
        }

        impl From<&str> for $token {
            fn from(token: &str) -> $token {
                $token {
                    token: token.to_string(),
                    expires_at: None,
                }
            }
        }

        impl From<String> for $token {
            fn from(token: String) -> $token {
                $token {
                    token,
                    expires_at: None,
                }
            }
        }

        impl From<&$data> for $token {
            fn from(data: &$data) -> $token {
                $token {
                    token: data.token.clone(),
                    expires_at: Some(data.expires_at),
                }
            }
        }

        impl From<$data> for $token {
            fn from(data: $data) -> $token {
                $token {
                    token: data.token,
                    expires_at: Some(data.expires_at),
                }
            }
        }

        impl fmt::Debug for $token {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($token))
                    .field("token", &format_args!("{REDACTED}"))
                    .field("expires_at", &self.expires_at)
                    .finish()
            }
        }

        impl AuthResponse {
            #[doc = concat!("The typed answer of `", $request, "`: the `", $wire, "`, its lifetime and the instant it expires.")]
            ///
            /// ```
            #[doc = concat!("# let response = authing::AuthClient::builder().build().unwrap().", $call, "_blocking(\"t\");")]
            #[doc = concat!("match response.", stringify!($accessor), "() {")]
            ///     Ok(verified) => println!("token valid for {} s", verified.token_expires_in()),
            ///     Err(error) => println!("no token: {error}"),
            /// }
            /// ```
            pub fn $accessor(&self) -> Result<$data, AuthError> {
                let (token, token_expires_in, expires_at) = read(self, $wire)?;
                Ok($data {
                    token,
                    token_expires_in,
                    expires_at,
                })
            }
        }
    };
}

verified!(
    UpdatePhoneData,
    UpdatePhoneToken,
    update_phone_data,
    update_phone_token,
    "updatePhoneToken",
    "update_phone_token",
    "update_phone_request",
    "update_phone",
    "changes the phone number"
);

verified!(
    UpdateEmailData,
    UpdateEmailToken,
    update_email_data,
    update_email_token,
    "updateEmailToken",
    "update_email_token",
    "update_email_request",
    "update_email",
    "changes the email address"
);

verified!(
    DeleteAccountData,
    DeleteAccountToken,
    delete_account_data,
    delete_account_token,
    "deleteAccountToken",
    "delete_account_token",
    "delete_account_request",
    "delete_account",
    "deletes the account"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_token_that_has_expired_is_refused_by_name() {
        let expired = UpdatePhoneToken {
            token: "t".into(),
            expires_at: Some(Instant::now()),
        };
        assert_eq!(
            expired.check().unwrap_err().to_string(),
            "invalid input: update_phone_token has expired; call update_phone_request again for a new token"
        );
        assert_eq!(UpdatePhoneToken::from("t").check().unwrap(), "t");
        assert_eq!(
            DeleteAccountToken::from(" ")
                .check()
                .unwrap_err()
                .to_string(),
            "invalid input: delete_account_token is only whitespace"
        );
    }
}
