//! The alignment diagnostic: runs, each participant's ratings, results and the trend.

use super::{changed_one, from_json, team_of, to_json, wall_clock_now};
use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::diagnostic::{score, DiagnosticRun, Response, RunHead, TrendPoint, STATEMENTS};
use baton_core::workshop::{check_date, format_date};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// Diagnostic runs, answers, results and the trend.
pub trait DiagnosticStore {
    /// Start a run; `named` shows each person's score by name once it closes (otherwise
    /// the run is anonymous).
    fn create_diagnostic_run(&self, name: &str, date: &str, named: bool) -> Result<i64>;

    /// Record (or replace) one participant's ratings for an open run.
    fn answer_diagnostic(&self, run_id: i64, person_id: i64, ratings: &[u8]) -> Result<()>;

    /// Record (or change) one rating of one participant for an open run, as given.
    /// Once all 20 statements are rated they are the person's response (they count as
    /// answered); a later change updates that response.
    fn answer_diagnostic_statement(
        &self,
        run_id: i64,
        person_id: i64,
        statement: u32,
        rating: u8,
    ) -> Result<()>;

    /// One person's own ratings of a run, `None` where not answered yet (20 entries):
    /// for that person's own page only.
    fn own_diagnostic_answers(&self, run_id: i64, person_id: i64) -> Result<Vec<Option<u8>>>;

    fn close_diagnostic_run(&self, run_id: i64) -> Result<()>;

    /// Show (or hide again) an open run's anonymous results before it closes.
    fn reveal_diagnostic_run(&self, run_id: i64, revealed: bool) -> Result<()>;

    /// A run as any caller may see it (see [`DiagnosticRun::disclose`]).
    fn diagnostic_run(&self, run_id: i64) -> Result<DiagnosticRun>;

    /// All runs, newest first.
    fn diagnostic_runs(&self) -> Result<Vec<DiagnosticRun>>;

    /// Team means per run whose results are shown (closed or revealed), oldest first:
    /// the quarterly trend.
    fn diagnostic_trend(&self) -> Result<Vec<TrendPoint>>;
}

impl DiagnosticStore for Workspace {
    fn create_diagnostic_run(&self, name: &str, date: &str, named: bool) -> Result<i64> {
        let secs = check_run(name, date)?;
        self.conn
            .execute(
                "INSERT INTO diagnostic_runs(name, date, named) VALUES (?1, ?2, ?3)",
                params![name.trim(), secs, named],
            )
            .ctx("creating diagnostic run")?;
        let id = self.conn.last_insert_rowid();
        Ok(id)
    }

    fn answer_diagnostic(&self, run_id: i64, person_id: i64, ratings: &[u8]) -> Result<()> {
        let person = self.person(person_id)?;
        check_ratings(&person.name, ratings)?;
        self.open_run(run_id)?;
        self.conn
            .execute(
                "INSERT INTO diagnostic_responses(run_id, person_id, name, team, ratings, answered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(run_id, person_id) DO UPDATE SET ratings = excluded.ratings,
                    name = excluded.name, team = excluded.team, answered_at = excluded.answered_at",
                params![
                    run_id,
                    person.id,
                    person.name,
                    person.team.as_str(),
                    to_json(&ratings)?,
                    wall_clock_now()
                ],
            )
            .ctx("saving answers")?;
        Ok(())
    }

    fn answer_diagnostic_statement(
        &self,
        run_id: i64,
        person_id: i64,
        statement: u32,
        rating: u8,
    ) -> Result<()> {
        check_rating(statement, rating)?;
        self.write_tx("saving the answer", |ws| {
            ws.person(person_id)?;
            ws.open_run(run_id)?;
            ws.conn
                .execute(
                    "INSERT INTO diagnostic_answers(run_id, person_id, statement, rating)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(run_id, person_id, statement) DO UPDATE SET rating = excluded.rating",
                    params![run_id, person_id, statement, rating],
                )
                .ctx("saving the answer")?;
            let answers = ws.own_diagnostic_answers(run_id, person_id)?;
            if let Some(all) = answers.into_iter().collect::<Option<Vec<u8>>>() {
                ws.answer_diagnostic(run_id, person_id, &all)?;
            }
            Ok(())
        })
    }

    fn own_diagnostic_answers(&self, run_id: i64, person_id: i64) -> Result<Vec<Option<u8>>> {
        let given: Vec<(u32, u8)> = self.query_list(
            "reading the answers",
            "SELECT statement, rating FROM diagnostic_answers WHERE run_id = ?1 AND person_id = ?2",
            params![run_id, person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(answers_of(given))
    }

    fn close_diagnostic_run(&self, run_id: i64) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE diagnostic_runs SET closed = 1 WHERE id = ?1",
                [run_id],
            )
            .ctx("closing run")?;
        changed_one(n, &format!("diagnostic run {run_id}"))?;
        Ok(())
    }

