//! Service-level agreements between the teams: "from stage A to stage B (or a
//! first-touch date field) within N hours, on a calendar or business-hours clock".

use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where the clock stops: the date of a funnel stage, or a date held in a custom field
/// (e.g. a CRM's "first touch" / "first outreach" column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum SlaTarget {
    Stage(String),
    Field(String),
}

impl SlaTarget {
    pub fn describe(&self) -> String {
        match self {
            SlaTarget::Stage(s) => s.clone(),
            SlaTarget::Field(f) => format!("field {f}"),
        }
    }
}

/// Which clock measures the response time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Clock {
    Calendar,
    Business,
}

/// One agreed clause as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SlaClause {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub from_stage: String,
    pub to: SlaTarget,
    /// The allowed response time in seconds (of the chosen clock).
    #[ts(type = "number")]
    pub within_seconds: i64,
    pub clock: Clock,
}

/// What the UI/CLI sends to add a clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SlaClauseInput {
    #[serde(default)]
    pub name: String,
    pub from_stage: String,
    pub to: SlaTarget,
    #[ts(type = "number")]
    pub within_seconds: i64,
    pub clock: Clock,
}

impl SlaClauseInput {
    pub fn validate(&self) -> Result<()> {
        if self.from_stage.trim().is_empty() {
            return Err(BatonError::invalid("the clause needs a starting stage"));
        }
        let (SlaTarget::Stage(target) | SlaTarget::Field(target)) = &self.to;
        if target.trim().is_empty() {
            return Err(BatonError::invalid(
                "the clause needs a target stage or field",
            ));
        }
        if self.to == SlaTarget::Stage(self.from_stage.clone()) {
            return Err(BatonError::invalid(format!(
                "the clause starts and ends at the same stage ({})",
                self.from_stage
            )));
        }
        if self.within_seconds <= 0 {
            return Err(BatonError::invalid(format!(
                "the allowed time must be positive, got {} seconds",
                self.within_seconds
            )));
        }
        Ok(())
    }

    /// The display name, derived when none was given: "mql → sql within 48h (business)".
    pub fn display_name(&self) -> String {
        if !self.name.trim().is_empty() {
            return self.name.trim().to_string();
        }
        // A business "day" is not 24 hours: name business limits in hours.
        let (clock, within) = match self.clock {
            Clock::Calendar => ("", format_duration(self.within_seconds)),
            Clock::Business if self.within_seconds % 3600 == 0 => (
                " (business hours)",
                format!("{}h", self.within_seconds / 3600),
            ),
            Clock::Business => (" (business hours)", format_duration(self.within_seconds)),
        };
        format!(
            "{} → {} within {within}{clock}",
            self.from_stage,
            self.to.describe()
        )
    }
}

/// The unit a bare number is read in: hours on the CLI, the unit dropdown on the Goals screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DurationUnit {
    Minutes,
    Hours,
    /// Calendar days, or working days on the business clock.
    Days,
}

/// `48h`, `2d`, `90m`, `1.5h` → seconds, a day being 24 hours. A bare number means hours.
pub fn parse_duration(text: &str) -> Result<i64> {
    parse_duration_with_day(text, DurationUnit::Hours, Clock::Calendar, 86_400)
}

/// [`parse_duration`] for a clause on `clock`: on the business clock a day is one
/// working day (the working hours' end − start, 8 hours by default), not 24 hours, so
/// "2d" means two working days.
pub fn parse_duration_on(text: &str, clock: Clock, hours: &BusinessHours) -> Result<i64> {
    parse_duration_as(text, DurationUnit::Hours, clock, hours)
}

/// An allowed time as the user typed it: a number with its own unit (`48h`, `2d`, `90m`)
/// keeps it, a bare number (`24`, `1.5`, `1,5`) is read in `unit`. Days are working days
/// on the business clock, as in [`parse_duration_on`].
pub fn parse_duration_as(
    text: &str,
    unit: DurationUnit,
    clock: Clock,
    hours: &BusinessHours,
) -> Result<i64> {
    let day = match clock {
        Clock::Calendar => 86_400,
        Clock::Business => hours.working_day_seconds(),
    };
    parse_duration_with_day(text, unit, clock, day)
}

