//! A profile resolved against a file's header: column indexes, stage lookups and per-column
//! date state, ready to turn rows into records.

use crate::options::{ImportOptions, PersonalData, Profile};
use crate::table::normalise;
use crate::values::DecimalMark;
use baton_core::dates::{self, DateFormat, Formats, Parsed};
use baton_core::stages::{Stage, LOST};
use baton_core::{BatonError, Result};
use baton_store::TextField;
use std::collections::HashMap;

/// A date column's state while a file is read: the formats its values still allow.
#[derive(Debug, Clone)]
pub struct DateColumn {
    pub col: usize,
    pub name: String,
    /// Chosen by the user (option or profile); the values are not sniffed.
    pub forced: Option<DateFormat>,
    pub formats: Formats,
    /// The day/month order used while the column is still undecided.
    pub assumed: DateFormat,
    /// A value whose meaning depends on the day/month order was read (and where).
    pub order_mattered: Option<(u64, String)>,
    pub serials: u64,
}

/// Why a date did not read, for the row error.
pub enum DateProblem {
    Invalid(String),
    /// The column turned out to use another day/month order than the one assumed for
    /// earlier rows: the import must start over with `DateFormat` for this column.
    Restart(DateFormat),
}

impl DateColumn {
    fn new(col: usize, name: String, forced: Option<DateFormat>, assumed: DateFormat) -> Self {
        Self {
            col,
            name,
            forced,
            formats: Formats::TEXT_ALL,
            assumed,
            order_mattered: None,
            serials: 0,
        }
    }

    /// Seconds for a non-null cell, narrowing the column's formats.
    pub fn read(&mut self, raw: &str, line: u64) -> std::result::Result<i64, DateProblem> {
        let known = self.forced.or(self.formats.decided());
        let expected = || {
            DateProblem::Invalid(match known {
                Some(f) => format!("a date in the format {} (as in the rest of the column)", f.label()),
                None => "a date (YYYY-MM-DD, M/D/YYYY, D/M/YYYY, D-M-YYYY, with or without a time, or an Excel serial number)".into(),
            })
        };
        let parsed = dates::parse(raw).ok_or_else(expected)?;
        if let Parsed::Serial(_) = parsed {
            self.serials += 1;
            return parsed.seconds(DateFormat::Excel).ok_or_else(expected);
        }
        if let Some(f) = self.forced {
            if f == DateFormat::Excel {
                return Err(DateProblem::Invalid("an Excel serial number".into()));
            }
            return parsed.seconds(f).ok_or_else(expected);
        }
        let narrowed = self.formats.intersect(parsed.formats());
        if narrowed.is_empty() {
            return Err(expected());
        }
        let was_open = self.formats.day_month_open();
        self.formats = narrowed;
        if parsed.order_matters() {
            if narrowed.day_month_open() {
                if self.order_mattered.is_none() {
                    self.order_mattered = Some((line, raw.trim().to_string()));
                }
            } else if was_open && self.order_mattered.is_some() {
                let decided = narrowed.decided().unwrap_or(self.assumed);
                if decided != self.assumed {
                    return Err(DateProblem::Restart(decided));
                }
            }
        } else if was_open && !narrowed.day_month_open() && self.order_mattered.is_some() {
            let decided = narrowed.decided().unwrap_or(self.assumed);
            if decided != self.assumed {
                return Err(DateProblem::Restart(decided));
            }
        }
        let format = if narrowed.day_month_open() {
            self.assumed
        } else {
            narrowed.decided().unwrap_or(self.assumed)
        };
        parsed.seconds(format).ok_or_else(expected)
    }

    /// Still undecided after the whole column, with values whose meaning depends on it.
    pub fn is_ambiguous(&self) -> bool {
        self.forced.is_none() && self.formats.day_month_open() && self.order_mattered.is_some()
    }

    /// The format the column was read with, for display.
    pub fn format_used(&self) -> Option<DateFormat> {
        self.forced.or(self.formats.decided())
    }
}

/// Where a role's value comes from: an index into `Mapping::dates`.
type DateRef = usize;

