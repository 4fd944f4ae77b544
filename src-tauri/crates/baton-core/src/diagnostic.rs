//! The alignment diagnostic: 20 statements rated 1–5 by each participant, a
//! 20–100 score per person, a level per team, and the sales–marketing gap per statement.

use crate::workshop::Team;
use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One statement of the diagnostic, with the action proposed when it scores low.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiagnosticStatement {
    /// 1-based number shown to participants.
    pub number: u32,
    pub theme: &'static str,
    pub text: &'static str,
    pub proposed_action: &'static str,
}

const fn st(
    number: u32,
    theme: &'static str,
    text: &'static str,
    proposed_action: &'static str,
) -> DiagnosticStatement {
    DiagnosticStatement {
        number,
        theme,
        text,
        proposed_action,
    }
}

/// Baton's own statements, written on the themes of the field's maturity model.
pub const STATEMENTS: [DiagnosticStatement; 20] = [
    st(1, "Forecasting", "When sales commits to a quarter, marketing's pipeline numbers tell the same story.", "Review the next forecast together: marketing's pipeline view next to sales' commit, line by line."),
    st(2, "Forecasting", "Our revenue forecasts usually land close to the final number, and both teams trust them.", "Track forecast against actual each month and agree one method both teams use."),
    st(3, "Common language", "Ask anyone on either team what a qualified lead is and you get the same answer.", "Write and sign off the MQL and SQL definitions on the Vocabulary screen."),
    st(4, "Common language", "The stage names in our CRM mean the same thing to sales and to marketing.", "Map every CRM stage value to an agreed stage and publish the glossary."),
    st(5, "Common metrics", "Both teams quote the same funnel numbers, taken from the same data.", "Make one funnel report from the CRM export the only source for both teams' reviews."),
    st(6, "Common metrics", "Marketing is judged on revenue it helps win, not only on how many leads it sends.", "Add pipeline and revenue influenced to marketing's goals next to lead volume."),
    st(7, "Joint funnel", "Sales and marketing designed the funnel stages and the hand-off rules together.", "Hold a funnel-design session with both heads and agree each stage's entry and exit rules."),
    st(8, "Joint planning", "Yearly and quarterly plans are drafted by both teams in the same room.", "Schedule a joint planning session before the next quarter starts."),
    st(9, "Joint planning", "Campaigns are planned with sales input on targets, timing and follow-up capacity.", "Give every campaign brief a sales-input section that a sales lead fills in before launch."),
    st(10, "Shared targets", "We agree on the ideal customer profile and the personas we sell to.", "Build the personas together on the Personas screen, with criteria tested on CRM data."),
    st(11, "Customer feedback", "Sales tells marketing which leads and which content worked, and marketing acts on it.", "Collect lead-quality feedback per campaign every month and review it jointly."),
    st(12, "Customer feedback", "What customers say in sales conversations reaches marketing in an organised way.", "Pick a place and a rhythm for sharing call notes and objections with marketing."),
    st(13, "Service levels", "Sales follows up marketing's leads within an agreed time, and someone checks it.", "Agree a follow-up SLA (e.g. 24 hours per MQL) and review compliance monthly."),
    st(14, "Service levels", "Leads that sales turns down go back to marketing with a reason.", "Agree a short list of reject reason codes and require one on every rejected lead."),
    st(15, "One story", "Sales uses the material marketing produces, and helped shape it.", "Review the sales deck and top three assets together and retire the duplicates."),
    st(16, "Working rhythm", "The two teams meet on a fixed schedule, and the meetings are about plans rather than blame.", "Set a fortnightly pipeline meeting with a fixed agenda and a decisions log."),
    st(17, "Shared skills", "People from each team learn the other's job through training, shadowing or moves.", "Arrange ride-alongs: each marketer joins sales calls; each seller sits in a campaign review."),
    st(18, "Shared rewards", "Bonuses and recognition reward both teams for the same results.", "Put one shared revenue or pipeline target into both teams' incentive plans."),
    st(19, "Shared systems", "Both teams work in one CRM and can see each other's activity on an account.", "Give marketing and sales access to the same records and activity history."),
    st(20, "Revenue ownership", "One leader is accountable for revenue across sales and marketing together.", "Name one owner for the revenue number and a joint review they chair."),
];

