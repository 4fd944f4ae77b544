//! Goals both teams sign: a metric, a target, a period and an owning team.

use crate::{BatonError, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a goal measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum GoalMetric {
    /// Records whose date for `stage` falls in the period.
    Reached { stage: String },
    /// Of the records that reached `from` in the period, the share that reached `to`.
    Conversion { from: String, to: String },
    /// % met of an SLA clause over records whose clock started in the period.
    SlaMet {
        #[ts(type = "number")]
        clause_id: i64,
    },
    /// Sum of `amount` over records won (closed) in the period.
    WonAmount,
}

impl GoalMetric {
    /// A rate (0–1) rather than a quantity that accumulates over the period.
    pub fn is_rate(&self) -> bool {
        matches!(
            self,
            GoalMetric::Conversion { .. } | GoalMetric::SlaMet { .. }
        )
    }

    pub fn describe(&self) -> String {
        self.describe_with(&|id: &str| id.to_string())
    }

    /// [`describe`](Self::describe) with stage names instead of ids:
    /// "Marketing Qualified Lead → Sales Qualified Lead conversion".
    pub fn describe_with(&self, stage_name: &dyn Fn(&str) -> String) -> String {
        match self {
            GoalMetric::Reached { stage } => format!("{} count", stage_name(stage)),
            GoalMetric::Conversion { from, to } => {
                format!("{} → {} conversion", stage_name(from), stage_name(to))
            }
            GoalMetric::SlaMet { clause_id } => format!("SLA #{clause_id} % met"),
            GoalMetric::WonAmount => "won amount".into(),
        }
    }

    /// A target or actual as people read it: a rate as a percentage ("40%",
    /// "85.5%"), a count or an amount as a whole number with digit groups.
    pub fn value_text(&self, v: f64) -> String {
        if self.is_rate() {
            let p = format!("{:.1}", v * 100.0);
            format!("{}%", p.strip_suffix(".0").unwrap_or(&p))
        } else {
            group_digits(v.round() as i64)
        }
    }

    /// `reached:mql`, `conversion:mql:sql`, `sla:3`, `won_amount`.
    pub fn parse(text: &str) -> Result<Self> {
        let parts: Vec<&str> = text.trim().split(':').map(str::trim).collect();
        match parts.as_slice() {
            ["reached", stage] if !stage.is_empty() => Ok(GoalMetric::Reached {
                stage: stage.to_string(),
            }),
            ["conversion", from, to] if !from.is_empty() && !to.is_empty() => {
                Ok(GoalMetric::Conversion {
                    from: from.to_string(),
                    to: to.to_string(),
                })
            }
            ["sla", id] => id
                .parse()
                .map(|clause_id| GoalMetric::SlaMet { clause_id })
                .map_err(|_| BatonError::invalid(format!("\"{id}\" is not an SLA clause id"))),
            ["won_amount"] => Ok(GoalMetric::WonAmount),
            _ => Err(BatonError::invalid(format!(
                "\"{text}\" is not a goal metric: expected reached:STAGE, conversion:FROM:TO, sla:CLAUSE_ID or won_amount"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
    Custom,
}

/// A period as wall-clock seconds, `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GoalPeriod {
    pub kind: PeriodKind,
    #[ts(type = "number")]
    pub start: i64,
    #[ts(type = "number")]
    pub end: i64,
    /// `2025-03`, `2025-Q1`, `2025`, `2025-01-01..2025-02-15`.
    pub label: String,
}

fn day_start(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp()
}

fn date(text: &str, whole: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        BatonError::invalid(format!(
            "\"{whole}\": \"{text}\" is not a date; expected YYYY-MM-DD"
        ))
    })
}

impl GoalPeriod {
    /// Parse `2025-03` (month), `2025-Q1` (quarter), `2025` (year) or
    /// `2025-01-01..2025-02-15` (custom, both days included).
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        let bad = || {
            BatonError::invalid(format!(
                "\"{t}\" is not a period: expected YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD"
            ))
        };
        if let Some((a, b)) = t.split_once("..") {
            let (a, b) = (date(a, t)?, date(b, t)?);
            if b < a {
                return Err(BatonError::invalid(format!(
                    "\"{t}\": the period ends before it starts"
                )));
            }
            return Ok(GoalPeriod {
                kind: PeriodKind::Custom,
                start: day_start(a),
                end: day_start(b.succ_opt().ok_or_else(bad)?),
                label: format!("{a}..{b}"),
            });
        }
        let month_start = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad);
        let add_months = |d: NaiveDate, n: u32| {
            let m0 = d.month0() + n;
            month_start(d.year() + (m0 / 12) as i32, m0 % 12 + 1)
        };
        let year: i32 = t.get(..4).and_then(|y| y.parse().ok()).ok_or_else(bad)?;
        let rest = &t[4..];
        let (kind, start, end) = if rest.is_empty() {
            let s = month_start(year, 1)?;
            (PeriodKind::Year, s, add_months(s, 12)?)
        } else if let Some(q) = rest.strip_prefix("-Q").or_else(|| rest.strip_prefix("-q")) {
            let q: u32 = q
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(bad)?;
            let s = month_start(year, (q - 1) * 3 + 1)?;
            (PeriodKind::Quarter, s, add_months(s, 3)?)
        } else if let Some(m) = rest.strip_prefix('-') {
            let m: u32 = m
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(bad)?;
            let s = month_start(year, m)?;
            (PeriodKind::Month, s, add_months(s, 1)?)
        } else {
            return Err(bad());
        };
        Ok(GoalPeriod {
            kind,
            start: day_start(start),
            end: day_start(end),
            label: t.to_uppercase(),
        })
    }

    pub fn contains(&self, t: i64) -> bool {
        t >= self.start && t < self.end
    }

    /// Share of the period elapsed at `as_of`, 0–1.
    pub fn elapsed_share(&self, as_of: i64) -> f64 {
        let len = (self.end - self.start).max(1) as f64;
        ((as_of - self.start) as f64 / len).clamp(0.0, 1.0)
    }
}

/// A goal as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Goal {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub metric: GoalMetric,
    /// A count, an amount, or a rate between 0 and 1 for rate metrics.
    pub target: f64,
    pub period: GoalPeriod,
    /// The owning team: "marketing", "sales" or "shared" (free text).
    pub team: String,
}

