//! Action items across sessions.
use crate::{Area, Service};
use baton_core::workshop::{ActionInput, ActionItem, ActionStatus};
use baton_core::Result;

impl Service {
    pub fn actions(&self) -> Result<Vec<ActionItem>> {
        self.read(|ws| ws.actions())
    }

    pub fn action_add(&self, input: &ActionInput) -> Result<ActionItem> {
        self.write(
            Area::Actions,
            |a: &ActionItem| Some(a.id),
            |ws| ws.add_action(input),
        )
    }

    pub fn action_status(&self, id: i64, status: ActionStatus) -> Result<ActionItem> {
        self.write(
            Area::Actions,
            |_| Some(id),
            |ws| ws.set_action_status(id, status),
        )
    }

    pub fn action_update(
        &self,
        id: i64,
        input: &ActionInput,
        status: ActionStatus,
    ) -> Result<ActionItem> {
        self.write(
            Area::Actions,
            |_| Some(id),
            |ws| ws.update_action(id, input, status),
        )
    }

    pub fn action_delete(&self, id: i64) -> Result<()> {
        self.write(Area::Actions, |_| Some(id), |ws| ws.delete_action(id))
    }
}
