//! Payloads and typed answers, one module per family of calls.

pub(crate) mod channel;
pub(crate) mod common;
pub(crate) mod directory;
pub(crate) mod identities;
pub(crate) mod mfa;
pub(crate) mod page;
pub(crate) mod password;
pub(crate) mod recovery;
pub(crate) mod session;
pub(crate) mod signin;
pub(crate) mod signup;

pub use channel::{EmailType, SmsType};
pub use common::Country;
pub use directory::{
    AppInfo, AuthorizedResource, Department, Group, LoginRecord, OptionalResourceType,
    ResourceType, Role, Tenant,
};
pub use identities::{ExtIdp, Identity};
pub use mfa::{
    EnrollFactorRequestData, Factor, FactorProfile, FactorType, MfaChallenge, OtpEnrollment,
};
pub use page::Page;
pub use password::PasswordEncryptType;
pub use recovery::{
    ResetPasswordData, ResetPasswordPayload, ResetPasswordVerifyMethod, ResetToken,
};
pub use session::UserInfo;
pub use signin::{AuthOptions, DEFAULT_SCOPE};
pub use signup::AuthProfile;
