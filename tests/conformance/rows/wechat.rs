//! The conformance rows of the WeChat helpers: the mini program's data and phone, the
//! WeChat access token. One `Call` a way of calling; the paths only these rows send are
//! defined here.

use authing::emulator::{WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET};

use crate::{Call, PROFILE, SIGNIN};

const DECRYPT: &str = "POST /api/v3/decrypt-wechat-miniprogram-data";
const PHONE: &str = "POST /api/v3/get-wechat-miniprogram-phone";
const ACCESS_TOKEN: &str = "POST /api/v3/get-wechat-access-token";
const ACCESS_TOKEN_INFO: &str = "POST /api/v3/get-wechat-access-token-info";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "decrypt_wechat_mini_program_data answers the mini program user's open data",
        method: "decrypt_wechat_mini_program_data_blocking",
        sends: &[SIGNIN, PROFILE, DECRYPT],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let wx = c.emu.wechat_mini_program_login();
            c.client.decrypt_wechat_mini_program_data_blocking(
                &wx.ext_idp_conn_identifier,
                &wx.encrypted_data,
                &wx.iv,
                &wx.code,
            )
        },
    },
    Call {
        does: "decrypt_wechat_mini_program_data with a spent code fails with an api code",
        method: "decrypt_wechat_mini_program_data_blocking",
        sends: &[SIGNIN, PROFILE, DECRYPT, DECRYPT],
        answers: 400,
        run: |c| {
            c.ok(c.sign_in());
            let wx = c.emu.wechat_mini_program_login();
            let call = || {
                c.client.decrypt_wechat_mini_program_data_blocking(
                    &wx.ext_idp_conn_identifier,
                    &wx.encrypted_data,
                    &wx.iv,
                    &wx.code,
                )
            };
            c.ok(call());
            call()
        },
    },
    Call {
        does: "get_wechat_mini_program_phone answers the user's phone",
        method: "get_wechat_mini_program_phone_blocking",
        sends: &[SIGNIN, PROFILE, PHONE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let wx = c.emu.wechat_mini_program_login();
            c.client
                .get_wechat_mini_program_phone_blocking(&wx.ext_idp_conn_identifier, &wx.phone_code)
        },
    },
    Call {
        does: "get_wechat_mini_program_phone for another connection fails with an api code",
        method: "get_wechat_mini_program_phone_blocking",
        sends: &[SIGNIN, PROFILE, PHONE],
        answers: 400,
        run: |c| {
            c.ok(c.sign_in());
            let wx = c.emu.wechat_mini_program_login();
            c.client
                .get_wechat_mini_program_phone_blocking("no-such-wxapp", &wx.phone_code)
        },
    },
    Call {
        does: "get_wechat_mp_access_token_info answers the cached wechat access token",
        method: "get_wechat_mp_access_token_info_blocking",
        sends: &[SIGNIN, PROFILE, ACCESS_TOKEN_INFO],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .get_wechat_mp_access_token_info_blocking(WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET)
        },
    },
    Call {
        does: "get_wechat_mp_access_token_info with a wrong secret fails with an api code",
        method: "get_wechat_mp_access_token_info_blocking",
        sends: &[SIGNIN, PROFILE, ACCESS_TOKEN_INFO],
        answers: 400,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .get_wechat_mp_access_token_info_blocking(WECHAT_TEST_APP_ID, "wrong-secret")
        },
    },
    Call {
        does: "get_wechat_mp_access_token answers the same through the deprecated path",
        method: "get_wechat_mp_access_token_blocking",
        sends: &[SIGNIN, PROFILE, ACCESS_TOKEN],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client
                .get_wechat_mp_access_token_blocking(WECHAT_TEST_APP_ID, WECHAT_TEST_APP_SECRET)
        },
    },
];
