//! The process's `ureq::Agent`s: one per API host and equal set of transport settings,
//! shared by every living client of the process that has them, whether made by
//! `AuthClient::new()` or by the builder, whatever its app id, language or extra headers.
//!
//! An agent holds the connection pool and, inside its rustls connector, one rustls
//! `ClientConfig` (ureq builds it once per agent, on the first https connection) whose
//! session cache remembers the TLS sessions of the servers it talked to. Sharing the agent
//! shares both:
//! - a second client of the same host takes the idle connection the first one left in the
//!   pool: no TCP connect, no TLS handshake;
//! - a client that must connect again (the pool dropped the connection, the server closed
//!   it) resumes the TLS session (TLS 1.3 PSK ticket, TLS 1.2 ticket or session id) instead
//!   of a full handshake: no certificate chain, one round trip fewer on TLS 1.2.
//!
//! **The key** ([`AgentSettings`]) is where the client's API lives (its `app_host`, or the
//! console it discovers the host from) and everything the agent's configuration is built
//! from, compared by value: the trust anchors (`Roots`: Mozilla's, the exact CA certificates
//! given, or the platform verifier), the proxy (URL, credentials and bypass list), the
//! connect and whole-call time-outs, and the pool size (from `max_concurrent_requests`).
//! Two clients that differ in any of these get different agents, hence different pools
//! and session caches: a client that does not trust a private CA never borrows a
//! connection (or a session) made by one that does. The user agent and the other agent
//! settings are the same for every client. The API host is in the key although the pool
//! and the TLS session cache are per host anyway (so sharing across hosts would save
//! nothing): an agent then lives as long as the clients of that host (or console), and
//! clients of other hosts in the process never keep it (and its connections) alive.
//!
//! **Not in the agent**, so per client or per request as before: the app id, user pool
//! id, language and access token headers, the extra headers, the captcha cookie (the
//! session's, sent as a request header: `session/captcha.rs`) and the response size limit.
//! ureq keeps no cookie jar (the SDK leaves its `cookies` feature off), so nothing a
//! server sets travels from one client to another through the shared agent. (Cargo
//! features add up across a build: a program that turns on ureq's `cookies` for its own
//! use of ureq would give each shared agent one jar for all its clients; ureq has no
//! setting to turn the jar off, so the SDK cannot prevent it. Don't.)
//!
//! **Lifetime.** An agent lives as long as a client uses it: the registry holds it weakly,
//! so two clients alive at once with equal settings always share, and when the last
//! client of a set of settings is dropped its agent goes, closing its idle connections,
//! as before (a program that drops its clients leaves no socket behind). Not always at
//! the app's last drop: the SDK's own background work holds a client while it runs (the
//! refresh-ahead thread during a refresh, the full-profile fetch deferred after a sign-in,
//! a warm-up), so the agent can outlive the app's last handle by up to one request's
//! `timeout` (the refresh-ahead thread itself holds the client only weakly between
//! refreshes). Clients
//! of `AuthClient::new()` are kept by their own registry (`client/registry.rs`, up to 16
//! idle configurations), and with them their agent, so `new()` per call keeps its
//! connection and its TLS sessions between calls. The registry holds one entry per living
//! agent; a shared agent keeps at most `pool` idle connections per host and `pool × 16` in
//! all, and ureq drops those idle for longer than `POOL_IDLE_AGE` (50 s) when the agent
//! is next used. When an origin last answered is the agent's too (`recent.rs`), so a
//! client's `warm_up` sends nothing when another client just left a connection to its
//! host in the shared pool.
//!
//! **Why not a custom connector** sharing one rustls `ClientConfig` across agents: the
//! agent already holds exactly one `ClientConfig` for its settings, and the pool must be
//! shared too for a second client to skip the handshake altogether; a connector of our own
//! would duplicate ureq's TLS code (SNI, timeouts, buffers) for no gain.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use ureq::unversioned::transport::DefaultConnector;

