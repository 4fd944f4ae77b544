//! The alignment diagnostic. What a run shows is decided here for every caller (window,
//! CLI, room server) by [`DiagnosticRun::disclose`]: an open run only says who has
//! answered; an anonymous run shows team means (from two answers up), distributions and
//! gaps, never a score next to a name; a run started with named results shows each
//! person's score once closed.
use crate::{Area, Service};
use baton_core::diagnostic::{DiagnosticRun, DiagnosticStatement, TrendPoint, STATEMENTS};
use baton_core::{BatonError, Result};

impl Service {
    pub fn diagnostic_statements(&self) -> Vec<DiagnosticStatement> {
        STATEMENTS.to_vec()
    }

    /// All runs, newest first.
    pub fn diagnostic_runs(&self) -> Result<Vec<DiagnosticRun>> {
        self.read(|ws| ws.diagnostic_runs())
    }

    /// One run, or the latest when `id` is None.
    pub fn diagnostic_run(&self, id: Option<i64>) -> Result<DiagnosticRun> {
        self.read(|ws| match id {
            Some(id) => ws.diagnostic_run(id),
            None => ws.diagnostic_runs()?.into_iter().next().ok_or_else(|| {
                BatonError::not_found("no diagnostic run yet; start one with diagnostic-start")
            }),
        })
    }

    /// Start a run. It is anonymous unless `named`: then, once closed, each person's
    /// score shows by name (participants see the choice before answering).
    pub fn diagnostic_start(&self, name: &str, date: &str, named: bool) -> Result<DiagnosticRun> {
        self.write(
            Area::Diagnostic,
            |r: &DiagnosticRun| Some(r.id),
            |ws| {
                let id = ws.create_diagnostic_run(name, date, named)?;
                ws.diagnostic_run(id)
            },
        )
    }

    /// Record (or replace) one participant's 20 ratings for an open run.
    pub fn diagnostic_answer(
        &self,
        run_id: i64,
        person_id: i64,
        ratings: &[u8],
    ) -> Result<DiagnosticRun> {
        self.write(
            Area::Diagnostic,
            |_| Some(run_id),
            |ws| {
                // The run's "still open" check and the write hold together.
                ws.answer_diagnostic(run_id, person_id, ratings)?;
                ws.diagnostic_run(run_id)
            },
        )
    }

    pub fn diagnostic_close(&self, run_id: i64) -> Result<DiagnosticRun> {
        self.write(
            Area::Diagnostic,
            |_| Some(run_id),
            |ws| {
                ws.close_diagnostic_run(run_id)?;
                ws.diagnostic_run(run_id)
            },
        )
    }

    /// Show an open run's anonymous results before it closes (or hide them again). A
    /// closed run's results are shown anyway.
    pub fn diagnostic_reveal(&self, run_id: i64, revealed: bool) -> Result<DiagnosticRun> {
        self.write(
            Area::Diagnostic,
            |_| Some(run_id),
            |ws| {
                if revealed && ws.diagnostic_run(run_id)?.answered.is_empty() {
                    return Err(BatonError::conflict(
                        "nobody has answered yet; there is nothing to reveal",
                    ));
                }
                ws.reveal_diagnostic_run(run_id, revealed)?;
                ws.diagnostic_run(run_id)
            },
        )
    }

    /// Team means of the runs whose results are shown, oldest first.
    pub fn diagnostic_trend(&self) -> Result<Vec<TrendPoint>> {
        self.read(|ws| ws.diagnostic_trend())
    }
}
