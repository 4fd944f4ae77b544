//! A team workspace on PostgreSQL (feature `postgres`): the connection, a pool
//! (`deadpool-postgres` over `tokio-postgres`), the schema's migrations in the PostgreSQL
//! dialect (`schema/pg/`, one schema version shared with the SQLite file) and the copy
//! between a `.baton` file and a team database (`baton workspace copy`).
//!
//! The store's traits are synchronous; [`PgWorkspace`] owns a small tokio runtime and
//! runs each database call on it with `block_on` from the calling (blocking) thread.
//! It must not be called from inside an async task: the service runs store calls on
//! blocking threads, the CLI on its main thread.

mod actions;
mod agreements;
mod blind_round;
mod campaigns;
mod changes;
mod conn;
mod copy;
mod diagnostic;
mod dot_votes;
mod import_new;
mod import_undo;
mod import_writer;
mod imports_read;
mod in_tx;
mod listen;
mod metrics_config;
mod migrate;
mod overview;
mod people;
mod personas;
mod query;
mod records_read;
mod room;
pub mod schema;
mod sessions;
mod stages;
mod state;
#[cfg(feature = "pg-tests")]
pub mod testing;
#[cfg(all(test, feature = "pg-tests"))]
mod tests;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_import;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_records;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_tx;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_workshop_a;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_workshop_b;
mod text_check;
mod timer;

pub use conn::{is_connection_string, PgTarget};
pub use copy::{copy_workspace, CopyReport, Location, TableCount};
pub use listen::{ChangeListener, Heard};
pub use migrate::PG_MIGRATIONS;

use baton_core::{BatonError, ErrorCode, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::future::Future;
use tokio_postgres::config::SslMode;

/// An open team workspace: a pool of connections to one PostgreSQL database, migrated
/// to this build's schema.
pub struct PgWorkspace {
    rt: std::sync::Arc<tokio::runtime::Runtime>,
    pool: Pool,
    target: PgTarget,
    /// Inside [`PgWorkspace::transaction`]: the connection holding the open transaction,
    /// which every call of this view runs on (`write_tx` becomes a savepoint).
    pinned: Option<deadpool_postgres::Object>,
}

impl PgWorkspace {
    /// Connect to `target` and bring its schema up to [`crate::SCHEMA_VERSION`] (a newer
    /// schema is refused untouched; a database holding other tables is refused).
    pub fn open(target: &PgTarget) -> Result<Self> {
        let ws = Self::connect(target)?;
        ws.run(migrate::migrate(&ws.pool, ws.target.shown()))?;
        Ok(ws)
    }

    /// Connect without migrating (the source of a copy is read as it is).
    pub fn connect(target: &PgTarget) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("baton-pg")
            .enable_all()
            .build()
            .map_err(|e| BatonError::internal(format!("starting the PostgreSQL runtime: {e}")))?;
        let mgr_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = if target.ssl_mode() == SslMode::Disable {
            Manager::from_config(target.config.clone(), tokio_postgres::NoTls, mgr_config)
        } else {
            Manager::from_config(target.config.clone(), tls_connector()?, mgr_config)
        };
        let pool = {
            let _in_rt = rt.enter();
            Pool::builder(manager)
                .max_size(4)
                .build()
                .map_err(|e| BatonError::internal(format!("building the connection pool: {e}")))?
        };
        let ws = Self {
            rt: std::sync::Arc::new(rt),
            pool,
            target: target.clone(),
            pinned: None,
        };
        // Fail here, naming the server, rather than at the first query.
        let shown = ws.target.shown().to_string();
        ws.run(async {
            let client = ws.pool.get().await.map_err(|e| pool_err(&shown, e))?;
            client
                .simple_query("SELECT 1")
                .await
                .map_err(|e| pg_err(&format!("connecting to {shown}"), e))?;
            Ok(())
        })?;
        Ok(ws)
    }

    /// Another handle on this workspace: the same pool and runtime, outside any
    /// transaction (an import takes one handle for its own transaction).
    pub fn handle(&self) -> PgWorkspace {
        PgWorkspace {
            rt: self.rt.clone(),
            pool: self.pool.clone(),
            target: self.target.clone(),
            pinned: None,
        }
    }

    /// Where this workspace lives, without the password.
    pub fn shown(&self) -> &str {
        self.target.shown()
    }

    pub fn target(&self) -> &PgTarget {
        &self.target
    }

    /// Run `f` to completion on this workspace's runtime, from a blocking thread (tokio
    /// panics when this is called from inside an async task: a bug, never silent).
    pub(crate) fn run<T>(&self, f: impl Future<Output = Result<T>>) -> Result<T> {
        self.rt.block_on(f)
    }

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The shape of this database's schema (tables, columns, keys), to compare with the
    /// file's ([`schema::reference_shape`]).
    pub fn schema_shape(&self) -> Result<Vec<schema::TableShape>> {
        self.run(async {
            let client = self
                .pool
                .get()
                .await
                .map_err(|e| pool_err(self.shown(), e))?;
            schema::pg_shape(&**client, self.shown()).await
        })
    }

    /// This database's schema version (0 when it holds no Baton schema yet).
    pub fn schema_version(&self) -> Result<i32> {
        self.run(async {
            let client = self
                .pool
                .get()
                .await
                .map_err(|e| pool_err(self.shown(), e))?;
            migrate::read_version(&**client, self.shown()).await
        })
    }
}

/// TLS for `sslmode=prefer|require`: like libpq's, these encrypt without checking the
/// server's certificate (libpq's verify-ca/verify-full are not supported yet).
fn tls_connector() -> Result<postgres_native_tls::MakeTlsConnector> {
    let connector = native_tls::TlsConnector::builder()
        .danger_accept_invalid_certs(true)
        .danger_accept_invalid_hostnames(true)
        .build()
        .map_err(|e| BatonError::internal(format!("setting up TLS: {e}")))?;
    Ok(postgres_native_tls::MakeTlsConnector::new(connector))
}

/// A PostgreSQL error with context, its code mapped to Baton's.
pub(crate) fn pg_err(context: &str, e: tokio_postgres::Error) -> BatonError {
    use tokio_postgres::error::SqlState;
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        let mapped = if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::LOCK_NOT_AVAILABLE
        {
            ErrorCode::Conflict
        } else if code.code().starts_with("28") || code.code().starts_with("3D") {
            ErrorCode::Io
        } else {
            ErrorCode::Internal
        };
        return BatonError::new(mapped, format!("{context}: {}", db.message()));
    }
    if e.is_closed() || e.code().is_none() {
        return BatonError::new(ErrorCode::Io, format!("{context}: {e}"));
    }
    BatonError::internal(format!("{context}: {e}"))
}

/// A connection the pool could not give: the server is down, refuses us, or TLS failed.
pub(crate) fn pool_err(shown: &str, e: deadpool_postgres::PoolError) -> BatonError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg_err(&format!("connecting to {shown}"), e),
        other => BatonError::new(ErrorCode::Io, format!("connecting to {shown}: {other}")),
    }
}
