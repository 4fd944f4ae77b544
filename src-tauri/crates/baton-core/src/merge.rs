//! How a row read from a file merges into the record stored under the same id (the
//! import's upsert): values the row has replace stored ones, values it lacks keep the
//! stored ones, so a second file can enrich the same records. Pure: the store decodes
//! the stored columns, calls [`merge`], and writes the result back.

use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Won or lost; `None` on a record means open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Won,
    Lost,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "won" => Some(Outcome::Won),
            "lost" => Some(Outcome::Lost),
            _ => None,
        }
    }
}

/// One record as read from a file, ready to upsert. The importer reuses one value for
/// every row (fields are cleared and refilled), so empty strings mean "no value".
#[derive(Debug, Default, Clone)]
pub struct RecordRow {
    pub external_id: String,
    /// The file has stage information for this row: `current_stage`, `outcome` and
    /// `closed_at` replace the stored ones even when empty (a lost deal may reopen).
    pub has_stage_info: bool,
    pub current_stage: String,
    pub outcome: Option<Outcome>,
    /// Fixed slots (stage id, date) set up once per import.
    pub stage_dates: Vec<(String, Option<i64>)>,
    pub created_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub source: String,
    pub campaign: String,
    pub owner: String,
    pub segment: String,
    pub industry: String,
    pub country: String,
    pub company_size: Option<i64>,
    pub amount: Option<f64>,
    pub lost_reason: String,
    /// Fixed slots (custom field name, value).
    pub custom: Vec<(String, Option<String>)>,
    /// JSON object of the personal fields the user opted in to store, or empty.
    pub personal: String,
}