pub struct Mapping {
    pub kind: String,
    pub preset_name: String,
    pub id_cols: Vec<usize>,
    pub stage_col: Option<usize>,
    /// Looked up for every row (a fast hasher, seeded per map).
    stage_lookup: foldhash::HashMap<String, String>,
    pub stage_default: Option<String>,
    pub converted_col: Option<usize>,
    pub converted_stage: String,
    pub closed_col: Option<usize>,
    pub outcome_col: Option<usize>,
    outcome_lookup: foldhash::HashMap<String, Option<baton_store::Outcome>>,
    pub dates: Vec<DateColumn>,
    /// Stage id → date columns (earliest wins).
    pub stage_dates: Vec<(String, Vec<DateRef>)>,
    pub created: Option<DateRef>,
    pub close: Option<DateRef>,
    pub won: Option<DateRef>,
    pub lost: Option<DateRef>,
    pub texts: Vec<(TextField, usize)>,
    pub company_size: Option<usize>,
    pub amount: Option<usize>,
    pub decimal_mark: DecimalMark,
    pub custom: Vec<(String, usize)>,
    pub personal: Vec<(String, usize)>,
    pub personal_mode: PersonalData,
    /// Columns holding personal data, stored or not: the profile's `personal` columns
    /// and any column a preset knows as personal. Rejected rows never keep them in plain
    /// unless the import opts in.
    pub personal_cols: Vec<usize>,
    /// The record key is made of personal columns and the import did not opt in to plain
    /// personal data: store the key's SHA-256 instead of the names.
    pub hash_key: bool,
    /// Position of each stage id in the funnel; `lost` is absent.
    pub positions: HashMap<String, u32>,
    pub last_stage: String,
}

/// Where an imported field of `baton_core::fields` lands in a record row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Text(TextField),
    CompanySize,
    Amount,
}

/// The slot of one of Baton's own fields; any other name in a profile's `fields` is a
/// custom field.
fn builtin_slot(name: &str) -> Option<Slot> {
    if let Some(f) = TextField::ALL.into_iter().find(|f| f.column() == name) {
        return Some(Slot::Text(f));
    }
    match name {
        "company_size" => Some(Slot::CompanySize),
        "amount" => Some(Slot::Amount),
        _ => None,
    }
}

/// Lower-cased, trimmed key for value lookups.
pub fn value_key(v: &str) -> String {
    v.trim().to_lowercase()
}

pub struct Context<'a> {
    pub header: &'a [String],
    pub file_name: &'a str,
    pub stages: &'a [Stage],
    pub workspace_map: &'a [(String, String)],
    pub options: &'a ImportOptions,
    /// Column → format decided by an earlier pass of this import.
    pub decided: &'a HashMap<usize, DateFormat>,
    /// Column → format the first rows point to (assumption for undecided columns).
    pub sampled: &'a HashMap<usize, DateFormat>,
    pub decimal_mark: DecimalMark,
}

