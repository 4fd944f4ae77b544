//! Baton's domain model. Pure types and rules: no SQLite, no files, no Tauri.
//! Types that cross to the UI derive `ts_rs::TS`; `cargo test -p baton-core`
//! regenerates `ui/src/lib/bindings/` (see `scripts/check-bindings.sh`).

pub mod agreement;
pub mod dates;
pub mod definition;
pub mod diagnostic;
pub mod error;
pub mod fields;
pub mod generated;
pub mod goal;
pub mod merge;
pub mod persona;
pub mod progress;
pub mod reach;
pub mod record;
pub mod room;
pub mod sla;
pub mod stages;
pub mod team;
pub mod timer;
pub mod workshop;
pub mod workspace;

pub use error::{BatonError, ErrorCode, Result};
pub use progress::{Cancel, Progress, ProgressFn};
