//! The conformance rows of sign-up (`sign_up_by_*`). One `Call` a way of calling; the paths
//! only these rows send are defined here.

use crate::{Call, NEW_EMAIL, NEW_PHONE, SEND_EMAIL, SEND_SMS, SYSTEM, USERNAME};
use authing::{AuthProfile, EmailType, PasswordEncryptType, SmsType};

const SIGNUP: &str = "POST /api/v3/signup";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "sign_up_by_user_name_password with a profile creates the user",
        method: "sign_up_by_user_name_password_blocking",
        sends: &[SIGNUP],
        answers: 200,
        run: |c| {
            let mut profile = AuthProfile::new();
            profile.set_nickname("Newcomer").set_gender("M");
            c.client.sign_up_by_user_name_password_blocking(
                "newcomer",
                "a new passw0rd",
                profile,
                None,
            )
        },
    },
    Call {
        does: "sign_up_by_user_name_password with a taken username fails with an api code",
        method: "sign_up_by_user_name_password_blocking",
        sends: &[SIGNUP],
        answers: 409,
        run: |c| {
            c.client
                .sign_up_by_user_name_password_blocking(USERNAME, "a new passw0rd", None, None)
        },
    },
    Call {
        does: "sign_up_by_user_name_password with rsa fetches the key and creates the user",
        method: "sign_up_by_user_name_password_blocking",
        sends: &[SYSTEM, SIGNUP],
        answers: 200,
        run: |c| {
            c.client.sign_up_by_user_name_password_blocking(
                "newcomer",
                "a new passw0rd",
                None,
                c.encrypted(PasswordEncryptType::rsa),
            )
        },
    },
    Call {
        does: "sign_up_by_email_password creates the user",
        method: "sign_up_by_email_password_blocking",
        sends: &[SIGNUP],
        answers: 200,
        run: |c| {
            c.client
                .sign_up_by_email_password_blocking(NEW_EMAIL, "a new passw0rd", None, None)
        },
    },
    Call {
        does: "sign_up_by_email_pass_code with a code sent to register creates the user",
        method: "sign_up_by_email_pass_code_blocking",
        sends: &[SEND_EMAIL, SIGNUP],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_email_blocking(NEW_EMAIL, EmailType::CHANNEL_REGISTER));
            c.client
                .sign_up_by_email_pass_code_blocking(NEW_EMAIL, &c.code(NEW_EMAIL), None, None)
        },
    },
    Call {
        does: "sign_up_by_phone_pass_code with a code sent to register creates the user",
        method: "sign_up_by_phone_pass_code_blocking",
        sends: &[SEND_SMS, SIGNUP],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .send_sms_blocking("+86", NEW_PHONE, SmsType::CHANNEL_REGISTER));
            c.client.sign_up_by_phone_pass_code_blocking(
                "+86",
                NEW_PHONE,
                &c.code(NEW_PHONE),
                None,
                None,
            )
        },
    },
];
