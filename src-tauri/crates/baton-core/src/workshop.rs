//! People, workshop sessions, action items, dot voting and campaigns.

use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which side of the table a person sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Team {
    Sales,
    Marketing,
    Leadership,
    Other,
}

impl Team {
    pub const ALL: [Team; 4] = [Team::Sales, Team::Marketing, Team::Leadership, Team::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Team::Sales => "sales",
            Team::Marketing => "marketing",
            Team::Leadership => "leadership",
            Team::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Team> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sales" => Ok(Team::Sales),
            "marketing" => Ok(Team::Marketing),
            "leadership" => Ok(Team::Leadership),
            "other" => Ok(Team::Other),
            other => Err(BatonError::invalid(format!(
                "unknown team \"{other}\"; expected sales, marketing, leadership or other"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub team: Team,
    /// Job title, e.g. "Head of Sales".
    pub title: String,
    /// Bumped by every change; an edit states the version it was based on and is refused
    /// (`conflict`) when someone else changed the person since.
    #[ts(type = "number")]
    pub row_version: i64,
}

/// A timed block of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaBlock {
    pub title: String,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Decision {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    /// Wall-clock seconds when it was logged.
    #[ts(type = "number")]
    pub decided_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ParkingItem {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    pub resolved: bool,
    /// Who parked it from the room; `None` when anonymous or added on the desktop.
    #[serde(default)]
    pub by: Option<String>,
    /// Bumped by every change; resolving it stating an older one is refused (`conflict`).
    #[ts(type = "number")]
    pub row_version: i64,
}

/// A workshop session: who was there, the agenda, and what came out of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Session {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    #[ts(type = "number[]")]
    pub participant_ids: Vec<i64>,
    pub agenda: Vec<AgendaBlock>,
    pub decisions: Vec<Decision>,
    pub parking_lot: Vec<ParkingItem>,
    /// Bumped by every change of the title, date, participants or agenda; an edit states
    /// the version it was based on and is refused (`conflict`) when someone else changed
    /// the session since. Decisions and parked topics are added, not edited: no bump.
    #[ts(type = "number")]
    pub row_version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInput {
    pub title: String,
    pub date: String,
    #[ts(type = "number[]")]
    #[serde(default)]
    pub participant_ids: Vec<i64>,
    #[serde(default)]
    pub agenda: Vec<AgendaBlock>,
}

impl SessionInput {
    pub fn validate(&self) -> Result<()> {
        if self.title.trim().is_empty() {
            return Err(BatonError::invalid("the session needs a title"));
        }
        check_date("session date", &self.date)?;
        for (i, b) in self.agenda.iter().enumerate() {
            if b.title.trim().is_empty() {
                return Err(BatonError::invalid(format!(
                    "agenda block {} has no title",
                    i + 1
                )));
            }
            if b.minutes == 0 || b.minutes > 480 {
                return Err(BatonError::invalid(format!(
                    "agenda block {} (\"{}\"): {} minutes; expected 1 to 480",
                    i + 1,
                    b.title,
                    b.minutes
                )));
            }
        }
        Ok(())
    }
}

/// Check a `YYYY-MM-DD` date and return it as wall-clock seconds at midnight.
pub fn check_date(what: &str, date: &str) -> Result<i64> {
    chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .timestamp()
        })
        .map_err(|_| {
            BatonError::invalid(format!(
                "{what}: \"{date}\" is not a date; expected YYYY-MM-DD, e.g. 2026-03-31"
            ))
        })
}

/// Wall-clock seconds back to `YYYY-MM-DD`.
pub fn format_date(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "open" => Ok(Self::Open),
            "in_progress" | "in progress" => Ok(Self::InProgress),
            "done" => Ok(Self::Done),
            other => Err(BatonError::invalid(format!(
                "unknown action status \"{other}\"; expected open, in_progress or done"
            ))),
        }
    }
}

/// A commitment with an owner and a due date; it outlives the session that created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionItem {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    #[ts(type = "number | null")]
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    /// `YYYY-MM-DD` or none.
    pub due: Option<String>,
    pub status: ActionStatus,
    /// The session it was agreed in, if any.
    #[ts(type = "number | null")]
    pub session_id: Option<i64>,
    /// True when due is before `today` and it is not done.
    pub overdue: bool,
    /// Bumped by every change; an edit states the version it was based on and is refused
    /// (`conflict`) when someone else changed the item since.
    #[ts(type = "number")]
    pub row_version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionInput {
    pub text: String,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub owner_id: Option<i64>,
    #[serde(default)]
    pub due: Option<String>,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub session_id: Option<i64>,
}

impl ActionInput {
    /// Validate; returns the due date as wall-clock seconds.
    pub fn validate(&self) -> Result<Option<i64>> {
        if self.text.trim().is_empty() {
            return Err(BatonError::invalid("the action item needs a description"));
        }
        match self.due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => check_date("due date", d).map(Some),
            None => Ok(None),
        }
    }
}

