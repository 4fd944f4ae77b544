//! The schema on PostgreSQL: the same versions as the SQLite file's migrations
//! (`crate::migrate::MIGRATIONS`), each in the PostgreSQL dialect under `schema/pg/`
//! with the same file names. The version lives in `baton_schema` (one row).

use super::{pg_err, pool_err};
use baton_core::{BatonError, ErrorCode, Result};
use deadpool_postgres::Pool;

/// Migrations in order, as [`crate::migrate`]'s: group `i` takes the schema from version
/// `i` to `i + 1`. A version added to the SQLite file gets its group here too (the length
/// is checked at compile time, the tables by `schema::tests`).
pub const PG_MIGRATIONS: &[&[&str]] = &[
    &[
        include_str!("../../schema/pg/001_settings.sql"),
        include_str!("../../schema/pg/001_records.sql"),
        include_str!("../../schema/pg/001_metrics.sql"),
        include_str!("../../schema/pg/001_workshop.sql"),
    ],
    &[
        include_str!("../../schema/pg/002_diagnostic_privacy.sql"),
        include_str!("../../schema/pg/002_change_log.sql"),
    ],
    &[
        include_str!("../../schema/pg/003_room.sql"),
        include_str!("../../schema/pg/003_dataset.sql"),
    ],
    &[include_str!("../../schema/pg/004_row_versions.sql")],
    &[include_str!("../../schema/pg/005_config_versions.sql")],
    &[include_str!("../../schema/pg/006_team_import.sql")],
];

const _: () = assert!(
    PG_MIGRATIONS.len() as i32 == crate::SCHEMA_VERSION,
    "a schema version was added to the SQLite migrations: mirror it in schema/pg/ and PG_MIGRATIONS"
);

/// The schema version of the database `client` is connected to: 0 when it has no Baton
/// schema and no tables at all; an error when it holds other tables (not a workspace).
pub(crate) async fn read_version(
    client: &impl tokio_postgres::GenericClient,
    shown: &str,
) -> Result<i32> {
    let ctx = |what: &str| format!("{what} of {shown}");
    let has_meta: bool = client
        .query_one("SELECT to_regclass('baton_schema') IS NOT NULL", &[])
        .await
        .map_err(|e| pg_err(&ctx("reading the schema version"), e))?
        .get(0);
    if !has_meta {
        let tables: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
                &[],
            )
            .await
            .map_err(|e| pg_err(&ctx("listing the tables"), e))?
            .get(0);
        if tables > 0 {
            return Err(BatonError::new(
                ErrorCode::NotAWorkspace,
                format!(
                    "{shown} holds {tables} tables but no Baton workspace: use an empty database"
                ),
            ));
        }
        return Ok(0);
    }
    let row = client
        .query_one("SELECT application_id, version FROM baton_schema", &[])
        .await
        .map_err(|e| pg_err(&ctx("reading the schema version"), e))?;
    let app_id: i32 = row.get(0);
    if app_id != crate::APPLICATION_ID {
        return Err(BatonError::new(
            ErrorCode::NotAWorkspace,
            format!("{shown} is not a Baton workspace (application id {app_id:#x})"),
        ));
    }
    Ok(row.get(1))
}

/// Bring the database to [`crate::SCHEMA_VERSION`] in one transaction (an advisory lock
/// keeps two Batons from migrating at once); a newer schema is refused untouched.
pub(crate) async fn migrate(pool: &Pool, shown: &str) -> Result<()> {
    migrate_with(pool, shown, PG_MIGRATIONS).await
}

/// [`migrate`] with the given migrations (tests inject a failing one).
pub(crate) async fn migrate_with(pool: &Pool, shown: &str, migrations: &[&[&str]]) -> Result<()> {
    let target = migrations.len() as i32;
    let mut client = pool.get().await.map_err(|e| pool_err(shown, e))?;
    let version = read_version(&**client, shown).await?;
    check_not_newer(version, shown)?;
    if version == target {
        return Ok(());
    }
    let ctx = |what: String| move |e| pg_err(&what, e);
    let tx = client
        .transaction()
        .await
        .map_err(ctx("starting the migration".into()))?;
    // Whoever migrates first wins; the other then sees the new version.
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&(crate::APPLICATION_ID as i64)],
    )
    .await
    .map_err(ctx("locking the schema for migration".into()))?;
    let version = read_version(&*tx, shown).await?;
    check_not_newer(version, shown)?;
    if version == target {
        return Ok(());
    }
    if version == 0 {
        tx.batch_execute(
            "CREATE TABLE baton_schema (application_id INTEGER NOT NULL, version INTEGER NOT NULL);",
        )
        .await
        .map_err(ctx("creating the schema version table".into()))?;
        tx.execute(
            "INSERT INTO baton_schema(application_id, version) VALUES ($1, 0)",
            &[&crate::APPLICATION_ID],
        )
        .await
        .map_err(ctx("creating the schema version table".into()))?;
    }
    for (i, steps) in migrations.iter().enumerate().skip(version as usize) {
        for sql in *steps {
            tx.batch_execute(sql).await.map_err(ctx(format!(
                "migrating {shown} to schema version {}",
                i + 1
            )))?;
        }
    }
    tx.execute("UPDATE baton_schema SET version = $1", &[&target])
        .await
        .map_err(ctx("recording the schema version".into()))?;
    tx.commit()
        .await
        .map_err(ctx("committing the migration".into()))?;
    Ok(())
}

pub(crate) fn check_not_newer(version: i32, shown: &str) -> Result<()> {
    if version > crate::SCHEMA_VERSION {
        return Err(BatonError::new(
            ErrorCode::WorkspaceTooNew,
            format!(
                "{shown} was written by a newer Baton (schema version {version}; this Baton knows up to {}). Update Baton to open it; the database was left untouched.",
                crate::SCHEMA_VERSION
            ),
        ));
    }
    Ok(())
}
