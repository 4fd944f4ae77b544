//! The snapshots of an import that only created records, kept on the client as the
//! records go out and sent by one binary `COPY` at the end, instead of an
//! `INSERT … SELECT` reading every new record back from `records` (on 1,000,000 records,
//! a scan of the whole table and a third of the snapshots' time).
//!
//! The trail holds one small stage number per record, in id order: the new records of an
//! import get consecutive ids (`import_new`), and a record nothing merged into keeps the
//! stage it was written with. When either stops being true (a row merged into a stored or
//! new record, an id out of sequence, more stage values than the numbers hold) the trail
//! is dropped and the import reads its snapshots back as before.

use super::copy_rows::CopyRows;
use baton_core::Result;
use std::collections::HashMap;
use tokio_postgres::Client;

#[derive(Default)]
pub(super) struct SnapshotTrail {
    /// The id of the first record; `None` before the first.
    first_id: Option<i64>,
    /// Each record's stage: 0 for none, else 1 + its index in `names`.
    stages: Vec<u16>,
    names: Vec<String>,
    numbers: HashMap<String, u16>,
    /// Something the trail cannot stand for happened: the snapshots are read back.
    broken: bool,
}

impl SnapshotTrail {
    /// The record `id` was written with `stage`.
    pub(super) fn push(&mut self, id: i64, stage: Option<&str>) {
        if self.broken {
            return;
        }
        let first = *self.first_id.get_or_insert(id);
        if id != first + self.stages.len() as i64 {
            return self.give_up();
        }
        let number = match stage {
            None => 0,
            Some(s) => match self.numbers.get(s) {
                Some(n) => *n,
                None if self.names.len() < u16::MAX as usize => {
                    self.names.push(s.to_string());
                    let n = self.names.len() as u16;
                    self.numbers.insert(s.to_string(), n);
                    n
                }
                None => return self.give_up(),
            },
        };
        self.stages.push(number);
    }

    /// A row was merged into a record: what the trail holds may be stale.
    pub(super) fn give_up(&mut self) {
        self.broken = true;
        self.stages = Vec::new();
        self.names = Vec::new();
        self.numbers = HashMap::new();
    }

    /// Whether the trail holds the import's snapshots (every record it wrote).
    pub(super) fn is_whole(&self) -> bool {
        !self.broken
    }

    /// Send the snapshots of `import_id` (the trail must be whole).
    pub(super) async fn copy(&self, client: &Client, import_id: i64) -> Result<()> {
        let Some(first) = self.first_id else {
            return Ok(());
        };
        let mut copy = CopyRows::open(
            client,
            "COPY import_snapshots(import_id, record_id, stage) FROM STDIN (FORMAT binary)",
            "writing stage snapshots",
        )
        .await?;
        for (id, number) in (first..).zip(&self.stages) {
            copy.row(3);
            copy.int8(import_id);
            copy.int8(id);
            copy.opt_text((*number > 0).then(|| self.names[*number as usize - 1].as_str()));
            copy.end_row().await?;
        }
        copy.finish().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_ids_with_few_stages_make_a_whole_trail() {
        let mut t = SnapshotTrail::default();
        t.push(11, Some("lead"));
        t.push(12, None);
        t.push(13, Some("lead"));
        t.push(14, Some("mql"));
        assert!(t.is_whole());
        assert_eq!(t.stages, [1, 0, 1, 2]);
        assert_eq!(t.names, ["lead", "mql"]);
    }

    #[test]
    fn an_id_out_of_sequence_or_a_merge_breaks_it() {
        let mut t = SnapshotTrail::default();
        t.push(1, None);
        t.push(3, None);
        assert!(!t.is_whole());
        t.push(4, None);
        assert!(!t.is_whole(), "stays broken");
        let mut t = SnapshotTrail::default();
        t.push(1, Some("a"));
        t.give_up();
        assert!(!t.is_whole());
    }

    #[test]
    fn too_many_stage_values_break_it() {
        let mut t = SnapshotTrail::default();
        for i in 0..u16::MAX as i64 {
            t.push(i, Some(&format!("s{i}")));
        }
        assert!(t.is_whole());
        t.push(u16::MAX as i64, Some("one more"));
        assert!(!t.is_whole());
    }
}
