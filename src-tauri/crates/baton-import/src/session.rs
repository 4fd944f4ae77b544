//! The Imports screen re-runs the preview on every mapping change: the file is read and
//! sniffed once per version of the file (path, size, modification time) and, for a
//! workbook, per sheet chosen; its rows are re-mapped from memory after that.

use crate::preview::{PreviewContext, Sample};
use crate::table::Input;
use crate::{display_name, ImportOptions, ImportPreview};
use baton_core::{BatonError, Result};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Which version of which file (and which sheet of a workbook) a sample was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileVersion {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    /// The sheet asked for (`None`: the workbook's first with data, or a CSV).
    sheet: Option<String>,
}

impl FileVersion {
    fn of(path: &Path, sheet: Option<&str>) -> Result<Self> {
        let meta = std::fs::metadata(path).map_err(|e| BatonError::io(path.display(), e))?;
        Ok(FileVersion {
            path: path.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
            sheet: sheet.map(str::to_string),
        })
    }
}

/// The last file previewed, kept read (one file at a time: the screen previews one).
#[derive(Default)]
pub struct PreviewCache {
    last: Mutex<Option<(FileVersion, Arc<Sample>)>>,
}

impl PreviewCache {
    /// The preview of `path` with `opts`: the rows are read once per version of the file
    /// and sheet (`opts.sheet`).
    pub fn preview(
        &self,
        path: &Path,
        opts: &ImportOptions,
        cx: &PreviewContext,
    ) -> Result<ImportPreview> {
        self.sample(path, opts.sheet.as_deref())?.preview(opts, cx)
    }

    /// The rows of `path` (at `sheet` for a workbook) as already read, or read now.
    pub fn sample(&self, path: &Path, sheet: Option<&str>) -> Result<Arc<Sample>> {
        let version = FileVersion::of(path, sheet)?;
        if let Some((v, sample)) = self.lock().as_ref() {
            if *v == version {
                return Ok(sample.clone());
            }
        }
        let sample = Arc::new(Sample::read(Input::File(path), &display_name(path), sheet)?);
        *self.lock() = Some((version, sample.clone()));
        Ok(sample)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(FileVersion, Arc<Sample>)>> {
        // A panic while holding the lock leaves nothing half-written: the value is whole.
        self.last.lock().unwrap_or_else(|e| e.into_inner())
    }
}