/// A stored record's values an import may change, decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordValues {
    pub current_stage: Option<String>,
    /// `won`, `lost` or `None` (open).
    pub outcome: Option<String>,
    /// `stage id → seconds` from the files.
    pub stage_dates: BTreeMap<String, i64>,
    /// `stage id → seconds`: the import time a stage was first seen without a date.
    pub first_seen: BTreeMap<String, i64>,
    pub created_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub source: Option<String>,
    pub campaign: Option<String>,
    pub owner: Option<String>,
    pub segment: Option<String>,
    pub industry: Option<String>,
    pub country: Option<String>,
    pub company_size: Option<i64>,
    pub amount: Option<f64>,
    pub lost_reason: Option<String>,
    pub custom: BTreeMap<String, String>,
    pub personal: Option<BTreeMap<String, String>>,
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// The stored record `before` updated with a file row imported at `imported_at`:
/// - stage dates: the row's dates replace the stored date of the same stage, others stay;
/// - current stage, outcome, close date: when the file has stage information for the
///   row (`has_stage_info`) they are replaced even when empty (a lost deal may reopen),
///   else only by values the row has;
/// - a current stage without a date is remembered as first seen at `imported_at` (the
///   first sighting stays);
/// - every other field: a value in the row wins, an empty one keeps the stored value;
///   custom and personal fields merge name by name.
///
/// A new record is the merge of its row into `RecordValues::default()`.
pub fn merge(before: &RecordValues, row: &RecordRow, imported_at: i64) -> Result<RecordValues> {
    let mut out = before.clone();
    for (stage, date) in &row.stage_dates {
        if let Some(d) = date {
            out.stage_dates.insert(stage.clone(), *d);
        }
    }
    if row.has_stage_info {
        out.current_stage = non_empty(&row.current_stage).map(str::to_string);
        out.outcome = row.outcome.map(|o| o.as_str().to_string());
        out.closed_at = row.closed_at;
    } else {
        if let Some(s) = non_empty(&row.current_stage) {
            out.current_stage = Some(s.to_string());
        }
        if let Some(o) = row.outcome {
            out.outcome = Some(o.as_str().to_string());
        }
        if row.closed_at.is_some() {
            out.closed_at = row.closed_at;
        }
    }
    if let Some(stage) = &out.current_stage {
        if !out.stage_dates.contains_key(stage) {
            out.first_seen.entry(stage.clone()).or_insert(imported_at);
        }
    }
    if row.created_at.is_some() {
        out.created_at = row.created_at;
    }
    let texts = [
        (&mut out.source, &row.source),
        (&mut out.campaign, &row.campaign),
        (&mut out.owner, &row.owner),
        (&mut out.segment, &row.segment),
        (&mut out.industry, &row.industry),
        (&mut out.country, &row.country),
        (&mut out.lost_reason, &row.lost_reason),
    ];
    for (stored, new) in texts {
        if !new.is_empty() {
            *stored = Some(new.clone());
        }
    }
    if row.company_size.is_some() {
        out.company_size = row.company_size;
    }
    if row.amount.is_some() {
        out.amount = row.amount;
    }
    for (k, v) in &row.custom {
        if let Some(v) = v {
            out.custom.insert(k.clone(), v.clone());
        }
    }
    if !row.personal.is_empty() {
        let new: BTreeMap<String, String> = serde_json::from_str(&row.personal).map_err(|e| {
            BatonError::internal(format!("the row's personal fields are not valid JSON: {e}"))
        })?;
        out.personal.get_or_insert_with(BTreeMap::new).extend(new);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(f: impl FnOnce(&mut RecordRow)) -> RecordRow {
        let mut r = RecordRow {
            external_id: "C1".into(),
            stage_dates: vec![("lead".into(), None), ("mql".into(), None)],
            custom: vec![("score".into(), None), ("tier".into(), None)],
            ..RecordRow::default()
        };
        f(&mut r);
        r
    }

    #[test]
    fn values_in_the_row_win_and_missing_ones_keep_the_stored() {
        let before = RecordValues {
            source: Some("Google".into()),
            owner: Some("Ana".into()),
            stage_dates: BTreeMap::from([("lead".into(), 10), ("sql".into(), 30)]),
            custom: BTreeMap::from([("score".into(), "5".into()), ("region".into(), "EU".into())]),
            personal: Some(BTreeMap::from([("email".into(), "a@x".into())])),
            amount: Some(100.0),
            ..RecordValues::default()
        };
        let r = row(|r| {
            r.owner = "Bo".into();
            r.stage_dates[0].1 = Some(11);
            r.stage_dates[1].1 = Some(20);
            r.custom[0].1 = Some("9".into());
            r.personal = r#"{"phone":"1"}"#.into();
        });
        let m = merge(&before, &r, 500).unwrap();
        assert_eq!(
            m.source.as_deref(),
            Some("Google"),
            "empty in the row: kept"
        );
        assert_eq!(m.owner.as_deref(), Some("Bo"), "the row wins");
        assert_eq!(m.amount, Some(100.0));
        assert_eq!(
            m.stage_dates,
            BTreeMap::from([("lead".into(), 11), ("mql".into(), 20), ("sql".into(), 30)]),
            "dates combine stage by stage, the row's replacing the stored"
        );
        assert_eq!(m.custom["score"], "9");
        assert_eq!(m.custom["region"], "EU");
        assert!(!m.custom.contains_key("tier"));
        assert_eq!(m.personal.unwrap().len(), 2);
    }

    #[test]
    fn stage_information_replaces_even_when_empty_and_first_sightings_stay() {
        let before = RecordValues {
            current_stage: Some("sql".into()),
            outcome: Some("lost".into()),
            closed_at: Some(99),
            first_seen: BTreeMap::from([("sql".into(), 100)]),
            ..RecordValues::default()
        };
        // A file without stage information for the row keeps the stage and outcome.
        let kept = merge(&before, &row(|_| {}), 500).unwrap();
        assert_eq!(kept.current_stage.as_deref(), Some("sql"));
        assert_eq!(kept.outcome.as_deref(), Some("lost"));
        assert_eq!(kept.first_seen["sql"], 100, "the first sighting stays");
        // One with it reopens the deal: no outcome, no close date.
        let reopened = merge(
            &before,
            &row(|r| {
                r.has_stage_info = true;
                r.current_stage = "opportunity".into();
            }),
            500,
        )
        .unwrap();
        assert_eq!(reopened.outcome, None);
        assert_eq!(reopened.closed_at, None);
        assert_eq!(reopened.first_seen["opportunity"], 500, "undated: seen now");
        // A dated current stage is not a sighting.
        let dated = merge(
            &RecordValues::default(),
            &row(|r| {
                r.current_stage = "mql".into();
                r.stage_dates[1].1 = Some(42);
            }),
            500,
        )
        .unwrap();
        assert!(dated.first_seen.is_empty());
        assert_eq!(dated.stage_dates["mql"], 42);
    }
}
