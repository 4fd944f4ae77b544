//! Agreements on stages, SLA clauses, goals and personas: definitions in versions,
//! sign-off by sales and marketing, and blind drafting rounds.
use crate::{Area, Service};
use baton_core::agreement::{Agreement, BlindRound, DefinitionContent, Subject};
use baton_core::definition::DefinitionCriteria;
use baton_core::{BatonError, Result};

impl Service {
    pub fn agreements(&self) -> Result<Vec<Agreement>> {
        self.read(|ws| ws.agreements())
    }

    /// The agreement for a stage, SLA clause or goal, created empty on first use.
    pub fn agreement_open(&self, subject: &Subject, title: &str) -> Result<Agreement> {
        self.write(
            Area::Agreements,
            |a: &Agreement| Some(a.id),
            |ws| {
                let id = ws.ensure_agreement(subject, title)?;
                ws.agreement(id)
            },
        )
    }

    /// Write a new version of a definition (reopens it if it was agreed). `seen`: the
    /// version the editor showed (`Some(0)`: none yet); refused with `conflict` naming who
    /// changed what when another version was written since.
    pub fn definition_edit(
        &self,
        agreement_id: i64,
        content: DefinitionContent,
        author: Option<&str>,
        seen: Option<u32>,
    ) -> Result<Agreement> {
        self.write(
            Area::Agreements,
            |_| Some(agreement_id),
            |ws| ws.edit_definition_from(agreement_id, content, author, seen),
        )
    }

    /// Write a new version of a stage's definition, opening its agreement if needed;
    /// `seen` as for [`Self::definition_edit`] (None: not checked).
    pub fn stage_definition_edit(
        &self,
        stage_id: &str,
        content: DefinitionContent,
        seen: Option<u32>,
    ) -> Result<Agreement> {
        self.write(
            Area::Agreements,
            |a: &Agreement| Some(a.id),
            |ws| {
                let title = ws
                    .stages()?
                    .into_iter()
                    .find(|s| s.id == stage_id)
                    .map(|s| s.name)
                    .ok_or_else(|| {
                        BatonError::not_found(format!("there is no stage {stage_id:?}"))
                    })?;
                let subject = Subject::Stage {
                    stage_id: stage_id.to_string(),
                };
                let id = ws.ensure_agreement(&subject, &title)?;
                ws.edit_definition_from(id, content, None, seen)
            },
        )
    }

    /// Sign `version`, the one on the signer's screen (the latest when None); refused
    /// when it is no longer the latest.
    pub fn sign_off(
        &self,
        agreement_id: i64,
        person_id: i64,
        version: Option<u32>,
    ) -> Result<Agreement> {
        self.write(
            Area::Agreements,
            |_| Some(agreement_id),
            |ws| {
                let version = match version {
                    Some(v) => v,
                    // No version yet: 0 lets the store say there is nothing to sign.
                    None => ws
                        .agreement(agreement_id)?
                        .versions
                        .first()
                        .map_or(0, |v| v.version),
                };
                ws.sign_off(agreement_id, person_id, version)
            },
        )
    }

    pub fn withdraw_sign_off(&self, agreement_id: i64, person_id: i64) -> Result<Agreement> {
        self.write(
            Area::Agreements,
            |_| Some(agreement_id),
            |ws| ws.withdraw_sign_off(agreement_id, person_id),
        )
    }

    /// The machine criteria of a saved version of a stage's definition (the latest by
    /// default), with that version's number.
    pub fn saved_definition_criteria(
        &self,
        stage: &str,
        version: Option<u32>,
    ) -> Result<(DefinitionCriteria, u32)> {
        let agreement = self
            .read(|ws| {
                ws.agreement_for(&Subject::Stage {
                    stage_id: stage.trim().to_string(),
                })
            })?
            .filter(|a| !a.versions.is_empty())
            .ok_or_else(|| {
                BatonError::not_found(format!(
                    "the {stage} definition has not been written yet; write it on the Vocabulary screen or pass --criteria FILE"
                ))
            })?;
        let v = match version {
            None => &agreement.versions[0],
            Some(n) => agreement
                .versions
                .iter()
                .find(|v| v.version == n)
                .ok_or_else(|| {
                    BatonError::not_found(format!(
                        "the {stage} definition has no version {n}; it has versions 1 to {}",
                        agreement.versions[0].version
                    ))
                })?,
        };
        if v.content.criteria.is_empty() {
            return Err(BatonError::invalid(format!(
                "version {} of the {stage} definition has no machine criteria; add them on the Vocabulary screen or pass --criteria FILE",
                v.version
            )));
        }
        Ok((v.content.criteria.clone(), v.version))
    }

    pub fn blind_round(&self, agreement_id: i64) -> Result<BlindRound> {
        self.read(|ws| ws.blind_round(agreement_id))
    }

    /// One team's hidden draft in a blind round.
    pub fn blind_submit(
        &self,
        agreement_id: i64,
        team: baton_core::workshop::Team,
        content: DefinitionContent,
    ) -> Result<BlindRound> {
        self.write(
            Area::Agreements,
            |_| Some(agreement_id),
            |ws| ws.submit_blind_draft(agreement_id, team, content),
        )
    }

    pub fn blind_reveal(&self, agreement_id: i64) -> Result<BlindRound> {
        self.write(
            Area::Agreements,
            |_| Some(agreement_id),
            |ws| ws.reveal_blind_drafts(agreement_id),
        )
    }

    /// Save the merged drafts as a new version and close the round.
    pub fn blind_merge(&self, agreement_id: i64, merged: DefinitionContent) -> Result<Agreement> {
        self.write(
            Area::Agreements,
            |_| Some(agreement_id),
            |ws| ws.merge_blind_drafts(agreement_id, merged, None),
        )
    }
}
