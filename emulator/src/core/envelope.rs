//! The envelope of the Authing endpoints and what every family's handlers share: answering
//! one request (the language, the route the family table gives, 404, 405 with `Allow`,
//! 413, the app id check and the JSON body), the [`Failure`] and [`Outcome`] of a handler,
//! the [`Route`] a family registers. The readers of body fields are `fields.rs`. The families
//! themselves, and their table, are `families/`.

use serde_json::{json, Map, Value};

use crate::core::msg::{Lang, Msg};
use crate::http::server::Shared;
use crate::http::{Request, Response};

use crate::core::codes::{APP_NOT_FOUND, BAD_PARAMS};

/// One failure, ready for the envelope.
pub(crate) struct Failure {
    /// The envelope's `statusCode`.
    pub(crate) status: u16,
    pub(crate) api_code: Option<u32>,
    pub(crate) msg: Msg,
    pub(crate) data: Option<Value>,
    /// The HTTP status: 200 for business errors (the server's rule), else the real one.
    pub(crate) http_status: u16,
    /// Only `statusCode` and `message` in the body (no `requestId`), as Authing's
    /// rate-limit chapter shows its HTTP 429 answer.
    pub(crate) bare: bool,
    /// Extra HTTP headers (`Retry-After`, `Allow`).
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Failure {
    /// A business error: HTTP 200 with this `statusCode` in the envelope.
    pub(crate) fn new(status: u16, api_code: Option<u32>, msg: Msg) -> Failure {
        Failure {
            status,
            api_code,
            msg,
            data: None,
            http_status: 200,
            bare: false,
            headers: Vec::new(),
        }
    }

    /// A missing or malformed parameter: statusCode 400, apiCode 2231.
    pub(crate) fn params(msg: Msg) -> Failure {
        Failure::new(400, Some(BAD_PARAMS), msg)
    }
}

/// What an envelope endpoint returns: the `data` of a success, or a failure.
pub(crate) type Outcome = Result<Option<Value>, Failure>;

/// How one endpoint is answered.
#[derive(Clone, Copy)]
pub(crate) enum Endpoint {
    /// A v3 POST endpoint: the app id is checked, the body must be a JSON object, the
    /// answer is the envelope.
    Envelope(fn(&Shared, &Map<String, Value>) -> Outcome),
    /// Like `Envelope`, and the handler also sees the request (its headers).
    EnvelopeWith(fn(&Shared, &Request, &Map<String, Value>) -> Outcome),
    /// A v3 GET endpoint answered with the envelope: no app id check, no body; the handler
    /// reads the headers and the query.
    Query(fn(&Shared, &Request) -> Outcome),
    /// One path answering a GET as `Query` does and a POST as `EnvelopeWith` does (the
    /// route's method is then `"GET, POST"`).
    QueryAndEnvelope(
        fn(&Shared, &Request) -> Outcome,
        fn(&Shared, &Request, &Map<String, Value>) -> Outcome,
    ),
    /// An endpoint that checks and builds everything itself (public config, system, the
    /// OIDC endpoints).
    Raw(fn(&Shared, &Request, Lang) -> Response),
}

/// One route: the method it answers (or several, `"GET, POST"`) and how.
#[derive(Clone, Copy)]
pub(crate) struct Route {
    pub(crate) method: &'static str,
    pub(crate) endpoint: Endpoint,
}

/// The envelope: `statusCode`, `message`, `apiCode` when given, `requestId`, `data` when
/// given.
pub(crate) fn envelope(
    lang: Lang,
    request_id: String,
    status: u16,
    api_code: Option<u32>,
    msg: &Msg,
    data: Option<Value>,
) -> Response {
    let mut body = Map::new();
    body.insert("statusCode".to_owned(), status.into());
    body.insert("message".to_owned(), msg.text(lang).into());
    if let Some(code) = api_code {
        body.insert("apiCode".to_owned(), code.into());
    }
    body.insert("requestId".to_owned(), request_id.into());
    if let Some(data) = data {
        body.insert("data".to_owned(), data);
    }
    Response::json(&Value::Object(body))
}

/// Answers one request to a non-admin path.
pub(crate) fn handle(shared: &Shared, request: &Request) -> Response {
    let lang = Lang::from_header(request.header("x-authing-lang"));
    let reply = |outcome: Outcome| match outcome {
        Ok(data) => envelope(lang, shared.request_id(), 200, None, &Msg::Ok, data),
        Err(f) => {
            let mut r = if f.bare {
                Response::json(&json!({"statusCode": f.status, "message": f.msg.text(lang)}))
            } else {
                envelope(
                    lang,
                    shared.request_id(),
                    f.status,
                    f.api_code,
                    &f.msg,
                    f.data,
                )
            };
            r = r.status(f.http_status);
            r.headers = f.headers;
            r
        }
    };
    if request.too_large {
        let msg = Msg::TooLarge(shared.config.max_body_bytes);
        return reply(Err(Failure::new(413, None, msg)));
    }
    let Some(route) = crate::families::route(&request.path) else {
        // A real HTTP 404 as well: no endpoint, no business answer.
        let mut f = Failure::new(404, None, Msg::UnknownPath);
        f.http_status = 404;
        return reply(Err(f));
    };
    let head_of_get = route.method.starts_with("GET") && request.method == "HEAD";
    if !route.method.split(", ").any(|m| m == request.method) && !head_of_get {
        let mut f = Failure::new(405, None, Msg::MethodNotAllowed);
        f.http_status = 405;
        let allow = if route.method == "GET" {
            "GET, HEAD"
        } else {
            route.method
        };
        f.headers.push(("Allow", allow.to_owned()));
        return reply(Err(f));
    }
    let post = |handler: &dyn Fn(&Map<String, Value>) -> Outcome| {
        let app_ok = request
            .header("x-authing-app-id")
            .is_some_and(|id| id.trim() == shared.config.app_id);
        if !app_ok {
            return reply(Err(Failure::new(
                404,
                Some(APP_NOT_FOUND),
                Msg::AppNotFound,
            )));
        }
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(map)) => reply(handler(&map)),
            Ok(_) => reply(Err(Failure::params(Msg::NotObject))),
            Err(_) => reply(Err(Failure::params(Msg::NotJson))),
        }
    };
    match route.endpoint {
        Endpoint::Raw(handler) => handler(shared, request, lang),
        Endpoint::Query(handler) => reply(handler(shared, request)),
        Endpoint::Envelope(handler) => post(&|body| handler(shared, body)),
        Endpoint::EnvelopeWith(handler) => post(&|body| handler(shared, request, body)),
        Endpoint::QueryAndEnvelope(get, _) if request.method != "POST" => {
            reply(get(shared, request))
        }
        Endpoint::QueryAndEnvelope(_, handler) => post(&|body| handler(shared, request, body)),
    }
}

/// An OAuth 2.0 error answer (RFC 6749 section 5.2) of the `/oidc` endpoints: `{error,
/// error_description}`, never cached, and a 401 says how to authenticate (section 2.3.1).
pub(crate) fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let mut response = Response::json_status(
        status,
        &json!({"error": error, "error_description": description}),
    )
    .header("Cache-Control", "no-store");
    if status == 401 {
        response = response.header("WWW-Authenticate", "Basic realm=\"oidc\"");
    }
    response
}
