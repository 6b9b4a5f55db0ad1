//! The conformance rows of switch login (`get-user-select-login-public-accounts`,
//! `switch-login-by-user`). Each row seeds a public account linked to the username user
//! and signs that user in first.

use crate::{Call, Ctx, PROFILE, SIGNIN};
use authing::emulator::NewUser;

const LIST: &str = "GET /api/v3/get-user-select-login-public-accounts";
const SWITCH: &str = "POST /api/v3/switch-login-by-user";

/// Adds the public account `front-desk`, linked to the username user; its user id.
fn desk(c: &Ctx) -> String {
    c.emu
        .add_user(NewUser::with_username("front-desk", "desk-passw0rd"))
        .expect("the desk");
    c.emu
        .link_public_account("front-desk", crate::USERNAME)
        .expect("linked")
}

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "list_public_accounts_for_switch_logged_in answers the linked accounts and the user",
        method: "list_public_accounts_for_switch_logged_in_blocking",
        sends: &[SIGNIN, PROFILE, LIST],
        answers: 200,
        run: |c| {
            let id = desk(c);
            c.ok(c.sign_in());
            let response = c.client.list_public_accounts_for_switch_logged_in_blocking(true);
            let list = response.public_account_list().expect("typed list");
            assert_eq!(list.public_accounts()[0].user_id(), id);
            assert!(list.origin_user().is_some());
            response
        },
    },
    Call {
        does: "switch_login_by_user switches to a linked public account",
        method: "switch_login_by_user_blocking",
        sends: &[SIGNIN, PROFILE, SWITCH, PROFILE],
        answers: 200,
        run: |c| {
            let id = desk(c);
            c.ok(c.sign_in());
            c.client.switch_login_by_user_blocking(&id, None)
        },
    },
    Call {
        does: "switch_login_by_user to an account the user is not linked to is refused",
        method: "switch_login_by_user_blocking",
        sends: &[SIGNIN, PROFILE, SWITCH],
        answers: 403,
        run: |c| {
            c.ok(c.sign_in());
            let stranger = c
                .emu
                .add_user(NewUser::with_username("stranger", "stranger-passw0rd"))
                .expect("a user");
            c.client.switch_login_by_user_blocking(&stranger, None)
        },
    },
];
