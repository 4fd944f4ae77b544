//! `baton report --pdf OUT.pdf` and `baton export --csv DIR`.

use crate::{output, Ctx};
use baton_core::Result;
use baton_report::{CsvOptions, Paper, ReportRequest, SectionId};
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum Command {
    /// Typeset the management report as a PDF.
    Report {
        /// Where to write the PDF.
        #[arg(long, value_name = "OUT.pdf")]
        pdf: PathBuf,
        /// 2025-Q3, 2025-09, 2025 or all.
        #[arg(long, default_value = "all")]
        period: String,
        /// Sections to include, comma-separated (default: all): summary,
        /// personas, definitions, slas, goals, funnel, cohorts, quality, actions.
        #[arg(long, value_delimiter = ',', value_parser = parse_section)]
        sections: Vec<SectionId>,
        /// a4 or letter.
        #[arg(long, default_value = "a4", value_parser = parse_paper)]
        paper: Paper,
    },
    /// Write the CSV exports (funnel, velocity, SLA breaches, goals, action
    /// items, personas, diagnostic, rejected rows) into a folder.
    Export {
        /// Folder to write the files into (created if missing).
        #[arg(long, value_name = "DIR")]
        csv: PathBuf,
        /// Start each file with a UTF-8 byte-order mark (for Excel).
        #[arg(long)]
        bom: bool,
        /// Field separator: ',' (default), ';' (European Excel), '|' or 'tab'.
        #[arg(long, default_value = ",", value_parser = parse_delimiter)]
        delimiter: char,
        /// 2025-Q3, 2025-09, 2025 or all.
        #[arg(long, default_value = "all")]
        period: String,
    },
}

fn parse_section(s: &str) -> std::result::Result<SectionId, String> {
    SectionId::parse(s).ok_or_else(|| {
        let ids: Vec<&str> = SectionId::ALL.iter().map(|x| x.id()).collect();
        format!("unknown section '{s}': expected one of {}", ids.join(", "))
    })
}

fn parse_paper(s: &str) -> std::result::Result<Paper, String> {
    Paper::parse(s).ok_or_else(|| format!("unknown paper '{s}': expected a4 or letter"))
}

pub(crate) fn parse_delimiter(s: &str) -> std::result::Result<char, String> {
    match s {
        "," | ";" | "|" | "\t" => Ok(s.chars().next().unwrap_or(',')),
        "tab" | "\\t" => Ok('\t'),
        _ => Err(format!(
            "unsupported delimiter '{s}': expected ',', ';', '|' or 'tab'"
        )),
    }
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        match self {
            Command::Report {
                pdf,
                period,
                sections,
                paper,
            } => report(
                ctx,
                pdf,
                ReportRequest {
                    period,
                    sections,
                    paper,
                },
            ),
            Command::Export {
                csv,
                bom,
                delimiter,
                period,
            } => export(ctx, csv, &period, CsvOptions { bom, delimiter }),
        }
    }
}

fn report(ctx: &Ctx, out: PathBuf, request: ReportRequest) -> Result<()> {
    let written = ctx.service()?.report_write(&request, &out)?;
    if ctx.json {
        output::print_json(&written)
    } else {
        println!("wrote {} ({} pages)", out.display(), written.pages);
        Ok(())
    }
}

fn export(ctx: &Ctx, dir: PathBuf, period: &str, opts: CsvOptions) -> Result<()> {
    let files = ctx.service()?.export_csv(&dir, period, &opts)?;
    if ctx.json {
        output::print_json(&json!({ "files": files }))
    } else {
        for f in &files {
            println!("wrote {}", f.display());
        }
        Ok(())
    }
}
