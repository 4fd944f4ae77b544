//! Baton's application layer. Every front end (the Tauri window, the `baton` CLI, the
//! room's HTTP server) holds a [`Service`] and calls one function per use case; the
//! function validates, writes in one transaction where several statements must hold
//! together, and publishes what changed on the [`feed`]. Front ends only parse
//! arguments, call, and render.
//!
//! Functions here are blocking (SQLite, files): async front ends run them on a
//! blocking thread.

mod cancel;
pub mod demo;
pub mod feed;
mod impact;
pub mod imports;
pub mod metrics;
#[cfg(feature = "postgres")]
mod passwords;
pub mod reports;
pub mod room;
pub mod session;
mod store;
#[cfg(feature = "postgres")]
pub mod team;
#[cfg(feature = "postgres")]
pub mod team_datasets;
pub mod timer;
pub mod workshop;
pub mod workspace;

pub use cancel::{JobKind, Jobs};
pub use feed::{Area, Change, ChangeFeed};
pub use session::Session;

use baton_core::{BatonError, Result};
use baton_import::ImportTarget;
use baton_metrics::{Dataset, DatasetCache};
use baton_store::{WorkspaceData, WorkspaceStore};
use std::path::Path;
use std::sync::{Arc, Mutex};
use store::Store;

/// The application: one per process (cheap to clone; clones share everything).
#[derive(Clone)]
pub struct Service(Arc<Inner>);

struct Inner {
    session: Session,
    datasets: Mutex<DatasetCache>,
    jobs: Jobs,
    feed: ChangeFeed,
    /// The rows of the file last previewed for import (a mapping change re-maps them).
    import_preview: baton_import::PreviewCache,
    /// The last previewed report PDF (what "save" writes).
    report: reports::Kept,
    /// Where team workspaces' metrics datasets are kept between connections (`None`:
    /// nowhere, each connection loads every record).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    team_datasets: Option<std::path::PathBuf>,
}

impl Service {
    pub fn new(session: Session) -> Self {
        Self(Arc::new(Inner {
            session,
            datasets: Mutex::new(DatasetCache::new()),
            jobs: Jobs::default(),
            feed: ChangeFeed::new(),
            import_preview: baton_import::PreviewCache::default(),
            report: reports::Kept::default(),
            team_datasets: None,
        }))
    }

    /// Keep team workspaces' metrics datasets in `dir` between connections (the app and
    /// the CLI: `team_datasets::default_dir()`); call it before the service is cloned.
    pub fn keeping_team_datasets_in(mut self, dir: Option<std::path::PathBuf>) -> Self {
        Arc::get_mut(&mut self.0)
            .expect("set before the service is shared")
            .team_datasets = dir;
        self
    }

    /// A service bound to one workspace file (the CLI, tests).
    pub fn for_file(path: &Path) -> Self {
        Self::new(Session::fixed(path))
    }

    pub fn session(&self) -> &Session {
        &self.0.session
    }

    /// Long-running work (imports, reports) and its cancel flags.
    pub fn jobs(&self) -> &Jobs {
        &self.0.jobs
    }

    /// Changes committed through this service, and (once [`ChangeFeed::watch`] runs)
    /// by other processes writing to the same workspace.
    pub fn feed(&self) -> &ChangeFeed {
        &self.0.feed
    }

    /// The open workspace: a fresh connection to a file per call (a connection is not
    /// `Sync`, and WAL lets readers run beside a writer), or the team database's pool.
    pub(crate) fn open(&self) -> Result<Store> {
        self.0.session.open()
    }

    pub(crate) fn read<T>(&self, work: impl FnOnce(&dyn WorkspaceData) -> Result<T>) -> Result<T> {
        work(&*self.open()?)
    }

    /// Run a use case's checks and writes in one transaction (what it checks still
    /// holds when it writes, whoever else writes to the workspace), log the change in
    /// the same transaction, and publish it once committed. `area` and the id `item`
    /// picks from the result say what changed.
    pub(crate) fn write<T>(
        &self,
        area: Area,
        item: impl FnOnce(&T) -> Option<i64>,
        work: impl FnOnce(&dyn WorkspaceData) -> Result<T>,
    ) -> Result<T> {
        let store = self.open()?;
        self.write_on(&store, area, item, work)
    }

    /// [`Service::write`] on a store already open.
    pub(crate) fn write_on<T>(
        &self,
        store: &Store,
        area: Area,
        item: impl FnOnce(&T) -> Option<i64>,
        work: impl FnOnce(&dyn WorkspaceData) -> Result<T>,
    ) -> Result<T> {
        let (out, change) = store.transaction(&format!("saving {}", area.as_str()), |ws| {
            let out = work(ws)?;
            let change = self.0.feed.log(ws, area, item(&out))?;
            Ok((out, change))
        })?;
        self.0.feed.publish(change);
        Ok(out)
    }

    /// A write that also needs the import writer's side of the store (undoing an
    /// import), in one transaction as [`Service::write`].
    pub(crate) fn write_records<T>(
        &self,
        area: Area,
        item: impl FnOnce(&T) -> Option<i64>,
        what: &str,
        work: impl FnOnce(&dyn WorkspaceStore) -> Result<T>,
    ) -> Result<T> {
        let store = self.open()?;
        let (out, change) = store.transaction(what, |ws| {
            let out = work(ws)?;
            let change = self.0.feed.log(ws, area, item(&out))?;
            Ok((out, change))
        })?;
        self.0.feed.publish(change);
        Ok(out)
    }

    /// A write that runs its own transaction (an import): logged and published
    /// once it has committed.
    pub(crate) fn write_own_tx<T>(
        &self,
        area: Area,
        item: impl FnOnce(&T) -> Option<i64>,
        work: impl FnOnce(&mut dyn ImportTarget) -> Result<T>,
    ) -> Result<T> {
        let mut store = self.open()?;
        let out = store.import(work)?;
        let change = self.0.feed.log(&*store, area, item(&out))?;
        self.0.feed.publish(change);
        Ok(out)
    }

    /// Run `work` on the workspace and its metrics dataset, loaded once and reused
    /// while the workspace's data version holds.
    pub(crate) fn with_dataset<T>(
        &self,
        work: impl FnOnce(&dyn WorkspaceData, &Dataset) -> Result<T>,
    ) -> Result<T> {
        let store = self.open()?;
        let ds = self.dataset(&store)?;
        work(&*store, &ds)
    }

    fn dataset(&self, store: &Store) -> Result<Arc<Dataset>> {
        let mut cache = self
            .0
            .datasets
            .lock()
            .map_err(|_| BatonError::internal("metrics cache poisoned"))?;
        match store {
            Store::File(ws) => cache.get(ws),
            #[cfg(feature = "postgres")]
            Store::Team(pg) => cache.get_team(pg.shown(), &**pg, || {
                team_datasets::kept(self.0.team_datasets.as_deref(), pg)
            }),
        }
    }
}

/// No id to report (settings, singletons).
pub(crate) fn no_id<T>(_: &T) -> Option<i64> {
    None
}
