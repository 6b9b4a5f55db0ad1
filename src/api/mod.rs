//! The `AuthClient` calls, one module per family. Each module adds one `impl AuthClient`
//! block with the family's calls, the callback form and its blocking twin, under a
//! `/// # Family (Java: ...)` heading that rustdoc shows on `AuthClient`'s page. A family
//! file depends only on the client plumbing (`client/`), its model (`model/`) and
//! `validate`, never on another family; what two families share belongs in `client/`
//! (the test at the bottom of this file checks both ways).
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
// Authorization: what the user may do with data resources.
pub(crate) mod permissions;
// Linked identities.
pub(crate) mod identities;
// MFA.
pub(crate) mod mfa;
// QR-code sign-in.
pub(crate) mod qrcode;
// Push sign-in.
pub(crate) mod push;
// Mobile social sign-in.
pub(crate) mod social;
// Social account binding (WeChat mobile).
pub(crate) mod social_binding;
// WeChat helpers: mini program data and phone, the WeChat access token.
pub(crate) mod wechat;
// OpenID Connect and the browser sign-in.
pub(crate) mod oidc;
// Profile.
pub(crate) mod profile;
// Password and deletion.
pub(crate) mod account;
// Phone and email.
pub(crate) mod binding;
// Tokens: introspection, revocation, logout URL, client credentials.
pub(crate) mod tokens;
// Devices.
pub(crate) mod devices;
// Switch login: public accounts.
pub(crate) mod switch_login;
// Captcha and code checks.
pub(crate) mod captcha;
pub(crate) mod events;
// Passkeys (WebAuthn).
pub(crate) mod passkeys;

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// The `.rs` files of `src/<dir>`, with their text.
    fn sources(dir: &str) -> Vec<(PathBuf, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("a source folder")
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("a readable source file");
                (p, text)
            })
            .collect()
    }

    /// The lines of `text` outside its `#[cfg(test)]` module that name `needle`.
    fn lines_naming(text: &str, needle: &str) -> Vec<String> {
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        code.lines()
            .filter(|line| line.contains(needle))
            .map(|line| line.trim().to_string())
            .collect()
    }

    #[test]
    fn a_family_file_names_no_other_family_and_the_client_plumbing_names_none() {
        let mut sideways = Vec::new();
        for (path, text) in sources("api") {
            if path.ends_with("mod.rs") {
                continue;
            }
            for needle in ["crate::api", "super::"] {
                for line in lines_naming(&text, needle) {
                    sideways.push(format!("{}: {line}", path.display()));
                }
            }
        }
        assert!(
            sideways.is_empty(),
            "a family file depends on client/, model/ and validate only; move what two \
             families share into client/:\n  {}",
            sideways.join("\n  ")
        );
        let mut upward = Vec::new();
        for (path, text) in sources("client") {
            for line in lines_naming(&text, "crate::api") {
                upward.push(format!("{}: {line}", path.display()));
            }
        }
        assert!(
            upward.is_empty(),
            "client/ must not call into api/:\n  {}",
            upward.join("\n  ")
        );
    }
}
