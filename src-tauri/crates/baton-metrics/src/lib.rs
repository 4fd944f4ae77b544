//! Baton's metrics engine: funnel, time between stages, SLA compliance, goals and
//! data quality, computed over an in-memory columnar copy of the workspace's records
//! ([`Dataset`]), loaded once and kept while the workspace's data version holds
//! ([`DatasetCache`]). No SQL here: records come through `baton-store`'s read path.

use baton_store::prelude::*;
pub mod clock;
pub mod dataset;
pub mod definition;
pub mod drill;
pub mod field_dates;
pub mod filter;
pub mod funnel;
pub mod goals;
pub mod impact;
pub mod persist;
pub mod quality;
pub mod scope;
pub mod sla;
pub mod stats;
pub mod velocity;

pub use dataset::{Dataset, Kept, Opened};
pub use definition::{check_definition, DefinitionCheck, DefinitionQuery};
pub use drill::{drill, drill_with_personas, DrillQuery, DrillResult, DrillTarget};
pub use filter::{FieldFilter, Filters, PERSONA_FIELD};
pub use funnel::{funnel, funnel_with_personas, Counting, FunnelQuery, FunnelReport, Granularity};
pub use goals::{
    check_goal, goal_progress, reverse_waterfall, CalculatorInput, CalculatorReport, GoalProgress,
};
pub use quality::{quality, QualityReport};
pub use scope::{default_kind, headline_filters, with_default_kind};
pub use sla::{
    check_clause, sla_breaches, sla_report, sla_reports, BreachStatus, SlaBreach, SlaReport,
};
pub use velocity::{velocity, velocity_steps, VelocityQuery, VelocityReport};

use baton_core::stages::Stage;
use baton_core::Result;

use baton_store::Workspace;
use serde::Serialize;
use std::sync::Arc;

/// The last loaded dataset, reused while the workspace and its data version are
/// unchanged (every write bumps the version).
#[derive(Default)]
pub struct DatasetCache {
    /// Which workspace (a file's path, a team database's address) and its dataset.
    entry: Option<(String, Arc<Dataset>)>,
}

impl DatasetCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The dataset of the file `ws`, loading it only when the data changed (from the
    /// copy persisted beside the file when that is whole), and extending the one it
    /// holds when only imports wrote since (see [`Dataset::extended`]).
    pub fn get(&mut self, ws: &Workspace) -> Result<Arc<Dataset>> {
        let key = ws.path().display().to_string();
        self.get_with(key, ws, || Dataset::open(ws))
    }

    /// [`DatasetCache::get`] for a team workspace (`key` names it). When the one held
    /// in memory cannot be used or extended: from the dataset kept for it on the client
    /// (`kept`, asked only then; see [`Kept::for_team`]) when that still holds, else
    /// loaded from every record (and kept).
    pub fn get_team<W: RecordsSource + StageConfig + ?Sized>(
        &mut self,
        key: &str,
        ws: &W,
        kept: impl FnOnce() -> Result<Option<Kept>>,
    ) -> Result<Arc<Dataset>> {
        self.get_with(key.to_string(), ws, || match kept()? {
            Some(kept) => Dataset::open_kept(ws, &kept).map(|(ds, _)| ds),
            None => Dataset::load(ws),
        })
    }

    fn get_with<W: RecordsSource + StageConfig + ?Sized>(
        &mut self,
        key: String,
        ws: &W,
        load: impl FnOnce() -> Result<Dataset>,
    ) -> Result<Arc<Dataset>> {
        let version = ws.data_version()?;
        if let Some((held, ds)) = self.entry.take() {
            if held == key {
                if ds.version == version {
                    self.entry = Some((held, ds.clone()));
                    return Ok(ds);
                }
                if let Some(imports) = ws.imports_since(ds.version)? {
                    let base = Arc::try_unwrap(ds).unwrap_or_else(|shared| (*shared).clone());
                    if let Some(ds) = base.extended(ws, &imports, version)? {
                        let ds = Arc::new(ds);
                        self.entry = Some((held, ds.clone()));
                        return Ok(ds);
                    }
                }
            }
        }
        let ds = Arc::new(load()?);
        self.entry = Some((key, ds.clone()));
        Ok(ds)
    }

    pub fn clear(&mut self) {
        self.entry = None;
    }
}

/// What the screens need to build their filters: the funnel, the fields, the size.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DatasetInfo {
    pub stages: Vec<Stage>,
    /// Fields usable for filters and breakdowns (built-ins, then custom fields).
    pub fields: Vec<String>,
    #[ts(type = "number")]
    pub records: u64,
    /// The data's "as of": the latest import's wall clock (seconds).
    #[ts(type = "number")]
    pub as_of: i64,
    /// The kind headline figures count when the records mix kinds (contacts when
    /// there are contacts); `null` when all records are of one kind.
    pub default_kind: Option<String>,
}

impl Dataset {
    pub fn info(&self) -> DatasetInfo {
        DatasetInfo {
            stages: self.stages.clone(),
            fields: self.field_names(),
            records: self.len() as u64,
            as_of: self.as_of,
            default_kind: scope::default_kind(self),
        }
    }
}

impl Dataset {
    /// The values of a field (as shown, case variants together) with their record
    /// counts, most frequent first; at most `limit`.
    pub fn values(&self, field: &str, limit: usize) -> Result<Vec<quality::CountedValue>> {
        let col = self
            .column(field)
            .ok_or_else(|| filter::unknown_field(self, field))?;
        let mut out: Vec<quality::CountedValue> = (1..col.display.len())
            .filter(|&c| col.counts[c] > 0)
            .map(|c| quality::CountedValue {
                value: col.display[c].clone(),
                count: col.counts[c],
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod layering {
    /// The engine reads dates with `baton_core::dates`; it must not pull in the importer
    /// (only its golden tests import fixture CSVs, as a dev-dependency).
    #[test]
    fn the_engine_does_not_depend_on_the_importer() {
        let manifest = include_str!("../Cargo.toml");
        let deps = manifest
            .split("\n[dependencies]\n")
            .nth(1)
            .and_then(|rest| rest.split("\n[").next())
            .expect("a [dependencies] table");
        assert!(deps.contains("baton-core"), "{deps}");
        assert!(!deps.contains("baton-import"), "{deps}");
    }
}
