//! A stored record as the rules above the store see it: the funnel's reach, the persona
//! criteria's field lookup and the import's merge all read this one shape.

/// One row of `records`, with its JSON columns decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredRecord {
    pub id: i64,
    pub kind: String,
    pub external_id: String,
    pub current_stage: Option<String>,
    pub outcome: Option<String>,
    /// `stage id → seconds` from the files.
    pub stage_dates: Vec<(String, i64)>,
    /// `stage id → seconds`: import time a stage was first seen without a date.
    pub first_seen: Vec<(String, i64)>,
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
    /// Custom fields, `name → text`.
    pub custom: Vec<(String, String)>,
}
