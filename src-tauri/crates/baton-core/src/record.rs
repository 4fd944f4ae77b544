//! A stored record as the rules above the store see it: the funnel's reach
//! ([`crate::reach`]) and the criteria's one field-lookup rule read this one shape.

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

/// What a field name in persona or definition criteria reads on a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRef<'a> {
    /// A column of `records`: `source` … `lost_reason`, `company_size`, `amount`,
    /// `kind`, `stage` (also spelled `current_stage`).
    Builtin(&'static str),
    /// A custom field, named in any case; `custom:NAME` names a custom field that has a
    /// built-in's name (the Funnel screen lists it so).
    Custom(&'a str),
}

/// Built-in fields criteria can read (`persona` is a breakdown, not a record field).
const BUILTIN: [&str; 11] = [
    "source",
    "campaign",
    "owner",
    "segment",
    "industry",
    "country",
    "company_size",
    "amount",
    "lost_reason",
    "kind",
    "stage",
];

/// The one field-lookup rule of criteria (Personas screen, Funnel breakdown and filter,
/// definition check, report): the name is trimmed; a built-in name reads the built-in;
/// `custom:NAME` and any other name read the custom field of that name, case ignored.
pub fn resolve_field(name: &str) -> FieldRef<'_> {
    let name = name.trim();
    if let Some(custom) = name.strip_prefix("custom:") {
        return FieldRef::Custom(custom.trim());
    }
    if name == "current_stage" {
        return FieldRef::Builtin("stage");
    }
    match BUILTIN.iter().find(|b| **b == name) {
        Some(b) => FieldRef::Builtin(b),
        None => FieldRef::Custom(name),
    }
}

/// Does a stored custom field's name answer to `wanted` (case ignored)?
pub fn custom_name_matches(stored: &str, wanted: &str) -> bool {
    stored.trim().eq_ignore_ascii_case(wanted)
}

/// A value that counts as present: not empty once trimmed.
fn present(v: &str) -> bool {
    !v.trim().is_empty()
}

impl StoredRecord {
    /// The value of a field as text (numbers written out), `None` when empty or absent.
    /// A custom field stored under several spellings of its name reads the first name in
    /// byte order that has a value.
    pub fn field(&self, field: FieldRef<'_>) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        fn text(v: &Option<String>) -> Option<Cow<'_, str>> {
            v.as_deref().filter(|v| present(v)).map(Cow::Borrowed)
        }
        match field {
            FieldRef::Builtin(name) => match name {
                "source" => text(&self.source),
                "campaign" => text(&self.campaign),
                "owner" => text(&self.owner),
                "segment" => text(&self.segment),
                "industry" => text(&self.industry),
                "country" => text(&self.country),
                "lost_reason" => text(&self.lost_reason),
                "kind" => Some(Cow::Borrowed(self.kind.as_str())).filter(|v| present(v)),
                "stage" => text(&self.current_stage),
                "company_size" => self.company_size.map(|n| Cow::Owned(n.to_string())),
                "amount" => self.amount.map(|n| Cow::Owned(format_number(n))),
                _ => None,
            },
            FieldRef::Custom(wanted) => self
                .custom
                .iter()
                .filter(|(k, v)| custom_name_matches(k, wanted) && present(v))
                .min_by(|a, b| a.0.cmp(&b.0))
                .map(|(_, v)| Cow::Borrowed(v.as_str())),
        }
    }
}

/// A number as criteria read it: whole numbers without a fraction (`1000`, not `1000.0`).
pub fn format_number(a: f64) -> String {
    if a.fract() == 0.0 && a.is_finite() {
        format!("{a:.0}")
    } else {
        a.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_custom_fields_and_their_spellings() {
        let r = StoredRecord {
            source: Some("Google".into()),
            current_stage: Some("mql".into()),
            amount: Some(1200.0),
            custom: vec![
                ("Score".into(), "7".into()),
                ("source".into(), "Fair".into()),
                ("score".into(), " ".into()),
            ],
            ..StoredRecord::default()
        };
        let get = |f: &str| r.field(resolve_field(f)).map(|v| v.into_owned());
        assert_eq!(get(" source ").as_deref(), Some("Google"));
        assert_eq!(get("custom:source").as_deref(), Some("Fair"));
        assert_eq!(
            get("SCORE").as_deref(),
            Some("7"),
            "case ignored, blank skipped"
        );
        assert_eq!(get("current_stage"), get("stage"));
        assert_eq!(get("amount").as_deref(), Some("1200"));
        assert_eq!(get("industry"), None);
        assert_eq!(get("colour"), None);
    }
}
