//! App state: which workspace file is open, the recent-files list, and the helper every
//! command uses to run workspace work off the main thread.
use baton_core::workspace::{workspace_name, RecentWorkspace};
use baton_core::{BatonError, ErrorCode, Result};
use baton_store::Workspace;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const RECENT_LIMIT: usize = 8;

pub struct AppState {
    current: Mutex<Option<PathBuf>>,
    /// Where the generated demo workspace lives; created on first use.
    demo_path: PathBuf,
    /// `recent-workspaces.json` in the app config dir.
    recent_file: PathBuf,
    /// Serialises demo creation so two first commands cannot both build it.
    demo_lock: std::sync::Arc<Mutex<()>>,
}

/// Run blocking work (SQLite, files) on the blocking thread pool.
pub async fn blocking<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| BatonError::internal(format!("background task failed: {e}")))?
}

impl AppState {
    /// `BATON_WORKSPACE` wins; otherwise the most recent workspace that still exists;
    /// otherwise the demo workspace in the app data dir.
    pub fn new(data_dir: &Path, config_dir: &Path) -> Self {
        let asked = std::env::var_os("BATON_WORKSPACE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        Self::starting_with(data_dir, config_dir, asked)
    }

    /// As [`AppState::new`], with the workspace asked for at launch (if any) given.
    /// A workspace opened at launch goes first in the recent list, like one opened
    /// from the File menu.
    fn starting_with(data_dir: &Path, config_dir: &Path, asked: Option<PathBuf>) -> Self {
        let state = Self {
            current: Mutex::new(None),
            demo_path: data_dir.join("demo.baton"),
            recent_file: config_dir.join("recent-workspaces.json"),
            demo_lock: Default::default(),
        };
        let start = asked
            .or_else(|| state.recent_paths().into_iter().find(|p| p.is_file()))
            .unwrap_or_else(|| state.demo_path.clone());
        if start != state.demo_path && start.is_file() {
            // The list is a convenience: a config dir that cannot be written must not
            // stop the app from starting.
            let _ = state.remember(&start);
        }
        *state.current.lock().expect("state lock") = Some(start);
        state
    }

    pub fn current_path(&self) -> Option<PathBuf> {
        self.current.lock().expect("state lock").clone()
    }

    /// Make `path` the open workspace and put it first in the recent list.
    pub fn switch_to(&self, path: &Path) -> Result<()> {
        *self.current.lock().expect("state lock") = Some(path.to_path_buf());
        self.remember(path)
    }

    /// Open the current workspace on a blocking thread and run `work` on it.
    /// Every workspace command goes through here: a `Connection` is not `Sync`,
    /// so each call opens its own (cheap; WAL lets readers run beside a writer).
    pub async fn with_workspace<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Workspace) -> Result<T> + Send + 'static,
    {
        let path = self.current_path().ok_or_else(|| {
            BatonError::new(
                ErrorCode::NoWorkspace,
                "no workspace is open: use File → Open or New",
            )
        })?;
        let (demo_path, demo_lock) = (self.demo_path.clone(), self.demo_lock.clone());
        blocking(move || {
            let mut ws = if path == demo_path {
                let _guard = demo_lock.lock().expect("demo lock");
                if path.exists() {
                    Workspace::open(&path)?
                } else {
                    create_dir_for(&path)?;
                    baton_demo::create_demo(&path)?
                }
            } else {
                Workspace::open(&path)?
            };
            work(&mut ws)
        })
        .await
    }

    fn recent_paths(&self) -> Vec<PathBuf> {
        std::fs::read(&self.recent_file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Vec<PathBuf>>(&bytes).ok())
            .unwrap_or_default()
    }

    /// The recent list, newest first, without the demo workspace.
    pub fn recent(&self) -> Vec<RecentWorkspace> {
        self.recent_paths()
            .into_iter()
            .filter(|p| *p != self.demo_path)
            .map(|p| RecentWorkspace {
                name: workspace_name(&p),
                exists: p.is_file(),
                path: p.display().to_string(),
            })
            .collect()
    }

    fn remember(&self, path: &Path) -> Result<()> {
        let mut paths = self.recent_paths();
        paths.retain(|p| p != path);
        paths.insert(0, path.to_path_buf());
        paths.truncate(RECENT_LIMIT);
        create_dir_for(&self.recent_file)?;
        let json = serde_json::to_vec_pretty(&paths)
            .map_err(|e| BatonError::internal(format!("saving recent workspaces: {e}")))?;
        std::fs::write(&self.recent_file, json)
            .map_err(|e| BatonError::io(self.recent_file.display(), e))
    }

    /// Make the demo workspace current (it is not added to the recent list).
    pub fn use_demo(&self) {
        *self.current.lock().expect("state lock") = Some(self.demo_path.clone());
    }
}

fn create_dir_for(file: &Path) -> Result<()> {
    match file.parent() {
        Some(dir) => std::fs::create_dir_all(dir).map_err(|e| BatonError::io(dir.display(), e)),
        None => Ok(()),
    }
}

/// Paths from the save dialog may lack the extension; workspaces are `.baton` files.
pub fn with_baton_extension(path: &str) -> PathBuf {
    let p = PathBuf::from(path);
    if p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("baton"))
    {
        p
    } else {
        let mut s = p.into_os_string();
        s.push(".baton");
        PathBuf::from(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_is_added_once() {
        assert_eq!(
            with_baton_extension("/a/plan"),
            PathBuf::from("/a/plan.baton")
        );
        assert_eq!(
            with_baton_extension("/a/plan.baton"),
            PathBuf::from("/a/plan.baton")
        );
        assert_eq!(
            with_baton_extension("/a/q3.v2"),
            PathBuf::from("/a/q3.v2.baton")
        );
    }

    #[test]
    fn recent_list_is_newest_first_deduplicated_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(&dir.path().join("data"), &dir.path().join("config"));
        for i in 0..10 {
            state
                .switch_to(&dir.path().join(format!("w{i}.baton")))
                .unwrap();
        }
        state.switch_to(&dir.path().join("w3.baton")).unwrap();
        let recent = state.recent();
        assert_eq!(recent.len(), RECENT_LIMIT);
        assert_eq!(recent[0].name, "w3");
        assert_eq!(recent[1].name, "w9");
        assert_eq!(recent.iter().filter(|r| r.name == "w3").count(), 1);
        assert!(recent.iter().all(|r| !r.exists));
    }

    #[test]
    fn the_workspace_opened_at_launch_is_first_in_the_recent_list() {
        let dir = tempfile::tempdir().unwrap();
        let (data, config) = (dir.path().join("data"), dir.path().join("config"));
        let earlier = dir.path().join("earlier.baton");
        let launched = dir.path().join("launched.baton");
        for p in [&earlier, &launched] {
            std::fs::write(p, b"").unwrap();
        }
        AppState::starting_with(&data, &config, None)
            .switch_to(&earlier)
            .unwrap();

        let state = AppState::starting_with(&data, &config, Some(launched.clone()));
        assert_eq!(state.current_path(), Some(launched.clone()));
        let names: Vec<String> = state.recent().into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["launched", "earlier"]);

        // Reopening the most recent one at the next launch keeps the order.
        let again = AppState::starting_with(&data, &config, None);
        assert_eq!(again.current_path(), Some(launched));
        assert_eq!(again.recent().len(), 2);

        // The demo workspace stays out of the list.
        let empty = tempfile::tempdir().unwrap();
        let demo = AppState::starting_with(&empty.path().join("d"), &empty.path().join("c"), None);
        assert!(demo.recent().is_empty());
    }
}
