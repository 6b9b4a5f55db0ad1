//! DNS for the transport: each host's addresses are remembered for a while, looked up once
//! per host at a time, and every wait is bounded by the waiting call's own time-out.
//!
//! ureq looks the host up before every request, even on a pooled connection, and with a
//! time-out set (we always set one) its default resolver does so on a new thread: one
//! thread started per call. This resolver keeps calls on pooled connections thread-free:
//!
//! - **Cached.** A host's addresses are reused for [`DNS_TTL`] (60 s); a failed lookup is
//!   remembered for [`FAILURE_TTL`] (2 s), so a dead DNS server is not asked again by every
//!   call of a burst. At most [`DNS_CACHE_HOSTS`] hosts are kept.
//! - **Single-flight per host.** Calls that miss the cache for one host together share one
//!   lookup; a lookup of another host never waits for it (no lock is held while looking up).
//! - **Bounded by the caller.** The lookup runs on a thread of its own; each call waits for
//!   it no longer than its own remaining time-out (ureq hands it over as a `NextTimeout`)
//!   and then fails with that time-out. A lookup that outlives its callers still fills the
//!   cache for the next call.
//! - **Forgotten after a failure.** The transport calls [`HostCache::forget`] when a call
//!   could not connect or broke off, so the next call looks the host up again instead of
//!   trying stale addresses for up to a minute.
//!
//! IP literals (`127.0.0.1:8787`, `[::1]:443`) are never looked up and never cached.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a host's addresses are reused before they are looked up again.
pub(crate) const DNS_TTL: Duration = Duration::from_secs(60);
/// How long a failed lookup is answered from the cache before it is tried again.
pub(crate) const FAILURE_TTL: Duration = Duration::from_secs(2);
/// How many hosts are kept (a client talks to one or two).
pub(crate) const DNS_CACHE_HOSTS: usize = 8;

/// Turns `host:port` into addresses; [`system_lookup`] in the SDK.
pub(crate) type Lookup = dyn Fn(&str) -> io::Result<Vec<SocketAddr>> + Send + Sync;

/// The operating system's resolver (`getaddrinfo` through std).
pub(crate) fn system_lookup(host_port: &str) -> io::Result<Vec<SocketAddr>> {
    host_port.to_socket_addrs().map(Iterator::collect)
}

/// Why a host has no addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The lookup did not answer within the caller's time-out.
    TimedOut,
    /// The lookup answered no address.
    NotFound,
    /// The lookup failed, as the OS said.
    Lookup(io::ErrorKind, String),
}

enum Entry {
    /// A lookup thread is running; `started` for the eviction order.
    Resolving {
        started: Instant,
    },
    Resolved {
        at: Instant,
        addrs: Arc<[SocketAddr]>,
    },
    Failed {
        at: Instant,
        failure: Failure,
    },
}

impl Entry {
    fn at(&self) -> Instant {
        match self {
            Entry::Resolving { started: at }
            | Entry::Resolved { at, .. }
            | Entry::Failed { at, .. } => *at,
        }
    }
}

/// The cache and the lookups in flight, shared by the agent's resolver and the transport.
pub(crate) struct HostCache {
    entries: Mutex<HashMap<String, Entry>>,
    /// Signalled whenever a lookup ends (for any host: waiters re-check their own).
    settled: Condvar,
    lookup: Arc<Lookup>,
    ttl: Duration,
    failure_ttl: Duration,
}

impl HostCache {
    /// A cache over `lookup` with the SDK's time-to-live settings.
    pub(crate) fn new(lookup: Arc<Lookup>) -> Arc<HostCache> {
        HostCache::with_ttls(lookup, DNS_TTL, FAILURE_TTL)
    }