use crate::client::config::{ClientConfig, Endpoint};
use crate::dispatch::slot::lock;
use crate::transport::headers::USER_AGENT;
use crate::transport::proxy::ProxySettings;
use crate::transport::recent::Recent;
use crate::transport::resolver::{CachingResolver, HostCache, Lookup};
use crate::transport::tls::{self, Roots};
use crate::transport::POOL_IDLE_AGE;

/// How many hosts' worth of idle connections a shared agent keeps.
const HOSTS_KEPT: usize = 16;

/// What an agent is made from: two clients with equal settings share one agent.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct AgentSettings {
    /// The API host, or the console the host is discovered from.
    endpoint: Endpoint,
    roots: Roots,
    proxy: Option<ProxySettings>,
    connect_timeout: Duration,
    timeout: Duration,
    /// Idle connections kept per host.
    pool: usize,
}

impl AgentSettings {
    /// The transport settings of `config`.
    pub(crate) fn of(config: &ClientConfig) -> AgentSettings {
        AgentSettings {
            endpoint: config.endpoint.clone(),
            roots: config.roots.clone(),
            proxy: config.proxy.clone(),
            connect_timeout: config.connect_timeout,
            timeout: config.timeout,
            pool: config.max_concurrent_requests.max(4),
        }
    }
}

/// An agent, its DNS cache (to forget a host that could not be reached) and when each
/// origin last answered through it (`recent.rs`: the warm-up asks whether the shared
/// pool likely holds an idle connection to its host).
pub(crate) struct Agent {
    pub(crate) agent: ureq::Agent,
    pub(crate) hosts: Arc<HostCache>,
    pub(crate) recent: Recent,
}

impl Agent {
    /// A new agent for `settings`, its DNS lookups through `lookup`.
    pub(crate) fn new(settings: &AgentSettings, lookup: Arc<Lookup>) -> Agent {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .tls_config(tls::config(&settings.roots))
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_global(Some(settings.timeout))
            .max_idle_connections(settings.pool * HOSTS_KEPT)
            .max_idle_connections_per_host(settings.pool)
            .max_idle_age(POOL_IDLE_AGE)
            .user_agent(USER_AGENT)
            // Always set, `None` included: ureq would otherwise read the environment
            // itself (the config already did, see `proxy.rs`).
            .proxy(settings.proxy.as_ref().map(|p| p.ureq().clone()))
            .build();
        let hosts = HostCache::new(lookup);
        let agent = ureq::Agent::with_parts(
            config,
            DefaultConnector::default(),
            CachingResolver::new(Arc::clone(&hosts)),
        );
        Agent {
            agent,
            hosts,
            recent: Recent::default(),
        }
    }
}

/// The agents of the process, by settings, each held as long as a client holds it.
pub(crate) struct Agents {
    entries: Mutex<Vec<(AgentSettings, Weak<Agent>)>>,
}

/// Every client's agent, except the tests' that answer DNS themselves.
static SHARED: Agents = Agents::new();

/// The process's agent for `settings` (made now if no living client has one), DNS by the
/// system.
pub(crate) fn shared(settings: &AgentSettings) -> Arc<Agent> {
    SHARED.get(settings, || {
        Agent::new(
            settings,
            Arc::new(crate::transport::resolver::system_lookup),
        )
    })
}

