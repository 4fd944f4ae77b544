//! Versions of what is edited as a whole (the stages, the stage map, the business hours,
//! the company name) on PostgreSQL: the check and the bump of `crate::config_version`
//! (the rule and its message live there), on the caller's transaction.
use super::agreements::ctx;
use crate::config_version::{changes_since, stale_config, Config};
use baton_core::Result;
use tokio_postgres::GenericClient;

/// `config`'s version now (1 when never changed).
pub(super) async fn config_version_in(c: &impl GenericClient, config: Config) -> Result<i64> {
    Ok(c.query_opt(
        "SELECT row_version FROM config_versions WHERE what = $1",
        &[&config.key()],
    )
    .await
    .map_err(ctx("reading the version"))?
    .map_or(1, |r| r.get(0)))
}

/// Refuse a change of `config` when the caller's version (`seen`) is not the current
/// one (first inside the write transaction, under the workspace's write lock). The
/// current version.
pub(super) async fn check_config_version(
    c: &impl GenericClient,
    config: Config,
    seen: Option<i64>,
) -> Result<i64> {
    let current = config_version_in(c, config).await?;
    let Some(seen) = seen.filter(|&s| s != current) else {
        return Ok(current);
    };
    let rows = c
        .query(
            "SELECT fields FROM row_edits WHERE tbl = $1 AND row_id = 0 AND version > $2
             ORDER BY version",
            &[&config.key(), &seen],
        )
        .await
        .map_err(ctx("reading what changed"))?;
    let changes = changes_since(rows.iter().map(|r| r.get::<_, String>(0)));
    Err(stale_config(config, &changes))
}

/// Record that `config` changed (`change` says how): its version goes from `current` to
/// the next. Nothing when `change` is empty. The new version.
pub(super) async fn bump_config_version(
    c: &impl GenericClient,
    config: Config,
    current: i64,
    change: &str,
) -> Result<i64> {
    if change.is_empty() {
        return Ok(current);
    }
    let next = current + 1;
    c.execute(
        "INSERT INTO config_versions(what, row_version) VALUES ($1, $2)
         ON CONFLICT (what) DO UPDATE SET row_version = excluded.row_version",
        &[&config.key(), &next],
    )
    .await
    .map_err(ctx("bumping the version"))?;
    c.execute(
        "INSERT INTO row_edits(tbl, row_id, version, fields) VALUES ($1, 0, $2, $3)",
        &[&config.key(), &next, &change],
    )
    .await
    .map_err(ctx("recording what changed"))?;
    Ok(next)
}
