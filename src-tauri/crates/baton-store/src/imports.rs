//! Import history, undo, rejected rows, the funnel's stages and the CRM value → stage map
//! (import area, issue 3).

use crate::config_version::Config;
use crate::records::{RecordColumns, UPDATE_RECORD_SQL};
use crate::{DbContext, Workspace};
use baton_core::stages::{is_valid_stage_id, Stage, LOST};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

/// One entry of the import history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub preset: String,
    pub kind: String,
    pub encoding: String,
    pub delimiter: String,
    /// Wall-clock seconds since 1970 (no zone).
    #[ts(type = "number")]
    pub imported_at: i64,
    #[ts(type = "number")]
    pub rows_read: i64,
    #[ts(type = "number")]
    pub inserted: i64,
    #[ts(type = "number")]
    pub updated: i64,
    #[ts(type = "number")]
    pub rejected: i64,
    pub warnings: Vec<String>,
    /// Wall-clock seconds of the undo, `null` while live.
    #[ts(type = "number | null")]
    pub undone_at: Option<i64>,
}

/// A row a partial import kept aside, with why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RejectedRow {
    #[ts(type = "number")]
    pub row_number: i64,
    pub column: Option<String>,
    pub value: Option<String>,
    pub reason: String,
    pub raw: Vec<String>,
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct UndoSummary {
    #[ts(type = "number")]
    pub import_id: i64,
    /// Records the import had inserted, now deleted.
    #[ts(type = "number")]
    pub deleted: i64,
    /// Records the import had updated, now restored.
    #[ts(type = "number")]
    pub restored: i64,
}

pub(crate) const IMPORT_COLUMNS: &str = "id, file_name, preset, kind, encoding, delimiter, imported_at, rows_read, inserted, updated, rejected, warnings, undone_at";

fn import_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ImportInfo, String)> {
    Ok((
        ImportInfo {
            id: r.get(0)?,
            file_name: r.get(1)?,
            preset: r.get(2)?,
            kind: r.get(3)?,
            encoding: r.get(4)?,
            delimiter: r.get(5)?,
            imported_at: r.get(6)?,
            rows_read: r.get(7)?,
            inserted: r.get(8)?,
            updated: r.get(9)?,
            rejected: r.get(10)?,
            warnings: Vec::new(),
            undone_at: r.get(12)?,
        },
        r.get(11)?,
    ))
}

pub(crate) fn with_warnings((mut info, warnings): (ImportInfo, String)) -> Result<ImportInfo> {
    info.warnings = serde_json::from_str(&warnings)
        .map_err(|e| BatonError::internal(format!("stored import warnings are not JSON: {e}")))?;
    Ok(info)
}

/// The list of imports, each one's profile and rejected rows.
pub trait ImportHistory {
    /// Every import, newest first, including undone ones.
    fn imports(&self) -> Result<Vec<ImportInfo>>;

    fn import(&self, id: i64) -> Result<ImportInfo>;

    /// The JSON of the profile an import used.
    fn import_profile(&self, id: i64) -> Result<String>;

    /// Rows import `id` kept aside, in file order.
    fn import_rejects(&self, id: i64) -> Result<Vec<RejectedRow>>;
}

impl ImportHistory for Workspace {
    fn imports(&self) -> Result<Vec<ImportInfo>> {
        self.query_list(
            "reading import history",
            &format!("SELECT {IMPORT_COLUMNS} FROM imports ORDER BY id DESC"),
            [],
            import_info,
        )?
        .into_iter()
        .map(with_warnings)
        .collect()
    }

