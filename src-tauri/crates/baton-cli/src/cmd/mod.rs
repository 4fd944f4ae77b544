//! One module per area; each exposes a clap `Subcommand` enum flattened into `main.rs`.
pub mod workspace;
