//! The open workspace as the use cases see it: a `.baton` file (a fresh SQLite
//! connection per call) or a team workspace on PostgreSQL (one shared pool).
#[cfg(feature = "postgres")]
use baton_core::BatonError;
use baton_core::Result;
use baton_import::ImportTarget;
use baton_store::{Workspace, WorkspaceData, WorkspaceStore};
use std::ops::Deref;
#[cfg(feature = "postgres")]
use std::sync::Arc;

pub(crate) enum Store {
    File(Workspace),
    #[cfg(feature = "postgres")]
    Team(Arc<baton_store::pg::PgWorkspace>),
}

impl Deref for Store {
    type Target = dyn WorkspaceData;
    fn deref(&self) -> &Self::Target {
        match self {
            Store::File(ws) => ws,
            #[cfg(feature = "postgres")]
            Store::Team(pg) => &**pg,
        }
    }
}

impl Store {
    /// Run `f` in one write transaction: on a file `BEGIN IMMEDIATE`, on a team
    /// database one connection holding the workspace's write lock.
    pub(crate) fn transaction<T>(
        &self,
        what: &str,
        f: impl FnOnce(&dyn WorkspaceStore) -> Result<T>,
    ) -> Result<T> {
        match self {
            Store::File(ws) => ws.write_tx(what, |ws| f(ws)),
            #[cfg(feature = "postgres")]
            Store::Team(pg) => pg.transaction(what, |pg| f(pg)),
        }
    }

    /// The file, for what only a file does today: Save As, the demo's goal drafts.
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    pub(crate) fn file(&self, what: &str) -> Result<&Workspace> {
        match self {
            Store::File(ws) => Ok(ws),
            #[cfg(feature = "postgres")]
            Store::Team(pg) => Err(not_on_a_team_workspace(what, pg.shown())),
        }
    }

    /// Run an import on either backend: in its own transaction (on a team workspace,
    /// on a connection of its own, one import at a time).
    pub(crate) fn import<T>(
        &mut self,
        work: impl FnOnce(&mut dyn ImportTarget) -> Result<T>,
    ) -> Result<T> {
        match self {
            Store::File(ws) => work(ws),
            #[cfg(feature = "postgres")]
            Store::Team(pg) => work(&mut pg.handle()),
        }
    }
}

#[cfg(feature = "postgres")]
fn not_on_a_team_workspace(what: &str, address: &str) -> BatonError {
    BatonError::invalid(format!(
        "{what} needs a workspace file; to save this team workspace as one, run \
         `baton workspace copy {address} FILE.baton`"
    ))
}