    fn import(&self, id: i64) -> Result<ImportInfo> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = ?1"),
                [id],
                import_info,
            )
            .optional()
            .ctx("reading an import")?
            .ok_or_else(|| BatonError::not_found(format!("there is no import {id}")))?;
        with_warnings(row)
    }

    fn import_profile(&self, id: i64) -> Result<String> {
        self.conn
            .query_row("SELECT profile FROM imports WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .ctx("reading an import's profile")?
            .ok_or_else(|| BatonError::not_found(format!("there is no import {id}")))
    }

    fn import_rejects(&self, id: i64) -> Result<Vec<RejectedRow>> {
        self.import(id)?;
        let mut out = Vec::new();
        for (row_number, column, value, reason, raw) in self.query_list("reading rejected rows", "SELECT row_number, column_name, value, reason, raw FROM import_rejects WHERE import_id = ?1 ORDER BY row_number", [id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })? {
            let raw = serde_json::from_str(&raw).map_err(|e| {
                BatonError::internal(format!("stored rejected row is not JSON: {e}"))
            })?;
            out.push(RejectedRow {
                row_number,
                column,
                value,
                reason,
                raw,
            });
        }
        Ok(out)
    }
}

/// Undoing a live import.
pub trait ImportUndo {
    /// Undo a live import: records it inserted are deleted, records it updated get their
    /// previous values back, its snapshots go. Refused (Conflict) while a later live import
    /// changed the same records: undo that one first.
    fn undo_import(&self, id: i64, now: i64) -> Result<UndoSummary>;
}

impl ImportUndo for Workspace {
    fn undo_import(&self, id: i64, now: i64) -> Result<UndoSummary> {
        self.write_tx("undoing the import", |ws| {
        let tx = &ws.conn;
        let info = ws.import(id)?;
        if info.undone_at.is_some() {
            return Err(BatonError::conflict(format!(
                "import {id} was already undone"
            )));
        }
        let later: Option<i64> = tx
            .query_row(
                "SELECT max(r.last_import_id) FROM import_snapshots s JOIN records r ON r.id = s.record_id
                 WHERE s.import_id = ?1 AND r.last_import_id <> ?1",
                [id],
                |r| r.get(0),
            )
            .ctx("checking later imports")?;
        if let Some(later) = later {
            return Err(BatonError::conflict(format!(
                "import {later} changed records that import {id} also wrote; undo import {later} first"
            )));
        }
        let mut restored = 0i64;
        {
            let mut read = tx
                .prepare("SELECT record_id, before FROM import_undo WHERE import_id = ?1")
                .ctx("reading undo images")?;
            let mut update = tx.prepare(UPDATE_RECORD_SQL).ctx("preparing restore")?;
            let images = read
                .query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .ctx("reading undo images")?;
            for image in images {
                let (record_id, before) = image.ctx("reading undo images")?;
                let before: RecordColumns = serde_json::from_str(&before).map_err(|e| {
                    BatonError::internal(format!("stored undo image is not valid: {e}"))
                })?;
                before
                    .write(&mut update, record_id)
                    .ctx("restoring a record")?;
                restored += 1;
            }
        }
        let deleted = tx
            .execute(
                "DELETE FROM records WHERE first_import_id = ?1 AND last_import_id = ?1",
                [id],
            )
            .ctx("deleting inserted records")? as i64;
        tx.execute("DELETE FROM import_snapshots WHERE import_id = ?1", [id])
            .ctx("deleting snapshots")?;
        tx.execute("DELETE FROM import_undo WHERE import_id = ?1", [id])
            .ctx("deleting undo images")?;
        Workspace::delete_unmapped_stages(tx, id)?;
        tx.execute(
            "UPDATE imports SET undone_at = ?2 WHERE id = ?1",
            params![id, now],
        )
        .ctx("marking the import undone")?;
        Workspace::bump_data_version(tx)?;
        Ok(UndoSummary {
            import_id: id,
            deleted,
            restored,
        })
        })
    }
}

/// The funnel's stages and the CRM value → stage map. Each is versioned as a whole
/// ([`Config::Stages`], [`Config::StageMap`]): every change that changes something bumps
/// its version; the `_from` changes state the version their screen showed (`seen`) and are
/// refused with `conflict`, naming what changed, when another was saved since.
pub trait StageConfig {
    /// The workspace's funnel, in order.
    fn stages(&self) -> Result<Vec<Stage>>;

