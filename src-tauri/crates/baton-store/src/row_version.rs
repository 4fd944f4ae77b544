//! Row versions: every row a person edits carries `row_version`, bumped by each change
//! that changes something. An edit or delete that states the version it was based on
//! (the one its screen showed) is refused with `conflict` when the row moved on since,
//! naming the thing and what the other person changed (kept per version in
//! `row_edits`), so two people editing one thing never silently overwrite each other.
//! An edit stating no version (the CLI without `--if-version`) changes the row as before.
//!
//! The rule and its message live here once; each backend has one helper that reads
//! `row_edits` and writes the bump (the file's below, PostgreSQL's in `pg/row_version.rs`).

use crate::{DbContext, Workspace};
use baton_core::{BatonError, Result};
use rusqlite::params;

/// The row being changed: its table (a constant, never user input), id, what a person
/// calls it (`Persona "Ops Olivia"`), and the version the caller based the change on.
#[derive(Debug, Clone)]
pub(crate) struct RowEdit<'a> {
    pub table: &'static str,
    pub id: i64,
    pub thing: &'a str,
    pub seen: Option<i64>,
}

/// Whether the caller edits or deletes the row (for the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Edit,
    Delete,
}

/// Is the caller's version stale? `current` is the row's version now.
pub(crate) fn is_stale(seen: Option<i64>, current: i64) -> bool {
    seen.is_some_and(|seen| seen != current)
}

/// The labels of the fields whose flag is set, in order: what a change changed.
pub(crate) fn changed_fields(fields: &[(&'static str, bool)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|(_, changed)| *changed)
        .map(|(label, _)| *label)
        .collect()
}

/// The refusal of a stale change, in a person's words: which thing, what changed
/// (`fields`: every field a version after the caller's changed, each once, in order).
pub(crate) fn stale_change(thing: &str, fields: &[String], change: Change) -> BatonError {
    let what = match fields {
        [] => String::new(),
        [one] => format!(" (its {one})"),
        [rest @ .., last] => format!(" (its {} and {last})", rest.join(", ")),
    };
    let outcome = match change {
        Change::Edit => "your edit was not saved",
        Change::Delete => "it was not deleted",
    };
    BatonError::conflict(format!(
        "{thing} was changed by someone else since you opened it{what}; {outcome}: the screen now shows their version"
    ))
}

/// The fields the versions after `seen` changed, each once, in the order first changed,
/// from the `fields` column of their `row_edits` rows (comma-separated labels).
pub(crate) fn fields_since(rows: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in rows {
        for f in row.split(',').filter(|f| !f.is_empty()) {
            if !out.iter().any(|o| o == f) {
                out.push(f.to_string());
            }
        }
    }
    out
}

impl Workspace {
    /// Refuse `change` of `edit`'s row when the caller's version is not `current` (call
    /// inside the write transaction that then writes, after reading the row).
    pub(crate) fn check_row_version(
        &self,
        edit: &RowEdit<'_>,
        current: i64,
        change: Change,
    ) -> Result<()> {
        let Some(seen) = edit.seen.filter(|&seen| is_stale(Some(seen), current)) else {
            return Ok(());
        };
        let rows = self.query_list(
            "reading what changed",
            "SELECT fields FROM row_edits WHERE tbl = ?1 AND row_id = ?2 AND version > ?3
             ORDER BY version",
            params![edit.table, edit.id, seen],
            |r| r.get::<_, String>(0),
        )?;
        Err(stale_change(edit.thing, &fields_since(rows), change))
    }

    /// Record that `fields` of `edit`'s row changed: its version goes from `current` to
    /// the next, and the next's fields are kept for the message. Nothing when no field
    /// changed. The new version.
    pub(crate) fn bump_row_version(
        &self,
        edit: &RowEdit<'_>,
        current: i64,
        fields: &[&str],
    ) -> Result<i64> {
        if fields.is_empty() {
            return Ok(current);
        }
        let next = current + 1;
        self.conn
            .execute(
                &format!("UPDATE {} SET row_version = ?2 WHERE id = ?1", edit.table),
                params![edit.id, next],
            )
            .ctx("bumping the row version")?;
        self.conn
            .execute(
                "INSERT INTO row_edits(tbl, row_id, version, fields) VALUES (?1, ?2, ?3, ?4)",
                params![edit.table, edit.id, next, fields.join(",")],
            )
            .ctx("recording what changed")?;
        Ok(next)
    }

    /// Delete `edit`'s row, refused when the caller's version is not `current`, and
    /// forget what changed in it. The number of rows deleted. `what` names the step in
    /// an error.
    pub(crate) fn delete_versioned_row(
        &self,
        edit: &RowEdit<'_>,
        current: i64,
        what: &str,
    ) -> Result<usize> {
        self.check_row_version(edit, current, Change::Delete)?;
        let n = self
            .conn
            .execute(
                &format!("DELETE FROM {} WHERE id = ?1", edit.table),
                [edit.id],
            )
            .ctx(what)?;
        self.forget_row_edits(edit.table, edit.id)?;
        Ok(n)
    }

    /// Forget what changed in a deleted row.
    pub(crate) fn forget_row_edits(&self, table: &'static str, id: i64) -> Result<()> {
        self.conn
            .execute(
                "DELETE FROM row_edits WHERE tbl = ?1 AND row_id = ?2",
                params![table, id],
            )
            .ctx("forgetting what changed")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_thing_and_what_changed() {
        let e = stale_change(
            "Persona \"Ops Olivia\"",
            &["name".into(), "criteria".into()],
            Change::Edit,
        );
        assert_eq!(e.code, baton_core::ErrorCode::Conflict);
        assert_eq!(
            e.message,
            "Persona \"Ops Olivia\" was changed by someone else since you opened it (its name and criteria); your edit was not saved: the screen now shows their version"
        );
        let e = stale_change(
            "Persona \"X\"",
            &["role".into(), "industry".into(), "canvas".into()],
            Change::Delete,
        );
        assert!(e
            .message
            .contains("(its role, industry and canvas); it was not deleted"));
    }

    #[test]
    fn fields_since_lists_each_field_once_in_order() {
        let rows = ["name,criteria".to_string(), "criteria,role".into()];
        assert_eq!(fields_since(rows), ["name", "criteria", "role"]);
        assert!(!is_stale(None, 4));
        assert!(!is_stale(Some(4), 4));
        assert!(is_stale(Some(3), 4));
    }
}
