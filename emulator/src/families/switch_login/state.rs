//! The switch-login family's state: which accounts are public accounts, and which users
//! may switch to each. A public account is a user of the pool like any other (it signs in,
//! holds tokens, has a profile); what makes it public is its entry here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Public accounts (by user id) and the users (by id) linked to each.
#[derive(Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct PublicAccounts {
    links: BTreeMap<String, Vec<String>>,
}

impl PublicAccounts {
    /// Makes `account` a public account (if it was not one) and links `user` to it.
    pub(crate) fn link(&mut self, account: &str, user: Option<&str>) {
        let users = self.links.entry(account.to_owned()).or_default();
        if let Some(user) = user {
            if !users.iter().any(|u| u == user) {
                users.push(user.to_owned());
            }
        }
    }

    /// Whether `user` is a public account.
    pub(crate) fn is_public(&self, user: &str) -> bool {
        self.links.contains_key(user)
    }

    /// The public accounts `user` is linked to, in the order of their ids.
    pub(crate) fn of_user(&self, user: &str) -> Vec<&str> {
        self.links
            .iter()
            .filter(|(_, users)| users.iter().any(|u| u == user))
            .map(|(account, _)| account.as_str())
            .collect()
    }

    /// Whether `from` may switch to `to`: a personal account to a public account it is
    /// linked to, or a public account back to a personal account linked to it.
    pub(crate) fn may_switch(&self, from: &str, to: &str) -> bool {
        let linked = |account: &str, user: &str| {
            self.links
                .get(account)
                .is_some_and(|users| users.iter().any(|u| u == user))
        };
        linked(to, from) || linked(from, to)
    }

    /// Every public account with its linked users.
    pub(crate) fn all(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.links.iter()
    }

    /// Forgets a deleted user: as a public account, and as a linked user.
    pub(crate) fn forget_user(&mut self, user: &str) {
        self.links.remove(user);
        for users in self.links.values_mut() {
            users.retain(|u| u != user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_switches_to_a_linked_account_and_back_but_nowhere_else() {
        let mut accounts = PublicAccounts::default();
        accounts.link("shop", Some("alice"));
        accounts.link("desk", None);
        assert!(accounts.may_switch("alice", "shop"));
        assert!(accounts.may_switch("shop", "alice"));
        assert!(!accounts.may_switch("alice", "desk"));
        assert!(!accounts.may_switch("bob", "shop"));
        assert_eq!(accounts.of_user("alice"), vec!["shop"]);
        accounts.forget_user("alice");
        assert!(!accounts.may_switch("alice", "shop"));
        assert!(accounts.is_public("shop"));
    }
}
