//! The conformance rows of QR-code sign-in. One `Call` a way of calling; the paths only
//! these rows send are defined here.

use crate::{Call, Ctx, EMAIL, PROFILE, SIGNIN};
use serde_json::json;

const GENE_QR: &str = "POST /api/v3/gene-qrcode";
const CHECK_QR: &str = "GET /api/v3/check-qrcode-status";
const CHANGE_QR: &str = "POST /api/v3/change-qrcode-status";
const EXCHANGE_QR: &str = "POST /api/v3/exchange-tokenset-with-qrcode-ticket";
const FASTPASS_GENE: &str = "POST /api/v3/gene-fastpass-qrcode-info";
const FASTPASS_APPS: &str = "GET /api/v3/get-fastpass-client-apps";
const FASTPASS_STATUS: &str = "GET /api/v3/get-app-login-qrcode-status";
const APP_LOGIN: &str = "POST /api/v3/qrcode-app-login";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "gene_qr_code generates a code for the app's own phone app",
        method: "gene_qr_code_blocking",
        sends: &[GENE_QR],
        answers: 200,
        run: |c| c.client.gene_qr_code_blocking(json!({"device": "desk-7"})),
    },
    Call {
        does: "check_qr_code_status of a new code answers PENDING",
        method: "check_qr_code_status_blocking",
        sends: &[GENE_QR, CHECK_QR],
        answers: 200,
        run: |c| {
            let id = c.qr_code();
            c.client.check_qr_code_status_blocking(&id)
        },
    },
    Call {
        does:
            "check_qr_code_status of a code the phone confirmed answers the ticket and who scanned",
        method: "check_qr_code_status_blocking",
        sends: &[GENE_QR, CHECK_QR],
        answers: 200,
        run: |c| {
            let id = c.confirmed_qr_code();
            c.client.check_qr_code_status_blocking(&id)
        },
    },
    Call {
        does: "check_qr_code_status of an unknown code fails with an api code",
        method: "check_qr_code_status_blocking",
        sends: &[CHECK_QR],
        answers: 404,
        run: |c| c.client.check_qr_code_status_blocking("qr-unknown"),
    },
    Call {
        does: "exchange_token_set_with_qr_code swaps the ticket for tokens and starts the session",
        method: "exchange_token_set_with_qr_code_blocking",
        sends: &[GENE_QR, CHECK_QR, EXCHANGE_QR, PROFILE],
        answers: 200,
        run: |c| {
            let ticket = c.qr_ticket();
            c.client
                .exchange_token_set_with_qr_code_blocking(&ticket, None, None)
        },
    },
    Call {
        does: "exchange_token_set_with_qr_code with a spent ticket fails with an api code",
        method: "exchange_token_set_with_qr_code_blocking",
        sends: &[GENE_QR, CHECK_QR, EXCHANGE_QR, PROFILE, EXCHANGE_QR],
        answers: 400,
        run: |c| {
            let ticket = c.qr_ticket();
            c.ok(c
                .client
                .exchange_token_set_with_qr_code_blocking(&ticket, None, None));
            c.client
                .exchange_token_set_with_qr_code_blocking(&ticket, None, None)
        },
    },
    Call {
        does: "change_qr_code_status scans a code as the signed-in phone user",
        method: "change_qr_code_status_blocking",
        sends: &[GENE_QR, SIGNIN, PROFILE, CHANGE_QR],
        answers: 200,
        run: |c| {
            let id = c.qr_code();
            c.ok(c
                .client
                .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
            c.client
                .change_qr_code_status_blocking(&id, authing::Action::SCAN)
        },
    },
    Call {
        does: "sign_in_by_qr_code generates, polls until the phone confirms, and signs in",
        method: "sign_in_by_qr_code_blocking",
        sends: &[GENE_QR, CHECK_QR, EXCHANGE_QR, PROFILE],
        answers: 200,
        run: |c| {
            let mut options = authing::QrCodeSignInOptions::new();
            options.set_interval(std::time::Duration::from_millis(50));
            c.client
                .sign_in_by_qr_code_blocking(options, |update: authing::QrCodeUpdate| {
                    if update.status() == authing::QrCodeStatus::PENDING {
                        c.phone_confirms(update.qr_code().qrcode_id());
                    }
                })
        },
    },
    // --- fast authentication: the signed-in side shows, the app scans and signs in ---
    Call {
        does: "gene_fastpass_qrcode_info makes a code for the signed-in user, with options",
        method: "gene_fastpass_qrcode_info_blocking",
        sends: &[SIGNIN, PROFILE, FASTPASS_GENE],
        answers: 200,
        run: |c| {
            c.ok(c
                .client
                .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
            let mut options = authing::FastpassOptions::new();
            options
                .set_scope("openid profile")
                .set_context(json!({"source": "desk"}))
                .set_custom_data(json!({"seat": "12A"}));
            c.client.gene_fastpass_qrcode_info_blocking(options)
        },
    },
    Call {
        does: "get_fastpass_params lists the client apps of a fast authentication code",
        method: "get_fastpass_params_blocking",
        sends: &[SIGNIN, PROFILE, FASTPASS_GENE, FASTPASS_APPS],
        answers: 200,
        run: |c| {
            let id = c.fastpass_code();
            c.client.get_fastpass_params_blocking(&id, crate::APP_ID)
        },
    },
    Call {
        does: "get_fastpass_params for another app fails",
        method: "get_fastpass_params_blocking",
        sends: &[SIGNIN, PROFILE, FASTPASS_GENE, FASTPASS_APPS],
        answers: 404,
        run: |c| {
            let id = c.fastpass_code();
            c.client.get_fastpass_params_blocking(&id, "another-app")
        },
    },
    Call {
        does: "get_qr_code_status of a scanned fast authentication code answers SCANNED and who",
        method: "get_qr_code_status_blocking",
        sends: &[SIGNIN, PROFILE, FASTPASS_GENE, FASTPASS_APPS, FASTPASS_STATUS],
        answers: 200,
        run: |c| {
            let id = c.fastpass_code();
            c.ok(c.client.get_fastpass_params_blocking(&id, crate::APP_ID));
            c.client.get_qr_code_status_blocking(&id)
        },
    },
    Call {
        does: "get_qr_code_status of an unknown code fails with an api code",
        method: "get_qr_code_status_blocking",
        sends: &[FASTPASS_STATUS],
        answers: 404,
        run: |c| c.client.get_qr_code_status_blocking("qr-unknown"),
    },
    Call {
        does: "qr_code_app_login signs the app in as the code's owner and starts the session",
        method: "qr_code_app_login_blocking",
        sends: &[SIGNIN, PROFILE, FASTPASS_GENE, FASTPASS_APPS, APP_LOGIN, PROFILE],
        answers: 200,
        run: |c| {
            let id = c.fastpass_code();
            c.ok(c.client.get_fastpass_params_blocking(&id, crate::APP_ID));
            c.client.qr_code_app_login_blocking(&id)
        },
    },
    Call {
        does: "qr_code_app_login with a code already used fails with an api code",
        method: "qr_code_app_login_blocking",
        sends: &[SIGNIN, PROFILE, FASTPASS_GENE, APP_LOGIN, PROFILE, APP_LOGIN],
        answers: 400,
        run: |c| {
            let id = c.fastpass_code();
            c.ok(c.client.qr_code_app_login_blocking(&id));
            c.client.qr_code_app_login_blocking(&id)
        },
    },
];

impl Ctx {
    /// A fast authentication code of the email user, signed in for it: its id.
    fn fastpass_code(&self) -> String {
        self.ok(self
            .client
            .sign_in_by_email_password_blocking(EMAIL, "old-passw0rd", None));
        let code = self.ok(self.client.gene_fastpass_qrcode_info_blocking(None));
        let code = code.fastpass_qr_code().expect("a fast authentication code");
        code.qrcode_id().to_string()
    }

    /// A new QR code's id.
    fn qr_code(&self) -> String {
        let code = self.ok(self.client.gene_qr_code_blocking(None)).qr_code();
        code.expect("a qr code").qrcode_id().to_string()
    }

    /// The email user's phone scans and confirms `id` (through the emulator's admin).
    fn phone_confirms(&self, id: &str) {
        for action in [authing::Action::SCAN, authing::Action::CONFIRM] {
            self.emu
                .change_qr_code_status(id, EMAIL, action)
                .expect("the phone's action");
        }
    }

    /// A QR code the phone confirmed.
    fn confirmed_qr_code(&self) -> String {
        let id = self.qr_code();
        self.phone_confirms(&id);
        id
    }

    /// The ticket of a QR code the phone confirmed.
    fn qr_ticket(&self) -> String {
        let id = self.confirmed_qr_code();
        let state = self
            .ok(self.client.check_qr_code_status_blocking(&id))
            .qr_code_state();
        state
            .expect("a state")
            .ticket()
            .expect("a ticket")
            .to_string()
    }
}
