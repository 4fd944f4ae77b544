//! The shared vocabulary: stage names, new stages and which CRM values mean which stage.
use crate::{no_id, Area, Service};
use baton_core::agreement::VocabularyView;
use baton_core::Result;

impl Service {
    pub fn vocabulary(&self) -> Result<VocabularyView> {
        self.read(|ws| ws.vocabulary_view())
    }

    /// Rename a stage. `seen`: the stages' version the screen showed
    /// (`VocabularyView::stages_version`); refused with `conflict`, naming what changed,
    /// when someone else changed the stages since (None: not checked).
    pub fn stage_rename(&self, id: &str, name: &str, seen: Option<i64>) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| {
            ws.rename_stage_from(id, name.trim(), seen)
        })
    }

    /// Add a stage after `after`; `seen` as for [`Self::stage_rename`].
    pub fn stage_add(&self, id: &str, name: &str, after: &str, seen: Option<i64>) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| {
            ws.add_stage_from(id, name.trim(), Some(after), seen)
        })
    }

    /// Count records whose CRM stage reads `crm_value` as `stage_id`. `seen`: the map's
    /// version the screen showed (`VocabularyView::value_map_version`).
    pub fn stage_map(&self, crm_value: &str, stage_id: &str, seen: Option<i64>) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| {
            ws.set_stage_value_from(crm_value, stage_id, seen)
        })
    }

    /// Remove a value from the map; `seen` as for [`Self::stage_map`].
    pub fn stage_unmap(&self, crm_value: &str, seen: Option<i64>) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| {
            ws.remove_stage_value_from(crm_value, seen)
        })
    }
}
