//! The clients `AuthClient::new()` hands out, by configuration, so that equal
//! configurations share one connection pool, one dispatcher and one discovery cache, as
//! Java code that does `new AuthClient()` per call expects.
//!
//! The registry holds each client (a strong reference: an idle configuration keeps its
//! pool and caches between `new()` calls). It keeps at most `capacity` entries, least
//! recently used first out, but it only ever lets go of an entry nobody else holds: a
//! configuration whose client is still alive in the program (or has a call running) is never
//! evicted, so `new()` never makes a second pool and dispatcher beside a living one. When
//! every entry is in use, the registry grows past `capacity`; it shrinks back as they are
//! dropped and new configurations arrive.

use std::sync::Mutex;

use crate::client::config::{ConfigError, ConfigKey};
use crate::client::AuthClient;
use crate::dispatch::slot::lock;

type Key = Result<ConfigKey, ConfigError>;

pub(crate) struct Registry {
    /// Least recently used first.
    entries: Mutex<Vec<(Key, AuthClient)>>,
    capacity: usize,
}

impl Registry {
    pub(crate) const fn new(capacity: usize) -> Registry {
        Registry {
            entries: Mutex::new(Vec::new()),
            capacity,
        }
    }

    /// The client registered under `key`, or a new one from `make`, registered.
    pub(crate) fn client(&self, key: Key, make: impl FnOnce() -> AuthClient) -> AuthClient {
        let mut evicted = Vec::new();
        let client = {
            let mut entries = lock(&self.entries);
            if let Some(at) = entries.iter().position(|(k, _)| *k == key) {
                let entry = entries.remove(at);
                let client = entry.1.clone();
                entries.push(entry);
                client
            } else {
                let client = make();
                entries.push((key, client.clone()));
                // Evict the least recently used entries nobody else holds; the new one (last)
                // is held by `client`.
                let mut at = 0;
                while entries.len() > self.capacity && at < entries.len() {
                    if entries[at].1.is_held_elsewhere() {
                        at += 1;
                    } else {
                        evicted.push(entries.remove(at));
                    }
                }
                client
            }
        };
        // Dropped outside the lock: a client's drop may run user code (its executor's).
        drop(evicted);
        client
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        lock(&self.entries).len()
    }

    #[cfg(test)]
    fn contains(&self, key: &Key) -> bool {
        lock(&self.entries).iter().any(|(k, _)| k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::builder::AuthClientBuilder;

    fn config(app_id: &str) -> Result<crate::client::config::ClientConfig, ConfigError> {
        AuthClientBuilder::default().app_id(app_id).into_config()
    }

    fn key(app_id: &str) -> Key {
        config(app_id)
            .as_ref()
            .map(crate::client::config::ClientConfig::key)
            .map_err(Clone::clone)
    }

    fn get(registry: &Registry, app_id: &str) -> AuthClient {
        let session = crate::session::SessionState::new(std::sync::Arc::new(
            crate::session::MemoryTokenStore::new(),
        ));
        registry.client(key(app_id), || {
            AuthClient::from_config(config(app_id), session)
        })
    }

    #[test]
    fn a_held_configuration_outlives_capacity_many_newer_ones() {
        let registry = Registry::new(2);
        let first = get(&registry, "app-0");
        for i in 1..=5 {
            drop(get(&registry, &format!("app-{i}")));
        }
        assert_eq!(registry.len(), 2, "the held entry and the newest idle one");
        assert!(get(&registry, "app-0").is_same(&first));
    }

    #[test]
    fn the_least_recently_used_idle_configuration_goes_first() {
        let registry = Registry::new(2);
        drop(get(&registry, "app-a"));
        drop(get(&registry, "app-b"));
        // "a" is used again, so "b" is now the least recently used; nobody holds either.
        drop(get(&registry, "app-a"));
        drop(get(&registry, "app-c"));
        assert_eq!(registry.len(), 2);
        assert!(registry.contains(&key("app-a")));
        assert!(!registry.contains(&key("app-b")));
        assert!(registry.contains(&key("app-c")));
    }

    #[test]
    fn when_every_configuration_is_in_use_the_registry_grows_past_its_capacity() {
        let registry = Registry::new(2);
        let held: Vec<AuthClient> = (0..4)
            .map(|i| get(&registry, &format!("app-{i}")))
            .collect();
        assert_eq!(registry.len(), 4);
        for (i, client) in held.iter().enumerate() {
            assert!(get(&registry, &format!("app-{i}")).is_same(client));
        }
        drop(held);
        drop(get(&registry, "app-new"));
        assert_eq!(registry.len(), 2, "idle entries are evicted again");
    }

    #[test]
    fn the_proxy_is_part_of_a_configurations_identity() {
        let with = |proxy: Option<&str>, no_proxy: Option<&str>| {
            let mut builder = AuthClientBuilder::default().app_id("app");
            if let Some(proxy) = proxy {
                builder = builder.proxy(proxy);
            }
            if let Some(no_proxy) = no_proxy {
                builder = builder.no_proxy(no_proxy);
            }
            builder.into_config().unwrap().key()
        };
        let a = with(Some("http://proxy.test:3128"), None);
        assert!(a == with(Some("http://proxy.test:3128"), None));
        assert!(a != with(Some("http://proxy.test:3129"), None));
        assert!(a != with(Some("http://u:p@proxy.test:3128"), None));
        assert!(a != with(Some("http://proxy.test:3128"), Some("localhost")));
        assert!(a != with(None, Some("*")));
        let registry = Registry::new(4);
        let session = || {
            crate::session::SessionState::new(std::sync::Arc::new(
                crate::session::MemoryTokenStore::new(),
            ))
        };
        let make = |proxy: &str| {
            let config = AuthClientBuilder::default()
                .app_id("app")
                .proxy(proxy)
                .into_config();
            let key = config.as_ref().map(|c| c.key()).map_err(Clone::clone);
            registry.client(key, || AuthClient::from_config(config, session()))
        };
        let first = make("http://proxy.test:3128");
        assert!(make("http://proxy.test:3128").is_same(&first));
        assert!(!make("socks5://proxy.test:1080").is_same(&first));
    }
}
