//! Write transactions that compose. [`Workspace::write_tx`] opens `BEGIN IMMEDIATE`
//! when no transaction is open, or a SAVEPOINT inside the open one, so a use case can
//! wrap "check, then write" across several store calls and still be one transaction.

use crate::{DbContext, Workspace};
use baton_core::Result;
use rusqlite::Connection;

/// Rolls back the transaction or savepoint unless it was finished (an error or a panic
/// inside the closure leaves nothing half-written).
struct Open<'a> {
    conn: &'a Connection,
    rollback: &'static str,
    finished: bool,
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.conn.execute_batch(self.rollback);
        }
    }
}

impl Workspace {
    /// Run `f` in one write transaction and commit when it returns `Ok`; roll back
    /// when it returns `Err` (or panics).
    ///
    /// Outside a transaction this is `BEGIN IMMEDIATE … COMMIT`: the write lock is
    /// taken before `f` reads anything, so what `f` checks still holds when it writes,
    /// even with other connections (another window, the CLI) writing to the same file;
    /// they wait (busy timeout) rather than interleave. Inside one (a caller's
    /// `write_tx`) it is a SAVEPOINT, released into the outer transaction on `Ok` and
    /// rolled back alone on `Err`. `what` names the work in error messages.
    pub fn write_tx<T>(&self, what: &str, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        let (begin, commit, rollback) = if self.conn.is_autocommit() {
            ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
        } else {
            (
                "SAVEPOINT baton_write",
                "RELEASE baton_write",
                "ROLLBACK TO baton_write; RELEASE baton_write",
            )
        };
        self.conn.execute_batch(begin).ctx(what)?;
        let mut open = Open {
            conn: &self.conn,
            rollback,
            finished: false,
        };
        let value = f(self)?;
        self.conn.execute_batch(commit).ctx(what)?;
        open.finished = true;
        Ok(value)
    }

    /// Is a transaction open on this workspace's connection (for tests and asserts)?
    pub fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }
}

#[cfg(test)]
mod tests {
    use crate::Workspace;
    use baton_core::workshop::Team;
    use baton_core::BatonError;

    fn ws() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(&dir.path().join("w.baton")).unwrap();
        (dir, ws)
    }

    #[test]
    fn an_error_rolls_back_everything_the_closure_wrote() {
        let (_d, ws) = ws();
        let err = ws
            .write_tx("adding two people", |ws| {
                ws.add_person("Sam", Team::Sales, "AE")?;
                ws.add_person("Mia", Team::Marketing, "CMO")?;
                Err::<(), _>(BatonError::conflict("changed my mind"))
            })
            .unwrap_err();
        assert_eq!(err.message, "changed my mind");
        assert!(ws.people().unwrap().is_empty());
        assert!(!ws.in_transaction());
    }

    #[test]
    fn a_nested_write_is_a_savepoint_of_the_outer_transaction() {
        let (_d, ws) = ws();
        ws.write_tx("outer", |ws| {
            ws.add_person("Sam", Team::Sales, "AE")?;
            // An inner failure undoes only the inner work…
            let inner = ws.write_tx("inner", |ws| {
                ws.add_person("Lee", Team::Leadership, "CEO")?;
                Err::<(), _>(BatonError::invalid("no"))
            });
            assert!(inner.is_err());
            assert!(ws.in_transaction(), "the outer transaction is still open");
            // …and a successful inner write commits with the outer one.
            ws.write_tx("inner", |ws| ws.add_person("Mia", Team::Marketing, "CMO"))?;
            Ok(())
        })
        .unwrap();
        let names: Vec<String> = ws.people().unwrap().into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["Mia", "Sam"]);
        assert!(!ws.in_transaction());
    }

    #[test]
    fn an_outer_rollback_undoes_committed_inner_writes() {
        let (_d, ws) = ws();
        let _ = ws.write_tx("outer", |ws| {
            ws.write_tx("inner", |ws| ws.add_person("Sam", Team::Sales, "AE"))?;
            Err::<(), _>(BatonError::conflict("stop"))
        });
        assert!(ws.people().unwrap().is_empty());
    }

    #[test]
    fn a_panic_inside_rolls_back() {
        let (_d, ws) = ws();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ws.write_tx("panicking", |ws| {
                ws.add_person("Sam", Team::Sales, "AE")?;
                panic!("boom");
                #[allow(unreachable_code)]
                Ok(())
            })
        }));
        assert!(r.is_err());
        assert!(!ws.in_transaction());
        assert!(ws.people().unwrap().is_empty());
    }
}
