//! Read-only facts about a workspace for the shell (title bar, Overview screen).
use crate::{DbContext, Workspace};
use baton_core::workspace::{
    workspace_name, KindCount, StageCount, WorkspaceInfo, WorkspaceOverview, COMPANY_SETTING,
    DEMO_SETTING,
};
use baton_core::Result;

impl Workspace {
    /// Path, name, company and demo flag of this workspace.
    pub fn info(&self) -> Result<WorkspaceInfo> {
        let company = match self.setting(COMPANY_SETTING)? {
            Some(json) => serde_json::from_str::<Option<String>>(&json)?,
            None => None,
        };
        let is_demo = self.setting(DEMO_SETTING)?.as_deref() == Some("true");
        let path = std::path::absolute(self.path()).unwrap_or_else(|_| self.path().to_path_buf());
        Ok(WorkspaceInfo {
            path: path.display().to_string(),
            name: workspace_name(&path),
            company,
            is_demo,
        })
    }

    /// Record, import and stage counts for the Overview screen.
    pub fn overview(&self) -> Result<WorkspaceOverview> {
        let count = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |r| r.get(0))
                .ctx("counting for the overview")
        };
        let records = count("SELECT count(*) FROM records")?;
        let lost =
            count("SELECT count(*) FROM records WHERE outcome = 'lost' OR current_stage = 'lost'")?;
        let imports = count("SELECT count(*) FROM imports WHERE undone_at IS NULL")?;
        let last_import_at: Option<i64> = self
            .conn
            .query_row(
                "SELECT max(imported_at) FROM imports WHERE undone_at IS NULL",
                [],
                |r| r.get(0),
            )
            .ctx("reading the last import")?;

        let mut stmt = self
            .conn
            .prepare(
                "SELECT kind, count(*) FROM records GROUP BY kind ORDER BY count(*) DESC, kind",
            )
            .ctx("counting records by kind")?;
        let records_by_kind = stmt
            .query_map([], |r| {
                Ok(KindCount {
                    kind: r.get(0)?,
                    count: r.get(1)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .ctx("counting records by kind")?;

        let mut stmt = self
            .conn
            .prepare("SELECT count(*) FROM records WHERE current_stage = ?1")
            .ctx("counting records by stage")?;
        let mut stages = Vec::new();
        for stage in self.stages()? {
            let count = stmt
                .query_row([&stage.id], |r| r.get(0))
                .ctx("counting records by stage")?;
            stages.push(StageCount {
                id: stage.id,
                name: stage.name,
                count,
            });
        }
        Ok(WorkspaceOverview {
            info: self.info()?,
            records,
            records_by_kind,
            imports,
            last_import_at,
            stages,
            lost,
        })
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
        assert_eq!(
            (o.records, o.imports, o.lost, o.last_import_at),
            (0, 0, 0, None)
        );
        let ids: Vec<&str> = o.stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["lead", "mql", "sql", "opportunity", "customer"]);
        assert!(o.stages.iter().all(|s| s.count == 0));
    }
}