/// What the UI/CLI sends to add a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GoalInput {
    #[serde(default)]
    pub name: String,
    pub metric: GoalMetric,
    pub target: f64,
    pub period: GoalPeriod,
    pub team: String,
}

/// 1234567 → "1,234,567".
fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

impl GoalInput {
    pub fn validate(&self) -> Result<()> {
        if !self.target.is_finite() || self.target <= 0.0 {
            return Err(BatonError::invalid(format!(
                "the target must be a positive number, got {}",
                self.target
            )));
        }
        if self.metric.is_rate() && self.target > 1.0 {
            return Err(BatonError::invalid(format!(
                "{} is a rate: the target must be between 0 and 1 (e.g. 0.25 for 25%), got {}",
                self.metric.describe(),
                self.target
            )));
        }
        if self.team.trim().is_empty() {
            return Err(BatonError::invalid("the goal needs an owning team"));
        }
        if self.period.end <= self.period.start {
            return Err(BatonError::invalid(
                "the goal's period ends before it starts",
            ));
        }
        Ok(())
    }

    pub fn display_name(&self) -> String {
        if self.name.trim().is_empty() {
            format!("{} {}", self.metric.describe(), self.period.label)
        } else {
            self.name.trim().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_targets_read_as_percentages() {
        let conv = GoalMetric::Conversion {
            from: "mql".into(),
            to: "sql".into(),
        };
        assert_eq!(conv.value_text(0.4), "40%");
        assert_eq!(conv.value_text(0.855), "85.5%");
        assert_eq!(GoalMetric::WonAmount.value_text(1234567.4), "1,234,567");
        let name = |id: &str| {
            if id == "mql" {
                "MQL".into()
            } else {
                id.to_uppercase()
            }
        };
        assert_eq!(conv.describe_with(&name), "MQL → SQL conversion");
    }

    #[test]
    fn periods_parse_to_half_open_ranges() {
        let q = GoalPeriod::parse("2025-Q1").unwrap();
        assert_eq!(q.kind, PeriodKind::Quarter);
        assert_eq!(q.start, 1_735_689_600); // 2025-01-01
        assert_eq!(q.end, 1_743_465_600); // 2025-04-01
        let m = GoalPeriod::parse("2024-12").unwrap();
        assert_eq!(m.end, 1_735_689_600);
        let y = GoalPeriod::parse("2025").unwrap();
        assert_eq!(y.end - y.start, 365 * 86400);
        let c = GoalPeriod::parse("2025-01-01..2025-01-31").unwrap();
        assert_eq!(c.end - c.start, 31 * 86400);
        assert!(c.contains(c.start) && !c.contains(c.end));
        assert!((c.elapsed_share(c.start + (c.end - c.start) / 2) - 0.5).abs() < 1e-9);
        assert!(GoalPeriod::parse("2025-13").is_err());
        assert!(GoalPeriod::parse("2025-02-01..2025-01-01").is_err());
    }

    #[test]
    fn metrics_parse_and_rates_are_bounded() {
        assert_eq!(
            GoalMetric::parse("conversion:mql:sql").unwrap(),
            GoalMetric::Conversion {
                from: "mql".into(),
                to: "sql".into()
            }
        );
        assert!(GoalMetric::parse("bogus").is_err());
        let g = GoalInput {
            name: String::new(),
            metric: GoalMetric::parse("sla:1").unwrap(),
            target: 90.0,
            period: GoalPeriod::parse("2025-Q1").unwrap(),
            team: "sales".into(),
        };
        assert!(g
            .validate()
            .unwrap_err()
            .message
            .contains("between 0 and 1"));
    }
}
