//! Which workspace is open: for the window, the file chosen (or the demo, built on first
//! use) and the recent list; for the CLI and tests, one fixed file.
use crate::store::Store;
use baton_core::team::TeamAddress;
use baton_core::workspace::{workspace_name, RecentWorkspace, WorkspaceKind};
use baton_core::{BatonError, ErrorCode, Result};
use baton_store::Workspace;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[cfg(feature = "postgres")]
mod team;

const RECENT_LIMIT: usize = 8;

pub struct Session {
    current: Mutex<Option<Current>>,
    /// Set for the window: where the demo lives and where the recent list is kept.
    app: Option<AppPlaces>,
    /// Serialises demo creation so two first calls cannot both build it.
    demo_lock: Mutex<()>,
    /// Passwords typed for team workspaces (the OS keyring in the app).
    #[cfg(feature = "postgres")]
    passwords: crate::passwords::Passwords,
}

/// One line of the recent list as kept on disk: a file's path (a bare string, as the
/// list always held), or a team workspace's address, never its password.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum Remembered {
    File(PathBuf),
    Team { team: TeamAddress },
}

impl Remembered {
    fn same_place(&self, other: &Remembered) -> bool {
        match (self, other) {
            (Remembered::File(a), Remembered::File(b)) => a == b,
            (Remembered::Team { team: a }, Remembered::Team { team: b }) => a.shown() == b.shown(),
            _ => false,
        }
    }
}

/// The open workspace: a file, or a team database (its pool shared by every call).
#[derive(Clone)]
enum Current {
    File(PathBuf),
    #[cfg(feature = "postgres")]
    Team(std::sync::Arc<baton_store::pg::PgWorkspace>),
}

struct AppPlaces {
    demo_path: PathBuf,
    /// `recent-workspaces.json` in the app config dir.
    recent_file: PathBuf,
}

impl Session {
    /// One workspace file, nothing remembered (the CLI, tests).
    pub fn fixed(path: &Path) -> Self {
        Self {
            current: Mutex::new(Some(Current::File(path.to_path_buf()))),
            app: None,
            demo_lock: Mutex::new(()),
            #[cfg(feature = "postgres")]
            passwords: crate::passwords::Passwords::this_run_only(),
        }
    }

    /// No workspace open (a CLI command that can run without one).
    pub fn none() -> Self {
        Self {
            current: Mutex::new(None),
            app: None,
            demo_lock: Mutex::new(()),
            #[cfg(feature = "postgres")]
            passwords: crate::passwords::Passwords::this_run_only(),
        }
    }

    /// The window's session. `asked` (e.g. `BATON_WORKSPACE`) wins; otherwise the most
    /// recent workspace that still exists; otherwise the demo workspace in `data_dir`.
    /// A workspace opened at launch goes first in the recent list, like one opened from
    /// the File menu.
    pub fn app(data_dir: &Path, config_dir: &Path, asked: Option<PathBuf>) -> Self {
        let session = Self {
            current: Mutex::new(None),
            app: Some(AppPlaces {
                demo_path: data_dir.join("demo.baton"),
                recent_file: config_dir.join("recent-workspaces.json"),
            }),
            demo_lock: Mutex::new(()),
            #[cfg(feature = "postgres")]
            passwords: crate::passwords::Passwords::os(),
        };
        let demo = session.demo_path().expect("app session").to_path_buf();
        let start = asked
            .or_else(|| session.recent_paths().into_iter().find(|p| p.is_file()))
            .unwrap_or_else(|| demo.clone());
        if start != demo && start.is_file() {
            // The list is a convenience: a config dir that cannot be written must not
            // stop the app from starting.
            let _ = session.remember(Remembered::File(start.clone()));
        }
        *session.current.lock().expect("session lock") = Some(Current::File(start));
        session
    }

    /// A team workspace on PostgreSQL (the CLI's `--workspace postgres://…`): connects
    /// and brings its schema up to this build's (a newer one is refused untouched).
    /// Call it from a blocking thread, not from inside an async task.
    #[cfg(feature = "postgres")]
    pub fn team(target: &baton_store::pg::PgTarget) -> Result<Self> {
        let ws = baton_store::pg::PgWorkspace::open(target)?;
        Ok(Self {
            current: Mutex::new(Some(Current::Team(std::sync::Arc::new(ws)))),
            app: None,
            demo_lock: Mutex::new(()),
            #[cfg(feature = "postgres")]
            passwords: crate::passwords::Passwords::this_run_only(),
        })
    }

    fn current(&self) -> Option<Current> {
        self.current.lock().expect("session lock").clone()
    }

    /// The open workspace's file (`None` for a team workspace or none open).
    pub fn current_path(&self) -> Option<PathBuf> {
        match self.current()? {
            Current::File(p) => Some(p),
            #[cfg(feature = "postgres")]
            Current::Team(_) => None,
        }
    }

    /// Which workspace is open, as a key that differs between any two workspaces: the
    /// file's path, or the team database's address without its password.
    pub fn current_key(&self) -> Option<String> {
        match self.current()? {
            Current::File(p) => Some(p.display().to_string()),
            #[cfg(feature = "postgres")]
            Current::Team(pg) => Some(pg.shown().to_string()),
        }
    }

