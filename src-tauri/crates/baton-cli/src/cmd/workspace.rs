use crate::{output, Ctx};
use baton_core::Result;
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum Command {
    /// Create the demo workspace (a fictional company's CRM exports, imported) at --workspace.
    Demo,
    /// Show what the workspace holds: company, records, imports, and per kind of
    /// record (contacts, deals…) where its records stand.
    Overview,
    /// Show or change the workspace settings: `settings --company "Acme Ltd"`
    /// (`--company ""` clears it).
    Settings {
        /// The company name shown on Overview and the report cover.
        #[arg(long, value_name = "NAME")]
        company: Option<String>,
        /// The company name's version this change is based on (`company_version` from
        /// `settings --json`); refused (`conflict`) when it changed since.
        #[arg(long, requires = "company")]
        if_version: Option<i64>,
    },
    /// Team workspaces on PostgreSQL: `workspace copy FROM TO`.
    #[command(subcommand)]
    Workspace(TeamCommand),
}

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Copy a workspace file into an empty team database, or a team database into a new
    /// file. Each end is a .baton file or a PostgreSQL connection string
    /// (postgres://user@host:port/db, or host=… port=… dbname=… user=…; the password
    /// from PGPASSWORD or ~/.pgpass). All or nothing; the row counts of every table are
    /// checked and reported.
    Copy {
        /// Where the workspace is now.
        from: String,
        /// Where it goes: an empty team database, or a new (or empty) workspace file.
        to: String,
    },
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        match self {
            Command::Demo => demo(ctx),
            Command::Overview => overview(ctx),
            Command::Settings {
                company,
                if_version,
            } => settings(ctx, company, if_version),
            Command::Workspace(TeamCommand::Copy { from, to }) => copy(ctx, &from, &to),
        }
    }
}

pub fn init(ctx: &Ctx) -> Result<()> {
    if ctx.team_workspace().is_some() {
        // Connecting creates the schema in an empty database (or updates an older one).
        let overview = ctx.service()?.overview()?;
        return if ctx.json {
            output::print_json(
                &json!({"workspace": overview.info.path, "schema_version": baton_store::SCHEMA_VERSION}),
            )
        } else {
            println!("team workspace ready: {}", overview.info.path);
            Ok(())
        };
    }
    let path = ctx.workspace_path()?;
    ctx.service()?.workspace_new(path)?;
    if ctx.json {
        output::print_json(
            &json!({"workspace": path, "schema_version": baton_store::SCHEMA_VERSION}),
        )
    } else {
        println!("created {}", path.display());
        Ok(())
    }
}

fn demo(ctx: &Ctx) -> Result<()> {
    let overview = ctx.service()?.demo_create()?;
    if ctx.json {
        output::print_json(&overview)
    } else {
        println!(
            "created demo workspace {} ({}): {} records from {} imports",
            ctx.workspace_path()?.display(),
            overview.info.company.as_deref().unwrap_or(""),
            overview.records,
            overview.imports
        );
        Ok(())
    }
}

/// What `settings` prints when the company name is not set.
const COMPANY_NOT_SET: &str = "(not set: baton settings --company NAME)";

fn settings(ctx: &Ctx, company: Option<String>, if_version: Option<i64>) -> Result<()> {
    let svc = ctx.service()?;
    let info = match company {
        Some(name) => svc.set_company(Some(&name), if_version)?,
        None => svc.workspace_info()?,
    };
    if ctx.json {
        return output::print_json(
            &json!({ "company": info.company, "company_version": info.company_version }),
        );
    }
    println!(
        "company    {}",
        info.company.as_deref().unwrap_or(COMPANY_NOT_SET)
    );
    Ok(())
}

fn overview(ctx: &Ctx) -> Result<()> {
    let o = ctx.service()?.overview()?;
    if ctx.json {
        return output::print_json(&o);
    }
    println!("workspace  {}", o.info.path);
    println!(
        "company    {}",
        o.info.company.as_deref().unwrap_or(COMPANY_NOT_SET)
    );
    println!("records    {}", o.records);
    println!("imports    {}", o.imports);
    for k in &o.kinds {
        let share = |n: i64| {
            if k.records == 0 {
                "–".to_string()
            } else {
                format!("{:.1}%", n as f64 * 100.0 / k.records as f64)
            }
        };
        let headline = if o.default_kind.as_ref() == Some(&k.kind) {
            " (headline figures count these)"
        } else {
            ""
        };
        println!(
            "{}: {} records by current stage{headline}",
            baton_metrics::scope::plural(&k.kind),
            k.records
        );
        for s in &k.stages {
            println!("  {:<28} {:>8} {:>7}", s.name, s.count, share(s.count));
        }
        println!("  {:<28} {:>8} {:>7}", "Closed lost", k.lost, share(k.lost));
        if k.no_stage > 0 {
            println!(
                "  {:<28} {:>8} {:>7}",
                "No stage",
                k.no_stage,
                share(k.no_stage)
            );
        }
    }
    Ok(())
}

fn copy(ctx: &Ctx, from: &str, to: &str) -> Result<()> {
    let report = baton_service::team::workspace_copy(from, to)?;
    if ctx.json {
        return output::print_json(&report);
    }
    println!("copied {} → {}", report.from, report.to);
    println!("  {:<26} {:>10}", "table", "rows");
    for t in &report.tables {
        println!("  {:<26} {:>10}", t.table, t.rows);
    }
    println!(
        "{} rows in {} tables, schema version {}; the counts match on both sides",
        report.total_rows,
        report.tables.len(),
        report.schema_version
    );
    Ok(())
}