/// The four levels of the relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Level {
    Undefined,
    Defined,
    Aligned,
    Integrated,
}

impl Level {
    /// Band of a 20–100 score: 20–39 Undefined, 40–59 Defined, 60–79 Aligned, 80–100 Integrated.
    /// Fractional team means are banded by the same thresholds (59.5 is Defined).
    pub fn of_score(score: f64) -> Level {
        if score >= 80.0 {
            Level::Integrated
        } else if score >= 60.0 {
            Level::Aligned
        } else if score >= 40.0 {
            Level::Defined
        } else {
            Level::Undefined
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Undefined => "Undefined",
            Level::Defined => "Defined",
            Level::Aligned => "Aligned",
            Level::Integrated => "Integrated",
        }
    }
}

/// Check a participant's 20 ratings and return their 20–100 score.
pub fn score(ratings: &[u8]) -> Result<u32> {
    if ratings.len() != STATEMENTS.len() {
        return Err(BatonError::invalid(format!(
            "{} ratings given; the diagnostic has {} statements",
            ratings.len(),
            STATEMENTS.len()
        )));
    }
    if let Some((i, r)) = ratings
        .iter()
        .enumerate()
        .find(|(_, r)| !(1..=5).contains(*r))
    {
        return Err(BatonError::invalid(format!(
            "statement {}: rating {r}; expected 1 (strongly disagree) to 5 (strongly agree)",
            i + 1
        )));
    }
    Ok(ratings.iter().map(|r| u32::from(*r)).sum())
}

/// One participant's answers in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Response {
    #[ts(type = "number")]
    pub person_id: i64,
    pub name: String,
    pub team: Team,
    pub ratings: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PersonScore {
    #[ts(type = "number")]
    pub person_id: i64,
    pub name: String,
    pub team: Team,
    pub score: u32,
    pub level: Level,
}

/// A team's result. In an anonymous run the mean, level and distribution are shown only
/// when at least [`MIN_GROUP`] people of the team answered: one answer would be that
/// person's score.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamScore {
    pub team: Team,
    pub respondents: u32,
    pub mean_score: Option<f64>,
    pub level: Option<Level>,
    /// How many of the team's people landed at each level (empty when hidden).
    pub distribution: Vec<LevelCount>,
}

/// How many people scored at one level.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LevelCount {
    pub level: Level,
    pub people: u32,
}

/// Mean rating of sales and of marketing on one statement; gap = sales − marketing.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StatementGap {
    pub number: u32,
    pub theme: String,
    pub text: String,
    pub sales_mean: f64,
    pub marketing_mean: f64,
    pub gap: f64,
}

/// A statement the room rated low, with the action Baton proposes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ProposedAction {
    pub number: u32,
    pub statement: String,
    pub mean_rating: f64,
    pub action: String,
}

/// Everything the result view shows for one run.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DiagnosticResult {
    /// Each person's score: only for a closed run started with named results.
    pub people: Vec<PersonScore>,
    pub teams: Vec<TeamScore>,
    /// Mean of all participants' scores (in an anonymous run, from [`MIN_GROUP`] answers).
    pub overall_mean: Option<f64>,
    pub overall_level: Option<Level>,
    /// Only when both sales and marketing show a mean; largest absolute gap first.
    pub gaps: Vec<StatementGap>,
    /// Statements whose mean rating across everyone is at or below [`LOW_RATING`], lowest first.
    pub proposed_actions: Vec<ProposedAction>,
}

/// The fewest answers a mean of an anonymous run is shown from.
pub const MIN_GROUP: u32 = 2;

/// What a run's result may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// Means of groups of at least [`MIN_GROUP`], distributions and gaps; never a score
    /// next to a name.
    Anonymous,
    /// Also each person's score by name (a closed run started with named results).
    Named,
}

