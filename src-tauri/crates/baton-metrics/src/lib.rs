//! Baton's metrics engine: funnel, time between stages, SLA compliance, goals and
//! data quality, computed over an in-memory columnar copy of the workspace's records
//! ([`Dataset`]), loaded once and kept while the workspace's data version holds
//! ([`DatasetCache`]). No SQL here: records come through `baton-store`'s read path.

pub mod clock;
pub mod dataset;
pub mod drill;
pub mod filter;
pub mod funnel;
pub mod goals;
pub mod quality;
pub mod sla;
pub mod stats;
pub mod velocity;

pub use dataset::Dataset;
pub use drill::{drill, DrillQuery, DrillResult, DrillTarget};
pub use filter::{FieldFilter, Filters};
pub use funnel::{funnel, FunnelQuery, FunnelReport, Granularity};
pub use goals::{goal_progress, reverse_waterfall, CalculatorInput, CalculatorReport, GoalProgress};
pub use quality::{quality, QualityReport};
pub use sla::{sla_report, sla_reports, SlaReport};
pub use velocity::{velocity, velocity_steps, VelocityQuery, VelocityReport};

use baton_core::Result;
use baton_store::Workspace;
use std::path::PathBuf;
use std::sync::Arc;

/// The last loaded dataset, reused while the workspace file and its data version
/// are unchanged (every write bumps the version).
#[derive(Default)]
pub struct DatasetCache {
    entry: Option<(PathBuf, Arc<Dataset>)>,
}

impl DatasetCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The dataset of `ws`, loading it only when the data changed.
    pub fn get(&mut self, ws: &Workspace) -> Result<Arc<Dataset>> {
        let version = ws.data_version()?;
        if let Some((path, ds)) = &self.entry {
            if path == ws.path() && ds.version == version {
                return Ok(ds.clone());
            }
        }
        let ds = Arc::new(Dataset::load(ws)?);
        self.entry = Some((ws.path().to_path_buf(), ds.clone()));
        Ok(ds)
    }

    pub fn clear(&mut self) {
        self.entry = None;
    }
}
