//! What the shell shows about a workspace file: identity, recent files, overview facts.
use serde::Serialize;
use ts_rs::TS;

/// The settings key holding the company name (a JSON string).
pub const COMPANY_SETTING: &str = "company";
/// The settings key marking a generated demo workspace (JSON `true`).
pub const DEMO_SETTING: &str = "demo";

/// The open workspace, as the title bar and File menu show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WorkspaceInfo {
    /// Absolute path of the `.baton` file.
    pub path: String,
    /// File name without extension.
    pub name: String,
    /// Company name set in the workspace, if any.
    pub company: Option<String>,
    /// True for the generated demo workspace.
    pub is_demo: bool,
}

/// An entry of File → Recent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct RecentWorkspace {
    pub path: String,
    pub name: String,
    /// False when the file has since been moved or deleted.
    pub exists: bool,
}

/// Number of records of one kind (`contact`, `deal`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct KindCount {
    pub kind: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// Number of records whose current stage is this stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StageCount {
    pub id: String,
    pub name: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// The facts on the Overview screen, all read from the workspace file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WorkspaceOverview {
    pub info: WorkspaceInfo,
    #[ts(type = "number")]
    pub records: i64,
    pub records_by_kind: Vec<KindCount>,
    /// Imports that have not been undone.
    #[ts(type = "number")]
    pub imports: i64,
    /// Wall-clock seconds of the latest live import.
    #[ts(type = "number | null")]
    pub last_import_at: Option<i64>,
    /// Current stage of the records, in funnel order.
    pub stages: Vec<StageCount>,
    /// Records whose outcome is lost.
    #[ts(type = "number")]
    pub lost: i64,
}

/// The display name of a workspace file: its file name without the extension.
pub fn workspace_name(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
