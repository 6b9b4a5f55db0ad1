//! The account family's admin API and its mirror on the [`Emulator`] handle: the avatar
//! uploads. `GET /emulator/v1/uploads` lists them (without their bytes);
//! `GET /emulator/v1/uploads/{key}` serves one back, with its media type, as the `url`
//! the upload answered points there.

use serde_json::{json, Value};

use crate::core::state::unix_secs;
use crate::families::account::state::Upload;
use crate::http::server::Shared;
use crate::http::{Request, Response};
use crate::Emulator;

fn error(status: u16, message: &str) -> Response {
    Response::json_status(status, &json!({ "error": message }))
}

/// The JSON of an upload, without its bytes.
fn upload_json(upload: &Upload) -> Value {
    json!({
        "key": upload.key,
        "url": upload.url,
        "contentType": upload.content_type,
        "size": upload.bytes.len(),
        "uploadedAt": unix_secs(upload.uploaded_at),
    })
}

/// The media types an upload can have, as the `'static` text a response needs.
fn static_type(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "image/gif" => "image/gif",
        "image/webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// The family's admin routes: `/emulator/v1/uploads` and what is under it.
pub(crate) fn route(shared: &Shared, request: &Request, path: &str) -> Option<Response> {
    let rest = path.strip_prefix("/emulator/v1/uploads")?;
    (rest.is_empty() || rest.starts_with('/')).then(|| handle(shared, request, rest))
}

/// A path under `/emulator/v1/uploads`: `rest` is empty (the list) or `/{key}`.
fn handle(shared: &Shared, request: &Request, rest: &str) -> Response {
    let head_of_get = request.method == "HEAD";
    if request.method != "GET" && !head_of_get {
        return error(405, "method not allowed on this endpoint").header("Allow", "GET, HEAD");
    }
    let state = shared.state();
    let key = rest.trim_start_matches('/');
    if key.is_empty() {
        let uploads: Vec<Value> = state.families.account.uploads().map(upload_json).collect();
        return Response::json(&json!({ "uploads": uploads }));
    }
    match state.families.account.upload(key) {
        Some(upload) => Response {
            status: 200,
            content_type: static_type(&upload.content_type),
            body: upload.bytes.clone(),
            headers: vec![("Cache-Control", "no-store".to_owned())],
        },
        None => error(404, "no such upload"),
    }
}

impl Emulator {
    /// Every avatar uploaded (`POST /api/v2/upload`) since the start or the last reset,
    /// oldest first; at most the newest 256, and 64 MiB.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.uploads().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn uploads(&self) -> Vec<Upload> {
        self.server
            .shared
            .state()
            .families
            .account
            .uploads()
            .cloned()
            .collect()
    }

    /// The upload whose `url` (as the upload answered it) or key is `url_or_key`.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.upload("photos/nothing.png").is_none());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn upload(&self, url_or_key: &str) -> Option<Upload> {
        let state = self.server.shared.state();
        let key = url_or_key
            .split_once("/emulator/v1/uploads/")
            .map_or(url_or_key, |(_, key)| key);
        state.families.account.upload(key).cloned()
    }
}
