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
mod config_version;
mod conn;
mod copy;
mod copy_rows;
mod diagnostic;
mod dot_votes;
mod identity;
mod import_merge;
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
mod row_version;
pub mod schema;
mod sessions;
mod snapshot_trail;
mod stages;
mod state;
#[cfg(feature = "pg-tests")]
pub mod testing;
#[cfg(all(test, feature = "pg-tests"))]
mod tests;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_identity;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_import;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_records;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_reimport;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_row_versions;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_tls;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_tx;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_workshop_a;
#[cfg(all(test, feature = "pg-tests"))]
mod tests_workshop_b;
mod text_check;
mod timer;
mod tls;
mod tls_files;

pub use conn::{is_connection_string, PgTarget};
pub use copy::{copy_workspace, CopyReport, Location, TableCount};
pub use listen::{ChangeListener, Heard};
pub use migrate::PG_MIGRATIONS;
pub use tls::{SystemRoots, TlsMode, TlsSettings};
pub use tls_files::check_tls_files;

use baton_core::{BatonError, ErrorCode, Result};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::future::Future;
use tokio_postgres::config::SslMode;

/// An open team workspace: a pool of connections to one PostgreSQL database, migrated
/// to this build's schema.
pub struct PgWorkspace {
    rt: std::sync::Arc<tokio::runtime::Runtime>,
    pool: Pool,
    /// Where it connects, with the TLS mode it connected with (`allow` may have moved on
    /// to TLS).
    target: PgTarget,
    /// TLS for new connections (the pool's and a listener's); `None`: without.
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
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
        ws.run(identity::ensure(&ws.pool, ws.target.shown()))?;
        Ok(ws)
    }

    /// Connect without migrating (the source of a copy is read as it is). As libpq does:
    /// with `sslmode=allow`, a server that refuses the connection without TLS is asked
    /// again with TLS; with `prefer`, one that refuses it with TLS, again without.
    pub fn connect(target: &PgTarget) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("baton-pg")
            .enable_all()
            .build()
            .map_err(|e| BatonError::internal(format!("starting the PostgreSQL runtime: {e}")))?;
        let rt = std::sync::Arc::new(rt);
        let ws = Self::with_pool(rt.clone(), target.clone())?;
        match ws.first_connection() {
            Err(deadpool_postgres::PoolError::Backend(e))
                if matches!(target.tls().mode, TlsMode::Allow | TlsMode::Prefer)
                    && e.as_db_error().is_some() =>
            {
                let mut again = target.clone();
                again.config.ssl_mode(match target.tls().mode {
                    TlsMode::Allow => SslMode::Require,
                    _ => SslMode::Disable,
                });
                let ws = Self::with_pool(rt, again)?;
                ws.first_connection().map_err(|e| pool_err(ws.shown(), e))?;
                Ok(ws)
            }
            Err(e) => Err(pool_err(ws.shown(), e)),
            Ok(()) => Ok(ws),
        }
    }

    fn with_pool(rt: std::sync::Arc<tokio::runtime::Runtime>, target: PgTarget) -> Result<Self> {
        let mgr_config = || ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let config = target.config.clone();
        let tls = match config.get_ssl_mode() {
            SslMode::Disable => None,
            _ => Some(target.tls().connector()?),
        };
        let manager = match &tls {
            None => Manager::from_config(config, tokio_postgres::NoTls, mgr_config()),
            Some(tls) => Manager::from_config(config, tls.clone(), mgr_config()),
        };
        let pool = {
            let _in_rt = rt.enter();
            Pool::builder(manager)
                .max_size(4)
                .build()
                .map_err(|e| BatonError::internal(format!("building the connection pool: {e}")))?
        };
        Ok(Self {
            rt,
            pool,
            target,
            tls,
            pinned: None,
        })
    }

    /// Fail here, naming the server, rather than at the first query.
    fn first_connection(&self) -> std::result::Result<(), deadpool_postgres::PoolError> {
        self.rt.block_on(async {
            let client = self.pool.get().await?;
            client
                .simple_query("SELECT 1")
                .await
                .map_err(deadpool_postgres::PoolError::Backend)?;
            Ok(())
        })
    }

    /// Another handle on this workspace: the same pool and runtime, outside any
    /// transaction (an import takes one handle for its own transaction).
    pub fn handle(&self) -> PgWorkspace {
        PgWorkspace {
            rt: self.rt.clone(),
            pool: self.pool.clone(),
            target: self.target.clone(),
            tls: self.tls.clone(),
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
    let said = std::error::Error::source(&e).map(|s| s.to_string());
    if said.as_deref() == Some("password missing") {
        return BatonError::new(
            ErrorCode::Io,
            format!(
                "{context}: the server asks for a password: type it, or set PGPASSWORD \
                 or a line in ~/.pgpass"
            ),
        );
    }
    if let Some(why) = tls::tls_failure(&e) {
        return BatonError::new(ErrorCode::Io, format!("{context}: {why}"));
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
