//! Reading a `multipart/form-data` body (RFC 7578), as the avatar upload receives it from
//! this crate's SDK, from OkHttp (Android) or from a browser.

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FormPart {
    /// The field name of its `Content-Disposition`.
    pub(crate) name: String,
    /// Its file name, for a file.
    pub(crate) filename: Option<String>,
    /// Its `Content-Type`, if it says.
    pub(crate) content_type: Option<String>,
    pub(crate) body: Vec<u8>,
}

/// The parts of `body`, framed by the boundary of `content_type`; `None` when the content
/// type is not `multipart/form-data` with a boundary, or the body is not framed by it.
pub(crate) fn parse(content_type: &str, body: &[u8]) -> Option<Vec<FormPart>> {
    let mut params = content_type.split(';');
    let media = params.next()?.trim();
    if !media.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    let boundary = params.find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })?;
    if boundary.is_empty() || boundary.len() > 70 {
        return None;
    }
    let delimiter = format!("--{boundary}").into_bytes();
    // The first delimiter may follow a preamble; every later one follows a CRLF.
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    let next_delimiter = [b"\r\n".as_slice(), &delimiter].concat();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Some(parts);
        }
        // Transport padding (spaces, tabs) may follow a delimiter, then its CRLF.
        while matches!(body.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        if !body[at..].starts_with(b"\r\n") {
            return None;
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(&body[at..head_end]).ok()?;
        let content_start = head_end + 4;
        let content_end = find(body, &next_delimiter, content_start)?;
        parts.push(part(head, &body[content_start..content_end])?);
        at = content_end + next_delimiter.len();
    }
}

/// A part from its header lines and content.
fn part(head: &str, content: &[u8]) -> Option<FormPart> {
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':')?;
        let key = key.trim();
        if key.eq_ignore_ascii_case("content-disposition") {
            let mut fields = value.split(';');
            if !fields.next()?.trim().eq_ignore_ascii_case("form-data") {
                return None;
            }
            for field in fields {
                let Some((k, v)) = field.split_once('=') else {
                    continue;
                };
                let v = v.trim().trim_matches('"').to_owned();
                match k.trim().to_ascii_lowercase().as_str() {
                    "name" => name = Some(v),
                    "filename" => filename = Some(v),
                    _ => {}
                }
            }
        } else if key.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_owned());
        }
    }
    Some(FormPart {
        name: name?,
        filename,
        content_type,
        body: content.to_vec(),
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_okhttp_style_body_gives_its_file_part() {
        // As Android's Uploader sends it: OkHttp adds Content-Length to each part.
        let body =
            b"--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"aPhoto\"\r\n\
                     Content-Type: image/png\r\nContent-Length: 4\r\n\r\n\x89PNG\r\n--b1--\r\n";
        let parts = parse("multipart/form-data; boundary=b1", body).unwrap();
        assert_eq!(
            parts,
            [FormPart {
                name: "file".into(),
                filename: Some("aPhoto".into()),
                content_type: Some("image/png".into()),
                body: b"\x89PNG".to_vec(),
            }]
        );
    }

    #[test]
    fn a_preamble_two_parts_and_a_quoted_boundary_are_read() {
        let body = b"ignored\r\n--x y\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
                     --x y\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n--x y--";
        let parts = parse("Multipart/Form-Data; boundary=\"x y\"", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].body.as_slice()),
            ("a", &b"1"[..])
        );
        assert_eq!(
            (parts[1].name.as_str(), parts[1].body.as_slice()),
            ("b", &b""[..])
        );
    }

    #[test]
    fn other_types_and_broken_framing_are_refused() {
        assert!(parse("application/json", b"{}").is_none());
        assert!(parse("multipart/form-data", b"--").is_none());
        let unterminated = b"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nxx";
        assert!(parse("multipart/form-data; boundary=b", unterminated).is_none());
    }
}
