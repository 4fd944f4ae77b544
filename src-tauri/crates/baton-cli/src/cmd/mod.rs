//! One module per area; each exposes a clap `Subcommand` enum flattened into `main.rs`.
pub mod definitions;
pub mod edits;
pub mod import;
pub mod metrics;
pub mod report;
pub mod room;
pub mod workshop;
pub mod workspace;
