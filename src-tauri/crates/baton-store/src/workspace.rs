use crate::{migrate, DbContext};
use baton_core::{BatonError, ErrorCode, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An open workspace file. Cheap to open; open one per thread (a `Connection`
/// is `Send` but not `Sync`). WAL lets readers run while an import writes.
pub struct Workspace {
    pub(crate) conn: Connection,
    path: PathBuf,
}

/// The error for a workspace whose first read failed: locked by another process (a CLI
/// import in rollback-journal mode holds it until it ends), or not a workspace at all.
fn open_error(shown: &str, e: rusqlite::Error) -> BatonError {
    let busy = matches!(
        &e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    );
    if busy {
        BatonError::conflict(format!(
            "workspace busy: an import is running in {shown} (another process has it locked); try again when it finishes"
        ))
    } else {
        BatonError::new(
            ErrorCode::NotAWorkspace,
            format!("{shown} is not a Baton workspace (not an SQLite database: {e})"),
        )
    }
}

/// The workspace's data version and its key → value settings.
pub trait WorkspaceState {
    /// A monotonically increasing counter bumped by every committed write to what the
    /// metrics dataset is built from: records, imports, stages, the stage value map and
    /// settings (SQLite's `data_version` only sees other connections, so we keep our own).
    /// Workshop content (people, personas, agreements, sessions…), SLA clauses and goals
    /// are read fresh on every call, so writing them does not make the cache reload.
    fn data_version(&self) -> Result<i64>;

    /// A setting stored as JSON text, or `None`.
    fn setting(&self, key: &str) -> Result<Option<String>>;

    fn set_setting(&self, key: &str, value: &str) -> Result<()>;

    /// The version of something edited as a whole (the stages, the stage map, the
    /// business hours, the company name): what its screen shows and sends back.
    fn config_version(&self, config: crate::Config) -> Result<i64>;
}

impl WorkspaceState for Workspace {
    fn config_version(&self, config: crate::Config) -> Result<i64> {
        self.config_version_now(config)
    }

    fn data_version(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'data_version'",
                [],
                |r| r.get(0),
            )
            .ctx("reading data version")
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .ctx("reading setting")
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .ctx("writing setting")?;
        Self::bump_data_version(&self.conn)
    }
}

impl Workspace {
    /// Create a new, empty workspace. Fails if the file already exists.
    pub fn create(path: &Path) -> Result<Self> {
        if path.exists() {
            return Err(BatonError::conflict(format!(
                "{} already exists; open it or choose another name",
                path.display()
            )));
        }
        Self::open_with(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
    }

    /// Open an existing workspace, migrating it to this build's schema.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(BatonError::not_found(format!(
                "no workspace at {}",
                path.display()
            )));
        }
        Self::open_with(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
    }

    /// Open if it exists, create otherwise.
    pub fn open_or_create(path: &Path) -> Result<Self> {
        if path.exists() {
            Self::open(path)
        } else {
            Self::create(path)
        }
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<Self> {
        let shown = path.display().to_string();
        let mut conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| BatonError::io(format!("opening {shown}"), e))?;
        conn.busy_timeout(Duration::from_secs(5)).ctx(&shown)?;
        // Reading the header is the first thing that fails on a non-SQLite file. Setting
        // WAL on a file already in WAL mode is skipped: opening must not wait on a writer.
        let mut mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| open_error(&shown, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            mode = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(|e| open_error(&shown, e))?;
        }
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(BatonError::io(
                &shown,
                format!("cannot use WAL journal (got {mode})"),
            ));
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .ctx(&shown)?;
        migrate::migrate(&mut conn, &shown)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bump [`Self::data_version`]; call inside every write transaction that changes
    /// what the metrics dataset reads.
    pub(crate) fn bump_data_version(conn: &Connection) -> Result<()> {
        conn.execute(
            "UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'",
            [],
        )
        .ctx("bumping data version")?;
        Ok(())
    }

    /// Record on import `import_id` the data version its commit produces (call right
    /// after [`Self::bump_data_version`] in the import's transaction), so the metrics
    /// cache can tell that only imports changed the data since it loaded.
    pub(crate) fn stamp_import_version(conn: &Connection, import_id: i64) -> Result<()> {
        conn.execute(
            "UPDATE imports SET data_version =
                (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'data_version')
             WHERE id = ?1",
            [import_id],
        )
        .ctx("recording the import's data version")?;
        Ok(())
    }

    /// Copy the workspace to a new file (File → Save As). `VACUUM INTO` writes a
    /// consistent, compacted copy even while other connections read.
    pub fn save_as(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            std::fs::remove_file(dest).map_err(|e| BatonError::io(dest.display(), e))?;
        }
        let dest_str = dest
            .to_str()
            .ok_or_else(|| BatonError::invalid("the destination path is not valid UTF-8"))?;
        self.conn
            .execute("VACUUM INTO ?1", [dest_str])
            .ctx("save as")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::SCHEMA_VERSION;

    #[test]
    fn create_then_reopen_keeps_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.baton");
        let ws = Workspace::create(&p).unwrap();
        assert_eq!(ws.data_version().unwrap(), 0);
        ws.set_setting("company", "\"Acme\"").unwrap();
        assert_eq!(ws.data_version().unwrap(), 1);
        drop(ws);
        let ws = Workspace::open(&p).unwrap();
        let v: i32 = ws
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(ws.setting("company").unwrap().as_deref(), Some("\"Acme\""));
    }

    #[test]
    fn newer_schema_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.baton");
        drop(Workspace::create(&p).unwrap());
        {
            let c = Connection::open(&p).unwrap();
            c.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
                .unwrap();
        }
        let before = std::fs::read(&p).unwrap();
        let err = Workspace::open(&p).err().unwrap();
        assert_eq!(err.code, ErrorCode::WorkspaceTooNew);
        assert!(err.message.contains("newer Baton"), "{}", err.message);
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    #[test]
    fn garbage_file_is_not_a_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("notes.baton");
        std::fs::write(
            &p,
            b"this is not sqlite, just some text that is long enough to have a header......",
        )
        .unwrap();
        let err = Workspace::open(&p).err().unwrap();
        assert_eq!(err.code, ErrorCode::NotAWorkspace, "{}", err.message);
    }

    #[test]
    fn foreign_sqlite_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("other.db");
        Connection::open(&p)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let err = Workspace::open(&p).err().unwrap();
        assert_eq!(err.code, ErrorCode::NotAWorkspace);
    }

    #[test]
    fn a_workspace_locked_by_another_process_is_busy_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.baton");
        drop(Workspace::create(&p).unwrap());
        // What a CLI import in rollback-journal mode does to the file while it writes.
        let holder = Connection::open(&p).unwrap();
        holder
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let err = Workspace::open(&p).err().unwrap();
        assert_eq!(err.code, ErrorCode::Conflict, "{}", err.message);
        assert!(
            err.message.contains("workspace busy: an import is running"),
            "{}",
            err.message
        );
        holder.execute_batch("ROLLBACK").unwrap();
        drop(holder);
        Workspace::open(&p).unwrap();
    }

    #[test]
    fn missing_file_is_not_found() {
        let err = Workspace::open(Path::new("/nonexistent/w.baton"))
            .err()
            .unwrap();
        assert_eq!(err.code, ErrorCode::NotFound);
    }
}
