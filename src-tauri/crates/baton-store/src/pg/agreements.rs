//! [`AgreementStore`] on PostgreSQL: versions, sign-offs and the vocabulary view, with
//! the file's rules (`workshop/agreements.rs`'s shared functions). A write reads what
//! it checks inside its own transaction, under the workspace write lock, so a sign-off
//! racing an edit signs the latest version or is refused, as on the file.
use super::personas::persona_in;
use super::text_check::refuse_nul;
use super::{pg_err, PgWorkspace};
use crate::metrics::{goal_of, sla_clause_of};
use crate::prelude::{AgreementStore, StageConfig, WorkspaceState};
use crate::workshop::agreements::{
    agreement_from, agreement_title, check_subject, checked_definition, edit_note, terms_gone,
    version_of, StoredVersion,
};
use crate::workshop::definition_version::check_definition_version;
use crate::workshop::{changed_one, team_of, to_json, wall_clock_now};
use baton_core::agreement::{
    check_signable, check_signer, goal_terms, persona_terms, sla_terms, Agreement,
    DefinitionContent, SignOff, StageValue, Subject, Term, VocabularyView,
};
use baton_core::goal::Goal;
use baton_core::sla::SlaClause;
use baton_core::workshop::Person;
use baton_core::{BatonError, Result};
use tokio_postgres::GenericClient;

/// Map a PostgreSQL error, naming `context`.
pub(super) fn ctx(context: &'static str) -> impl Fn(tokio_postgres::Error) -> BatonError {
    move |e| pg_err(context, e)
}

impl PgWorkspace {
    /// Run the reads of `f` on one connection: a pooled one, or the one holding the
    /// [`PgWorkspace::transaction`] this view belongs to.
    pub(super) fn on_conn<T>(
        &self,
        f: impl AsyncFnOnce(&tokio_postgres::Client) -> Result<T>,
    ) -> Result<T> {
        self.run(async {
            let conn = self.conn().await?;
            let client: &tokio_postgres::Client = &conn;
            f(client).await
        })
    }
}

/// A person, read on `c` (inside the caller's transaction when there is one).
pub(super) async fn person_in(c: &impl GenericClient, id: i64) -> Result<Person> {
    c.query_opt(
        "SELECT id, name, team, title, row_version FROM people WHERE id = $1",
        &[&id],
    )
    .await
    .map_err(ctx("reading person"))?
    .map(|r| Person {
        id: r.get(0),
        name: r.get(1),
        team: team_of(r.get(2)),
        title: r.get(3),
        row_version: r.get(4),
    })
    .ok_or_else(|| BatonError::not_found(format!("person {id} does not exist")))
}

/// The SLA clauses, as `MetricsConfig::sla_clauses` lists them.
async fn sla_clauses_in(c: &impl GenericClient) -> Result<Vec<SlaClause>> {
    let rows = c
        .query(
            "SELECT id, name, from_stage, to_kind, to_id, within_seconds, clock
             FROM sla_clauses ORDER BY id",
            &[],
        )
        .await
        .map_err(ctx("reading SLA clauses"))?;
    Ok(rows
        .iter()
        .map(|r| {
            sla_clause_of(
                r.get(0),
                r.get(1),
                r.get(2),
                r.get(3),
                r.get(4),
                r.get(5),
                r.get(6),
            )
        })
        .collect())
}

/// The goals, as `MetricsConfig::goals` lists them.
async fn goals_in(c: &impl GenericClient) -> Result<Vec<Goal>> {
    let rows = c
        .query(
            "SELECT id, name, metric, target, period_kind, period_start, period_end,
                    period_label, team
             FROM goals ORDER BY id",
            &[],
        )
        .await
        .map_err(ctx("reading goals"))?;
    rows.iter()
        .map(|r| {
            goal_of((
                r.get(0),
                r.get(1),
                r.get(2),
                r.get(3),
                r.get(4),
                r.get(5),
                r.get(6),
                r.get(7),
                r.get(8),
            ))
        })
        .collect()
}

/// The subject's terms as they stand now (`None`: its clause, goal or persona is gone).
async fn current_terms_in(c: &impl GenericClient, subject: &Subject) -> Result<Option<Vec<Term>>> {
    Ok(match subject {
        Subject::Stage { .. } => Some(Vec::new()),
        Subject::SlaClause { clause_id } => sla_clauses_in(c)
            .await?
            .iter()
            .find(|s| s.id == *clause_id)
            .map(sla_terms),
        Subject::Goal { goal_id } => goals_in(c)
            .await?
            .iter()
            .find(|g| g.id == *goal_id)
            .map(goal_terms),
        Subject::Persona { persona_id } => persona_in(c, *persona_id)
            .await?
            .as_ref()
            .map(persona_terms),
    })
}

/// The subject's current terms, or NotFound when its clause, goal or persona is gone.
pub(super) async fn terms_to_record_in(
    c: &impl GenericClient,
    subject: &Subject,
) -> Result<Vec<Term>> {
    current_terms_in(c, subject)
        .await?
        .ok_or_else(|| terms_gone(subject))
}

