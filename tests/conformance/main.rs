//! Conformance with Authing's published OpenAPI spec: every call the crate makes goes
//! through a recording proxy to the emulator, and every request body the SDK sends and
//! every 2xx answer the emulator gives is checked against the schema of its path in
//! `tests/spec/authentication-v3.json` (the extract `tools/extract_spec.py` makes from the
//! spec; docs/CONFORMANCE.md says how to regenerate it and how to add a call).
//!
//! Table-driven: `CALLS` has one row per way of calling, the rows of each family in
//! `rows/<family>.rs`; a new `AuthClient` call adds its rows to its family's file, and
//! `every_server_call_of_the_client_has_a_conformance_row` fails until it does. Where the
//! emulator knowingly differs from the spec, `KNOWN` says so, entry by entry. This file is
//! the harness; `extract.rs`, `checker.rs` and `proxy.rs` test the tools it stands on.
#[path = "../common/mod.rs"]
mod common;

mod checker;
mod extract;
mod proxy;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use authing::emulator::{Emulator, NewUser};
use authing::{
    AuthClient, AuthOptions, AuthResponse, EmailType, Lang, PasswordEncryptType,
    ResetPasswordPayload, ResetPasswordVerifyMethod, SmsType,
};
use common::proxy::{decode_pairs, Exchange, Proxy};
use common::schema::{check, check_text};
use serde_json::{json, Map, Value};

/// The extract, compiled in: the test needs no file outside the repository.
const EXTRACT: &str = include_str!("../spec/authentication-v3.json");

fn extract() -> &'static Value {
    static PARSED: OnceLock<Value> = OnceLock::new();
    PARSED.get_or_init(|| serde_json::from_str(EXTRACT).expect("the extract is json"))
}

// ---------------------------------------------------------------------------------------
// The calls
// ---------------------------------------------------------------------------------------

const PHONE: &str = "18812345678";
const UNKNOWN_PHONE: &str = "18800000000";
const EMAIL: &str = "someone@example.com";
const USERNAME: &str = "mike";
const AD_ACCOUNT: &str = "carol";
const LDAP_ACCOUNT: &str = "dave";
/// The password of every seeded user.
const PASSWORD: &str = "old-passw0rd";
const NEW_EMAIL: &str = "newcomer@example.com";
const NEW_PHONE: &str = "18887654321";
const APP_ID: &str = authing::emulator::DEFAULT_APP_ID;

/// Paths that rows of several families send (setup steps: a code, a sign-in, the key).
const SEND_SMS: &str = "POST /api/v3/send-sms";
const SEND_EMAIL: &str = "POST /api/v3/send-email";
const VERIFY: &str = "POST /api/v3/verify-reset-password-request";
const RESET: &str = "POST /api/v3/reset-password";
const SYSTEM: &str = "GET /api/v3/system";
const SIGNIN: &str = "POST /api/v3/signin";
const PROFILE: &str = "GET /api/v3/get-profile";
const PUBLIC_CONFIG: &str = "GET /api/v2/applications/demo-app/public-config";

/// One way of calling the client, and what it must put on the wire.
struct Call {
    /// What the row does, as a sentence.
    does: &'static str,
    /// The `AuthClient` method it exercises, by its blocking name (the callback form is a
    /// one-line wrapper over it and sends the same bytes).
    method: &'static str,
    /// Every request the row sends, in order, as `METHOD /path` (setup steps included:
    /// they are checked like the rest).
    sends: &'static [&'static str],
    /// The status code of the row's final answer.
    answers: i32,
    run: fn(&Ctx) -> AuthResponse,
}

/// Declares `mod rows { mod <family>; … }` and `CALLS`, every family's `ROWS` in the order
/// given: a new family is one name here and its file `rows/<family>.rs`.
macro_rules! families {
    ($($family:ident),+ $(,)?) => {
        mod rows {
            $(pub(crate) mod $family;)+
        }

        /// Every row, one slice a family (`rows/<family>.rs`).
        const CALLS: &[&[Call]] = &[$(rows::$family::ROWS),+];
    };
}