impl Mapping {
    pub fn resolve(profile: &Profile, preset_name: &str, cx: &Context<'_>) -> Result<Self> {
        let file = cx.file_name;
        let find = |role: &str, name: &str| -> Result<usize> {
            let wanted = normalise(name);
            cx.header
                .iter()
                .position(|h| normalise(h) == wanted)
                .ok_or_else(|| {
                    BatonError::invalid(format!(
                        "{file}: the mapping reads the {} from the column \"{name}\", but the file has no such column (its columns: {}). Choose the column that holds it",
                        role_label(role),
                        shorten_list(cx.header)
                    ))
                })
        };
        let opt = |role: &str, name: &Option<String>| -> Result<Option<usize>> {
            name.as_deref().map(|n| find(role, n)).transpose()
        };
        let id_cols = match (&profile.record_id, profile.record_key.is_empty()) {
            (Some(c), _) => vec![find("record_id", c)?],
            (None, false) => profile
                .record_key
                .iter()
                .map(|c| find("record_key", c))
                .collect::<Result<_>>()?,
            (None, true) => {
                return Err(BatonError::invalid(format!(
                    "{file}: choose which column holds the record id (or, when the file has none, the columns that together identify a record)"
                )))
            }
        };
        let known_stage = |id: &str| id == LOST || cx.stages.iter().any(|s| s.id == id);
        let check_stage = |id: &str, what: &str| -> Result<()> {
            if known_stage(id) {
                Ok(())
            } else {
                Err(BatonError::invalid(format!(
                    "{file}: {what} is mapped to the stage \"{id}\", which this workspace does not have (its stages: {}, or Closed lost). Add the stage on the Vocabulary screen or choose another one",
                    cx.stages.iter().map(|s| format!("{} ({})", s.name, s.id)).collect::<Vec<_>>().join(", ")
                )))
            }
        };
        let mut stage_lookup = foldhash::HashMap::default();
        for (value, stage) in &profile.stage_values {
            check_stage(stage, &format!("the stage value \"{value}\""))?;
            stage_lookup.insert(value_key(value), stage.clone());
        }
        for (value, stage) in cx.workspace_map {
            stage_lookup.insert(value_key(value), stage.clone());
        }
        for s in cx.stages {
            stage_lookup
                .entry(value_key(&s.id))
                .or_insert_with(|| s.id.clone());
            stage_lookup
                .entry(value_key(&s.name))
                .or_insert_with(|| s.id.clone());
        }
        stage_lookup
            .entry(LOST.into())
            .or_insert_with(|| LOST.into());
        if let Some(d) = &profile.stage_default {
            check_stage(d, "\"Any other value\"")?;
        }
        let converted_stage = profile
            .converted_stage
            .clone()
            .unwrap_or_else(|| "sql".into());
        if profile.converted_column.is_some() {
            check_stage(&converted_stage, "a converted record")?;
        }
        let mut outcome_lookup = foldhash::HashMap::default();
        for (value, outcome) in &profile.outcome_values {
            let o = match outcome.as_str() {
                "won" => Some(baton_store::Outcome::Won),
                "lost" => Some(baton_store::Outcome::Lost),
                "open" => None,
                other => {
                    return Err(BatonError::invalid(format!(
                        "{file}: the outcome value \"{value}\" is mapped to \"{other}\"; choose won, lost or open"
                    )))
                }
            };
            outcome_lookup.insert(value_key(value), o);
        }

        let global_format = match cx
            .options
            .date_format
            .as_deref()
            .or(profile.date_format.as_deref())
        {
            Some(f) => DateFormat::parse_option(f).map_err(BatonError::invalid)?,
            None => None,
        };
        let mut per_column = HashMap::new();
        for (column, f) in &profile.date_formats {
            let col = find("date_formats", column)?;
            if let Some(f) = DateFormat::parse_option(f).map_err(BatonError::invalid)? {
                per_column.insert(col, f);
            }
        }
        let mut dates: Vec<DateColumn> = Vec::new();
        let mut date_ref = |role: &str, name: &str| -> Result<DateRef> {
            let col = find(role, name)?;
            if let Some(i) = dates.iter().position(|d| d.col == col) {
                return Ok(i);
            }
            let forced = cx
                .options
                .date_format
                .as_deref()
                .and_then(|f| DateFormat::parse_option(f).ok().flatten())
                .or_else(|| per_column.get(&col).copied())
                .or(global_format)
                .or_else(|| cx.decided.get(&col).copied());
            let assumed = cx.sampled.get(&col).copied().unwrap_or(DateFormat::Mdy);
            dates.push(DateColumn::new(
                col,
                cx.header[col].clone(),
                forced,
                assumed,
            ));
            Ok(dates.len() - 1)
        };
        let mut stage_dates = Vec::new();
        for (stage, cols) in &profile.stage_dates {
            check_stage(stage, "a stage date column")?;
            if stage == LOST {
                return Err(BatonError::invalid(format!(
                    "{file}: Closed lost is an outcome, not a stage: choose its date column as the lost date"
                )));
            }
            let refs = cols
                .iter()
                .map(|c| date_ref(&format!("stage_dates.{stage}"), c))
                .collect::<Result<Vec<_>>>()?;
            stage_dates.push((stage.clone(), refs));
        }
        let mut date_opt = |role: &str, c: &Option<String>| -> Result<Option<DateRef>> {
            c.as_deref().map(|c| date_ref(role, c)).transpose()
        };
        let created = date_opt("created_date", &profile.created_date)?;
        let close = date_opt("close_date", &profile.close_date)?;
        let won = date_opt("won_date", &profile.won_date)?;
        let lost = date_opt("lost_date", &profile.lost_date)?;

        let mut texts = Vec::new();
        let mut custom = Vec::new();
        let (mut company_size, mut amount) = (None, None);
        for (field, column) in &profile.fields {
            let col = find(&format!("fields.{field}"), column)?;
            match builtin_slot(field) {
                Some(Slot::Text(tf)) => texts.push((tf, col)),
                Some(Slot::CompanySize) => company_size = Some(col),
                Some(Slot::Amount) => amount = Some(col),
                None => custom.push((field.clone(), col)),
            }
        }
        let personal = if cx.options.personal == PersonalData::Skip {
            Vec::new()
        } else {
            profile
                .personal
                .iter()
                .map(|(f, c)| Ok((f.clone(), find(&format!("personal.{f}"), c)?)))
                .collect::<Result<_>>()?
        };
        let preset_personal: Vec<String> = crate::presets::personal_header_names()
            .map(normalise)
            .collect();
        let personal_cols: Vec<usize> = cx
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                let h = normalise(h);
                preset_personal.contains(&h) || profile.personal.values().any(|c| normalise(c) == h)
            })
            .map(|(i, _)| i)
            .collect();
        let hash_key = cx.options.personal != PersonalData::Plain
            && id_cols.iter().any(|c| personal_cols.contains(c));
        let positions: HashMap<String, u32> = cx
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.position))
            .collect();
        let last_stage = cx
            .stages
            .iter()
            .max_by_key(|s| s.position)
            .map(|s| s.id.clone())
            .unwrap_or_else(|| "customer".into());
        Ok(Mapping {
            kind: profile.kind.clone().unwrap_or_else(|| "record".into()),
            preset_name: preset_name.to_string(),
            id_cols,
            stage_col: opt("stage_column", &profile.stage_column)?,
            stage_lookup,
            stage_default: profile.stage_default.clone(),
            converted_col: opt("converted_column", &profile.converted_column)?,
            converted_stage,
            closed_col: opt("closed_column", &profile.closed_column)?,
            outcome_col: opt("outcome_column", &profile.outcome_column)?,
            outcome_lookup,
            dates,
            stage_dates,
            created,
            close,
            won,
            lost,
            texts,
            company_size,
            amount,
            decimal_mark: cx.decimal_mark,
            custom,
            personal,
            personal_mode: cx.options.personal,
            personal_cols,
            hash_key,
            positions,
            last_stage,
        })
    }

    /// Stage id (or `lost`) of a CRM value, `None` when nothing maps it.
    pub fn stage_of(&self, value: &str) -> Option<&str> {
        self.stage_lookup
            .get(&value_key(value))
            .map(String::as_str)
            .or(self.stage_default.as_deref())
    }

    /// `Some(outcome)` when the outcome column's value is mapped (`Some(None)` = open).
    pub fn outcome_of(&self, value: &str) -> Option<Option<baton_store::Outcome>> {
        self.outcome_lookup.get(&value_key(value)).copied()
    }

    /// Every column this mapping reads, with its role (for previews).
    pub fn roles(&self, header: &[String]) -> Vec<Option<String>> {
        let mut roles = vec![None; header.len()];
        let mut set = |col: usize, role: String| {
            if let Some(slot) = roles.get_mut(col) {
                if slot.is_none() {
                    *slot = Some(role);
                }
            }
        };
        for &c in &self.id_cols {
            set(c, "record id".into());
        }
        if let Some(c) = self.stage_col {
            set(c, "stage".into());
        }
        if let Some(c) = self.outcome_col {
            set(c, "outcome".into());
        }
        if let Some(c) = self.converted_col {
            set(c, "converted".into());
        }
        if let Some(c) = self.closed_col {
            set(c, "closed".into());
        }
        for (stage, refs) in &self.stage_dates {
            for &r in refs {
                set(self.dates[r].col, format!("date entered {stage}"));
            }
        }
        for (r, role) in [
            (self.created, "created date"),
            (self.close, "close date"),
            (self.won, "won date"),
            (self.lost, "lost date"),
        ] {
            if let Some(r) = r {
                set(self.dates[r].col, role.into());
            }
        }
        for (f, c) in &self.texts {
            set(*c, f.column().into());
        }
        if let Some(c) = self.company_size {
            set(c, "company_size".into());
        }
        if let Some(c) = self.amount {
            set(c, "amount".into());
        }
        for (f, c) in &self.custom {
            set(*c, format!("custom: {f}"));
        }
        for (f, c) in &self.personal {
            set(*c, format!("personal: {f}"));
        }
        roles
    }
}

