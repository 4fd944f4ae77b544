//! Where a team workspace lives: a connection string in either form libpq takes
//! (`postgres://user@host:port/db?sslmode=require` or `host=… port=… dbname=… user=…`),
//! the password as libpq finds it (in the string, else `PGPASSWORD`, else `~/.pgpass` or
//! `PGPASSFILE`), and `sslmode` as libpq spells it. The password never reaches a message:
//! [`PgTarget::shown`] is what errors and reports name.

use baton_core::{BatonError, Result};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use tokio_postgres::config::{Host, SslMode};

/// A parsed team-workspace location, password resolved.
#[derive(Clone)]
pub struct PgTarget {
    pub(crate) config: tokio_postgres::Config,
    shown: String,
}

impl std::fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Does `s` name a PostgreSQL database rather than a workspace file? A `postgres://` or
/// `postgresql://` URL, or libpq's `key=value` form naming a host or a database.
pub fn is_connection_string(s: &str) -> bool {
    let t = s.trim_start();
    if t.starts_with("postgres://") || t.starts_with("postgresql://") {
        return true;
    }
    t.split_whitespace().any(|w| {
        let key = w.split('=').next().unwrap_or("");
        w.contains('=') && matches!(key, "host" | "hostaddr" | "dbname" | "port" | "user")
    })
}

