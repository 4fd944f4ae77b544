//! The record fields people map columns to, filter, break down and write criteria on,
//! with the labels the screens, the report and the CLI show for them. This is the one
//! list: the importer, the store, the metrics dataset and the persona criteria read it,
//! and the UI gets it as generated constants (`ui/src/lib/bindings/recordFields.ts`,
//! written by `cargo test` like the ts-rs bindings, with the `RecordField` type).

use serde::Serialize;
use ts_rs::TS;

/// What a field's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FieldKind {
    Text,
    /// Compared as a number (`≥`, `≤` in criteria).
    Number,
}

/// One built-in record field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RecordField {
    /// The name profiles, filters, criteria and breakdowns use.
    pub id: &'static str,
    /// What every screen, the report and the CLI call it.
    pub label: &'static str,
    pub kind: FieldKind,
    /// A CSV column maps to it (an import profile's `fields`) and a persona criterion can
    /// test it; a profile's other `fields` keys are custom fields.
    pub imported: bool,
    /// The metrics dataset holds it as a column: filters and breakdowns use it.
    pub breakdown: bool,
}

const fn field(
    id: &'static str,
    label: &'static str,
    kind: FieldKind,
    imported: bool,
    breakdown: bool,
) -> RecordField {
    RecordField {
        id,
        label,
        kind,
        imported,
        breakdown,
    }
}

use FieldKind::{Number, Text};

/// Every built-in record field, in the order pickers list them.
pub const RECORD_FIELDS: [RecordField; 12] = [
    field("source", "Source", Text, true, true),
    field("campaign", "Campaign", Text, true, true),
    field("owner", "Owner", Text, true, true),
    field("segment", "Segment", Text, true, true),
    field("industry", "Industry", Text, true, true),
    field("country", "Country", Text, true, true),
    field(
        "company_size",
        "Company size (employees)",
        Number,
        true,
        true,
    ),
    field("amount", "Amount", Number, true, false),
    field("lost_reason", "Lost reason", Text, true, true),
    // Set by Baton, not read from a column: the profile's kind, the current stage.
    field("kind", "Record kind", Text, false, true),
    field("stage", "Current stage", Text, false, true),
    // A breakdown by the persona a record matches, not a column of the dataset.
    field("persona", "Persona", Text, false, false),
];

/// The built-in field named `id`, if it is one.
pub fn builtin(id: &str) -> Option<&'static RecordField> {
    RECORD_FIELDS.iter().find(|f| f.id == id)
}

/// The fields a CSV column maps to (and persona criteria test), in list order.
pub fn imported() -> impl Iterator<Item = &'static RecordField> {
    RECORD_FIELDS.iter().filter(|f| f.imported)
}

/// Is `id` one of the fields a CSV column maps to? Any other `fields` key is a custom field.
pub fn is_imported(id: &str) -> bool {
    builtin(id).is_some_and(|f| f.imported)
}

/// The imported text fields: each is a text column of the stored records.
pub fn text_columns() -> impl Iterator<Item = &'static str> {
    imported().filter(|f| f.kind == Text).map(|f| f.id)
}

/// The fields the metrics dataset holds as columns, in list order.
pub fn breakdown() -> impl Iterator<Item = &'static str> {
    RECORD_FIELDS.iter().filter(|f| f.breakdown).map(|f| f.id)
}

/// The label of a field: the built-in's label, or a custom field's name made
/// readable (`lead_score` → "Lead score").
pub fn field_label(id: &str) -> String {
    if let Some(f) = builtin(id) {
        return f.label.to_string();
    }
    let words = id.trim().replace('_', " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// [`field_label`] in TypeScript.
const FIELD_LABEL_TS: &str = "\
/** A field's label: the built-in's, or a custom field's name made readable (`lead_score` → \"Lead score\"). */
export function fieldLabel(id: string): string {
  const known = RECORD_FIELDS.find((f) => f.id === id);
  if (known) return known.label;
  const words = id.trim().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
";

/// The TypeScript module the UI imports: the same list and the same label rule.
pub fn typescript() -> String {
    crate::generated::ts_module(
        "baton-core/src/fields.rs",
        &["RecordField"],
        &[
            crate::generated::ts_list(
                "Built-in record fields with the labels every screen shows (`fields::RECORD_FIELDS`).",
                "RECORD_FIELDS",
                "RecordField",
                &RECORD_FIELDS,
            ),
            FIELD_LABEL_TS.to_string(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_words() {
        assert_eq!(field_label("company_size"), "Company size (employees)");
        assert_eq!(field_label("lead_score"), "Lead score");
        assert_eq!(field_label("kind"), "Record kind");
    }

    #[test]
    fn the_lists_follow_the_table() {
        assert!(is_imported("lost_reason") && !is_imported("kind") && !is_imported("lead_score"));
        assert_eq!(imported().count(), 9);
        assert!(!text_columns().any(|f| f == "amount" || f == "company_size"));
        assert!(breakdown().any(|f| f == "company_size") && !breakdown().any(|f| f == "amount"));
        let ids: std::collections::HashSet<_> = RECORD_FIELDS.iter().map(|f| f.id).collect();
        assert_eq!(ids.len(), RECORD_FIELDS.len(), "ids are unique");
    }

    /// Named like ts-rs's export tests so `scripts/check-bindings.sh` regenerates
    /// and drift-checks it with the other bindings.
    #[test]
    fn export_bindings_record_fields() {
        crate::generated::write("recordFields.ts", &typescript());
    }
}