    pub(crate) fn with_ttls(
        lookup: Arc<Lookup>,
        ttl: Duration,
        failure_ttl: Duration,
    ) -> Arc<HostCache> {
        Arc::new(HostCache {
            entries: Mutex::new(HashMap::new()),
            settled: Condvar::new(),
            lookup,
            ttl,
            failure_ttl,
        })
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The addresses of `host_port`, waiting at most `wait` (`None`: as long as it takes).
    pub(crate) fn resolve(
        self: &Arc<Self>,
        host_port: &str,
        wait: Option<Duration>,
    ) -> Result<Arc<[SocketAddr]>, Failure> {
        if let Ok(literal) = host_port.parse::<SocketAddr>() {
            return Ok(Arc::from([literal]));
        }
        let deadline = wait.and_then(|w| Instant::now().checked_add(w));
        let mut entries = self.entries();
        // Set once this call has waited for a lookup: its answer is taken however old.
        let mut waited = false;
        loop {
            let now = Instant::now();
            match entries.get(host_port) {
                Some(Entry::Resolved { at, addrs })
                    if waited || now.duration_since(*at) < self.ttl =>
                {
                    return Ok(Arc::clone(addrs));
                }
                Some(Entry::Failed { at, failure })
                    if waited || now.duration_since(*at) < self.failure_ttl =>
                {
                    return Err(failure.clone());
                }
                Some(Entry::Resolving { .. }) => {
                    waited = true;
                    entries = match deadline {
                        None => self
                            .settled
                            .wait(entries)
                            .unwrap_or_else(PoisonError::into_inner),
                        Some(deadline) => {
                            let Some(left) = deadline.checked_duration_since(now) else {
                                return Err(Failure::TimedOut);
                            };
                            if left.is_zero() {
                                return Err(Failure::TimedOut);
                            }
                            self.settled
                                .wait_timeout(entries, left)
                                .unwrap_or_else(PoisonError::into_inner)
                                .0
                        }
                    };
                }
                // Unknown or stale: this call starts the host's lookup, then waits for it
                // like every other call.
                _ => {
                    evict_to_fit(&mut entries);
                    entries.insert(host_port.to_string(), Entry::Resolving { started: now });
                    if let Err(e) = self.start_lookup(host_port) {
                        entries.remove(host_port);
                        return Err(Failure::Lookup(
                            e.kind(),
                            format!("could not start a dns lookup thread: {e}"),
                        ));
                    }
                }
            }
        }
    }

    fn start_lookup(self: &Arc<Self>, host_port: &str) -> io::Result<()> {
        let cache = Arc::clone(self);
        let key = host_port.to_string();
        thread::Builder::new()
            .name("authing-dns".into())
            .spawn(move || {
                let answer = (cache.lookup)(&key);
                let now = Instant::now();
                let entry = match answer {
                    Ok(addrs) if addrs.is_empty() => Entry::Failed {
                        at: now,
                        failure: Failure::NotFound,
                    },
                    Ok(addrs) => Entry::Resolved {
                        at: now,
                        addrs: Arc::from(addrs),
                    },
                    Err(e) => Entry::Failed {
                        at: now,
                        failure: Failure::Lookup(e.kind(), e.to_string()),
                    },
                };
                cache.entries().insert(key, entry);
                cache.settled.notify_all();
            })
            .map(drop)
    }

    /// Drops the remembered addresses of `host_port` (not a lookup in flight, not a failure).
    pub(crate) fn forget(&self, host_port: &str) {
        let mut entries = self.entries();
        if matches!(entries.get(host_port), Some(Entry::Resolved { .. })) {
            entries.remove(host_port);
        }
    }
}

/// Makes room for one more host: drops stale entries, then the oldest settled one. Lookups
/// in flight stay (their threads will write them back).
fn evict_to_fit(entries: &mut HashMap<String, Entry>) {
    if entries.len() < DNS_CACHE_HOSTS {
        return;
    }
    let oldest = entries
        .iter()
        .filter(|(_, e)| !matches!(e, Entry::Resolving { .. }))
        .min_by_key(|(_, e)| e.at())
        .map(|(k, _)| k.clone());
    if let Some(key) = oldest {
        entries.remove(&key);
    }
}

/// The `host:port` ureq connects to for `uri`, as its own resolver spells it; `None` for
/// a URI ureq cannot connect to (ureq's own resolver then says why).
pub(crate) fn host_port(uri: &ureq::http::Uri) -> Option<String> {
    DefaultResolver::host_and_port(uri.scheme()?, uri.authority()?)
}

/// The ureq side of [`HostCache`]: what the agent calls before connecting.
pub(crate) struct CachingResolver {
    cache: Arc<HostCache>,
    fallback: DefaultResolver,
}

impl CachingResolver {
    pub(crate) fn new(cache: Arc<HostCache>) -> CachingResolver {
        CachingResolver {
            cache,
            fallback: DefaultResolver::default(),
        }
    }
}

impl fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingResolver").finish_non_exhaustive()
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(key) = host_port(uri) else {
            return self.fallback.resolve(uri, config, timeout);
        };
        let wait = (!timeout.after.is_not_happening()).then(|| *timeout.after);
        let addrs = self
            .cache
            .resolve(&key, wait)
            .map_err(|failure| match failure {
                Failure::TimedOut => ureq::Error::Timeout(timeout.reason),
                Failure::NotFound => ureq::Error::HostNotFound,
                Failure::Lookup(kind, message) => ureq::Error::Io(io::Error::new(kind, message)),
            })?;
        let mut resolved = self.empty();
        for addr in config.ip_family().keep_wanted(addrs.iter().copied()) {
            if resolved.try_push(addr).is_err() {
                break; // ureq keeps at most 16 addresses, as its own resolver does
            }
        }
        if resolved.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        Ok(resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    const DEADLINE: Duration = Duration::from_secs(10);
    const SHORT: Duration = Duration::from_millis(200);

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    /// A lookup that answers `hang.test` only once `release` is sent (or never), every
    /// other host at once with port 1, and counts its calls.
    struct Dns {
        calls: Arc<AtomicUsize>,
        release: mpsc::Sender<()>,
        cache: Arc<HostCache>,
    }

    fn dns(ttl: Duration, failure_ttl: Duration) -> Dns {
        let calls = Arc::new(AtomicUsize::new(0));
        let (release, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let counted = Arc::clone(&calls);
        let lookup = move |host_port: &str| -> io::Result<Vec<SocketAddr>> {
            counted.fetch_add(1, Ordering::SeqCst);
            match host_port {
                "hang.test:443" => {
                    let _ = gate.lock().unwrap().recv();
                    Ok(vec![addr(2)])
                }
                "missing.test:443" => Err(io::Error::other("name or service not known")),
                "empty.test:443" => Ok(Vec::new()),
                _ => Ok(vec![addr(1)]),
            }
        };
        Dns {
            calls,
            release,
            cache: HostCache::with_ttls(Arc::new(lookup), ttl, failure_ttl),
        }
    }

    /// Runs `resolve` on a thread; its answer arrives on the returned channel.
    fn resolve_on_thread(
        cache: &Arc<HostCache>,
        host: &'static str,
        wait: Option<Duration>,
    ) -> mpsc::Receiver<Result<Arc<[SocketAddr]>, Failure>> {
        let (tx, rx) = mpsc::channel();
        let cache = Arc::clone(cache);
        thread::spawn(move || {
            let _ = tx.send(cache.resolve(host, wait));
        });
        rx
    }

    #[test]
    fn a_hanging_lookup_ends_each_wait_at_the_callers_time_out() {
        let dns = dns(DNS_TTL, FAILURE_TTL);
        let waiters: Vec<_> = (0..4)
            .map(|_| resolve_on_thread(&dns.cache, "hang.test:443", Some(SHORT)))
            .collect();
        for waiter in waiters {
            assert_eq!(waiter.recv_timeout(DEADLINE), Ok(Err(Failure::TimedOut)));
        }
        // Four callers, one lookup thread.
        assert_eq!(dns.calls.load(Ordering::SeqCst), 1);
        let _ = dns.release.send(());
    }

    #[test]
    fn another_hosts_lookup_does_not_wait_for_a_hanging_one() {
        let dns = dns(DNS_TTL, FAILURE_TTL);
        let hanging = resolve_on_thread(&dns.cache, "hang.test:443", None);
        let other = resolve_on_thread(&dns.cache, "fine.test:443", None);
        let answer = other
            .recv_timeout(DEADLINE)
            .expect("the other host answered");
        assert_eq!(answer.as_deref(), Ok(&[addr(1)][..]));
        // The hanging lookup is still in flight.
        assert!(hanging.try_recv().is_err());
        dns.release.send(()).unwrap();
        let answer = hanging.recv_timeout(DEADLINE).expect("released");
        assert_eq!(answer.as_deref(), Ok(&[addr(2)][..]));
    }

    #[test]
    fn callers_of_one_host_share_one_lookup_and_its_answer() {
        let dns = dns(DNS_TTL, FAILURE_TTL);
        let waiters: Vec<_> = (0..3)
            .map(|_| resolve_on_thread(&dns.cache, "hang.test:443", None))
            .collect();
        dns.release.send(()).unwrap();
        for waiter in waiters {
            let answer = waiter.recv_timeout(DEADLINE).unwrap();
            assert_eq!(answer.as_deref(), Ok(&[addr(2)][..]));
        }
        assert_eq!(dns.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_lookup_that_outlives_its_callers_still_fills_the_cache() {
        let dns = dns(DNS_TTL, FAILURE_TTL);
        let first = resolve_on_thread(&dns.cache, "hang.test:443", Some(SHORT));
        assert_eq!(first.recv_timeout(DEADLINE), Ok(Err(Failure::TimedOut)));
        dns.release.send(()).unwrap();
        let second = dns.cache.resolve("hang.test:443", None);
        assert_eq!(second.as_deref(), Ok(&[addr(2)][..]));
        assert_eq!(dns.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn addresses_are_reused_until_forgotten() {
        let dns = dns(DNS_TTL, FAILURE_TTL);
        for _ in 0..3 {
            assert!(dns.cache.resolve("fine.test:443", Some(SHORT)).is_ok());
        }
        assert_eq!(dns.calls.load(Ordering::SeqCst), 1);
        dns.cache.forget("fine.test:443");
        assert!(dns.cache.resolve("fine.test:443", Some(SHORT)).is_ok());
        assert_eq!(dns.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_failed_lookup_is_remembered_briefly_and_then_tried_again() {
        let remembered = dns(DNS_TTL, DNS_TTL);
        for _ in 0..3 {
            let answer = remembered.cache.resolve("missing.test:443", Some(DEADLINE));
            assert!(matches!(answer, Err(Failure::Lookup(..))), "{answer:?}");
        }
        assert_eq!(remembered.calls.load(Ordering::SeqCst), 1);
        // Forgetting addresses does not forget a failure.
        remembered.cache.forget("missing.test:443");
        let _ = remembered.cache.resolve("missing.test:443", Some(DEADLINE));
        assert_eq!(remembered.calls.load(Ordering::SeqCst), 1);

        let expired = dns(DNS_TTL, Duration::ZERO);
        for _ in 0..2 {
            let answer = expired.cache.resolve("empty.test:443", Some(DEADLINE));
            assert_eq!(answer, Err(Failure::NotFound));
        }
        assert_eq!(expired.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn ip_literals_are_never_looked_up() {
        let dns = dns(DNS_TTL, FAILURE_TTL);
        let v4 = dns.cache.resolve("127.0.0.1:8787", Some(SHORT));
        assert_eq!(v4.as_deref(), Ok(&[addr(8787)][..]));
        let v6 = dns.cache.resolve("[::1]:443", Some(SHORT)).unwrap();
        assert_eq!(v6[0], "[::1]:443".parse::<SocketAddr>().unwrap());
        assert_eq!(dns.calls.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn the_cache_keeps_a_bounded_number_of_hosts() {
        let dns = dns(DNS_TTL, FAILURE_TTL);
        let hosts: Vec<String> = (0..DNS_CACHE_HOSTS * 2)
            .map(|i| format!("h{i}.test:443"))
            .collect();
        for host in &hosts {
            assert!(dns.cache.resolve(host, Some(DEADLINE)).is_ok());
        }
        assert!(dns.cache.entries().len() <= DNS_CACHE_HOSTS);
        // The newest host is still known.
        let calls = dns.calls.load(Ordering::SeqCst);
        assert!(dns.cache.resolve(hosts.last().unwrap(), None).is_ok());
        assert_eq!(dns.calls.load(Ordering::SeqCst), calls);
    }

    #[test]
    fn host_port_names_the_default_port_of_the_scheme() {
        let https: ureq::http::Uri = "https://myapp.authing.cn/api".parse().unwrap();
        let http: ureq::http::Uri = "http://127.0.0.1:8787/x".parse().unwrap();
        assert_eq!(host_port(&https).as_deref(), Some("myapp.authing.cn:443"));
        assert_eq!(host_port(&http).as_deref(), Some("127.0.0.1:8787"));
    }
}
