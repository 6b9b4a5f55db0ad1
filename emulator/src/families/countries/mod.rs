//! Public information a sign-in screen needs: `GET /api/v3/get-country-list`
//! (`GetCountryListRespDto`). No bearer is needed (the spec lists one, but the endpoint
//! is one of its "public information" endpoints) and the app id is not checked.

pub(crate) mod table;

use serde_json::{json, Value};

use crate::core::envelope::{Endpoint, Outcome, Route};
use crate::families::countries::table::{flag, COUNTRIES};
use crate::http::server::Shared;
use crate::http::Request;

/// The routes of this family.
pub(crate) fn route(path: &str) -> Option<Route> {
    match path {
        "/api/v3/get-country-list" => Some(Route {
            method: "GET",
            endpoint: Endpoint::Query(country_list),
        }),
        _ => None,
    }
}

fn country_list(_shared: &Shared, _request: &Request) -> Outcome {
    let name = |value: &str| json!({"enabled": true, "value": value});
    let list: Vec<Value> = COUNTRIES
        .iter()
        .map(|&(alpha2, alpha3, code, zh_cn, en_us, zh_tw, ja_jp)| {
            json!({
                "alpha2": alpha2,
                "alpha3": alpha3,
                "phoneCountryCode": code,
                "flag": flag(alpha2),
                "name": {
                    "zh-CN": name(zh_cn),
                    "en-US": name(en_us),
                    "zh-TW": name(zh_tw),
                    "ja-JP": name(ja_jp),
                },
            })
        })
        .collect();
    Ok(Some(Value::Array(list)))
}
