//! [`PersonaStore`] on PostgreSQL (listed by id, as on the file; matches counted over
//! [`RecordReads::scan_records`] by the file's rule) and their sign-off
//! ([`PersonaSignOff`]): the checks, the new version and the sign-off are one write
//! transaction under the workspace write lock, so two people signing a new persona at
//! once sign one version.
use super::agreements::{agreement_in, ctx, ensure_agreement_in, insert_version_in, sign_off_in};
use super::row_version::{bump_row_version, check_row_version, delete_versioned_row};
use super::text_check::refuse_nul;
use super::PgWorkspace;
use crate::prelude::{AgreementStore, PersonaSignOff, PersonaStore, RecordReads, StageConfig};
use crate::row_version::{Change, RowEdit};
use crate::workshop::persona_signoff::version_to_sign;
use crate::workshop::personas::{persona_changes, persona_match, persona_thing};
use crate::workshop::{from_json, to_json};
use baton_core::agreement::{persona_terms, Agreement, DefinitionContent, Subject};
use baton_core::persona::{Criteria, Persona, PersonaInput, PersonaMatch, Statement};
use baton_core::{BatonError, Result};
use tokio_postgres::{GenericClient, Row};

const COLUMNS: &str = "id, name, role, company_size, industry, statements, criteria, row_version";

fn persona_of(r: &Row) -> Result<Persona> {
    Ok(Persona {
        id: r.get(0),
        name: r.get(1),
        role: r.get(2),
        company_size: r.get(3),
        industry: r.get(4),
        statements: from_json::<Vec<Statement>>(r.get(5), "persona statements")?,
        criteria: from_json::<Criteria>(r.get(6), "persona criteria")?,
        row_version: r.get(7),
    })
}

/// Every persona, by id.
pub(super) async fn personas_in(c: &impl GenericClient) -> Result<Vec<Persona>> {
    c.query(&format!("SELECT {COLUMNS} FROM personas ORDER BY id"), &[])
        .await
        .map_err(ctx("reading personas"))?
        .iter()
        .map(persona_of)
        .collect()
}

/// Persona `id`, if it exists.
pub(super) async fn persona_in(c: &impl GenericClient, id: i64) -> Result<Option<Persona>> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM personas WHERE id = $1"),
        &[&id],
    )
    .await
    .map_err(ctx("reading personas"))?
    .as_ref()
    .map(persona_of)
    .transpose()
}

async fn existing_persona_in(c: &impl GenericClient, id: i64) -> Result<Persona> {
    persona_in(c, id)
        .await?
        .ok_or_else(|| BatonError::not_found(format!("persona {id} does not exist")))
}

/// The input's profile text as stored (trimmed), refused when it holds a NUL.
fn profile(input: &PersonaInput) -> Result<[&str; 4]> {
    input.validate()?;
    let fields = [
        ("the persona's name", input.name.trim()),
        ("the persona's role", input.role.trim()),
        ("the persona's company size", input.company_size.trim()),
        ("the persona's industry", input.industry.trim()),
    ];
    for (what, value) in fields {
        refuse_nul(what, value)?;
    }
    Ok(fields.map(|(_, v)| v))
}

impl PersonaStore for PgWorkspace {
    fn personas(&self) -> Result<Vec<Persona>> {
        self.on_conn(async |c| personas_in(c).await)
    }

    fn persona(&self, id: i64) -> Result<Persona> {
        self.on_conn(async |c| existing_persona_in(c, id).await)
    }

    fn add_persona(&self, input: &PersonaInput) -> Result<Persona> {
        let [name, role, size, industry] = profile(input)?;
        let (statements, criteria) = (to_json(&input.statements)?, to_json(&input.criteria)?);
        self.write_tx("adding persona", async |tx| {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO personas(name, role, company_size, industry, statements, criteria)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    &[&name, &role, &size, &industry, &statements, &criteria],
                )
                .await
                .map_err(ctx("adding persona"))?
                .get(0);
            existing_persona_in(&**tx, id).await
        })
    }

    fn update_persona(&self, id: i64, input: &PersonaInput, seen: Option<i64>) -> Result<Persona> {
        let [name, role, size, industry] = profile(input)?;
        let (statements, criteria) = (to_json(&input.statements)?, to_json(&input.criteria)?);
        self.write_tx("updating persona", async |tx| {
            let c = &**tx;
            let old = existing_persona_in(c, id).await?;
            let thing = persona_thing(&old);
            let edit = RowEdit {
                table: "personas",
                id,
                thing: &thing,
                seen,
            };
            check_row_version(c, &edit, old.row_version, Change::Edit).await?;
            c.execute(
                "UPDATE personas SET name = $2, role = $3, company_size = $4, industry = $5,
                    statements = $6, criteria = $7 WHERE id = $1",
                &[&id, &name, &role, &size, &industry, &statements, &criteria],
            )
            .await
            .map_err(ctx("updating persona"))?;
            let fields = persona_changes(&old, input);
            bump_row_version(c, &edit, old.row_version, &fields).await?;
            existing_persona_in(c, id).await
        })
    }

    fn delete_persona(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting persona", async |tx| {
            let c = &**tx;
            let old = existing_persona_in(c, id).await?;
            let thing = persona_thing(&old);
            let edit = RowEdit {
                table: "personas",
                id,
                thing: &thing,
                seen,
            };
            delete_versioned_row(c, &edit, old.row_version, "deleting persona").await?;
            // Its agreement goes with it (versions and sign-offs by ON DELETE CASCADE).
            let subject = Subject::Persona { persona_id: id }.key();
            c.execute("DELETE FROM agreements WHERE subject = $1", &[&subject])
                .await
                .map_err(ctx("deleting the agreement"))?;
            Ok(())
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

impl PersonaSignOff for PgWorkspace {
    fn persona_agreements(&self) -> Result<Vec<Agreement>> {
        Ok(self
            .agreements()?
            .into_iter()
            .filter(|a| matches!(a.subject, Subject::Persona { .. }))
            .collect())
    }

    fn sign_persona(&self, persona_id: i64, person_id: i64) -> Result<Agreement> {
        self.write_tx("signing the persona", async |tx| {
            let c = &**tx;
            let persona = existing_persona_in(c, persona_id).await?;
            let person = super::agreements::person_in(c, person_id).await?;
            baton_core::agreement::check_signer(person.team, &person.name)?;
            let subject = Subject::Persona { persona_id };
            let id = ensure_agreement_in(c, &subject, &persona.name).await?;
            // The agreement is titled with the persona's name, also after a rename.
            c.execute(
                "UPDATE agreements SET title = $2 WHERE id = $1",
                &[&id, &persona.name],
            )
            .await
            .map_err(ctx("naming the persona's agreement"))?;
            let current = agreement_in(c, id).await?;
            let version = match version_to_sign(&current) {
                Ok(version) => version,
                Err(note) => {
                    let terms = persona_terms(&persona);
                    let content = DefinitionContent::default();
                    insert_version_in(c, id, &content, &terms, None, note).await?
                }
            };
            sign_off_in(c, id, person_id, version).await
        })
    }
}
