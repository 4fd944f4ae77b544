//! The store's boundary: repository traits per area, which everything above the store
//! (import, metrics, reports, the service, the Tauri shell, the CLI) calls. The SQLite
//! [`Workspace`](crate::Workspace) is their first implementation; a PostgreSQL team
//! workspace implements the same traits. SQL stays behind them, in this crate.
//!
//! Each area trait is declared next to its SQLite implementation (one module per
//! area). The four boundary traits below group them by who uses them; each is
//! implemented for every type that implements its parts.

use crate::changes::ChangeLog;
use crate::dataset::RecordReads;
use crate::imports::{ImportHistory, ImportUndo, StageConfig};
use crate::metrics::MetricsConfig;
use crate::overview::OverviewStore;
use crate::records::{ImportWriting, RecordViews};
use crate::room::RoomStore;
use crate::timer::TimerStore;
use crate::tracking::TrackingReads;
use crate::unmapped::UnmappedStages;
use crate::workshop::{
    ActionStore, AgreementStore, BlindRoundStore, CampaignStore, DiagnosticStore, DotVoteStore,
    FieldValues, PeopleStore, PersonaSignOff, PersonaStore, SessionStore,
};
use crate::workspace::WorkspaceState;

/// What metrics and reports read: the records, the imports that wrote them, record
/// views, field values, import tracking, the overview and the data version.
pub trait RecordsSource:
    WorkspaceState
    + RecordReads
    + ImportHistory
    + RecordViews
    + TrackingReads
    + FieldValues
    + OverviewStore
    + UnmappedStages
{
}
impl<T> RecordsSource for T where
    T: WorkspaceState
        + RecordReads
        + ImportHistory
        + RecordViews
        + TrackingReads
        + FieldValues
        + OverviewStore
        + UnmappedStages
        + ?Sized
{
}

/// What imports write: the import writer (records, rejects, snapshots, undo images,
/// tracking) and undo.
pub trait RecordsSink: ImportWriting + ImportUndo {}
impl<T> RecordsSink for T where T: ImportWriting + ImportUndo + ?Sized {}

/// How the funnel is configured: stages, the CRM value → stage map, SLA clauses,
/// business hours, goals and settings.
pub trait FunnelConfig: WorkspaceState + StageConfig + MetricsConfig {}
impl<T> FunnelConfig for T where T: WorkspaceState + StageConfig + MetricsConfig + ?Sized {}

/// The workshop: people, personas (and their sign-off), agreements and blind rounds,
/// the diagnostic, sessions, action items, dot votes, campaigns, the timer and the room.
pub trait WorkshopStore:
    PeopleStore
    + PersonaStore
    + PersonaSignOff
    + AgreementStore
    + BlindRoundStore
    + DiagnosticStore
    + SessionStore
    + ActionStore
    + DotVoteStore
    + CampaignStore
    + TimerStore
    + RoomStore
{
}
impl<T> WorkshopStore for T where
    T: PeopleStore
        + PersonaStore
        + PersonaSignOff
        + AgreementStore
        + BlindRoundStore
        + DiagnosticStore
        + SessionStore
        + ActionStore
        + DotVoteStore
        + CampaignStore
        + TimerStore
        + RoomStore
        + ?Sized
{
}

/// What every use case reads and writes but an import's records: the records and
/// their history, the funnel's configuration, the workshop and the change log. The
/// service's use cases run on this, on a file or a team database alike.
pub trait WorkspaceData: RecordsSource + FunnelConfig + WorkshopStore + ChangeLog {}
impl<T> WorkspaceData for T where
    T: RecordsSource + FunnelConfig + WorkshopStore + ChangeLog + ?Sized
{
}

/// Everything a workspace stores: its data and the import writer.
pub trait WorkspaceStore: WorkspaceData + RecordsSink {}
impl<T> WorkspaceStore for T where T: WorkspaceData + RecordsSink + ?Sized {}

/// `use baton_store::prelude::*;` brings every repository trait in scope.
pub mod prelude {
    pub use super::{
        FunnelConfig, RecordsSink, RecordsSource, WorkshopStore, WorkspaceData, WorkspaceStore,
    };
    pub use crate::changes::ChangeLog;
    pub use crate::dataset::RecordReads;
    pub use crate::imports::{ImportHistory, ImportUndo, StageConfig};
    pub use crate::metrics::MetricsConfig;
    pub use crate::overview::OverviewStore;
    pub use crate::records::{ImportWriting, RecordViews};
    pub use crate::room::RoomStore;
    pub use crate::timer::TimerStore;
    pub use crate::tracking::TrackingReads;
    pub use crate::unmapped::UnmappedStages;
    pub use crate::workshop::{
        ActionStore, AgreementStore, BlindRoundStore, CampaignStore, DiagnosticStore, DotVoteStore,
        FieldValues, PeopleStore, PersonaSignOff, PersonaStore, SessionStore,
    };
    pub use crate::workspace::WorkspaceState;
}

#[cfg(test)]
mod tests {
    use super::prelude::*;

    #[test]
    fn the_boundary_traits_are_object_safe_and_implemented_by_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::Workspace::create(&dir.path().join("w.baton")).unwrap();
        let store: &dyn WorkspaceStore = &ws;
        assert!(store.people().unwrap().is_empty());
        let source: &dyn RecordsSource = &ws;
        assert_eq!(source.record_count().unwrap(), 0);
        let funnel: &dyn FunnelConfig = &ws;
        assert!(!funnel.stages().unwrap().is_empty());
        let workshop: &dyn WorkshopStore = &ws;
        assert!(workshop.sessions().unwrap().is_empty());
        let _sink: &dyn RecordsSink = &ws;
    }
}