/// A statement whose mean rating is at or below this proposes an action item.
pub const LOW_RATING: f64 = 2.5;

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = xs.fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// Score a run, showing what `disclosure` allows. Responses must already be valid
/// (see [`score`]).
pub fn evaluate(responses: &[Response], disclosure: Disclosure) -> Result<DiagnosticResult> {
    let named = disclosure == Disclosure::Named;
    let shown = |n: usize| named || n as u32 >= MIN_GROUP;
    let mut people = Vec::with_capacity(responses.len());
    for r in responses {
        let s = score(&r.ratings)
            .map_err(|e| BatonError::invalid(format!("{}'s answers: {}", r.name, e.message)))?;
        people.push(PersonScore {
            person_id: r.person_id,
            name: r.name.clone(),
            team: r.team,
            score: s,
            level: Level::of_score(f64::from(s)),
        });
    }
    let teams = Team::ALL
        .iter()
        .filter_map(|t| {
            let scores: Vec<f64> = people
                .iter()
                .filter(|p| p.team == *t)
                .map(|p| f64::from(p.score))
                .collect();
            if scores.is_empty() {
                return None;
            }
            let m = mean(scores.iter().copied()).filter(|_| shown(scores.len()));
            let distribution = match m {
                None => Vec::new(),
                Some(_) => [
                    Level::Undefined,
                    Level::Defined,
                    Level::Aligned,
                    Level::Integrated,
                ]
                .into_iter()
                .map(|level| LevelCount {
                    level,
                    people: scores
                        .iter()
                        .filter(|s| Level::of_score(**s) == level)
                        .count() as u32,
                })
                .collect(),
            };
            Some(TeamScore {
                team: *t,
                respondents: scores.len() as u32,
                mean_score: m,
                level: m.map(Level::of_score),
                distribution,
            })
        })
        .collect();
    let overall_mean =
        mean(people.iter().map(|p| f64::from(p.score))).filter(|_| shown(people.len()));

    // A statement's mean over a group, when the group may be shown.
    let rating_mean = |i: usize, team: Option<Team>| {
        let group: Vec<f64> = responses
            .iter()
            .filter(|r| team.is_none_or(|t| r.team == t))
            .map(|r| f64::from(r.ratings[i]))
            .collect();
        mean(group.iter().copied()).filter(|_| shown(group.len()))
    };
    let mut gaps: Vec<StatementGap> = STATEMENTS
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let sales = rating_mean(i, Some(Team::Sales))?;
            let marketing = rating_mean(i, Some(Team::Marketing))?;
            Some(StatementGap {
                number: s.number,
                theme: s.theme.into(),
                text: s.text.into(),
                sales_mean: sales,
                marketing_mean: marketing,
                gap: sales - marketing,
            })
        })
        .collect();
    gaps.sort_by(|a, b| {
        b.gap
            .abs()
            .total_cmp(&a.gap.abs())
            .then(a.number.cmp(&b.number))
    });

    let mut proposed_actions: Vec<ProposedAction> = STATEMENTS
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let m = rating_mean(i, None)?;
            (m <= LOW_RATING).then(|| ProposedAction {
                number: s.number,
                statement: s.text.into(),
                mean_rating: m,
                action: s.proposed_action.into(),
            })
        })
        .collect();
    proposed_actions.sort_by(|a, b| {
        a.mean_rating
            .total_cmp(&b.mean_rating)
            .then(a.number.cmp(&b.number))
    });

    if !named {
        people.clear();
    }
    Ok(DiagnosticResult {
        people,
        teams,
        overall_mean,
        overall_level: overall_mean.map(Level::of_score),
        gaps,
        proposed_actions,
    })
}

/// A diagnostic run (e.g. one per quarter) with its scored result.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DiagnosticRun {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub closed: bool,
    /// Started with named results: once closed, each person's score shows by name.
    /// Otherwise the run is anonymous. Participants see this before answering.
    pub named: bool,
    /// The facilitator showed the (anonymous) results before closing.
    pub revealed: bool,
    /// Who has answered (names only: answers stay private).
    pub answered: Vec<String>,
    /// None while the run is open and not revealed. An open run never shows a person's
    /// score, even when named.
    pub result: Option<DiagnosticResult>,
}

