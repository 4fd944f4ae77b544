//! The shared vocabulary: stage names, new stages and which CRM values mean which stage.
use crate::{no_id, Area, Service};
use baton_core::agreement::VocabularyView;
use baton_core::Result;

impl Service {
    pub fn vocabulary(&self) -> Result<VocabularyView> {
        self.read(|ws| ws.vocabulary_view())
    }

    pub fn stage_rename(&self, id: &str, name: &str) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| ws.rename_stage(id, name.trim()))
    }

    pub fn stage_add(&self, id: &str, name: &str, after: &str) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| {
            ws.add_stage(id, name.trim(), Some(after))
        })
    }

    /// Count records whose CRM stage reads `crm_value` as `stage_id`.
    pub fn stage_map(&self, crm_value: &str, stage_id: &str) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| {
            ws.set_stage_value(crm_value, stage_id)
        })
    }

    pub fn stage_unmap(&self, crm_value: &str) -> Result<()> {
        self.write(Area::Stages, no_id, |ws| ws.remove_stage_value(crm_value))
    }
}
