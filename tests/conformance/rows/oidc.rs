//! The conformance rows of OpenID Connect (the authorize URL, the code exchange, the user
//! info, the browser sign-in). One `Call` a way of calling; the paths only these rows send
//! are defined here.

use crate::{common, Call, Ctx, EMAIL};

const OIDC_DISCOVERY: &str = "GET /oidc/.well-known/openid-configuration";
const OIDC_JWKS: &str = "GET /oidc/.well-known/jwks.json";
const OIDC_TOKEN: &str = "POST /oidc/token";
const OIDC_PROFILE: &str = "GET /api/v3/get-profile";
const OIDC_ME: &str = "GET /oidc/me";
const OIDC_REVOKE: &str = "POST /oidc/token/revocation";
const OIDC_SESSION_END: &str = "GET /oidc/session/end";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "build_authorize_url with a fixed host builds the url and sends nothing",
        method: "build_authorize_url_blocking",
        sends: &[],
        answers: 200,
        run: |c| c.client.build_authorize_url_blocking(&oidc_request()),
    },
    Call {
        does: "build_sign_in_by_ext_idp_url builds the url and sends nothing",
        method: "build_sign_in_by_ext_idp_url_blocking",
        sends: &[],
        answers: 200,
        run: |c| {
            c.client
                .build_sign_in_by_ext_idp_url_blocking("my-github", &oidc_request())
        },
    },
    Call {
        does: "get_access_token_by_code fetches the provider's keys, exchanges the code and fetches the user",
        method: "get_access_token_by_code_blocking",
        sends: &[OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE],
        answers: 200,
        run: |c| {
            let request = oidc_request();
            let code = c.oidc_code(&request);
            c.client.get_access_token_by_code_blocking(&code, &request)
        },
    },
    Call {
        does: "get_access_token_by_code with a spent code is refused as invalid_grant",
        method: "get_access_token_by_code_blocking",
        sends: &[
            OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE, OIDC_DISCOVERY, OIDC_JWKS,
            OIDC_TOKEN,
        ],
        answers: 400,
        run: |c| {
            let request = oidc_request();
            let code = c.oidc_code(&request);
            c.ok(c.client.get_access_token_by_code_blocking(&code, &request));
            c.client.get_access_token_by_code_blocking(&code, &request)
        },
    },
    Call {
        does: "get_user_info_by_access_token answers the claims of the session's user",
        method: "get_user_info_by_access_token_blocking",
        sends: &[OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE, OIDC_ME],
        answers: 200,
        run: |c| {
            let request = oidc_request();
            let code = c.oidc_code(&request);
            c.ok(c.client.get_access_token_by_code_blocking(&code, &request));
            c.client.get_user_info_by_access_token_blocking(None)
        },
    },
    Call {
        does: "sign_in_by_browser fetches the provider's keys, exchanges the redirect's code and fetches the user",
        method: "sign_in_by_browser_blocking",
        sends: &[OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE],
        answers: 200,
        run: |c| c.client.sign_in_by_browser_blocking(c.oidc_browser()),
    },
    Call {
        does: "sign_in_by_browser through an external provider exchanges the redirect's code",
        method: "sign_in_by_browser_blocking",
        sends: &[OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE],
        answers: 200,
        run: |c| {
            c.emu
                .add_ext_idp(authing::emulator::NewExtIdp::new("my-github", "github", "GitHub"))
                .expect("seeded");
            c.client.sign_in_by_browser_blocking(c.ext_idp_browser("my-github"))
        },
    },
    Call {
        does: "logout after a browser sign-in revokes the tokens and ends the oidc session",
        method: "logout_blocking",
        sends: &[
            OIDC_DISCOVERY, OIDC_JWKS, OIDC_TOKEN, OIDC_PROFILE, OIDC_REVOKE, OIDC_REVOKE,
            OIDC_SESSION_END,
        ],
        answers: 200,
        run: |c| {
            c.ok(c.client.sign_in_by_browser_blocking(c.oidc_browser()));
            c.client.logout_blocking()
        },
    },
];

/// An authorization request with a loopback redirect URL.
fn oidc_request() -> authing::AuthRequest {
    let mut request = authing::AuthRequest::new();
    request.set_redirect_url("http://127.0.0.1:4321/callback");
    request
}

impl Ctx {
    /// Plays the browser for `request` (signs in as the email user, allows): the code.
    /// The browser goes to the emulator directly: it is not the SDK, and its requests are
    /// not the rows'.
    fn oidc_code(&self, request: &authing::AuthRequest) -> String {
        let url = self
            .client
            .build_authorize_url_blocking(request)
            .authorize_url()
            .expect("a url")
            .replace(&self.proxy.base_url(), &self.emu.base_url());
        let back = common::browser::Browser::new().sign_in(&url, EMAIL, "old-passw0rd", true);
        common::browser::query_param(&back, "code").expect("a code")
    }

    /// `sign_in_by_browser` settings through the external provider `connection`: the
    /// "browser" follows the redirect to the emulator's stand-in provider page, signs in
    /// there as the email user, and follows the redirect back.
    fn ext_idp_browser(&self, connection: &str) -> authing::BrowserSignIn {
        let (proxy, emu) = (self.proxy.base_url(), self.emu.base_url());
        authing::BrowserSignIn::new()
            .ext_idp(connection)
            .open_with(move |url: &str| {
                let url = url.replace(&proxy, &emu);
                std::thread::spawn(move || {
                    let mut browser = common::browser::Browser::new();
                    let provider = browser.get(&url);
                    let page = provider.location.expect("a redirect to the provider");
                    let back = browser.get(&format!("{page}&user={EMAIL}"));
                    browser.get(&back.location.expect("a redirect back"));
                });
            })
    }

    /// `sign_in_by_browser` settings whose "browser", on a thread of its own, signs in as
    /// the email user on the emulator (directly, as `oidc_code`) and follows the redirect.
    fn oidc_browser(&self) -> authing::BrowserSignIn {
        let (proxy, emu) = (self.proxy.base_url(), self.emu.base_url());
        authing::BrowserSignIn::new().open_with(move |url: &str| {
            let url = url.replace(&proxy, &emu);
            std::thread::spawn(move || {
                let mut browser = common::browser::Browser::new();
                let back = browser.sign_in(&url, EMAIL, "old-passw0rd", true);
                browser.get(&back);
            });
        })
    }
}
