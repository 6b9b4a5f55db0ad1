//! Payloads and typed answers, one module per family of calls.

pub(crate) mod channel;
pub(crate) mod password;
pub(crate) mod recovery;

pub use channel::{EmailType, SmsType};
pub use password::PasswordEncryptType;
pub use recovery::{
    ResetPasswordData, ResetPasswordPayload, ResetPasswordVerifyMethod, ResetToken,
};
