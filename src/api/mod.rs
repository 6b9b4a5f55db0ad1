//! The `AuthClient` calls, one module per family. Each module adds one `impl AuthClient`
//! block with the family's calls, the callback form and its blocking twin, under a
//! `/// # Family (Java: ...)` heading that rustdoc shows on `AuthClient`'s page. A family
//! file depends only on the client plumbing (`client/`), its model (`model/`) and
//! `validate`, never on another family; what two families share belongs in `client/`.
//! The families are listed in the crate docs ("The families of calls").

// One line a family, in the order of the crate docs' list (rustdoc keeps it for the
// headings on `AuthClient`'s page).
// Account recovery.
pub(crate) mod recovery;
// Sign-up.
pub(crate) mod signup;
// Sign-in.
pub(crate) mod signin;
// The session.
pub(crate) mod session;
// Common lists (countries).
pub(crate) mod common;
// What the signed-in user may access.
pub(crate) mod directory;
// Linked identities.
pub(crate) mod identities;
// MFA.
pub(crate) mod mfa;
// QR-code sign-in.
pub(crate) mod qrcode;
// Mobile social sign-in.
pub(crate) mod social;
// OpenID Connect and the browser sign-in.
pub(crate) mod oidc;
// Profile.
pub(crate) mod profile;
// Password and deletion.
pub(crate) mod account;
// Phone and email.
pub(crate) mod binding;
