//! Which records a headline figure counts, and how that is said in words.
//!
//! Contacts and deals are the same buyers seen twice: a figure that adds them counts a
//! won customer once as a contact and again as the deal. Every headline figure (the
//! Funnel screen's default view, goals, the SLA card, the report's headlines, the CLI)
//! therefore counts one kind, the one [`default_kind`] chooses.

use crate::dataset::Dataset;
use crate::filter::{FieldFilter, Filters};
use baton_core::goal::GoalPeriod;
use baton_core::workspace::KindCount;

/// The record field holding the kind (`contact`, `deal`, …).
pub const KIND_FIELD: &str = "kind";

/// The kind headline figures count when the records mix kinds, by the one rule
/// [`baton_core::workspace::default_kind`] (contacts when there are contacts).
pub fn default_kind(ds: &Dataset) -> Option<String> {
    let col = ds.column(KIND_FIELD)?;
    let kinds: Vec<KindCount> = (1..col.display.len())
        .map(|c| KindCount {
            kind: col.display[c].clone(),
            count: col.counts[c] as i64,
        })
        .collect();
    baton_core::workspace::default_kind(&kinds)
}

/// `filters`, plus the [`default_kind`] when they do not already name a kind.
pub fn with_default_kind(ds: &Dataset, filters: &Filters) -> Filters {
    let mut f = filters.clone();
    if !f.fields.iter().any(|ff| ff.field == KIND_FIELD) {
        if let Some(kind) = default_kind(ds) {
            f.fields.push(FieldFilter {
                field: KIND_FIELD.into(),
                values: vec![kind],
            });
        }
    }
    f
}

/// `filters` for a won-amount figure: like [`with_default_kind`], except that when
/// the default kind carries no amount (contacts seldom do), the kind whose won
/// records carry the most amounts (the deals).
pub fn with_amount_kind(ds: &Dataset, filters: &Filters) -> Filters {
    if filters.fields.iter().any(|ff| ff.field == KIND_FIELD) {
        return filters.clone();
    }
    let Some(col) = ds.column(KIND_FIELD) else {
        return filters.clone();
    };
    let mut with_amount = vec![0u64; col.display.len()];
    for i in 0..ds.len() {
        if ds.outcome[i] == crate::dataset::Outcome::Won && !ds.amount[i].is_nan() {
            with_amount[col.codes.get(i) as usize] += 1;
        }
    }
    let default = default_kind(ds);
    let default_has = default
        .as_deref()
        .and_then(|k| col.code_of(k))
        .is_some_and(|c| with_amount[c as usize] > 0);
    if default.is_none() || default_has {
        return with_default_kind(ds, filters);
    }
    let best = (1..col.display.len())
        .filter(|&c| with_amount[c] > 0)
        .max_by(|&a, &b| with_amount[a].cmp(&with_amount[b]).then(b.cmp(&a)));
    match best {
        Some(c) => {
            let mut f = filters.clone();
            f.fields.push(FieldFilter {
                field: KIND_FIELD.into(),
                values: vec![col.display[c].clone()],
            });
            f
        }
        None => with_default_kind(ds, filters),
    }
}

/// The filters of a headline figure: every record of the [`default_kind`].
pub fn headline_filters(ds: &Dataset) -> Filters {
    with_default_kind(ds, &Filters::default())
}

/// What the records counted under `filters` are called: "contacts", "deals" or
/// "records" (several kinds or none named).
pub fn records_noun(ds: &Dataset, filters: &Filters) -> String {
    let named = filters
        .fields
        .iter()
        .find(|f| f.field == KIND_FIELD)
        .and_then(|f| match f.values.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        });
    let only = || {
        let col = ds.column(KIND_FIELD)?;
        let mut kinds = (1..col.display.len()).filter(|&c| col.counts[c] > 0);
        match (kinds.next(), kinds.next()) {
            (Some(c), None) if col.counts[0] == 0 => Some(col.display[c].clone()),
            _ => None,
        }
    };
    named
        .or_else(only)
        .map(|k| plural(&k))
        .unwrap_or_else(|| "records".into())
}

/// The English plural of a kind name: contact → contacts, company → companies.
pub fn plural(word: &str) -> String {
    let w = word.trim().to_lowercase();
    if w.ends_with('s') {
        w
    } else if let Some(stem) = w
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{stem}ies")
    } else {
        format!("{w}s")
    }
}

/// "in 2026-Q4" for a period, "all time" without one.
pub fn period_words(period: Option<&GoalPeriod>) -> String {
    match period {
        Some(p) => format!("in {}", p.label),
        None => "all time".into(),
    }
}

/// What the filters beyond the kind restrict, in words (" with entry date from
/// 2026-01-01", " (source = Google)"); empty when nothing else is filtered.
pub fn filter_words(filters: &Filters) -> String {
    let mut out = String::new();
    match (&filters.entry_from, &filters.entry_to) {
        (Some(a), Some(b)) => out.push_str(&format!(" with entry date {a} to {b}")),
        (Some(a), None) => out.push_str(&format!(" with entry date from {a}")),
        (None, Some(b)) => out.push_str(&format!(" with entry date up to {b}")),
        (None, None) => {}
    }
    let others: Vec<String> = filters
        .fields
        .iter()
        .filter(|f| f.field != KIND_FIELD && !f.values.is_empty())
        .map(|f| format!("{} = {}", f.field, f.values.join(" or ")))
        .collect();
    if !others.is_empty() {
        out.push_str(&format!(" ({})", others.join(", ")));
    }
    if filters.persona.is_some() {
        out.push_str(" matching the persona");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::stages::default_stages;
    use baton_store::StoredRecord;

    fn ds(kinds: &[&str]) -> Dataset {
        let records = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| StoredRecord {
                id: i as i64 + 1,
                external_id: format!("r{i}"),
                kind: (*k).into(),
                ..StoredRecord::default()
            })
            .collect();
        Dataset::build(default_stages(), records, 0)
    }

    #[test]
    fn contacts_are_chosen_when_kinds_mix() {
        assert_eq!(
            default_kind(&ds(&["deal", "deal", "contact"])).as_deref(),
            Some("contact")
        );
        assert_eq!(
            default_kind(&ds(&["deal", "company", "deal"])).as_deref(),
            Some("deal")
        );
        assert_eq!(default_kind(&ds(&["deal", "deal"])), None);
        assert_eq!(default_kind(&ds(&[])), None);
    }

    #[test]
    fn headline_filters_add_the_kind_once() {
        let d = ds(&["deal", "contact"]);
        let f = headline_filters(&d);
        assert_eq!(f.fields.len(), 1);
        assert_eq!(records_noun(&d, &f), "contacts");
        let deals = Filters::default().field(KIND_FIELD, "deal");
        assert_eq!(with_default_kind(&d, &deals), deals);
        assert_eq!(records_noun(&d, &Filters::default()), "records");
        assert_eq!(records_noun(&ds(&["deal"]), &Filters::default()), "deals");
        assert_eq!(plural("company"), "companies");
    }
}
