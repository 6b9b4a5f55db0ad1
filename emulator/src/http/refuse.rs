//! Connections beyond [`max_connections`](crate::EmulatorConfig::max_connections): the
//! accept thread answers them HTTP 503 and ends its side at once, and one thread lingers
//! over all of them for a moment (reading and throwing away what the clients still send),
//! so that each client reads the answer rather than a reset. No refused connection gets a
//! thread of its own.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::http::{Response, LINGER, LINGER_BYTES};

/// How many refused connections linger at once; beyond that one is closed at once.
const MAX_LINGERING: usize = 1024;
/// How often lingering connections are read while no new one arrives.
const POLL: Duration = Duration::from_millis(5);
/// How long writing the short answer to a fresh connection may take.
const WRITE_TIMEOUT: Duration = Duration::from_millis(100);

/// The accept thread's side: hands refused connections to the lingering thread.
pub(crate) struct Refuser {
    tx: Sender<TcpStream>,
}

impl Refuser {
    /// Starts the lingering thread; it ends when the `Refuser` is dropped.
    pub(crate) fn start() -> io::Result<(Refuser, JoinHandle<()>)> {
        let (tx, rx) = mpsc::channel();
        let handle = std::thread::Builder::new()
            .name("authing-emulator-refuse".to_owned())
            .spawn(move || linger(&rx))?;
        Ok((Refuser { tx }, handle))
    }

    /// Writes `response` with `Connection: close`, ends the sending side and leaves the
    /// connection to the lingering thread.
    pub(crate) fn refuse(&self, stream: TcpStream, response: &Response) {
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let written = (&stream).write_all(&response.to_bytes(true, false)).is_ok()
            && stream.shutdown(Shutdown::Write).is_ok()
            && stream.set_nonblocking(true).is_ok();
        if written {
            let _ = self.tx.send(stream);
        }
    }
}

/// Reads and throws away what each refused client still sends, until it closes, or
/// [`LINGER`] or [`LINGER_BYTES`] is reached; returns when the accept thread is gone.
fn linger(rx: &Receiver<TcpStream>) {
    struct Lingering {
        stream: TcpStream,
        until: Instant,
        drained: usize,
    }
    let mut pending: Vec<Lingering> = Vec::new();
    let mut scratch = [0u8; 4096];
    loop {
        let incoming = if pending.is_empty() {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            rx.recv_timeout(POLL)
        };
        match incoming {
            Ok(stream) if pending.len() < MAX_LINGERING => pending.push(Lingering {
                stream,
                until: Instant::now() + LINGER,
                drained: 0,
            }),
            Ok(stream) => drop(stream),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        pending.retain_mut(|l| {
            if now >= l.until {
                return false;
            }
            while l.drained < LINGER_BYTES {
                match l.stream.read(&mut scratch) {
                    Ok(0) => return false,
                    Ok(n) => l.drained += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return false,
                }
            }
            false
        });
    }
}