    /// Add a stage after `after` (or at the end); later stages move down one place.
    fn add_stage(&self, id: &str, name: &str, after: Option<&str>) -> Result<()> {
        self.add_stage_from(id, name, after, None)
    }

    fn add_stage_from(
        &self,
        id: &str,
        name: &str,
        after: Option<&str>,
        seen: Option<i64>,
    ) -> Result<()>;

    fn rename_stage(&self, id: &str, name: &str) -> Result<()> {
        self.rename_stage_from(id, name, None)
    }

    fn rename_stage_from(&self, id: &str, name: &str, seen: Option<i64>) -> Result<()>;

    /// The workspace's CRM value → stage id (or `lost`) map, by value.
    fn stage_value_map(&self) -> Result<Vec<(String, String)>>;

    /// Map a CRM value (case-insensitive) to a stage id or `lost`.
    fn set_stage_value(&self, crm_value: &str, stage_id: &str) -> Result<()> {
        self.set_stage_value_from(crm_value, stage_id, None)
    }

    fn set_stage_value_from(
        &self,
        crm_value: &str,
        stage_id: &str,
        seen: Option<i64>,
    ) -> Result<()>;

    fn remove_stage_value(&self, crm_value: &str) -> Result<()> {
        self.remove_stage_value_from(crm_value, None)
    }

    fn remove_stage_value_from(&self, crm_value: &str, seen: Option<i64>) -> Result<()>;
}

/// How adding, renaming and mapping describe themselves in a stale edit's message.
pub(crate) fn stage_added(name: &str) -> String {
    format!("stage \"{name}\" added")
}

pub(crate) fn stage_renamed(old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    format!("stage \"{old}\" renamed to \"{new}\"")
}

/// `old`: the stage the value counted as before (None: not mapped); names from `stages`.
pub(crate) fn value_mapped(value: &str, old: Option<&str>, new: &str, stages: &[Stage]) -> String {
    if old == Some(new) {
        return String::new();
    }
    let name = if new == LOST {
        "Closed lost"
    } else {
        stages
            .iter()
            .find(|s| s.id == new)
            .map_or(new, |s| s.name.as_str())
    };
    format!("\"{value}\" now counts as {name}")
}

pub(crate) fn value_unmapped(value: &str, removed: bool) -> String {
    if removed {
        format!("\"{value}\" no longer mapped")
    } else {
        String::new()
    }
}

/// A new stage's id: lowercase letters, digits and `_`, starting with a letter, not `lost`.
pub(crate) fn check_new_stage_id(id: &str) -> Result<()> {
    if !is_valid_stage_id(id) || id == LOST {
        return Err(BatonError::invalid(format!(
            "stage id {id:?} is not valid: use lowercase letters, digits and _, starting with a letter (and not \"lost\")"
        )));
    }
    Ok(())
}

/// A CRM value maps to a stage of the workspace or to `lost`.
pub(crate) fn check_map_target(stage_id: &str, stages: &[Stage]) -> Result<()> {
    if stage_id == LOST || stages.iter().any(|s| s.id == stage_id) {
        return Ok(());
    }
    Err(BatonError::invalid(format!(
        "{stage_id:?} is not a stage of this workspace (nor \"lost\")"
    )))
}

impl StageConfig for Workspace {
    fn stages(&self) -> Result<Vec<Stage>> {
        self.query_list(
            "reading stages",
            "SELECT id, name, position FROM stages ORDER BY position, id",
            [],
            |r| {
                Ok(Stage {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    position: r.get(2)?,
                })
            },
        )
    }