/// A dot vote: each participant places up to `votes_per_person` dots on the items.
/// Ballots are anonymous; tallies are visible only once the vote is revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DotVote {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub session_id: Option<i64>,
    pub topic: String,
    pub items: Vec<String>,
    pub votes_per_person: u32,
    /// How many people have cast their dots (never who voted for what).
    pub ballots_cast: u32,
    pub revealed: bool,
    /// Dots per item, same order as `items`; empty until revealed.
    pub tally: Vec<u32>,
}

/// Check one ballot: dots per item, no more than the allowance in total.
pub fn check_ballot(items: usize, votes_per_person: u32, dots: &[u32]) -> Result<()> {
    if dots.len() != items {
        return Err(BatonError::invalid(format!(
            "the ballot has {} entries but the vote has {items} items",
            dots.len()
        )));
    }
    let total: u32 = dots.iter().sum();
    if total > votes_per_person {
        return Err(BatonError::invalid(format!(
            "{total} dots placed; each participant has {votes_per_person}"
        )));
    }
    if total == 0 {
        return Err(BatonError::invalid(
            "place at least one dot before casting the ballot",
        ));
    }
    Ok(())
}

/// Sum ballots into a tally per item.
pub fn tally(items: usize, ballots: &[Vec<u32>]) -> Vec<u32> {
    let mut t = vec![0; items];
    for b in ballots {
        for (slot, n) in t.iter_mut().zip(b) {
            *slot += n;
        }
    }
    t
}

/// Sales' verdict on the leads a campaign produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LeadQuality {
    Good,
    Mixed,
    Poor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LeadFeedback {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    pub quality: LeadQuality,
    /// Which content or source the comment is about.
    pub about: String,
    pub note: String,
    #[ts(type = "number")]
    pub given_at: i64,
}

/// A campaign as planned together: who it targets, what sales asked for, and
/// sales' feedback on the leads it produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Campaign {
    #[ts(type = "number")]
    pub id: i64,
    /// Matches the `campaign` field of imported records.
    pub name: String,
    #[ts(type = "number | null")]
    pub persona_id: Option<i64>,
    pub channel: String,
    /// What sales asked for: targets, timing, follow-up capacity.
    pub sales_input: String,
    pub feedback: Vec<LeadFeedback>,
    /// Bumped by every change; an edit stating an older one is refused (`conflict`).
    #[ts(type = "number")]
    pub row_version: i64,
}

/// Trim the items of a dot vote and drop empty ones and repeats (ignoring case; the
/// first spelling stays): two identical items would split the dots between them.
pub fn distinct_items(items: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && seen.insert(s.to_lowercase()))
        .collect()
}

/// Sales' verdicts for one campaign, or for one piece of content or source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QualityCount {
    /// The campaign name, or what the feedback was about.
    pub key: String,
    pub good: u32,
    pub mixed: u32,
    pub poor: u32,
}

/// Which campaigns, content and sources produced good leads, according to sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedbackSummary {
    pub by_campaign: Vec<QualityCount>,
    /// Grouped by `about`, ignoring case; feedback without one counts as "Not specified".
    pub by_about: Vec<QualityCount>,
}

/// Feedback left without saying which content or source it is about.
pub const UNSPECIFIED_ABOUT: &str = "Not specified";

