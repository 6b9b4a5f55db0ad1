//! The conformance rows of MFA: factor enrolment and management, and the completion of a
//! sign-in challenge. One `Call` a way of calling; the paths only these rows send are
//! defined here.

use crate::{Call, Ctx, EMAIL, PHONE, PROFILE, SEND_EMAIL, SEND_SMS, SIGNIN};
use authing::emulator::AppMfaPolicy;
use authing::{totp, AuthResponse, EmailType, FactorProfile, FactorType, SmsType};

const SEND_ENROLL: &str = "POST /api/v3/send-enroll-factor-request";
const ENROLL: &str = "POST /api/v3/enroll-factor";
const RESET_FACTOR: &str = "POST /api/v3/reset-factor";
const LIST_ENROLLED: &str = "GET /api/v3/list-enrolled-factors";
const GET_FACTOR: &str = "GET /api/v3/get-factor";
const LIST_TO_ENROLL: &str = "GET /api/v3/list-factors-to-enroll";
const TOTP_VERIFY: &str = "POST /api/v3/mfa-totp-verify";
const MFA_OTP: &str = "POST /api/v2/mfa/totp/verify";
const MFA_RECOVERY: &str = "POST /api/v2/mfa/totp/recovery";
const MFA_SMS: &str = "POST /api/v2/applications/mfa/sms/verify";
const MFA_EMAIL: &str = "POST /api/v2/applications/mfa/email/verify";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "send_enroll_factor_request for OTP answers the enrolment token and the otpauth uri",
        method: "send_enroll_factor_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL],
        answers: 200,
        run: |c| {
            c.mfa_sign_in();
            c.client
                .send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new())
        },
    },
    Call {
        does: "send_enroll_factor_request for EMAIL sends the code to the profile's email",
        method: "send_enroll_factor_request_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL],
        answers: 200,
        run: |c| {
            c.mfa_sign_in();
            let mut profile = FactorProfile::new();
            profile.set_email("factor@example.com");
            c.client
                .send_enroll_factor_request_blocking(FactorType::EMAIL, profile)
        },
    },
    Call {
        does: "enroll_factor with an otp code computed locally enrols the factor",
        method: "enroll_factor_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL],
        answers: 200,
        run: |c| c.enrol_otp().0,
    },
    Call {
        does: "list_enrolled_factors lists the enrolled otp factor",
        method: "list_enrolled_factors_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL, LIST_ENROLLED],
        answers: 200,
        run: |c| {
            c.enrol_otp();
            c.client.list_enrolled_factors_blocking()
        },
    },
    Call {
        does: "get_factor reads one factor by its id",
        method: "get_factor_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            LIST_ENROLLED,
            GET_FACTOR,
        ],
        answers: 200,
        run: |c| {
            c.enrol_otp();
            let id = c.first_factor_id();
            c.client.get_factor_blocking(&id)
        },
    },
    Call {
        does: "reset_factor removes a factor",
        method: "reset_factor_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            LIST_ENROLLED,
            RESET_FACTOR,
        ],
        answers: 200,
        run: |c| {
            c.enrol_otp();
            let id = c.first_factor_id();
            c.client.reset_factor_blocking(&id)
        },
    },
    Call {
        does: "list_factors_to_enroll lists the factor types the app offers",
        method: "list_factors_to_enroll_blocking",
        sends: &[SIGNIN, PROFILE, LIST_TO_ENROLL],
        answers: 200,
        run: |c| {
            c.mfa_sign_in();
            c.client.list_factors_to_enroll_blocking()
        },
    },
    Call {
        does: "mfa_totp_verify accepts a code of the signed-in user's otp factor",
        method: "mfa_totp_verify_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL, TOTP_VERIFY],
        answers: 200,
        run: |c| {
            let (_, secret, _) = c.enrol_otp();
            c.client
                .mfa_totp_verify_blocking(&totp::generate_now(&secret).expect("a code"))
        },
    },
    Call {
        does: "mfa_verify_by_otp completes a 1635 challenge and starts the session",
        method: "mfa_verify_by_otp_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            SIGNIN,
            MFA_OTP,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let (_, secret, _) = c.challenged_with_otp();
            c.client
                .mfa_verify_by_otp_blocking(&totp::generate_now(&secret).expect("a code"))
        },
    },
    Call {
        does: "mfa_verify_by_recovery_code completes a 1635 challenge",
        method: "mfa_verify_by_recovery_code_blocking",
        sends: &[
            SIGNIN,
            PROFILE,
            SEND_ENROLL,
            ENROLL,
            SIGNIN,
            MFA_RECOVERY,
            PROFILE,
        ],
        answers: 200,
        run: |c| {
            let (_, _, recovery) = c.challenged_with_otp();
            c.client.mfa_verify_by_recovery_code_blocking(&recovery)
        },
    },
    Call {
        does: "mfa_verify_by_phone completes a 1636 challenge with an sms code",
        method: "mfa_verify_by_phone_blocking",
        sends: &[SIGNIN, SEND_SMS, MFA_SMS, PROFILE],
        answers: 200,
        run: |c| {
            c.emu
                .set_app_mfa(AppMfaPolicy::required(&[FactorType::SMS]))
                .expect("a policy");
            let challenged =
                c.client
                    .sign_in_by_phone_password_blocking(PHONE, "old-passw0rd", None);
            assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
            c.ok(c
                .client
                .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_VERIFY_MFA));
            c.client
                .mfa_verify_by_phone_blocking("+86", PHONE, &c.code(PHONE))
        },
    },
    Call {
        does: "mfa_verify_by_email completes a 1636 challenge with an email code",
        method: "mfa_verify_by_email_blocking",
        sends: &[SIGNIN, SEND_EMAIL, MFA_EMAIL, PROFILE],
        answers: 200,
        run: |c| {
            c.emu
                .set_app_mfa(AppMfaPolicy::required(&[FactorType::EMAIL]))
                .expect("a policy");
            let challenged =
                c.client
                    .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None);
            assert_eq!(challenged.api_code(), 1636, "{challenged:?}");
            c.ok(c
                .client
                .send_email_blocking(EMAIL, EmailType::CHANNEL_VERIFY_MFA));
            c.client.mfa_verify_by_email_blocking(EMAIL, &c.code(EMAIL))
        },
    },
    Call {
        does: "mfa_verify_by_otp with a wrong code fails with api code 6001",
        method: "mfa_verify_by_otp_blocking",
        sends: &[SIGNIN, PROFILE, SEND_ENROLL, ENROLL, SIGNIN, MFA_OTP],
        answers: 6001,
        run: |c| {
            let (_, secret, _) = c.challenged_with_otp();
            let right = totp::generate_now(&secret).expect("a code");
            let wrong = if right == "000000" {
                "111111"
            } else {
                "000000"
            };
            c.client.mfa_verify_by_otp_blocking(wrong)
        },
    },
];

