//! [`DiagnosticStore`] on PostgreSQL. What a caller may see of a run is decided by the
//! same rule as on the file ([`DiagnosticRun::disclose`]: an anonymous run never shows
//! who answered what), from the same rows in the same order.
use super::agreements::{ctx, person_in};
use super::text_check::refuse_nul;
use super::PgWorkspace;
use crate::prelude::DiagnosticStore;
use crate::workshop::diagnostic::{
    answers_of, check_open, check_rating, check_ratings, check_run, trend_of,
};
use crate::workshop::{changed_one, from_json, team_of, to_json, wall_clock_now};
use baton_core::diagnostic::{DiagnosticRun, Response, RunHead, TrendPoint};
use baton_core::workshop::format_date;
use baton_core::{BatonError, Result};
use tokio_postgres::GenericClient;

fn no_run(run_id: i64) -> BatonError {
    BatonError::not_found(format!("diagnostic run {run_id} does not exist"))
}

/// Fail unless run `run_id` exists and is still open.
async fn open_run_in(c: &impl GenericClient, run_id: i64) -> Result<()> {
    let closed: i64 = c
        .query_opt(
            "SELECT closed FROM diagnostic_runs WHERE id = $1",
            &[&run_id],
        )
        .await
        .map_err(ctx("reading diagnostic run"))?
        .ok_or_else(|| no_run(run_id))?
        .get(0);
    check_open(closed != 0)
}

async fn own_answers_in(
    c: &impl GenericClient,
    run_id: i64,
    person_id: i64,
) -> Result<Vec<Option<u8>>> {
    let given = c
        .query(
            "SELECT statement, rating FROM diagnostic_answers WHERE run_id = $1 AND person_id = $2",
            &[&run_id, &person_id],
        )
        .await
        .map_err(ctx("reading the answers"))?
        .iter()
        .map(|r| (r.get::<_, i64>(0) as u32, r.get::<_, i64>(1) as u8))
        .collect();
    Ok(answers_of(given))
}

/// Record (or replace) a person's full ratings of an open run, inside the caller's
/// transaction.
async fn answer_in(
    c: &impl GenericClient,
    run_id: i64,
    person_id: i64,
    ratings: &[u8],
) -> Result<()> {
    let person = person_in(c, person_id).await?;
    check_ratings(&person.name, ratings)?;
    open_run_in(c, run_id).await?;
    c.execute(
        "INSERT INTO diagnostic_responses(run_id, person_id, name, team, ratings, answered_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (run_id, person_id) DO UPDATE SET ratings = excluded.ratings,
            name = excluded.name, team = excluded.team, answered_at = excluded.answered_at",
        &[
            &run_id,
            &person.id,
            &person.name,
            &person.team.as_str(),
            &to_json(&ratings)?,
            &wall_clock_now(),
        ],
    )
    .await
    .map_err(ctx("saving answers"))?;
    Ok(())
}

async fn responses_in(c: &impl GenericClient, run_id: i64) -> Result<Vec<Response>> {
    c.query(
        "SELECT person_id, name, team, ratings FROM diagnostic_responses
         WHERE run_id = $1 ORDER BY answered_at, person_id",
        &[&run_id],
    )
    .await
    .map_err(ctx("reading answers"))?
    .iter()
    .map(|r| {
        Ok(Response {
            person_id: r.get(0),
            name: r.get(1),
            team: team_of(r.get(2)),
            ratings: from_json(r.get(3), "diagnostic answers")?,
        })
    })
    .collect()
}

async fn run_in(c: &impl GenericClient, run_id: i64) -> Result<DiagnosticRun> {
    let r = c
        .query_opt(
            "SELECT name, date, closed, named, revealed FROM diagnostic_runs WHERE id = $1",
            &[&run_id],
        )
        .await
        .map_err(ctx("reading diagnostic run"))?
        .ok_or_else(|| no_run(run_id))?;
    let head = RunHead {
        id: run_id,
        name: r.get(0),
        date: format_date(r.get(1)),
        closed: r.get::<_, i64>(2) != 0,
        named: r.get::<_, i64>(3) != 0,
        revealed: r.get::<_, i64>(4) != 0,
    };
    DiagnosticRun::disclose(head, &responses_in(c, run_id).await?)
}

