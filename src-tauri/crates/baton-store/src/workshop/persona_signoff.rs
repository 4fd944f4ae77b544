//! Sign-off of personas, on the same agreement model as lead definitions: a version
//! records the persona's terms (profile, criteria, statements) as they stood; it is
//! agreed once a sales and a marketing participant signed it; editing the persona
//! changes its terms and so reopens it.

use crate::prelude::*;
use crate::{DbContext, Workspace};
use baton_core::agreement::{check_signer, persona_terms, Agreement, DefinitionContent, Subject};
use baton_core::Result;

/// Signing off personas on the agreement model.
pub trait PersonaSignOff {
    /// The agreement about every persona that has one.
    fn persona_agreements(&self) -> Result<Vec<Agreement>>;

    /// Sign the persona as it stands now, as `person_id` (a sales or marketing
    /// participant). When the persona has no version yet, or was edited since its
    /// latest one, a new version recording its current terms is written first.
    /// Checks, the new version and the sign-off are one IMMEDIATE transaction: two
    /// people signing at once sign the same new version.
    fn sign_persona(&self, persona_id: i64, person_id: i64) -> Result<Agreement>;
}

impl PersonaSignOff for Workspace {
    fn persona_agreements(&self) -> Result<Vec<Agreement>> {
        Ok(self
            .agreements()?
            .into_iter()
            .filter(|a| matches!(a.subject, Subject::Persona { .. }))
            .collect())
    }

    fn sign_persona(&self, persona_id: i64, person_id: i64) -> Result<Agreement> {
        self.write_tx("signing the persona", |ws| {
            ws.sign_persona_in_tx(persona_id, person_id)
        })
    }
}

impl Workspace {
    fn sign_persona_in_tx(&self, persona_id: i64, person_id: i64) -> Result<Agreement> {
        let persona = self.persona(persona_id)?;
        let person = self.person(person_id)?;
        check_signer(person.team, &person.name)?;
        let subject = Subject::Persona { persona_id };
        let id = self.ensure_agreement(&subject, &persona.name)?;
        // The agreement is titled with the persona's name, also after a rename.
        self.conn
            .execute(
                "UPDATE agreements SET title = ?2 WHERE id = ?1",
                rusqlite::params![id, persona.name],
            )
            .ctx("naming the persona's agreement")?;
        let current = self.agreement(id)?;
        let version = match version_to_sign(&current) {
            Ok(version) => version,
            Err(note) => Self::insert_version(
                &self.conn,
                id,
                &DefinitionContent::default(),
                &persona_terms(&persona),
                None,
                note,
            )?,
        };
        self.sign_off(id, person_id, version)
    }
}

/// The version a persona sign-off signs: the latest while the persona's terms still
/// hold (`Ok`); otherwise (`Err`) the note of the new version to write first.
pub(crate) fn version_to_sign(current: &Agreement) -> std::result::Result<u32, &'static str> {
    match current.versions.first() {
        Some(v) if !current.terms_changed => Ok(v.version),
        None => Err("persona as written"),
        Some(_) => Err("persona edited since the last version"),
    }
}
