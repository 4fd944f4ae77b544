//! Read-only facts about a workspace for the shell (title bar, Overview screen).
use crate::config_version::{company_change, Config};
use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::stages::Stage;
use baton_core::workspace::{
    default_kind, workspace_name, KindCount, KindOverview, StageCount, WorkspaceInfo,
    WorkspaceOverview, COMPANY_SETTING, DEMO_SETTING,
};
use baton_core::{BatonError, Result};

/// Longest company name accepted.
pub const COMPANY_MAX_CHARS: usize = 120;

/// The company name stored in the setting's JSON, trimmed; `None` when unset or blank.
pub(crate) fn company_of(json: Option<String>) -> Option<String> {
    json.and_then(|json| serde_json::from_str::<Option<String>>(&json).ok().flatten())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The setting's JSON for a company name typed by the user (checked, trimmed; blank
/// clears it).
pub(crate) fn company_setting(name: Option<&str>) -> Result<String> {
    let name = name.map(str::trim).filter(|s| !s.is_empty());
    if let Some(n) = name {
        if n.chars().count() > COMPANY_MAX_CHARS || n.chars().any(char::is_control) {
            return Err(BatonError::invalid(format!(
                "the company name must be one line of at most {COMPANY_MAX_CHARS} characters"
            )));
        }
    }
    Ok(serde_json::to_string(&name)?)
}

/// One kind's stage counts from its `(current stage, is lost, count)` groups: each
/// record is at one of the stages, lost, or at no stage.
pub(crate) fn kind_overview(
    k: &KindCount,
    rows: &[(Option<String>, bool, i64)],
    stages: &[Stage],
) -> KindOverview {
    let at = |id: &str| {
        rows.iter()
            .filter(|(s, is_lost, _)| !is_lost && s.as_deref() == Some(id))
            .map(|r| r.2)
            .sum::<i64>()
    };
    let lost = rows.iter().filter(|r| r.1).map(|r| r.2).sum();
    let no_stage = rows
        .iter()
        .filter(|(s, is_lost, _)| {
            !is_lost
                && !s
                    .as_deref()
                    .is_some_and(|s| stages.iter().any(|st| st.id == s))
        })
        .map(|r| r.2)
        .sum();
    KindOverview {
        kind: k.kind.clone(),
        records: k.count,
        stages: stages
            .iter()
            .map(|s| StageCount {
                id: s.id.clone(),
                name: s.name.clone(),
                count: at(&s.id),
            })
            .collect(),
        lost,
        no_stage,
    }
}

/// The overview from its counts (records, live imports, last import time), the records
/// per kind (most first) and each kind's stage counts: the default kind first.
pub(crate) fn overview_of(
    info: WorkspaceInfo,
    (records, imports, last_import_at): (i64, i64, Option<i64>),
    records_by_kind: Vec<KindCount>,
    mut kinds: Vec<KindOverview>,
) -> WorkspaceOverview {
    let default_kind = default_kind(&records_by_kind);
    kinds.sort_by_key(|k| Some(&k.kind) != default_kind.as_ref());
    WorkspaceOverview {
        info,
        records,
        records_by_kind,
        imports,
        last_import_at,
        kinds,
        default_kind,
    }
}

/// The company name, the workspace's info and its overview counts.
pub trait OverviewStore {
    /// The company name set in the workspace settings, `None` when not set (or blank).
    fn company(&self) -> Result<Option<String>>;

    /// Set the company name (trimmed); `None` or a blank name clears it.
    fn set_company(&self, name: Option<&str>) -> Result<WorkspaceInfo> {
        self.set_company_from(name, None)
    }

    /// [`Self::set_company`] based on `seen`, the version of the name on screen
    /// ([`crate::Config::Company`]): refused with `conflict` when changed since.
    fn set_company_from(&self, name: Option<&str>, seen: Option<i64>) -> Result<WorkspaceInfo>;

    /// Path, name, company and demo flag of this workspace.
    fn info(&self) -> Result<WorkspaceInfo>;

    /// Record, import and stage counts for the Overview screen, per kind: each
    /// record is in exactly one of its kind's stage rows, lost, or no stage.
    fn overview(&self) -> Result<WorkspaceOverview>;
}

impl OverviewStore for Workspace {
    fn company(&self) -> Result<Option<String>> {
        Ok(company_of(self.setting(COMPANY_SETTING)?))
    }

    fn set_company_from(&self, name: Option<&str>, seen: Option<i64>) -> Result<WorkspaceInfo> {
        let json = company_setting(name)?;
        self.write_tx("changing the company name", |ws| {
            let version = ws.check_config_version(Config::Company, seen)?;
            let old = ws.company()?;
            ws.set_setting(COMPANY_SETTING, &json)?;
            let change = company_change(old.as_deref(), company_of(Some(json.clone())).as_deref());
            ws.bump_config_version(Config::Company, version, &change)?;
            ws.info()
        })
    }

    fn info(&self) -> Result<WorkspaceInfo> {
        let company = self.company()?;
        let is_demo = self.setting(DEMO_SETTING)?.as_deref() == Some("true");
        let path = std::path::absolute(self.path()).unwrap_or_else(|_| self.path().to_path_buf());
        Ok(WorkspaceInfo {
            path: path.display().to_string(),
            name: workspace_name(&path),
            company,
            company_version: self.config_version_now(Config::Company)?,
            is_demo,
        })
    }

    fn overview(&self) -> Result<WorkspaceOverview> {
        let count = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |r| r.get(0))
                .ctx("counting for the overview")
        };
        let records = count("SELECT count(*) FROM records")?;
        let imports = count("SELECT count(*) FROM imports WHERE undone_at IS NULL")?;
        let last_import_at: Option<i64> = self
            .conn
            .query_row(
                "SELECT max(imported_at) FROM imports WHERE undone_at IS NULL",
                [],
                |r| r.get(0),
            )
            .ctx("reading the last import")?;

        let records_by_kind = self.query_list(
            "counting records by kind",
            "SELECT kind, count(*) FROM records GROUP BY kind ORDER BY count(*) DESC, kind",
            [],
            |r| {
                Ok(KindCount {
                    kind: r.get(0)?,
                    count: r.get(1)?,
                })
            },
        )?;

        let stages = self.stages()?;
        let mut kinds = Vec::new();
        for k in &records_by_kind {
            let rows = self.query_list(
                "counting records by stage",
                "SELECT current_stage, outcome = 'lost' OR current_stage = 'lost', count(*)
                 FROM records WHERE kind = ?1 GROUP BY 1, 2",
                [&k.kind],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<bool>>(1)?.unwrap_or(false),
                        r.get::<_, i64>(2)?,
                    ))
                },
            )?;
            kinds.push(kind_overview(k, &rows, &stages));
        }
        Ok(overview_of(
            self.info()?,
            (records, imports, last_import_at),
            records_by_kind,
            kinds,
        ))
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn empty_workspace_has_named_info_and_zero_counts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("acme plan.baton");
        let ws = Workspace::create(&p).unwrap();
        ws.set_setting(COMPANY_SETTING, "\"Acme\"").unwrap();
        let o = ws.overview().unwrap();
        assert_eq!(o.info.name, "acme plan");
        assert_eq!(o.info.company.as_deref(), Some("Acme"));
        assert!(!o.info.is_demo);
        assert_eq!((o.records, o.imports, o.last_import_at), (0, 0, None));
        assert!(o.kinds.is_empty());
        assert_eq!(o.default_kind, None);
    }

    #[test]
    fn the_company_name_is_set_trimmed_and_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        assert_eq!(ws.info().unwrap().company, None);
        assert_eq!(
            ws.set_company(Some("  Larkspur Ltd "))
                .unwrap()
                .company
                .as_deref(),
            Some("Larkspur Ltd")
        );
        assert_eq!(ws.company().unwrap().as_deref(), Some("Larkspur Ltd"));
        assert_eq!(ws.set_company(Some("   ")).unwrap().company, None);
        let e = ws.set_company(Some("a\nb")).unwrap_err();
        assert!(e.message.contains("one line"), "{}", e.message);
    }
}
