//! Import commands: `import`, `import-preview`, `imports`, `undo-import`, `import-rejects`.

use crate::{output, Ctx};
use baton_core::{BatonError, ErrorCode, Progress, Result};
use baton_import::{ImportOptions, PersonalData};
use baton_service::{Service, Session};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, ValueEnum)]
pub enum PersonalArg {
    /// Do not store names, e-mails, phones (default).
    Skip,
    /// Store them as SHA-256 of the trimmed, lower-cased value.
    Hashed,
    /// Store them as read.
    Plain,
}

#[derive(Subcommand)]
pub enum Command {
    /// Import CRM export files (each file is one import, all or nothing).
    Import {
        /// Use this preset instead of detecting it (hubspot-contacts, hubspot-deals,
        /// salesforce-leads, salesforce-opportunities, pipedrive-deals, zoho-leads, zoho-deals).
        #[arg(long, conflicts_with = "profile")]
        preset: Option<String>,
        /// Use this import profile (JSON; see docs/import.md).
        #[arg(long, value_name = "FILE.json")]
        profile: Option<PathBuf>,
        /// Date format when a column cannot decide: auto, ymd, mdy, dmy, excel.
        #[arg(long, value_name = "F")]
        date_format: Option<String>,
        /// Land the good rows and keep the bad ones aside with reasons.
        #[arg(long)]
        allow_partial: bool,
        /// With --allow-partial: import the good rows even when more than half of the
        /// rows are rejected (refused otherwise, as the file is probably misread).
        #[arg(long, requires = "allow_partial")]
        force: bool,
        /// Personal columns (names, e-mail, phone).
        #[arg(long, value_enum, default_value = "skip")]
        personal: PersonalArg,
        /// Date the import's snapshot is "as of" (YYYY-MM-DD[ HH:MM]); now by default.
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Sheet of a workbook (.xlsx, .xls, .ods) to read; the first with data by default.
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// Print progress lines on stderr.
        #[arg(long)]
        progress: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Show what an import would read: detected preset, encoding, delimiter, column types.
    ImportPreview {
        #[arg(long, conflicts_with = "profile")]
        preset: Option<String>,
        #[arg(long, value_name = "FILE.json")]
        profile: Option<PathBuf>,
        #[arg(long, value_name = "F")]
        date_format: Option<String>,
        /// Sheet of a workbook (.xlsx, .xls, .ods) to read; the first with data by default.
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        file: PathBuf,
    },
    /// List import history, newest first.
    Imports,
    /// Undo an import (records it inserted go, records it updated get their values back).
    UndoImport { id: i64 },
    /// Rows an import kept aside, as CSV (stdout or --output): file, row, column, value,
    /// reason and the raw row, with cells a spreadsheet would run as formulas written as text.
    ImportRejects {
        id: i64,
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Start with a UTF-8 byte-order mark (for Excel).
        #[arg(long)]
        bom: bool,
        /// Field separator: ',' (default), ';' (European Excel), '|' or 'tab'.
        #[arg(long, default_value = ",", value_parser = crate::cmd::report::parse_delimiter)]
        delimiter: char,
    },
}

fn options(
    svc: &Service,
    preset: Option<String>,
    profile: Option<&Path>,
    date_format: Option<String>,
) -> Result<ImportOptions> {
    Ok(ImportOptions {
        preset,
        profile: profile.map(|p| svc.profile_load(p)).transpose()?,
        date_format,
        ..ImportOptions::default()
    })
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        match self {
            Command::Import {
                preset,
                profile,
                date_format,
                allow_partial,
                force,
                personal,
                as_of,
                sheet,
                progress,
                files,
            } => {
                let svc = ctx.service()?;
                let mut opts = options(&svc, preset, profile.as_deref(), date_format)?;
                opts.sheet = sheet;
                opts.allow_partial = allow_partial;
                opts.force = force;
                // A workspace the CLI imports into is normally not open elsewhere: take the
                // faster rollback-journal path (refused at once if another connection has it).
                opts.rollback_journal = true;
                opts.personal = match personal {
                    PersonalArg::Skip => PersonalData::Skip,
                    PersonalArg::Hashed => PersonalData::Hashed,
                    PersonalArg::Plain => PersonalData::Plain,
                };
                opts.as_of = as_of
                    .map(|s| {
                        baton_import::parse_wall_clock(&s).ok_or_else(|| {
                            BatonError::invalid(format!(
                                "--as-of {s:?}: expected YYYY-MM-DD or YYYY-MM-DD HH:MM"
                            ))
                        })
                    })
                    .transpose()?;
                for file in files {
                    let mut report = |p: Progress| {
                        if progress {
                            eprintln!(
                                "progress: {} {} / {}",
                                p.phase,
                                p.done,
                                p.total.unwrap_or(0)
                            );
                        }
                    };
                    let summary = svc
                        .import_run(&file, &opts, &mut report)
                        .map_err(|e| with_cli_hint(e, &file))?;
                    if ctx.json {
                        let line = serde_json::to_string(&summary)
                            .map_err(|e| BatonError::internal(e.to_string()))?;
                        println!("{line}");
                    } else {
                        let read_as = match &summary.sheet {
                            Some(sheet) => format!("sheet \"{sheet}\""),
                            None => format!("delimiter {}", summary.delimiter),
                        };
                        println!(
                            "{}: import {} ({}, {}, {read_as}): {} rows read, {} inserted, {} updated, {} rejected",
                            file.display(),
                            summary.import_id,
                            summary.preset,
                            summary.encoding,
                            summary.rows_read,
                            summary.inserted,
                            summary.updated,
                            summary.rejected
                        );
                        for w in &summary.warnings {
                            println!("  warning: {w}");
                        }
                    }
                }
                Ok(())
            }
            Command::ImportPreview {
                preset,
                profile,
                date_format,
                sheet,
                file,
            } => {
                // Mapped with the workspace's stages and stage value map, as the import will.
                let svc = match &ctx.workspace {
                    Some(_) => ctx.service()?,
                    None => Service::new(Session::none()),
                };
                let mut opts = options(&svc, preset, profile.as_deref(), date_format)?;
                opts.sheet = sheet;
                let p = svc.import_preview(&file, &opts)?;
                if ctx.json {
                    return output::print_json(&p);
                }
                match &p.sheet {
                    Some(sheet) => println!(
                        "{}: preset {}, {}, sheet \"{sheet}\" (sheets: {}), header on row {}",
                        p.file_name,
                        p.preset.as_deref().unwrap_or("(none)"),
                        p.encoding,
                        p.sheets.join(", "),
                        p.header_line
                    ),
                    None => println!(
                        "{}: preset {}, {}, delimiter {}, header on line {}",
                        p.file_name,
                        p.preset.as_deref().unwrap_or("(none)"),
                        p.encoding,
                        p.delimiter,
                        p.header_line
                    ),
                }
                for c in &p.columns {
                    let format = c.date_format.map(|f| format!(" {f:?}")).unwrap_or_default();
                    let ambiguous = if c.ambiguous_dates {
                        " AMBIGUOUS M/D vs D/M"
                    } else {
                        ""
                    };
                    println!(
                        "  {:<40} {:?}{format}{ambiguous} -> {}",
                        c.name,
                        c.column_type,
                        c.role.as_deref().unwrap_or("(not imported)")
                    );
                }
                if let Some(w) = &p.would_import {
                    let stages: Vec<String> = w
                        .stages
                        .iter()
                        .filter(|s| s.records > 0)
                        .map(|s| format!("{} {}", s.name, s.records))
                        .collect();
                    println!(
                        "  would import {} {} record(s){} from {} row(s){}: {}{}; {} row(s) rejected, {} skipped",
                        w.records,
                        w.kind,
                        if w.repeated > 0 { format!(" ({} repeated id(s))", w.repeated) } else { String::new() },
                        w.rows,
                        if w.all_rows { "" } else { " examined" },
                        if stages.is_empty() { "no stage".to_string() } else { stages.join(", ") },
                        if w.no_stage > 0 && !stages.is_empty() { format!(", no stage {}", w.no_stage) } else { String::new() },
                        w.rejected,
                        w.skipped
                    );
                    for r in &w.rejects {
                        println!("  rejected: {r}");
                    }
                }
                for w in &p.warnings {
                    println!("  warning: {w}");
                }
                if let Some(e) = &p.problem {
                    println!("  problem: {}", e.message);
                }
                Ok(())
            }
            Command::Imports => {
                let list = ctx.service()?.imports()?;
                if ctx.json {
                    return output::print_json(&list);
                }
                for i in list {
                    println!(
                        "{:>4}  {}  {:<28} {:<24} {:>8} read {:>8} ins {:>8} upd {:>6} rej{}",
                        i.id,
                        baton_store_date(i.imported_at),
                        i.file_name,
                        i.preset,
                        i.rows_read,
                        i.inserted,
                        i.updated,
                        i.rejected,
                        if i.undone_at.is_some() {
                            "  (undone)"
                        } else {
                            ""
                        }
                    );
                }
                Ok(())
            }
            Command::UndoImport { id } => {
                let s = ctx.service()?.import_undo(id)?;
                if ctx.json {
                    return output::print_json(&s);
                }
                println!(
                    "undid import {}: {} record(s) deleted, {} restored",
                    s.import_id, s.deleted, s.restored
                );
                Ok(())
            }
            Command::ImportRejects {
                id,
                output,
                bom,
                delimiter,
            } => {
                let svc = ctx.service()?;
                let opts = baton_report::CsvOptions { bom, delimiter };
                match output {
                    Some(path) => svc.import_rejects_save(id, &path, &opts),
                    None => baton_report::csv_out::write_table(
                        &svc.import_rejects(id)?,
                        &opts,
                        std::io::stdout().lock(),
                    ),
                }
            }
        }
    }
}

fn baton_store_date(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.naive_utc().format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The CLI's way to answer what the app asks in its preview.
fn with_cli_hint(e: BatonError, file: &Path) -> BatonError {
    if e.code == ErrorCode::TooManyRejected {
        BatonError::new(
            e.code,
            format!(
                "{} with --force (baton import --allow-partial --force {}).",
                e.message.trim_end_matches(", confirm the partial import"),
                file.display()
            ),
        )
    } else if e.code == ErrorCode::AmbiguousDateFormat {
        BatonError::new(
            e.code,
            format!(
                "{} Re-run with --date-format mdy or --date-format dmy.",
                e.message
            ),
        )
    } else if e
        .message
        .contains("choose a preset or say which column holds what")
    {
        BatonError::new(
            e.code,
            format!(
                "{} (--preset NAME or --profile FILE.json for {})",
                e.message,
                file.display()
            ),
        )
    } else {
        e
    }
}
