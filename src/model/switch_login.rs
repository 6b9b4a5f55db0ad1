//! The switch-login family's answers: [`PublicAccount`] and [`PublicAccountList`] (the
//! answer of `list_public_accounts_for_switch_logged_in`, the spec's
//! `GetPublicAccountDataRespDto`), and the `AuthResponse` view
//! [`AuthResponse::public_account_list`].

use serde::Deserialize;

use crate::error::AuthError;
use crate::response::AuthResponse;

/// An account the signed-in user may switch to, or the user itself (the spec's
/// `ListPublicAccountDataDto` and `GetUserSelectLoginPublicAccountsOriginUserDto`).
///
/// ```
/// let emulator = authing::emulator::Emulator::start()?;
/// emulator.add_user(authing::emulator::NewUser::with_username("front-desk", "secret-1"))?;
/// emulator.add_user(authing::emulator::NewUser::with_username("alice", "secret-2"))?;
/// emulator.link_public_account("front-desk", "alice")?;
/// let client = authing::AuthClient::builder()
///     .app_id(emulator.app_id())
///     .app_host(emulator.base_url())
///     .build()?;
/// client.sign_in_by_user_name_password_blocking("alice", "secret-2", None).into_result()?;
/// let list = client.list_public_accounts_for_switch_logged_in_blocking(false).public_account_list()?;
/// let desk = &list.public_accounts()[0];
/// assert_eq!(desk.display_name(), Some("front-desk"));
/// assert!(desk.is_public_account());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicAccount {
    user_id: String,
    #[serde(default)]
    avatar: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default, rename = "usertype")]
    user_type: Option<String>,
}

impl PublicAccount {
    /// The account's user id: what [`switch_login_by_user`](crate::AuthClient::switch_login_by_user)
    /// takes.
    ///
    /// ```no_run
    /// # fn f(a: &authing::PublicAccount) {
    /// println!("{}", a.user_id());
    /// # }
    /// ```
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The account's avatar URL, if it has one.
    ///
    /// ```no_run
    /// # fn f(a: &authing::PublicAccount) {
    /// if let Some(url) = a.avatar() { println!("{url}"); }
    /// # }
    /// ```
    pub fn avatar(&self) -> Option<&str> {
        self.avatar.as_deref()
    }

    /// The name to show for it.
    ///
    /// ```no_run
    /// # fn f(a: &authing::PublicAccount) {
    /// println!("{}", a.display_name().unwrap_or(a.user_id()));
    /// # }
    /// ```
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// `usertype` as sent: `"1"` a personal account, `"2"` a public account.
    ///
    /// ```no_run
    /// # fn f(a: &authing::PublicAccount) {
    /// assert!(matches!(a.user_type(), Some("1" | "2") | None));
    /// # }
    /// ```
    pub fn user_type(&self) -> Option<&str> {
        self.user_type.as_deref()
    }

    /// Whether it is a public account (`usertype` `"2"`).
    ///
    /// ```no_run
    /// # fn f(a: &authing::PublicAccount) {
    /// if a.is_public_account() { println!("shared account"); }
    /// # }
    /// ```
    pub fn is_public_account(&self) -> bool {
        self.user_type.as_deref() == Some("2")
    }
}

/// The answer of
/// [`list_public_accounts_for_switch_logged_in`](crate::AuthClient::list_public_accounts_for_switch_logged_in):
/// the public accounts the signed-in user may switch to and, when asked for, the user
/// itself. The spec's `data` is an array of `{publicAccounts, originUser}`: their accounts
/// are read in order, and the first `originUser`.
///
/// ```no_run
/// let response = authing::AuthClient::new().list_public_accounts_for_switch_logged_in_blocking(true);
/// let list = response.public_account_list()?;
/// for account in list.public_accounts() { println!("{}", account.user_id()); }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublicAccountList {
    public_accounts: Vec<PublicAccount>,
    origin_user: Option<PublicAccount>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(default)]
    public_accounts: Vec<PublicAccount>,
    #[serde(default)]
    origin_user: Option<PublicAccount>,
}

impl PublicAccountList {
    /// The public accounts the user may switch to (empty when there are none).
    ///
    /// ```no_run
    /// # fn f(list: &authing::PublicAccountList) {
    /// println!("{} accounts", list.public_accounts().len());
    /// # }
    /// ```
    pub fn public_accounts(&self) -> &[PublicAccount] {
        &self.public_accounts
    }

    /// The signed-in user itself, when the call asked for it (`withOriginUser`).
    ///
    /// ```no_run
    /// # fn f(list: &authing::PublicAccountList) {
    /// if let Some(me) = list.origin_user() { println!("signed in as {}", me.user_id()); }
    /// # }
    /// ```
    pub fn origin_user(&self) -> Option<&PublicAccount> {
        self.origin_user.as_ref()
    }
}

impl AuthResponse {
    /// The typed answer of
    /// [`list_public_accounts_for_switch_logged_in`](crate::AuthClient::list_public_accounts_for_switch_logged_in).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().list_public_accounts_for_switch_logged_in_blocking(false);
    /// let ids: Vec<String> = response
    ///     .public_account_list()?
    ///     .public_accounts()
    ///     .iter()
    ///     .map(|a| a.user_id().to_string())
    ///     .collect();
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn public_account_list(&self) -> Result<PublicAccountList, AuthError> {
        let entries: Vec<Entry> = self.data_as()?;
        let mut list = PublicAccountList::default();
        for entry in entries {
            list.public_accounts.extend(entry.public_accounts);
            if list.origin_user.is_none() {
                list.origin_user = entry.origin_user;
            }
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::from_plain_json;
    use serde_json::json;

    #[test]
    fn the_specs_array_of_entries_reads_as_one_list() {
        let response = from_plain_json(json!([
            {"publicAccounts": [{"userId": "p1", "displayName": "desk", "usertype": "2"}],
             "originUser": {"userId": "u1", "usertype": "1"}},
            {"publicAccounts": [{"userId": "p2"}]}
        ]));
        let list = response.public_account_list().unwrap();
        let ids: Vec<&str> = list
            .public_accounts()
            .iter()
            .map(PublicAccount::user_id)
            .collect();
        assert_eq!(ids, ["p1", "p2"]);
        assert!(list.public_accounts()[0].is_public_account());
        assert!(!list.public_accounts()[1].is_public_account());
        assert_eq!(list.origin_user().unwrap().user_id(), "u1");
    }

    #[test]
    fn an_account_without_a_user_id_is_an_unexpected_answer() {
        let response = from_plain_json(json!([{"publicAccounts": [{"displayName": "x"}]}]));
        assert!(matches!(
            response.public_account_list(),
            Err(AuthError::UnexpectedResponse { .. })
        ));
    }
}
