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
    /// The company name's version: a change stating an older one is refused (`conflict`).
    #[ts(type = "number")]
    pub company_version: i64,
    /// True for the generated demo workspace.
    pub is_demo: bool,
}

/// An entry of File → Recent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct RecentWorkspace {
    /// The file's path, or a team workspace's address (`postgres://user@host:port/db`,
    /// never a password).
    pub path: String,
    /// The file name without extension, or the team database's name.
    pub name: String,
    /// False when the file has since been moved or deleted (always true for a team
    /// workspace: the server is asked only when it is reopened).
    pub exists: bool,
    pub kind: WorkspaceKind,
    /// For a team workspace: where to reconnect.
    pub team: Option<crate::team::TeamAddress>,
}

/// A `.baton` file or a team workspace on PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceKind {
    File,
    Team,
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

/// Where the records of one kind stand today. Kinds are never added together:
/// a won buyer is a customer contact and a won deal, one buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct KindOverview {
    pub kind: String,
    /// Records of this kind; every share below is of this number.
    #[ts(type = "number")]
    pub records: i64,
    /// Open or won records of this kind by current stage, in funnel order; with
    /// `lost` and `no_stage` they add up to `records`.
    pub stages: Vec<StageCount>,
    /// Records of this kind whose outcome is lost.
    #[ts(type = "number")]
    pub lost: i64,
    /// Records of this kind with no current stage (not lost either).
    #[ts(type = "number")]
    pub no_stage: i64,
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
    /// Stage counts per kind, the [`default_kind`] first, then by size.
    pub kinds: Vec<KindOverview>,
    /// The kind headline figures count (see [`default_kind`]); `null` when the
    /// records are all of one kind.
    pub default_kind: Option<String>,
}

/// The kind headline figures count when the records mix kinds: contacts when there
/// are contacts, else the most numerous kind (the first listed on a tie). `None` when
/// there are fewer than two kinds: nothing needs choosing. The Funnel screen's default,
/// goals, SLAs, the report and the CLI all take the kind from here.
pub fn default_kind(kinds: &[KindCount]) -> Option<String> {
    let present: Vec<&KindCount> = kinds.iter().filter(|k| k.count > 0).collect();
    if present.len() < 2 {
        return None;
    }
    present
        .iter()
        .find(|k| k.kind.trim().eq_ignore_ascii_case("contact"))
        .or_else(|| present.iter().rev().max_by_key(|k| k.count))
        .map(|k| k.kind.clone())
}

/// The display name of a workspace file: its file name without the extension.
pub fn workspace_name(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(list: &[(&str, i64)]) -> Vec<KindCount> {
        list.iter()
            .map(|(k, n)| KindCount {
                kind: (*k).into(),
                count: *n,
            })
            .collect()
    }

    #[test]
    fn contacts_are_the_default_when_kinds_mix() {
        assert_eq!(
            default_kind(&kinds(&[("deal", 300), ("contact", 20)])).as_deref(),
            Some("contact")
        );
        assert_eq!(
            default_kind(&kinds(&[("company", 3), ("deal", 9), ("ticket", 9)])).as_deref(),
            Some("deal")
        );
        assert_eq!(default_kind(&kinds(&[("deal", 9)])), None);
        assert_eq!(default_kind(&kinds(&[("deal", 9), ("contact", 0)])), None);
    }
}
