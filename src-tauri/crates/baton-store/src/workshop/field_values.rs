//! Values found in the imported records' fields, for the persona criteria picker.

use crate::{DbContext, Workspace};
use baton_core::persona::{ValueCount, RECORD_FIELDS};
use baton_core::{BatonError, Result};
use rusqlite::params;

impl Workspace {
    /// The most common values of a text record field (for the criteria picker), most frequent first.
    pub fn field_values(&self, field: &str, limit: u32) -> Result<Vec<ValueCount>> {
        let text_fields = [
            "source",
            "campaign",
            "owner",
            "segment",
            "industry",
            "country",
            "lost_reason",
        ];
        if !text_fields.contains(&field) {
            if RECORD_FIELDS.contains(&field) {
                return Err(BatonError::invalid(format!(
                    "\"{field}\" has no value list; expected one of {} or a custom field",
                    text_fields.join(", ")
                )));
            }
            return self.custom_field_values(field, limit);
        }
        debug_assert!(RECORD_FIELDS.contains(&field));
        self.value_counts(
            &format!(
                "SELECT {field}, count(*) FROM records WHERE {field} IS NOT NULL AND {field} != ''
                 GROUP BY {field} COLLATE NOCASE ORDER BY count(*) DESC, {field} LIMIT ?1"
            ),
            params![limit],
        )
    }

    /// Rows of (value, count) from `sql`, read as value counts.
    fn value_counts(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<ValueCount>> {
        let mut stmt = self.conn.prepare(sql).ctx("reading field values")?;
        let rows = stmt
            .query_map(args, |r| {
                Ok(ValueCount {
                    value: r.get(0)?,
                    count: r.get::<_, i64>(1)? as u64,
                })
            })
            .ctx("reading field values")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading field values")
    }

    /// The most common values of a custom field, most frequent first.
    fn custom_field_values(&self, field: &str, limit: u32) -> Result<Vec<ValueCount>> {
        self.value_counts(
            "SELECT CAST(j.value AS TEXT) AS v, count(*) FROM records r, json_each(r.custom) j
             WHERE j.key = ?1 AND j.value IS NOT NULL AND CAST(j.value AS TEXT) != ''
             GROUP BY v COLLATE NOCASE ORDER BY count(*) DESC, v LIMIT ?2",
            params![field, limit],
        )
    }

    /// Names of the custom fields the imported records carry (persona criteria can test them).
    pub fn custom_field_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT j.key FROM records r, json_each(r.custom) j
                 WHERE j.key != 'expected_close' ORDER BY j.key COLLATE NOCASE LIMIT 200",
            )
            .ctx("reading custom fields")?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .ctx("reading custom fields")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading custom fields")
    }
}
