//! Agreements: versioned definitions (stages, SLA clauses, goals, personas) that
//! sales and marketing sign off, and the vocabulary view that lists them.

use super::definition_version::check_definition_version;
use super::{changed_one, from_json, team_of, to_json, wall_clock_now};
use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::agreement::{
    check_signable, check_signer, goal_terms, is_agreed, missing_sides, persona_terms, sla_terms,
    Agreement, DefinitionContent, DefinitionVersion, SignOff, StageValue, Subject, Term,
    VersionStatus, VocabularyView,
};
use baton_core::stages::is_valid_stage_id;
use baton_core::workshop::Team;
use baton_core::{BatonError, Result};
use rusqlite::{params, Connection, OptionalExtension};

/// Agreements: versions, sign-offs and the vocabulary view.
pub trait AgreementStore {
    /// Stages, the CRM value map, SLA clauses, goals and every agreement.
    fn vocabulary_view(&self) -> Result<VocabularyView>;

    /// Every agreement with its full history, stage definitions first.
    fn agreements(&self) -> Result<Vec<Agreement>>;

    fn agreement_for(&self, subject: &Subject) -> Result<Option<Agreement>>;

    fn agreement(&self, id: i64) -> Result<Agreement>;

    /// Create the agreement for `subject` if it does not exist yet; returns its id.
    fn ensure_agreement(&self, subject: &Subject, title: &str) -> Result<i64>;

    /// Date an agreement reached at an earlier workshop and entered afterwards: its
    /// versions were written at `at` and each sign-off followed a minute apart, in the
    /// order they were given.
    fn date_agreement(&self, agreement_id: i64, at: i64) -> Result<()>;

    /// Save an edit as a new version. An agreed definition is thereby reopened: the
    /// new version needs both sides' sign-off again; the agreed one stays in history.
    /// For an SLA clause or goal the version records the clause's or goal's current
    /// terms; an unchanged text under changed terms is a new version too. Not checked
    /// against a version (the demo, scripts): see [`Self::edit_definition_from`].
    fn edit_definition(
        &self,
        agreement_id: i64,
        content: DefinitionContent,
        author: Option<&str>,
    ) -> Result<Agreement> {
        self.edit_definition_from(agreement_id, content, author, None)
    }

    /// [`Self::edit_definition`] based on version `seen`, the one the editor's screen
    /// showed (`Some(0)`: none yet): refused with `conflict` naming who changed what when
    /// another version was written since, and nothing is saved.
    fn edit_definition_from(
        &self,
        agreement_id: i64,
        content: DefinitionContent,
        author: Option<&str>,
        seen: Option<u32>,
    ) -> Result<Agreement>;

    /// Sign `version` (the one on the signer's screen) as `person_id`. Refused when a
    /// newer version exists or the clause's or goal's terms changed since it was
    /// written. Signing twice is harmless. The checks and the write are one IMMEDIATE
    /// transaction: an edit from another window cannot slip in between.
    fn sign_off(&self, agreement_id: i64, person_id: i64, version: u32) -> Result<Agreement>;

    /// Withdraw a sign-off from the latest version.
    fn withdraw_sign_off(&self, agreement_id: i64, person_id: i64) -> Result<Agreement>;
}

impl AgreementStore for Workspace {
    fn vocabulary_view(&self) -> Result<VocabularyView> {
        Ok(VocabularyView {
            stages: self.stages()?,
            stages_version: self.config_version(crate::Config::Stages)?,
            value_map_version: self.config_version(crate::Config::StageMap)?,
            value_map: self
                .stage_value_map()?
                .into_iter()
                .map(|(crm_value, stage_id)| StageValue {
                    crm_value,
                    stage_id,
                })
                .collect(),
            sla_clauses: self.sla_clauses()?,
            goals: self.goals()?,
            agreements: self.agreements()?,
        })
    }

    fn agreements(&self) -> Result<Vec<Agreement>> {
        let ids: Vec<i64> = {
            self.query_list(
                "reading agreements",
                "SELECT id FROM agreements ORDER BY subject NOT LIKE 'stage:%', id",
                [],
                |r| r.get(0),
            )?
        };
        ids.into_iter().map(|id| self.agreement(id)).collect()
    }

