//! `PgWorkspace::transaction`: several store calls commit together or not at all, on
//! one connection, under the write lock (as the service's use cases need).
use super::testing::TestDb;
use super::*;
use crate::prelude::*;
use baton_core::workshop::Team;

fn names(ws: &PgWorkspace) -> Vec<String> {
    ws.people().unwrap().into_iter().map(|p| p.name).collect()
}

#[test]
fn calls_in_a_transaction_commit_together_and_see_their_own_writes() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let other = PgWorkspace::open(&db.target).unwrap();
    let seen_inside = ws
        .transaction("adding two", |tx| {
            tx.add_person("Ana", Team::Sales, "")?;
            tx.add_person("Bo", Team::Marketing, "")?;
            // Another connection does not see them before the commit.
            assert!(names(&other).is_empty());
            Ok(names(tx))
        })
        .unwrap();
    // Listed by team, then name.
    assert_eq!(seen_inside, ["Bo", "Ana"]);
    assert_eq!(names(&other), seen_inside);
}

#[test]
fn a_failing_transaction_leaves_nothing_and_its_connection_is_reusable() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let err = ws
        .transaction("adding then failing", |tx| {
            tx.add_person("Ana", Team::Sales, "")?;
            tx.set_setting("k", "v")?;
            Err::<(), _>(BatonError::invalid("stop here"))
        })
        .unwrap_err();
    assert_eq!(err.message, "stop here");
    assert!(names(&ws).is_empty());
    assert_eq!(ws.setting("k").unwrap(), None);
    assert_eq!(ws.data_version().unwrap(), 0);
    // The pool's connections are all usable afterwards (none left inside a transaction).
    for i in 0..8 {
        ws.add_person(&format!("P{i}"), Team::Sales, "").unwrap();
    }
    assert_eq!(names(&ws).len(), 8);
}

#[test]
fn a_failed_call_inside_rolls_back_alone_when_the_caller_goes_on() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    ws.transaction("adding", |tx| {
        tx.add_person("Ana", Team::Sales, "")?;
        // Deleting someone who does not exist fails inside its savepoint only.
        assert!(tx.delete_person(9999, None).is_err());
        tx.add_person("Bo", Team::Sales, "")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(names(&ws), ["Ana", "Bo"]);
}

#[test]
fn a_panic_inside_a_transaction_rolls_it_back() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ws.transaction("adding then panicking", |tx| {
            tx.add_person("Ana", Team::Sales, "")?;
            panic!("a bug");
            #[allow(unreachable_code)]
            Ok(())
        })
    }));
    assert!(caught.is_err());
    assert!(names(&ws).is_empty());
    ws.add_person("Bo", Team::Sales, "").unwrap();
    assert_eq!(names(&ws), ["Bo"]);
}

#[test]
fn a_transaction_holds_the_write_lock_until_it_ends() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let other = PgWorkspace::open(&db.target).unwrap();
    let (started, go) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            ws.transaction("slow write", |tx| {
                tx.add_person("First", Team::Sales, "")?;
                started.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(300));
                tx.add_person("Second", Team::Sales, "")
            })
            .unwrap();
        });
        go.recv().unwrap();
        // This write waits for the lock, so it lands after both of the transaction's.
        other.add_person("Third", Team::Sales, "").unwrap();
        writer.join().unwrap();
    });
    let ids: Vec<(String, i64)> = ws
        .people()
        .unwrap()
        .into_iter()
        .map(|p| (p.name, p.id))
        .collect();
    let id = |n: &str| ids.iter().find(|(m, _)| m == n).unwrap().1;
    assert!(id("Third") > id("Second"), "{ids:?}");
}

#[test]
fn a_nested_transaction_is_a_savepoint() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    ws.transaction("outer", |tx| {
        tx.add_person("Ana", Team::Sales, "")?;
        let inner = tx.transaction("inner", |t| {
            t.add_person("Bo", Team::Sales, "")?;
            Err::<(), _>(BatonError::invalid("undo Bo"))
        });
        assert!(inner.is_err());
        Ok(())
    })
    .unwrap();
    assert_eq!(names(&ws), ["Ana"]);
}
