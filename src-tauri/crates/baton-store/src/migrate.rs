use crate::DbContext;
use baton_core::{BatonError, ErrorCode, Result};
use rusqlite::Connection;

/// `PRAGMA application_id` of every Baton workspace ("BATN").
pub const APPLICATION_ID: i32 = 0x4241_544E;

/// Migrations in order; migration `i` takes the schema from version `i` to `i + 1`.
/// Each area keeps its tables in its own file under `schema/`.
const MIGRATIONS: &[&[&str]] = &[
    &[
        include_str!("../schema/001_settings.sql"),
        include_str!("../schema/001_records.sql"),
        include_str!("../schema/001_metrics.sql"),
        include_str!("../schema/001_workshop.sql"),
    ],
    &[
        include_str!("../schema/002_diagnostic_privacy.sql"),
        include_str!("../schema/002_change_log.sql"),
    ],
    &[
        include_str!("../schema/003_room.sql"),
        include_str!("../schema/003_dataset.sql"),
    ],
    &[include_str!("../schema/004_row_versions.sql")],
    &[include_str!("../schema/005_config_versions.sql")],
    &[include_str!("../schema/006_team_import.sql")],
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Bring the schema up to [`SCHEMA_VERSION`] in one transaction: a crash leaves
/// the file at its old version, never half-migrated. A newer file is refused.
pub(crate) fn migrate(conn: &mut Connection, path_for_messages: &str) -> Result<()> {
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .ctx(path_for_messages)?;
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .ctx(path_for_messages)?;
    if app_id != APPLICATION_ID {
        let has_tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .ctx(path_for_messages)?;
        if app_id != 0 || has_tables > 0 {
            return Err(BatonError::new(
                ErrorCode::NotAWorkspace,
                format!("{path_for_messages} is an SQLite database but not a Baton workspace"),
            ));
        }
    }
    if version > SCHEMA_VERSION {
        return Err(BatonError::new(
            ErrorCode::WorkspaceTooNew,
            format!(
                "{path_for_messages} was written by a newer Baton (schema version {version}; this Baton knows up to {SCHEMA_VERSION}). Update Baton to open it; the file was left untouched."
            ),
        ));
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction().ctx("starting migration")?;
    for (i, steps) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        for sql in *steps {
            tx.execute_batch(sql)
                .ctx(&format!("migrating schema to version {}", i + 1))?;
        }
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
    ))
    .ctx("recording schema version")?;
    tx.commit().ctx("committing migration")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use crate::{StoredRecord, Workspace};

    /// A file written by a Baton of schema version 2 (before imports kept their data
    /// version), with one import and its record.
    fn version_2_file(path: &std::path::Path) {
        let conn = Connection::open(path).unwrap();
        for sql in MIGRATIONS[..2].iter().flat_map(|group| group.iter()) {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 2;
             INSERT INTO imports(id, file_name, preset, kind, encoding, delimiter, imported_at)
                 VALUES (1, 'old.csv', 'hubspot', 'contact', 'utf-8', ',', 100);
             INSERT INTO records(id, kind, external_id, current_stage, first_import_id, last_import_id)
                 VALUES (1, 'contact', 'C1', 'lead', 1, 1);
             INSERT INTO import_snapshots VALUES (1, 1, 'lead');
             UPDATE settings SET value = '1' WHERE key = 'data_version';"
        ))
        .unwrap();
    }

    #[test]
    fn a_version_2_file_upgrades_and_extends_from_its_next_import() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.baton");
        version_2_file(&path);
        let ws = Workspace::open(&path).unwrap();
        let version: i32 = ws
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let old: Option<i64> = ws
            .conn
            .query_row("SELECT data_version FROM imports WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(old, None, "an older import has no data version");
        assert_eq!(ws.imports_since(0).unwrap(), None, "version 1 is not known");
        assert_eq!(ws.imports_since(1).unwrap(), Some(vec![]));
        let rec = StoredRecord {
            kind: "contact".into(),
            external_id: "C2".into(),
            ..StoredRecord::default()
        };
        let id = ws.insert_records_unchecked("new.csv", 200, &[rec]).unwrap();
        assert_eq!(ws.imports_since(1).unwrap(), Some(vec![id]));
        let mut ids = Vec::new();
        ws.scan_records(&mut |r| ids.push(r.external_id)).unwrap();
        assert_eq!(ids, ["C1", "C2"]);
    }
}
