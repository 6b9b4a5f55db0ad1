//! The [`Emulator`] handle's view of users and sessions: a user's state and expiring its
//! access tokens. The admin API (`admin_users.rs`) answers from the same functions.

use crate::core::state::State;
use crate::core::users::UserState;
use crate::Emulator;
use crate::UserIdentity;

/// The state of the user at `index`.
pub(crate) fn user_state(state: &State, index: usize) -> Option<UserState> {
    let user = state.users.get(index)?;
    let now = state.now();
    let (access_tokens, refresh_tokens) = state.sessions.live(&user.id, now);
    let locked = user.locked_for(now).is_some();
    Some(UserState {
        user_id: user.id.clone(),
        username: user.username.clone(),
        email: user.email.clone(),
        phone_number: user.phone.as_ref().map(|(_, n)| n.clone()),
        phone_country_code: user.phone.as_ref().map(|(cc, _)| cc.clone()),
        directory: user.directory.as_ref().map(|d| d.kind),
        sam_account_name: user.directory.as_ref().map(|d| d.sam_account_name.clone()),
        failed_attempts: user.failed_attempts,
        locked,
        locked_until: user.locked_until.filter(|_| locked),
        logins_count: user.logins_count,
        access_tokens,
        refresh_tokens,
    })
}

/// Makes every live access token of the user at `index` expire now; how many did.
pub(crate) fn expire_access_tokens(state: &mut State, index: usize) -> usize {
    let Some(id) = state.users.get(index).map(|u| u.id.clone()) else {
        return 0;
    };
    let now = state.now();
    state.sessions.expire_access(&id, now)
}

impl Emulator {
    /// The state of the user named by `identity` (user id, username, email, phone,
    /// directory account name, or a [`NewUser`](crate::NewUser)): wrong-password count,
    /// lock, sign-ins and live tokens. `None` when there is no such user.
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_email("alice@example.com", "secret-1"))?;
    /// let state = emulator.user_state("alice@example.com").unwrap();
    /// assert_eq!((state.access_tokens, state.refresh_tokens), (0, 0));
    /// assert!(emulator.user_state("bob@example.com").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn user_state(&self, identity: &(impl UserIdentity + ?Sized)) -> Option<UserState> {
        let state = self.server.shared.state();
        let index = state.users.by_query(&identity.identity())?;
        user_state(&state, index)
    }

    /// The state of every user, oldest first.
    ///
    /// ```
    /// let emulator = authing_emulator::Emulator::start()?;
    /// assert!(emulator.users().is_empty());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn users(&self) -> Vec<UserState> {
        let state = self.server.shared.state();
        (0..).map_while(|index| user_state(&state, index)).collect()
    }

    /// Makes every access token of the user named by `identity` expire now, so that the
    /// next call with one of them answers "not signed in" and a client has to refresh.
    /// Refresh tokens stay valid. Returns how many access tokens expired (0 for an unknown
    /// user).
    ///
    /// ```
    /// use authing_emulator::{Emulator, NewUser};
    /// let emulator = Emulator::start()?;
    /// emulator.add_user(NewUser::with_username("alice", "secret-1"))?;
    /// assert_eq!(emulator.expire_access_tokens("alice"), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expire_access_tokens(&self, identity: &(impl UserIdentity + ?Sized)) -> usize {
        let mut state = self.server.shared.state();
        match state.users.by_query(&identity.identity()) {
            Some(index) => expire_access_tokens(&mut state, index),
            None => 0,
        }
    }
}