impl Ctx {
    /// Signs the email user in (no MFA asked yet).
    fn mfa_sign_in(&self) {
        self.ok(self
            .client
            .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
    }

    /// Signs in and enrols an OTP factor: the enrolment's answer, the secret and the
    /// recovery code.
    fn enrol_otp(&self) -> (AuthResponse, String, String) {
        self.mfa_sign_in();
        let started = self.ok(self
            .client
            .send_enroll_factor_request_blocking(FactorType::OTP, FactorProfile::new()));
        let enrolment = started.enroll_factor_request_data().expect("an enrolment");
        let otp = enrolment.otp_data().expect("otp data");
        let secret = otp.secret().expect("a secret").to_string();
        let recovery = otp.recovery_code().expect("a recovery code").to_string();
        let code = totp::generate_now(&secret).expect("a code");
        let enrolled = self.client.enroll_factor_blocking(
            FactorType::OTP,
            enrolment.enrollment_token(),
            &code,
        );
        (enrolled, secret, recovery)
    }

    /// Enrols an OTP factor, turns the user's MFA on and signs in again: challenged.
    fn challenged_with_otp(&self) -> (AuthResponse, String, String) {
        let (enrolled, secret, recovery) = self.enrol_otp();
        self.ok(enrolled);
        self.emu.set_user_mfa(EMAIL, true).expect("the user");
        let challenged =
            self.client
                .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None);
        assert_eq!(challenged.api_code(), 1635, "{challenged:?}");
        (challenged, secret, recovery)
    }

    fn first_factor_id(&self) -> String {
        let listed = self.ok(self.client.list_enrolled_factors_blocking());
        listed.factor_list().expect("factors")[0]
            .factor_id()
            .to_string()
    }
}
