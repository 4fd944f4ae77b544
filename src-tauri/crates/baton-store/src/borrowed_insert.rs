//! A prepared statement that binds text without copying it, for the import's record insert
//! (one execution per row of the file).
//!
//! rusqlite binds text with `SQLITE_TRANSIENT`: SQLite allocates a buffer and copies every
//! value before each execution. A `perf` profile of a 1,000,000-row import put those
//! allocations and copies at about a tenth of the writer thread's time (the import's
//! bottleneck). Here text is bound with `SQLITE_STATIC`: SQLite reads it in place. That is
//! sound because [`BorrowedInsert::execute`] binds, runs and resets the statement and then
//! clears its bindings within the one call, while the borrowed values are alive; no
//! pointer to them outlives the call.

use rusqlite::{ffi, Connection};
use std::ffi::{c_char, c_int, CStr, CString};
use std::marker::PhantomData;

/// A parameter value, borrowed for one execution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Param::Null, Param::Text)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Param::Null, Param::Int)
    }
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<Option<f64>> for Param<'_> {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Param::Null, Param::Real)
    }
}

/// One prepared statement on `conn`, finalized when dropped (before the connection,
/// which it borrows).
pub(crate) struct BorrowedInsert<'c> {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    _conn: PhantomData<&'c Connection>,
}

impl<'c> BorrowedInsert<'c> {
    pub(crate) fn prepare(conn: &'c Connection, sql: &str) -> rusqlite::Result<Self> {
        let sql = CString::new(sql).map_err(|_| rusqlite::Error::InvalidQuery)?;
        // SAFETY: the handle stays valid while `conn` is borrowed (`'c`), and this struct
        // never outlives that borrow.
        let db = unsafe { conn.handle() };
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `db` is an open connection, `sql` a NUL-terminated string.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut())
        };
        if rc != ffi::SQLITE_OK || stmt.is_null() {
            return Err(last_error(db, rc));
        }
        Ok(Self {
            db,
            stmt,
            _conn: PhantomData,
        })
    }

    /// Bind `params` to `?1`, `?2`, … (the statement's parameters beyond them are NULL),
    /// run the statement to completion and return how many rows it changed.
    pub(crate) fn execute(&mut self, params: &[Param<'_>]) -> rusqlite::Result<usize> {
        let result = self.bind_all(params).and_then(|()| {
            // SAFETY: the statement is prepared and every pointer bound to it is borrowed
            // for this call.
            match unsafe { ffi::sqlite3_step(self.stmt) } {
                ffi::SQLITE_DONE | ffi::SQLITE_ROW => {
                    // SAFETY: as above.
                    Ok(unsafe { ffi::sqlite3_changes64(self.db) } as usize)
                }
                rc => Err(last_error(self.db, rc)),
            }
        });
        // SAFETY: resetting and clearing a prepared statement; after this no binding
        // points at `params` any more.
        unsafe {
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
        }
        result
    }

    fn bind_all(&mut self, params: &[Param<'_>]) -> rusqlite::Result<()> {
        for (i, p) in params.iter().enumerate() {
            let at = (i + 1) as c_int;
            // SAFETY: binding to a prepared statement; text is valid UTF-8 of the given
            // length and stays borrowed until `execute` clears the bindings.
            let rc = unsafe {
                match *p {
                    Param::Null => ffi::sqlite3_bind_null(self.stmt, at),
                    Param::Int(v) => ffi::sqlite3_bind_int64(self.stmt, at, v),
                    Param::Real(v) => ffi::sqlite3_bind_double(self.stmt, at, v),
                    Param::Text(s) => ffi::sqlite3_bind_text64(
                        self.stmt,
                        at,
                        s.as_ptr().cast::<c_char>(),
                        s.len() as u64,
                        ffi::SQLITE_STATIC(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(last_error(self.db, rc));
            }
        }
        Ok(())
    }
}

impl Drop for BorrowedInsert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared on a connection still open (borrowed).
        unsafe {
            ffi::sqlite3_finalize(self.stmt);
        }
    }
}

/// The connection's last error as rusqlite reports it.
fn last_error(db: *mut ffi::sqlite3, rc: c_int) -> rusqlite::Error {
    // SAFETY: `db` is an open connection; the message is copied at once.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db);
        let msg = ffi::sqlite3_errmsg(db);
        let message = if msg.is_null() {
            None
        } else {
            Some(CStr::from_ptr(msg).to_string_lossy().into_owned())
        };
        (if code == ffi::SQLITE_OK { rc } else { code }, message)
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of `t`: key, number, real, length of the text.
    type Stored = (String, Option<i64>, Option<f64>, Option<i64>);

    fn conn() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t(k TEXT UNIQUE, n INTEGER, x REAL, s TEXT)")
            .unwrap();
        c
    }

    #[test]
    fn binds_each_kind_of_value_and_counts_changes() {
        let c = conn();
        let mut ins = BorrowedInsert::prepare(
            &c,
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4) ON CONFLICT(k) DO NOTHING",
        )
        .unwrap();
        for i in 0..3 {
            // A fresh buffer per row, dropped after the call: SQLite must have read it
            // during `execute`, not after.
            let key = format!("key é{i}");
            let text = "x".repeat(i * 1000);
            let n = ins
                .execute(&[
                    Param::Text(&key),
                    Param::Int(i as i64),
                    Param::Real(i as f64 / 2.0),
                    Param::from(Some(text.as_str()).filter(|t| !t.is_empty())),
                ])
                .unwrap();
            assert_eq!(n, 1);
        }
        // A conflict changes nothing; a missing parameter is NULL.
        assert_eq!(ins.execute(&[Param::Text("key é1")]).unwrap(), 0);
        assert_eq!(ins.execute(&[Param::Text("only a key")]).unwrap(), 1);
        drop(ins);
        let rows: Vec<Stored> = c
            .prepare("SELECT k, n, x, length(s) FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            rows,
            vec![
                ("key é0".into(), Some(0), Some(0.0), None),
                ("key é1".into(), Some(1), Some(0.5), Some(1000)),
                ("key é2".into(), Some(2), Some(1.0), Some(2000)),
                ("only a key".into(), None, None, None),
            ]
        );
    }

    #[test]
    fn errors_carry_sqlites_message_and_leave_the_statement_usable() {
        let c = conn();
        c.execute_batch("CREATE TABLE u(k TEXT NOT NULL)").unwrap();
        let mut ins = BorrowedInsert::prepare(&c, "INSERT INTO u VALUES (?1)").unwrap();
        let e = ins.execute(&[Param::Null]).unwrap_err();
        assert!(e.to_string().contains("NOT NULL"), "{e}");
        assert_eq!(ins.execute(&[Param::Text("a")]).unwrap(), 1);
        assert!(
            BorrowedInsert::prepare(&c, "INSERT INTO nowhere VALUES (1)")
                .err()
                .unwrap()
                .to_string()
                .contains("nowhere")
        );
    }
}
