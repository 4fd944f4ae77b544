//! Workshop area storage: people, personas, agreements with sign-off, the
//! diagnostic, sessions, action items, dot votes and campaigns. Stage names and
//! the CRM value → stage map are the import area's methods (`imports.rs`).

use crate::{DbContext, StoredRecord, Workspace};
use baton_core::agreement::{
    check_signable, check_signer, compare_drafts, goal_terms, is_agreed, missing_sides,
    persona_terms, sla_terms, Agreement, BlindRound, DefinitionContent, DefinitionVersion, SignOff,
    StageValue, Subject, Term, VersionStatus, VocabularyView,
};
use baton_core::diagnostic::{evaluate, score, DiagnosticRun, Response, TrendPoint};
use baton_core::fields;
use baton_core::persona::{Criteria, Persona, PersonaInput, PersonaMatch, Statement, ValueCount};
use baton_core::stages::{is_valid_stage_id, Stage, LOST};
use baton_core::workshop::{
    check_ballot, check_date, distinct_items, format_date, summarize_feedback, ActionInput,
    ActionItem, ActionStatus, Campaign, Decision, DotVote, FeedbackSummary, LeadFeedback,
    LeadQuality, ParkingItem, Person, Session, SessionInput, Team,
};
use baton_core::{BatonError, Result};
use rusqlite::{params, Connection, OptionalExtension};

/// The current wall-clock time as seconds (local time treated as UTC, see architecture.md).
pub fn wall_clock_now() -> i64 {
    chrono::Local::now().naive_local().and_utc().timestamp()
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| BatonError::internal(format!("encoding JSON: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| BatonError::internal(format!("{what} is damaged: {e}")))
}

fn team_of(s: &str) -> Team {
    Team::parse(s).unwrap_or(Team::Other)
}

fn quality_str(q: LeadQuality) -> &'static str {
    match q {
        LeadQuality::Good => "good",
        LeadQuality::Mixed => "mixed",
        LeadQuality::Poor => "poor",
    }
}

fn quality_of(s: &str) -> LeadQuality {
    match s {
        "good" => LeadQuality::Good,
        "mixed" => LeadQuality::Mixed,
        _ => LeadQuality::Poor,
    }
}

/// Fail with NotFound unless exactly one row changed.
fn changed_one(n: usize, what: &str) -> Result<()> {
    if n == 0 {
        Err(BatonError::not_found(format!("{what} does not exist")))
    } else {
        Ok(())
    }
}

/// A record field as text, the way persona criteria read it.
pub fn record_field(r: &StoredRecord, field: &str) -> Option<String> {
    let s = |v: &Option<String>| v.clone();
    match field {
        "source" => s(&r.source),
        "campaign" => s(&r.campaign),
        "owner" => s(&r.owner),
        "segment" => s(&r.segment),
        "industry" => s(&r.industry),
        "country" => s(&r.country),
        "lost_reason" => s(&r.lost_reason),
        "kind" => Some(r.kind.clone()),
        "company_size" => r.company_size.map(|n| n.to_string()),
        "amount" => r.amount.map(|n| n.to_string()),
        "current_stage" | "stage" => s(&r.current_stage),
        other => r
            .custom
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(other))
            .map(|(_, v)| v.clone()),
    }
}

/// Did the record reach `stage` (at `position` in the funnel)? Either a date or a
/// first sighting for that stage, a current stage at or past it, or (for the last
/// stage) a won outcome.
fn reached(r: &StoredRecord, stage: &str, position: u32, stages: &[Stage]) -> bool {
    if r.stage_dates.iter().any(|(s, _)| s == stage) || r.first_seen.iter().any(|(s, _)| s == stage)
    {
        return true;
    }
    let last = stages.last().is_some_and(|s| s.id == stage);
    if last && r.outcome.as_deref() == Some("won") {
        return true;
    }
    r.current_stage
        .as_deref()
        .filter(|c| *c != LOST)
        .and_then(|c| stages.iter().find(|s| s.id == c))
        .is_some_and(|s| s.position >= position)
}

impl Workspace {
    // ---------------------------------------------------------------- people