    fn agreement_for(&self, subject: &Subject) -> Result<Option<Agreement>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM agreements WHERE subject = ?1",
                [subject.key()],
                |r| r.get(0),
            )
            .optional()
            .ctx("reading agreement")?;
        id.map(|id| self.agreement(id)).transpose()
    }

    fn agreement(&self, id: i64) -> Result<Agreement> {
        let (subject, title): (String, String) = self
            .conn
            .query_row(
                "SELECT subject, title FROM agreements WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .ctx("reading agreement")?
            .ok_or_else(|| BatonError::not_found(format!("agreement {id} does not exist")))?;
        let rows = self.query_list(
            "reading versions",
            "SELECT version, content, author, note, created_at, terms FROM agreement_versions
             WHERE agreement_id = ?1 ORDER BY version DESC",
            [id],
            |r| {
                Ok(StoredVersion {
                    version: r.get(0)?,
                    content: r.get(1)?,
                    author: r.get(2)?,
                    note: r.get(3)?,
                    created_at: r.get(4)?,
                    terms: r.get(5)?,
                })
            },
        )?;
        let mut versions = Vec::new();
        for (i, row) in rows.into_iter().enumerate() {
            let sign_offs = self.query_list(
                "reading sign-offs",
                "SELECT person_id, name, team, signed_at FROM agreement_signoffs
                 WHERE agreement_id = ?1 AND version = ?2 ORDER BY signed_at, person_id",
                params![id, row.version],
                |r| {
                    Ok(SignOff {
                        person_id: r.get(0)?,
                        name: r.get(1)?,
                        team: team_of(&r.get::<_, String>(2)?),
                        signed_at: r.get(3)?,
                    })
                },
            )?;
            versions.push(version_of(i, row, sign_offs)?);
        }
        let subject = Subject::parse_key(&subject)?;
        let current = self.current_terms(&subject)?;
        Ok(agreement_from(id, subject, title, versions, current))
    }

    fn date_agreement(&self, agreement_id: i64, at: i64) -> Result<()> {
        self.write_tx("dating the agreement", |ws| {
            let agreement = ws.agreement(agreement_id)?;
            ws.conn
                .execute(
                    "UPDATE agreement_versions SET created_at = ?2 WHERE agreement_id = ?1",
                    params![agreement_id, at],
                )
                .ctx("dating the agreement")?;
            for v in &agreement.versions {
                let mut signs = v.sign_offs.clone();
                signs.sort_by_key(|s| (s.signed_at, s.person_id));
                for (k, sign) in signs.iter().enumerate() {
                    ws.conn
                        .execute(
                            "UPDATE agreement_signoffs SET signed_at = ?4
                             WHERE agreement_id = ?1 AND version = ?2 AND person_id = ?3",
                            params![
                                agreement_id,
                                v.version,
                                sign.person_id,
                                at + 60 * (k as i64 + 1)
                            ],
                        )
                        .ctx("dating the agreement")?;
                }
            }
            Ok(())
        })
    }

    fn ensure_agreement(&self, subject: &Subject, title: &str) -> Result<i64> {
        check_subject(subject)?;
        if !matches!(subject, Subject::Stage { .. }) {
            self.terms_to_record(subject)?;
        }
        let key = subject.key();
        let title = agreement_title(&key, title);
        self.conn
            .execute(
                "INSERT INTO agreements(subject, title) VALUES (?1, ?2) ON CONFLICT(subject) DO NOTHING",
                params![key, title],
            )
            .ctx("creating agreement")?;
        self.conn
            .query_row(
                "SELECT id FROM agreements WHERE subject = ?1",
                [&key],
                |r| r.get(0),
            )
            .ctx("creating agreement")
    }

    fn edit_definition_from(
        &self,
        agreement_id: i64,
        content: DefinitionContent,
        author: Option<&str>,
        seen: Option<u32>,
    ) -> Result<Agreement> {
        let content = checked_definition(content)?;
        self.write_tx("saving definition", |ws| {
            let current = ws.agreement(agreement_id)?;
            check_definition_version(&current, seen)?;
            let terms = ws.terms_to_record(&current.subject)?;
            let note = edit_note(&current, &content, &terms)?;
            Self::insert_version(&ws.conn, agreement_id, &content, &terms, author, note)?;
            ws.agreement(agreement_id)
        })
    }

    fn sign_off(&self, agreement_id: i64, person_id: i64, version: u32) -> Result<Agreement> {
        self.write_tx("signing off", |ws| {
        let person = ws.person(person_id)?;
        check_signer(person.team, &person.name)?;
        let agreement = ws.agreement(agreement_id)?;
        let latest = agreement
            .versions
            .first()
            .map(|v| v.version)
            .ok_or_else(|| {
                BatonError::conflict("there is no version to sign yet; write the definition first")
            })?;
        check_signable(latest, version, agreement.terms_changed)?;
        ws.conn
            .execute(
                "INSERT INTO agreement_signoffs(agreement_id, version, person_id, name, team, signed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                params![
                    agreement_id,
                    version,
                    person.id,
                    person.name,
                    person.team.as_str(),
                    wall_clock_now()
                ],
            )
            .ctx("signing off")?;
        ws.agreement(agreement_id)
        })
    }

    fn withdraw_sign_off(&self, agreement_id: i64, person_id: i64) -> Result<Agreement> {
        let n = self
            .conn
            .execute(
                "DELETE FROM agreement_signoffs WHERE agreement_id = ?1 AND person_id = ?2
                 AND version = (SELECT max(version) FROM agreement_versions WHERE agreement_id = ?1)",
                params![agreement_id, person_id],
            )
            .ctx("withdrawing sign-off")?;
        changed_one(n, "that sign-off")?;
        self.agreement(agreement_id)
    }
}