/// Agreement `id` with its full history, read on `c`.
pub(super) async fn agreement_in(c: &impl GenericClient, id: i64) -> Result<Agreement> {
    let head = c
        .query_opt(
            "SELECT subject, title FROM agreements WHERE id = $1",
            &[&id],
        )
        .await
        .map_err(ctx("reading agreement"))?
        .ok_or_else(|| BatonError::not_found(format!("agreement {id} does not exist")))?;
    let (subject, title): (String, String) = (head.get(0), head.get(1));
    let rows = c
        .query(
            "SELECT version, content, author, note, created_at, terms FROM agreement_versions
             WHERE agreement_id = $1 ORDER BY version DESC",
            &[&id],
        )
        .await
        .map_err(ctx("reading versions"))?;
    let mut versions = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let version: i64 = r.get(0);
        let sign_offs = c
            .query(
                "SELECT person_id, name, team, signed_at FROM agreement_signoffs
                 WHERE agreement_id = $1 AND version = $2 ORDER BY signed_at, person_id",
                &[&id, &version],
            )
            .await
            .map_err(ctx("reading sign-offs"))?
            .iter()
            .map(|s| SignOff {
                person_id: s.get(0),
                name: s.get(1),
                team: team_of(s.get(2)),
                signed_at: s.get(3),
            })
            .collect();
        let row = StoredVersion {
            version: version as u32,
            content: r.get(1),
            author: r.get(2),
            note: r.get(3),
            created_at: r.get(4),
            terms: r.get(5),
        };
        versions.push(version_of(i, row, sign_offs)?);
    }
    let subject = Subject::parse_key(&subject)?;
    let current = current_terms_in(c, &subject).await?;
    Ok(agreement_from(id, subject, title, versions, current))
}

async fn agreements_in(c: &impl GenericClient) -> Result<Vec<Agreement>> {
    // Stage definitions first (the file's `subject NOT LIKE 'stage:%'`: false sorts first).
    let ids: Vec<i64> = c
        .query(
            r#"SELECT id FROM agreements ORDER BY (subject COLLATE "C") NOT LIKE 'stage:%', id"#,
            &[],
        )
        .await
        .map_err(ctx("reading agreements"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(agreement_in(c, id).await?);
    }
    Ok(out)
}

/// Create the agreement about `subject` unless it exists; its id.
pub(super) async fn ensure_agreement_in(
    c: &impl GenericClient,
    subject: &Subject,
    title: &str,
) -> Result<i64> {
    check_subject(subject)?;
    if !matches!(subject, Subject::Stage { .. }) {
        terms_to_record_in(c, subject).await?;
    }
    let key = subject.key();
    let title = agreement_title(&key, title);
    refuse_nul("the agreement's title", title)?;
    // Look first: an `INSERT … ON CONFLICT DO NOTHING` would use up an id of the
    // identity each time, so ids would drift from the file's. Under the write lock,
    // nobody inserts it in between.
    let found = c
        .query_opt("SELECT id FROM agreements WHERE subject = $1", &[&key])
        .await
        .map_err(ctx("creating agreement"))?;
    if let Some(r) = found {
        return Ok(r.get(0));
    }
    Ok(c.query_one(
        "INSERT INTO agreements(subject, title) VALUES ($1, $2) RETURNING id",
        &[&key, &title],
    )
    .await
    .map_err(ctx("creating agreement"))?
    .get(0))
}

/// Write the next version of agreement `agreement_id`; its number.
pub(super) async fn insert_version_in(
    c: &impl GenericClient,
    agreement_id: i64,
    content: &DefinitionContent,
    terms: &[Term],
    author: Option<&str>,
    note: &str,
) -> Result<u32> {
    let next: i64 = c
        .query_one(
            "SELECT coalesce(max(version), 0) + 1 FROM agreement_versions WHERE agreement_id = $1",
            &[&agreement_id],
        )
        .await
        .map_err(ctx("numbering version"))?
        .get(0);
    c.execute(
        "INSERT INTO agreement_versions(agreement_id, version, content, author, note, created_at, terms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &agreement_id,
            &next,
            &to_json(content)?,
            &author,
            &note,
            &wall_clock_now(),
            &to_json(&terms)?,
        ],
    )
    .await
    .map_err(ctx("saving version"))?;
    Ok(next as u32)
}

/// Sign `version` as `person_id`, with the file's checks, inside the caller's transaction.
pub(super) async fn sign_off_in(
    c: &impl GenericClient,
    agreement_id: i64,
    person_id: i64,
    version: u32,
) -> Result<Agreement> {
    let person = person_in(c, person_id).await?;
    check_signer(person.team, &person.name)?;
    let agreement = agreement_in(c, agreement_id).await?;
    let latest = agreement
        .versions
        .first()
        .map(|v| v.version)
        .ok_or_else(|| {
            BatonError::conflict("there is no version to sign yet; write the definition first")
        })?;
    check_signable(latest, version, agreement.terms_changed)?;
    c.execute(
        "INSERT INTO agreement_signoffs(agreement_id, version, person_id, name, team, signed_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        &[
            &agreement_id,
            &i64::from(version),
            &person.id,
            &person.name,
            &person.team.as_str(),
            &wall_clock_now(),
        ],
    )
    .await
    .map_err(ctx("signing off"))?;
    agreement_in(c, agreement_id).await
}

