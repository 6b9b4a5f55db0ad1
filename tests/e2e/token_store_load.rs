//! A `TokenStore` of the app's own under load (issue 19, section C): one that blocks in
//! `save` (a keyring waiting for the person), released by the test through a channel, and
//! one that panics in `save`. docs/THREADING.md promises that the store is called under
//! the lock that orders the session's changes, and that reading the session never waits
//! for it: calls that only read the session, and other clients' calls, answer while `save`
//! is blocked. A store's panic, in `save` or in `load`, is one answer, 10016 naming the
//! store, and the next call works.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use crate::common::{self, DEADLINE, QUIET};
use authing::emulator::{Emulator, NewUser};
use authing::{codes, AuthClient, AuthResponse, Lang, Session, TokenStore, TokenStoreError};

const USERNAME: &str = "mike";
const PASSWORD: &str = "passw0rd-1";

/// What the next `save` does.
enum Next {
    /// Says it has started on `entered`, then waits for `release` (at most `DEADLINE`).
    Block {
        entered: Sender<()>,
        release: Receiver<()>,
    },
    Panic,
}

#[derive(Default)]
struct Inner {
    session: Mutex<Option<Session>>,
    next: Mutex<Option<Next>>,
    saves: AtomicUsize,
    /// Whether the next `load` panics.
    panic_on_load: AtomicBool,
    /// Set once a blocked `save` has stopped waiting (released, or the deadline).
    released: AtomicBool,
}

/// A store whose next `save` the test arms; every other save is an ordinary one.
#[derive(Clone, Default)]
struct GatedStore(Arc<Inner>);

impl GatedStore {
    fn arm(&self, next: Next) {
        *self.0.next.lock().unwrap() = Some(next);
    }

    fn saved_access_token(&self) -> Option<String> {
        let held = self.0.session.lock().unwrap();
        held.as_ref().map(|s| s.tokens().access_token().to_string())
    }
}

impl TokenStore for GatedStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        if self.0.panic_on_load.swap(false, Ordering::SeqCst) {
            panic!("the keyring cannot be opened");
        }
        Ok(self.0.session.lock().unwrap().clone())
    }

    fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
        self.0.saves.fetch_add(1, Ordering::SeqCst);
        // Taken out first: no lock of the store is held while it blocks or panics.
        let next = self.0.next.lock().unwrap().take();
        match next {
            None => {}
            Some(Next::Block { entered, release }) => {
                let _ = entered.send(());
                let _ = release.recv_timeout(DEADLINE);
                self.0.released.store(true, Ordering::SeqCst);
            }
            Some(Next::Panic) => panic!("the keyring is gone"),
        }
        *self.0.session.lock().unwrap() = Some(session.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        *self.0.session.lock().unwrap() = None;
        Ok(())
    }
}

fn setup() -> (Emulator, GatedStore, AuthClient) {
    let emu = Emulator::start().expect("the emulator starts");
    emu.add_user(NewUser::with_username(USERNAME, PASSWORD))
        .expect("a user");
    let store = GatedStore::default();
    let client = common::builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .token_store(store.clone())
        .build()
        .expect("valid settings");
    (emu, store, client)
}

fn access_token(client: &AuthClient) -> Option<String> {
    client.get_token().map(|t| t.access_token().to_string())
}

