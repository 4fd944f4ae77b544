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

    /// Set an action item's status. `seen`: the `row_version` the change is based on (the
    /// one on screen); when someone changed the item since, refused with `conflict`
    /// naming what changed, and nothing is saved. So for the update and delete below.
    pub fn action_status(
        &self,
        id: i64,
        status: ActionStatus,
        seen: Option<i64>,
    ) -> Result<ActionItem> {
        self.write(
            Area::Actions,
            |_| Some(id),
            |ws| ws.set_action_status(id, status, seen),
        )
    }

    pub fn action_update(
        &self,
        id: i64,
        input: &ActionInput,
        status: ActionStatus,
        seen: Option<i64>,
    ) -> Result<ActionItem> {
        self.write(
            Area::Actions,
            |_| Some(id),
            |ws| ws.update_action(id, input, status, seen),
        )
    }

    pub fn action_delete(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write(Area::Actions, |_| Some(id), |ws| ws.delete_action(id, seen))
    }
}
