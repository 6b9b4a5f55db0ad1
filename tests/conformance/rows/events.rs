//! The conformance rows of events: `pub_event` (`POST /api/v3/pub-userEvent`, not in the
//! v3 authentication spec: its exchange is recorded, with no schema to check it against;
//! see `NOT_IN_SPEC`). `sub_event` speaks WebSocket, which these rows do not record; its
//! behaviour is tests/e2e/events.rs.

use crate::{Call, Ctx, PROFILE, SIGNIN};

const PUB: &str = "POST /api/v3/pub-userEvent";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "pub_event publishes a custom event of the pool",
        method: "pub_event_blocking",
        sends: &[SIGNIN, PROFILE, PUB],
        answers: 200,
        run: |c: &Ctx| {
            c.ok(c.sign_in());
            let response = c.client.pub_event_blocking("myapp.order.paid", r#"{"order":"42"}"#);
            assert!(response.is_event_published());
            response
        },
    },
    Call {
        does: "pub_event of one of authing's own events is refused",
        method: "pub_event_blocking",
        sends: &[SIGNIN, PROFILE, PUB],
        answers: 403,
        run: |c: &Ctx| {
            c.ok(c.sign_in());
            c.client.pub_event_blocking("authing.user.updated", "{}")
        },
    },
];
