//! Baton's domain model. Pure types and rules: no SQLite, no files, no Tauri.
//! Types that cross to the UI derive `ts_rs::TS`; `cargo test -p baton-core`
//! regenerates `ui/src/lib/bindings/` (see `scripts/check-bindings.sh`).

pub mod error;
pub mod progress;
pub mod stages;

pub use error::{BatonError, ErrorCode, Result};
pub use progress::{Cancel, Progress, ProgressFn};
