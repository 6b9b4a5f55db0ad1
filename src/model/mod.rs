//! Payloads and typed answers, one module per family of calls.

pub(crate) mod avatar;
pub(crate) mod channel;
pub(crate) mod common;
pub(crate) mod deletion;
pub(crate) mod mfa;
pub(crate) mod password;
pub(crate) mod profile;
pub(crate) mod recovery;
pub(crate) mod session;
pub(crate) mod signin;
pub(crate) mod signup;
pub(crate) mod verified;

pub use avatar::{Avatar, MAX_AVATAR_BYTES};
pub use channel::{EmailType, SmsType};
pub use common::Country;
pub use deletion::{DeleteAccountPayload, DeleteAccountVerifyMethod};
pub use mfa::{
    EnrollFactorRequestData, Factor, FactorProfile, FactorType, MfaChallenge, OtpEnrollment,
};
pub use password::PasswordEncryptType;
pub use profile::{PasswordStrength, Profile, SecurityInfo};
pub use recovery::{
    ResetPasswordData, ResetPasswordPayload, ResetPasswordVerifyMethod, ResetToken,
};
pub use session::UserInfo;
pub use signin::{AuthOptions, DEFAULT_SCOPE};
pub use signup::AuthProfile;
pub use verified::{
    DeleteAccountData, DeleteAccountToken, UpdateEmailData, UpdateEmailToken, UpdatePhoneData,
    UpdatePhoneToken,
};
