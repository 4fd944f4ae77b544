//! The spellings stored for each text field (`known_values`), kept beside the records so
//! that an import into a big workspace does not read every record to fold case variants
//! (issue 11: 10,000 records into 1,000,000 took 1.8 s of scans before the first row).
//!
//! The table is a cache of `SELECT col FROM records WHERE col IS NOT NULL GROUP BY col
//! ORDER BY min(id) LIMIT 100000` for each text column, with each value's smallest record
//! id. It is trusted only when its stamp (`known_values_stamp`) equals the workspace's
//! data version: an import that keeps it exact stamps it in its own transaction, right
//! after bumping the data version; any other write (an undo, a stage change, a direct
//! records insert) bumps the data version and so makes it stale, and the next import
//! rebuilds it with one pass over the records.

use crate::records::TextField;
use crate::{DbContext, Workspace};
use baton_core::Result;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// At most this many spellings per field, oldest first (as the scan it replaces).
pub(crate) const LIMIT: usize = 100_000;

/// The stamp lives in a table of its own beside the cache, not in `settings`: a copy of
/// the workspace (`baton workspace copy`, which carries the schema's tables and settings
/// only) then arrives without either, and rebuilds both, instead of trusting a stamp
/// whose cache stayed behind.
const CREATE: &str = "CREATE TABLE IF NOT EXISTS known_values (
    field    TEXT NOT NULL,
    value    TEXT NOT NULL,
    first_id INTEGER NOT NULL,
    PRIMARY KEY (field, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS known_values_stamp (version INTEGER NOT NULL)";

/// Is the cache current (stamped at the workspace's data version)?
pub(crate) const IS_CURRENT_SQL: &str =
    "SELECT EXISTS (SELECT 1 FROM known_values_stamp k, settings d
     WHERE d.key = 'data_version' AND k.version = CAST(d.value AS INTEGER))";

pub(crate) const READ_SQL: &str =
    "SELECT field, value, first_id FROM known_values ORDER BY field, first_id";

const WHAT: &str = "reading known values";

/// One field's spellings, oldest first, with their smallest record id.
#[derive(Default, Clone)]
struct Spellings {
    list: Vec<(String, i64)>,
    /// Position in `list` by value, once there are too many values to compare each.
    index: HashMap<String, usize>,
}

/// Up to this many values a lookup compares them in turn (no hashing: this runs for
/// every text value of every inserted row).
const SHORT: usize = 16;

impl Spellings {
    fn position(&self, v: &str) -> Option<usize> {
        if self.list.len() <= SHORT {
            return self.list.iter().position(|(k, _)| k == v);
        }
        self.index.get(v).copied()
    }

    fn push(&mut self, v: &str, id: i64) {
        self.list.push((v.to_string(), id));
        if self.list.len() > SHORT {
            if self.index.is_empty() {
                for (i, (k, _)) in self.list.iter().enumerate() {
                    self.index.insert(k.clone(), i);
                }
            } else {
                self.index.insert(v.to_string(), self.list.len() - 1);
            }
        }
    }

    fn full(&self) -> bool {
        self.list.len() >= LIMIT
    }
}

/// The spellings rows handed to the writer hold so far, kept where rows are read: the
/// writer only checks the values this flags (it runs for every text value of every row,
/// and the writer is the import's bottleneck). A value it does not flag is one the writer
/// was given before, or a stored one.
#[derive(Default, Clone)]
pub struct SpellingFilter {
    fields: [Spellings; 7],
}

impl SpellingFilter {
    /// Bit `i` set when `values[i]` is not empty and was not held (it is held now).
    pub(crate) fn unseen(&mut self, values: [&str; 7]) -> u8 {
        let mut bits = 0;
        for (i, (v, s)) in values.iter().zip(&mut self.fields).enumerate() {
            if v.is_empty() || s.position(v).is_some() {
                continue;
            }
            bits |= 1 << i;
            if s.list.len() < 2 * LIMIT {
                s.push(v, 0);
            }
        }
        bits
    }
}

