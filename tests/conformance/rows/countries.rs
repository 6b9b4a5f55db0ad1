//! The conformance rows of the country list (`get_country_list`). One `Call` a way of
//! calling; the paths only these rows send are defined here.

use crate::{Call, PROFILE, SIGNIN};

const COUNTRIES: &str = "GET /api/v3/get-country-list";

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "get_country_list answers the countries",
        method: "get_country_list_blocking",
        sends: &[COUNTRIES],
        answers: 200,
        run: |c| c.client.get_country_list_blocking(),
    },
    Call {
        does: "get_country_list when signed in sends the bearer",
        method: "get_country_list_blocking",
        sends: &[SIGNIN, PROFILE, COUNTRIES],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.get_country_list_blocking()
        },
    },
];
