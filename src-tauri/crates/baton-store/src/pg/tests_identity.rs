//! A team workspace's identity (`PgWorkspace::identity`): the same at every open of the
//! same workspace, another one for any other database reached at the same address.

use super::testing::{admin_exec, TestDb, ENV};
use super::tests::exec;
use super::*;
use crate::Workspace;

fn identity(target: &PgTarget) -> String {
    PgWorkspace::open(target)
        .unwrap()
        .identity()
        .unwrap()
        .expect("a workspace opened by its owner has an identity")
}

#[test]
fn a_workspace_keeps_its_identity_from_one_open_to_the_next() {
    let db = TestDb::new();
    let first = identity(&db.target);
    assert_eq!(identity(&db.target), first);
    // Another workspace on the same server is another one.
    let other = TestDb::new();
    assert_ne!(identity(&other.target), first);
}

#[test]
fn a_database_dropped_and_created_again_at_the_same_address_is_another_workspace() {
    let db = TestDb::new();
    let before = identity(&db.target);
    let admin = PgTarget::parse(&std::env::var(ENV).unwrap()).unwrap();
    // Two statements: neither may run inside a transaction block.
    admin_exec(&admin, &format!("DROP DATABASE {} WITH (FORCE)", db.name)).unwrap();
    admin_exec(&admin, &format!("CREATE DATABASE {}", db.name)).unwrap();
    assert_ne!(identity(&db.target), before);

    // Emptied in place (same database, same oid) and created again: another one too.
    let emptied = identity(&db.target);
    let ws = PgWorkspace::open(&db.target).unwrap();
    exec(&ws, "DROP SCHEMA public CASCADE; CREATE SCHEMA public").unwrap();
    drop(ws);
    assert_ne!(identity(&db.target), emptied);
}

#[test]
fn a_file_copied_into_a_workspace_makes_it_another_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.baton");
    Workspace::create(&file).unwrap();
    let db = TestDb::new();
    let empty = identity(&db.target);
    copy_workspace(
        &Location::File(file),
        &Location::Team(Box::new(db.target.clone())),
    )
    .unwrap();
    assert_ne!(identity(&db.target), empty);
}

#[test]
fn a_workspace_created_before_identities_gets_one_at_its_next_open() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    exec(&ws, "ALTER TABLE baton_schema DROP COLUMN workspace_id").unwrap();
    assert_eq!(ws.identity().unwrap(), None);
    drop(ws);
    let given = identity(&db.target);
    assert_eq!(identity(&db.target), given);
}