impl Workspace {
    /// The subject's terms as they stand now: none for a stage definition; `None` when
    /// the SLA clause or goal no longer exists.
    fn current_terms(&self, subject: &Subject) -> Result<Option<Vec<Term>>> {
        Ok(match subject {
            Subject::Stage { .. } => Some(Vec::new()),
            Subject::SlaClause { clause_id } => self
                .sla_clauses()?
                .iter()
                .find(|c| c.id == *clause_id)
                .map(sla_terms),
            Subject::Goal { goal_id } => self
                .goals()?
                .iter()
                .find(|g| g.id == *goal_id)
                .map(goal_terms),
            Subject::Persona { persona_id } => self
                .personas()?
                .iter()
                .find(|p| p.id == *persona_id)
                .map(persona_terms),
        })
    }

    /// The subject's current terms, or NotFound when its clause or goal was deleted.
    pub(super) fn terms_to_record(&self, subject: &Subject) -> Result<Vec<Term>> {
        self.current_terms(subject)?
            .ok_or_else(|| terms_gone(subject))
    }

    /// Delete the agreement about an SLA clause or goal, with its versions, sign-offs and
    /// drafts; the metrics area calls it in the transaction that deletes the clause or goal.
    pub(crate) fn delete_agreement_about(conn: &Connection, subject: &Subject) -> Result<()> {
        conn.execute("DELETE FROM agreements WHERE subject = ?1", [subject.key()])
            .ctx("deleting the agreement")?;
        Ok(())
    }

    pub(super) fn insert_version(
        conn: &Connection,
        agreement_id: i64,
        content: &DefinitionContent,
        terms: &[Term],
        author: Option<&str>,
        note: &str,
    ) -> Result<u32> {
        let next: u32 = conn
            .query_row(
                "SELECT coalesce(max(version), 0) + 1 FROM agreement_versions WHERE agreement_id = ?1",
                [agreement_id],
                |r| r.get(0),
            )
            .ctx("numbering version")?;
        conn.execute(
            "INSERT INTO agreement_versions(agreement_id, version, content, author, note, created_at, terms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                agreement_id,
                next,
                to_json(content)?,
                author,
                note,
                wall_clock_now(),
                to_json(&terms)?
            ],
        )
        .ctx("saving version")?;
        Ok(next)
    }
}

/// A version as stored in `agreement_versions` (content and terms as JSON).
pub(crate) struct StoredVersion {
    pub version: u32,
    pub content: String,
    pub author: Option<String>,
    pub note: String,
    pub created_at: i64,
    pub terms: String,
}

