//! Every Java spelling a port starts from has a `#[doc(alias)]` on the Rust call that
//! serves it (or is already its name), so that rustdoc's search finds `signInByMobile`.

use std::path::Path;

/// The public calls of Android's `cn.authing.api.network.AuthClient`
/// (`Authing/authing-android-sdk`, the newest release).
const ANDROID: &[&str] = &[
    "signUpByUserNamePassword",
    "signUpByEmailPassword",
    "signUpByEmailPassCode",
    "signUpByPhonePassCode",
    "signInByAccountPassword",
    "signInByUserNamePassword",
    "signInByEmailPassword",
    "signInByPhonePassword",
    "signInByPhonePassCode",
    "signInByEmailPassCode",
    "signInByAD",
    "signInByLDAP",
    "signInByOneAuth",
    "signInByWechatMiniProgram",
    "signInByMobile",
    "checkQRCodeStatus",
    "exchangeTokenSetWithQRCode",
    "changeQrCodeStatus",
    "linkExtIdp",
    "unLinkExtIdp",
    "getIdentities",
    "getExtIdps",
    "sendSms",
    "sendEmail",
    "sendEnrollFactorRequest",
    "enrollFactor",
    "resetFactor",
    "listEnrolledFactors",
    "getFactor",
    "listFactorsToEnroll",
    "getProfile",
    "updateProfile",
    "uploadAvatar",
    "computePasswordSecurityLevel",
    "getSecurityLevel",
    "bindPhone",
    "unBindPhone",
    "bindEmail",
    "unBindEmail",
    "updatePhoneRequest",
    "updatePhone",
    "updateEmailRequest",
    "updateEmail",
    "updatePassword",
    "resetPasswordByPhone",
    "resetPasswordByEmail",
    "resetPasswordRequest",
    "resetPassword",
    "deleteAccountRequest",
    "deleteAccount",
    "logout",
    "getLoginHistory",
    "getLoggedInApps",
    "getAccessibleApps",
    "getTenantList",
    "getRoleList",
    "getGroupList",
    "getDepartmentList",
    "getAuthorizedResources",
    "system",
    "getCountryList",
    "buildAuthorizeUrl",
    "getAccessTokenByCode",
    "getUserInfoByAccessToken",
    "getNewAccessTokenByRefreshToken",
];

/// Spellings of Authing's published v3 samples and Java SDK that differ from Android's.
const DOCS: &[&str] = &[
    "signUpByUsernamePassword",
    "signInByUsernamePassword",
    "unlinkExtIdp",
];

/// Guard's `AuthClient` calls that docs/PORTING.md maps to one Rust call each.
const GUARD: &[&str] = &[
    "registerByEmail",
    "registerByEmailCode",
    "registerByUserName",
    "loginByAccount",
    "loginByPhoneCode",
    "loginByEmailCode",
    "loginByWechat",
    "loginByAlipay",
    "loginByWecom",
    "loginByWecomAgency",
    "loginByLark",
    "loginByGoogle",
    "loginByFaceBook",
    "loginByOneAuth",
    "loginByWechatMiniProgram",
    "resetPasswordByPhoneCode",
    "resetPasswordByEmailCode",
    "unbindPhone",
    "unbindEmail",
    "listRoles",
    "listApplications",
    "listAuthorizedResources",
    "updateUser",
    "getCurrentUser",
    "mfaVerifyByOTP",
    "mfaVerifyByRecoveryCode",
    "mfaVerifyByPhone",
    "mfaVerifyByEmail",
];

/// The text of `src/api/*.rs`.
fn api_sources() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("src/api") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            text.push_str(&std::fs::read_to_string(path).expect("a source file"));
        }
    }
    text
}

/// `camelCase` as the crate's `snake_case`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[test]
fn every_java_spelling_is_a_doc_alias_or_the_name_itself() {
    let text = api_sources();
    // The `#[doc(alias(..))]` attributes, each as one text (rustfmt may break one).
    let attributes: Vec<&str> = text
        .split("#[doc(alias(")
        .skip(1)
        .map(|rest| rest.split("))]").next().unwrap_or_default())
        .collect();
    let aliased = |name: &str| {
        attributes
            .iter()
            .any(|attribute| attribute.contains(&format!("\"{name}\"")))
    };
    let missing: Vec<&str> = ANDROID
        .iter()
        .chain(DOCS)
        .chain(GUARD)
        .copied()
        .filter(|name| !aliased(name) && !text.contains(&format!("pub fn {}<", snake(name))))
        .collect();
    assert!(missing.is_empty(), "no #[doc(alias)] for {missing:?}");
}
