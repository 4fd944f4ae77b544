//! The change feed: every write committed through the service publishes what changed
//! (area, item, version) to every subscriber; [`ChangeFeed::watch`] adds the writes of
//! other processes on the same workspace (another app, the CLI), read from the
//! workspace's change log.
use crate::store::Store;
use crate::Service;
use baton_core::Result;
use baton_store::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What part of the workspace a change touched; screens refresh on the areas they show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Area {
    /// Another workspace was opened, or everything may have changed.
    Workspace,
    /// Records and imports (what the metrics are computed from).
    Records,
    /// The funnel's stages and the stage value map.
    Stages,
    Settings,
    People,
    Personas,
    /// Definitions, sign-offs and blind drafting rounds.
    Agreements,
    Diagnostic,
    Sessions,
    /// The decision log and the parking lot.
    Decisions,
    Actions,
    Votes,
    Campaigns,
    Timer,
    Sla,
    Goals,
    /// The room: its step, lock and participants.
    Room,
}

impl Area {
    pub const ALL: [Area; 17] = [
        Area::Workspace,
        Area::Records,
        Area::Stages,
        Area::Settings,
        Area::People,
        Area::Personas,
        Area::Agreements,
        Area::Diagnostic,
        Area::Sessions,
        Area::Decisions,
        Area::Actions,
        Area::Votes,
        Area::Campaigns,
        Area::Timer,
        Area::Sla,
        Area::Goals,
        Area::Room,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Workspace => "workspace",
            Area::Records => "records",
            Area::Stages => "stages",
            Area::Settings => "settings",
            Area::People => "people",
            Area::Personas => "personas",
            Area::Agreements => "agreements",
            Area::Diagnostic => "diagnostic",
            Area::Sessions => "sessions",
            Area::Decisions => "decisions",
            Area::Actions => "actions",
            Area::Votes => "votes",
            Area::Campaigns => "campaigns",
            Area::Timer => "timer",
            Area::Sla => "sla",
            Area::Goals => "goals",
            Area::Room => "room",
        }
    }

    /// An area logged by a newer Baton reads as "everything may have changed".
    fn parse(text: &str) -> Area {
        Area::ALL
            .into_iter()
            .find(|a| a.as_str() == text)
            .unwrap_or(Area::Workspace)
    }
}

/// One committed change.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Change {
    pub area: Area,
    /// The item written (a goal's id, a vote's id…), when there is one.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    /// The workspace's change sequence number after this change (0 for a switch of
    /// workspace).
    #[ts(type = "number")]
    pub version: i64,
}

pub struct ChangeFeed {
    /// This process's mark in the change log, so its watcher skips its own writes.
    origin: String,
    subscribers: Mutex<Vec<Sender<Change>>>,
}

impl ChangeFeed {
    pub(crate) fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        Self {
            origin: format!("{}-{nanos:x}", std::process::id()),
            subscribers: Mutex::new(Vec::new()),
        }
    }

    /// Every change from now on, in commit order.
    pub fn subscribe(&self) -> Receiver<Change> {
        let (tx, rx) = channel();
        self.subscribers.lock().expect("feed lock").push(tx);
        rx
    }

    pub(crate) fn publish(&self, change: Change) {
        self.subscribers
            .lock()
            .expect("feed lock")
            .retain(|s| s.send(change.clone()).is_ok());
    }

    /// Log a write in the workspace's change log (inside its transaction, when there is
    /// one); publish the returned change once it has committed.
    pub(crate) fn log(
        &self,
        ws: &dyn WorkspaceData,
        area: Area,
        id: Option<i64>,
    ) -> Result<Change> {
        let version = ws.log_change(area.as_str(), id, &self.origin)?;
        Ok(Change { area, id, version })
    }

    /// Publish the writes other processes make to the open workspace, checking its
    /// change log every `every` (and, on a team workspace, as soon as PostgreSQL
    /// announces a commit), until the returned [`Watch`] is dropped.
    pub fn watch(service: &Service, every: Duration) -> Watch {
        let stop = Arc::new(AtomicBool::new(false));
        let (svc, flag) = (service.clone(), stop.clone());
        std::thread::Builder::new()
            .name("baton-change-watch".into())
            .spawn(move || {
                let mut watched: Option<Watched> = None;
                while !flag.load(Ordering::Relaxed) {
                    // A workspace that cannot be read right now (being replaced, busy)
                    // is tried again at the next tick.
                    let _ = poll(&svc, &mut watched);
                    match watched.as_mut() {
                        Some(w) => w.wait(every),
                        None => std::thread::sleep(every),
                    }
                }
            })
            .expect("starting the change watcher");
        Watch(stop)
    }
}

/// The workspace the watch follows, the last change it has seen, and (on a team
/// workspace) the connection that hears other writers' commits.
struct Watched {
    key: String,
    store: Store,
    last: i64,
    listener: Option<Listener>,
}

#[cfg(feature = "postgres")]
type Listener = baton_store::pg::ChangeListener;
#[cfg(not(feature = "postgres"))]
type Listener = std::convert::Infallible;

impl Watched {
    /// Until the next look at the change log: `every`, or less when a commit is heard.
    fn wait(&mut self, every: Duration) {
        #[cfg(feature = "postgres")]
        if let Some(listener) = &self.listener {
            if listener.wait(every) == baton_store::pg::Heard::Lost {
                // Listened for again at the next look; polling goes on meanwhile.
                self.listener = None;
            }
            return;
        }
        std::thread::sleep(every);
    }
}

/// Stops the watcher when dropped.
pub struct Watch(Arc<AtomicBool>);

impl Drop for Watch {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn poll(svc: &Service, watched: &mut Option<Watched>) -> Result<()> {
    let current = svc.session().current_key();
    if watched.as_ref().map(|w| Some(&w.key)) != Some(current.as_ref()) {
        *watched = None;
        let Some(key) = current else { return Ok(()) };
        // A file not created yet (the demo before its first use) is watched once it is.
        if svc.session().current_path().is_some_and(|p| !p.is_file()) {
            return Ok(());
        }
        let store = svc.open()?;
        // Listening before reading where the log stands: a commit in between is heard.
        let listener = listen(&store);
        let last = store.last_change()?;
        *watched = Some(Watched {
            key,
            store,
            last,
            listener,
        });
        return Ok(());
    }
    let Some(w) = watched.as_mut() else {
        return Ok(());
    };
    if w.listener.is_none() {
        w.listener = listen(&w.store);
    }
    let feed = svc.feed();
    for c in w.store.changes_since(w.last)? {
        w.last = c.seq;
        if c.origin != feed.origin {
            feed.publish(Change {
                area: Area::parse(&c.area),
                id: c.item_id,
                version: c.seq,
            });
        }
    }
    Ok(())
}

/// A team workspace's listener (none for a file, or while the server cannot be reached).
fn listen(store: &Store) -> Option<Listener> {
    match store {
        #[cfg(feature = "postgres")]
        Store::Team(pg) => pg.listen().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_round_trips_through_the_log_text() {
        for a in Area::ALL {
            assert_eq!(Area::parse(a.as_str()), a);
        }
        assert_eq!(Area::parse("from_a_newer_baton"), Area::Workspace);
    }
}