/// The `i`-th newest version of an agreement with its sign-offs, on either backend.
pub(crate) fn version_of(
    i: usize,
    row: StoredVersion,
    sign_offs: Vec<SignOff>,
) -> Result<DefinitionVersion> {
    let status = if is_agreed(&sign_offs) {
        VersionStatus::Agreed
    } else if i == 0 {
        VersionStatus::Open
    } else {
        VersionStatus::Superseded
    };
    Ok(DefinitionVersion {
        version: row.version,
        content: from_json(&row.content, "definition content")?,
        author: row.author,
        note: row.note,
        created_at: row.created_at,
        sign_offs,
        status,
        terms: from_json(&row.terms, "agreed terms")?,
    })
}

/// An agreement from its versions (newest first) and its subject's terms as they stand
/// now (`None`: its clause, goal or persona is gone), on either backend.
pub(crate) fn agreement_from(
    id: i64,
    subject: Subject,
    title: String,
    versions: Vec<DefinitionVersion>,
    current: Option<Vec<Term>>,
) -> Agreement {
    // A version signed under other terms than the clause or goal has now is no longer agreed.
    let terms_changed = match (&current, versions.first()) {
        (Some(now), Some(v)) => &v.terms != now,
        _ => false,
    };
    let latest_signs = versions
        .first()
        .map(|v| v.sign_offs.as_slice())
        .unwrap_or(&[]);
    Agreement {
        id,
        subject,
        title,
        agreed: !terms_changed
            && versions
                .first()
                .is_some_and(|v| v.status == VersionStatus::Agreed),
        last_agreed_version: versions
            .iter()
            .find(|v| v.status == VersionStatus::Agreed)
            .map(|v| v.version),
        missing_sides: if terms_changed {
            vec![Team::Sales, Team::Marketing]
        } else {
            missing_sides(latest_signs)
        },
        current_terms: current.unwrap_or_default(),
        terms_changed,
        versions,
    }
}

/// A stage subject must name a valid stage id.
pub(crate) fn check_subject(subject: &Subject) -> Result<()> {
    if let Subject::Stage { stage_id } = subject {
        if !is_valid_stage_id(stage_id) {
            return Err(BatonError::invalid(format!(
                "\"{stage_id}\" is not a stage id"
            )));
        }
    }
    Ok(())
}

/// A new agreement's title: the one given, trimmed, else the subject's key.
pub(crate) fn agreement_title<'a>(key: &'a str, title: &'a str) -> &'a str {
    if title.trim().is_empty() {
        key
    } else {
        title.trim()
    }
}

/// The error when the subject's clause, goal or persona no longer exists.
pub(crate) fn terms_gone(subject: &Subject) -> BatonError {
    BatonError::not_found(format!(
        "{} no longer exists; its agreement cannot get a new version",
        match subject {
            Subject::SlaClause { clause_id } => format!("SLA clause {clause_id}"),
            Subject::Goal { goal_id } => format!("goal {goal_id}"),
            Subject::Stage { stage_id } => format!("stage {stage_id}"),
            Subject::Persona { persona_id } => format!("persona {persona_id}"),
        }
    ))
}

/// An edited definition, normalized; refused when empty.
pub(crate) fn checked_definition(content: DefinitionContent) -> Result<DefinitionContent> {
    let content = content.normalized();
    if content.is_empty() {
        return Err(BatonError::invalid(
            "the definition is empty; write a summary or at least one criterion",
        ));
    }
    Ok(content)
}

/// The note of a new version edited from `current`; refused when neither the content
/// nor the terms changed since the latest version.
pub(crate) fn edit_note(
    current: &Agreement,
    content: &DefinitionContent,
    terms: &[Term],
) -> Result<&'static str> {
    if current
        .versions
        .first()
        .is_some_and(|v| v.content == *content && v.terms == terms)
    {
        return Err(BatonError::conflict(
            "nothing changed since the latest version; no new version was made",
        ));
    }
    Ok(if current.agreed {
        "edited (reopened an agreed version)"
    } else if current.terms_changed {
        "edited after the terms changed"
    } else {
        "edited"
    })
}
