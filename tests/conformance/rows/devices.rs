//! The conformance rows of the signed-in user's devices (`/api/v3/mydevices/*`). One `Call`
//! a way of calling; the paths only these rows send are defined here. The client signs in
//! with its derived device id, so the emulator has recorded its device.

use crate::{Call, Ctx, PROFILE, SIGNIN};

const LIST: &str = "GET /api/v3/mydevices/list";
const REVOKE: &str = "POST /api/v3/mydevices/revoke-session";
const UNBIND: &str = "POST /api/v3/mydevices/unbind";

/// The client's own device id (derived: the rows set none).
fn own_device(c: &Ctx) -> String {
    c.client.device_id().expect("a configured client has a device id")
}

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "list answers the signed-in user's devices",
        method: "list_blocking",
        sends: &[SIGNIN, PROFILE, LIST],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            let response = c.client.list_blocking(1, 10);
            let devices = response.device_list().expect("typed devices");
            assert_eq!(devices.len(), 1, "the sign-in recorded this device");
            response
        },
    },
    Call {
        does: "revoke signs a device of the user out",
        method: "revoke_blocking",
        sends: &[SIGNIN, PROFILE, REVOKE],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.revoke_blocking(&own_device(c))
        },
    },
    Call {
        does: "revoke of a device the user does not have fails",
        method: "revoke_blocking",
        sends: &[SIGNIN, PROFILE, REVOKE],
        answers: 404,
        run: |c| {
            c.ok(c.sign_in());
            c.client.revoke_blocking("no-such-device")
        },
    },
    Call {
        does: "unbind removes a device of the user",
        method: "unbind_blocking",
        sends: &[SIGNIN, PROFILE, UNBIND],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.unbind_blocking(&own_device(c))
        },
    },
];
