//! The conformance rows of the captcha family: the captcha image (`captcha-code`, whose
//! answer is an SVG image the spec gives no JSON schema), a sign-in the captcha policy
//! refuses and one it lets through with the image's answer, and `pre-check-code`.

use crate::{Call, PHONE, PROFILE, SEND_SMS, SIGNIN};
use authing::emulator::CaptchaPolicy;
use authing::{AuthOptions, PreCheckCodePayload, SmsType};

const CAPTCHA: &str = "GET /api/v3/captcha-code";
const PRE_CHECK: &str = "POST /api/v3/pre-check-code";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "get_captcha_code answers an svg image",
        method: "get_captcha_code_blocking",
        sends: &[CAPTCHA],
        answers: 200,
        run: |c| {
            let response = c.client.get_captcha_code_blocking();
            let image = response.captcha_image().expect("an image");
            assert_eq!(image.content_type(), "image/svg+xml");
            response
        },
    },
    Call {
        does: "a sign-in without the captcha the policy asks for is refused with apiCode 2000",
        method: "sign_in_by_account_password_blocking",
        sends: &[SIGNIN],
        answers: 400,
        run: |c| {
            c.emu.set_captcha_policy(CaptchaPolicy::Always);
            let response = c.sign_in();
            assert!(response.is_captcha_required(), "{response:?}");
            response
        },
    },
    Call {
        does: "a sign-in with the answer of the image passes the captcha policy",
        method: "sign_in_by_account_password_blocking",
        sends: &[CAPTCHA, SIGNIN, PROFILE],
        answers: 200,
        run: |c| {
            c.emu.set_captcha_policy(CaptchaPolicy::Always);
            c.ok(c.client.get_captcha_code_blocking());
            let mut options = AuthOptions::new();
            options.set_captcha_code(c.emu.latest_captcha_answer().expect("drawn"));
            c.client
                .sign_in_by_account_password_blocking(crate::USERNAME, crate::PASSWORD, options)
        },
    },
    Call {
        does: "pre_check_code says a sent code is valid",
        method: "pre_check_code_blocking",
        sends: &[SEND_SMS, PRE_CHECK],
        answers: 200,
        run: |c| {
            c.ok(c.client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN));
            let mut payload = PreCheckCodePayload::sms(PHONE, c.code(PHONE), SmsType::CHANNEL_LOGIN);
            payload.set_phone_country_code("+86");
            let response = c.client.pre_check_code_blocking(payload);
            assert!(response.pre_check_code_result().expect("typed").is_valid());
            response
        },
    },
    Call {
        does: "pre_check_code of a wrong code answers isValid false",
        method: "pre_check_code_blocking",
        sends: &[SEND_SMS, PRE_CHECK],
        answers: 200,
        run: |c| {
            c.ok(c.client.send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN));
            let wrong = if c.code(PHONE) == "000000" { "111111" } else { "000000" };
            let payload = PreCheckCodePayload::sms(PHONE, wrong, SmsType::CHANNEL_LOGIN);
            let response = c.client.pre_check_code_blocking(payload);
            assert!(!response.pre_check_code_result().expect("typed").is_valid());
            response
        },
    },
];
