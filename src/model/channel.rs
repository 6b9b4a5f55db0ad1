//! The passcode channels: [`SmsType`] for `send_sms`, [`EmailType`] for `send_email`.

use super::wire_enum::wire_enum;

wire_enum! {
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
    SmsType: Serialize {
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

wire_enum! {
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
    EmailType: Serialize {
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
