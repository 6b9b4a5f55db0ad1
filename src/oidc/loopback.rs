//! The loopback listener of a browser sign-in (RFC 8252 section 7.3): a TCP listener on
//! `127.0.0.1` with an ephemeral port, waiting for the one request that brings the
//! authorization answer back from the browser.
//!
//! - It binds `127.0.0.1` only (never `0.0.0.0`), and drops a connection whose peer is not
//!   a loopback address.
//! - It runs on the thread of the call, without threads of its own: the listener and its
//!   connections are non-blocking and polled every [`POLL`], so a cancellation or the
//!   deadline is noticed within that time, and a connection that sends nothing (a
//!   browser's speculative pre-connection, a port scan) never blocks the others.
//! - A request to another path (a browser's `/favicon.ico`) gets a 404, another method a
//!   405, a head over 8 KiB a 431, bytes that are not HTTP nothing; an idle connection is
//!   dropped after [`IDLE`]; at most [`MAX_PENDING`] connections are held, the oldest
//!   dropped first, but only once it has been read in two polls (so it had a whole
//!   [`POLL`] after it was taken to send its request): a burst of connections right
//!   behind the browser's does not push its redirect out unread (when no held connection
//!   can be dropped yet, the others wait in the system's backlog for a later poll). None
//!   of them ends the wait.
//! - A request to the redirect path whose `state` is not the awaited one gets a 400 page
//!   and is ignored (it may be a forged request, or a stale tab); the wait goes on.
//! - The awaited redirect ends the wait: [`Loopback::wait`] consumes the listener, so it
//!   is closed, and every other connection with it, before the code is exchanged. The
//!   redirect's own connection stays open until its page is written.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use super::page::Page;
use super::OidcError;
use crate::transport::urlencoded;

/// How often the listener and its connections are polled.
pub(crate) const POLL: Duration = Duration::from_millis(20);
/// How long a connection may stay without sending a whole request head.
pub(crate) const IDLE: Duration = Duration::from_secs(10);
/// The most connections held at once.
pub(crate) const MAX_PENDING: usize = 32;
/// In how many polls a connection is read before it may be dropped for a new one.
const READS_BEFORE_DROP: u8 = 2;
/// The largest request head read.
const MAX_HEAD: usize = 8 * 1024;
/// How long writing a page may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// The listener, bound and waiting.
pub(crate) struct Loopback {
    listener: TcpListener,
    port: u16,
    path: String,
    pending: Vec<Pending>,
}

/// A connection whose request head has not fully arrived.
struct Pending {
    stream: TcpStream,
    head: Vec<u8>,
    since: Instant,
    /// In how many polls its bytes have been read (counted up to [`READS_BEFORE_DROP`]).
    reads: u8,
}

/// The awaited redirect: its query parameters, and the connection to answer.
pub(crate) struct Redirect {
    stream: TcpStream,
    pub(crate) params: Vec<(String, String)>,
}

/// How a wait ended.
pub(crate) enum Waited {
    Redirect(Redirect),
    TimedOut,
    Cancelled,
    Failed(OidcError),
}

/// What one connection's bytes so far amount to.
enum Step {
    /// Not a whole head yet.
    Wait,
    /// Done with it (answered, or dropped).
    Close,
    /// A whole request to the redirect path: its query.
    Redirect(String),
}

impl Loopback {
    /// Listens on `127.0.0.1` with a port the system picks, for requests to `path`.
    pub(crate) fn bind(path: &str) -> Result<Loopback, OidcError> {
        let failed = |e: std::io::Error| OidcError::Listener(format!("127.0.0.1: {e}"));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(failed)?;
        listener.set_nonblocking(true).map_err(failed)?;
        let port = listener.local_addr().map_err(failed)?.port();
        Ok(Loopback {
            listener,
            port,
            path: path.to_string(),
            pending: Vec::new(),
        })
    }

