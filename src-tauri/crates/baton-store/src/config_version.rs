//! Row versions on what is edited as a whole and has no row of its own: the funnel's
//! stages and the CRM value → stage map (each edited as a list on the Vocabulary screen),
//! the business hours and the company name (settings). The same rule as
//! [`crate::row_version`]: every change that changes something bumps the version; a
//! change stating the version its screen showed is refused with `conflict` when another
//! was saved since, naming what the others changed (one description per version in
//! `row_edits`, tbl = [`Config::key`], row_id 0, e.g. `stage "Demo" added`).
//!
//! The current version sits in `config_versions` (schema version 5), made by the first
//! change (no row: version 1). The rule and its message live here once; each backend
//! has one helper that reads and bumps inside the write transaction that checks and
//! writes (the file's below, PostgreSQL's in `pg/config_version.rs`).

use crate::{DbContext, Workspace};
use baton_core::sla::BusinessHours;
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// Something edited as a whole that carries a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Config {
    /// The funnel's stages (names, order, new ones).
    Stages,
    /// The CRM value → stage map.
    StageMap,
    /// The working week for business-hours SLA clauses.
    BusinessHours,
    /// The company name shown on Overview and the report cover.
    Company,
}

impl Config {
    /// Its row in `config_versions` and its `tbl` in `row_edits` (a constant).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Config::Stages => "stages",
            Config::StageMap => "stage_value_map",
            Config::BusinessHours => "business_hours",
            Config::Company => "company",
        }
    }

    /// What a person calls it, with its verb and pronoun: ("The stages", "were", "them").
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Config::Stages => ("The stages", "were", "them"),
            Config::StageMap => ("The CRM values → stages map", "was", "it"),
            Config::BusinessHours => ("The business hours", "were", "them"),
            Config::Company => ("The company name", "was", "it"),
        }
    }
}

/// The refusal of a stale change of `config`, naming what changed since (`changes`: one
/// description per version after the caller's, each once, in order).
pub(crate) fn stale_config(config: Config, changes: &[String]) -> BatonError {
    let (thing, was, it) = config.words();
    let what = if changes.is_empty() {
        String::new()
    } else {
        format!(" ({})", changes.join(", "))
    };
    BatonError::conflict(format!(
        "{thing} {was} changed by someone else since you opened {it}{what}; your edit was not saved: the screen now shows their version"
    ))
}

/// The descriptions of the versions after the caller's, each once, in order.
pub(crate) fn changes_since(rows: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in rows {
        if !row.is_empty() && !out.contains(&row) {
            out.push(row);
        }
    }
    out
}

/// What changed between two working weeks, in a person's words (empty: nothing).
pub(crate) fn hours_change(old: &BusinessHours, new: &BusinessHours) -> String {
    let parts: Vec<&str> = [
        ("working days", old.days != new.days),
        ("start time", old.start_minute != new.start_minute),
        ("end time", old.end_minute != new.end_minute),
    ]
    .iter()
    .filter(|(_, changed)| *changed)
    .map(|(label, _)| *label)
    .collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => format!("their {one}"),
        [rest @ .., last] => format!("their {} and {last}", rest.join(", ")),
    }
}

/// What a change of the company name did (empty: nothing).
pub(crate) fn company_change(old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (o, n) if o == n => String::new(),
        (_, Some(n)) => format!("now \"{n}\""),
        (_, None) => "cleared".into(),
    }
}

impl Workspace {
    /// `config`'s version now (1 when never changed).
    pub(crate) fn config_version_now(&self, config: Config) -> Result<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT row_version FROM config_versions WHERE what = ?1",
                [config.key()],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .ctx("reading the version")?
            .unwrap_or(1))
    }

    /// Refuse a change of `config` when the caller's version (`seen`) is not the current
    /// one (call first inside the write transaction). The current version.
    pub(crate) fn check_config_version(&self, config: Config, seen: Option<i64>) -> Result<i64> {
        let current = self.config_version_now(config)?;
        let Some(seen) = seen.filter(|&s| s != current) else {
            return Ok(current);
        };
        let rows = self.query_list(
            "reading what changed",
            "SELECT fields FROM row_edits WHERE tbl = ?1 AND row_id = 0 AND version > ?2
             ORDER BY version",
            params![config.key(), seen],
            |r| r.get::<_, String>(0),
        )?;
        Err(stale_config(config, &changes_since(rows)))
    }

    /// Record that `config` changed (`change` says how): its version goes from `current`
    /// to the next. Nothing when `change` is empty (nothing changed). The new version.
    pub(crate) fn bump_config_version(
        &self,
        config: Config,
        current: i64,
        change: &str,
    ) -> Result<i64> {
        if change.is_empty() {
            return Ok(current);
        }
        let next = current + 1;
        self.conn
            .execute(
                "INSERT INTO config_versions(what, row_version) VALUES (?1, ?2)
                 ON CONFLICT(what) DO UPDATE SET row_version = excluded.row_version",
                params![config.key(), next],
            )
            .ctx("bumping the version")?;
        self.conn
            .execute(
                "INSERT INTO row_edits(tbl, row_id, version, fields) VALUES (?1, 0, ?2, ?3)",
                params![config.key(), next, change],
            )
            .ctx("recording what changed")?;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_thing_and_each_change() {
        let e = stale_config(
            Config::Stages,
            &[
                "stage \"SQL\" renamed to \"Sales Qualified\"".into(),
                "stage \"Demo\" added".into(),
            ],
        );
        assert_eq!(e.code, baton_core::ErrorCode::Conflict);
        assert_eq!(
            e.message,
            "The stages were changed by someone else since you opened them (stage \"SQL\" renamed to \"Sales Qualified\", stage \"Demo\" added); your edit was not saved: the screen now shows their version"
        );
        let e = stale_config(Config::Company, &["now \"Acme\"".into()]);
        assert!(e.message.starts_with(
            "The company name was changed by someone else since you opened it (now \"Acme\")"
        ));
    }

    #[test]
    fn changes_are_listed_once_and_described_in_words() {
        let rows = ["a".to_string(), "b".into(), "a".into()];
        assert_eq!(changes_since(rows), ["a", "b"]);
        let old = BusinessHours::default();
        let mut new = old.clone();
        assert_eq!(hours_change(&old, &new), "");
        new.days = vec![1, 2, 3, 4];
        new.end_minute = 16 * 60;
        assert_eq!(hours_change(&old, &new), "their working days and end time");
        assert_eq!(company_change(Some("A"), Some("A")), "");
        assert_eq!(company_change(None, Some("Acme")), "now \"Acme\"");
        assert_eq!(company_change(Some("Acme"), None), "cleared");
    }
}
