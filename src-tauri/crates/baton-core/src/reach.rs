//! "A record reached stage S": the one rule behind the funnel, the goals, the SLA
//! clocks, the definition check, the Personas screen's match and the report.
//!
//! A record reached a stage if it has a date for that stage or any later one, or its
//! current stage — or a stage a snapshot saw it at (`first_seen`) — is that stage or
//! later. A won record (outcome won, or at the last stage) reached the last stage. Lost
//! records reached the stages up to their last known one. See `docs/metrics.md`.

use crate::record::StoredRecord;
use crate::stages::{Stage, LOST};

/// Where a record stands: open, won or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Open,
    Won,
    Lost,
}

/// How far a record got in the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Highest stage index reached, -1 when nothing says the record entered the funnel.
    pub highest: i8,
    /// Bit `s` set when the record itself says it was at stage `s` (a date, a snapshot,
    /// its current stage); stages below `highest` without the bit were skipped.
    pub evidence: u32,
    pub outcome: Outcome,
}

impl Reach {
    /// The reach of `r` in the funnel `stages` (in order).
    pub fn of(stages: &[Stage], r: &StoredRecord) -> Reach {
        Reach::with_index(stages.len(), |id| stages.iter().position(|s| s.id == id), r)
    }

    /// [`Reach::of`] with a stage lookup (`id → index`) the caller already built, for
    /// loops over every record; `n` is the number of stages.
    pub fn with_index(n: usize, index: impl Fn(&str) -> Option<usize>, r: &StoredRecord) -> Reach {
        let mut evidence = 0u32;
        let mut highest: i8 = -1;
        let mut saw = |s: usize| {
            evidence |= 1 << s;
            highest = highest.max(s as i8);
        };
        for (stage, _) in r.stage_dates.iter().chain(&r.first_seen) {
            if let Some(s) = index(stage) {
                saw(s);
            }
        }
        if let Some(s) = r
            .current_stage
            .as_deref()
            .filter(|c| *c != LOST)
            .and_then(&index)
        {
            saw(s);
        }
        let outcome = match (r.outcome.as_deref(), r.current_stage.as_deref()) {
            (Some("won"), _) => Outcome::Won,
            (Some("lost"), _) | (None, Some(LOST)) => Outcome::Lost,
            _ if n > 0 && highest == (n - 1) as i8 => Outcome::Won,
            _ => Outcome::Open,
        };
        if outcome == Outcome::Won && n > 0 {
            // A won record reached the last stage whether or not a file dated it.
            evidence |= 1 << (n - 1);
            highest = (n - 1) as i8;
        }
        Reach {
            highest,
            evidence,
            outcome,
        }
    }

    /// Did the record reach stage index `s`?
    #[inline]
    pub fn reached(&self, s: usize) -> bool {
        self.highest >= s as i8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::default_stages;

    fn rec(
        stage: Option<&str>,
        outcome: Option<&str>,
        dates: &[&str],
        seen: &[&str],
    ) -> StoredRecord {
        StoredRecord {
            current_stage: stage.map(str::to_string),
            outcome: outcome.map(str::to_string),
            stage_dates: dates.iter().map(|s| (s.to_string(), 0)).collect(),
            first_seen: seen.iter().map(|s| (s.to_string(), 0)).collect(),
            ..StoredRecord::default()
        }
    }

    #[test]
    fn a_date_for_a_later_stage_means_the_earlier_ones_were_reached() {
        let stages = default_stages();
        // Dated at customer only, now lost: it reached MQL (skipped, no evidence of its own).
        let r = Reach::of(&stages, &rec(Some("lost"), None, &["customer"], &[]));
        assert!(r.reached(1), "mql");
        assert_eq!(r.evidence, 0b10000);
        assert_eq!(r.outcome, Outcome::Lost);
    }

    #[test]
    fn snapshots_current_stage_and_wins_count() {
        let stages = default_stages();
        let seen = Reach::of(&stages, &rec(None, None, &[], &["sql"]));
        assert_eq!((seen.highest, seen.outcome), (2, Outcome::Open));
        let current = Reach::of(&stages, &rec(Some("opportunity"), None, &["lead"], &[]));
        assert_eq!((current.highest, current.evidence), (3, 0b1001));
        let won = Reach::of(&stages, &rec(None, Some("won"), &["lead"], &[]));
        assert_eq!((won.highest, won.outcome), (4, Outcome::Won));
        let unknown = Reach::of(&stages, &rec(Some("Nurture"), None, &[], &[]));
        assert_eq!((unknown.highest, unknown.outcome), (-1, Outcome::Open));
        assert!(!unknown.reached(0));
    }
}