families![
    recovery,
    signup,
    signin,
    session,
    countries,
    directory,
    mfa,
    qrcode,
    push,
    oidc,
    account,
    social,
    social_binding,
    permissions,
    devices,
    tokens,
    switch_login,
    captcha,
    wechat,
    events,
    passkeys,
];

/// The rows of `CALLS`, in order.
fn calls() -> impl Iterator<Item = &'static Call> {
    CALLS.iter().flat_map(|rows| rows.iter())
}

/// Paths the SDK calls that the v3 spec does not describe: (method, path template, why).
/// Their exchanges are recorded but have no schema to be checked against.
const NOT_IN_SPEC: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/api/v2/applications/{appId}/public-config",
        "app discovery (Android's Authing.init) reads the v2 public config, which the v3 \
         authentication spec does not describe",
    ),
    // --- mfa ---
    (
        "POST",
        "/api/v2/mfa/totp/verify",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
    (
        "POST",
        "/api/v2/mfa/totp/recovery",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
    (
        "POST",
        "/api/v2/applications/mfa/sms/verify",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
    (
        "POST",
        "/api/v2/applications/mfa/email/verify",
        "a sign-in's MFA challenge is completed through Guard's v2 endpoints",
    ),
    // --- events ---
    (
        "POST",
        "/api/v3/pub-userEvent",
        "Java's pubtEvent posts it; Authing describes it only in its management API \
         (pubUserEvent), not in the v3 authentication spec",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Answer,
}

/// A deviation from the spec that is known and accepted for now. Each entry must still
/// happen: one that no longer does fails the test, so the list stays the list of what to fix.
struct Known {
    /// `METHOD /path-template`.
    endpoint: &'static str,
    side: Side,
    /// The checker's exact violation.
    violation: &'static str,
}

// The emulator's throttled send answers the spec's HTTP 429 form by default, and
// `/api/v3/system` carries `publicIps` and every `version` field: what is left are the
// spec's own defects.
const KNOWN: &[Known] = &[
    // The spec's defect: its `TokenEndPointParams` marks `redirect_uri` required for every
    // grant, but RFC 6749 section 6 (refreshing an access token) takes only `grant_type`,
    // `refresh_token`, `scope` and client authentication; `redirect_uri` belongs to the
    // authorization-code grant (section 4.1.3). The SDK's refresh has none to send.
    Known {
        endpoint: "POST /oidc/token",
        side: Side::Request,
        violation: "/redirect_uri: missing required field",
    },
    // The same spec's `TokenEndPointParams` lists the `client_credentials` grant but no
    // `scope`, which RFC 6749 section 4.4.2 defines for it (the token's scopes).
    Known {
        endpoint: "POST /oidc/token",
        side: Side::Request,
        violation: "/scope: unknown field",
    },
    // The spec lists `GET /api/v2/oidc/validate_token` ("旧版 token 验证接口") with no
    // parameters and no answer; Authing's token docs (and every official SDK's
    // validateToken) give it `access_token` or `id_token` in the query.
    Known {
        endpoint: "GET /api/v2/oidc/validate_token",
        side: Side::Request,
        violation: "query: the spec describes no query parameters",
    },
    // --- mfa ---
    // A sign-in's MFA challenge (apiCode 1635/1636) carries the `mfaToken` in `data`, as
    // the spec's error chapter says, but its failure envelope (`CommonResponseDto`) has
    // no `data`: the spec is incomplete there, not the emulator.
    Known {
        endpoint: "POST /api/v3/signin",
        side: Side::Answer,
        violation: "/data: unknown field",
    },
    // --- passkeys ---
    // The spec draws the bodies of the list and the check as empty objects, so they could
    // carry nothing; the SDK sends what Authing's iOS and Android SDKs send there (the
    // filter `authenticatorCode`, the ids to check), without which the calls mean nothing.
    Known {
        endpoint: "POST /api/v3/webauthn/page-authenticator-device",
        side: Side::Request,
        violation: "/authenticatorCode: unknown field",
    },
    Known {
        endpoint: "POST /api/v3/webauthn/check-valid-credentials-by-credIds",
        side: Side::Request,
        violation: "/credentialIds: unknown field",
    },
];

/// What a row runs against: a fresh emulator with one phone and one email user, the
/// proxy in front of it, and a client pointed at the proxy. Fields drop in order: the
/// client, then the proxy, then the emulator.
struct Ctx {
    client: AuthClient,
    proxy: Proxy,
    emu: Emulator,
}

impl Ctx {
    fn new() -> Ctx {
        let emu = Emulator::start().expect("the emulator starts");
        emu.add_user(NewUser::with_phone("+86", PHONE, "old-passw0rd"))
            .expect("a phone user");
        emu.add_user(NewUser::with_email(EMAIL, "old-passw0rd"))
            .expect("an email user");
        emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
            .expect("a username user");
        emu.add_user(NewUser::ad(AD_ACCOUNT, PASSWORD))
            .expect("an AD account");
        emu.add_user(NewUser::ldap(LDAP_ACCOUNT, PASSWORD))
            .expect("an LDAP account");
        assert_eq!(emu.app_id(), APP_ID);
        let proxy = Proxy::start(emu.addr());
        let client = AuthClient::builder()
            .app_id(APP_ID)
            .app_host(proxy.base_url())
            .lang(Lang::EnUs)
            .build()
            .expect("valid settings");
        Ctx { client, proxy, emu }
    }

    /// A setup step's answer, which must be a success. After a sign-in, waits for the
    /// full profile that follows it ([`settled`](Self::settled)), so the row's requests
    /// come in one order.
    fn ok(&self, response: AuthResponse) -> AuthResponse {
        assert_eq!(
            response.status_code(),
            200,
            "a setup step failed: {}",
            response.message()
        );
        self.settled();
        response
    }

    /// Waits (a deadline loop on the session, no sleep-then-assert) until the session's user
    /// is no longer the partial one of a sign-in's id_token: a sign-in answers after its
    /// one request, and fetches the full profile (`GET /api/v3/get-profile`) on a worker
    /// afterwards; without this wait that request would land anywhere among the row's next
    /// ones. Returns at once when nobody is signed in or the user is complete.
    fn settled(&self) {
        common::full_profile(&self.client);
    }

    fn code(&self, target: &str) -> String {
        self.emu
            .latest_code(target)
            .expect("the emulator issued a code")
    }

    fn verify_phone(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_sms_blocking("+86", PHONE, SmsType::CHANNEL_RESET_PASSWORD));
        let mut payload = ResetPasswordPayload::new();
        payload
            .set_phone_country_code("+86")
            .set_phone_number(PHONE)
            .set_pass_code(self.code(PHONE));
        self.client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::PHONE_PASSCODE, payload)
    }

    fn verify_email(&self) -> AuthResponse {
        self.ok(self
            .client
            .send_email_blocking(EMAIL, EmailType::CHANNEL_RESET_PASSWORD));
        let mut payload = ResetPasswordPayload::new();
        payload.set_email(EMAIL).set_pass_code(self.code(EMAIL));
        self.client
            .reset_password_request_blocking(ResetPasswordVerifyMethod::EMAIL_PASSCODE, payload)
    }

    /// Options that encrypt the password with `kind`.
    fn encrypted(&self, kind: PasswordEncryptType) -> AuthOptions {
        let mut options = AuthOptions::new();
        options.set_password_encrypt_type(kind);
        options
    }

    /// Signs the username user in by account and password.
    fn sign_in(&self) -> AuthResponse {
        let response = self
            .client
            .sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
        self.settled();
        response
    }

    fn reset(&self, encrypt_type: PasswordEncryptType) -> AuthResponse {
        let verified = self.ok(self.verify_phone());
        let reset = verified
            .reset_password_data()
            .expect("the verify answer holds a token");
        self.client
            .reset_password_blocking(&reset, "a new passw0rd", encrypt_type)
    }
}

// ---------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------

/// One violation found in a row.
#[derive(Debug)]
struct Finding {
    row: &'static str,
    endpoint: String,
    side: Side,
    violation: String,
}

/// Whether the requests a row sent are the ones it names, in order: a named path may be a
/// template (`/remove-credential/{credentialID}`), matching one segment as in the spec.
fn sends_match(sent: &[String], named: &[&str]) -> bool {
    sent.len() == named.len()
        && sent.iter().zip(named).all(|(sent, named)| {
            match (sent.split_once(' '), named.split_once(' ')) {
                (Some((m, p)), Some((nm, np))) => m == nm && fits(np, p),
                _ => sent == named,
            }
        })
}

/// Whether `path` fits `template` (`{name}` matches one segment).
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// The spec's operation for a request: its path template and the extract's entry. A
/// template without parameters wins over one with.
fn operation(method: &str, path: &str) -> Option<(&'static str, &'static Value)> {
    let method = method.to_ascii_lowercase();
    extract()["paths"]
        .as_object()?
        .iter()
        .filter(|(template, _)| fits(template, path))
        .filter_map(|(template, ops)| Some((template.as_str(), ops.get(&method)?)))
        .min_by_key(|(template, _)| template.matches('{').count())
}

/// The findings of one exchange.
fn check_exchange(row: &'static str, x: &Exchange) -> Vec<Finding> {
    let mut found = Vec::new();
    let Some((template, op)) = operation(&x.method, &x.path) else {
        let listed = NOT_IN_SPEC
            .iter()
            .any(|(m, t, _)| *m == x.method && fits(t, &x.path));
        if !listed {
            found.push(Finding {
                row,
                endpoint: x.line(),
                side: Side::Request,
                violation: "the spec has no such path and method".into(),
            });
        }
        return found;
    };
    let endpoint = format!("{} {template}", x.method);
    let mut report = |side: Side, violations: Vec<String>| {
        found.extend(violations.into_iter().map(|violation| Finding {
            row,
            endpoint: endpoint.clone(),
            side,
            violation,
        }));
    };
    report(Side::Request, request_violations(op, x));
    report(Side::Answer, answer_violations(op, x));
    found
}

fn request_violations(op: &Value, x: &Exchange) -> Vec<String> {
    if MULTIPART_BODIES
        .iter()
        .any(|(m, t, _)| *m == x.method && fits(t, &x.path))
    {
        return multipart_violations(x);
    }
    let mut out = Vec::new();
    let query: Map<String, Value> = x
        .query_pairs()
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    match op.get("query") {
        Some(schema) => out.extend(
            check_text(schema, &Value::Object(query))
                .into_iter()
                .map(|v| format!("query {v}")),
        ),
        None if !query.is_empty() => {
            out.push("query: the spec describes no query parameters".into());
        }
        None => {}
    }
    let Some(request) = op.get("request") else {
        if !x.request_body.is_empty() {
            out.push("/: a body where the spec describes none".into());
        }
        return out;
    };
    let spec_type = request["contentType"].as_str().unwrap_or_default();
    if x.request_body.is_empty() {
        if request["required"] == json!(true) {
            out.push("/: no body where the spec requires one".into());
        }
        return out;
    }
    let sent_type = x.request_header("content-type").unwrap_or_default();
    if !sent_type.starts_with(spec_type) {
        out.push(format!(
            "content-type: {sent_type:?}, the spec says {spec_type:?}"
        ));
    }
    let schema = &request["schema"];
    if spec_type == "application/x-www-form-urlencoded" {
        let text = String::from_utf8_lossy(&x.request_body);
        let form: Map<String, Value> = decode_pairs(&text)
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        out.extend(check_text(schema, &Value::Object(form)));
    } else {
        match x.request_json() {
            Ok(body) => out.extend(check(schema, &body)),
            Err(e) => out.push(format!("/: {e}")),
        }
    }
    out
}

/// A 2xx answer against the path's answer schema; a business failure (an envelope whose
/// `statusCode` is not 200) against the spec's failure envelope, `CommonResponseDto`.
/// Answers outside 2xx are not checked: the spec describes none.
fn answer_violations(op: &Value, x: &Exchange) -> Vec<String> {
    if !(200..300).contains(&x.status) {
        return Vec::new();
    }
    let Some(response) = op.get("response") else {
        return Vec::new();
    };
    let body = match x.response_json() {
        Ok(body) => body,
        Err(e) => return vec![format!("/: {e}")],
    };
    let schema = &response["schema"];
    if ENVELOPED_ANSWERS
        .iter()
        .any(|(m, t, _)| *m == x.method && fits(t, &x.path))
    {
        return enveloped_violations(schema, &body);
    }
    let enveloped = schema["properties"].get("statusCode").is_some();
    let failed = body["statusCode"].as_f64().is_some_and(|s| s != 200.0);
    if enveloped && failed {
        check(&extract()["failure"], &body)
    } else {
        check(schema, &body)
    }
}

/// Paths whose answer the spec describes as the bare token set where the server wraps it in
/// the envelope, as Android's and iOS's `AuthClient`s read it (`data`): (method, path
/// template, why). Their answer is checked as an envelope (`CommonResponseDto`'s fields
/// and `data`), and its `data`, on a success, against the spec's schema.
const ENVELOPED_ANSWERS: &[(&str, &str, &str)] = &[
    (
        "POST",
        "/api/v2/ecConn/wechatMobile/register",
        ECCONN_ENVELOPE,
    ),
    (
        "POST",
        "/api/v2/ecConn/wechatMobile/byEmailCode",
        ECCONN_ENVELOPE,
    ),
    (
        "POST",
        "/api/v2/ecConn/wechatMobile/byPhoneCode",
        ECCONN_ENVELOPE,
    ),
    (
        "POST",
        "/api/v2/ecConn/wechatMobile/byAccount",
        ECCONN_ENVELOPE,
    ),
    (
        "POST",
        "/api/v2/ecConn/wechatMobile/select",
        ECCONN_ENVELOPE,
    ),
    (
        "POST",
        "/api/v2/ecConn/wechatMobile/byAccountId",
        ECCONN_ENVELOPE,
    ),
];

/// Why the WeChat mobile binding answers are enveloped.
const ECCONN_ENVELOPE: &str = "the spec gives WechatLoginTokenRespDto as the whole answer, \
     but its own 301 answer of the same family (WechatIdentityResolveRespDto) is the \
     envelope, and Android's and iOS's AuthClients read the tokens from the envelope's data";

/// The violations of an answer of `ENVELOPED_ANSWERS`: the envelope without `data`
/// against `CommonResponseDto`; on a success, `data` against `schema`.
fn enveloped_violations(schema: &Value, body: &Value) -> Vec<String> {
    let mut bare = body.clone();
    let data = bare.as_object_mut().and_then(|map| map.remove("data"));
    let mut out = check(&extract()["failure"], &bare);
    if body["statusCode"].as_f64() == Some(200.0) {
        match data {
            Some(data) => out.extend(
                check(schema, &data)
                    .into_iter()
                    .map(|v| format!("/data{v}")),
            ),
            None => out.push("/data: missing on a success".into()),
        }
    }
    out
}

/// Paths whose request body the spec describes as JSON where it is `multipart/form-data`:
/// (method, path template, why). Their content type is checked, and that the query holds
/// only the spec's `UploadDto` fields; the body, a file, is not. Their answers are checked
/// as any other.
const MULTIPART_BODIES: &[(&str, &str, &str)] = &[(
    "POST",
    "/api/v2/upload",
    "the spec gives the upload a JSON UploadDto ({folder, isPrivate}), which cannot carry a \
     file; Android's Uploader and the server take multipart/form-data with the file as the \
     part `file` and the folder in the query",
)];

/// The request violations of a multipart upload (see `MULTIPART_BODIES`).
fn multipart_violations(x: &Exchange) -> Vec<String> {
    let mut out = Vec::new();
    let sent_type = x.request_header("content-type").unwrap_or_default();
    if !sent_type.starts_with("multipart/form-data; boundary=") {
        out.push(format!(
            "content-type: {sent_type:?}, not multipart/form-data"
        ));
    }
    for (key, _) in x.query_pairs() {
        if key != "folder" && key != "isPrivate" {
            out.push(format!("query /{key}: unknown field"));
        }
    }
    out
}

#[test]
fn every_call_of_the_client_sends_and_gets_what_the_spec_describes() {
    let mut findings = Vec::new();
    let mut wrong_rows = Vec::new();
    for call in calls() {
        let ctx = Ctx::new();
        let response = (call.run)(&ctx);
        // A row that ends with a sign-in: its full profile is one of its requests.
        ctx.settled();
        let exchanges = ctx.proxy.take();
        let sent: Vec<String> = exchanges.iter().map(Exchange::line).collect();
        if !sends_match(&sent, call.sends) {
            wrong_rows.push(format!(
                "{}: sent {sent:?}, the row says {:?}",
                call.does, call.sends
            ));
        }
        if response.status_code() != call.answers {
            wrong_rows.push(format!(
                "{}: answered {} ({}), the row says {}",
                call.does,
                response.status_code(),
                response.message(),
                call.answers
            ));
        }
        for x in &exchanges {
            findings.extend(check_exchange(call.does, x));
        }
    }

    let mut used = vec![false; KNOWN.len()];
    let unexpected: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            let known = KNOWN.iter().position(|k| {
                k.endpoint == f.endpoint && k.side == f.side && k.violation == f.violation
            });
            if let Some(i) = known {
                used[i] = true;
            }
            known.is_none()
        })
        .collect();
    let stale: Vec<String> = KNOWN
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(k, _)| format!("{} {:?} {:?}", k.endpoint, k.side, k.violation))
        .collect();

    let mut problems = wrong_rows;
    problems.extend(
        unexpected
            .iter()
            .map(|f| format!("{}: {} {:?} {}", f.row, f.endpoint, f.side, f.violation)),
    );
    problems.extend(
        stale
            .iter()
            .map(|k| format!("KNOWN entry no longer happens (remove it): {k}")),
    );
    assert!(
        problems.is_empty(),
        "{} conformance problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The `pub fn ..._blocking` methods under `src/` (the client side: the emulator and the
/// binary are the server's).
fn blocking_methods_in(dir: &Path, found: &mut BTreeSet<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name != "emulator" && name != "bin" {
                blocking_methods_in(&path, found);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            for line in text.lines() {
                let Some(rest) = line.trim_start().strip_prefix("pub fn ") else {
                    continue;
                };
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.ends_with("_blocking") {
                    found.insert(name);
                }
            }
        }
    }
}

