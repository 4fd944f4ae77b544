//! Personas on PostgreSQL (listed by id, as on the file) and their sign-off
//! ([`PersonaSignOff`]): the checks, the new version and the sign-off are one write
//! transaction under the workspace write lock, so two people signing a new persona at
//! once sign one version.
use super::agreements::{agreement_in, ctx, ensure_agreement_in, insert_version_in, sign_off_in};
use super::PgWorkspace;
use crate::prelude::{AgreementStore, PersonaSignOff};
use crate::workshop::from_json;
use crate::workshop::persona_signoff::version_to_sign;
use baton_core::agreement::{persona_terms, Agreement, DefinitionContent, Subject};
use baton_core::persona::{Criteria, Persona, Statement};
use baton_core::{BatonError, Result};
use tokio_postgres::{GenericClient, Row};

const COLUMNS: &str = "id, name, role, company_size, industry, statements, criteria";

fn persona_of(r: &Row) -> Result<Persona> {
    Ok(Persona {
        id: r.get(0),
        name: r.get(1),
        role: r.get(2),
        company_size: r.get(3),
        industry: r.get(4),
        statements: from_json::<Vec<Statement>>(r.get(5), "persona statements")?,
        criteria: from_json::<Criteria>(r.get(6), "persona criteria")?,
    })
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
