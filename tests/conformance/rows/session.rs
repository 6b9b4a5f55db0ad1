//! The conformance rows of the signed-in session (`get_profile`, the refresh, `logout`).
//! One `Call` a way of calling; the paths only these rows send are defined here.

use crate::{Call, AD_ACCOUNT, PASSWORD, PROFILE, SIGNIN, USERNAME};
use authing::AuthOptions;
use std::time::Duration;

const TOKEN: &str = "POST /oidc/token";
const REVOKE: &str = "POST /oidc/token/revocation";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "get_profile with every flag answers the signed-in user",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.get_profile_blocking(true, true, true)
        },
    },
    Call {
        does: "get_profile of a directory account answers its identities",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c.client.sign_in_by_ad_blocking(AD_ACCOUNT, PASSWORD, None));
            c.client.get_profile_blocking(false, true, false)
        },
    },
    Call {
        does: "get_profile with a token the server says has expired refreshes it and asks again",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE, TOKEN, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.emu.advance_clock(Duration::from_secs(7201));
            c.client.get_profile_blocking(false, false, false)
        },
    },
    Call {
        does: "get_profile with an ended token and no refresh token fails with an api code",
        method: "get_profile_blocking",
        sends: &[SIGNIN, PROFILE, PROFILE],
        answers: 401,
        run: |c| {
            let mut options = AuthOptions::new();
            options.set_scope("openid profile");
            c.ok(c
                .client
                .sign_in_by_account_password_blocking(USERNAME, PASSWORD, options));
            assert_eq!(c.emu.expire_access_tokens(USERNAME), 1);
            let response = c.client.get_profile_blocking(false, false, false);
            assert_eq!(response.api_code(), 2020, "{}", response.message());
            response
        },
    },
    Call {
        does: "get_new_access_token_by_refresh_token renews the session's tokens",
        method: "get_new_access_token_by_refresh_token_blocking",
        sends: &[SIGNIN, PROFILE, TOKEN],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .get_new_access_token_by_refresh_token_blocking(None)
        },
    },
    Call {
        does: "get_new_access_token_by_refresh_token with an expired refresh token is refused",
        method: "get_new_access_token_by_refresh_token_blocking",
        sends: &[SIGNIN, PROFILE, TOKEN],
        answers: 400,
        run: |c| {
            c.ok(c.sign_in());
            c.emu.advance_clock(Duration::from_secs(31 * 24 * 3600));
            c.client
                .get_new_access_token_by_refresh_token_blocking(None)
        },
    },
    Call {
        does: "logout revokes the refresh token, then the access token",
        method: "logout_blocking",
        sends: &[SIGNIN, PROFILE, REVOKE, REVOKE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.logout_blocking()
        },
    },
];
