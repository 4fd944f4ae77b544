//! What the user chooses: options of one import and the JSON import profile.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Whether and how personal columns (names, e-mail, phone) are stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PersonalData {
    /// Not stored (the default).
    #[default]
    Skip,
    /// Stored as SHA-256 of the trimmed, lower-cased value (joins across files, unreadable).
    Hashed,
    /// Stored as read.
    Plain,
}

/// Options of one import. `Default` is: detect the preset, detect date formats, stop at the
/// first bad row, do not store personal data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ImportOptions {
    /// Force a preset by name (see [`crate::preset_names`]) instead of detecting it.
    pub preset: Option<String>,
    /// Use this profile instead of a preset.
    pub profile: Option<Profile>,
    /// Date format for every date column (`auto`, `ymd`, `mdy`, `dmy`, `excel`, or the
    /// spelled forms `YYYY-MM-DD`, `M/D/YYYY`, `D/M/YYYY`, `D-M-YYYY`); wins over the profile's.
    pub date_format: Option<String>,
    /// The sheet of a workbook (`.xlsx`, `.xls`, `.ods`) to read; the first with data when
    /// absent. Ignored for CSV files.
    pub sheet: Option<String>,
    /// Land the good rows and keep the bad ones with reasons instead of stopping.
    pub allow_partial: bool,
    /// With `allow_partial`: import the good rows even when more than half of the rows
    /// are rejected (otherwise refused with `too_many_rejected`).
    pub force: bool,
    pub personal: PersonalData,
    /// The import's "as of" time (wall-clock seconds); now when absent. Snapshots of
    /// successive exports are dated with it.
    #[ts(type = "number | null")]
    pub as_of: Option<i64>,
    /// Run in rollback-journal mode (faster for big files) when no other connection has
    /// the workspace open; while it runs, other connections cannot open the workspace.
    /// For a workspace nobody else uses: the CLI sets it, the app never does (and the UI
    /// cannot, it is not part of the serialised options).
    #[serde(skip)]
    #[ts(skip)]
    pub rollback_journal: bool,
}

/// An import profile: how the columns of "any other CSV" map to Baton. Saved by the UI,
/// read by the CLI (`--profile FILE.json`). Columns are matched by header name, ignoring
/// case and surrounding spaces. See `docs/import.md` for the documented keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Profile {
    /// Shown in import history; defaults to "profile".
    pub name: Option<String>,
    /// Kind of record (`contact`, `lead`, `deal`…); records upsert by (kind, record id).
    pub kind: Option<String>,
    /// Column holding the CRM record id.
    pub record_id: Option<String>,
    /// When there is no id column: columns whose values, joined, identify a record.
    pub record_key: Vec<String>,
    /// Stage id → column (or columns: the earliest date wins) with the date the record entered it.
    #[serde(deserialize_with = "one_or_many_map")]
    #[ts(type = "Record<string, string | Array<string>>")]
    pub stage_dates: BTreeMap<String, Vec<String>>,
    /// Column holding the current stage (or status) as the CRM names it.
    pub stage_column: Option<String>,
    /// CRM value of `stage_column` → stage id or `lost` (case-insensitive).
    pub stage_values: BTreeMap<String, String>,
    /// Stage id (or `lost`) for stage values that no map names; unmapped values are left
    /// without a stage (and listed in the import's warnings) when absent.
    pub stage_default: Option<String>,
    /// A yes/no column (e.g. Zoho's `Is Converted`): when yes, the record is at
    /// `converted_stage` (default `sql`) unless its stage value says lost or later.
    pub converted_column: Option<String>,
    pub converted_stage: Option<String>,
    /// Column telling won/lost/open when the stage column does not (e.g. Pipedrive's status).
    pub outcome_column: Option<String>,
    /// A yes/no column telling the record is closed (Salesforce's `IsClosed`): closed and
    /// not won (by the stage or `outcome_column`) is lost, and a won record is at the last
    /// stage.
    pub closed_column: Option<String>,
    /// Value of `outcome_column` → `won`, `lost` or `open`.
    pub outcome_values: BTreeMap<String, String>,
    /// Column with the record's creation date.
    pub created_date: Option<String>,
    /// Column whose date means won or lost according to the stage/outcome column
    /// (ignored while the record is open: it is then only an expected date).
    pub close_date: Option<String>,
    /// Column with the date a deal was won (wins over `close_date`).
    pub won_date: Option<String>,
    /// Column with the date a deal was lost (wins over `close_date`).
    pub lost_date: Option<String>,
    /// Baton field → column. Fields: `source`, `campaign`, `owner`, `segment`, `industry`,
    /// `country`, `company_size`, `amount`, `lost_reason`; any other name is a custom field.
    pub fields: BTreeMap<String, String>,
    /// Personal field (`first_name`, `last_name`, `name`, `email`, `phone`, …) → column;
    /// stored only when the import opts in.
    pub personal: BTreeMap<String, String>,
    /// `auto` (default) or a format for every date column (see [`ImportOptions::date_format`]).
    pub date_format: Option<String>,
    /// Column → date format, for files mixing formats.
    pub date_formats: BTreeMap<String, String>,
}

fn one_or_many_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let raw: BTreeMap<String, OneOrMany> = BTreeMap::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| {
            let cols = match v {
                OneOrMany::One(c) => vec![c],
                OneOrMany::Many(cs) => cs,
            };
            (k, cols)
        })
        .collect())
}

impl Profile {
    /// Parse a profile file's JSON, with a message naming the problem.
    pub fn from_json(json: &str) -> baton_core::Result<Self> {
        serde_json::from_str(json).map_err(|e| {
            baton_core::BatonError::invalid(format!("this import profile cannot be read: {e}"))
        })
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_accepts_one_or_many_stage_date_columns() {
        let p = Profile::from_json(
            r#"{"record_id": "Id", "stage_dates": {"mql": "MQL date", "opportunity": ["A", "B"]},
                "fields": {"source": "Origin", "plan": "Plan"}}"#,
        )
        .unwrap();
        assert_eq!(p.stage_dates["mql"], vec!["MQL date"]);
        assert_eq!(p.stage_dates["opportunity"], vec!["A", "B"]);
        assert_eq!(p.fields["plan"], "Plan");
    }

    #[test]
    fn unknown_profile_key_is_refused_with_its_name() {
        let err = Profile::from_json(r#"{"record_idd": "Id"}"#).unwrap_err();
        assert!(err.message.contains("record_idd"), "{}", err.message);
    }
}