#[test]
fn every_server_call_of_the_client_has_a_conformance_row() {
    let mut in_src = BTreeSet::new();
    blocking_methods_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut in_src,
    );
    assert!(
        in_src.contains("send_sms_blocking"),
        "the scan of src/ found the client's calls: {in_src:?}"
    );
    let rows: BTreeSet<String> = calls().map(|c| c.method.to_string()).collect();
    let missing: Vec<_> = in_src.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&in_src).collect();
    assert!(
        missing.is_empty(),
        "calls without a conformance row in tests/conformance/rows/: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for methods src/ no longer has: {stale:?}"
    );
}

#[test]
fn every_call_has_a_row_whose_answer_is_a_success() {
    let methods: BTreeSet<&str> = calls().map(|c| c.method).collect();
    for method in methods {
        assert!(
            calls().any(|c| c.method == method && c.answers == 200),
            "{method} has no row whose answer is a success, so no success body is checked"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Coverage of the spec: every path is called or excepted
// ---------------------------------------------------------------------------------------

/// The spec's paths that no row sends, each with why: (method, path template, reason). It
/// mirrors docs/CONFORMANCE.md's "Spec paths the crate does not call", entry by entry.
const EXCEPTED: &[(&str, &str, &str)] = &[
    (
        "GET",
        "/oidc/auth",
        "the SDK builds the authorization URL and the user's browser sends it; the test \
         the_authorize_url_the_client_builds_fits_the_spec checks that URL's query instead",
    ),
    (
        "GET",
        "/api/v3/signin-by-extidp",
        "the SDK builds the URL (build_sign_in_by_ext_idp_url, sign_in_by_browser with \
         BrowserSignIn::ext_idp) and the user's browser sends it; the test \
         the_authorize_url_the_client_builds_fits_the_spec checks that URL's query instead",
    ),
    (
        "POST",
        "/oidc/me",
        "the same UserInfo endpoint as GET /oidc/me, which the SDK calls (OpenID Connect \
         Core 5.3.1 allows either method; one is enough)",
    ),
    (
        "POST",
        "/api/v2/oidc/validate_pem_key",
        "console-only: checks a PEM key an administrator pastes into the console",
    ),
    (
        "POST",
        "/interaction/oidc/{interactionKey}/login",
        "internals of Authing's hosted login pages: the browser's form posts, not an \
         app's calls",
    ),
    (
        "POST",
        "/interaction/oidc/{interactionKey}/confirm",
        "internals of Authing's hosted login pages: the browser's form posts, not an \
         app's calls",
    ),
    (
        "POST",
        "/interaction/oidc/{interactionKey}/abort",
        "internals of Authing's hosted login pages: the browser's form posts, not an \
         app's calls",
    ),
    (
        "POST",
        "/interaction/oidc/{interactionKey}/end",
        "internals of Authing's hosted login pages: the browser's form posts, not an \
         app's calls",
    ),
];

/// Paths other branches are building in parallel: (method, path template). Empty since
/// issue 22's branches merged; a branch that adds a path another branch calls lists it
/// here until that branch merges. The coordinator empties this
/// list at their merge; the test fails if a row already sends one, so it cannot go stale.
const PENDING_IN_SIBLING_BRANCHES: &[(&str, &str)] = &[];

/// Every (METHOD, path template) of the extract.
fn spec_operations() -> BTreeSet<(String, String)> {
    let paths = extract()["paths"]
        .as_object()
        .expect("the extract has paths");
    paths
        .iter()
        .flat_map(|(template, ops)| {
            ops.as_object()
                .into_iter()
                .flat_map(|ops| ops.keys())
                .map(move |m| (m.to_ascii_uppercase(), template.clone()))
        })
        .collect()
}

/// The (METHOD, path template) of the spec that some row's `sends` names.
fn sent_by_rows() -> BTreeSet<(String, String)> {
    let mut sent = BTreeSet::new();
    for line in calls().flat_map(|c| c.sends.iter()) {
        let (method, target) = line.split_once(' ').expect("a send is `METHOD /path`");
        let path = target.split('?').next().unwrap_or(target);
        if let Some((template, _)) = operation(method, path) {
            sent.insert((method.to_string(), template.to_string()));
        }
    }
    sent
}

#[test]
fn every_spec_path_is_called_or_excepted() {
    let spec = spec_operations();
    let sent = sent_by_rows();
    let key = |(m, p, _): &(&str, &str, &str)| (m.to_string(), p.to_string());
    let excepted: BTreeSet<(String, String)> = EXCEPTED.iter().map(key).collect();
    let pending: BTreeSet<(String, String)> = PENDING_IN_SIBLING_BRANCHES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let mut problems = Vec::new();
    for op in &spec {
        if !sent.contains(op) && !excepted.contains(op) && !pending.contains(op) {
            problems.push(format!(
                "{} {}: no row sends it and EXCEPTED does not say why",
                op.0, op.1
            ));
        }
    }
    for op in excepted.iter().chain(&pending) {
        if !spec.contains(op) {
            problems.push(format!(
                "{} {}: listed, but not a path of the spec",
                op.0, op.1
            ));
        }
    }
    for op in sent.intersection(&excepted) {
        problems.push(format!(
            "{} {}: a row sends it, remove it from EXCEPTED",
            op.0, op.1
        ));
    }
    for op in sent.intersection(&pending) {
        problems.push(format!(
            "{} {}: a row sends it, remove it from PENDING_IN_SIBLING_BRANCHES",
            op.0, op.1
        ));
    }
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/CONFORMANCE.md"))
            .expect("docs/CONFORMANCE.md is readable");
    let section = docs
        .split("## Spec paths the crate does not call")
        .nth(1)
        .expect("docs/CONFORMANCE.md has the section \"Spec paths the crate does not call\"");
    let section = section.split("\n## ").next().unwrap_or(section);
    for (method, path, _) in EXCEPTED {
        if !section.contains(&format!("`{method} {path}`")) {
            problems.push(format!(
                "{method} {path}: excepted here, but the docs section does not name it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s) with the spec's coverage:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// `GET /oidc/auth` and `GET /api/v3/signin-by-extidp` are sent by the user's browser, not
/// the SDK: what the SDK owns is the URL, whose query is checked here against the spec's,
/// for each way of building it.
#[test]
fn the_authorize_url_the_client_builds_fits_the_spec() {
    let ctx = Ctx::new();
    let op = &extract()["paths"]["/oidc/auth"]["get"];
    let mut plain = authing::AuthRequest::new();
    plain.set_redirect_url("http://127.0.0.1:4321/callback");
    let mut full = authing::AuthRequest::new();
    full.set_redirect_url("http://127.0.0.1:4321/callback")
        .set_scope("openid profile email offline_access")
        .set_nonce("n-0S6_WzA2Mj")
        .set_state("af0ifjsldkj");
    let ext_idp = &extract()["paths"]["/api/v3/signin-by-extidp"]["get"];
    let built = [&plain, &full].into_iter().flat_map(|request| {
        let authorize = ctx.client.build_authorize_url_blocking(request);
        let by_ext_idp = ctx
            .client
            .build_sign_in_by_ext_idp_url_blocking("my-github", request);
        [
            ("/oidc/auth", op, authorize),
            ("/api/v3/signin-by-extidp", ext_idp, by_ext_idp),
        ]
    });
    for (path, op, response) in built {
        let url = response.authorize_url().expect("a url");
        let (base, query) = url.split_once('?').expect("the url has a query");
        assert!(base.ends_with(path), "{base}");
        let pairs: Map<String, Value> = decode_pairs(query)
            .into_iter()
            .filter(|(k, _)| !AUTHORIZE_EXTENSIONS.contains(&k.as_str()))
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let violations = check_text(&op["query"], &Value::Object(pairs));
        assert!(violations.is_empty(), "{url}: {violations:?}");
    }
}

/// Query parameters of the built URLs the spec's `/oidc/auth` and `/signin-by-extidp` do
/// not list, each a standard one: PKCE's (RFC 7636 section 4.3).
const AUTHORIZE_EXTENSIONS: &[&str] = &["code_challenge", "code_challenge_method"];