    /// The redirect URL to send: `http://127.0.0.1:<port><path>`.
    pub(crate) fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.path)
    }

    /// Waits for the redirect whose `state` is `state`, until `deadline` (`None`: none)
    /// or until `cancelled` says so. Consumes the listener: whatever the outcome, it is
    /// closed when this returns.
    pub(crate) fn wait(
        mut self,
        state: &str,
        deadline: Option<Instant>,
        cancelled: &dyn Fn() -> bool,
    ) -> Waited {
        loop {
            if cancelled() {
                return Waited::Cancelled;
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Waited::TimedOut;
            }
            if let Err(error) = self.accept_all() {
                return Waited::Failed(error);
            }
            let mut i = 0;
            while i < self.pending.len() {
                match self.step(i) {
                    Step::Wait => i += 1,
                    Step::Close => {
                        self.pending.swap_remove(i);
                    }
                    Step::Redirect(query) => {
                        let conn = self.pending.swap_remove(i);
                        let params = urlencoded::decode_pairs(&query);
                        let matches = params
                            .iter()
                            .any(|(k, v)| k == "state" && v.as_str() == state);
                        if matches {
                            return Waited::Redirect(Redirect {
                                stream: conn.stream,
                                params,
                            });
                        }
                        answer(conn.stream, &Page::not_this_sign_in());
                    }
                }
            }
            thread::sleep(POLL);
        }
    }

    /// Takes every connection waiting on the listener.
    fn accept_all(&mut self) -> Result<(), OidcError> {
        loop {
            if self.pending.len() >= MAX_PENDING && !self.make_room() {
                // No connection held has been read in two polls yet: the others wait in the
                // system's backlog until one has.
                return Ok(());
            }
            match self.listener.accept() {
                Ok((stream, peer)) => {
                    if !peer.ip().is_loopback() || stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    self.pending.push(Pending {
                        stream,
                        head: Vec::new(),
                        since: Instant::now(),
                        reads: 0,
                    });
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::Interrupted
                            | ErrorKind::ConnectionAborted
                            | ErrorKind::ConnectionReset
                    ) => {}
                Err(e) => return Err(OidcError::Listener(format!("accept failed: {e}"))),
            }
        }
    }

    /// Drops the oldest connection that has been read in [`READS_BEFORE_DROP`] polls, so
    /// that one more can be held: `false` when there is none. A connection is never
    /// dropped before it had a whole poll to send its request, or a burst of connections
    /// right behind the browser's would push out its redirect unread (read once too soon,
    /// before its bytes arrived, it would look like an idle one).
    fn make_room(&mut self) -> bool {
        let oldest = (0..self.pending.len())
            .filter(|&i| self.pending[i].reads >= READS_BEFORE_DROP)
            .min_by_key(|&i| self.pending[i].since);
        match oldest {
            Some(i) => {
                self.pending.swap_remove(i);
                true
            }
            None => false,
        }
    }

    /// Reads what connection `i` has sent, and answers it once its head is whole.
    fn step(&mut self, i: usize) -> Step {
        let conn = &mut self.pending[i];
        conn.reads = conn.reads.saturating_add(1).min(READS_BEFORE_DROP);
        let mut buf = [0u8; 2048];
        loop {
            match conn.stream.read(&mut buf) {
                Ok(0) => return Step::Close,
                Ok(n) => conn.head.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return Step::Close,
            }
            if conn.head.len() > MAX_HEAD {
                break;
            }
        }
        let Some(end) = conn.head.windows(4).position(|w| w == b"\r\n\r\n") else {
            if conn.head.len() > MAX_HEAD {
                answer_pending(conn, &Page::too_large());
                return Step::Close;
            }
            if conn.since.elapsed() >= IDLE {
                return Step::Close;
            }
            return Step::Wait;
        };
        let head = String::from_utf8_lossy(&conn.head[..end]).into_owned();
        let mut words = head.lines().next().unwrap_or_default().split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Step::Close;
        };
        if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
            return Step::Close;
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path != self.path {
            answer_pending(conn, &Page::not_found());
            return Step::Close;
        }
        if method != "GET" {
            answer_pending(conn, &Page::method_not_allowed());
            return Step::Close;
        }
        Step::Redirect(query.to_string())
    }
}

impl Redirect {
    /// The value of one query parameter of the redirect.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Answers the browser with `page` and closes the connection.
    pub(crate) fn answer(self, page: &Page) {
        answer(self.stream, page);
    }
}

fn answer_pending(conn: &Pending, page: &Page) {
    if let Ok(stream) = conn.stream.try_clone() {
        answer(stream, page);
    }
}

/// Writes `page` (blocking, with a time-out) and closes the connection.
fn answer(mut stream: TcpStream, page: &Page) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.write_all(&page.to_bytes());
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}
