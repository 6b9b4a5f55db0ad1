//! Payloads and typed answers, one module per family of calls.

mod accessors;
pub(crate) mod avatar;
pub(crate) mod browser;
pub(crate) mod captcha;
pub(crate) mod channel;
pub(crate) mod claims;
pub(crate) mod common;
pub(crate) mod deletion;
pub(crate) mod devices;
pub(crate) mod directory;
pub(crate) mod events;
pub(crate) mod id_token_user;
pub(crate) mod identities;
pub(crate) mod mfa;
pub(crate) mod oidc;
pub(crate) mod page;
pub(crate) mod passkeys;
pub(crate) mod password;
pub(crate) mod permissions;
pub(crate) mod profile;
pub(crate) mod push;
pub(crate) mod push_sign_in;
pub(crate) mod qrcode;
pub(crate) mod qrcode_fastpass;
#[cfg(feature = "qrcode")]
pub(crate) mod qrcode_render;
pub(crate) mod qrcode_sign_in;
pub(crate) mod recovery;
pub(crate) mod session;
pub(crate) mod signin;
pub(crate) mod signup;
pub(crate) mod social;
pub(crate) mod social_binding;
pub(crate) mod switch_login;
pub(crate) mod tokens;
pub(crate) mod verified;
pub(crate) mod wechat;
mod wire_enum;

pub use avatar::{Avatar, MAX_AVATAR_BYTES};
pub use browser::{BrowserSignIn, OpenOutcome, DEFAULT_BROWSER_TIMEOUT, DEFAULT_REDIRECT_PATH};
pub use captcha::{CaptchaImage, PreCheckCodePayload, PreCheckCodeResult};
pub use channel::{EmailType, SmsType};
pub use claims::UserClaims;
pub use common::Country;
pub use deletion::{DeleteAccountPayload, DeleteAccountVerifyMethod};
pub use devices::{Device, DeviceSession};
pub use directory::{
    AppInfo, AuthorizedResource, Department, Group, LoginRecord, OptionalResourceType,
    ResourceType, Role, Tenant,
};
pub use events::{AuthEvent, EventCallback, EventEnd, SubEvent};
pub use identities::{ExtIdp, Identity};
pub use mfa::{
    EnrollFactorRequestData, Factor, FactorProfile, FactorType, MfaChallenge, OtpEnrollment,
};
pub use oidc::AuthRequest;
pub use page::Page;
pub use passkeys::{
    AuthenticationOptions, AuthenticatorCode, PasskeyList, PasskeyVerification, RegistrationOptions,
};
pub use password::PasswordEncryptType;
pub use permissions::{
    AuthResource, DataResourceType, PermissionCheck, PermissionResult, ResourcePermission,
    ResourcePermissions, ResourceStruct, TreeNode, TreeNodeAuth, UserAuthResources,
};
pub use profile::{Gender, PasswordStrength, Profile, SecurityInfo};
pub use push::{PushCode, PushCodeAction, PushCodeState, PushCodeStatus};
pub use push_sign_in::{
    PushCodeUpdate, PushSignInOptions, DEFAULT_PUSH_POLL_INTERVAL, DEFAULT_PUSH_TIMEOUT,
};
pub use qrcode::{Action, QrCode, QrCodeState, QrCodeStatus};
pub use qrcode_fastpass::{FastpassApp, FastpassOptions, FastpassParty, FastpassQrCode};
pub use qrcode_sign_in::{
    QrCodeSignInOptions, QrCodeUpdate, DEFAULT_QR_POLL_INTERVAL, DEFAULT_QR_TIMEOUT,
};
pub use recovery::{
    ResetPasswordData, ResetPasswordPayload, ResetPasswordVerifyMethod, ResetToken,
};
pub use session::UserInfo;
pub use signin::{AuthOptions, DEFAULT_SCOPE};
pub use signup::AuthProfile;
pub use social::Connection;
pub use social_binding::SocialBinding;
pub use switch_login::{PublicAccount, PublicAccountList};
pub use tokens::{
    BuildLogoutUrlParams, ClientCredentialInput, MfaTokenIntrospection, TokenIntrospection,
    ValidateTokenParams,
};
pub use verified::{
    DeleteAccountData, DeleteAccountToken, UpdateEmailData, UpdateEmailToken, UpdatePhoneData,
    UpdatePhoneToken,
};
pub use wechat::{WechatAccessToken, WechatPhone};