    fn demo_path(&self) -> Option<&Path> {
        self.app.as_ref().map(|a| a.demo_path.as_path())
    }

    /// Make `path` the open workspace and put it first in the recent list.
    pub fn switch_to(&self, path: &Path) -> Result<()> {
        *self.current.lock().expect("session lock") = Some(Current::File(path.to_path_buf()));
        self.remember(Remembered::File(path.to_path_buf()))
    }

    /// Make the demo workspace current (it is not added to the recent list).
    pub fn use_demo(&self) -> Result<()> {
        let demo = self.demo_path().ok_or_else(|| {
            BatonError::invalid("the demo workspace is only available in the app")
        })?;
        *self.current.lock().expect("session lock") = Some(Current::File(demo.to_path_buf()));
        Ok(())
    }

    /// Open the current workspace (building the demo on first use).
    pub(crate) fn open(&self) -> Result<Store> {
        let current = self.current().ok_or_else(|| {
            BatonError::new(
                ErrorCode::NoWorkspace,
                "no workspace is open: use File → Open or New",
            )
        })?;
        let path = match current {
            Current::File(path) => path,
            #[cfg(feature = "postgres")]
            Current::Team(pg) => return Ok(Store::Team(pg)),
        };
        if self.demo_path() == Some(path.as_path()) {
            let _guard = self.demo_lock.lock().expect("demo lock");
            if !path.exists() {
                create_dir_for(&path)?;
                return crate::demo::build(&path).map(Store::File);
            }
        }
        Workspace::open(&path).map(Store::File)
    }

    fn remembered(&self) -> Vec<Remembered> {
        let Some(app) = &self.app else {
            return Vec::new();
        };
        std::fs::read(&app.recent_file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Vec<Remembered>>(&bytes).ok())
            .unwrap_or_default()
    }

    /// The files of the recent list, newest first.
    fn recent_paths(&self) -> Vec<PathBuf> {
        self.remembered()
            .into_iter()
            .filter_map(|r| match r {
                Remembered::File(p) => Some(p),
                Remembered::Team { .. } => None,
            })
            .collect()
    }

    /// The recent list, files and team workspaces, newest first, without the demo.
    pub fn recent(&self) -> Vec<RecentWorkspace> {
        let demo = self.demo_path();
        self.remembered()
            .into_iter()
            .filter_map(|r| match r {
                Remembered::File(p) if Some(p.as_path()) == demo => None,
                Remembered::File(p) => Some(RecentWorkspace {
                    name: workspace_name(&p),
                    exists: p.is_file(),
                    path: p.display().to_string(),
                    kind: WorkspaceKind::File,
                    team: None,
                }),
                Remembered::Team { team } => Some(RecentWorkspace {
                    name: team.dbname.clone(),
                    exists: true,
                    path: team.shown(),
                    kind: WorkspaceKind::Team,
                    team: Some(team),
                }),
            })
            .collect()
    }

    fn remember(&self, place: Remembered) -> Result<()> {
        let Some(app) = &self.app else {
            return Ok(());
        };
        let mut paths = self.remembered();
        paths.retain(|p| !p.same_place(&place));
        paths.insert(0, place);
        paths.truncate(RECENT_LIMIT);
        create_dir_for(&app.recent_file)?;
        let json = serde_json::to_vec_pretty(&paths)
            .map_err(|e| BatonError::internal(format!("saving recent workspaces: {e}")))?;
        std::fs::write(&app.recent_file, json)
            .map_err(|e| BatonError::io(app.recent_file.display(), e))
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
        let s = Session::app(&dir.path().join("data"), &dir.path().join("config"), None);
        for i in 0..10 {
            s.switch_to(&dir.path().join(format!("w{i}.baton")))
                .unwrap();
        }
        s.switch_to(&dir.path().join("w3.baton")).unwrap();
        let recent = s.recent();
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
        Session::app(&data, &config, None)
            .switch_to(&earlier)
            .unwrap();

        let s = Session::app(&data, &config, Some(launched.clone()));
        assert_eq!(s.current_path(), Some(launched.clone()));
        let names: Vec<String> = s.recent().into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["launched", "earlier"]);

        // Reopening the most recent one at the next launch keeps the order.
        let again = Session::app(&data, &config, None);
        assert_eq!(again.current_path(), Some(launched));
        assert_eq!(again.recent().len(), 2);

        // The demo workspace stays out of the list.
        let empty = tempfile::tempdir().unwrap();
        let demo = Session::app(&empty.path().join("d"), &empty.path().join("c"), None);
        assert!(demo.recent().is_empty());
    }

    #[test]
    fn a_fixed_session_has_no_demo_and_remembers_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = Session::fixed(&dir.path().join("w.baton"));
        assert!(s.use_demo().is_err());
        s.switch_to(&dir.path().join("v.baton")).unwrap();
        assert!(s.recent().is_empty());
    }
}