/// The spellings of every text field for one import, and what the import adds to them.
pub(crate) struct KnownValues {
    fields: [Spellings; 7],
    /// Values the import wrote that the cache must learn: (field, value, record id).
    learnt: Vec<(usize, String, i64)>,
    /// False once the import did something the cache cannot follow without a scan (a
    /// stored value replaced, which may leave no record with it).
    exact: bool,
}

fn field_index(f: TextField) -> usize {
    TextField::ALL.iter().position(|x| *x == f).unwrap_or(0)
}

impl KnownValues {
    /// Read the cache when it is current, otherwise rebuild it from the records (one
    /// pass in id order) in the caller's transaction.
    pub(crate) fn load(conn: &Connection) -> Result<Self> {
        conn.execute_batch(CREATE).ctx(WHAT)?;
        let current: bool = conn.query_row(IS_CURRENT_SQL, [], |r| r.get(0)).ctx(WHAT)?;
        let mut fields: [Spellings; 7] = Default::default();
        if current {
            let mut stmt = conn.prepare(READ_SQL).ctx(WHAT)?;
            let mut rows = stmt.query([]).ctx(WHAT)?;
            while let Some(r) = rows.next().ctx(WHAT)? {
                let field: String = r.get(0).ctx(WHAT)?;
                let Some(i) = TextField::ALL.iter().position(|f| f.column() == field) else {
                    continue;
                };
                let s = &mut fields[i];
                if !s.full() {
                    let v: String = r.get(1).ctx(WHAT)?;
                    s.push(&v, r.get(2).ctx(WHAT)?);
                }
            }
        } else {
            fields = scan(conn)?;
            rewrite(conn, &fields)?;
        }
        Ok(KnownValues {
            fields,
            learnt: Vec::new(),
            exact: true,
        })
    }

    pub(crate) fn filter(&self) -> SpellingFilter {
        SpellingFilter {
            fields: self.fields.clone(),
        }
    }

    /// The stored spellings of `field`, oldest first.
    pub(crate) fn values(&self, field: TextField) -> Vec<String> {
        self.fields[field_index(field)]
            .list
            .iter()
            .map(|(v, _)| v.clone())
            .collect()
    }

    /// A record the import inserted (its id is larger than every stored one) holds
    /// `value` in field `i`.
    pub(crate) fn inserted(&mut self, i: usize, value: &str, id: impl FnOnce() -> i64) {
        if value.is_empty() {
            return;
        }
        let s = &mut self.fields[i];
        // A full list keeps the oldest values; a new record's are newer than all of them.
        if s.full() || s.position(value).is_some() {
            return;
        }
        let id = id();
        s.push(value, id);
        self.learnt.push((i, value.to_string(), id));
    }

    /// Record `id` was updated: field `i` went from `before` to `after`.
    pub(crate) fn updated(&mut self, i: usize, before: Option<&str>, after: Option<&str>, id: i64) {
        if before == after {
            return;
        }
        let Some(after) = after else { return };
        if before.is_some() {
            // The old value may now be on no record, or its oldest record may have moved.
            self.exact = false;
            return;
        }
        let s = &mut self.fields[i];
        match s.position(after) {
            Some(p) if s.list[p].1 <= id => {}
            Some(p) => {
                s.list[p].1 = id;
                self.learnt.push((i, after.to_string(), id));
            }
            None if s.full() => self.exact = false,
            None => {
                s.push(after, id);
                self.learnt.push((i, after.to_string(), id));
            }
        }
    }

    /// Write what the import learnt and, when the cache still matches the records, stamp
    /// it with the data version the import's commit produces (call after bumping it).
    pub(crate) fn save(&self, conn: &Connection) -> Result<()> {
        let what = "recording known values";
        if !self.exact {
            conn.execute("DELETE FROM known_values_stamp", [])
                .ctx(what)?;
            return Ok(());
        }
        let mut stmt = conn
            .prepare(
                "INSERT INTO known_values(field, value, first_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT(field, value) DO UPDATE SET first_id = min(first_id, excluded.first_id)",
            )
            .ctx(what)?;
        for (i, value, id) in &self.learnt {
            stmt.execute(params![TextField::ALL[*i].column(), value, id])
                .ctx(what)?;
        }
        conn.execute_batch(
            "DELETE FROM known_values_stamp;
             INSERT INTO known_values_stamp(version)
             SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'data_version'",
        )
        .ctx(what)?;
        Ok(())
    }
}

