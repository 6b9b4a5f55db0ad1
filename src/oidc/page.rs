//! The small HTML pages the loopback listener answers the browser with. No script, no
//! external resource; every text is HTML-escaped.

use std::fmt::Write;

/// One answer of the loopback listener.
pub(crate) struct Page {
    pub(crate) status: u16,
    title: &'static str,
    message: String,
}

impl Page {
    /// The sign-in worked.
    pub(crate) fn signed_in() -> Page {
        Page {
            status: 200,
            title: "Signed in",
            message: "You are signed in. You may close this tab and go back to the app.".into(),
        }
    }

    /// The sign-in failed, and why (a message free of secrets).
    pub(crate) fn failed(why: &str) -> Page {
        Page {
            status: 200,
            title: "Sign-in failed",
            message: format!(
                "The sign-in did not complete: {why}. You may close this tab and try again from the app."
            ),
        }
    }

    /// A redirect whose `state` is not the awaited one: ignored.
    pub(crate) fn not_this_sign_in() -> Page {
        Page {
            status: 400,
            title: "Not this sign-in",
            message: "This answer does not belong to the sign-in the app is waiting for, so it was ignored. If you started a new sign-in, finish it in its own tab.".into(),
        }
    }

    /// A path other than the redirect's.
    pub(crate) fn not_found() -> Page {
        Page {
            status: 404,
            title: "Not found",
            message: "Nothing here.".into(),
        }
    }

    /// A method other than GET on the redirect's path.
    pub(crate) fn method_not_allowed() -> Page {
        Page {
            status: 405,
            title: "Method not allowed",
            message: "Only GET is answered here.".into(),
        }
    }

    /// A request head larger than the listener reads.
    pub(crate) fn too_large() -> Page {
        Page {
            status: 431,
            title: "Request too large",
            message: "The request's head is too large.".into(),
        }
    }

    /// The whole HTTP/1.1 answer, `Connection: close`.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let body = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <style>body{{font-family:sans-serif;max-width:36em;margin:4em auto;padding:0 1em}}</style>\
             </head><body><h1>{title}</h1><p>{message}</p></body></html>\n",
            title = escape(self.title),
            message = escape(&self.message),
        );
        let reason = match self.status {
            200 => "OK",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            431 => "Request Header Fields Too Large",
            _ => "Unknown",
        };
        let mut out = String::new();
        let _ = write!(
            out,
            "HTTP/1.1 {} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\n\
             Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n",
            self.status,
            body.len()
        );
        if self.status == 405 {
            out.push_str("Allow: GET\r\n");
        }
        out.push_str("Connection: close\r\n\r\n");
        out.push_str(&body);
        out.into_bytes()
    }
}

/// `text` with `& < > " '` escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_page_escapes_its_message() {
        let bytes = Page::failed("<script>alert(1)</script>").to_bytes();
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains("<script>"), "{text}");
        assert!(text.contains("&lt;script&gt;"));
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
        assert!(head.contains("Connection: close"));
    }
}
