//! The conformance rows of the signed-in user's own account (profile, avatar, password,
//! phone and email, deletion). One `Call` a way of calling; the paths only these rows send
//! are defined here.

use crate::{
    Call, Ctx, EMAIL, PHONE, PROFILE, SEND_EMAIL, SEND_SMS, SIGNIN, SYSTEM, UNKNOWN_PHONE,
};
use authing::emulator::NewUser;
use authing::{AuthResponse, EmailType, PasswordEncryptType, SmsType};
use serde_json::json;

const A_UPDATE_PROFILE: &str = "POST /api/v3/update-profile";
const A_UPLOAD: &str = "POST /api/v2/upload";
const A_SECURITY: &str = "GET /api/v3/get-security-info";
const A_UPDATE_PASSWORD: &str = "POST /api/v3/update-password";
const A_BIND_PHONE: &str = "POST /api/v3/bind-phone";
const A_UNBIND_PHONE: &str = "POST /api/v3/unbind-phone";
const A_BIND_EMAIL: &str = "POST /api/v3/bind-email";
const A_UNBIND_EMAIL: &str = "POST /api/v3/unbind-email";
const A_VERIFY_UPDATE_PHONE: &str = "POST /api/v3/verify-update-phone-request";
const A_UPDATE_PHONE: &str = "POST /api/v3/update-phone";
const A_VERIFY_UPDATE_EMAIL: &str = "POST /api/v3/verify-update-email-request";
const A_UPDATE_EMAIL: &str = "POST /api/v3/update-email";
const A_VERIFY_DELETE: &str = "POST /api/v3/verify-delete-account-request";
const A_DELETE: &str = "POST /api/v3/delete-account";
const A_NEW_EMAIL: &str = "new@example.com";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "update_profile changes the signed-in user's profile",
        method: "update_profile_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let mut profile = authing::Profile::new();
            profile
                .set_nickname("Mike")
                .set_gender("M")
                .set_custom_data(json!({"team": "blue"}));
            c.client.update_profile_blocking(profile)
        },
    },
    Call {
        does: "update_profile to a username another user has fails with an api code",
        method: "update_profile_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PROFILE],
        answers: 409,
        run: |c| {
            c.emu
                .add_user(NewUser::with_username("taken", "old-passw0rd"))
                .expect("a user with a username");
            c.sign_in_email();
            let mut profile = authing::Profile::new();
            profile.set_username("taken");
            c.client.update_profile_blocking(profile)
        },
    },
    Call {
        does: "upload_avatar uploads a picture and makes it the photo",
        method: "upload_avatar_blocking",
        sends: &[SIGNIN, PROFILE, A_UPLOAD, A_UPDATE_PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client
                .upload_avatar_blocking(&b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"[..])
        },
    },
    Call {
        does: "get_security_level answers the security info",
        method: "get_security_level_blocking",
        sends: &[SIGNIN, PROFILE, A_SECURITY],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client.get_security_level_blocking()
        },
    },
    Call {
        does: "update_password with passwordEncryptType none sets the password",
        method: "update_password_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PASSWORD, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client.update_password_blocking(
                "a new passw0rd",
                "old-passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "update_password with passwordEncryptType rsa fetches the key and sets the password",
        method: "update_password_blocking",
        sends: &[SIGNIN, PROFILE, SYSTEM, A_UPDATE_PASSWORD, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.client.update_password_blocking(
                "a new passw0rd",
                "old-passw0rd",
                PasswordEncryptType::rsa,
            )
        },
    },
    Call {
        does: "update_password with a wrong old password fails with an api code",
        method: "update_password_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PASSWORD],
        answers: 403,
        run: |c| {
            c.sign_in_email();
            c.client.update_password_blocking(
                "a new passw0rd",
                "not-the-passw0rd",
                PasswordEncryptType::none,
            )
        },
    },
    Call {
        does: "bind_phone binds a phone with its code",
        method: "bind_phone_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_BIND_PHONE, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.bind_phone(UNKNOWN_PHONE)
        },
    },
    Call {
        does: "bind_phone with a code never sent fails with an api code",
        method: "bind_phone_blocking",
        sends: &[SIGNIN, PROFILE, A_BIND_PHONE],
        answers: 400,
        run: |c| {
            c.sign_in_email();
            c.client.bind_phone_blocking("+86", UNKNOWN_PHONE, "000000")
        },
    },
    Call {
        does: "un_bind_phone unbinds the phone with its code",
        method: "un_bind_phone_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_SMS,
            A_BIND_PHONE,
            PROFILE,
            SEND_SMS,
            A_UNBIND_PHONE,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.ok(c.bind_phone(UNKNOWN_PHONE));
            c.ok(c
                .client
                .send_sms_blocking("+86", UNKNOWN_PHONE, SmsType::CHANNEL_UNBIND_PHONE));
            c.client.un_bind_phone_blocking(&c.code(UNKNOWN_PHONE))
        },
    },
    Call {
        does: "un_bind_phone of the last way to sign in fails with an api code",
        method: "un_bind_phone_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_UNBIND_PHONE],
        answers: 422,
        run: |c| {
            c.sign_in_phone();
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_UNBIND_PHONE));
            c.client.un_bind_phone_blocking(&c.code(PHONE))
        },
    },
    Call {
        does: "bind_email binds an email with its code",
        method: "bind_email_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_BIND_EMAIL, PROFILE],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.bind_email(A_NEW_EMAIL)
        },
    },
    Call {
        does: "un_bind_email unbinds the email with its code",
        method: "un_bind_email_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_EMAIL,
            A_BIND_EMAIL,
            PROFILE,
            SEND_EMAIL,
            A_UNBIND_EMAIL,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.ok(c.bind_email(A_NEW_EMAIL));
            c.ok(c
                .client
                .send_email_blocking(A_NEW_EMAIL, EmailType::CHANNEL_UNBIND_EMAIL));
            c.client.un_bind_email_blocking(&c.code(A_NEW_EMAIL))
        },
    },
    Call {
        does: "update_phone_request verifies the new phone and answers a token",
        method: "update_phone_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_VERIFY_UPDATE_PHONE],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.update_phone_request()
        },
    },
    Call {
        does: "update_phone changes the phone with the token",
        method: "update_phone_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_SMS,
            A_VERIFY_UPDATE_PHONE,
            A_UPDATE_PHONE,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            let verified = c.ok(c.update_phone_request());
            c.client
                .update_phone_blocking(verified.update_phone_data().expect("a token"))
        },
    },
    Call {
        does: "update_phone with a token the server never issued fails with an api code",
        method: "update_phone_blocking",
        sends: &[SIGNIN, PROFILE, A_UPDATE_PHONE],
        answers: 400,
        run: |c| {
            c.sign_in_phone();
            c.client
                .update_phone_blocking("not-a-token-the-emulator-issued")
        },
    },
    Call {
        does: "update_email_request verifies the new email and answers a token",
        method: "update_email_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_VERIFY_UPDATE_EMAIL],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.update_email_request()
        },
    },
    Call {
        does: "update_email changes the email with the token",
        method: "update_email_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_EMAIL,
            A_VERIFY_UPDATE_EMAIL,
            A_UPDATE_EMAIL,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let verified = c.ok(c.update_email_request());
            c.client
                .update_email_blocking(verified.update_email_data().expect("a token"))
        },
    },
    Call {
        does: "delete_account_request with EMAIL_PASSCODE answers a token",
        method: "delete_account_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_VERIFY_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            c.delete_account_request()
        },
    },
    Call {
        does: "delete_account_request with PHONE_PASSCODE answers a token",
        method: "delete_account_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_SMS, A_VERIFY_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_phone();
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_DELETE_ACCOUNT));
            let mut payload = authing::DeleteAccountPayload::new();
            payload
                .set_phone_country_code("+86")
                .set_phone_number(PHONE)
                .set_pass_code(c.code(PHONE));
            c.client.delete_account_request_blocking(
                authing::DeleteAccountVerifyMethod::PHONE_PASSCODE,
                payload,
            )
        },
    },
    Call {
        does: "delete_account_request with PASSWORD and sm2 fetches the key and answers a token",
        method: "delete_account_request_blocking",
        sends: &[SIGNIN, PROFILE, SYSTEM, A_VERIFY_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let mut payload = authing::DeleteAccountPayload::new();
            payload
                .set_password("old-passw0rd")
                .set_password_encrypt_type(PasswordEncryptType::sm2);
            c.client.delete_account_request_blocking(
                authing::DeleteAccountVerifyMethod::PASSWORD,
                payload,
            )
        },
    },
    Call {
        does: "delete_account deletes the account with the token",
        method: "delete_account_blocking",
        sends: &[SIGNIN, PROFILE, SEND_EMAIL, A_VERIFY_DELETE, A_DELETE],
        answers: 200,
        run: |c| {
            c.sign_in_email();
            let verified = c.ok(c.delete_account_request());
            c.client
                .delete_account_blocking(verified.delete_account_data().expect("a token"))
        },
    },
];

