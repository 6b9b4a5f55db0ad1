//! The passcode channels: [`SmsType`] for `send_sms`, [`EmailType`] for `send_email`.

use std::fmt;

/// Declares a channel enum with idiomatic variants, Java-spelled associated consts (the wire
/// names), `as_str` and `Display`.
macro_rules! channels {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $java:ident ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        #[allow(non_upper_case_globals)]
        impl $name {
            $(
                #[doc = concat!("Java's `", stringify!($name), ".", stringify!($java), "`.")]
                pub const $java: $name = $name::$variant;
            )+

            /// Every channel, in the order of Authing's documentation.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name on the wire, such as `"CHANNEL_RESET_PASSWORD"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => stringify!($java), )+
                }
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
    /// Java's constants keep their spelling: `SmsType::CHANNEL_RESET_PASSWORD`.
    ///
    /// ```
    /// use authing::SmsType;
    /// assert_eq!(SmsType::CHANNEL_RESET_PASSWORD, SmsType::ResetPassword);
    /// assert_eq!(SmsType::ResetPassword.as_str(), "CHANNEL_RESET_PASSWORD");
    /// assert_eq!(SmsType::ALL.len(), 11);
    /// ```
    SmsType {
        /// Sign in with a passcode.
        Login = CHANNEL_LOGIN,
        /// Sign up.
        Register = CHANNEL_REGISTER,
        /// Reset a forgotten password.
        ResetPassword = CHANNEL_RESET_PASSWORD,
        /// Bind a phone number to the account.
        BindPhone = CHANNEL_BIND_PHONE,
        /// Unbind the phone number.
        UnbindPhone = CHANNEL_UNBIND_PHONE,
        /// Bind SMS multi-factor authentication.
        BindMfa = CHANNEL_BIND_MFA,
        /// Verify SMS multi-factor authentication.
        VerifyMfa = CHANNEL_VERIFY_MFA,
        /// Unbind SMS multi-factor authentication.
        UnbindMfa = CHANNEL_UNBIND_MFA,
        /// Complete a missing phone number.
        CompletePhone = CHANNEL_COMPLETE_PHONE,
        /// Verify the user's identity.
        IdentityVerification = CHANNEL_IDENTITY_VERIFICATION,
        /// Delete the account.
        DeleteAccount = CHANNEL_DELETE_ACCOUNT,
    }
}

channels! {
    /// Why an email passcode is sent (Java: `EmailType`), the `channel` of
    /// `POST /api/v3/send-email`.
    ///
    /// ```
    /// use authing::EmailType;
    /// assert_eq!(EmailType::CHANNEL_RESET_PASSWORD.as_str(), "CHANNEL_RESET_PASSWORD");
    /// assert_eq!(EmailType::ALL.len(), 11);
    /// ```
    EmailType {
        /// Sign in with a passcode.
        Login = CHANNEL_LOGIN,
        /// Sign up.
        Register = CHANNEL_REGISTER,
        /// Reset a forgotten password.
        ResetPassword = CHANNEL_RESET_PASSWORD,
        /// Verify an email link.
        VerifyEmailLink = CHANNEL_VERIFY_EMAIL_LINK,
        /// Change the email address.
        UpdateEmail = CHANNEL_UPDATE_EMAIL,
        /// Bind an email address.
        BindEmail = CHANNEL_BIND_EMAIL,
        /// Unbind the email address.
        UnbindEmail = CHANNEL_UNBIND_EMAIL,
        /// Verify email multi-factor authentication.
        VerifyMfa = CHANNEL_VERIFY_MFA,
        /// Unlock a locked account.
        UnlockAccount = CHANNEL_UNLOCK_ACCOUNT,
        /// Complete a missing email address.
        CompleteEmail = CHANNEL_COMPLETE_EMAIL,
        /// Delete the account.
        DeleteAccount = CHANNEL_DELETE_ACCOUNT,
    }
}