/// The value libpq's `sslmode` has in `s`, as written, if any (both forms).
fn sslmode_written(s: &str) -> Option<String> {
    let at = s.find("sslmode")?;
    let rest = s[at + "sslmode".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches('\'');
    Some(
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect(),
    )
}

impl PgTarget {
    /// Parse `s` and find the password as libpq would. `env` is the environment
    /// (`PGPASSWORD`, `PGPASSFILE`, `HOME`, `USER`), passed in so tests do not touch the
    /// process's.
    pub fn parse_with_env(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Self> {
        if let Some(mode) = sslmode_written(s) {
            if !matches!(mode.as_str(), "disable" | "prefer" | "require") {
                return Err(BatonError::invalid(format!(
                    "sslmode={mode} is not supported: use disable, prefer or require \
                     (require encrypts without checking the server's certificate, as libpq's does)"
                )));
            }
        }
        let mut config = tokio_postgres::Config::from_str(s).map_err(|e| {
            BatonError::invalid(format!(
                "not a PostgreSQL connection string ({e}): expected \
                 postgres://user@host:port/database or host=… port=… dbname=… user=…"
            ))
        })?;
        if config.get_user().is_none() {
            let user = env("PGUSER").or_else(|| env("USER")).ok_or_else(|| {
                BatonError::invalid("the connection string names no user (add user=… or user@)")
            })?;
            config.user(user);
        }
        if config.get_hosts().is_empty() {
            let host = env("PGHOST").unwrap_or_else(|| "/var/run/postgresql".into());
            config.host(host);
        }
        if config.get_dbname().is_none() {
            let user = config.get_user().unwrap_or_default().to_string();
            config.dbname(env("PGDATABASE").unwrap_or(user));
        }
        if config.get_application_name().is_none() {
            config.application_name("baton");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        let shown = Self::describe(&config);
        if config.get_password().is_none() {
            if let Some(pw) = env("PGPASSWORD") {
                config.password(pw);
            } else if let Some(pw) = pgpass_password(&config, env) {
                config.password(pw);
            }
        }
        Ok(Self { config, shown })
    }

    /// [`Self::parse_with_env`] with the process's environment.
    pub fn parse(s: &str) -> Result<Self> {
        Self::parse_with_env(s, &|k| std::env::var(k).ok())
    }

    /// `postgres://user@host:port/db`, never the password: what messages name.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub fn ssl_mode(&self) -> SslMode {
        self.config.get_ssl_mode()
    }

    /// The same server and user, another database (tests make one per test).
    pub fn with_dbname(&self, dbname: &str) -> Self {
        let mut config = self.config.clone();
        config.dbname(dbname);
        let shown = Self::describe(&config);
        Self { config, shown }
    }

    fn describe(c: &tokio_postgres::Config) -> String {
        let host = match c.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        };
        let port = c.get_ports().first().copied().unwrap_or(5432);
        format!(
            "postgres://{}@{}:{}/{}",
            c.get_user().unwrap_or(""),
            host,
            port,
            c.get_dbname().unwrap_or("")
        )
    }
}

/// The first `~/.pgpass` (or `PGPASSFILE`) entry matching the connection, as libpq reads
/// it: `host:port:database:user:password`, `*` matches anything, `\:` and `\\` escape, a
/// Unix-socket connection matches `localhost`. Like libpq, a file others can read is
/// ignored.
fn pgpass_password(
    c: &tokio_postgres::Config,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let file = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match c.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_string(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432).to_string();
    let want = [
        host.as_str(),
        port.as_str(),
        c.get_dbname().unwrap_or(""),
        c.get_user().unwrap_or(""),
    ];
    pgpass_lookup(&text, &want)
}

/// The password of the first line of a `.pgpass` text whose four fields match `want`
/// (host, port, database, user).
pub(crate) fn pgpass_lookup(text: &str, want: &[&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass_line(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w);
        if matches {
            return Some(fields[4].clone());
        }
    }
    None
}

/// Split on unescaped `:` (the password field keeps any further `:`), unescaping `\:` and `\\`.
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().unwrap().push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn both_forms_of_a_connection_string_parse_to_the_same_place() {
        let env = env_of(&[]);
        let url = PgTarget::parse_with_env("postgres://ana@db.example:6543/team", &env).unwrap();
        let kv = PgTarget::parse_with_env("host=db.example port=6543 dbname=team user=ana", &env)
            .unwrap();
        assert_eq!(url.shown(), "postgres://ana@db.example:6543/team");
        assert_eq!(kv.shown(), url.shown());
        let sock =
            PgTarget::parse_with_env("host=/tmp/pgt.x port=7 user=baton dbname=w", &env).unwrap();
        assert_eq!(sock.shown(), "postgres://baton@/tmp/pgt.x:7/w");
    }

    #[test]
    fn what_is_a_connection_string_and_what_is_a_file() {
        for s in [
            "postgres://a@h/db",
            "postgresql://a@h:1/db",
            "host=h dbname=d",
            "dbname=team",
        ] {
            assert!(is_connection_string(s), "{s}");
        }
        for s in [
            "demo.baton",
            "/tmp/x=y.baton",
            "./team host.baton",
            "C:\\w.baton",
        ] {
            assert!(!is_connection_string(s), "{s}");
        }
    }

    #[test]
    fn sslmode_is_read_as_libpq_spells_it_and_unsupported_modes_are_named() {
        let env = env_of(&[]);
        let mode = |s: &str| PgTarget::parse_with_env(s, &env).unwrap().ssl_mode();
        assert_eq!(mode("postgres://a@h/d?sslmode=disable"), SslMode::Disable);
        assert_eq!(mode("postgres://a@h/d?sslmode=require"), SslMode::Require);
        assert_eq!(mode("host=h user=a sslmode=prefer"), SslMode::Prefer);
        assert_eq!(mode("host=h user=a"), SslMode::Prefer, "libpq's default");
        let err = PgTarget::parse_with_env("host=h user=a sslmode=verify-full", &env).unwrap_err();
        assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
        assert!(
            err.message
                .starts_with("sslmode=verify-full is not supported"),
            "{}",
            err.message
        );
        let err = PgTarget::parse_with_env("postgres://a@h/d?sslmode=bogus", &env).unwrap_err();
        assert!(err.message.contains("sslmode=bogus"), "{}", err.message);
    }

    #[test]
    fn a_bad_string_says_what_was_expected() {
        let err = PgTarget::parse_with_env("host='unterminated", &env_of(&[])).unwrap_err();
        assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
        assert!(
            err.message.contains("expected postgres://"),
            "{}",
            err.message
        );
    }

    #[test]
    fn the_password_comes_from_the_string_then_pgpassword_and_is_never_shown() {
        let env = env_of(&[("PGPASSWORD", "from-env")]);
        let t = PgTarget::parse_with_env("postgres://ana:s3cret@h:5/d", &env).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"s3cret"[..]));
        assert!(!t.shown().contains("s3cret"));
        assert!(!format!("{t:?}").contains("s3cret"));
        let t = PgTarget::parse_with_env("postgres://ana@h:5/d", &env).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"from-env"[..]));
        assert!(!format!("{t:?}").contains("from-env"));
    }

    #[test]
    fn pgpass_lines_match_by_field_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    other:5432:*:ana:wrong\n\
                    db.example:6543:team:ana:first\\:part:rest\n\
                    *:*:*:ana:fallback\n";
        assert_eq!(
            pgpass_lookup(text, &["db.example", "6543", "team", "ana"]).as_deref(),
            Some("first:part:rest")
        );
        assert_eq!(
            pgpass_lookup(text, &["db.example", "6543", "other", "ana"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup(text, &["h", "1", "d", "bob"]), None);
        assert_eq!(
            pgpass_lookup("h\\:x:1:d:u:pw", &["h:x", "1", "d", "u"]).as_deref(),
            Some("pw")
        );
    }

    #[cfg(unix)]
    #[test]
    fn pgpass_file_is_read_from_home_and_ignored_when_others_can_read_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".pgpass");
        std::fs::write(&file, "h:5433:team:ana:from-file\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let home = dir.path().to_str().unwrap();
        let env = env_of(&[("HOME", home)]);
        let t = PgTarget::parse_with_env("postgres://ana@h:5433/team", &env).unwrap();
        assert_eq!(t.config.get_password(), Some(&b"from-file"[..]));
        let other = PgTarget::parse_with_env("postgres://ana@h:5433/sales", &env).unwrap();
        assert_eq!(other.config.get_password(), None);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let t = PgTarget::parse_with_env("postgres://ana@h:5433/team", &env).unwrap();
        assert_eq!(
            t.config.get_password(),
            None,
            "libpq ignores a world-readable .pgpass"
        );
    }
}