    fn reveal_diagnostic_run(&self, run_id: i64, revealed: bool) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE diagnostic_runs SET revealed = ?2 WHERE id = ?1",
                params![run_id, revealed],
            )
            .ctx("revealing run")?;
        changed_one(n, &format!("diagnostic run {run_id}"))?;
        Ok(())
    }

    fn diagnostic_run(&self, run_id: i64) -> Result<DiagnosticRun> {
        let (name, date, closed, named, revealed): (String, i64, bool, bool, bool) = self
            .conn
            .query_row(
                "SELECT name, date, closed, named, revealed FROM diagnostic_runs WHERE id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .ctx("reading diagnostic run")?
            .ok_or_else(|| {
                BatonError::not_found(format!("diagnostic run {run_id} does not exist"))
            })?;
        let head = RunHead {
            id: run_id,
            name,
            date: format_date(date),
            closed,
            named,
            revealed,
        };
        DiagnosticRun::disclose(head, &self.diagnostic_responses(run_id)?)
    }

    fn diagnostic_runs(&self) -> Result<Vec<DiagnosticRun>> {
        let ids: Vec<i64> = {
            self.query_list(
                "reading diagnostic runs",
                "SELECT id FROM diagnostic_runs ORDER BY date DESC, id DESC",
                [],
                |r| r.get(0),
            )?
        };
        ids.into_iter().map(|id| self.diagnostic_run(id)).collect()
    }

    fn diagnostic_trend(&self) -> Result<Vec<TrendPoint>> {
        Ok(trend_of(self.diagnostic_runs()?))
    }
}

impl Workspace {
    fn diagnostic_responses(&self, run_id: i64) -> Result<Vec<Response>> {
        let mut out = Vec::new();
        for (person_id, name, team, ratings) in self.query_list(
            "reading answers",
            "SELECT person_id, name, team, ratings FROM diagnostic_responses
                 WHERE run_id = ?1 ORDER BY answered_at, person_id",
            [run_id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )? {
            out.push(Response {
                person_id,
                name,
                team: team_of(&team),
                ratings: from_json(&ratings, "diagnostic answers")?,
            });
        }
        Ok(out)
    }
}

impl Workspace {
    /// Fail unless run `run_id` exists and is still open.
    fn open_run(&self, run_id: i64) -> Result<()> {
        let closed: bool = self
            .conn
            .query_row(
                "SELECT closed FROM diagnostic_runs WHERE id = ?1",
                [run_id],
                |r| r.get(0),
            )
            .optional()
            .ctx("reading diagnostic run")?
            .ok_or_else(|| {
                BatonError::not_found(format!("diagnostic run {run_id} does not exist"))
            })?;
        check_open(closed)
    }
}

/// A new run's name and date (as seconds).
pub(crate) fn check_run(name: &str, date: &str) -> Result<i64> {
    if name.trim().is_empty() {
        return Err(BatonError::invalid(
            "the run needs a name, e.g. \"Q2 2026\"",
        ));
    }
    check_date("run date", date)
}

/// A full set of ratings from the person named `name`.
pub(crate) fn check_ratings(name: &str, ratings: &[u8]) -> Result<()> {
    score(ratings).map_err(|e| BatonError::invalid(format!("{name}'s answers: {}", e.message)))?;
    Ok(())
}

/// One rating of one statement.
pub(crate) fn check_rating(statement: u32, rating: u8) -> Result<()> {
    let n = STATEMENTS.len();
    if statement as usize >= n {
        return Err(BatonError::invalid(format!(
            "statement {statement}: the diagnostic has statements 0 to {}",
            n - 1
        )));
    }
    if !(1..=5).contains(&rating) {
        return Err(BatonError::invalid(format!(
            "statement {}: rating {rating}; expected 1 (strongly disagree) to 5 (strongly agree)",
            statement + 1
        )));
    }
    Ok(())
}

/// Answers are taken only while the run is open.
pub(crate) fn check_open(closed: bool) -> Result<()> {
    if closed {
        return Err(BatonError::conflict("this run is closed; start a new run"));
    }
    Ok(())
}

/// One person's ratings by statement, `None` where not given yet.
pub(crate) fn answers_of(given: Vec<(u32, u8)>) -> Vec<Option<u8>> {
    let mut out = vec![None; STATEMENTS.len()];
    for (s, r) in given {
        if let Some(slot) = out.get_mut(s as usize) {
            *slot = Some(r);
        }
    }
    out
}

/// The trend: team means of the runs whose results are shown, oldest first, from the
/// runs newest first.
pub(crate) fn trend_of(mut runs: Vec<DiagnosticRun>) -> Vec<TrendPoint> {
    runs.reverse();
    runs.into_iter()
        .filter_map(|r| {
            let result = r.result?;
            Some(TrendPoint {
                run_id: r.id,
                name: r.name,
                date: r.date,
                teams: result.teams,
                overall_mean: result.overall_mean,
            })
        })
        .collect()
}
