//! The conformance rows of sign-in by password, pass code and directory (`sign_in_by_*`).
//! One `Call` a way of calling.

use crate::{
    Call, AD_ACCOUNT, EMAIL, LDAP_ACCOUNT, NEW_EMAIL, PASSWORD, PHONE, PROFILE, SEND_EMAIL,
    SEND_SMS, SIGNIN, SYSTEM, USERNAME,
};
use authing::{AuthOptions, EmailType, PasswordEncryptType, SmsType};
use serde_json::json;

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "sign_in_by_account_password signs in and fetches the profile",
        method: "sign_in_by_account_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| c.sign_in(),
    },
    Call {
        does: "sign_in_by_account_password with a wrong password fails with an api code",
        method: "sign_in_by_account_password_blocking",
        sends: &[SIGNIN],
        answers: 403,
        run: |c| {
            let response =
                c.client
                    .sign_in_by_account_password_blocking(USERNAME, "not-the-passw0rd", None);
            assert_eq!(response.api_code(), 2333, "{}", response.message());
            response
        },
    },
    Call {
        does: "sign_in_by_account_password on a locked account fails with an api code",
        method: "sign_in_by_account_password_blocking",
        sends: &[SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN, SIGNIN],
        answers: 403,
        run: |c| {
            for _ in 0..5 {
                c.client
                    .sign_in_by_account_password_blocking(USERNAME, "not-the-passw0rd", None);
            }
            let response = c
                .client
                .sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
            assert_eq!(response.api_code(), 2005, "{}", response.message());
            response
        },
    },
    Call {
        does: "sign_in_by_account_password with rsa fetches the key and signs in",
        method: "sign_in_by_account_password_blocking",
        sends: &[SYSTEM, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client.sign_in_by_account_password_blocking(
                USERNAME,
                PASSWORD,
                c.encrypted(PasswordEncryptType::rsa),
            )
        },
    },
    Call {
        does: "sign_in_by_account_password with sm2 and every option fetches the key and signs in",
        method: "sign_in_by_account_password_blocking",
        sends: &[SYSTEM, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            let mut options = c.encrypted(PasswordEncryptType::sm2);
            options
                .set_client_ip("192.0.2.7")
                .set_context(json!({"source": "desktop"}))
                .set_tenant_id("tenant-1")
                .set_custom_data(json!({"school": "north"}))
                .set_captcha_code("abc123")
                .set_scope("openid profile email phone offline_access");
            c.client
                .sign_in_by_account_password_blocking(EMAIL, PASSWORD, options)
        },
    },
    Call {
        does: "sign_in_by_user_name_password signs in and fetches the profile",
        method: "sign_in_by_user_name_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_user_name_password_blocking(USERNAME, PASSWORD, None)
        },
    },
    Call {
        does: "sign_in_by_email_password signs in and fetches the profile",
        method: "sign_in_by_email_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_email_password_blocking(EMAIL, PASSWORD, None)
        },
    },
    Call {
        does: "sign_in_by_email_password with auto-register creates an unknown user",
        method: "sign_in_by_email_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            let mut options = AuthOptions::new();
            options.set_auto_register(true);
            c.client
                .sign_in_by_email_password_blocking(NEW_EMAIL, "a new passw0rd", options)
        },
    },
    Call {
        does: "sign_in_by_phone_password signs in and fetches the profile",
        method: "sign_in_by_phone_password_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_phone_password_blocking(PHONE, PASSWORD, None)
        },
    },
    Call {
        does: "sign_in_by_phone_pass_code with a code sent to sign in signs in",
        method: "sign_in_by_phone_pass_code_blocking",
        sends: &[SEND_SMS, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN));
            c.client
                .sign_in_by_phone_pass_code_blocking("+86", PHONE, &c.code(PHONE), None)
        },
    },
    Call {
        does: "sign_in_by_phone_pass_code with a wrong code fails with an api code",
        method: "sign_in_by_phone_pass_code_blocking",
        sends: &[SEND_SMS, SIGNIN],
        answers: 400,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking(None, PHONE, SmsType::CHANNEL_LOGIN));
            let wrong = if c.code(PHONE) == "000000" {
                "111111"
            } else {
                "000000"
            };
            c.client
                .sign_in_by_phone_pass_code_blocking(None, PHONE, wrong, None)
        },
    },
    Call {
        does: "sign_in_by_email_pass_code with a code sent to sign in signs in",
        method: "sign_in_by_email_pass_code_blocking",
        sends: &[SEND_EMAIL, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_LOGIN));
            c.client
                .sign_in_by_email_pass_code_blocking(EMAIL, &c.code(EMAIL), None)
        },
    },
    Call {
        does: "sign_in_by_ad signs a directory account in",
        method: "sign_in_by_ad_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| c.client.sign_in_by_ad_blocking(AD_ACCOUNT, PASSWORD, None),
    },
    Call {
        does: "sign_in_by_ldap signs a directory account in",
        method: "sign_in_by_ldap_blocking",
        sends: &[SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.client
                .sign_in_by_ldap_blocking(LDAP_ACCOUNT, PASSWORD, None)
        },
    },
];
