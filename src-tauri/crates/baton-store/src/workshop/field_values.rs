//! Values found in the imported records' fields, for the persona criteria picker.

use crate::Workspace;
use baton_core::fields;
use baton_core::persona::ValueCount;
use baton_core::{BatonError, Result};
use rusqlite::params;

/// Whether `field` is a built-in text column (its name may go into SQL), `false` for a
/// custom field; a built-in field without a value list is refused.
pub(crate) fn is_text_column(field: &str) -> Result<bool> {
    if fields::text_columns().any(|f| f == field) {
        return Ok(true);
    }
    if fields::is_imported(field) {
        return Err(BatonError::invalid(format!(
            "\"{field}\" has no value list; expected one of {} or a custom field",
            fields::text_columns().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(false)
}

/// Values found in the records' fields (the criteria picker).
pub trait FieldValues {
    /// The most common values of a text record field (for the criteria picker), most frequent first.
    fn field_values(&self, field: &str, limit: u32) -> Result<Vec<ValueCount>>;

    /// Names of the custom fields the imported records carry (persona criteria can test them).
    fn custom_field_names(&self) -> Result<Vec<String>>;
}

impl FieldValues for Workspace {
    fn field_values(&self, field: &str, limit: u32) -> Result<Vec<ValueCount>> {
        // Only a built-in text column (a name from the constant list) reaches the SQL below.
        if !is_text_column(field)? {
            return self.custom_field_values(field, limit);
        }
        self.value_counts(
            &format!(
                "SELECT {field}, count(*) FROM records WHERE {field} IS NOT NULL AND {field} != ''
                 GROUP BY {field} COLLATE NOCASE ORDER BY count(*) DESC, {field} LIMIT ?1"
            ),
            params![limit],
        )
    }

    fn custom_field_names(&self) -> Result<Vec<String>> {
        self.query_list(
            "reading custom fields",
            "SELECT DISTINCT j.key FROM records r, json_each(r.custom) j
                 WHERE j.key != 'expected_close' ORDER BY j.key COLLATE NOCASE, j.key LIMIT 200",
            [],
            |r| r.get(0),
        )
    }
}

impl Workspace {
    /// Rows of (value, count) from `sql`, read as value counts.
    fn value_counts(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<ValueCount>> {
        self.query_list("reading field values", sql, args, |r| {
            Ok(ValueCount {
                value: r.get(0)?,
                count: r.get::<_, i64>(1)? as u64,
            })
        })
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
}
