//! The participants and their teams.
use crate::{Area, Service};
use baton_core::workshop::{Person, Team};
use baton_core::Result;

impl Service {
    pub fn people(&self) -> Result<Vec<Person>> {
        self.read(|ws| ws.people())
    }

    /// Add a person (`id` None) or change one. `seen`: the `row_version` the change is
    /// based on (the one on screen); when someone changed the person since, refused with
    /// `conflict` naming what changed, and nothing is saved.
    pub fn person_save(
        &self,
        id: Option<i64>,
        name: &str,
        team: Team,
        title: &str,
        seen: Option<i64>,
    ) -> Result<Person> {
        self.write(
            Area::People,
            |p: &Person| Some(p.id),
            |ws| match id {
                Some(id) => ws.update_person(id, name, team, title, seen),
                None => ws.add_person(name, team, title),
            },
        )
    }

    /// Delete a person; `seen` as for [`Self::person_save`].
    pub fn person_delete(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write(Area::People, |_| Some(id), |ws| ws.delete_person(id, seen))
    }
}