/// Every text field's spellings from the records, oldest first: what
/// `GROUP BY col ORDER BY min(id) LIMIT 100000` gives per column, in one pass.
fn scan(conn: &Connection) -> Result<[Spellings; 7]> {
    let cols: Vec<&str> = TextField::ALL.iter().map(|f| f.column()).collect();
    let sql = format!("SELECT id, {} FROM records ORDER BY id", cols.join(", "));
    let mut stmt = conn.prepare(&sql).ctx(WHAT)?;
    let mut rows = stmt.query([]).ctx(WHAT)?;
    let mut fields: [Spellings; 7] = Default::default();
    while let Some(r) = rows.next().ctx(WHAT)? {
        let id: i64 = r.get(0).ctx(WHAT)?;
        for (i, s) in fields.iter_mut().enumerate() {
            if s.full() {
                continue;
            }
            if let rusqlite::types::ValueRef::Text(t) = r.get_ref(i + 1).ctx(WHAT)? {
                let v = String::from_utf8_lossy(t);
                if s.position(&v).is_none() {
                    s.push(&v, id);
                }
            }
        }
    }
    Ok(fields)
}

fn rewrite(conn: &Connection, fields: &[Spellings; 7]) -> Result<()> {
    let what = "recording known values";
    conn.execute("DELETE FROM known_values", []).ctx(what)?;
    let mut stmt = conn
        .prepare("INSERT INTO known_values(field, value, first_id) VALUES (?1, ?2, ?3)")
        .ctx(what)?;
    for (f, s) in TextField::ALL.iter().zip(fields) {
        for (v, id) in &s.list {
            stmt.execute(params![f.column(), v, id]).ctx(what)?;
        }
    }
    Ok(())
}

impl Workspace {
    /// The spellings of `field` as the records hold them, oldest first (the scan the
    /// cache replaces; for tests comparing the two).
    #[doc(hidden)]
    pub fn scan_known_values(&self, field: TextField) -> Result<Vec<String>> {
        let col = field.column();
        crate::query_list(
            &self.conn,
            WHAT,
            &format!("SELECT {col} FROM records WHERE {col} IS NOT NULL GROUP BY {col} ORDER BY min(id) LIMIT 100000"),
            [],
            |r| r.get::<_, String>(0),
        )
    }
}