/// Longest allowed time: ten years of calendar days.
const MAX_SECONDS: f64 = 3650.0 * 86_400.0;

fn parse_duration_with_day(
    text: &str,
    bare: DurationUnit,
    clock: Clock,
    day_seconds: i64,
) -> Result<i64> {
    let t = text.trim().to_ascii_lowercase();
    let bare_words = match (bare, clock) {
        (DurationUnit::Minutes, _) => "minutes",
        (DurationUnit::Hours, _) => "hours",
        (DurationUnit::Days, Clock::Calendar) => "days",
        (DurationUnit::Days, Clock::Business) => "working days",
    };
    let not_a_duration = || {
        BatonError::invalid(if text.trim().is_empty() {
            format!("the allowed time is empty: type a number of {bare_words} (e.g. 24 or 1.5), or a number followed by m, h or d (e.g. 48h, 2d)")
        } else {
            format!("\"{}\" is not a duration: type a number of {bare_words} (e.g. 24 or 1.5), or a number followed by m, h or d (e.g. 48h, 2d)", text.trim())
        })
    };
    let (num, unit) = match t.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&t[..i], t[i..].trim()),
        None => (
            t.as_str(),
            match bare {
                DurationUnit::Minutes => "m",
                DurationUnit::Hours => "h",
                DurationUnit::Days => "d",
            },
        ),
    };
    let per = match unit {
        "m" | "min" | "mins" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => day_seconds as f64,
        _ => return Err(not_a_duration()),
    };
    // No separators: `1,5` and `1,000` are refused rather than guessed.
    let n: f64 = num.trim().parse().map_err(|_| not_a_duration())?;
    if !n.is_finite() || n <= 0.0 {
        return Err(BatonError::invalid(format!(
            "\"{}\": the allowed time must be more than zero",
            text.trim()
        )));
    }
    if n * per > MAX_SECONDS {
        return Err(BatonError::invalid(format!(
            "\"{}\": the allowed time must be under ten years",
            text.trim()
        )));
    }
    match (n * per).round() as i64 {
        0 => Err(BatonError::invalid(format!(
            "\"{}\": the allowed time must be at least one second",
            text.trim()
        ))),
        seconds => Ok(seconds),
    }
}

pub fn format_duration(seconds: i64) -> String {
    if seconds % 86400 == 0 {
        format!("{}d", seconds / 86400)
    } else if seconds % 3600 == 0 {
        format!("{}h", seconds / 3600)
    } else {
        format!("{}m", seconds / 60)
    }
}

/// The workspace's working week for business-hours clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusinessHours {
    /// Working weekdays, 1 = Monday … 7 = Sunday.
    pub days: Vec<u8>,
    /// Start of the working day, minutes after midnight (e.g. 540 = 09:00).
    pub start_minute: u16,
    /// End of the working day, minutes after midnight (exclusive, e.g. 1020 = 17:00).
    pub end_minute: u16,
}

/// The business hours as a screen shows them, with their version: a change stating an
/// older one is refused (`conflict`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BusinessHoursShown {
    pub hours: BusinessHours,
    #[ts(type = "number")]
    pub row_version: i64,
}

impl Default for BusinessHours {
    fn default() -> Self {
        Self {
            days: vec![1, 2, 3, 4, 5],
            start_minute: 9 * 60,
            end_minute: 17 * 60,
        }
    }
}

impl BusinessHours {
    /// Seconds in one working day.
    pub fn working_day_seconds(&self) -> i64 {
        (i64::from(self.end_minute) - i64::from(self.start_minute)) * 60
    }

