use crate::{output, Ctx};
use baton_core::Result;
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum Command {}

impl Command {
    pub fn run(self, _ctx: &Ctx) -> Result<()> {
        match self {}
    }
}

pub fn init(ctx: &Ctx) -> Result<()> {
    let ws = baton_store::Workspace::create(ctx.workspace_path()?)?;
    if ctx.json {
        output::print_json(&json!({"workspace": ws.path(), "schema_version": baton_store::SCHEMA_VERSION}))
    } else {
        println!("created {}", ws.path().display());
        Ok(())
    }
}
