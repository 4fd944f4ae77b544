//! Where a team workspace lives, as File → "Connect to a team workspace…" asks for it
//! and the recent list keeps it: never with a password.
use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A team workspace's address: the dialog's fields, kept in the recent list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamAddress {
    /// A server name or address, or a Unix-socket directory (`/var/run/postgresql`).
    pub host: String,
    pub port: u16,
    /// The database holding the team workspace.
    pub dbname: String,
    pub user: String,
    /// libpq's `sslmode`: `disable`, `allow`, `prefer`, `require`, `verify-ca` or
    /// `verify-full` (these two check the certificate against `sslrootcert`).
    pub sslmode: String,
    /// libpq's `sslrootcert`: the file of the authority the server's certificate is
    /// checked against, or `system` (this computer's trusted authorities; it needs
    /// `verify-full`). None: `~/.postgresql/root.crt`.
    #[serde(default)]
    pub sslrootcert: Option<String>,
    /// libpq's `sslcert`: a client certificate file, for servers that ask for one.
    /// None: `~/.postgresql/postgresql.crt` when it exists.
    #[serde(default)]
    pub sslcert: Option<String>,
    /// libpq's `sslkey`: the client certificate's private key file (a path, never the
    /// key). None: `~/.postgresql/postgresql.key`.
    #[serde(default)]
    pub sslkey: Option<String>,
}

/// What became of a password typed into the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum PasswordKept {
    /// None was typed (PGPASSWORD, ~/.pgpass, the keyring or no password at all).
    NoneTyped,
    /// Kept in the OS keyring: the next connection finds it there.
    InKeyring,
    /// No keyring is available: kept until the app quits, not remembered.
    ThisRunOnly,
}

/// The answer to "Connect to a team workspace…".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TeamConnection {
    pub info: crate::workspace::WorkspaceInfo,
    pub password: PasswordKept,
}

impl TeamAddress {
    /// `postgres://user@host:port/db`: how lists and messages name it (no password).
    pub fn shown(&self) -> String {
        format!(
            "postgres://{}@{}:{}/{}",
            self.user.trim(),
            self.host.trim(),
            self.port,
            self.dbname.trim()
        )
    }

    /// The libpq `key=value` connection string, with `password` when given (quoted and
    /// escaped, so any character a user types stays data).
    pub fn conninfo(&self, password: Option<&str>) -> Result<String> {
        let host = self.host.trim();
        let dbname = self.dbname.trim();
        let user = self.user.trim();
        for (field, value) in [("host", host), ("database", dbname), ("user", user)] {
            if value.is_empty() {
                return Err(BatonError::invalid(format!(
                    "the {field} is empty: fill it in to connect"
                )));
            }
        }
        if self.port == 0 {
            return Err(BatonError::invalid(
                "the port must be a number from 1 to 65535 (PostgreSQL's is usually 5432)",
            ));
        }
        if !matches!(
            self.sslmode.as_str(),
            "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full"
        ) {
            return Err(BatonError::invalid(format!(
                "sslmode {:?} is not one of disable, allow, prefer, require, verify-ca, verify-full",
                self.sslmode
            )));
        }
        let mut s = format!(
            "host={} port={} dbname={} user={} sslmode={}",
            quoted(host),
            self.port,
            quoted(dbname),
            quoted(user),
            self.sslmode
        );
        if self.sslmode != "disable" {
            for (key, path) in self.tls_files() {
                s.push_str(&format!(" {key}={}", quoted(path)));
            }
        }
        if let Some(pw) = password {
            s.push_str(" password=");
            s.push_str(&quoted(pw));
        }
        Ok(s)
    }
}

impl TeamAddress {
    /// The TLS files given (`sslrootcert`, `sslcert`, `sslkey` as libpq names them), each
    /// path trimmed; empty ones are not given.
    pub fn tls_files(&self) -> Vec<(&'static str, &str)> {
        [
            ("sslrootcert", &self.sslrootcert),
            ("sslcert", &self.sslcert),
            ("sslkey", &self.sslkey),
        ]
        .into_iter()
        .filter_map(|(key, value)| {
            let v = value.as_deref().map(str::trim).unwrap_or("");
            (!v.is_empty()).then_some((key, v))
        })
        .collect()
    }
}

/// A libpq value in single quotes, `'` and `\` escaped with a backslash.
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> TeamAddress {
        TeamAddress {
            host: "db.example".into(),
            port: 5432,
            dbname: "team".into(),
            user: "ana".into(),
            sslmode: "require".into(),
            sslrootcert: None,
            sslcert: None,
            sslkey: None,
        }
    }

    #[test]
    fn the_connection_string_quotes_every_value() {
        let mut a = address();
        a.dbname = "it's team".into();
        assert_eq!(
            a.conninfo(Some(r"p'w\ x=1")).unwrap(),
            r"host='db.example' port=5432 dbname='it\'s team' user='ana' sslmode=require password='p\'w\\ x=1'"
        );
        assert!(!address().conninfo(None).unwrap().contains("password"));
    }

    #[test]
    fn missing_fields_and_unknown_modes_are_named() {
        let mut a = address();
        a.host = "  ".into();
        assert!(a
            .conninfo(None)
            .unwrap_err()
            .message
            .contains("host is empty"));
        let mut a = address();
        a.port = 0;
        assert!(a.conninfo(None).unwrap_err().message.contains("port"));
        let mut a = address();
        a.sslmode = "verify".into();
        assert!(a
            .conninfo(None)
            .unwrap_err()
            .message
            .contains("\"verify\" is not one of disable, allow"));
        for mode in ["allow", "verify-ca", "verify-full"] {
            a.sslmode = mode.into();
            assert!(a
                .conninfo(None)
                .unwrap()
                .ends_with(&format!("sslmode={mode}")));
        }
    }

    #[test]
    fn the_tls_files_go_in_the_connection_string_quoted() {
        let mut a = address();
        a.sslmode = "verify-full".into();
        a.sslrootcert = Some(" /home/ana/certs/team ca.crt ".into());
        a.sslcert = Some(r"C:\Users\ana\it's.crt".into());
        a.sslkey = Some("".into());
        assert_eq!(
            a.conninfo(Some("pw")).unwrap(),
            r"host='db.example' port=5432 dbname='team' user='ana' sslmode=verify-full sslrootcert='/home/ana/certs/team ca.crt' sslcert='C:\\Users\\ana\\it\'s.crt' password='pw'"
        );
        a.sslrootcert = Some("system".into());
        a.sslcert = None;
        assert!(a
            .conninfo(None)
            .unwrap()
            .ends_with("sslmode=verify-full sslrootcert='system'"));
        // Without TLS the files mean nothing: not passed on.
        a.sslmode = "disable".into();
        assert!(a.conninfo(None).unwrap().ends_with("sslmode=disable"));
        // The address names the place, not the files.
        assert_eq!(a.shown(), "postgres://ana@db.example:5432/team");
    }

    #[test]
    fn an_address_kept_before_the_tls_files_existed_still_reads() {
        let old = r#"{"host":"h","port":5432,"dbname":"d","user":"u","sslmode":"prefer"}"#;
        let a: TeamAddress = serde_json::from_str(old).unwrap();
        assert_eq!(a.sslrootcert, None);
        assert!(a.tls_files().is_empty());
        let mut b = a.clone();
        b.sslrootcert = Some("/etc/team/root.crt".into());
        let again: TeamAddress = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        assert_eq!(again, b, "the paths survive the recent list");
    }
}