    pub fn validate(&self) -> Result<()> {
        if self.days.is_empty() {
            return Err(BatonError::invalid(
                "business hours need at least one working day",
            ));
        }
        if let Some(d) = self.days.iter().find(|d| !(1..=7).contains(*d)) {
            return Err(BatonError::invalid(format!(
                "working day {d} is not a weekday number (1 = Monday … 7 = Sunday)"
            )));
        }
        if self.start_minute >= self.end_minute || self.end_minute > 24 * 60 {
            return Err(BatonError::invalid(format!(
                "the working day must start before it ends within 24:00 (got {:02}:{:02}–{:02}:{:02})",
                self.start_minute / 60,
                self.start_minute % 60,
                self.end_minute / 60,
                self.end_minute % 60
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("48h").unwrap(), 48 * 3600);
        assert_eq!(parse_duration("2d").unwrap(), 2 * 86400);
        assert_eq!(parse_duration("90m").unwrap(), 5400);
        assert_eq!(parse_duration("1.5h").unwrap(), 5400);
        assert_eq!(parse_duration("24").unwrap(), 24 * 3600);
        assert!(parse_duration("soon").unwrap_err().message.contains("48h"));
        assert!(parse_duration("-3h").is_err());
        assert!(parse_duration("0")
            .unwrap_err()
            .message
            .contains("more than zero"));
        assert_eq!(format_duration(48 * 3600), "2d");
        assert_eq!(format_duration(4 * 3600), "4h");
    }

    /// What the Goals screen sends: the text typed and the unit dropdown.
    #[test]
    fn typed_durations_read_in_the_chosen_unit() {
        let h = BusinessHours::default();
        let as_ = |t: &str, u, c| parse_duration_as(t, u, c, &h);
        use DurationUnit::*;
        assert_eq!(as_("24", Hours, Clock::Calendar).unwrap(), 24 * 3600);
        assert_eq!(as_(" 1.5 ", Days, Clock::Calendar).unwrap(), 36 * 3600);
        assert_eq!(as_("2", Days, Clock::Business).unwrap(), 16 * 3600);
        assert_eq!(
            as_("90m", Days, Clock::Business).unwrap(),
            5400,
            "own unit wins"
        );
        let e = as_("tomorrow", Days, Clock::Business).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidInput);
        assert_eq!(
            e.message,
            "\"tomorrow\" is not a duration: type a number of working days (e.g. 24 or 1.5), or a number followed by m, h or d (e.g. 48h, 2d)"
        );
        assert!(as_("", Hours, Clock::Calendar)
            .unwrap_err()
            .message
            .starts_with("the allowed time is empty"));
        assert!(as_("-2", Hours, Clock::Calendar)
            .unwrap_err()
            .message
            .contains("more than zero"));
        assert!(as_("100000", Days, Clock::Calendar)
            .unwrap_err()
            .message
            .contains("ten years"));
        assert!(
            as_("1,5", Hours, Clock::Calendar).is_err(),
            "no guessed separators"
        );
    }

    #[test]
    fn a_business_day_is_one_working_day() {
        let nine_to_five = BusinessHours::default();
        assert_eq!(
            parse_duration_on("2d", Clock::Business, &nine_to_five).unwrap(),
            16 * 3600
        );
        assert_eq!(
            parse_duration_on("2d", Clock::Calendar, &nine_to_five).unwrap(),
            48 * 3600
        );
        let long_days = BusinessHours {
            start_minute: 8 * 60,
            end_minute: 18 * 60,
            ..BusinessHours::default()
        };
        assert_eq!(
            parse_duration_on("1.5d", Clock::Business, &long_days).unwrap(),
            15 * 3600
        );
        assert_eq!(
            parse_duration_on("36h", Clock::Business, &long_days).unwrap(),
            36 * 3600
        );
    }

    #[test]
    fn clause_validation_and_name() {
        let c = SlaClauseInput {
            name: String::new(),
            from_stage: "mql".into(),
            to: SlaTarget::Stage("sql".into()),
            within_seconds: 48 * 3600,
            clock: Clock::Business,
        };
        c.validate().unwrap();
        assert_eq!(c.display_name(), "mql → sql within 48h (business hours)");
        let same = SlaClauseInput {
            to: SlaTarget::Stage("mql".into()),
            ..c.clone()
        };
        assert!(same.validate().is_err());
        let bh = BusinessHours {
            days: vec![1, 8],
            ..BusinessHours::default()
        };
        assert!(bh.validate().unwrap_err().message.contains("8"));
    }
}
