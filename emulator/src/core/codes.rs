//! The apiCodes more than one family answers, in one place; a family's own codes are in
//! its `mod.rs` (`codes`).
//!
//! 2004, 2005, 2006, 2011, 2020 and 2333 are in Authing's v3 error table; 2001, 2028, 2231
//! and 2300 come from the older v2 list. 2302, 2304 and 2305 are **the emulator's own**:
//! Authing publishes no code for a voided code, a refused password or a taken username,
//! email or phone (docs/EMULATOR.md).

/// The application does not exist (v3 table).
pub(crate) const APP_NOT_FOUND: u32 = 2011;

/// The user does not exist (v3 table).
pub(crate) const USER_NOT_FOUND: u32 = 2004;

/// Wrong verification code (v2 list, also in the Android v3 SDK).
pub(crate) const WRONG_CODE: u32 = 2001;

/// The verification code expired (v2 list).
pub(crate) const CODE_EXPIRED: u32 = 2300;

/// The emulator's own: the code was voided by too many wrong tries.
pub(crate) const TOO_MANY_ATTEMPTS: u32 = 2302;

/// The emulator's own: the new password is outside the policy.
pub(crate) const BAD_PASSWORD: u32 = 2304;

/// A malformed phone number or email (v2 list).
pub(crate) const BAD_TARGET: u32 = 2028;

/// A missing or malformed parameter (v2 list).
pub(crate) const BAD_PARAMS: u32 = 2231;

/// The account is locked (v3 table).
pub(crate) const USER_LOCKED: u32 = 2005;

/// Wrong password, when unknown accounts are revealed (v3 table).
pub(crate) const WRONG_PASSWORD: u32 = 2006;

/// Not signed in: no valid access token (v3 table).
pub(crate) const NOT_SIGNED_IN: u32 = 2020;

/// Wrong account or password (v3 table).
pub(crate) const WRONG_ACCOUNT_OR_PASSWORD: u32 = 2333;

/// The emulator's own: the username, email, phone or directory account is taken.
pub(crate) const USER_EXISTS: u32 = 2305;