impl Agents {
    pub(crate) const fn new() -> Agents {
        Agents {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The living agent registered under `settings`, or a new one from `make`, registered.
    pub(crate) fn get(&self, settings: &AgentSettings, make: impl FnOnce() -> Agent) -> Arc<Agent> {
        let mut entries = lock(&self.entries);
        // The agents whose last client went are gone: forget them.
        entries.retain(|(_, agent)| agent.strong_count() > 0);
        let living = entries
            .iter()
            .find(|(s, _)| s == settings)
            .and_then(|(_, agent)| agent.upgrade());
        if let Some(agent) = living {
            return agent;
        }
        // (An entry whose agent went between the two looks is forgotten next time.)
        let agent = Arc::new(make());
        entries.push((settings.clone(), Arc::downgrade(&agent)));
        agent
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        lock(&self.entries).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::builder::AuthClientBuilder;

    fn settings(builder: AuthClientBuilder) -> AgentSettings {
        AgentSettings::of(&builder.into_config().unwrap())
    }

    fn base() -> AuthClientBuilder {
        AuthClientBuilder::default().app_id("app").no_proxy("*")
    }

    const CA: &str = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";

    #[test]
    fn what_only_a_request_carries_does_not_split_the_agent() {
        let a = settings(base());
        let others = [
            base().app_id("another-app"),
            base().lang(crate::Lang::EnUs),
            base().user_pool_id("pool"),
            base().header("x-extra", "1"),
            base().max_response_bytes(1024),
        ];
        for other in others {
            assert!(settings(other) == a);
        }
    }

    #[test]
    fn the_api_host_roots_proxy_time_outs_and_pool_size_split_the_agent() {
        let a = settings(base());
        let others = [
            base().app_host("https://other.example.com"),
            base().root_certificates_pem(CA),
            AuthClientBuilder::default()
                .app_id("app")
                .proxy("http://proxy.test:3128"),
            base().timeout(Duration::from_secs(3)),
            base().connect_timeout(Duration::from_secs(3)),
            base().max_concurrent_requests(32),
        ];
        for other in others {
            assert!(settings(other) != a);
        }
        // The same CA, given twice, is the same agent.
        assert!(
            settings(base().root_certificates_pem(CA))
                == settings(base().root_certificates_pem(CA))
        );
    }

    #[test]
    fn transports_of_two_apps_with_equal_transport_settings_share_the_process_agent() {
        use crate::transport::Transport;
        let one = Transport::new(&base().app_id("app-one").into_config().unwrap());
        let two = Transport::new(&base().app_id("app-two").into_config().unwrap());
        assert!(Arc::ptr_eq(&one.agent, &two.agent));
        let own = Transport::new(&base().root_certificates_pem(CA).into_config().unwrap());
        assert!(!Arc::ptr_eq(&one.agent, &own.agent));
    }

    fn agent(settings: &AgentSettings) -> Agent {
        Agent::new(
            settings,
            Arc::new(crate::transport::resolver::system_lookup),
        )
    }

    fn timeout_of(seconds: u64) -> AgentSettings {
        settings(base().timeout(Duration::from_secs(seconds)))
    }

    #[test]
    fn equal_settings_get_the_same_agent_while_a_client_holds_it() {
        let agents = Agents::new();
        let one = agents.get(&timeout_of(1), || agent(&timeout_of(1)));
        let again = agents.get(&timeout_of(1), || panic!("made again"));
        assert!(Arc::ptr_eq(&one, &again));
        let other = agents.get(&timeout_of(2), || agent(&timeout_of(2)));
        assert!(!Arc::ptr_eq(&one, &other));
        assert_eq!(agents.len(), 2);
    }

    #[test]
    fn an_agent_goes_with_its_last_client_and_the_registry_holds_only_living_ones() {
        let agents = Agents::new();
        let held = agents.get(&timeout_of(1), || agent(&timeout_of(1)));
        for seconds in 2..=5 {
            drop(agents.get(&timeout_of(seconds), || agent(&timeout_of(seconds))));
        }
        let again = agents.get(&timeout_of(1), || panic!("the held agent is gone"));
        assert!(Arc::ptr_eq(&held, &again));
        assert_eq!(agents.len(), 1, "only the held agent is left");
        drop((held, again));
        let mut made = false;
        drop(agents.get(&timeout_of(1), || {
            made = true;
            agent(&timeout_of(1))
        }));
        assert!(made, "a new agent once the last client went");
        assert_eq!(agents.len(), 1);
    }
}
