//! The metrics dataset of a team workspace, kept on the client between connections (as
//! a file keeps its own beside it), so the first funnel after connecting reads one file
//! instead of every record from the server. Never trusted blindly: see
//! [`baton_metrics::Kept::for_team`] and [`baton_metrics::Dataset::open_kept`] (the
//! checks of the file's, plus the workspace's identity,
//! [`baton_store::pg::PgWorkspace::identity`]).
use baton_core::Result;
use baton_metrics::Kept;
use baton_store::pg::PgWorkspace;
use std::path::{Path, PathBuf};

/// Names the folder to keep team workspaces' datasets in (tests, a machine whose cache
/// folder is elsewhere).
pub const CACHE_DIR_ENV: &str = "BATON_CACHE_DIR";

/// Where the app and the CLI keep team workspaces' datasets: `$BATON_CACHE_DIR`, else
/// `team-datasets` in the app's folder of the user's cache folder (on Linux
/// `$XDG_CACHE_HOME/app.baton.workbench`, by default `~/.cache/…`; the macOS and
/// Windows cache folders elsewhere), the folder Tauri names the app's cache dir.
pub fn default_dir() -> Option<PathBuf> {
    match std::env::var_os(CACHE_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => Some(
            dirs::cache_dir()?
                .join("app.baton.workbench")
                .join("team-datasets"),
        ),
    }
}

/// Where the dataset of `pg` is kept in `dir` and which workspace it must name; `None`
/// when nothing is kept (no folder, or a workspace without an identity).
pub(crate) fn kept(dir: Option<&Path>, pg: &PgWorkspace) -> Result<Option<Kept>> {
    let Some(dir) = dir else {
        return Ok(None);
    };
    Ok(pg
        .identity()?
        .map(|identity| Kept::for_team(dir, pg.shown(), &identity)))
}
