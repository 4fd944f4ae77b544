//! Imports: preview (the file read once, re-mapped on every mapping change), import with
//! progress and cancel, history, undo, rejected rows, import profiles. An import or an
//! undo publishes [`Area::Records`].
use crate::{Area, JobKind, Service};
use baton_core::{BatonError, ErrorCode, Progress, Result};
use baton_import::{
    ImportOptions, ImportPreview, ImportSummary, PresetInfo, PreviewContext, Profile,
};
use baton_report::{CsvOptions, Table};
use baton_store::{ImportInfo, UndoSummary};
use std::path::Path;

impl Service {
    pub fn import_presets(&self) -> Vec<PresetInfo> {
        baton_import::preset_list()
    }

    /// What importing `path` would read and produce, mapped with the open workspace's
    /// stages and stage value map (the defaults when no workspace is open).
    pub fn import_preview(&self, path: &Path, opts: &ImportOptions) -> Result<ImportPreview> {
        let cx = match self.open() {
            Ok(ws) => PreviewContext::of_workspace(&*ws)?,
            Err(e) if e.code == ErrorCode::NoWorkspace => PreviewContext::default(),
            Err(e) => return Err(e),
        };
        self.0.import_preview.preview(path, opts, &cx)
    }

    /// Import a file in one transaction; [`Service::import_cancel`] stops it and nothing
    /// lands.
    pub fn import_run(
        &self,
        path: &Path,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportSummary> {
        let cancel = self.jobs().start(JobKind::Import);
        self.write_own_tx(
            Area::Records,
            |s: &ImportSummary| Some(s.import_id),
            |ws| baton_import::import_file(ws, path, opts, progress, &cancel),
        )
    }

    /// Stop the running import; false when none was started.
    pub fn import_cancel(&self) -> bool {
        self.jobs().cancel(JobKind::Import)
    }

    /// Import history, newest first.
    pub fn imports(&self) -> Result<Vec<ImportInfo>> {
        self.read(|ws| ws.imports())
    }

    /// Undo an import: the records it inserted go, those it updated get their values back.
    pub fn import_undo(&self, id: i64) -> Result<UndoSummary> {
        let now = chrono::Local::now().naive_local().and_utc().timestamp();
        self.write_records(
            Area::Records,
            |_| Some(id),
            "undoing an import",
            |ws| ws.undo_import(id, now),
        )
    }

    /// An import's rejected rows: the columns of the report's `rejected_rows.csv`.
    pub fn import_rejects(&self, id: i64) -> Result<Table> {
        self.read(|ws| baton_report::exports::import_rejected_rows(ws, id))
    }

    /// Write an import's rejected rows as CSV to `dest`, formulas neutralized.
    pub fn import_rejects_save(&self, id: i64, dest: &Path, opts: &CsvOptions) -> Result<()> {
        baton_report::csv_out::write_table_file(&self.import_rejects(id)?, dest, opts)
    }

    pub fn profile_save(&self, profile: &Profile, dest: &Path) -> Result<()> {
        std::fs::write(dest, profile.to_json_pretty())
            .map_err(|e| BatonError::io(dest.display(), e))
    }

    /// An import profile read from a JSON file; a bad one is named in the message.
    pub fn profile_load(&self, path: &Path) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|e| BatonError::io(path.display(), e))?;
        Profile::from_json(&text)
            .map_err(|e| BatonError::invalid(format!("{}: {}", path.display(), e.message)))
    }
}