impl Workspace {
    /// Is the spellings cache stamped at the current data version (tests)?
    #[doc(hidden)]
    pub fn known_values_current(&self) -> Result<bool> {
        self.conn.execute_batch(CREATE).ctx(WHAT)?;
        self.conn
            .query_row(IS_CURRENT_SQL, [], |r| r.get(0))
            .ctx(WHAT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use crate::records::{ImportCounts, NewImport, RecordRow};
    use baton_core::Cancel;

    fn meta() -> NewImport {
        NewImport {
            file_name: "contacts.csv".into(),
            preset: "profile".into(),
            kind: "contact".into(),
            encoding: "utf-8".into(),
            delimiter: ",".into(),
            imported_at: 0,
            profile: "{}".into(),
            rollback_journal: false,
        }
    }

    fn row(id: &str, source: &str, owner: &str) -> RecordRow {
        RecordRow {
            external_id: id.into(),
            source: source.into(),
            owner: owner.into(),
            ..Default::default()
        }
    }

    fn import(ws: &mut Workspace, rows: &[RecordRow]) -> i64 {
        let mut w = ws.begin_import(&meta()).unwrap();
        for r in rows {
            w.upsert(r).unwrap();
        }
        let id = w.import_id();
        w.finish(&ImportCounts::default(), &[], &Cancel::new())
            .unwrap();
        id
    }

    /// What the next import is given, per field (the writer is dropped: rolled back).
    fn next_import_sees(ws: &mut Workspace) -> Vec<Vec<String>> {
        let w = ws.begin_import(&meta()).unwrap();
        TextField::ALL
            .iter()
            .map(|f| w.known_values(*f).unwrap())
            .collect()
    }

    fn scanned(ws: &Workspace) -> Vec<Vec<String>> {
        TextField::ALL
            .iter()
            .map(|f| ws.scan_known_values(*f).unwrap())
            .collect()
    }

    #[test]
    fn the_cache_gives_what_a_scan_of_the_records_gives() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let check = |ws: &mut Workspace, current: bool, step: &str| {
            assert_eq!(ws.known_values_current().unwrap(), current, "{step}");
            assert_eq!(next_import_sees(ws), scanned(ws), "{step}");
        };
        check(&mut ws, false, "empty workspace");
        import(
            &mut ws,
            &[
                row("1", "Ads", ""),
                row("2", "Web", "Ann"),
                row("3", "Ads", ""),
            ],
        );
        check(&mut ws, true, "first import");
        // Inserted records with new values; an update filling an empty field with a
        // value an older record already had moves its oldest record.
        import(&mut ws, &[row("4", "Email", "Bob"), row("1", "", "Bob")]);
        check(&mut ws, true, "inserts and a filled field");
        assert_eq!(next_import_sees(&mut ws)[2], ["Bob", "Ann"]);
        // An update replacing a value may leave no record with the old one: rebuilt.
        let last = import(&mut ws, &[row("2", "Email", "")]);
        assert_eq!(scanned(&ws)[0], ["Ads", "Email"], "Web is gone");
        check(&mut ws, false, "a replaced value");
        import(&mut ws, &[row("5", "Fair", "")]);
        check(&mut ws, true, "rebuilt by the next import");
        // An undo bumps the data version: the cache is stale until the next import.
        ws.undo_import(last + 1, 1).unwrap();
        check(&mut ws, false, "after an undo");
        ws.undo_import(last, 1).unwrap();
        import(&mut ws, &[row("6", "Ads", "Cy")]);
        check(&mut ws, true, "after an undo and an import");
        assert_eq!(scanned(&ws)[0], ["Ads", "Web", "Email"]);
    }

    #[test]
    fn many_values_are_looked_up_by_hash_and_still_match_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        let rows: Vec<RecordRow> = (0..40)
            .map(|i| row(&i.to_string(), &format!("S{}", i % 25), ""))
            .collect();
        import(&mut ws, &rows[..10]);
        import(&mut ws, &rows);
        // Owners filled in on old records: oldest ids move down past the 16th value.
        let owners: Vec<RecordRow> = (0..30)
            .rev()
            .map(|i| row(&i.to_string(), "", &format!("O{}", i % 20)))
            .collect();
        import(&mut ws, &owners);
        assert!(ws.known_values_current().unwrap());
        let seen = next_import_sees(&mut ws);
        assert_eq!(seen, scanned(&ws));
        assert_eq!(seen[0].len(), 25);
        assert_eq!(seen[2][..3], ["O0", "O1", "O2"]);
    }

    #[test]
    fn an_import_with_a_current_cache_reads_no_record() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        import(&mut ws, &[row("1", "Ads", ""), row("2", "Web", "")]);
        // Changed behind the importer's back (no data version bump): an import that
        // still sees the old values read the cache, not the records.
        ws.conn
            .execute("UPDATE records SET source = 'Fair'", [])
            .unwrap();
        assert_eq!(next_import_sees(&mut ws)[0], ["Ads", "Web"]);
    }

    /// The statements every import runs besides its rows' own must not visit every
    /// record: a 10,000-row import into 1,000,000 records must cost about as much as
    /// into an empty workspace.
    #[test]
    fn per_import_statements_do_not_scan_the_records() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        ws.conn.execute_batch(CREATE).unwrap();
        let mut all = crate::records::per_import_sql().to_vec();
        all.extend([IS_CURRENT_SQL.to_string(), READ_SQL.to_string()]);
        for sql in &all {
            let mut stmt = ws
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let mut rows = stmt.raw_query(); // parameters left unbound (NULL)
            let mut plan = Vec::new();
            while let Some(r) = rows.next().unwrap() {
                plan.push(r.get::<_, String>(3).unwrap());
            }
            assert!(
                !plan.iter().any(|p| p.starts_with("SCAN records")),
                "{sql}: {plan:?}"
            );
        }
    }
}