#[test]
fn a_store_blocked_in_save_holds_neither_the_session_readers_nor_another_client() {
    let (emu, store, client) = setup();
    let first = client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(first.status_code(), 200, "{first:?}");
    // Its full profile, fetched after it answered, is saved too: wait for that save, so the
    // save armed below is the second sign-in's.
    common::full_profile(&client);
    let before = access_token(&client).expect("signed in");
    let user_id = client
        .get_current_user()
        .expect("the user")
        .user_id()
        .to_string();

    // The second sign-in's save blocks until the test releases it.
    let (entered_tx, entered) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    store.arm(Next::Block {
        entered: entered_tx,
        release: release_rx,
    });
    let (tx, answers) = mpsc::channel::<AuthResponse>();
    let handle = client.sign_in_by_account_password(USERNAME, PASSWORD, None, tx);
    entered
        .recv_timeout(DEADLINE)
        .expect("the sign-in reaches the store's save");

    // While it is blocked: reading the session answers the session as it was before.
    assert_eq!(access_token(&client).as_deref(), Some(before.as_str()));
    assert_eq!(
        client.get_current_user().map(|u| u.user_id().to_string()),
        Some(user_id.clone())
    );
    // A call that sends the session's bearer, and one that needs no session.
    let claims = client.get_user_info_by_access_token_blocking(None);
    assert_eq!(claims.status_code(), 200, "{claims:?}");
    assert_eq!(claims.user_claims().expect("claims").sub(), user_id);
    let countries = client.get_country_list_blocking();
    assert_eq!(countries.status_code(), 200, "{countries:?}");
    // Another client of the same app signs in and reads its own session.
    let other = common::builder_at(emu.base_url())
        .lang(Lang::EnUs)
        .build()
        .expect("valid settings");
    let signed_in = other.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(signed_in.status_code(), 200, "{signed_in:?}");
    assert!(access_token(&other).is_some());
    // All of that answered before the store was released (it gives up on its own only
    // at the deadline, which would set `released`), and the sign-in is still waiting.
    assert!(
        !store.0.released.load(Ordering::SeqCst),
        "a call waited for the blocked store"
    );
    assert!(answers.try_recv().is_err(), "the sign-in answered early");

    release.send(()).expect("the store waits");
    let answer = answers.recv_timeout(DEADLINE).expect("the callback runs");
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert!(answers.recv_timeout(QUIET).is_err(), "a second callback");
    handle.join().unwrap();
    let after = access_token(&client).expect("still signed in");
    assert_ne!(after, before, "the new session is current once saved");
    assert_eq!(store.saved_access_token(), Some(after));
    // Each sign-in saves twice: its session with the id_token's user, then (after the
    // answer) the full profile.
    common::full_profile(&client);
    assert_eq!(store.0.saves.load(Ordering::SeqCst), 4);
}

#[test]
fn a_store_that_panics_in_save_answers_10016_once_and_the_next_sign_in_works() {
    let (_emu, store, client) = setup();

    // The callback form: one answer naming the store, nothing saved.
    store.arm(Next::Panic);
    let (tx, answers) = mpsc::channel::<AuthResponse>();
    let handle = client.sign_in_by_account_password(USERNAME, PASSWORD, None, tx);
    let answer = answers.recv_timeout(DEADLINE).expect("the callback runs");
    assert!(answers.recv_timeout(QUIET).is_err(), "a second callback");
    handle.join().expect("the callback itself did not panic");
    assert_eq!(
        answer.status_code(),
        codes::TOKEN_STORE_FAILED,
        "{answer:?}"
    );
    assert_eq!(
        answer.message(),
        "token store failed: the token store panicked while saving the session: the keyring is gone"
    );
    assert_eq!(
        access_token(&client),
        None,
        "no session after a failed save"
    );
    assert_eq!(store.saved_access_token(), None);

    // The blocking twin: the same answer, no panic out of the call.
    store.arm(Next::Panic);
    let answer = client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(
        answer.status_code(),
        codes::TOKEN_STORE_FAILED,
        "{answer:?}"
    );
    assert_eq!(access_token(&client), None);

    // The next sign-in works, and saves.
    let answer = client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    let token = access_token(&client).expect("signed in");
    assert_eq!(store.saved_access_token(), Some(token));
    // Two failed saves, then the session with the id_token's user and, after the answer,
    // the full profile.
    common::full_profile(&client);
    assert_eq!(store.0.saves.load(Ordering::SeqCst), 4);
}

#[test]
fn a_store_that_panics_in_load_is_no_session_for_a_reader_and_10016_for_a_sign_in() {
    let (_emu, store, client) = setup();
    // The first read loads the store: a panic there is no session, not a panic on the
    // reader's thread (a GUI's), and the store is asked again next time.
    store.0.panic_on_load.store(true, Ordering::SeqCst);
    assert_eq!(client.get_current_user(), None);
    // A sign-in reads the store first: its panic is the sign-in's one answer.
    store.0.panic_on_load.store(true, Ordering::SeqCst);
    let (tx, answers) = mpsc::channel::<AuthResponse>();
    let handle = client.sign_in_by_account_password(USERNAME, PASSWORD, None, tx);
    let answer = answers.recv_timeout(DEADLINE).expect("the callback runs");
    assert!(answers.recv_timeout(QUIET).is_err(), "a second callback");
    handle.join().expect("the callback itself did not panic");
    assert_eq!(
        answer.status_code(),
        codes::TOKEN_STORE_FAILED,
        "{answer:?}"
    );
    assert_eq!(
        answer.message(),
        "token store failed: the token store panicked while reading the session: the keyring cannot be opened"
    );
    assert_eq!(store.0.saves.load(Ordering::SeqCst), 0, "nothing was saved");
    // The next sign-in works.
    let answer = client.sign_in_by_account_password_blocking(USERNAME, PASSWORD, None);
    assert_eq!(answer.status_code(), 200, "{answer:?}");
    assert_eq!(store.saved_access_token(), access_token(&client));
    assert!(access_token(&client).is_some());
}
