//! Personas, how many records match them (live while criteria are edited), and their
//! sign-off by sales and marketing.
use crate::{Area, Service};
use baton_core::agreement::Agreement;
use baton_core::persona::{Criteria, Persona, PersonaInput, PersonaMatch, ValueCount};
use baton_core::Result;

impl Service {
    pub fn personas(&self) -> Result<Vec<Persona>> {
        self.read(|ws| ws.personas())
    }

    /// Persona `id` as it stands (with its `row_version`).
    pub fn persona(&self, id: i64) -> Result<Persona> {
        self.read(|ws| ws.persona(id))
    }

    /// Every persona with its match, in the same order.
    pub fn personas_with_matches(&self) -> Result<Vec<(Persona, PersonaMatch)>> {
        self.read(|ws| {
            Ok(ws
                .personas()?
                .into_iter()
                .zip(ws.persona_matches()?)
                .collect())
        })
    }

    pub fn persona_matches(&self) -> Result<Vec<PersonaMatch>> {
        self.read(|ws| ws.persona_matches())
    }

    /// Live preview while criteria are edited (nothing is saved).
    pub fn match_criteria(&self, criteria: &Criteria) -> Result<PersonaMatch> {
        self.read(|ws| ws.match_criteria(0, criteria))
    }

    /// Add a persona (`id` None) or change one (which reopens its sign-off). `seen`: the
    /// `row_version` the edit is based on (the one on screen); when someone changed the
    /// persona since, refused with `conflict` naming what changed, and nothing is saved.
    pub fn persona_save(
        &self,
        id: Option<i64>,
        input: &PersonaInput,
        seen: Option<i64>,
    ) -> Result<Persona> {
        self.write(
            Area::Personas,
            |p: &Persona| Some(p.id),
            |ws| match id {
                Some(id) => ws.update_persona(id, input, seen),
                None => ws.add_persona(input),
            },
        )
    }

    /// Delete a persona; `seen` as for [`Self::persona_save`].
    pub fn persona_delete(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write(
            Area::Personas,
            |_| Some(id),
            |ws| ws.delete_persona(id, seen),
        )
    }

    /// The sign-off state of every persona that has been signed at least once.
    pub fn persona_agreements(&self) -> Result<Vec<Agreement>> {
        self.read(|ws| ws.persona_agreements())
    }

    /// Sign a persona as it stands, as a sales or marketing participant.
    pub fn persona_sign(&self, persona_id: i64, person_id: i64) -> Result<Agreement> {
        self.write(
            Area::Personas,
            |_| Some(persona_id),
            |ws| ws.sign_persona(persona_id, person_id),
        )
    }

    /// A record field's most frequent values, for the criteria editor (at most 50).
    pub fn criteria_field_values(&self, field: &str) -> Result<Vec<ValueCount>> {
        self.read(|ws| ws.field_values(field, 50))
    }

    /// Custom fields found in the imported records, for the criteria field list.
    pub fn custom_fields(&self) -> Result<Vec<String>> {
        self.read(|ws| ws.custom_field_names())
    }
}
