//! The passcode channels: [`SmsType`] for `send_sms`, [`EmailType`] for `send_email`.

use std::fmt;

/// Declares a channel enum whose variants are Java's constants, spelled as on the wire
/// (their one public name), with `ALL`, `as_str`, `Debug`, `Display` and `Serialize`.
macro_rules! channels {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $java:ident ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $java, )+
        }

        impl $name {
            /// Every channel, in the order of Authing's documentation.
            pub const ALL: &'static [$name] = &[$($name::$java),+];

            /// The name on the wire, such as `"CHANNEL_RESET_PASSWORD"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$java => stringify!($java), )+
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

channels! {
    /// Why an SMS passcode is sent (Java: `SmsType`), the `channel` of `POST /api/v3/send-sms`.
    ///
    /// Each channel has one name, Java's constant, which is also the wire value and what
    /// `Debug` and `Display` print: `SmsType::CHANNEL_RESET_PASSWORD`.
    ///
    /// ```
    /// use authing::SmsType;
    /// assert_eq!(SmsType::CHANNEL_RESET_PASSWORD.as_str(), "CHANNEL_RESET_PASSWORD");
    /// assert_eq!(format!("{:?}", SmsType::CHANNEL_LOGIN), "CHANNEL_LOGIN");
    /// assert_eq!(SmsType::CHANNEL_LOGIN.to_string(), "CHANNEL_LOGIN");
    /// assert_eq!(SmsType::ALL.len(), 11);
    /// ```
    SmsType {
        /// Sign in with a passcode.
        CHANNEL_LOGIN,
        /// Sign up.
        CHANNEL_REGISTER,
        /// Reset a forgotten password.
        CHANNEL_RESET_PASSWORD,
        /// Bind a phone number to the account.
        CHANNEL_BIND_PHONE,
        /// Unbind the phone number.
        CHANNEL_UNBIND_PHONE,
        /// Bind SMS multi-factor authentication.
        CHANNEL_BIND_MFA,
        /// Verify SMS multi-factor authentication.
        CHANNEL_VERIFY_MFA,
        /// Unbind SMS multi-factor authentication.
        CHANNEL_UNBIND_MFA,
        /// Complete a missing phone number.
        CHANNEL_COMPLETE_PHONE,
        /// Verify the user's identity.
        CHANNEL_IDENTITY_VERIFICATION,
        /// Delete the account.
        CHANNEL_DELETE_ACCOUNT,
    }
}

channels! {
    /// Why an email passcode is sent (Java: `EmailType`), the `channel` of
    /// `POST /api/v3/send-email`.
    ///
    /// One name per channel, as for [`SmsType`]: Java's constant, the wire value.
    ///
    /// ```
    /// use authing::EmailType;
    /// assert_eq!(EmailType::CHANNEL_RESET_PASSWORD.as_str(), "CHANNEL_RESET_PASSWORD");
    /// assert_eq!(format!("{:?}", EmailType::CHANNEL_VERIFY_MFA), "CHANNEL_VERIFY_MFA");
    /// assert_eq!(EmailType::ALL.len(), 11);
    /// ```
    EmailType {
        /// Sign in with a passcode.
        CHANNEL_LOGIN,
        /// Sign up.
        CHANNEL_REGISTER,
        /// Reset a forgotten password.
        CHANNEL_RESET_PASSWORD,
        /// Verify an email link.
        CHANNEL_VERIFY_EMAIL_LINK,
        /// Change the email address.
        CHANNEL_UPDATE_EMAIL,
        /// Bind an email address.
        CHANNEL_BIND_EMAIL,
        /// Unbind the email address.
        CHANNEL_UNBIND_EMAIL,
        /// Verify email multi-factor authentication.
        CHANNEL_VERIFY_MFA,
        /// Unlock a locked account.
        CHANNEL_UNLOCK_ACCOUNT,
        /// Complete a missing email address.
        CHANNEL_COMPLETE_EMAIL,
        /// Delete the account.
        CHANNEL_DELETE_ACCOUNT,
    }
}
