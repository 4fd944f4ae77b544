//! Team workspaces on PostgreSQL (feature `postgres`): the copy between a workspace
//! file and a team database, and connecting the window to one.
use crate::Service;
use baton_core::team::{TeamAddress, TeamConnection};
use baton_core::Result;
use baton_store::pg::{copy_workspace, CopyReport, Location};

impl Service {
    /// File → "Connect to a team workspace…" (or its recent entry): connect, make it the
    /// open workspace (every screen reloads) and say what became of a typed password.
    pub fn connect_team(
        &self,
        address: &TeamAddress,
        password: Option<&str>,
    ) -> Result<TeamConnection> {
        let password = self.session().connect_team(address, password)?;
        self.switched();
        Ok(TeamConnection {
            info: self.workspace_info()?,
            password,
        })
    }

    /// Will a password typed now be remembered (an OS keyring answers)?
    pub fn keyring_available(&self) -> bool {
        self.session().keyring_available()
    }
}

/// `baton workspace copy FROM TO`: each end is a `.baton` file or a PostgreSQL connection
/// string (`postgres://user@host:port/db` or `host=… dbname=…`). The target must be empty;
/// the source must be at this build's schema version; all or nothing; the row counts of
/// every table are checked on both sides and returned.
pub fn workspace_copy(from: &str, to: &str) -> Result<CopyReport> {
    copy_workspace(&Location::parse(from)?, &Location::parse(to)?)
}