async fn runs_in(c: &impl GenericClient) -> Result<Vec<DiagnosticRun>> {
    let ids: Vec<i64> = c
        .query(
            "SELECT id FROM diagnostic_runs ORDER BY date DESC, id DESC",
            &[],
        )
        .await
        .map_err(ctx("reading diagnostic runs"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(run_in(c, id).await?);
    }
    Ok(out)
}

impl PgWorkspace {
    /// Set a run's flag column (`closed`, `revealed`) to `value`.
    fn set_run_flag(
        &self,
        what: &'static str,
        sql: &'static str,
        run_id: i64,
        value: bool,
    ) -> Result<()> {
        let n = self.write_tx(what, async |tx| {
            tx.execute(sql, &[&run_id, &i64::from(value)])
                .await
                .map_err(ctx(what))
        })?;
        changed_one(n as usize, &format!("diagnostic run {run_id}"))
    }
}

impl DiagnosticStore for PgWorkspace {
    fn create_diagnostic_run(&self, name: &str, date: &str, named: bool) -> Result<i64> {
        let secs = check_run(name, date)?;
        let name = name.trim();
        refuse_nul("the run's name", name)?;
        self.write_tx("creating diagnostic run", async |tx| {
            Ok(tx
                .query_one(
                    "INSERT INTO diagnostic_runs(name, date, named) VALUES ($1, $2, $3) RETURNING id",
                    &[&name, &secs, &i64::from(named)],
                )
                .await
                .map_err(ctx("creating diagnostic run"))?
                .get(0))
        })
    }

    fn answer_diagnostic(&self, run_id: i64, person_id: i64, ratings: &[u8]) -> Result<()> {
        self.write_tx("saving answers", async |tx| {
            answer_in(&**tx, run_id, person_id, ratings).await
        })
    }

    fn answer_diagnostic_statement(
        &self,
        run_id: i64,
        person_id: i64,
        statement: u32,
        rating: u8,
    ) -> Result<()> {
        check_rating(statement, rating)?;
        self.write_tx("saving the answer", async |tx| {
            let c = &**tx;
            person_in(c, person_id).await?;
            open_run_in(c, run_id).await?;
            c.execute(
                "INSERT INTO diagnostic_answers(run_id, person_id, statement, rating)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (run_id, person_id, statement) DO UPDATE SET rating = excluded.rating",
                &[
                    &run_id,
                    &person_id,
                    &i64::from(statement),
                    &i64::from(rating),
                ],
            )
            .await
            .map_err(ctx("saving the answer"))?;
            let answers = own_answers_in(c, run_id, person_id).await?;
            if let Some(all) = answers.into_iter().collect::<Option<Vec<u8>>>() {
                answer_in(c, run_id, person_id, &all).await?;
            }
            Ok(())
        })
    }

    fn own_diagnostic_answers(&self, run_id: i64, person_id: i64) -> Result<Vec<Option<u8>>> {
        self.on_conn(async |c| own_answers_in(c, run_id, person_id).await)
    }

    fn close_diagnostic_run(&self, run_id: i64) -> Result<()> {
        self.set_run_flag(
            "closing run",
            "UPDATE diagnostic_runs SET closed = $2 WHERE id = $1",
            run_id,
            true,
        )
    }

    fn reveal_diagnostic_run(&self, run_id: i64, revealed: bool) -> Result<()> {
        self.set_run_flag(
            "revealing run",
            "UPDATE diagnostic_runs SET revealed = $2 WHERE id = $1",
            run_id,
            revealed,
        )
    }

    fn diagnostic_run(&self, run_id: i64) -> Result<DiagnosticRun> {
        self.on_conn(async |c| run_in(c, run_id).await)
    }

    fn diagnostic_runs(&self) -> Result<Vec<DiagnosticRun>> {
        self.on_conn(async |c| runs_in(c).await)
    }

    fn diagnostic_trend(&self) -> Result<Vec<TrendPoint>> {
        Ok(trend_of(self.diagnostic_runs()?))
    }
}
