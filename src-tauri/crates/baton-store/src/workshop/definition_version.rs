//! Stale definition edits: an edit of a definition states the agreement version its
//! screen showed; when a newer version was written meanwhile the edit is refused with
//! `conflict`, naming who wrote the newer versions and what they changed, so one team's
//! edit never silently replaces the other's. Both backends call it inside the write
//! transaction that read the agreement.

use baton_core::agreement::{Agreement, DefinitionContent, DefinitionVersion};
use baton_core::{BatonError, Result};

/// Refuse an edit based on version `seen` (`Some(0)`: no version yet) when `current`'s
/// latest version is another one. `None` is not checked.
pub(crate) fn check_definition_version(current: &Agreement, seen: Option<u32>) -> Result<()> {
    let latest = current.versions.first();
    let latest_version = latest.map_or(0, |v| v.version);
    let Some(seen) = seen.filter(|&s| s != latest_version) else {
        return Ok(());
    };
    let newer: Vec<&DefinitionVersion> = current
        .versions
        .iter()
        .filter(|v| v.version > seen)
        .collect();
    let mut authors: Vec<&str> = Vec::new();
    for v in newer.iter().rev() {
        let who = v.author.as_deref().map(str::trim).filter(|a| !a.is_empty());
        let who = who.unwrap_or("someone else");
        if !authors.contains(&who) {
            authors.push(who);
        }
    }
    let before = current.versions.iter().find(|v| v.version == seen);
    let fields = latest.map_or_else(Vec::new, |l| changed_between(before, l));
    Err(BatonError::conflict(format!(
        "The definition \"{}\" was changed by {} since you opened {}{}; your edit was not saved: the screen now shows their version",
        current.title,
        join(&authors, "someone else"),
        if seen == 0 {
            "it".to_string()
        } else {
            format!("version {seen}")
        },
        match fields.as_slice() {
            [] => format!(" (now version {latest_version})"),
            f => format!(" (now version {latest_version}: its {})", join(f, "")),
        },
    )))
}

/// What a person calls each part of a definition that differs between `before` (none:
/// an empty definition) and `after`, in the order the editor shows them.
fn changed_between(
    before: Option<&DefinitionVersion>,
    after: &DefinitionVersion,
) -> Vec<&'static str> {
    let empty = DefinitionContent::default();
    let b = before.map_or(&empty, |v| &v.content);
    let a = &after.content;
    [
        ("summary", b.summary != a.summary),
        ("fit criteria", b.fit != a.fit),
        ("intent criteria", b.intent != a.intent),
        ("thresholds", b.thresholds != a.thresholds),
        ("disqualifiers", b.disqualifiers != a.disqualifiers),
        ("reject reasons", b.reject_reasons != a.reject_reasons),
        ("machine criteria", b.criteria != a.criteria),
        (
            "terms",
            before.map_or(!after.terms.is_empty(), |v| v.terms != after.terms),
        ),
    ]
    .into_iter()
    .filter(|(_, changed)| *changed)
    .map(|(label, _)| label)
    .collect()
}

/// "a", "a and b", "a, b and c"; `none` for an empty list.
fn join(items: &[&str], none: &str) -> String {
    match items {
        [] => none.to_string(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