/// Count good / mixed / poor per campaign and per `about`; most good first, then
/// fewest poor, then by name. Campaigns without feedback are left out.
pub fn summarize_feedback(campaigns: &[Campaign]) -> FeedbackSummary {
    fn add(rows: &mut Vec<QualityCount>, key: &str, q: LeadQuality) {
        let i = match rows
            .iter()
            .position(|r| r.key.to_lowercase() == key.to_lowercase())
        {
            Some(i) => i,
            None => {
                rows.push(QualityCount {
                    key: key.to_string(),
                    good: 0,
                    mixed: 0,
                    poor: 0,
                });
                rows.len() - 1
            }
        };
        let r = &mut rows[i];
        match q {
            LeadQuality::Good => r.good += 1,
            LeadQuality::Mixed => r.mixed += 1,
            LeadQuality::Poor => r.poor += 1,
        }
    }
    let mut by_campaign = Vec::new();
    let mut by_about = Vec::new();
    for c in campaigns {
        for f in &c.feedback {
            add(&mut by_campaign, &c.name, f.quality);
            let about = f.about.trim();
            add(
                &mut by_about,
                if about.is_empty() {
                    UNSPECIFIED_ABOUT
                } else {
                    about
                },
                f.quality,
            );
        }
    }
    let order = |a: &QualityCount, b: &QualityCount| {
        b.good
            .cmp(&a.good)
            .then(a.poor.cmp(&b.poor))
            .then(a.key.to_lowercase().cmp(&b.key.to_lowercase()))
    };
    by_campaign.sort_by(order);
    by_about.sort_by(order);
    FeedbackSummary {
        by_campaign,
        by_about,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballots_are_checked_and_tallied() {
        assert!(check_ballot(3, 3, &[1, 1, 1]).is_ok());
        let e = check_ballot(3, 3, &[2, 2, 0]).unwrap_err();
        assert!(e.message.contains("4 dots placed; each participant has 3"));
        assert!(check_ballot(3, 3, &[1, 1]).is_err());
        assert!(check_ballot(2, 3, &[0, 0]).is_err());
        assert_eq!(tally(3, &[vec![3, 0, 0], vec![1, 0, 2]]), vec![4, 0, 2]);
    }

    #[test]
    fn dates_and_sessions_are_validated() {
        assert_eq!(
            format_date(check_date("d", "2026-03-31").unwrap()),
            "2026-03-31"
        );
        let e = check_date("due date", "31/03/2026").unwrap_err();
        assert!(e.message.contains("expected YYYY-MM-DD"), "{}", e.message);
        let s = SessionInput {
            title: "Q2 kickoff".into(),
            date: "2026-04-02".into(),
            participant_ids: vec![],
            agenda: vec![AgendaBlock {
                title: "Personas".into(),
                minutes: 0,
            }],
        };
        assert!(s
            .validate()
            .unwrap_err()
            .message
            .contains("expected 1 to 480"));
        assert_eq!(Team::parse(" Sales ").unwrap(), Team::Sales);
        assert!(Team::parse("finance").is_err());
    }

    #[test]
    fn vote_items_are_trimmed_and_deduplicated_ignoring_case() {
        let items: Vec<String> = ["Pains", " pains ", "", "Goals", "GOALS", "Partner leads"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(distinct_items(&items), ["Pains", "Goals", "Partner leads"]);
    }

    #[test]
    fn feedback_is_counted_per_campaign_and_per_about() {
        let fb = |quality, about: &str| LeadFeedback {
            id: 0,
            person_id: None,
            quality,
            about: about.into(),
            note: String::new(),
            given_at: 0,
        };
        let campaign = |name: &str, feedback| Campaign {
            id: 0,
            name: name.into(),
            persona_id: None,
            channel: String::new(),
            sales_input: String::new(),
            row_version: 1,
            feedback,
        };
        let s = summarize_feedback(&[
            campaign(
                "Webinar",
                vec![
                    fb(LeadQuality::Good, "ROI calculator"),
                    fb(LeadQuality::Poor, "roi calculator "),
                    fb(LeadQuality::Good, ""),
                ],
            ),
            campaign(
                "Paid social",
                vec![fb(LeadQuality::Poor, "Ads"), fb(LeadQuality::Mixed, "Ads")],
            ),
            campaign("Silent", vec![]),
        ]);
        let row = |r: &QualityCount| (r.key.clone(), r.good, r.mixed, r.poor);
        assert_eq!(
            s.by_campaign.iter().map(row).collect::<Vec<_>>(),
            [
                ("Webinar".to_string(), 2, 0, 1),
                ("Paid social".to_string(), 0, 1, 1)
            ]
        );
        assert_eq!(
            s.by_about.iter().map(row).collect::<Vec<_>>(),
            [
                (UNSPECIFIED_ABOUT.to_string(), 1, 0, 0),
                ("ROI calculator".to_string(), 1, 0, 1),
                ("Ads".to_string(), 0, 1, 1)
            ]
        );
    }
}
