//! The seam between the importer and a backend's import writer: what the importer calls,
//! on a `.baton` file ([`ImportWriter`], SQLite) or a team workspace (PostgreSQL's
//! writer in `pg/import_writer.rs`). Called once per slice of rows, never per cell.

use crate::records::{
    EncodedRow, ImportCounts, ImportWriter, ImportWriting, NewImport, NewReject, RecordRow,
    SpellingFilter, TextField, Upserted,
};
use crate::Workspace;
use baton_core::{Cancel, Result};

/// What the upserts of an import did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upserts {
    pub inserted: u64,
    /// Updated, repeated rows included.
    pub updated: u64,
    /// Rows that updated a record an earlier row of the same import wrote.
    pub repeated: u64,
}

impl Upserts {
    pub fn add(&mut self, u: Upserted) {
        match u {
            Upserted::Inserted => self.inserted += 1,
            Upserted::Updated => self.updated += 1,
            Upserted::Repeated => {
                self.updated += 1;
                self.repeated += 1;
            }
        }
    }
}

/// An import in progress, in one transaction: dropping it without
/// [`RecordWriter::finish`] leaves the workspace as it was.
pub trait RecordWriter {
    fn import_id(&self) -> i64;

    /// The spellings already stored for a text field, oldest first, to fold case variants.
    fn known_values(&self, field: TextField) -> Result<Vec<String>>;

    /// The stored spellings as a filter for the thread that encodes rows
    /// ([`EncodedRow::encode`]): the file's writer then only looks at the values it flags.
    /// A writer that does not use the encoding gives an empty one.
    fn spelling_filter(&self) -> SpellingFilter {
        SpellingFilter::default()
    }

    /// Insert each row as a record, or merge it into the stored one with its id, in
    /// order; each row comes with its encoding from the reading thread. What each did is
    /// added to `tally` once written: at once on a file; a writer that sends rows in bulk
    /// adds them when it sends them, at the latest in [`RecordWriter::flush`].
    fn upsert_rows(
        &mut self,
        rows: &[(&RecordRow, &EncodedRow)],
        tally: &mut Upserts,
    ) -> Result<()>;

    /// Write what is buffered and add it to `tally`.
    fn flush(&mut self, tally: &mut Upserts) -> Result<()>;

    /// Keep a row the import could not read (partial imports).
    fn reject(&mut self, r: &NewReject<'_>) -> Result<()>;

    /// The stages this import's file can express.
    fn set_tracked_stages(&mut self, stages: &[String]) -> Result<()>;

    /// The stage values no map named, with the number of rows of each.
    fn set_unmapped_stages(&mut self, values: &[(String, u64)]) -> Result<()>;

    /// Record the totals, bump the data version and commit (a cancel seen before the
    /// commit rolls everything back instead).
    fn finish(
        self: Box<Self>,
        counts: &ImportCounts,
        warnings: &[String],
        cancel: &Cancel,
    ) -> Result<()>;
}

impl ImportWriting for Workspace {
    fn begin_import(&mut self, meta: &NewImport) -> Result<Box<dyn RecordWriter + '_>> {
        Ok(Box::new(Workspace::begin_import(self, meta)?))
    }
}

/// The file's writer, by delegation to its own methods.
impl RecordWriter for ImportWriter<'_> {
    fn import_id(&self) -> i64 {
        ImportWriter::import_id(self)
    }

    fn known_values(&self, field: TextField) -> Result<Vec<String>> {
        ImportWriter::known_values(self, field)
    }

    fn spelling_filter(&self) -> SpellingFilter {
        ImportWriter::spelling_filter(self)
    }

    fn upsert_rows(
        &mut self,
        rows: &[(&RecordRow, &EncodedRow)],
        tally: &mut Upserts,
    ) -> Result<()> {
        ImportWriter::upsert_rows(self, rows, tally)
    }

    fn flush(&mut self, _tally: &mut Upserts) -> Result<()> {
        Ok(())
    }

    fn reject(&mut self, r: &NewReject<'_>) -> Result<()> {
        ImportWriter::reject(self, r)
    }

    fn set_tracked_stages(&mut self, stages: &[String]) -> Result<()> {
        ImportWriter::set_tracked_stages(self, stages)
    }

    fn set_unmapped_stages(&mut self, values: &[(String, u64)]) -> Result<()> {
        ImportWriter::set_unmapped_stages(self, values)
    }

    fn finish(
        self: Box<Self>,
        counts: &ImportCounts,
        warnings: &[String],
        cancel: &Cancel,
    ) -> Result<()> {
        ImportWriter::finish(*self, counts, warnings, cancel)
    }
}