    pub fn people(&self) -> Result<Vec<Person>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, team, title FROM people ORDER BY team, name")
            .ctx("reading people")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Person {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    team: team_of(&r.get::<_, String>(2)?),
                    title: r.get(3)?,
                })
            })
            .ctx("reading people")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading people")
    }

    pub fn person(&self, id: i64) -> Result<Person> {
        self.conn
            .query_row(
                "SELECT id, name, team, title FROM people WHERE id = ?1",
                [id],
                |r| {
                    Ok(Person {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        team: team_of(&r.get::<_, String>(2)?),
                        title: r.get(3)?,
                    })
                },
            )
            .optional()
            .ctx("reading person")?
            .ok_or_else(|| BatonError::not_found(format!("person {id} does not exist")))
    }

    pub fn add_person(&self, name: &str, team: Team, title: &str) -> Result<Person> {
        let name = name.trim();
        if name.is_empty() {
            return Err(BatonError::invalid("the person needs a name"));
        }
        self.conn
            .execute(
                "INSERT INTO people(name, team, title) VALUES (?1, ?2, ?3)",
                params![name, team.as_str(), title.trim()],
            )
            .ctx("adding person")?;
        let id = self.conn.last_insert_rowid();
        self.person(id)
    }

    pub fn update_person(&self, id: i64, name: &str, team: Team, title: &str) -> Result<Person> {
        if name.trim().is_empty() {
            return Err(BatonError::invalid("the person needs a name"));
        }
        let n = self
            .conn
            .execute(
                "UPDATE people SET name = ?2, team = ?3, title = ?4 WHERE id = ?1",
                params![id, name.trim(), team.as_str(), title.trim()],
            )
            .ctx("updating person")?;
        changed_one(n, &format!("person {id}"))?;
        self.person(id)
    }

    pub fn delete_person(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM people WHERE id = ?1", [id])
            .ctx("deleting person")?;
        changed_one(n, &format!("person {id}"))?;
        Ok(())
    }

    // -------------------------------------------------------------- personas

    pub fn personas(&self) -> Result<Vec<Persona>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, name, role, company_size, industry, statements, criteria
                 FROM personas ORDER BY id",
            )
            .ctx("reading personas")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })
            .ctx("reading personas")?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, role, company_size, industry, st, cr) = row.ctx("reading personas")?;
            out.push(Persona {
                id,
                name,
                role,
                company_size,
                industry,
                statements: from_json::<Vec<Statement>>(&st, "persona statements")?,
                criteria: from_json::<Criteria>(&cr, "persona criteria")?,
            });
        }
        Ok(out)
    }

    pub fn persona(&self, id: i64) -> Result<Persona> {
        self.personas()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| BatonError::not_found(format!("persona {id} does not exist")))
    }

    pub fn add_persona(&self, input: &PersonaInput) -> Result<Persona> {
        input.validate()?;
        self.conn
            .execute(
                "INSERT INTO personas(name, role, company_size, industry, statements, criteria)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    input.name.trim(),
                    input.role.trim(),
                    input.company_size.trim(),
                    input.industry.trim(),
                    to_json(&input.statements)?,
                    to_json(&input.criteria)?
                ],
            )
            .ctx("adding persona")?;
        let id = self.conn.last_insert_rowid();
        self.persona(id)
    }

    pub fn update_persona(&self, id: i64, input: &PersonaInput) -> Result<Persona> {
        input.validate()?;
        let n = self
            .conn
            .execute(
                "UPDATE personas SET name = ?2, role = ?3, company_size = ?4, industry = ?5,
                    statements = ?6, criteria = ?7 WHERE id = ?1",
                params![
                    id,
                    input.name.trim(),
                    input.role.trim(),
                    input.company_size.trim(),
                    input.industry.trim(),
                    to_json(&input.statements)?,
                    to_json(&input.criteria)?
                ],
            )
            .ctx("updating persona")?;
        changed_one(n, &format!("persona {id}"))?;
        self.persona(id)
    }

    /// Delete a persona with its agreement (versions and sign-offs).
    pub fn delete_persona(&self, id: i64) -> Result<()> {
        let tx = self.conn.unchecked_transaction().ctx("deleting persona")?;
        let n = tx
            .execute("DELETE FROM personas WHERE id = ?1", [id])
            .ctx("deleting persona")?;
        changed_one(n, &format!("persona {id}"))?;
        Self::delete_agreement_about(&tx, &Subject::Persona { persona_id: id })?;
        tx.commit().ctx("deleting persona")
    }

    /// How many imported records match `criteria` (leads, MQLs, customers) and the
    /// conversion lead → customer of the match against the rest of the same record
    /// kinds. One pass over records.
    pub fn match_criteria(&self, persona_id: i64, criteria: &Criteria) -> Result<PersonaMatch> {
        criteria.validate()?;
        let stages = self.stages()?;
        let position = |id: &str| stages.iter().find(|s| s.id == id).map(|s| s.position);
        let mql = position("mql");
        let customer = stages.last().map(|s| (s.id.clone(), s.position));
        // Tallies per record kind: the "rest" is compared within the kinds the persona
        // matches (contacts against contacts), not against deals from another file.
        let mut by_kind: std::collections::BTreeMap<String, [u64; 5]> = Default::default();
        self.scan_records(&mut |r| {
            let is_customer = customer
                .as_ref()
                .is_some_and(|(id, pos)| reached(&r, id, *pos, &stages));
            let t = by_kind.entry(r.kind.clone()).or_default();
            if criteria.matches(|f| record_field(&r, f)) {
                t[0] += 1;
                t[1] += u64::from(mql.is_some_and(|p| reached(&r, "mql", p, &stages)));
                t[2] += u64::from(is_customer);
            } else {
                t[3] += 1;
                t[4] += u64::from(is_customer);
            }
        })?;
        let mut sum = [0u64; 5];
        for t in by_kind.values().filter(|t| t[0] > 0 || criteria.is_empty()) {
            for (s, v) in sum.iter_mut().zip(t) {
                *s += v;
            }
        }
        Ok(PersonaMatch::from_counts(
            persona_id,
            (sum[0], sum[1], sum[2]),
            (sum[3], sum[4]),
        ))
    }

    /// [`Self::match_criteria`] for every persona.
    pub fn persona_matches(&self) -> Result<Vec<PersonaMatch>> {
        self.personas()?
            .iter()
            .map(|p| self.match_criteria(p.id, &p.criteria))
            .collect()
    }

    /// The most common values of a text record field (for the criteria picker), most frequent first.
    pub fn field_values(&self, field: &str, limit: u32) -> Result<Vec<ValueCount>> {
        // Only a built-in text column (a name from the constant list) reaches the SQL below.
        if !fields::text_columns().any(|f| f == field) {
            if fields::is_imported(field) {
                return Err(BatonError::invalid(format!(
                    "\"{field}\" has no value list; expected one of {} or a custom field",
                    fields::text_columns().collect::<Vec<_>>().join(", ")
                )));
            }
            return self.custom_field_values(field, limit);
        }
        self.value_counts(
            &format!(
                "SELECT {field}, count(*) FROM records WHERE {field} IS NOT NULL AND {field} != ''
                 GROUP BY {field} COLLATE NOCASE ORDER BY count(*) DESC, {field} LIMIT ?1"
            ),
            params![limit],
        )
    }

    /// Rows of (value, count) from `sql`, read as value counts.
    fn value_counts(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<ValueCount>> {
        let mut stmt = self.conn.prepare(sql).ctx("reading field values")?;
        let rows = stmt
            .query_map(args, |r| {
                Ok(ValueCount {
                    value: r.get(0)?,
                    count: r.get::<_, i64>(1)? as u64,
                })
            })
            .ctx("reading field values")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading field values")
    }

    /// The most common values of a custom field, most frequent first.
    fn custom_field_values(&self, field: &str, limit: u32) -> Result<Vec<ValueCount>> {
        self.value_counts(
            "SELECT CAST(j.value AS TEXT) AS v, count(*) FROM records r, json_each(r.custom) j
             WHERE j.key = ?1 AND j.value IS NOT NULL AND CAST(j.value AS TEXT) != ''
             GROUP BY v COLLATE NOCASE ORDER BY count(*) DESC, v LIMIT ?2",
            params![field, limit],
        )
    }

    /// Names of the custom fields the imported records carry (persona criteria can test them).
    pub fn custom_field_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT j.key FROM records r, json_each(r.custom) j
                 WHERE j.key != 'expected_close' ORDER BY j.key COLLATE NOCASE LIMIT 200",
            )
            .ctx("reading custom fields")?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .ctx("reading custom fields")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading custom fields")
    }

    /// Stages, the CRM value map, SLA clauses, goals and every agreement.
    pub fn vocabulary_view(&self) -> Result<VocabularyView> {
        Ok(VocabularyView {
            stages: self.stages()?,
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

    // ------------------------------------------------------------ agreements

    /// Every agreement with its full history, stage definitions first.
    pub fn agreements(&self) -> Result<Vec<Agreement>> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM agreements ORDER BY subject NOT LIKE 'stage:%', id")
                .ctx("reading agreements")?;
            let rows = stmt.query_map([], |r| r.get(0)).ctx("reading agreements")?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading agreements")?
        };
        ids.into_iter().map(|id| self.agreement(id)).collect()
    }

    pub fn agreement_for(&self, subject: &Subject) -> Result<Option<Agreement>> {
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

    pub fn agreement(&self, id: i64) -> Result<Agreement> {
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
        let mut sign_stmt = self
            .conn
            .prepare(
                "SELECT person_id, name, team, signed_at FROM agreement_signoffs
                 WHERE agreement_id = ?1 AND version = ?2 ORDER BY signed_at, person_id",
            )
            .ctx("reading sign-offs")?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT version, content, author, note, created_at, terms FROM agreement_versions
                 WHERE agreement_id = ?1 ORDER BY version DESC",
            )
            .ctx("reading versions")?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .ctx("reading versions")?;
        let mut versions = Vec::new();
        for (i, row) in rows.enumerate() {
            let (version, content, author, note, created_at, terms) =
                row.ctx("reading versions")?;
            let sign_offs = sign_stmt
                .query_map(params![id, version], |r| {
                    Ok(SignOff {
                        person_id: r.get(0)?,
                        name: r.get(1)?,
                        team: team_of(&r.get::<_, String>(2)?),
                        signed_at: r.get(3)?,
                    })
                })
                .ctx("reading sign-offs")?
                .collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading sign-offs")?;
            let status = if is_agreed(&sign_offs) {
                VersionStatus::Agreed
            } else if i == 0 {
                VersionStatus::Open
            } else {
                VersionStatus::Superseded
            };
            versions.push(DefinitionVersion {
                version,
                content: from_json(&content, "definition content")?,
                author,
                note,
                created_at,
                sign_offs,
                status,
                terms: from_json(&terms, "agreed terms")?,
            });
        }
        let subject = Subject::parse_key(&subject)?;
        let current = self.current_terms(&subject)?;
        // A version signed under other terms than the clause or goal has now is no longer agreed.
        let terms_changed = match (&current, versions.first()) {
            (Some(now), Some(v)) => &v.terms != now,
            _ => false,
        };
        let latest_signs = versions
            .first()
            .map(|v| v.sign_offs.as_slice())
            .unwrap_or(&[]);
        Ok(Agreement {
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
        })
    }

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
    fn terms_to_record(&self, subject: &Subject) -> Result<Vec<Term>> {
        self.current_terms(subject)?.ok_or_else(|| {
            BatonError::not_found(format!(
                "{} no longer exists; its agreement cannot get a new version",
                match subject {
                    Subject::SlaClause { clause_id } => format!("SLA clause {clause_id}"),
                    Subject::Goal { goal_id } => format!("goal {goal_id}"),
                    Subject::Stage { stage_id } => format!("stage {stage_id}"),
                    Subject::Persona { persona_id } => format!("persona {persona_id}"),
                }
            ))
        })
    }

    /// Delete the agreement about an SLA clause or goal, with its versions, sign-offs and
    /// drafts; the metrics area calls it in the transaction that deletes the clause or goal.
    pub(crate) fn delete_agreement_about(conn: &Connection, subject: &Subject) -> Result<()> {
        conn.execute("DELETE FROM agreements WHERE subject = ?1", [subject.key()])
            .ctx("deleting the agreement")?;
        Ok(())
    }

    /// Create the agreement for `subject` if it does not exist yet; returns its id.
    pub fn ensure_agreement(&self, subject: &Subject, title: &str) -> Result<i64> {
        if let Subject::Stage { stage_id } = subject {
            if !is_valid_stage_id(stage_id) {
                return Err(BatonError::invalid(format!(
                    "\"{stage_id}\" is not a stage id"
                )));
            }
        }
        if !matches!(subject, Subject::Stage { .. }) {
            self.terms_to_record(subject)?;
        }
        let key = subject.key();
        let title = if title.trim().is_empty() {
            key.as_str()
        } else {
            title.trim()
        };
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

    fn insert_version(
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

    /// Save an edit as a new version. An agreed definition is thereby reopened: the
    /// new version needs both sides' sign-off again; the agreed one stays in history.
    /// For an SLA clause or goal the version records the clause's or goal's current
    /// terms; an unchanged text under changed terms is a new version too.
    pub fn edit_definition(
        &mut self,
        agreement_id: i64,
        content: DefinitionContent,
        author: Option<&str>,
    ) -> Result<Agreement> {
        let content = content.normalized();
        if content.is_empty() {
            return Err(BatonError::invalid(
                "the definition is empty; write a summary or at least one criterion",
            ));
        }
        let current = self.agreement(agreement_id)?;
        let terms = self.terms_to_record(&current.subject)?;
        if current
            .versions
            .first()
            .is_some_and(|v| v.content == content && v.terms == terms)
        {
            return Err(BatonError::conflict(
                "nothing changed since the latest version; no new version was made",
            ));
        }
        let note = if current.agreed {
            "edited (reopened an agreed version)"
        } else if current.terms_changed {
            "edited after the terms changed"
        } else {
            "edited"
        };
        let tx = self.conn.transaction().ctx("saving definition")?;
        Self::insert_version(&tx, agreement_id, &content, &terms, author, note)?;
        tx.commit().ctx("saving definition")?;
        self.agreement(agreement_id)
    }

    /// Sign `version` (the one on the signer's screen) as `person_id`. Refused when a
    /// newer version exists or the clause's or goal's terms changed since it was
    /// written. Signing twice is harmless.
    pub fn sign_off(&self, agreement_id: i64, person_id: i64, version: u32) -> Result<Agreement> {
        let person = self.person(person_id)?;
        check_signer(person.team, &person.name)?;
        let agreement = self.agreement(agreement_id)?;
        let latest = agreement
            .versions
            .first()
            .map(|v| v.version)
            .ok_or_else(|| {
                BatonError::conflict("there is no version to sign yet; write the definition first")
            })?;
        check_signable(latest, version, agreement.terms_changed)?;
        self.conn
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
        self.agreement(agreement_id)
    }

    /// Withdraw a sign-off from the latest version.
    pub fn withdraw_sign_off(&self, agreement_id: i64, person_id: i64) -> Result<Agreement> {
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

    /// Submit one side's blind draft (replacing its earlier draft while unrevealed).
    pub fn submit_blind_draft(
        &self,
        agreement_id: i64,
        team: Team,
        content: DefinitionContent,
    ) -> Result<BlindRound> {
        if !matches!(team, Team::Sales | Team::Marketing) {
            return Err(BatonError::invalid(
                "blind drafts come from sales and from marketing; pick one of the two",
            ));
        }
        if self.blind_round(agreement_id)?.revealed {
            return Err(BatonError::conflict(
                "the drafts were already revealed; merge them or start a new round",
            ));
        }
        let content = content.normalized();
        if content.is_empty() {
            return Err(BatonError::invalid("the draft is empty"));
        }
        self.conn
            .execute(
                "INSERT INTO blind_drafts(agreement_id, team, content, submitted_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(agreement_id, team) DO UPDATE SET content = excluded.content, submitted_at = excluded.submitted_at",
                params![agreement_id, team.as_str(), to_json(&content)?, wall_clock_now()],
            )
            .ctx("saving draft")?;
        self.blind_round(agreement_id)
    }

    fn blind_draft(&self, agreement_id: i64, team: Team) -> Result<Option<DefinitionContent>> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT content FROM blind_drafts WHERE agreement_id = ?1 AND team = ?2",
                params![agreement_id, team.as_str()],
                |r| r.get(0),
            )
            .optional()
            .ctx("reading draft")?;
        s.map(|s| from_json(&s, "draft")).transpose()
    }

    /// The state of the blind round; drafts are shown only after reveal.
    pub fn blind_round(&self, agreement_id: i64) -> Result<BlindRound> {
        let revealed: bool = self
            .conn
            .query_row(
                "SELECT blind_revealed FROM agreements WHERE id = ?1",
                [agreement_id],
                |r| r.get(0),
            )
            .optional()
            .ctx("reading agreement")?
            .ok_or_else(|| {
                BatonError::not_found(format!("agreement {agreement_id} does not exist"))
            })?;
        let sales = self.blind_draft(agreement_id, Team::Sales)?;
        let marketing = self.blind_draft(agreement_id, Team::Marketing)?;
        let comparison = match (&sales, &marketing) {
            (Some(s), Some(m)) if revealed => Some(compare_drafts(s, m)),
            _ => None,
        };
        Ok(BlindRound {
            agreement_id,
            sales_submitted: sales.is_some(),
            marketing_submitted: marketing.is_some(),
            revealed,
            comparison,
        })
    }

    /// Reveal both drafts side by side; refused until both sides have submitted.
    pub fn reveal_blind_drafts(&self, agreement_id: i64) -> Result<BlindRound> {
        let round = self.blind_round(agreement_id)?;
        if !(round.sales_submitted && round.marketing_submitted) {
            let waiting = if round.sales_submitted {
                "marketing"
            } else {
                "sales"
            };
            return Err(BatonError::conflict(format!(
                "waiting for the {waiting} draft; both sides submit before the reveal"
            )));
        }
        self.conn
            .execute(
                "UPDATE agreements SET blind_revealed = 1 WHERE id = ?1",
                [agreement_id],
            )
            .ctx("revealing drafts")?;
        self.blind_round(agreement_id)
    }

    /// Save the merged result as a new version and close the blind round.
    pub fn merge_blind_drafts(
        &mut self,
        agreement_id: i64,
        merged: DefinitionContent,
        author: Option<&str>,
    ) -> Result<Agreement> {
        if !self.blind_round(agreement_id)?.revealed {
            return Err(BatonError::conflict("reveal both drafts before merging"));
        }
        let merged = merged.normalized();
        if merged.is_empty() {
            return Err(BatonError::invalid("the merged definition is empty"));
        }
        let terms = self.terms_to_record(&self.agreement(agreement_id)?.subject)?;
        let tx = self.conn.transaction().ctx("merging drafts")?;
        Self::insert_version(
            &tx,
            agreement_id,
            &merged,
            &terms,
            author,
            "merged from blind drafts",
        )?;
        tx.execute(
            "DELETE FROM blind_drafts WHERE agreement_id = ?1",
            [agreement_id],
        )
        .ctx("merging drafts")?;
        tx.execute(
            "UPDATE agreements SET blind_revealed = 0 WHERE id = ?1",
            [agreement_id],
        )
        .ctx("merging drafts")?;
        tx.commit().ctx("merging drafts")?;
        self.agreement(agreement_id)
    }

    // ------------------------------------------------------------ diagnostic

    pub fn create_diagnostic_run(&self, name: &str, date: &str) -> Result<i64> {
        if name.trim().is_empty() {
            return Err(BatonError::invalid(
                "the run needs a name, e.g. \"Q2 2026\"",
            ));
        }
        let secs = check_date("run date", date)?;
        self.conn
            .execute(
                "INSERT INTO diagnostic_runs(name, date) VALUES (?1, ?2)",
                params![name.trim(), secs],
            )
            .ctx("creating diagnostic run")?;
        let id = self.conn.last_insert_rowid();
        Ok(id)
    }

    /// Record (or replace) one participant's ratings for an open run.
    pub fn answer_diagnostic(&self, run_id: i64, person_id: i64, ratings: &[u8]) -> Result<()> {
        let person = self.person(person_id)?;
        score(ratings).map_err(|e| {
            BatonError::invalid(format!("{}'s answers: {}", person.name, e.message))
        })?;
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
        if closed {
            return Err(BatonError::conflict("this run is closed; start a new run"));
        }
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

    pub fn close_diagnostic_run(&self, run_id: i64) -> Result<()> {
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

    fn diagnostic_responses(&self, run_id: i64) -> Result<Vec<Response>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT person_id, name, team, ratings FROM diagnostic_responses
                 WHERE run_id = ?1 ORDER BY answered_at, person_id",
            )
            .ctx("reading answers")?;
        let rows = stmt
            .query_map([run_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .ctx("reading answers")?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, name, team, ratings) = row.ctx("reading answers")?;
            out.push(Response {
                person_id,
                name,
                team: team_of(&team),
                ratings: from_json(&ratings, "diagnostic answers")?,
            });
        }
        Ok(out)
    }

    pub fn diagnostic_run(&self, run_id: i64) -> Result<DiagnosticRun> {
        let (name, date, closed): (String, i64, bool) = self
            .conn
            .query_row(
                "SELECT name, date, closed FROM diagnostic_runs WHERE id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .ctx("reading diagnostic run")?
            .ok_or_else(|| {
                BatonError::not_found(format!("diagnostic run {run_id} does not exist"))
            })?;
        let responses = self.diagnostic_responses(run_id)?;
        Ok(DiagnosticRun {
            id: run_id,
            name,
            date: format_date(date),
            closed,
            answered: responses.iter().map(|r| r.name.clone()).collect(),
            result: evaluate(&responses)?,
        })
    }

    /// All runs, newest first.
    pub fn diagnostic_runs(&self) -> Result<Vec<DiagnosticRun>> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM diagnostic_runs ORDER BY date DESC, id DESC")
                .ctx("reading diagnostic runs")?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .ctx("reading diagnostic runs")?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading diagnostic runs")?
        };
        ids.into_iter().map(|id| self.diagnostic_run(id)).collect()
    }

    /// Team means per run, oldest first: the quarterly trend.
    pub fn diagnostic_trend(&self) -> Result<Vec<TrendPoint>> {
        let mut runs = self.diagnostic_runs()?;
        runs.reverse();
        Ok(runs
            .into_iter()
            .map(|r| TrendPoint {
                run_id: r.id,
                name: r.name,
                date: r.date,
                teams: r.result.teams,
                overall_mean: r.result.overall_mean,
            })
            .collect())
    }

    // -------------------------------------------------------------- sessions

    pub fn create_session(&mut self, input: &SessionInput) -> Result<Session> {
        input.validate()?;
        let date = check_date("session date", &input.date)?;
        let tx = self.conn.transaction().ctx("creating session")?;
        tx.execute(
            "INSERT INTO sessions(title, date, agenda) VALUES (?1, ?2, ?3)",
            params![input.title.trim(), date, to_json(&input.agenda)?],
        )
        .ctx("creating session")?;
        let id = tx.last_insert_rowid();
        for p in &input.participant_ids {
            tx.execute(
                "INSERT OR IGNORE INTO session_participants(session_id, person_id) VALUES (?1, ?2)",
                params![id, p],
            )
            .map_err(|_| BatonError::invalid(format!("participant {p} is not a known person")))?;
        }
        tx.commit().ctx("creating session")?;
        self.session(id)
    }

    pub fn update_session(&mut self, id: i64, input: &SessionInput) -> Result<Session> {
        input.validate()?;
        let date = check_date("session date", &input.date)?;
        let tx = self.conn.transaction().ctx("updating session")?;
        let n = tx
            .execute(
                "UPDATE sessions SET title = ?2, date = ?3, agenda = ?4 WHERE id = ?1",
                params![id, input.title.trim(), date, to_json(&input.agenda)?],
            )
            .ctx("updating session")?;
        changed_one(n, &format!("session {id}"))?;
        tx.execute(
            "DELETE FROM session_participants WHERE session_id = ?1",
            [id],
        )
        .ctx("updating session")?;
        for p in &input.participant_ids {
            tx.execute(
                "INSERT OR IGNORE INTO session_participants(session_id, person_id) VALUES (?1, ?2)",
                params![id, p],
            )
            .map_err(|_| BatonError::invalid(format!("participant {p} is not a known person")))?;
        }
        tx.commit().ctx("updating session")?;
        self.session(id)
    }

    pub fn session(&self, id: i64) -> Result<Session> {
        let (title, date, agenda): (String, i64, String) = self
            .conn
            .query_row(
                "SELECT title, date, agenda FROM sessions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .ctx("reading session")?
            .ok_or_else(|| BatonError::not_found(format!("session {id} does not exist")))?;
        let ids = |sql: &str| -> Result<Vec<i64>> {
            let mut stmt = self.conn.prepare(sql).ctx("reading session")?;
            let rows = stmt.query_map([id], |r| r.get(0)).ctx("reading session")?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading session")
        };
        let participant_ids = ids(
            "SELECT person_id FROM session_participants WHERE session_id = ?1 ORDER BY person_id",
        )?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, text, decided_at FROM decisions WHERE session_id = ?1 ORDER BY id")
            .ctx("reading decisions")?;
        let decisions = stmt
            .query_map([id], |r| {
                Ok(Decision {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    decided_at: r.get(2)?,
                })
            })
            .ctx("reading decisions")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading decisions")?;
        let mut stmt = self
            .conn
            .prepare("SELECT id, text, resolved FROM parking_lot WHERE session_id = ?1 ORDER BY id")
            .ctx("reading parking lot")?;
        let parking_lot = stmt
            .query_map([id], |r| {
                Ok(ParkingItem {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    resolved: r.get(2)?,
                })
            })
            .ctx("reading parking lot")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading parking lot")?;
        Ok(Session {
            id,
            title,
            date: format_date(date),
            participant_ids,
            agenda: from_json(&agenda, "session agenda")?,
            decisions,
            parking_lot,
        })
    }

    /// All sessions, newest first.
    pub fn sessions(&self) -> Result<Vec<Session>> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM sessions ORDER BY date DESC, id DESC")
                .ctx("reading sessions")?;
            let rows = stmt.query_map([], |r| r.get(0)).ctx("reading sessions")?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading sessions")?
        };
        ids.into_iter().map(|id| self.session(id)).collect()
    }

    pub fn delete_session(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM sessions WHERE id = ?1", [id])
            .ctx("deleting session")?;
        changed_one(n, &format!("session {id}"))?;
        Ok(())
    }

    pub fn log_decision(&self, session_id: i64, text: &str) -> Result<Session> {
        if text.trim().is_empty() {
            return Err(BatonError::invalid("the decision is empty"));
        }
        self.session(session_id)?;
        self.conn
            .execute(
                "INSERT INTO decisions(session_id, text, decided_at) VALUES (?1, ?2, ?3)",
                params![session_id, text.trim(), wall_clock_now()],
            )
            .ctx("logging decision")?;
        self.session(session_id)
    }

    pub fn park_topic(&self, session_id: i64, text: &str) -> Result<Session> {
        if text.trim().is_empty() {
            return Err(BatonError::invalid("the parking-lot topic is empty"));
        }
        self.session(session_id)?;
        self.conn
            .execute(
                "INSERT INTO parking_lot(session_id, text) VALUES (?1, ?2)",
                params![session_id, text.trim()],
            )
            .ctx("parking topic")?;
        self.session(session_id)
    }

    pub fn resolve_parked(&self, item_id: i64, resolved: bool) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE parking_lot SET resolved = ?2 WHERE id = ?1",
                params![item_id, resolved],
            )
            .ctx("updating parking lot")?;
        changed_one(n, &format!("parking-lot item {item_id}"))?;
        Ok(())
    }

    // ---------------------------------------------------------- action items

    pub fn add_action(&self, input: &ActionInput) -> Result<ActionItem> {
        let due = input.validate()?;
        if let Some(o) = input.owner_id {
            self.person(o)?;
        }
        if let Some(s) = input.session_id {
            self.session(s)?;
        }
        self.conn
            .execute(
                "INSERT INTO action_items(text, owner_id, due, session_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    input.text.trim(),
                    input.owner_id,
                    due,
                    input.session_id,
                    wall_clock_now()
                ],
            )
            .ctx("adding action item")?;
        let id = self.conn.last_insert_rowid();
        self.action(id)
    }

    pub fn update_action(
        &self,
        id: i64,
        input: &ActionInput,
        status: ActionStatus,
    ) -> Result<ActionItem> {
        let due = input.validate()?;
        if let Some(o) = input.owner_id {
            self.person(o)?;
        }
        let n = self
            .conn
            .execute(
                "UPDATE action_items SET text = ?2, owner_id = ?3, due = ?4, status = ?5 WHERE id = ?1",
                params![id, input.text.trim(), input.owner_id, due, status.as_str()],
            )
            .ctx("updating action item")?;
        changed_one(n, &format!("action item {id}"))?;
        self.action(id)
    }

    pub fn set_action_status(&self, id: i64, status: ActionStatus) -> Result<ActionItem> {
        let n = self
            .conn
            .execute(
                "UPDATE action_items SET status = ?2 WHERE id = ?1",
                params![id, status.as_str()],
            )
            .ctx("updating action item")?;
        changed_one(n, &format!("action item {id}"))?;
        self.action(id)
    }

    pub fn delete_action(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM action_items WHERE id = ?1", [id])
            .ctx("deleting action item")?;
        changed_one(n, &format!("action item {id}"))?;
        Ok(())
    }

    fn actions_where(&self, filter: &str, arg: Option<i64>) -> Result<Vec<ActionItem>> {
        let today = {
            let now = wall_clock_now();
            now - now.rem_euclid(86_400)
        };
        let sql = format!(
            "SELECT a.id, a.text, a.owner_id, p.name, a.due, a.status, a.session_id
             FROM action_items a LEFT JOIN people p ON p.id = a.owner_id
             {filter}
             ORDER BY a.status = 'done', a.due IS NULL, a.due, a.id"
        );
        let mut stmt = self.conn.prepare(&sql).ctx("reading action items")?;
        let map = |r: &rusqlite::Row<'_>| -> rusqlite::Result<ActionItem> {
            let due: Option<i64> = r.get(4)?;
            let status = ActionStatus::parse(&r.get::<_, String>(5)?).unwrap_or(ActionStatus::Open);
            Ok(ActionItem {
                id: r.get(0)?,
                text: r.get(1)?,
                owner_id: r.get(2)?,
                owner_name: r.get(3)?,
                due: due.map(format_date),
                status,
                session_id: r.get(6)?,
                overdue: status != ActionStatus::Done && due.is_some_and(|d| d < today),
            })
        };
        let rows = match arg {
            Some(a) => stmt.query_map([a], map),
            None => stmt.query_map([], map),
        }
        .ctx("reading action items")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading action items")
    }

    fn action(&self, id: i64) -> Result<ActionItem> {
        self.actions_where("WHERE a.id = ?1", Some(id))?
            .pop()
            .ok_or_else(|| BatonError::not_found(format!("action item {id} does not exist")))
    }

    /// Every action item across sessions: open ones first, by due date.
    pub fn actions(&self) -> Result<Vec<ActionItem>> {
        self.actions_where("", None)
    }

    // ------------------------------------------------------------ dot voting

    pub fn create_dot_vote(
        &self,
        session_id: Option<i64>,
        topic: &str,
        items: &[String],
        votes_per_person: u32,
    ) -> Result<DotVote> {
        if topic.trim().is_empty() {
            return Err(BatonError::invalid("the vote needs a topic"));
        }
        let items = distinct_items(items);
        if items.len() < 2 {
            return Err(BatonError::invalid(
                "a dot vote needs at least two different items",
            ));
        }
        if votes_per_person == 0 || votes_per_person > 20 {
            return Err(BatonError::invalid(format!(
                "{votes_per_person} votes per person; expected 1 to 20"
            )));
        }
        if let Some(s) = session_id {
            self.session(s)?;
        }
        self.conn
            .execute(
                "INSERT INTO dot_votes(session_id, topic, items, votes_per_person, tally)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    session_id,
                    topic.trim(),
                    to_json(&items)?,
                    votes_per_person,
                    to_json(&vec![0u32; items.len()])?
                ],
            )
            .ctx("creating dot vote")?;
        let id = self.conn.last_insert_rowid();
        self.dot_vote(id)
    }

    pub fn dot_vote(&self, id: i64) -> Result<DotVote> {
        let (session_id, topic, items, vpp, tally, revealed): (
            Option<i64>,
            String,
            String,
            u32,
            String,
            bool,
        ) = self
            .conn
            .query_row(
                "SELECT session_id, topic, items, votes_per_person, tally, revealed FROM dot_votes WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()
            .ctx("reading dot vote")?
            .ok_or_else(|| BatonError::not_found(format!("dot vote {id} does not exist")))?;
        let ballots_cast: u32 = self
            .conn
            .query_row(
                "SELECT count(*) FROM dot_voters WHERE vote_id = ?1",
                [id],
                |r| r.get(0),
            )
            .ctx("reading dot vote")?;
        Ok(DotVote {
            id,
            session_id,
            topic,
            items: from_json(&items, "vote items")?,
            votes_per_person: vpp,
            ballots_cast,
            revealed,
            tally: if revealed {
                from_json(&tally, "vote tally")?
            } else {
                Vec::new()
            },
        })
    }

    pub fn dot_votes(&self, session_id: Option<i64>) -> Result<Vec<DotVote>> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT id FROM dot_votes WHERE ?1 IS NULL OR session_id = ?1 ORDER BY id DESC",
                )
                .ctx("reading dot votes")?;
            let rows = stmt
                .query_map([session_id], |r| r.get(0))
                .ctx("reading dot votes")?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading dot votes")?
        };
        ids.into_iter().map(|id| self.dot_vote(id)).collect()
    }

    /// Cast one participant's dots. Only the running tally is stored, so nobody
    /// (not even the file) can tell who put dots where. One ballot per person.
    pub fn cast_dots(&mut self, vote_id: i64, person_id: i64, dots: &[u32]) -> Result<DotVote> {
        let vote = self.dot_vote(vote_id)?;
        let person = self.person(person_id)?;
        if vote.revealed {
            return Err(BatonError::conflict("the vote was already revealed"));
        }
        check_ballot(vote.items.len(), vote.votes_per_person, dots)?;
        let tx = self.conn.transaction().ctx("casting dots")?;
        let inserted = tx
            .execute(
                "INSERT OR IGNORE INTO dot_voters(vote_id, person_id) VALUES (?1, ?2)",
                params![vote_id, person_id],
            )
            .ctx("casting dots")?;
        if inserted == 0 {
            return Err(BatonError::conflict(format!(
                "{} has already placed their dots on this vote",
                person.name
            )));
        }
        let tally: String = tx
            .query_row(
                "SELECT tally FROM dot_votes WHERE id = ?1",
                [vote_id],
                |r| r.get(0),
            )
            .ctx("casting dots")?;
        let mut tally: Vec<u32> = from_json(&tally, "vote tally")?;
        for (t, d) in tally.iter_mut().zip(dots) {
            *t += d;
        }
        tx.execute(
            "UPDATE dot_votes SET tally = ?2 WHERE id = ?1",
            params![vote_id, to_json(&tally)?],
        )
        .ctx("casting dots")?;
        tx.commit().ctx("casting dots")?;
        self.dot_vote(vote_id)
    }

    pub fn reveal_dot_vote(&self, vote_id: i64) -> Result<DotVote> {
        let n = self
            .conn
            .execute("UPDATE dot_votes SET revealed = 1 WHERE id = ?1", [vote_id])
            .ctx("revealing vote")?;
        changed_one(n, &format!("dot vote {vote_id}"))?;
        self.dot_vote(vote_id)
    }

    // ------------------------------------------------------------- campaigns

    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, name, persona_id, channel, sales_input FROM campaigns ORDER BY name",
            )
            .ctx("reading campaigns")?;
        let mut campaigns = stmt
            .query_map([], |r| {
                Ok(Campaign {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    persona_id: r.get(2)?,
                    channel: r.get(3)?,
                    sales_input: r.get(4)?,
                    feedback: Vec::new(),
                })
            })
            .ctx("reading campaigns")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading campaigns")?;
        let mut fb = self
            .conn
            .prepare(
                "SELECT id, person_id, quality, about, note, given_at FROM lead_feedback
                 WHERE campaign_id = ?1 ORDER BY given_at DESC, id DESC",
            )
            .ctx("reading feedback")?;
        for c in &mut campaigns {
            c.feedback = fb
                .query_map([c.id], |r| {
                    Ok(LeadFeedback {
                        id: r.get(0)?,
                        person_id: r.get(1)?,
                        quality: quality_of(&r.get::<_, String>(2)?),
                        about: r.get(3)?,
                        note: r.get(4)?,
                        given_at: r.get(5)?,
                    })
                })
                .ctx("reading feedback")?
                .collect::<rusqlite::Result<Vec<_>>>()
                .ctx("reading feedback")?;
        }
        Ok(campaigns)
    }

    /// Create or update a campaign by name (names match the records' `campaign` field).
    pub fn save_campaign(
        &self,
        name: &str,
        persona_id: Option<i64>,
        channel: &str,
        sales_input: &str,
    ) -> Result<Campaign> {
        let name = self.checked_campaign_name(name, persona_id)?;
        self.conn
            .execute(
                "INSERT INTO campaigns(name, persona_id, channel, sales_input) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(name) DO UPDATE SET persona_id = excluded.persona_id,
                    channel = excluded.channel, sales_input = excluded.sales_input",
                params![name, persona_id, channel.trim(), sales_input.trim()],
            )
            .ctx("saving campaign")?;
        self.saved_campaign(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn add_lead_feedback(
        &self,
        campaign_id: i64,
        person_id: Option<i64>,
        quality: LeadQuality,
        about: &str,
        note: &str,
    ) -> Result<()> {
        if let Some(p) = person_id {
            self.person(p)?;
        }
        let exists: bool = self
            .conn
            .query_row(
                "SELECT count(*) > 0 FROM campaigns WHERE id = ?1",
                [campaign_id],
                |r| r.get(0),
            )
            .ctx("reading campaign")?;
        if !exists {
            return Err(BatonError::not_found(format!(
                "campaign {campaign_id} does not exist"
            )));
        }
        self.conn
            .execute(
                "INSERT INTO lead_feedback(campaign_id, person_id, quality, about, note, given_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    campaign_id,
                    person_id,
                    quality_str(quality),
                    about.trim(),
                    note.trim(),
                    wall_clock_now()
                ],
            )
            .ctx("saving feedback")?;
        Ok(())
    }

    /// Change a campaign (its name too); names stay unique, ignoring case.
    pub fn update_campaign(
        &self,
        id: i64,
        name: &str,
        persona_id: Option<i64>,
        channel: &str,
        sales_input: &str,
    ) -> Result<Campaign> {
        let name = self.checked_campaign_name(name, persona_id)?;
        let n = self
            .conn
            .execute(
                "UPDATE campaigns SET name = ?2, persona_id = ?3, channel = ?4, sales_input = ?5 WHERE id = ?1",
                params![id, name, persona_id, channel.trim(), sales_input.trim()],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    BatonError::conflict(format!("another campaign is already called \"{name}\""))
                }
                e => crate::db_err("updating campaign", e),
            })?;
        changed_one(n, &format!("campaign {id}"))?;
        self.saved_campaign(|c| c.id == id)
    }

    /// A campaign's trimmed name, refused when empty or when its persona does not exist.
    fn checked_campaign_name<'a>(&self, name: &'a str, persona_id: Option<i64>) -> Result<&'a str> {
        let name = name.trim();
        if name.is_empty() {
            return Err(BatonError::invalid("the campaign needs a name"));
        }
        if let Some(p) = persona_id {
            self.persona(p)?;
        }
        Ok(name)
    }

    /// The campaign just written, read back with its feedback.
    fn saved_campaign(&self, is_it: impl Fn(&Campaign) -> bool) -> Result<Campaign> {
        self.campaigns()?
            .into_iter()
            .find(is_it)
            .ok_or_else(|| BatonError::internal("the saved campaign disappeared"))
    }

    /// Delete a campaign with its feedback.
    pub fn delete_campaign(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM campaigns WHERE id = ?1", [id])
            .ctx("deleting campaign")?;
        changed_one(n, &format!("campaign {id}"))?;
        Ok(())
    }

    /// Good / mixed / poor counts per campaign and per content or source.
    pub fn feedback_summary(&self) -> Result<FeedbackSummary> {
        Ok(summarize_feedback(&self.campaigns()?))
    }
}

mod persona_signoff;
#[cfg(test)]
mod tests;
