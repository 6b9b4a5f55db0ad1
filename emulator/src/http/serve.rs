//! Serving one connection: requests one after another, faults, the admin API or the
//! Authing endpoints, and the server's own answers (408, 431, 500).

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use serde_json::json;

use crate::core::{admin, envelope};
use crate::http::server::Shared;
use crate::http::{self, Connection, Phase, ReadError, Request, Response};
use crate::Fault;

/// Serves one connection (`id` in the server's registry): requests one after another
/// until the client closes, a request asks to close, the connection is idle too long, the
/// emulator closes idle connections or stops. Its TLS handshake, if any, is done first
/// and counted once it completes.
///
/// The connection counts as idle (`Emulator::close_idle_connections`) only between
/// requests: after its handshake (a connection in the middle of one is never cut), and
/// until bytes of the next request are on the socket (seen without reading them, so the
/// mark goes before the read and its decryption, not after).
pub(crate) fn serve(shared: &Shared, id: u64, mut conn: Connection) {
    let mut counted: Option<u64> = None;
    if conn.handshake().is_err() {
        return;
    }
    if let Some(resumed) = conn.tls_resumed() {
        shared.count_handshake(resumed);
    }
    loop {
        shared.set_idle(id, true);
        let ready = conn.await_bytes();
        shared.set_idle(id, false);
        let read = ready
            .and_then(|()| conn.wait_for_request())
            .and_then(|()| conn.read_request(|path| shared.config.body_limit(path)));
        let request = match read {
            Ok(r) => r,
            Err(ReadError::Malformed) => {
                conn.write_bad_request();
                return;
            }
            Err(ReadError::HeadTooLarge) => {
                answer_and_close(&mut conn, &head_too_large(shared));
                return;
            }
            Err(ReadError::TimedOut(phase)) => {
                answer_and_close(&mut conn, &timed_out(shared, phase));
                return;
            }
            Err(ReadError::Closed | ReadError::Io) => return,
        };
        if shared.stopping() {
            return;
        }
        shared.count_request(&mut counted);
        if let Some(upgrade) = crate::families::upgrade(shared, &request) {
            match upgrade {
                Ok(run) => run(conn.into_stream()),
                Err(refusal) => answer_and_close(&mut conn, &refusal),
            }
            return;
        }
        let fault = match shared.state().take_fault(&request.path) {
            Some(Fault::DropConnection) => {
                conn.drop_now();
                return;
            }
            Some(Fault::Delay(d)) => {
                if !shared.pause(d) {
                    conn.drop_now();
                    return;
                }
                None
            }
            Some(Fault::Hold(gate)) => {
                if !gate.pass(&|| shared.stopping()) {
                    conn.drop_now();
                    return;
                }
                None
            }
            other => other,
        };
        // A handler that panics must not leave the client waiting on a socket nobody
        // serves: it gets a 500 and the connection is closed.
        let answered = panic::catch_unwind(AssertUnwindSafe(|| respond(shared, &request, fault)));
        let Ok(response) = answered else {
            answer_and_close(&mut conn, &panicked(shared));
            return;
        };
        let head_only = request.method == "HEAD";
        if conn
            .write_response(&response, request.close, head_only)
            .is_err()
        {
            return;
        }
        if request.close {
            conn.close();
            return;
        }
    }
}

/// Writes `response` with `Connection: close`, then closes.
fn answer_and_close(conn: &mut Connection, response: &Response) {
    if conn.write_response(response, true, false).is_ok() {
        conn.close();
    }
}

/// The answer to `request`: the fault's, or the endpoint's.
fn respond(shared: &Shared, request: &Request, fault: Option<Fault>) -> Response {
    match fault {
        Some(Fault::Status { status, body }) => {
            let trimmed = body.trim_start();
            let content_type = if trimmed.starts_with('{') || trimmed.starts_with('[') {
                "application/json; charset=utf-8"
            } else {
                "text/html; charset=utf-8"
            };
            Response {
                status,
                content_type,
                body: body.into_bytes(),
                headers: Vec::new(),
            }
        }
        Some(Fault::MalformedBody) => Response {
            status: 200,
            content_type: "application/json; charset=utf-8",
            body: b"<html>this is not json".to_vec(),
            headers: Vec::new(),
        },
        Some(Fault::Panic) => panic!(
            "authing-emulator: a panic fault was injected for {}",
            request.path
        ),
        Some(Fault::Delay(_) | Fault::DropConnection | Fault::Hold(_)) | None => {
            dispatch(shared, request)
        }
    }
}

fn dispatch(shared: &Shared, request: &Request) -> Response {
    crate::families::observed(shared, request, || {
        if request.path.starts_with("/emulator/") {
            admin::handle(shared, request)
        } else {
            envelope::handle(shared, request)
        }
    })
}

/// An envelope the server itself answers with, with the real HTTP status.
fn server_envelope(shared: &Shared, status: u16, message: String) -> Response {
    Response::json_status(
        status,
        &json!({
            "statusCode": status,
            "message": message,
            "requestId": shared.request_id(),
        }),
    )
}

/// The answer to a request head over the limits: HTTP 431.
fn head_too_large(shared: &Shared) -> Response {
    let message = format!(
        "request head is too large: at most {} headers and {} bytes",
        http::MAX_HEADERS,
        http::MAX_HEAD
    );
    server_envelope(shared, 431, message)
}

/// The answer to a request whose head or body did not arrive in time: HTTP 408.
fn timed_out(shared: &Shared, phase: Phase) -> Response {
    let (part, limit) = match phase {
        Phase::Head => ("head", shared.config.head_timeout),
        Phase::Body => ("body", shared.config.body_timeout),
    };
    let message = format!(
        "request {part} not received in time: the emulator waits at most {} for it",
        human(limit)
    );
    server_envelope(shared, 408, message)
}

/// The answer to a request whose handler panicked: HTTP 500.
fn panicked(shared: &Shared) -> Response {
    let message = "internal error: the emulator panicked while answering this request \
                   (its message is on stderr)"
        .to_owned();
    server_envelope(shared, 500, message)
}

/// A duration for a message: whole seconds when it has no fraction, else milliseconds.
fn human(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}