impl Ctx {
    /// Signs the email user in (a setup step: POST signin, GET get-profile).
    fn sign_in_email(&self) {
        self.ok(self
            .client
            .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
    }

    /// Signs the phone user in.
    fn sign_in_phone(&self) {
        self.ok(self
            .client
            .sign_in_by_phone_password_blocking(PHONE, "old-passw0rd", None));
    }

    /// Sends a bind code to `phone` and binds it.
    fn bind_phone(&self, phone: &str) -> AuthResponse {
        self.ok(self
            .client
            .send_sms_blocking("+86", phone, SmsType::CHANNEL_BIND_PHONE));
        self.client
            .bind_phone_blocking("+86", phone, &self.code(phone))
    }

    /// Sends a bind code to `email` and binds it.
    fn bind_email(&self, email: &str) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(email, EmailType::CHANNEL_BIND_EMAIL));
        self.client.bind_email_blocking(email, &self.code(email))
    }

    /// The phone user asks to move to `UNKNOWN_PHONE`.
    fn update_phone_request(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_sms_blocking("+86", UNKNOWN_PHONE, SmsType::CHANNEL_BIND_PHONE));
        self.client.update_phone_request_blocking(
            "+86",
            UNKNOWN_PHONE,
            &self.code(UNKNOWN_PHONE),
            None,
            None,
            None,
        )
    }

    /// The email user asks to move to `A_NEW_EMAIL`.
    fn update_email_request(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(A_NEW_EMAIL, EmailType::CHANNEL_UPDATE_EMAIL));
        self.client
            .update_email_request_blocking(A_NEW_EMAIL, &self.code(A_NEW_EMAIL), None, None)
    }

    /// The email user asks to delete the account with an email passcode.
    fn delete_account_request(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(EMAIL, EmailType::CHANNEL_DELETE_ACCOUNT));
        let mut payload = authing::DeleteAccountPayload::new();
        payload.set_email(EMAIL).set_pass_code(self.code(EMAIL));
        self.client.delete_account_request_blocking(
            authing::DeleteAccountVerifyMethod::EMAIL_PASSCODE,
            payload,
        )
    }
}
