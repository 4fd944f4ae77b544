//! The participants and their teams.
use crate::{Area, Service};
use baton_core::workshop::{Person, Team};
use baton_core::Result;

impl Service {
    pub fn people(&self) -> Result<Vec<Person>> {
        self.read(|ws| ws.people())
    }

    /// Add a person (`id` None) or change one.
    pub fn person_save(
        &self,
        id: Option<i64>,
        name: &str,
        team: Team,
        title: &str,
    ) -> Result<Person> {
        self.write(
            Area::People,
            |p: &Person| Some(p.id),
            |ws| match id {
                Some(id) => ws.update_person(id, name, team, title),
                None => ws.add_person(name, team, title),
            },
        )
    }

    pub fn person_delete(&self, id: i64) -> Result<()> {
        self.write(Area::People, |_| Some(id), |ws| ws.delete_person(id))
    }
}
