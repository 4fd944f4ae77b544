//! The window's session on a team workspace: File → "Connect to a team workspace…" and
//! the team entries of the recent list.
use super::{Current, Remembered, Session};
use baton_core::team::{PasswordKept, TeamAddress};
use baton_core::Result;
use baton_store::pg::{check_tls_files, PgTarget, PgWorkspace};
use std::sync::Arc;

impl Session {
    /// Connect to the team workspace at `address` and make it the open workspace; it goes
    /// first in the recent list (without its password). The password: `typed` (kept in
    /// the OS keyring, or for this run when there is none), else the one kept for this
    /// address, else `PGPASSWORD` / `~/.pgpass`. The TLS files chosen are checked first
    /// (each named with its setting when missing or not PEM). Nothing changes when
    /// connecting fails. Call it from a blocking thread.
    pub fn connect_team(&self, address: &TeamAddress, typed: Option<&str>) -> Result<PasswordKept> {
        if address.sslmode != "disable" {
            check_tls_files(
                address.sslrootcert.as_deref(),
                address.sslcert.as_deref(),
                address.sslkey.as_deref(),
            )?;
        }
        let shown = address.shown();
        let typed = typed.filter(|p| !p.is_empty());
        let password = typed
            .map(str::to_owned)
            .or_else(|| self.passwords.find(&shown));
        let target = PgTarget::parse(&address.conninfo(password.as_deref())?)?;
        let ws = PgWorkspace::open(&target)?;
        *self.current.lock().expect("session lock") = Some(Current::Team(Arc::new(ws)));
        let kept = match typed {
            Some(pw) => self.passwords.keep(&shown, pw),
            None => PasswordKept::NoneTyped,
        };
        // The list is a convenience: failing to write it does not undo the connection.
        let _ = self.remember(Remembered::Team {
            team: address.clone(),
        });
        Ok(kept)
    }

    /// Will a password typed now be remembered (an OS keyring answers)?
    pub fn keyring_available(&self) -> bool {
        self.passwords.keyring_available()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::workspace::WorkspaceKind;

    fn address(dbname: &str) -> TeamAddress {
        TeamAddress {
            host: "127.0.0.1".into(),
            port: 1,
            dbname: dbname.into(),
            user: "ana".into(),
            sslmode: "disable".into(),
            sslrootcert: None,
            sslcert: None,
            sslkey: None,
        }
    }

    #[test]
    fn team_workspaces_sit_beside_files_in_the_recent_list() {
        let dir = tempfile::tempdir().unwrap();
        let s = Session::app(&dir.path().join("data"), &dir.path().join("config"), None);
        let file = dir.path().join("plan.baton");
        std::fs::write(&file, b"").unwrap();
        s.switch_to(&file).unwrap();
        s.remember(Remembered::Team {
            team: address("sales"),
        })
        .unwrap();
        // The same address with another sslmode is the same place: listed once.
        let mut again = address("sales");
        again.sslmode = "require".into();
        // The TLS files are kept with it (paths; reopening the entry uses them).
        again.sslrootcert = Some("/etc/team/root.crt".into());
        again.sslcert = Some("/home/ana/.team/me.crt".into());
        again.sslkey = Some("/home/ana/.team/me.key".into());
        s.remember(Remembered::Team {
            team: again.clone(),
        })
        .unwrap();

        let recent = s.recent();
        assert_eq!(recent.len(), 2);
        assert_eq!(recent[0].kind, WorkspaceKind::Team);
        assert_eq!(recent[0].name, "sales");
        assert_eq!(recent[0].path, "postgres://ana@127.0.0.1:1/sales");
        assert_eq!(recent[0].team.as_ref(), Some(&again));
        assert_eq!(recent[1].kind, WorkspaceKind::File);
        assert_eq!(recent[1].name, "plan");

        // At the next launch the most recent *file* opens; the team entry stays listed.
        let next = Session::app(&dir.path().join("data"), &dir.path().join("config"), None);
        assert_eq!(next.current_path(), Some(file));
        assert_eq!(next.recent().len(), 2);
    }

    #[test]
    fn a_failed_connection_changes_nothing_and_never_shows_the_password() {
        let dir = tempfile::tempdir().unwrap();
        let s = Session::app(&dir.path().join("data"), &dir.path().join("config"), None);
        let before = s.current_key();
        let err = s
            .connect_team(&address("sales"), Some("pw-9f3k"))
            .unwrap_err();
        assert!(
            err.message.contains("postgres://ana@127.0.0.1:1/sales"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("pw-9f3k"), "{}", err.message);
        assert_eq!(s.current_key(), before);
        assert!(s.recent().is_empty());
        assert_eq!(s.passwords.find("postgres://ana@127.0.0.1:1/sales"), None);
        let on_disk = std::fs::read_to_string(dir.path().join("config/recent-workspaces.json"))
            .unwrap_or_default();
        assert!(!on_disk.contains("pw-9f3k"));
    }

    #[test]
    fn the_recent_file_keeps_the_address_and_never_a_password() {
        let dir = tempfile::tempdir().unwrap();
        let s = Session::app(&dir.path().join("data"), &dir.path().join("config"), None);
        s.passwords.keep(&address("sales").shown(), "pw-9f3k");
        s.remember(Remembered::Team {
            team: address("sales"),
        })
        .unwrap();
        let on_disk =
            std::fs::read_to_string(dir.path().join("config/recent-workspaces.json")).unwrap();
        assert!(on_disk.contains("\"dbname\": \"sales\""), "{on_disk}");
        assert!(!on_disk.contains("pw-9f3k"), "{on_disk}");
    }

    #[test]
    fn a_tls_file_that_is_not_there_is_named_before_connecting() {
        let dir = tempfile::tempdir().unwrap();
        let s = Session::app(&dir.path().join("data"), &dir.path().join("config"), None);
        let before = s.current_key();
        let mut a = address("sales");
        a.sslmode = "verify-full".into();
        let missing = dir.path().join("team-ca.crt");
        a.sslrootcert = Some(missing.display().to_string());
        let err = s.connect_team(&a, None).unwrap_err();
        assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
        assert_eq!(
            err.message,
            format!(
                "the root certificate {} (sslrootcert) does not exist",
                missing.display()
            )
        );
        std::fs::write(&missing, "not a certificate\n").unwrap();
        let err = s.connect_team(&a, None).unwrap_err();
        assert!(
            err.message.ends_with(
                "(sslrootcert) is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)"
            ),
            "{}",
            err.message
        );
        assert_eq!(s.current_key(), before);
        assert!(s.recent().is_empty());
        // Without TLS the files are not used, so not checked.
        a.sslmode = "disable".into();
        let err = s.connect_team(&a, None).unwrap_err();
        assert!(err.message.contains("connecting to"), "{}", err.message);
    }
}