impl AgreementStore for PgWorkspace {
    fn vocabulary_view(&self) -> Result<VocabularyView> {
        let stages = self.stages()?;
        let value_map = self
            .stage_value_map()?
            .into_iter()
            .map(|(crm_value, stage_id)| StageValue {
                crm_value,
                stage_id,
            })
            .collect();
        let (sla_clauses, goals, agreements) = self.on_conn(async |c| {
            Ok((
                sla_clauses_in(c).await?,
                goals_in(c).await?,
                agreements_in(c).await?,
            ))
        })?;
        Ok(VocabularyView {
            stages,
            stages_version: self.config_version(crate::Config::Stages)?,
            value_map,
            value_map_version: self.config_version(crate::Config::StageMap)?,
            sla_clauses,
            goals,
            agreements,
        })
    }

    fn agreements(&self) -> Result<Vec<Agreement>> {
        self.on_conn(async |c| agreements_in(c).await)
    }

    fn agreement_for(&self, subject: &Subject) -> Result<Option<Agreement>> {
        let key = subject.key();
        self.on_conn(async |c| {
            let id: Option<i64> = c
                .query_opt("SELECT id FROM agreements WHERE subject = $1", &[&key])
                .await
                .map_err(ctx("reading agreement"))?
                .map(|r| r.get(0));
            match id {
                Some(id) => Ok(Some(agreement_in(c, id).await?)),
                None => Ok(None),
            }
        })
    }

    fn agreement(&self, id: i64) -> Result<Agreement> {
        self.on_conn(async |c| agreement_in(c, id).await)
    }

    fn ensure_agreement(&self, subject: &Subject, title: &str) -> Result<i64> {
        self.write_tx("creating agreement", async |tx| {
            ensure_agreement_in(&**tx, subject, title).await
        })
    }

    fn date_agreement(&self, agreement_id: i64, at: i64) -> Result<()> {
        self.write_tx("dating the agreement", async |tx| {
            let agreement = agreement_in(&**tx, agreement_id).await?;
            tx.execute(
                "UPDATE agreement_versions SET created_at = $2 WHERE agreement_id = $1",
                &[&agreement_id, &at],
            )
            .await
            .map_err(ctx("dating the agreement"))?;
            for v in &agreement.versions {
                let mut signs = v.sign_offs.clone();
                signs.sort_by_key(|s| (s.signed_at, s.person_id));
                for (k, sign) in signs.iter().enumerate() {
                    tx.execute(
                        "UPDATE agreement_signoffs SET signed_at = $4
                         WHERE agreement_id = $1 AND version = $2 AND person_id = $3",
                        &[
                            &agreement_id,
                            &i64::from(v.version),
                            &sign.person_id,
                            &(at + 60 * (k as i64 + 1)),
                        ],
                    )
                    .await
                    .map_err(ctx("dating the agreement"))?;
                }
            }
            Ok(())
        })
    }

    fn edit_definition_from(
        &self,
        agreement_id: i64,
        content: DefinitionContent,
        author: Option<&str>,
        seen: Option<u32>,
    ) -> Result<Agreement> {
        let content = checked_definition(content)?;
        if let Some(author) = author {
            refuse_nul("the author", author)?;
        }
        self.write_tx("saving definition", async |tx| {
            let current = agreement_in(&**tx, agreement_id).await?;
            check_definition_version(&current, seen)?;
            let terms = terms_to_record_in(&**tx, &current.subject).await?;
            let note = edit_note(&current, &content, &terms)?;
            insert_version_in(&**tx, agreement_id, &content, &terms, author, note).await?;
            agreement_in(&**tx, agreement_id).await
        })
    }

    fn sign_off(&self, agreement_id: i64, person_id: i64, version: u32) -> Result<Agreement> {
        self.write_tx("signing off", async |tx| {
            sign_off_in(&**tx, agreement_id, person_id, version).await
        })
    }

    fn withdraw_sign_off(&self, agreement_id: i64, person_id: i64) -> Result<Agreement> {
        self.write_tx("withdrawing sign-off", async |tx| {
            let n = tx
                .execute(
                    "DELETE FROM agreement_signoffs WHERE agreement_id = $1 AND person_id = $2
                     AND version = (SELECT max(version) FROM agreement_versions WHERE agreement_id = $1)",
                    &[&agreement_id, &person_id],
                )
                .await
                .map_err(ctx("withdrawing sign-off"))?;
            changed_one(n as usize, "that sign-off")?;
            agreement_in(&**tx, agreement_id).await
        })
    }
}
