//! Lead definitions run on the records: `definition-check`.

use crate::{output, Ctx};
use baton_core::definition::DefinitionCriteria;
use baton_core::{BatonError, Result};
use baton_metrics::stats::Rate;
use baton_metrics::{DefinitionCheck, DefinitionQuery};
use clap::Subcommand;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum Command {
    /// Run a stage's lead definition on the records: how many meet it per entry month,
    /// how they moved on against the rest, and the overlap with what the CRM marked.
    DefinitionCheck {
        /// The stage whose definition to run (mql, sql, …).
        #[arg(long)]
        stage: String,
        /// The version of the definition (default: the latest).
        #[arg(long, conflicts_with = "criteria")]
        version: Option<u32>,
        /// Criteria from a JSON file instead of a saved version:
        /// `{"all": [{"op": "at_least", "field": "score", "value": 60}], "disqualifiers": []}`.
        #[arg(long, value_name = "FILE")]
        criteria: Option<PathBuf>,
        /// Entry date (first dated stage) on or after this day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Entry date on or before this day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        let Command::DefinitionCheck {
            stage,
            version,
            criteria,
            from,
            to,
        } = self;
        let svc = ctx.service()?;
        let (criteria, version) = match criteria {
            Some(file) => (read_criteria(&file)?, None),
            None => {
                let (c, v) = svc.saved_definition_criteria(&stage, version)?;
                (c, Some(v))
            }
        };
        let check = svc.definition_check(&DefinitionQuery {
            stage,
            criteria,
            from,
            to,
        })?;
        if ctx.json {
            return output::print_json(&flat(&check, version));
        }
        for line in describe(&check) {
            println!("{line}");
        }
        Ok(())
    }
}

pub(crate) fn read_criteria(file: &Path) -> Result<DefinitionCriteria> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| BatonError::io(format!("reading {}", file.display()), e))?;
    serde_json::from_str(&text).map_err(|e| {
        BatonError::invalid(format!(
            "{}: line {}, column {}: not definition criteria ({e}); expected {{\"all\": [conditions], \"disqualifiers\": [conditions]}}",
            file.display(),
            e.line(),
            e.column()
        ))
    })
}

fn put_rate(out: &mut Map<String, Value>, name: &str, r: Option<&Rate>) {
    out.insert(name.into(), json!(r.and_then(|r| r.rate)));
    out.insert(format!("{name}_low"), json!(r.and_then(|r| r.low)));
    out.insert(format!("{name}_high"), json!(r.and_then(|r| r.high)));
}

/// The check as flat JSON: counts, rates as fractions with `_low`/`_high` bounds.
pub fn flat(c: &DefinitionCheck, version: Option<u32>) -> Value {
    let mut out = Map::new();
    out.insert("stage".into(), json!(c.stage));
    out.insert("version".into(), json!(version));
    out.insert("next_stage".into(), json!(c.next_stage));
    out.insert("customer_stage".into(), json!(c.customer_stage));
    out.insert("kind".into(), json!(c.kind));
    out.insert("records".into(), json!(c.records));
    out.insert("meets".into(), json!(c.meets));
    out.insert("others".into(), json!(c.others));
    out.insert("undated".into(), json!(c.undated));
    put_rate(&mut out, "meets_next_rate", c.meets_next.as_ref());
    put_rate(&mut out, "others_next_rate", c.others_next.as_ref());
    put_rate(&mut out, "meets_customer_rate", Some(&c.meets_customer));
    put_rate(&mut out, "others_customer_rate", Some(&c.others_customer));
    out.insert("crm_marked".into(), json!(c.crm_marked));
    out.insert("crm_marked_and_meets".into(), json!(c.crm_marked_and_meets));
    put_rate(&mut out, "crm_marked_meeting_rate", Some(&c.marked_meeting));
    put_rate(&mut out, "meets_unmarked_rate", Some(&c.meets_unmarked));
    out.insert("by_month".into(), json!(c.by_month));
    Value::Object(out)
}

fn pct(r: &Rate) -> String {
    match (r.rate, r.low, r.high) {
        (Some(x), Some(l), Some(h)) => format!(
            "{:.0}% (n = {}, 95% interval {:.0}–{:.0}%)",
            x * 100.0,
            r.n,
            l * 100.0,
            h * 100.0
        ),
        _ => "no records".into(),
    }
}

fn describe(c: &DefinitionCheck) -> Vec<String> {
    let mut lines = vec![format!(
        "{} of {} records meet the {} definition{}",
        c.meets,
        c.records,
        c.stage,
        c.kind
            .as_ref()
            .map(|k| format!(" (counting {k} records)"))
            .unwrap_or_default()
    )];
    if let (Some(next), Some(m), Some(o)) = (&c.next_stage, &c.meets_next, &c.others_next) {
        lines.push(format!(
            "reached {next}: {} of those meeting it, {} of the others",
            pct(m),
            pct(o)
        ));
    }
    lines.push(format!(
        "reached {}: {} of those meeting it, {} of the others",
        c.customer_stage,
        pct(&c.meets_customer),
        pct(&c.others_customer)
    ));
    lines.push(format!(
        "of {} records the CRM marked {}, {} meet this definition; {} of those meeting it were never marked {}",
        c.crm_marked,
        c.stage,
        pct(&c.marked_meeting),
        pct(&c.meets_unmarked),
        c.stage
    ));
    for m in &c.by_month {
        lines.push(format!(
            "  {}: {} of {} meet it",
            m.month, m.meets, m.records
        ));
    }
    if c.undated > 0 {
        lines.push(format!(
            "{} records without any stage date were left out",
            c.undated
        ));
    }
    lines
}
