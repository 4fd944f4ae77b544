//! [`StageConfig`] on PostgreSQL: the funnel's stages and the CRM value → stage map. The
//! map's values match ignoring ASCII case, as the file's `COLLATE NOCASE` column does
//! (`lower(crm_value COLLATE "C")`, the unique index of `schema/pg/001_records.sql`).
use super::config_version::{bump_config_version, check_config_version};
use super::state::bump_data_version;
use super::{pg_err, PgWorkspace};
use crate::config_version::Config;
use crate::imports::{
    check_map_target, check_new_stage_id, stage_added, stage_renamed, value_mapped, value_unmapped,
};
use crate::prelude::StageConfig;
use baton_core::stages::Stage;
use baton_core::{BatonError, Result};
use tokio_postgres::error::SqlState;
use tokio_postgres::GenericClient;

async fn stages_in(client: &impl GenericClient) -> Result<Vec<Stage>> {
    let rows = client
        .query(
            r#"SELECT id, name, position FROM stages ORDER BY position, id COLLATE "C""#,
            &[],
        )
        .await
        .map_err(|e| pg_err("reading stages", e))?;
    Ok(rows
        .iter()
        .map(|r| Stage {
            id: r.get(0),
            name: r.get(1),
            position: r.get::<_, i64>(2) as u32,
        })
        .collect())
}

impl StageConfig for PgWorkspace {
    fn stages(&self) -> Result<Vec<Stage>> {
        self.run(async {
            let client = self.conn().await?;
            stages_in(&**client).await
        })
    }

    fn add_stage_from(
        &self,
        id: &str,
        name: &str,
        after: Option<&str>,
        seen: Option<i64>,
    ) -> Result<()> {
        check_new_stage_id(id)?;
        self.write_tx("changing the stages", async |tx| {
            let version = check_config_version(&**tx, Config::Stages, seen).await?;
            let position: i64 = match after {
                Some(prev) => {
                    let row = tx
                        .query_opt("SELECT position FROM stages WHERE id = $1", &[&prev])
                        .await
                        .map_err(|e| pg_err("reading stages", e))?
                        .ok_or_else(|| {
                            BatonError::not_found(format!("there is no stage {prev:?}"))
                        })?;
                    row.get::<_, i64>(0) + 1
                }
                None => tx
                    .query_one("SELECT coalesce(max(position) + 1, 0) FROM stages", &[])
                    .await
                    .map_err(|e| pg_err("reading stages", e))?
                    .get(0),
            };
            // Two steps so UNIQUE(position) holds after each statement, as on the file.
            tx.execute(
                "UPDATE stages SET position = -position - 1 WHERE position >= $1",
                &[&position],
            )
            .await
            .map_err(|e| pg_err("moving stages", e))?;
            tx.execute(
                "UPDATE stages SET position = -position WHERE position < 0",
                &[],
            )
            .await
            .map_err(|e| pg_err("moving stages", e))?;
            tx.execute(
                "INSERT INTO stages(id, name, position) VALUES ($1, $2, $3)",
                &[&id, &name, &position],
            )
            .await
            .map_err(|e| match e.code() {
                Some(c) if *c == SqlState::UNIQUE_VIOLATION => {
                    BatonError::conflict(format!("a stage with id {id:?} already exists"))
                }
                _ => pg_err("adding a stage", e),
            })?;
            bump_config_version(&**tx, Config::Stages, version, &stage_added(name)).await?;
            bump_data_version(tx).await
        })
    }

    fn rename_stage_from(&self, id: &str, name: &str, seen: Option<i64>) -> Result<()> {
        self.write_tx("changing the stages", async |tx| {
            let version = check_config_version(&**tx, Config::Stages, seen).await?;
            let old: String = tx
                .query_opt("SELECT name FROM stages WHERE id = $1", &[&id])
                .await
                .map_err(|e| pg_err("reading stages", e))?
                .ok_or_else(|| BatonError::not_found(format!("there is no stage {id:?}")))?
                .get(0);
            tx.execute("UPDATE stages SET name = $2 WHERE id = $1", &[&id, &name])
                .await
                .map_err(|e| pg_err("renaming a stage", e))?;
            let change = stage_renamed(&old, name);
            bump_config_version(&**tx, Config::Stages, version, &change).await?;
            bump_data_version(tx).await
        })
    }

    fn stage_value_map(&self) -> Result<Vec<(String, String)>> {
        self.query_rows(
            "reading the stage value map",
            r#"SELECT crm_value, stage_id FROM stage_value_map ORDER BY lower(crm_value COLLATE "C")"#,
            &[],
            |r| (r.get(0), r.get(1)),
        )
    }

    fn set_stage_value_from(
        &self,
        crm_value: &str,
        stage_id: &str,
        seen: Option<i64>,
    ) -> Result<()> {
        self.write_tx("changing the stage value map", async |tx| {
            let version = check_config_version(&**tx, Config::StageMap, seen).await?;
            let stages = stages_in(&**tx).await?;
            check_map_target(stage_id, &stages)?;
            let old: Option<String> = tx
                .query_opt(
                    r#"SELECT stage_id FROM stage_value_map
                       WHERE lower(crm_value COLLATE "C") = lower($1 COLLATE "C")"#,
                    &[&crm_value.trim()],
                )
                .await
                .map_err(|e| pg_err("reading the stage value map", e))?
                .map(|r| r.get(0));
            tx.execute(
                r#"INSERT INTO stage_value_map(crm_value, stage_id) VALUES ($1, $2)
                   ON CONFLICT ((lower(crm_value COLLATE "C"))) DO UPDATE SET stage_id = excluded.stage_id"#,
                &[&crm_value.trim(), &stage_id],
            )
            .await
            .map_err(|e| pg_err("writing the stage value map", e))?;
            let change = value_mapped(crm_value.trim(), old.as_deref(), stage_id, &stages);
            bump_config_version(&**tx, Config::StageMap, version, &change).await?;
            bump_data_version(tx).await
        })
    }

    fn remove_stage_value_from(&self, crm_value: &str, seen: Option<i64>) -> Result<()> {
        self.write_tx("changing the stage value map", async |tx| {
            let version = check_config_version(&**tx, Config::StageMap, seen).await?;
            let n = tx
                .execute(
                    r#"DELETE FROM stage_value_map WHERE lower(crm_value COLLATE "C") = lower($1 COLLATE "C")"#,
                    &[&crm_value.trim()],
                )
                .await
                .map_err(|e| pg_err("writing the stage value map", e))?;
            let change = value_unmapped(crm_value.trim(), n > 0);
            bump_config_version(&**tx, Config::StageMap, version, &change).await?;
            bump_data_version(tx).await
        })
    }
}
