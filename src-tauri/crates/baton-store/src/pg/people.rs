//! [`PeopleStore`] on PostgreSQL. Lists sort as the file's do: byte order (`COLLATE "C"`,
//! SQLite's BINARY), whatever the database's locale.
use super::agreements::person_in;
use super::row_version::{bump_row_version, check_row_version, delete_versioned_row};
use super::{pg_err, PgWorkspace};
use crate::prelude::PeopleStore;
use crate::row_version::{Change, RowEdit};
use crate::workshop::{checked_name, person_changes, person_thing, team_of};
use baton_core::workshop::{Person, Team};
use baton_core::{BatonError, Result};
use tokio_postgres::Row;

fn person_of(r: &Row) -> Person {
    Person {
        id: r.get(0),
        name: r.get(1),
        team: team_of(r.get(2)),
        title: r.get(3),
        row_version: r.get(4),
    }
}

impl PeopleStore for PgWorkspace {
    fn people(&self) -> Result<Vec<Person>> {
        self.query_rows(
            "reading people",
            r#"SELECT id, name, team, title, row_version FROM people ORDER BY team COLLATE "C", name COLLATE "C", id"#,
            &[],
            person_of,
        )
    }

    fn person(&self, id: i64) -> Result<Person> {
        self.query_opt_row(
            "reading person",
            "SELECT id, name, team, title, row_version FROM people WHERE id = $1",
            &[&id],
            person_of,
        )?
        .ok_or_else(|| BatonError::not_found(format!("person {id} does not exist")))
    }

    fn add_person(&self, name: &str, team: Team, title: &str) -> Result<Person> {
        let name = checked_name(name)?;
        let id = self.write_tx("adding person", async |tx| {
            tx.query_one(
                "INSERT INTO people(name, team, title) VALUES ($1, $2, $3) RETURNING id",
                &[&name, &team.as_str(), &title.trim()],
            )
            .await
            .map(|r| r.get::<_, i64>(0))
            .map_err(|e| pg_err("adding person", e))
        })?;
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
        self.write_tx("updating person", async |tx| {
            let c = &**tx;
            let old = person_in(c, id).await?;
            let thing = person_thing(&old);
            let edit = RowEdit {
                table: "people",
                id,
                thing: &thing,
                seen,
            };
            check_row_version(c, &edit, old.row_version, Change::Edit).await?;
            c.execute(
                "UPDATE people SET name = $2, team = $3, title = $4 WHERE id = $1",
                &[&id, &name, &team.as_str(), &title.trim()],
            )
            .await
            .map_err(|e| pg_err("updating person", e))?;
            let fields = person_changes(&old, name, team, title.trim());
            bump_row_version(c, &edit, old.row_version, &fields).await?;
            person_in(c, id).await
        })
    }

    fn delete_person(&self, id: i64, seen: Option<i64>) -> Result<()> {
        self.write_tx("deleting person", async |tx| {
            let c = &**tx;
            let old = person_in(c, id).await?;
            let thing = person_thing(&old);
            let edit = RowEdit {
                table: "people",
                id,
                thing: &thing,
                seen,
            };
            delete_versioned_row(c, &edit, old.row_version, "deleting person").await?;
            Ok(())
        })
    }
}
