//! People: the workshop's participants, each on a team (sales, marketing, …).

use super::team_of;
use crate::row_version::{changed_fields, Change, RowEdit};
use crate::{DbContext, Workspace};
use baton_core::workshop::{Person, Team};
use baton_core::{BatonError, Result};
use rusqlite::{params, OptionalExtension};

/// The workshop's participants.
pub trait PeopleStore {
    fn people(&self) -> Result<Vec<Person>>;

    fn person(&self, id: i64) -> Result<Person>;

    fn add_person(&self, name: &str, team: Team, title: &str) -> Result<Person>;

    /// Change person `id`. `seen`: the [`Person::row_version`] the change is based on;
    /// refused with `conflict` (nothing changed) when someone changed them since.
    fn update_person(
        &self,
        id: i64,
        name: &str,
        team: Team,
        title: &str,
        seen: Option<i64>,
    ) -> Result<Person>;

    /// Delete person `id`; `seen` as for [`Self::update_person`].
    fn delete_person(&self, id: i64, seen: Option<i64>) -> Result<()>;
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
            "SELECT id, name, team, title, row_version FROM people ORDER BY team, name, id",
            [],
            person_row,
        )
    }

    fn person(&self, id: i64) -> Result<Person> {
        self.conn
            .query_row(
                "SELECT id, name, team, title, row_version FROM people WHERE id = ?1",
                [id],
                person_row,
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

    fn update_person(
        &self,
        id: i64,
        name: &str,
        team: Team,
        title: &str,
        seen: Option<i64>,
    ) -> Result<Person> {
        let name = checked_name(name)?;
        self.write_tx("updating person", |ws| {
            let old = ws.person(id)?;
            let thing = person_thing(&old);
            let edit = RowEdit {
                table: "people",
                id,
                thing: &thing,
                seen,
            };
            ws.check_row_version(&edit, old.row_version, Change::Edit)?;
            ws.conn
                .execute(
                    "UPDATE people SET name = ?2, team = ?3, title = ?4 WHERE id = ?1",
                    params![id, name, team.as_str(), title.trim()],
                )
                .ctx("updating person")?;
            let fields = person_changes(&old, name, team, title.trim());
            ws.bump_row_version(&edit, old.row_version, &fields)?;
            ws.person(id)
        })
    }

    fn delete_person(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting person", |ws| {
            let old = ws.person(id)?;
            let thing = person_thing(&old);
            let edit = RowEdit {
                table: "people",
                id,
                thing: &thing,
                seen,
            };
            ws.delete_versioned_row(&edit, old.row_version, "deleting person")?;
            Ok(())
        })
    }
}

fn person_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        team: team_of(&r.get::<_, String>(2)?),
        title: r.get(3)?,
        row_version: r.get(4)?,
    })
}

/// A person as a conflict message names them.
pub(crate) fn person_thing(p: &Person) -> String {
    format!("Person \"{}\"", p.name)
}

/// What an update of `old` to these (stored) values changes.
pub(crate) fn person_changes(
    old: &Person,
    name: &str,
    team: Team,
    title: &str,
) -> Vec<&'static str> {
    changed_fields(&[
        ("name", old.name != name),
        ("team", old.team != team),
        ("title", old.title != title),
    ])
}
