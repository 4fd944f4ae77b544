//! Personas: who the team sells to, and how many imported records match each one.

use super::{changed_one, from_json, to_json};
use crate::prelude::*;
use crate::row_version::{changed_fields, Change, RowEdit};
use crate::{DbContext, Workspace};
use baton_core::agreement::Subject;
use baton_core::persona::{Criteria, Persona, PersonaInput, PersonaMatch, Statement};
use baton_core::reach::Reach;
use baton_core::{BatonError, Result};
use rusqlite::params;

/// Personas and how many records match each.
pub trait PersonaStore {
    fn personas(&self) -> Result<Vec<Persona>>;

    fn persona(&self, id: i64) -> Result<Persona>;

    fn add_persona(&self, input: &PersonaInput) -> Result<Persona>;

    /// Change persona `id`. `seen`: the [`Persona::row_version`] the change is based on;
    /// refused with `conflict` (nothing changed) when someone changed it since.
    fn update_persona(&self, id: i64, input: &PersonaInput, seen: Option<i64>) -> Result<Persona>;

    /// Delete a persona with its agreement (versions and sign-offs); `seen` as for
    /// [`Self::update_persona`].
    fn delete_persona(&self, id: i64, seen: Option<i64>) -> Result<()>;

    /// How many imported records match `criteria` (leads, MQLs, customers) and the
    /// conversion lead → customer of the match against the rest of the same record
    /// kinds. One pass over records.
    fn match_criteria(&self, persona_id: i64, criteria: &Criteria) -> Result<PersonaMatch>;

    /// [`Self::match_criteria`] for every persona.
    fn persona_matches(&self) -> Result<Vec<PersonaMatch>>;
}

impl PersonaStore for Workspace {
    fn personas(&self) -> Result<Vec<Persona>> {
        let mut out = Vec::new();
        for (id, name, role, company_size, industry, st, cr, row_version) in self.query_list(
            "reading personas",
            "SELECT id, name, role, company_size, industry, statements, criteria, row_version
                 FROM personas ORDER BY id",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            },
        )? {
            out.push(Persona {
                id,
                name,
                role,
                company_size,
                industry,
                statements: from_json::<Vec<Statement>>(&st, "persona statements")?,
                criteria: from_json::<Criteria>(&cr, "persona criteria")?,
                row_version,
            });
        }
        Ok(out)
    }

    fn persona(&self, id: i64) -> Result<Persona> {
        self.personas()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| BatonError::not_found(format!("persona {id} does not exist")))
    }

    fn add_persona(&self, input: &PersonaInput) -> Result<Persona> {
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

    fn update_persona(&self, id: i64, input: &PersonaInput, seen: Option<i64>) -> Result<Persona> {
        input.validate()?;
        let (statements, criteria) = (to_json(&input.statements)?, to_json(&input.criteria)?);
        self.write_tx("updating persona", |ws| {
            let old = ws.persona(id)?;
            let thing = persona_thing(&old);
            let edit = RowEdit {
                table: "personas",
                id,
                thing: &thing,
                seen,
            };
            ws.check_row_version(&edit, old.row_version, Change::Edit)?;
            ws.conn
                .execute(
                    "UPDATE personas SET name = ?2, role = ?3, company_size = ?4, industry = ?5,
                        statements = ?6, criteria = ?7 WHERE id = ?1",
                    params![
                        id,
                        input.name.trim(),
                        input.role.trim(),
                        input.company_size.trim(),
                        input.industry.trim(),
                        statements,
                        criteria
                    ],
                )
                .ctx("updating persona")?;
            ws.bump_row_version(&edit, old.row_version, &persona_changes(&old, input))?;
            ws.persona(id)
        })
    }

    fn delete_persona(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting persona", |ws| {
            let old = ws.persona(id)?;
            let thing = persona_thing(&old);
            let edit = RowEdit {
                table: "personas",
                id,
                thing: &thing,
                seen,
            };
            let n = ws.delete_versioned_row(&edit, old.row_version, "deleting persona")?;
            changed_one(n, &format!("persona {id}"))?;
            Self::delete_agreement_about(&ws.conn, &Subject::Persona { persona_id: id })
        })
    }

    fn match_criteria(&self, persona_id: i64, criteria: &Criteria) -> Result<PersonaMatch> {
        criteria.validate()?;
        let stages = self.stages()?;
        persona_match(persona_id, criteria, &stages, |each| {
            self.scan_records(each)
        })
    }

    fn persona_matches(&self) -> Result<Vec<PersonaMatch>> {
        self.personas()?
            .iter()
            .map(|p| self.match_criteria(p.id, &p.criteria))
            .collect()
    }
}

/// A persona as its conflict message names it.
pub(crate) fn persona_thing(p: &Persona) -> String {
    format!("Persona \"{}\"", p.name)
}

/// What an edit of `old` into `input` changes, as its conflict message names it.
pub(crate) fn persona_changes(old: &Persona, input: &PersonaInput) -> Vec<&'static str> {
    changed_fields(&[
        ("name", old.name != input.name.trim()),
        ("role", old.role != input.role.trim()),
        (
            "company size",
            old.company_size != input.company_size.trim(),
        ),
        ("industry", old.industry != input.industry.trim()),
        ("canvas", old.statements != input.statements),
        ("criteria", old.criteria != input.criteria),
    ])
}

/// How many records match `criteria` (see [`PersonaStore::match_criteria`]), from the
/// stages and a scan of every record, on either backend.
pub(crate) fn persona_match(
    persona_id: i64,
    criteria: &Criteria,
    stages: &[baton_core::stages::Stage],
    scan: impl FnOnce(&mut dyn FnMut(crate::StoredRecord)) -> Result<()>,
) -> Result<PersonaMatch> {
    let mql = stages.iter().position(|s| s.id == "mql");
    let customer = stages.len().checked_sub(1);
    // Tallies per record kind: the "rest" is compared within the kinds the persona
    // matches (contacts against contacts), not against deals from another file.
    // "Reached" and the field lookup are the funnel's rules (`baton_core::reach`,
    // `baton_core::record`), so the screen and the Funnel breakdown agree.
    let mut by_kind: std::collections::BTreeMap<String, [u64; 5]> = Default::default();
    scan(&mut |r| {
        let reach = Reach::of(stages, &r);
        let is_customer = customer.is_some_and(|s| reach.reached(s));
        let t = by_kind.entry(r.kind.clone()).or_default();
        if criteria.matches_record(&r) {
            t[0] += 1;
            t[1] += u64::from(mql.is_some_and(|s| reach.reached(s)));
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