    fn add_stage_from(
        &self,
        id: &str,
        name: &str,
        after: Option<&str>,
        seen: Option<i64>,
    ) -> Result<()> {
        check_new_stage_id(id)?;
        self.write_tx("changing the stages", |ws| {
            let version = ws.check_config_version(Config::Stages, seen)?;
            let tx = &ws.conn;
            let position: i64 = match after {
                Some(prev) => {
                    let p: i64 = tx
                        .query_row("SELECT position FROM stages WHERE id = ?1", [prev], |r| {
                            r.get(0)
                        })
                        .optional()
                        .ctx("reading stages")?
                        .ok_or_else(|| {
                            BatonError::not_found(format!("there is no stage {prev:?}"))
                        })?;
                    p + 1
                }
                None => tx
                    .query_row(
                        "SELECT coalesce(max(position) + 1, 0) FROM stages",
                        [],
                        |r| r.get(0),
                    )
                    .ctx("reading stages")?,
            };
            // Two steps so the UNIQUE(position) constraint holds after each statement.
            tx.execute(
                "UPDATE stages SET position = -position - 1 WHERE position >= ?1",
                [position],
            )
            .ctx("moving stages")?;
            tx.execute(
                "UPDATE stages SET position = -position WHERE position < 0",
                [],
            )
            .ctx("moving stages")?;
            tx.execute(
                "INSERT INTO stages(id, name, position) VALUES (?1, ?2, ?3)",
                params![id, name, position],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    BatonError::conflict(format!("a stage with id {id:?} already exists"))
                }
                e => crate::db_err("adding a stage", e),
            })?;
            ws.bump_config_version(Config::Stages, version, &stage_added(name))?;
            Workspace::bump_data_version(tx)
        })
    }

    fn rename_stage_from(&self, id: &str, name: &str, seen: Option<i64>) -> Result<()> {
        self.write_tx("changing the stages", |ws| {
            let version = ws.check_config_version(Config::Stages, seen)?;
            let tx = &ws.conn;
            let old: String = tx
                .query_row("SELECT name FROM stages WHERE id = ?1", [id], |r| r.get(0))
                .optional()
                .ctx("reading stages")?
                .ok_or_else(|| BatonError::not_found(format!("there is no stage {id:?}")))?;
            tx.execute("UPDATE stages SET name = ?2 WHERE id = ?1", [id, name])
                .ctx("renaming a stage")?;
            ws.bump_config_version(Config::Stages, version, &stage_renamed(&old, name))?;
            Workspace::bump_data_version(tx)
        })
    }

    fn stage_value_map(&self) -> Result<Vec<(String, String)>> {
        self.query_list(
            "reading the stage value map",
            "SELECT crm_value, stage_id FROM stage_value_map ORDER BY crm_value",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    fn set_stage_value_from(
        &self,
        crm_value: &str,
        stage_id: &str,
        seen: Option<i64>,
    ) -> Result<()> {
        self.write_tx("changing the stage value map", |ws| {
            let version = ws.check_config_version(Config::StageMap, seen)?;
            let stages = ws.stages()?;
            check_map_target(stage_id, &stages)?;
            let tx = &ws.conn;
            let old: Option<String> = tx
                .query_row(
                    "SELECT stage_id FROM stage_value_map WHERE crm_value = ?1",
                    [crm_value.trim()],
                    |r| r.get(0),
                )
                .optional()
                .ctx("reading the stage value map")?;
            tx.execute(
                "INSERT INTO stage_value_map(crm_value, stage_id) VALUES (?1, ?2)
             ON CONFLICT(crm_value) DO UPDATE SET stage_id = excluded.stage_id",
                [crm_value.trim(), stage_id],
            )
            .ctx("writing the stage value map")?;
            let change = value_mapped(crm_value.trim(), old.as_deref(), stage_id, &stages);
            ws.bump_config_version(Config::StageMap, version, &change)?;
            Workspace::bump_data_version(tx)
        })
    }

    fn remove_stage_value_from(&self, crm_value: &str, seen: Option<i64>) -> Result<()> {
        self.write_tx("changing the stage value map", |ws| {
            let version = ws.check_config_version(Config::StageMap, seen)?;
            let tx = &ws.conn;
            let n = tx
                .execute(
                    "DELETE FROM stage_value_map WHERE crm_value = ?1",
                    [crm_value.trim()],
                )
                .ctx("writing the stage value map")?;
            let change = value_unmapped(crm_value.trim(), n > 0);
            ws.bump_config_version(Config::StageMap, version, &change)?;
            Workspace::bump_data_version(tx)
        })
    }
}
