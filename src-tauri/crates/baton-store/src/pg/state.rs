//! [`WorkspaceState`] on PostgreSQL: the data version and the settings.
use super::{pg_err, PgWorkspace};
use crate::prelude::WorkspaceState;
use baton_core::Result;

/// Bump the data version inside the caller's transaction (see `Workspace::bump_data_version`).
pub(crate) async fn bump_data_version(tx: &super::query::Tx) -> Result<()> {
    tx.execute(
        "UPDATE settings SET value = (value::bigint + 1)::text WHERE key = 'data_version'",
        &[],
    )
    .await
    .map_err(|e| pg_err("bumping data version", e))?;
    Ok(())
}

/// Write a setting inside the caller's transaction (and bump the data version).
pub(crate) async fn set_setting_in(tx: &super::query::Tx, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings(key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )
    .await
    .map_err(|e| pg_err("writing setting", e))?;
    bump_data_version(tx).await
}

/// A setting read inside the caller's transaction.
pub(crate) async fn setting_in(tx: &super::query::Tx, key: &str) -> Result<Option<String>> {
    Ok(tx
        .query_opt("SELECT value FROM settings WHERE key = $1", &[&key])
        .await
        .map_err(|e| pg_err("reading setting", e))?
        .map(|r| r.get(0)))
}

impl WorkspaceState for PgWorkspace {
    fn config_version(&self, config: crate::Config) -> Result<i64> {
        self.on_conn(async |c| super::config_version::config_version_in(c, config).await)
    }

    fn data_version(&self) -> Result<i64> {
        self.query_opt_row(
            "reading data version",
            "SELECT value::bigint FROM settings WHERE key = 'data_version'",
            &[],
            |r| r.get::<_, i64>(0),
        )?
        .ok_or_else(|| baton_core::BatonError::internal("reading data version: no row"))
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.query_opt_row(
            "reading setting",
            "SELECT value FROM settings WHERE key = $1",
            &[&key],
            |r| r.get(0),
        )
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.write_tx("writing setting", async |tx| {
            set_setting_in(tx, key, value).await
        })
    }
}