/// What a profile key's column holds, in the words of the Imports screen.
fn role_label(role: &str) -> String {
    if let Some(stage) = role.strip_prefix("stage_dates.") {
        return format!("date of entering the stage \"{stage}\"");
    }
    if let Some(field) = role.strip_prefix("fields.") {
        return format!("field \"{field}\"");
    }
    if let Some(field) = role.strip_prefix("personal.") {
        return format!("personal field \"{field}\"");
    }
    match role {
        "record_id" => "record id".into(),
        "record_key" => "part of the record key".into(),
        "stage_column" => "current stage".into(),
        "converted_column" => "converted flag (yes/no)".into(),
        "closed_column" => "closed flag (yes/no)".into(),
        "outcome_column" => "outcome (won/lost/open)".into(),
        "date_formats" => "date format of a column".into(),
        other => other.replace('_', " "),
    }
}

/// `a, b, c, … (N columns)` for messages.
pub fn shorten_list(items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut s = items
        .iter()
        .take(SHOWN)
        .map(|h| format!("\"{h}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(", … ({} columns)", items.len()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field `baton_core::fields` marks as imported has a slot in the record row,
    /// with the kind the list gives it; every other name is a custom field.
    #[test]
    fn each_imported_field_has_a_slot_of_its_kind() {
        use baton_core::fields::{FieldKind, RECORD_FIELDS};
        for f in RECORD_FIELDS {
            match (builtin_slot(f.id), f.imported, f.kind) {
                (Some(Slot::Text(_)), true, FieldKind::Text) => {}
                (Some(Slot::CompanySize | Slot::Amount), true, FieldKind::Number) => {}
                (None, false, _) => {}
                other => panic!("{}: {other:?}", f.id),
            }
        }
        assert_eq!(builtin_slot("lead_score"), None);
    }
}
