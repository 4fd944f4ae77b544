//! [`OverviewStore`] and [`FieldValues`] on PostgreSQL. A team workspace's "path" is its
//! connection string without the password and its name is the database's.
use super::config_version::{bump_config_version, check_config_version};
use super::state::set_setting_in;
use super::state::setting_in;
use super::PgWorkspace;
use crate::config_version::{company_change, Config};
use crate::overview::{company_of, company_setting, kind_overview, overview_of};
use crate::prelude::{FieldValues, OverviewStore, StageConfig, WorkspaceState};
use crate::workshop::is_text_column;
use baton_core::persona::ValueCount;
use baton_core::workspace::{
    KindCount, WorkspaceInfo, WorkspaceOverview, COMPANY_SETTING, DEMO_SETTING,
};
use baton_core::Result;
use tokio_postgres::types::ToSql;

impl PgWorkspace {
    fn count(&self, context: &str, sql: &str) -> Result<Option<i64>> {
        Ok(self
            .query_opt_row(context, sql, &[], |r| r.get::<_, Option<i64>>(0))?
            .flatten())
    }

    fn value_counts(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<ValueCount>> {
        self.query_rows("reading field values", sql, params, |r| ValueCount {
            value: r.get(0),
            count: r.get::<_, i64>(1) as u64,
        })
    }
}

impl OverviewStore for PgWorkspace {
    fn company(&self) -> Result<Option<String>> {
        Ok(company_of(self.setting(COMPANY_SETTING)?))
    }

    fn set_company_from(&self, name: Option<&str>, seen: Option<i64>) -> Result<WorkspaceInfo> {
        // A NUL is a control character: refused with the file's message.
        let json = company_setting(name)?;
        self.write_tx("changing the company name", async |tx| {
            let version = check_config_version(&**tx, Config::Company, seen).await?;
            let old = company_of(setting_in(tx, COMPANY_SETTING).await?);
            set_setting_in(tx, COMPANY_SETTING, &json).await?;
            let change = company_change(old.as_deref(), company_of(Some(json.clone())).as_deref());
            bump_config_version(&**tx, Config::Company, version, &change).await?;
            Ok(())
        })?;
        self.info()
    }

    fn info(&self) -> Result<WorkspaceInfo> {
        Ok(WorkspaceInfo {
            path: self.shown().to_string(),
            name: self
                .target()
                .config
                .get_dbname()
                .unwrap_or_default()
                .to_string(),
            company: self.company()?,
            company_version: self.config_version(Config::Company)?,
            is_demo: self.setting(DEMO_SETTING)?.as_deref() == Some("true"),
        })
    }

    fn overview(&self) -> Result<WorkspaceOverview> {
        let what = "counting for the overview";
        let records = self
            .count(what, "SELECT count(*) FROM records")?
            .unwrap_or(0);
        let imports = self
            .count(what, "SELECT count(*) FROM imports WHERE undone_at IS NULL")?
            .unwrap_or(0);
        let last_import_at = self.count(
            "reading the last import",
            "SELECT max(imported_at) FROM imports WHERE undone_at IS NULL",
        )?;
        let records_by_kind = self.query_rows(
            "counting records by kind",
            r#"SELECT kind, count(*) FROM records GROUP BY kind
               ORDER BY count(*) DESC, kind COLLATE "C""#,
            &[],
            |r| KindCount {
                kind: r.get(0),
                count: r.get(1),
            },
        )?;
        let stages = self.stages()?;
        let mut kinds = Vec::new();
        for k in &records_by_kind {
            let rows = self.query_rows(
                "counting records by stage",
                "SELECT current_stage, outcome = 'lost' OR current_stage = 'lost', count(*)
                 FROM records WHERE kind = $1 GROUP BY 1, 2",
                &[&k.kind],
                |r| {
                    (
                        r.get::<_, Option<String>>(0),
                        r.get::<_, Option<bool>>(1).unwrap_or(false),
                        r.get::<_, i64>(2),
                    )
                },
            )?;
            kinds.push(kind_overview(k, &rows, &stages));
        }
        Ok(overview_of(
            self.info()?,
            (records, imports, last_import_at),
            records_by_kind,
            kinds,
        ))
    }
}

impl FieldValues for PgWorkspace {
    fn field_values(&self, field: &str, limit: u32) -> Result<Vec<ValueCount>> {
        let limit = i64::from(limit);
        // Values that differ in ASCII case only are one value (the file's `GROUP BY …
        // COLLATE NOCASE`), shown as the spelling of the group's first record: SQLite's
        // bare column in that query (its sorter keeps the id order within a group).
        // Only a built-in text column (a name from the constant list) reaches the SQL below.
        if is_text_column(field)? {
            return self.value_counts(
                &format!(
                    r#"SELECT v, n FROM (
                         SELECT (array_agg({field} ORDER BY id))[1] AS v, count(*) AS n
                         FROM records WHERE {field} IS NOT NULL AND {field} <> ''
                         GROUP BY lower({field} COLLATE "C")) g
                       ORDER BY n DESC, v COLLATE "C" LIMIT $1"#
                ),
                &[&limit],
            );
        }
        if field.contains('\0') {
            // No custom field stored here can be named with a NUL.
            return Ok(Vec::new());
        }
        // SQLite's `CAST(json_each.value AS TEXT)`: a string's text, a number's digits,
        // true/false as 1/0, null left out.
        self.value_counts(
            r#"SELECT v, n FROM (
                 SELECT (array_agg(v ORDER BY id))[1] AS v, count(*) AS n
                 FROM (SELECT r.id,
                              CASE json_typeof(j.value)
                                WHEN 'boolean' THEN CASE WHEN j.value::text = 'true' THEN '1' ELSE '0' END
                                ELSE j.value #>> '{}' END AS v
                       FROM records r, json_each(r.custom::json) j
                       WHERE j.key = $1 AND json_typeof(j.value) <> 'null') c
                 WHERE v <> ''
                 GROUP BY lower(v COLLATE "C")) g
               ORDER BY n DESC, v COLLATE "C" LIMIT $2"#,
            &[&field, &limit],
        )
    }

    fn custom_field_names(&self) -> Result<Vec<String>> {
        self.query_rows(
            "reading custom fields",
            r#"SELECT k FROM (
                 SELECT DISTINCT j.k COLLATE "C" AS k
                 FROM records r, json_object_keys(r.custom::json) AS j(k)
                 WHERE j.k <> 'expected_close') d
               ORDER BY lower(k), k LIMIT 200"#,
            &[],
            |r| r.get(0),
        )
    }
}
