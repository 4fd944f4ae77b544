//! Team workspaces on PostgreSQL (feature `postgres`). For now: the copy between a
//! workspace file and a team database; the session on a team workspace comes next.
use baton_core::Result;
use baton_store::pg::{copy_workspace, CopyReport, Location};

/// `baton workspace copy FROM TO`: each end is a `.baton` file or a PostgreSQL connection
/// string (`postgres://user@host:port/db` or `host=… dbname=…`). The target must be empty;
/// the source must be at this build's schema version; all or nothing; the row counts of
/// every table are checked on both sides and returned.
pub fn workspace_copy(from: &str, to: &str) -> Result<CopyReport> {
    copy_workspace(&Location::parse(from)?, &Location::parse(to)?)
}
