//! `baton --workspace FILE <command>`: Baton without a window, on the same crates as the app.
//! Each area keeps its subcommands in `cmd/<area>.rs`; this file only dispatches.

mod cmd;
mod output;
mod pipe;

use baton_core::BatonError;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "baton",
    version,
    about = "Baton: sales and marketing alignment workbench (headless)"
)]
struct Cli {
    /// The workspace: a .baton file, or a team workspace on PostgreSQL
    /// (postgres://user@host:port/db, or "host=… dbname=… user=…"; the password from
    /// PGPASSWORD or ~/.pgpass).
    #[arg(long, global = true, value_name = "FILE|DB")]
    workspace: Option<PathBuf>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an empty workspace.
    Init,
    #[command(flatten)]
    Workspace(cmd::workspace::Command),
    #[command(flatten)]
    Import(cmd::import::Command),
    #[command(flatten)]
    Metrics(cmd::metrics::Command),
    #[command(flatten)]
    Workshop(cmd::workshop::Command),
    #[command(flatten)]
    Report(cmd::report::Command),
    #[command(flatten)]
    Definitions(cmd::definitions::Command),
    #[command(flatten)]
    Edits(cmd::edits::Command),
    /// The room: participants join from their own phones and laptops.
    Room {
        #[command(subcommand)]
        command: cmd::room::Command,
    },
}

/// What every subcommand gets: the workspace path and output mode.
pub struct Ctx {
    pub workspace: Option<PathBuf>,
    pub json: bool,
}

impl Ctx {
    pub fn workspace_path(&self) -> Result<&std::path::Path, BatonError> {
        self.workspace.as_deref().ok_or_else(|| {
            BatonError::new(
                baton_core::ErrorCode::NoWorkspace,
                "no workspace given: pass --workspace FILE",
            )
        })
    }
    /// The `--workspace` given as a team database's connection string, if it is one.
    pub fn team_workspace(&self) -> Option<&str> {
        self.workspace
            .as_deref()
            .and_then(|p| p.to_str())
            .filter(|s| baton_store::pg::is_connection_string(s))
    }

    /// The application layer on the `--workspace` file or team database (connecting to
    /// a team database brings its schema up to this build's).
    pub fn service(&self) -> Result<baton_service::Service, BatonError> {
        if let Some(url) = self.team_workspace() {
            let target = baton_store::pg::PgTarget::parse(url)?;
            let session = baton_service::Session::team(&target)?;
            return Ok(baton_service::Service::new(session)
                .keeping_team_datasets_in(baton_service::team_datasets::default_dir()));
        }
        Ok(baton_service::Service::for_file(self.workspace_path()?))
    }
}

fn main() -> ExitCode {
    pipe::end_quietly_on_closed_stdout();
    let cli = Cli::parse();
    let ctx = Ctx {
        workspace: cli.workspace,
        json: cli.json,
    };
    let result = match cli.command {
        Command::Init => cmd::workspace::init(&ctx),
        Command::Workspace(c) => c.run(&ctx),
        Command::Import(c) => c.run(&ctx),
        Command::Metrics(c) => c.run(&ctx),
        Command::Workshop(c) => c.run(&ctx),
        Command::Report(c) => c.run(&ctx),
        Command::Definitions(c) => c.run(&ctx),
        Command::Edits(c) => c.run(&ctx),
        Command::Room { command } => command.run(&ctx),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "baton: error[{}]: {}",
                output::code_name(&e),
                e.message.replace('\n', " ")
            );
            ExitCode::FAILURE
        }
    }
}