impl DiagnosticRun {
    /// The run as any caller may see it: the one place the privacy rules are applied.
    pub fn disclose(head: RunHead, responses: &[Response]) -> Result<DiagnosticRun> {
        let disclosure = if head.named && head.closed {
            Disclosure::Named
        } else {
            Disclosure::Anonymous
        };
        let result = if head.closed || head.revealed {
            Some(evaluate(responses, disclosure)?)
        } else {
            None
        };
        Ok(DiagnosticRun {
            id: head.id,
            name: head.name,
            date: head.date,
            closed: head.closed,
            named: head.named,
            revealed: head.revealed && !head.closed,
            answered: responses.iter().map(|r| r.name.clone()).collect(),
            result,
        })
    }
}

/// A run as stored, before its answers are scored.
#[derive(Debug, Clone)]
pub struct RunHead {
    pub id: i64,
    pub name: String,
    pub date: String,
    pub closed: bool,
    pub named: bool,
    pub revealed: bool,
}

/// One point of the quarterly trend.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TrendPoint {
    #[ts(type = "number")]
    pub run_id: i64,
    pub name: String,
    pub date: String,
    pub teams: Vec<TeamScore>,
    pub overall_mean: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(id: i64, team: Team, ratings: Vec<u8>) -> Response {
        Response {
            person_id: id,
            name: format!("p{id}"),
            team,
            ratings,
        }
    }

    #[test]
    fn twenty_distinct_statements() {
        assert_eq!(STATEMENTS.len(), 20);
        for (i, s) in STATEMENTS.iter().enumerate() {
            assert_eq!(s.number as usize, i + 1);
            assert!(!s.proposed_action.is_empty());
        }
        let texts: std::collections::HashSet<_> = STATEMENTS.iter().map(|s| s.text).collect();
        assert_eq!(texts.len(), 20, "two statements have the same text");
        let actions: std::collections::HashSet<_> =
            STATEMENTS.iter().map(|s| s.proposed_action).collect();
        assert_eq!(actions.len(), 20, "two statements propose the same action");
    }

    #[test]
    fn bands_follow_the_published_thresholds() {
        assert_eq!(Level::of_score(20.0), Level::Undefined);
        assert_eq!(Level::of_score(39.0), Level::Undefined);
        assert_eq!(Level::of_score(40.0), Level::Defined);
        assert_eq!(Level::of_score(59.5), Level::Defined);
        assert_eq!(Level::of_score(60.0), Level::Aligned);
        assert_eq!(Level::of_score(79.0), Level::Aligned);
        assert_eq!(Level::of_score(80.0), Level::Integrated);
        assert_eq!(Level::of_score(100.0), Level::Integrated);
    }

    #[test]
    fn score_sums_and_rejects_bad_ratings() {
        assert_eq!(score(&[1; 20]).unwrap(), 20);
        assert_eq!(score(&[5; 20]).unwrap(), 100);
        let mut r = vec![3; 20];
        r[6] = 6;
        let e = score(&r).unwrap_err();
        assert!(
            e.message.starts_with("statement 7: rating 6"),
            "{}",
            e.message
        );
        assert!(score(&[3; 19]).is_err());
    }

    #[test]
    fn teams_levels_gaps_and_actions() {
        // Sales rates everything 4 except statement 3 at 1; marketing rates all 2.
        let mut sales = vec![4u8; 20];
        sales[2] = 1;
        let sales2 = vec![4u8; 20];
        let marketing = vec![2u8; 20];
        let res = evaluate(
            &[
                resp(1, Team::Sales, sales),
                resp(2, Team::Sales, sales2),
                resp(3, Team::Marketing, marketing),
            ],
            Disclosure::Named,
        )
        .unwrap();
        assert_eq!(res.people[0].score, 77);
        assert_eq!(res.people[1].score, 80);
        assert_eq!(res.people[1].level, Level::Integrated);
        let s = res.teams.iter().find(|t| t.team == Team::Sales).unwrap();
        assert_eq!(s.mean_score, Some(78.5));
        assert_eq!(s.level, Some(Level::Aligned));
        let m = res
            .teams
            .iter()
            .find(|t| t.team == Team::Marketing)
            .unwrap();
        assert_eq!(m.mean_score, Some(40.0));
        assert_eq!(m.level, Some(Level::Defined));
        assert_eq!(res.teams.len(), 2);
        // Every gap is +2 except statement 3 where sales mean is 2.5: gap 0.5, sorted last.
        assert_eq!(res.gaps.len(), 20);
        assert_eq!(res.gaps[0].gap, 2.0);
        assert_eq!(res.gaps[19].number, 3);
        assert_eq!(res.gaps[19].gap, 0.5);
        // Statement 3 mean over everyone is (1+4+2)/3 = 2.33 ≤ 2.5: proposed.
        assert_eq!(res.proposed_actions.len(), 1);
        assert_eq!(res.proposed_actions[0].number, 3);
        assert!(res.proposed_actions[0].action.contains("MQL"));
    }

    #[test]
    fn no_gap_without_both_sides() {
        let res = evaluate(&[resp(1, Team::Sales, vec![3; 20])], Disclosure::Named).unwrap();
        assert!(res.gaps.is_empty());
        assert_eq!(res.overall_level, Some(Level::Aligned));
        assert!(evaluate(&[], Disclosure::Named)
            .unwrap()
            .overall_mean
            .is_none());
    }

    #[test]
    fn an_anonymous_result_shows_no_score_next_to_a_name_and_no_mean_of_one() {
        let answers = [
            resp(1, Team::Sales, vec![4; 20]),
            resp(2, Team::Sales, vec![2; 20]),
            resp(3, Team::Marketing, vec![1; 20]),
        ];
        let res = evaluate(&answers, Disclosure::Anonymous).unwrap();
        assert!(res.people.is_empty());
        let sales = res.teams.iter().find(|t| t.team == Team::Sales).unwrap();
        assert_eq!(sales.mean_score, Some(60.0));
        assert_eq!(sales.level, Some(Level::Aligned));
        let counts: Vec<u32> = sales.distribution.iter().map(|c| c.people).collect();
        assert_eq!(counts, [0, 1, 0, 1]);
        // One marketing answer: its mean would be that person's score.
        let mk = res
            .teams
            .iter()
            .find(|t| t.team == Team::Marketing)
            .unwrap();
        assert_eq!(mk.respondents, 1);
        assert_eq!((mk.mean_score, mk.level), (None, None));
        assert!(mk.distribution.is_empty());
        // The gap would show that person's rating of every statement.
        assert!(res.gaps.is_empty());
        assert_eq!(res.overall_mean, Some(140.0 / 3.0));
        // A single answer in the room shows nothing at all.
        let one = evaluate(&answers[2..], Disclosure::Anonymous).unwrap();
        assert!(one.overall_mean.is_none() && one.proposed_actions.is_empty());
    }

    fn head(closed: bool, named: bool, revealed: bool) -> RunHead {
        RunHead {
            id: 1,
            name: "Q1".into(),
            date: "2026-03-31".into(),
            closed,
            named,
            revealed,
        }
    }

    #[test]
    fn a_run_discloses_by_its_state_and_choice() {
        let answers = [
            resp(1, Team::Sales, vec![4; 20]),
            resp(2, Team::Sales, vec![2; 20]),
        ];
        let open = DiagnosticRun::disclose(head(false, true, false), &answers).unwrap();
        assert!(open.result.is_none());
        assert_eq!(open.answered, ["p1", "p2"]);
        // Revealed early, a named run still shows no person's score while open.
        let early = DiagnosticRun::disclose(head(false, true, true), &answers).unwrap();
        assert!(early.result.as_ref().unwrap().people.is_empty());
        assert!(early.revealed);
        let anonymous = DiagnosticRun::disclose(head(true, false, false), &answers).unwrap();
        assert!(anonymous.result.unwrap().people.is_empty());
        let named = DiagnosticRun::disclose(head(true, true, false), &answers).unwrap();
        assert_eq!(named.result.unwrap().people.len(), 2);
    }
}
