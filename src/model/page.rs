//! [`Page`]: one page of a paged answer (the spec's `*PaginatedRespDto`: `totalCount` and
//! `list`) and the page a call asked for; and reading the items of a list answer.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::error::AuthError;
use crate::response::AuthResponse;

/// The page and page size a paged call sent (`page`, `limit`), kept on its answer so the
/// answer can tell whether more pages exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    pub(crate) page: u32,
    pub(crate) limit: u32,
}

/// One page of a paged answer: the items of this page, how many there are in all, and
/// whether more pages exist.
///
/// `get_login_history` and `get_department_list` ask for a page (`page` from 1, `limit`
/// items at most): [`has_more`](Page::has_more) is true when items remain after this
/// page, and [`next_page`](Page::next_page) is the page to ask for next.
/// `get_authorized_resources` asks for no page; the server answers one list, and
/// `has_more` says whether it holds fewer items than the total.
///
/// ```no_run
/// # let client = authing::AuthClient::new();
/// let mut page = 1;
/// loop {
///     let response = client.get_login_history_blocking(None, None, None, None, None, page, 50);
///     let history = response.login_history()?;
///     for record in history.list() {
///         println!("{} {}", record.login_at(), record.success());
///     }
///     match history.next_page() {
///         Some(next) => page = next,
///         None => break,
///     }
/// }
/// # Ok::<(), authing::AuthError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    total_count: u64,
    list: Vec<T>,
    paging: Option<Paging>,
}

/// The `data` of a paged answer as the spec has it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    total_count: f64,
    list: Vec<Value>,
}

impl<T: DeserializeOwned> Page<T> {
    /// The page in the envelope's `data` of `response`, each item read as `T`.
    pub(crate) fn from_response(response: &AuthResponse) -> Result<Page<T>, AuthError> {
        let raw: Raw = response.data_as()?;
        let unexpected = |reason: String| AuthError::UnexpectedResponse { reason };
        if !(raw.total_count >= 0.0 && raw.total_count.fract() == 0.0) {
            return Err(unexpected("totalCount is not a whole number".into()));
        }
        let list = raw
            .list
            .into_iter()
            .enumerate()
            .map(|(i, item)| T::deserialize(item).map_err(|e| unexpected(item_problem::<T>(i, &e))))
            .collect::<Result<Vec<T>, AuthError>>()?;
        Ok(Page {
            total_count: raw.total_count as u64,
            list,
            paging: response.paging,
        })
    }
}

/// The list in the envelope's `data` of `response` (a JSON array), each item read as `T`.
pub(crate) fn list_from_response<T: DeserializeOwned>(
    response: &AuthResponse,
) -> Result<Vec<T>, AuthError> {
    let items: Vec<Value> = response.data_as()?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            T::deserialize(item).map_err(|e| AuthError::UnexpectedResponse {
                reason: item_problem::<T>(i, &e),
            })
        })
        .collect()
}

/// Why item `i` is not a `T`. serde's "missing field" message names only the field; its
/// other messages may quote a value (a token), so they are not repeated.
pub(crate) fn item_problem<T>(i: usize, error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.strip_prefix("missing field ") {
        Some(rest) => {
            let field = rest.split(' ').next().unwrap_or(rest);
            format!(
                "list[{i}] is not a {}: {field} is missing",
                short_name::<T>()
            )
        }
        None => format!("list[{i}] is not a {}", short_name::<T>()),
    }
}

/// `T`'s name without its path, for messages.
pub(crate) fn short_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

impl<T> Page<T> {
    /// How many items there are in all, on every page (`totalCount`).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_department_list_blocking(1, 10, false, None, None);
    /// println!("{} departments", response.department_list()?.total_count());
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn total_count(&self) -> u64 {
        self.total_count
    }

    /// The items of this page (`list`).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_department_list_blocking(1, 10, false, None, None);
    /// for department in response.department_list()?.list() {
    ///     println!("{}", department.name());
    /// }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn list(&self) -> &[T] {
        &self.list
    }

    /// The items of this page, owned.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_department_list_blocking(1, 10, false, None, None);
    /// let departments: Vec<authing::Department> = response.department_list()?.into_list();
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn into_list(self) -> Vec<T> {
        self.list
    }

    /// The page this is (from 1), when the call asked for one.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_department_list_blocking(2, 10, false, None, None);
    /// assert_eq!(response.department_list()?.page(), Some(2));
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn page(&self) -> Option<u32> {
        self.paging.map(|p| p.page)
    }

    /// Whether items remain after this page: the items of the pages up to this one are
    /// fewer than [`total_count`](Page::total_count). An empty page never has more (so a
    /// loop over the pages ends even when a server's count is off).
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_department_list_blocking(1, 10, false, None, None);
    /// if response.department_list()?.has_more() { println!("ask for page 2"); }
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn has_more(&self) -> bool {
        let before = self.paging.map_or(0, |p| {
            u64::from(p.page.saturating_sub(1)).saturating_mul(u64::from(p.limit))
        });
        !self.list.is_empty() && before.saturating_add(self.list.len() as u64) < self.total_count
    }

    /// The page to ask for next: `Some(page + 1)` when [`has_more`](Page::has_more) and the
    /// call asked for a page, `None` otherwise.
    ///
    /// ```no_run
    /// # let response = authing::AuthClient::new().get_department_list_blocking(1, 10, false, None, None);
    /// assert_eq!(response.department_list()?.next_page(), Some(2));
    /// # Ok::<(), authing::AuthError>(())
    /// ```
    pub fn next_page(&self) -> Option<u32> {
        let paging = self.paging?;
        self.has_more()
            .then(|| paging.page.checked_add(1))
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(total: u64, len: usize, paging: Option<(u32, u32)>) -> Page<u8> {
        Page {
            total_count: total,
            list: vec![0; len],
            paging: paging.map(|(page, limit)| Paging { page, limit }),
        }
    }

    #[test]
    fn a_page_has_more_while_the_items_so_far_are_fewer_than_the_total() {
        assert!(page(25, 10, Some((1, 10))).has_more());
        assert_eq!(page(25, 10, Some((2, 10))).next_page(), Some(3));
        assert!(!page(25, 5, Some((3, 10))).has_more());
        assert!(!page(20, 10, Some((2, 10))).has_more());
        assert_eq!(page(20, 10, Some((2, 10))).next_page(), None);
    }

    #[test]
    fn an_unpaged_list_has_more_when_shorter_than_the_total() {
        assert!(page(3, 2, None).has_more());
        assert!(!page(2, 2, None).has_more());
        assert_eq!(page(3, 2, None).next_page(), None);
    }

    #[test]
    fn an_empty_page_never_has_more() {
        assert!(!page(100, 0, Some((7, 10))).has_more());
        assert!(!page(100, 0, None).has_more());
    }
}
