//! The conformance rows of account recovery (`send_sms`, `send_email`, `reset_password*`,
//! `system`) and the app discovery before a first call. One `Call` a way of calling.

use crate::{
    Call, APP_ID, EMAIL, PHONE, PUBLIC_CONFIG, RESET, SEND_EMAIL, SEND_SMS, SYSTEM, UNKNOWN_PHONE,
    VERIFY,
};
use authing::{
    AuthClient, EmailType, Lang, PasswordEncryptType, ResetPasswordPayload,
    ResetPasswordVerifyMethod, SmsType,
};

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "send_sms with a country code sends a reset code",
        method: "send_sms_blocking",
        sends: &[SEND_SMS],
        answers: 200,
        run: |c| {
            c.client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_sms without a country code sends a sign-in code",
        method: "send_sms_blocking",
        sends: &[SEND_SMS],
        answers: 200,
        run: |c| {
            c.client
                .send_sms_blocking(None, PHONE, SmsType::CHANNEL_LOGIN)
        },
    },
    Call {
        does: "send_sms twice within a minute is throttled",
        method: "send_sms_blocking",
        sends: &[SEND_SMS, SEND_SMS],
        answers: 429,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
            c.client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_sms to a number without a user fails with an api code",
        method: "send_sms_blocking",
        sends: &[SEND_SMS],
        answers: 404,
        run: |c| {
            c.client
                .send_sms_blocking("+86", UNKNOWN_PHONE, SmsType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_email sends a reset code",
        method: "send_email_blocking",
        sends: &[SEND_EMAIL],
        answers: 200,
        run: |c| {
            c.client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "send_email twice within a minute is throttled",
        method: "send_email_blocking",
        sends: &[SEND_EMAIL, SEND_EMAIL],
        answers: 429,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD));
            c.client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD)
        },
    },
    Call {
        does: "reset_password_request with PHONE_PASSCODE answers a reset token",
        method: "reset_password_request_blocking",
        sends: &[SEND_SMS, VERIFY],
        answers: 200,
        run: |c| c.verify_phone(),
    },
    Call {
        does: "reset_password_request with EMAIL_PASSCODE answers a reset token",
        method: "reset_password_request_blocking",
        sends: &[SEND_EMAIL, VERIFY],
        answers: 200,
        run: |c| c.verify_email(),
    },
    Call {
        does: "reset_password_request with a wrong code fails with an api code",
        method: "reset_password_request_blocking",
        sends: &[SEND_SMS, VERIFY],
        answers: 400,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
            let right = c.code(PHONE);
            let wrong = if right == "000000" {
                "111111"
            } else {
                "000000"
            };
            let mut payload = ResetPasswordPayload::new();
            payload
                .set_phone_country_code("+86")
                .set_phone_number(PHONE)
                .set_pass_code(wrong);
            c.client
                .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload)
        },
    },
    Call {
        does: "reset_password with passwordEncryptType none sets the password",
        method: "reset_password_blocking",
        sends: &[SEND_SMS, VERIFY, RESET],
        answers: 200,
        run: |c| c.reset(PasswordEncryptType::none),
    },
    Call {
        does: "reset_password with passwordEncryptType rsa fetches the key and sets the password",
        method: "reset_password_blocking",
        sends: &[SEND_SMS, VERIFY, SYSTEM, RESET],
        answers: 200,
        run: |c| c.reset(PasswordEncryptType::rsa),
    },
    Call {
        does: "reset_password with passwordEncryptType sm2 fetches the key and sets the password",
        method: "reset_password_blocking",
        sends: &[SEND_SMS, VERIFY, SYSTEM, RESET],
        answers: 200,
        run: |c| c.reset(PasswordEncryptType::sm2),
    },
    Call {
        does: "reset_password with a token the server never issued fails with an api code",
        method: "reset_password_blocking",
        sends: &[RESET],
        answers: 400,
        run: |c| {
            c.client.reset_password_blocking(
                "not-a-token-the-emulator-issued",
                "a new passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "reset_password_by_phone verifies the code and sets the password",
        method: "reset_password_by_phone_blocking",
        sends: &[SEND_SMS, VERIFY, RESET],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
            c.client.reset_password_by_phone_blocking(
                "+86",
                PHONE,
                &c.code(PHONE),
                "a new passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "reset_password_by_email with rsa fetches the key, verifies and sets the password",
        method: "reset_password_by_email_blocking",
        sends: &[SEND_EMAIL, SYSTEM, VERIFY, RESET],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD));
            c.client.reset_password_by_email_blocking(
                EMAIL,
                &c.code(EMAIL),
                "a new passw0rd",
                PasswordEncryptType::rsa,
            )
        },
    },
    Call {
        does: "system answers the public keys",
        method: "system_blocking",
        sends: &[SYSTEM],
        answers: 200,
        run: |c| c.client.system_blocking(),
    },
    Call {
        does: "a client without an app host discovers it before its first call",
        method: "system_blocking",
        sends: &[PUBLIC_CONFIG, SYSTEM],
        answers: 200,
        run: |c| {
            // The proxy forwards the Host header, so the public config names the proxy as
            // the API host and the call after discovery goes through it too.
            AuthClient::builder()
                .app_id(APP_ID)
                .host(c.proxy.base_url())
                .lang(Lang::EnUs)
                .build()
                .expect("valid settings")
                .system_blocking()
        },
    },
    Call {
        does: "warm_up fetches the public keys ahead of a sign-in",
        method: "warm_up_blocking",
        sends: &[SYSTEM],
        answers: 200,
        run: |c| c.client.warm_up_blocking(),
    },
    Call {
        does: "warm_up of a client without an app host discovers it, then fetches the keys",
        method: "warm_up_blocking",
        sends: &[PUBLIC_CONFIG, SYSTEM],
        answers: 200,
        run: |c| {
            AuthClient::builder()
                .app_id(APP_ID)
                .host(c.proxy.base_url())
                .lang(Lang::EnUs)
                .build()
                .expect("valid settings")
                .warm_up_blocking()
        },
    },
];
