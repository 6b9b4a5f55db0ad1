//! The conformance rows of push sign-in. One `Call` a way of calling; the paths only these
//! rows send are defined here.

use crate::{Call, Ctx, APP_ID, EMAIL, PASSWORD, PROFILE, SIGNIN};
use authing::{AuthOptions, PushCodeAction, PushCodeStatus, PushCodeUpdate, PushSignInOptions};
use serde_json::json;

const PUSH: &str = "POST /api/v3/signin-by-push";
const CHECK_PUSH: &str = "GET /api/v3/check-pushcode-status";
const CHANGE_PUSH: &str = "POST /api/v3/change-pushcode-status";
const RELATION_APPS: &str = "POST /api/v3/get-pushlogin-relation-apps";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "gene_push_code pushes a sign-in request to the user's phone with its options",
        method: "gene_push_code_blocking",
        sends: &[PUSH],
        answers: 200,
        run: |c| {
            let mut options = AuthOptions::new();
            options
                .set_scope("openid profile offline_access")
                .set_custom_data(json!({"device": "desk-7"}));
            c.client.gene_push_code_blocking(EMAIL, options)
        },
    },
    Call {
        does: "gene_push_code for an account nobody has fails with an api code",
        method: "gene_push_code_blocking",
        sends: &[PUSH],
        answers: 404,
        run: |c| c.client.gene_push_code_blocking("nobody@example.com", None),
    },
    Call {
        does: "check_push_code_status of a new push answers PUSHED",
        method: "check_push_code_status_blocking",
        sends: &[PUSH, CHECK_PUSH],
        answers: 200,
        run: |c| {
            let id = c.push_code();
            c.client.check_push_code_status_blocking(&id)
        },
    },
    Call {
        does: "check_push_code_status of a push the phone approved answers the tokenSet",
        method: "check_push_code_status_blocking",
        sends: &[PUSH, CHECK_PUSH],
        answers: 200,
        run: |c| {
            let id = c.push_code();
            c.emu
                .change_push_code_status(&id, PushCodeAction::CONFIRM)
                .expect("the phone approves");
            let answer = c.client.check_push_code_status_blocking(&id);
            let state = answer.push_code_state().expect("a state");
            assert_eq!(state.status(), PushCodeStatus::AUTHORIZED);
            assert!(state.has_token_set());
            answer
        },
    },
    Call {
        does: "check_push_code_status of an unknown push fails with an api code",
        method: "check_push_code_status_blocking",
        sends: &[CHECK_PUSH],
        answers: 404,
        run: |c| c.client.check_push_code_status_blocking("push-unknown"),
    },
    Call {
        does: "change_push_code_status approves a push as the signed-in phone user",
        method: "change_push_code_status_blocking",
        sends: &[PUSH, SIGNIN, PROFILE, CHANGE_PUSH],
        answers: 200,
        run: |c| {
            let id = c.push_code();
            c.ok(c
                .client
                .sign_in_by_email_password_blocking(EMAIL, PASSWORD, None));
            c.client
                .change_push_code_status_blocking(&id, PushCodeAction::CONFIRM)
        },
    },
    Call {
        does: "get_push_login_relation_apps lists the apps related to the push's app",
        method: "get_push_login_relation_apps_blocking",
        sends: &[PUSH, RELATION_APPS],
        answers: 200,
        run: |c| {
            let id = c.push_code();
            c.client.get_push_login_relation_apps_blocking(&id, APP_ID)
        },
    },
    Call {
        does: "sign_in_by_push pushes, polls until the phone approves, and signs in",
        method: "sign_in_by_push_blocking",
        sends: &[PUSH, CHECK_PUSH, PROFILE],
        answers: 200,
        run: |c| {
            let mut options = PushSignInOptions::new();
            options.set_interval(std::time::Duration::from_millis(50));
            c.client
                .sign_in_by_push_blocking(EMAIL, options, |update: PushCodeUpdate| {
                    if update.status() == PushCodeStatus::PUSHED {
                        c.emu
                            .change_push_code_status(
                                update.push_code().push_code_id(),
                                PushCodeAction::CONFIRM,
                            )
                            .expect("the phone approves");
                    }
                })
        },
    },
];

impl Ctx {
    /// A new push to the email user's phone; its id.
    fn push_code(&self) -> String {
        let code = self
            .ok(self.client.gene_push_code_blocking(EMAIL, None))
            .push_code();
        code.expect("a push").push_code_id().to_string()
    }
}
