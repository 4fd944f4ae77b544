use crate::{output, Ctx};
use baton_core::Result;
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum Command {
    /// Create the demo workspace (a fictional company's CRM exports, imported) at --workspace.
    Demo,
    /// Show what the workspace holds: company, records, imports, records per stage.
    Overview,
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        match self {
            Command::Demo => demo(ctx),
            Command::Overview => overview(ctx),
        }
    }
}

pub fn init(ctx: &Ctx) -> Result<()> {
    let ws = baton_store::Workspace::create(ctx.workspace_path()?)?;
    if ctx.json {
        output::print_json(
            &json!({"workspace": ws.path(), "schema_version": baton_store::SCHEMA_VERSION}),
        )
    } else {
        println!("created {}", ws.path().display());
        Ok(())
    }
}

fn demo(ctx: &Ctx) -> Result<()> {
    let ws = baton_demo::create_demo(ctx.workspace_path()?)?;
    let overview = ws.overview()?;
    if ctx.json {
        output::print_json(&overview)
    } else {
        println!(
            "created demo workspace {} ({}): {} records from {} imports",
            ws.path().display(),
            overview.info.company.as_deref().unwrap_or(""),
            overview.records,
            overview.imports
        );
        Ok(())
    }
}

fn overview(ctx: &Ctx) -> Result<()> {
    let o = ctx.open()?.overview()?;
    if ctx.json {
        return output::print_json(&o);
    }
    println!("workspace  {}", o.info.path);
    if let Some(company) = &o.info.company {
        println!("company    {company}");
    }
    println!("records    {}", o.records);
    for k in &o.records_by_kind {
        println!("  {:<12} {}", k.kind, k.count);
    }
    println!("imports    {}", o.imports);
    println!("stages");
    for s in &o.stages {
        println!("  {:<28} {}", s.name, s.count);
    }
    println!("  {:<28} {}", "Closed lost", o.lost);
    Ok(())
}
