//! The conformance rows of social account binding (`auth_by_code`, `auth_by_code_identity` and the six
//! binding calls, `/api/v2/ecConn/wechatMobile/*`). One `Call` a way of calling; the paths
//! only these rows send are defined here. The emulator plays WeChat; the seeded users are
//! the harness's (`mike` by username, the phone and the email users).

use authing::{EmailType, SmsType};

use crate::{Call, Ctx, EMAIL, PASSWORD, PHONE, PROFILE, PUBLIC_CONFIG, USERNAME};

const AUTH_BY_CODE: &str = "POST /api/v2/ecConn/wechatMobile/authByCode";
const AUTH_BY_CODE_IDENTITY: &str = "POST /api/v2/ecConn/wechatMobile/authByCodeIdentity";
const REGISTER: &str = "POST /api/v2/ecConn/wechatMobile/register";
const BY_EMAIL_CODE: &str = "POST /api/v2/ecConn/wechatMobile/byEmailCode";
const BY_PHONE_CODE: &str = "POST /api/v2/ecConn/wechatMobile/byPhoneCode";
const BY_ACCOUNT: &str = "POST /api/v2/ecConn/wechatMobile/byAccount";
const SELECT: &str = "POST /api/v2/ecConn/wechatMobile/select";
const BY_ACCOUNT_ID: &str = "POST /api/v2/ecConn/wechatMobile/byAccountId";
const SEND_SMS: &str = "POST /api/v3/send-sms";
const SEND_EMAIL: &str = "POST /api/v3/send-email";

impl Ctx {
    /// A WeChat code for the identity `wx`, whose email at WeChat is `email` when given.
    fn wechat_code(&self, wx: &str, email: Option<&str>) -> String {
        let mut seed = authing::emulator::NewProviderCode::new("wechat", wx);
        if let Some(email) = email {
            seed = seed.email(email);
        }
        self.emu.add_provider_code(seed).expect("a wechat code")
    }

    /// The key of a new identity's first sign-in (public config, then authByCodeIdentity).
    fn binding_key(&self, wx: &str, email: Option<&str>) -> authing::SocialBinding {
        let code = self.wechat_code(wx, email);
        let response = self.client.auth_by_code_identity_blocking(&code, None);
        response.social_binding().expect("a new identity needs binding")
    }
}

pub(crate) const ROWS: &[Call] = &[
    // The spec describes `authByCode`'s body but no answer (a bare `201`): the body is
    // checked, the answer (Guard's v2 envelope) has nothing to be checked against.
    Call {
        does: "auth_by_code signs a WeChat identity in, Guard's way",
        method: "auth_by_code_blocking",
        sends: &[PUBLIC_CONFIG, AUTH_BY_CODE, PROFILE],
        answers: 200,
        run: |c| {
            let code = c.wechat_code("wx-0", None);
            c.client.auth_by_code_blocking(&code)
        },
    },
    Call {
        does: "auth_by_code_identity of a new identity answers 301 with a binding key",
        method: "auth_by_code_identity_blocking",
        sends: &[PUBLIC_CONFIG, AUTH_BY_CODE_IDENTITY],
        answers: 301,
        run: |c| {
            let code = c.wechat_code("wx-1", Some(EMAIL));
            c.client.auth_by_code_identity_blocking(&code, None)
        },
    },
    Call {
        does: "auth_by_code_identity of a bound identity signs in",
        method: "auth_by_code_identity_blocking",
        sends: &[
            PUBLIC_CONFIG,
            AUTH_BY_CODE_IDENTITY,
            REGISTER,
            PROFILE,
            AUTH_BY_CODE_IDENTITY,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let binding = c.binding_key("wx-2", None);
            c.ok(c.client.register_new_user_blocking(binding.key()));
            let code = c.wechat_code("wx-2", None);
            c.client.auth_by_code_identity_blocking(&code, None)
        },
    },
    Call {
        does: "register_new_user creates an account for the identity and signs in",
        method: "register_new_user_blocking",
        sends: &[PUBLIC_CONFIG, AUTH_BY_CODE_IDENTITY, REGISTER, PROFILE],
        answers: 200,
        run: |c| {
            let binding = c.binding_key("wx-3", None);
            c.client.register_new_user_blocking(binding.key())
        },
    },
    Call {
        does: "bind_by_email_code binds the account of an email and signs in",
        method: "bind_by_email_code_blocking",
        sends: &[
            PUBLIC_CONFIG,
            AUTH_BY_CODE_IDENTITY,
            SEND_EMAIL,
            BY_EMAIL_CODE,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let binding = c.binding_key("wx-4", None);
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_LOGIN));
            c.client
                .bind_by_email_code_blocking(binding.key(), EMAIL, &c.code(EMAIL))
        },
    },
    Call {
        does: "bind_by_phone_code binds the account of a phone and signs in",
        method: "bind_by_phone_code_blocking",
        sends: &[
            PUBLIC_CONFIG,
            AUTH_BY_CODE_IDENTITY,
            SEND_SMS,
            BY_PHONE_CODE,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let binding = c.binding_key("wx-5", None);
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_LOGIN));
            c.client
                .bind_by_phone_code_blocking(binding.key(), Some("+86"), PHONE, &c.code(PHONE))
        },
    },
    Call {
        does: "bind_by_account binds the account its password proves and signs in",
        method: "bind_by_account_blocking",
        sends: &[PUBLIC_CONFIG, AUTH_BY_CODE_IDENTITY, BY_ACCOUNT, PROFILE],
        answers: 200,
        run: |c| {
            let binding = c.binding_key("wx-6", None);
            c.client
                .bind_by_account_blocking(binding.key(), USERNAME, PASSWORD)
        },
    },
    Call {
        does: "bind_by_account of an unknown account fails",
        method: "bind_by_account_blocking",
        sends: &[PUBLIC_CONFIG, AUTH_BY_CODE_IDENTITY, BY_ACCOUNT],
        answers: 404,
        run: |c| {
            let binding = c.binding_key("wx-7", None);
            c.client
                .bind_by_account_blocking(binding.key(), "nobody", PASSWORD)
        },
    },
    Call {
        does: "select_account binds one of the candidate accounts and signs in",
        method: "select_account_blocking",
        sends: &[PUBLIC_CONFIG, AUTH_BY_CODE_IDENTITY, SELECT, PROFILE],
        answers: 200,
        run: |c| {
            let binding = c.binding_key("wx-8", Some(EMAIL));
            let account = binding.accounts()[0].clone();
            c.client.select_account_blocking(binding.key(), &account)
        },
    },
    Call {
        does: "bind_by_account_id binds the account of an id and signs in",
        method: "bind_by_account_id_blocking",
        sends: &[PUBLIC_CONFIG, AUTH_BY_CODE_IDENTITY, BY_ACCOUNT_ID, PROFILE],
        answers: 200,
        run: |c| {
            let binding = c.binding_key("wx-9", Some(EMAIL));
            let account = binding.accounts()[0].clone();
            c.client.bind_by_account_id_blocking(binding.key(), &account)
        },
    },
];
