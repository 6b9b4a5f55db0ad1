//! The event hub: who is subscribed to what (each open WebSocket, with the channel its
//! thread reads), the recent events of each (user, code) for replays, and the replay
//! points an admin drop leaves. Not kept in a state file; a reset closes every stream.

use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::Sender;

use serde_json::{json, Value};

/// Events kept per (user, code) for replays after a drop.
const KEPT: usize = 64;
/// Events kept in the admin log.
const LOGGED: usize = 1000;

/// What the hub tells a stream's thread.
pub(crate) enum Out {
    /// Send this text frame.
    Text(String),
    /// Cut the connection at once (admin drop), without a close frame.
    Drop,
}

struct Subscriber {
    id: u64,
    user: String,
    code: String,
    tx: Sender<Out>,
}

/// The hub (in `FamilyStates`, behind the state's mutex).
#[derive(Default)]
pub(crate) struct Hub {
    next_subscriber: u64,
    next_event: u64,
    subscribers: Vec<Subscriber>,
    /// Recent events per (user, code): (sequence, frame text).
    recent: HashMap<(String, String), VecDeque<(u64, String)>>,
    /// Where the next stream of (user, code) starts its replay: the sequence of the last
    /// event sent before an admin drop cut its streams.
    replay_from: HashMap<(String, String), u64>,
    /// Every event published, latest last (the admin log).
    log: VecDeque<Value>,
    /// The token sessions whose end has been published (`authing.user.logout` once each).
    ended_sessions: std::collections::HashSet<u64>,
}

impl Hub {
    /// Adds a stream of `user` for `code`; its id, and the frames to send first (the
    /// replay after a drop, if any).
    pub(crate) fn subscribe(
        &mut self,
        user: &str,
        code: &str,
        tx: Sender<Out>,
    ) -> (u64, Vec<String>) {
        self.next_subscriber += 1;
        let id = self.next_subscriber;
        self.subscribers.push(Subscriber {
            id,
            user: user.to_owned(),
            code: code.to_owned(),
            tx,
        });
        let key = (user.to_owned(), code.to_owned());
        let replay = match self.replay_from.remove(&key) {
            Some(from) => self
                .recent
                .get(&key)
                .map(|events| {
                    events
                        .iter()
                        .filter(|(seq, _)| *seq >= from)
                        .map(|(_, text)| text.clone())
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        (id, replay)
    }

    /// Removes the stream `id`.
    pub(crate) fn unsubscribe(&mut self, id: u64) {
        self.subscribers.retain(|s| s.id != id);
    }

    /// Open streams.
    pub(crate) fn subscribers(&self) -> usize {
        self.subscribers.len()
    }

    /// Publishes `code` with `data` to the streams of `user`; the event's frame. Its
    /// shape (the emulator's own; Authing documents none): `{id, eventType, eventData,
    /// userId, timestamp}`.
    pub(crate) fn publish(&mut self, user: &str, code: &str, data: Value, now_ms: u64) -> Value {
        self.next_event += 1;
        let seq = self.next_event;
        let event = json!({
            "id": format!("evt_{seq:08}"),
            "eventType": code,
            "eventData": data,
            "userId": user,
            "timestamp": now_ms,
        });
        let text = event.to_string();
        let key = (user.to_owned(), code.to_owned());
        let recent = self.recent.entry(key).or_default();
        if recent.len() == KEPT {
            recent.pop_front();
        }
        recent.push_back((seq, text.clone()));
        for s in self
            .subscribers
            .iter()
            .filter(|s| s.user == user && s.code == code)
        {
            let _ = s.tx.send(Out::Text(text.clone()));
        }
        if self.log.len() == LOGGED {
            self.log.pop_front();
        }
        self.log.push_back(event.clone());
        event
    }

    /// Cuts every stream (admin drop); their next streams replay from the last event
    /// each had been sent (so one event comes again, and a client must recognise it).
    /// How many were cut.
    pub(crate) fn drop_all(&mut self) -> usize {
        let cut = self.subscribers.len();
        for s in self.subscribers.drain(..) {
            let key = (s.user, s.code);
            if let Some((last, _)) = self.recent.get(&key).and_then(|r| r.back()) {
                let entry = self.replay_from.entry(key).or_insert(*last);
                *entry = (*entry).min(*last);
            }
            let _ = s.tx.send(Out::Drop);
        }
        cut
    }

    /// Whether this is the first time the end of `session` is seen (then it is marked).
    pub(crate) fn first_end(&mut self, session: u64) -> bool {
        self.ended_sessions.insert(session)
    }

    /// The admin log, oldest first.
    pub(crate) fn log(&self) -> Vec<Value> {
        self.log.iter().cloned().collect()
    }
}
