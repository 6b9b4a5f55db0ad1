//! The conformance rows of mobile social sign-in (`sign_in_by_mobile`,
//! `sign_in_by_one_auth`, `sign_in_by_wechat_mini_program`). One `Call` a way of calling;
//! the paths only these rows send are defined here.

use crate::{Call, Ctx, PROFILE, PUBLIC_CONFIG};

const SIGNIN_BY_MOBILE: &str = "POST /api/v3/signin-by-mobile";
const ALIPAY_AUTH_INFO: &str = "GET /api/v3/get-alipay-authinfo";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "get_alipay_auth_info answers the authInfo of the app's alipay connection",
        method: "get_alipay_auth_info_blocking",
        sends: &[ALIPAY_AUTH_INFO],
        answers: 200,
        run: |c| c.client.get_alipay_auth_info_blocking("alipay"),
    },
    Call {
        does: "get_alipay_auth_info for a connection the app lacks fails with an api code",
        method: "get_alipay_auth_info_blocking",
        sends: &[ALIPAY_AUTH_INFO],
        answers: 400,
        run: |c| c.client.get_alipay_auth_info_blocking("no-such-alipay"),
    },
    Call {
        does: "sign_in_by_mobile reads the app's wechat identifier, signs in and starts the session",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let code = c.provider_code("wechat", "wx-1");
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::wechat, &code, None)
        },
    },
    Call {
        does: "sign_in_by_mobile with facebook sends its access token and signs in",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let code = c.provider_code("facebook", "fb-1");
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::facebook, &code, None)
        },
    },
    Call {
        does: "sign_in_by_mobile with a used code fails with an api code",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE, SIGNIN_BY_MOBILE],
        answers: 400,
        run: |c| {
            let code = c.provider_code("google", "g-1");
            c.ok(c
                .client
                .sign_in_by_mobile_blocking(authing::Connection::google, &code, None));
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::google, &code, None)
        },
    },
    Call {
        does: "sign_in_by_mobile for a connection the app lacks reads the config and sends nothing else",
        method: "sign_in_by_mobile_blocking",
        sends: &[PUBLIC_CONFIG],
        answers: authing::codes::CONFIG_NOT_FOUND,
        run: |c| {
            c.emu
                .set_social_connections(Vec::new())
                .expect("no social connection");
            c.client
                .sign_in_by_mobile_blocking(authing::Connection::alipay, "a-code", None)
        },
    },
    Call {
        does: "sign_in_by_one_auth sends the yidun token pair and signs in",
        method: "sign_in_by_one_auth_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let token = c.provider_code("yidun", "yd-1");
            c.client
                .sign_in_by_one_auth_blocking(&token, "carrier-token", None)
        },
    },
    Call {
        does: "sign_in_by_wechat_mini_program sends the login and phone codes and signs in",
        method: "sign_in_by_wechat_mini_program_blocking",
        sends: &[PUBLIC_CONFIG, SIGNIN_BY_MOBILE, PROFILE],
        answers: 200,
        run: |c| {
            let code = c.provider_code("wechat_mini_program_code_and_phone", "mini-1");
            c.client
                .sign_in_by_wechat_mini_program_blocking(&code, "phone-code", None)
        },
    },
];

impl Ctx {
    /// A provider code the emulator hands out for the identity `user_id_in_idp`.
    fn provider_code(&self, connection: &str, user_id_in_idp: &str) -> String {
        self.emu
            .add_provider_code(authing::emulator::NewProviderCode::new(
                connection,
                user_id_in_idp,
            ))
            .expect("a provider code")
    }
}
