//! People: the workshop's participants, each on a team (sales, marketing, …).

use super::{changed_one, team_of};
use crate::{DbContext, Workspace};
use baton_core::workshop::{Person, Team};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// The workshop's participants.
pub trait PeopleStore {
    fn people(&self) -> Result<Vec<Person>>;

    fn person(&self, id: i64) -> Result<Person>;

    fn add_person(&self, name: &str, team: Team, title: &str) -> Result<Person>;

    fn update_person(&self, id: i64, name: &str, team: Team, title: &str) -> Result<Person>;

    fn delete_person(&self, id: i64) -> Result<()>;
}

/// A person's name as stored: trimmed, and not empty.
pub(crate) fn checked_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BatonError::invalid("the person needs a name"));
    }
    Ok(name)
}

impl PeopleStore for Workspace {
    fn people(&self) -> Result<Vec<Person>> {
        self.query_list(
            "reading people",
            "SELECT id, name, team, title FROM people ORDER BY team, name, id",
            [],
            |r| {
                Ok(Person {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    team: team_of(&r.get::<_, String>(2)?),
                    title: r.get(3)?,
                })
            },
        )
    }

    fn person(&self, id: i64) -> Result<Person> {
        self.conn
            .query_row(
                "SELECT id, name, team, title FROM people WHERE id = ?1",
                [id],
                |r| {
                    Ok(Person {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        team: team_of(&r.get::<_, String>(2)?),
                        title: r.get(3)?,
                    })
                },
            )
            .optional()
            .ctx("reading person")?
            .ok_or_else(|| BatonError::not_found(format!("person {id} does not exist")))
    }

    fn add_person(&self, name: &str, team: Team, title: &str) -> Result<Person> {
        let name = checked_name(name)?;
        self.conn
            .execute(
                "INSERT INTO people(name, team, title) VALUES (?1, ?2, ?3)",
                params![name, team.as_str(), title.trim()],
            )
            .ctx("adding person")?;
        let id = self.conn.last_insert_rowid();
        self.person(id)
    }

    fn update_person(&self, id: i64, name: &str, team: Team, title: &str) -> Result<Person> {
        let name = checked_name(name)?;
        let n = self
            .conn
            .execute(
                "UPDATE people SET name = ?2, team = ?3, title = ?4 WHERE id = ?1",
                params![id, name, team.as_str(), title.trim()],
            )
            .ctx("updating person")?;
        changed_one(n, &format!("person {id}"))?;
        self.person(id)
    }

    fn delete_person(&self, id: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM people WHERE id = ?1", [id])
            .ctx("deleting person")?;
        changed_one(n, &format!("person {id}"))?;
        Ok(())
    }
}
