//! The File menu, Overview and settings: which workspace is open (new, open, save as,
//! recent, the demo), what it holds, the company name. Opening another workspace
//! publishes [`Area::Workspace`] and drops what was kept from the last one.
use crate::{no_id, Area, Change, Service};
use baton_core::workspace::{RecentWorkspace, WorkspaceInfo, WorkspaceOverview};
use baton_core::Result;
use baton_store::prelude::*;
use baton_store::Workspace;
use std::path::{Path, PathBuf};

impl Service {
    pub fn workspace_info(&self) -> Result<WorkspaceInfo> {
        self.read(|ws| ws.info())
    }

    /// Company, records, imports, and per kind of record where its records stand.
    pub fn overview(&self) -> Result<WorkspaceOverview> {
        self.read(|ws| ws.overview())
    }

    /// Set the company name (blank clears it); returns the updated workspace info.
    /// `seen`: the name's version the screen showed (`WorkspaceInfo::company_version`);
    /// refused with `conflict` when someone else changed it since (None: not checked).
    pub fn set_company(&self, name: Option<&str>, seen: Option<i64>) -> Result<WorkspaceInfo> {
        self.write(Area::Settings, no_id, |ws| ws.set_company_from(name, seen))
    }

    /// Create an empty workspace at `path` (which must not exist) and open it.
    pub fn workspace_new(&self, path: &Path) -> Result<WorkspaceInfo> {
        let info = Workspace::create(path)?.info()?;
        self.switch_to(&info)?;
        Ok(info)
    }

    pub fn workspace_open(&self, path: &Path) -> Result<WorkspaceInfo> {
        let info = Workspace::open(path)?.info()?;
        self.switch_to(&info)?;
        Ok(info)
    }

    /// Copy the open workspace to `dest` and continue working in the copy.
    pub fn workspace_save_as(&self, dest: &Path) -> Result<WorkspaceInfo> {
        self.open()?.file("Save As")?.save_as(dest)?;
        self.workspace_open(dest)
    }

    /// Recently opened workspaces, newest first (the demo is not listed).
    pub fn recent(&self) -> Vec<RecentWorkspace> {
        self.session().recent()
    }

    /// Switch to the demo workspace (built on first use).
    pub fn open_demo(&self) -> Result<WorkspaceInfo> {
        self.session().use_demo()?;
        self.switched();
        self.workspace_info()
    }

    fn switch_to(&self, info: &WorkspaceInfo) -> Result<()> {
        let remembered = self.session().switch_to(&PathBuf::from(&info.path));
        self.switched();
        remembered
    }

    /// Another workspace is open: what was kept from the last one goes, and every
    /// subscriber hears that everything may have changed.
    pub(crate) fn switched(&self) {
        self.forget_report();
        self.feed().publish(Change {
            area: Area::Workspace,
            id: None,
            version: 0,
        });
    }
}
