//! Where a team workspace lives: a connection string in either form libpq takes
//! (`postgres://user@host:port/db?sslmode=require` or `host=… port=… dbname=… user=…`),
//! the password as libpq finds it (in the string, else `PGPASSWORD`, else `~/.pgpass` or
//! `PGPASSFILE`), and `sslmode` as libpq spells it. The password never reaches a message:
//! [`PgTarget::shown`] is what errors and reports name.

use super::tls::{TlsParams, TlsSettings};
use baton_core::{BatonError, Result};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use tokio_postgres::config::Host;

/// A parsed team-workspace location, password resolved.
#[derive(Clone)]
pub struct PgTarget {
    pub(crate) config: tokio_postgres::Config,
    shown: String,
    tls: TlsSettings,
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

/// Split the `ssl*` settings this module handles itself (`sslmode`, `sslrootcert`,
/// `sslcert`, `sslkey`) out of a connection string in either form; the rest goes to
/// tokio-postgres as written.
fn take_tls_params(s: &str) -> (String, TlsParams) {
    let mut params = TlsParams::default();
    let t = s.trim();
    if t.starts_with("postgres://") || t.starts_with("postgresql://") {
        let Some((base, query)) = t.split_once('?') else {
            return (t.to_string(), params);
        };
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                !params.take(k, percent_decode(v))
            })
            .collect();
        let rest = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return (rest, params);
    }
    let mut kept = Vec::new();
    for (key, value, raw) in conninfo_pairs(t) {
        if !params.take(&key, value) {
            kept.push(raw);
        }
    }
    (kept.join(" "), params)
}

/// libpq's `key = value` pairs (values bare or in single quotes, `\` escapes), each with
/// its text as written. Anything unparsable is passed on whole for tokio-postgres to name.
fn conninfo_pairs(s: &str) -> Vec<(String, String, String)> {
    let b: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && b[i] != '=' && !b[i].is_whitespace() {
            i += 1;
        }
        let key: String = b[start..i].iter().collect();
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != '=' {
            out.push((key.clone(), String::new(), b[start..i].iter().collect()));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == '\'' {
            i += 1;
            while i < b.len() && b[i] != '\'' {
                if b[i] == '\\' && i + 1 < b.len() {
                    i += 1;
                }
                value.push(b[i]);
                i += 1;
            }
            i = (i + 1).min(b.len());
        } else {
            while i < b.len() && !b[i].is_whitespace() {
                if b[i] == '\\' && i + 1 < b.len() {
                    i += 1;
                }
                value.push(b[i]);
                i += 1;
            }
        }
        out.push((key, value, b[start..i].iter().collect()));
    }
    out
}

/// `%2F` → `/` in a URL's query value.
fn percent_decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(n) = u8::from_str_radix(hex, 16) {
                out.push(n);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl PgTarget {
    /// Parse `s` and find the password as libpq would. `env` is the environment
    /// (`PGPASSWORD`, `PGPASSFILE`, `HOME`, `USER`), passed in so tests do not touch the
    /// process's.
    pub fn parse_with_env(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Self> {
        let (rest, tls) = take_tls_params(s);
        let tls = TlsSettings::resolve(tls, env)?;
        let mut config = tokio_postgres::Config::from_str(&rest).map_err(|e| {
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
        config.ssl_mode(tls.mode.first_try());
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
        Ok(Self { config, shown, tls })
    }

    /// [`Self::parse_with_env`] with the process's environment.
    pub fn parse(s: &str) -> Result<Self> {
        Self::parse_with_env(s, &|k| std::env::var(k).ok())
    }

    /// `postgres://user@host:port/db`, never the password: what messages name.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// libpq's `sslmode` and the certificate files it uses.
    pub fn tls(&self) -> &TlsSettings {
        &self.tls
    }

    /// The same server and user, another database (tests make one per test).
    pub fn with_dbname(&self, dbname: &str) -> Self {
        let mut config = self.config.clone();
        config.dbname(dbname);
        let shown = Self::describe(&config);
        Self {
            config,
            shown,
            tls: self.tls.clone(),
        }
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
    use super::super::tls::TlsMode;
    use super::*;
    use std::collections::HashMap;
    use tokio_postgres::config::SslMode;

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
    fn sslmode_is_read_as_libpq_spells_it_in_either_form() {
        let env = env_of(&[]);
        let tls = |s: &str| PgTarget::parse_with_env(s, &env).unwrap().tls().clone();
        for mode in ["disable", "allow", "prefer", "require"] {
            let url = tls(&format!("postgres://a@h/d?sslmode={mode}"));
            assert_eq!(url.mode.as_str(), mode);
            let kv = tls(&format!("host=h user=a sslmode={mode} dbname=d"));
            assert_eq!(kv.mode.as_str(), mode);
            assert_eq!(url.root_cert, None, "no root.crt: nothing is checked");
        }
        assert_eq!(
            tls("host=h user=a").mode,
            TlsMode::Prefer,
            "libpq's default"
        );
        let t = PgTarget::parse_with_env("postgres://a@h/d?sslmode=allow&application_name=x", &env)
            .unwrap();
        assert_eq!(
            t.config.get_ssl_mode(),
            SslMode::Disable,
            "allow starts without TLS"
        );
        assert_eq!(t.config.get_application_name(), Some("x"));
        let err = PgTarget::parse_with_env("postgres://a@h/d?sslmode=bogus", &env).unwrap_err();
        assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
        assert!(
            err.message
                .contains("sslmode=bogus is not one of disable, allow"),
            "{}",
            err.message
        );
    }

    #[test]
    fn verify_modes_need_a_root_certificate_given_or_in_home() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap().to_string();
        let env = env_of(&[("HOME", &home)]);
        let err = PgTarget::parse_with_env("host=h user=a sslmode=verify-full", &env).unwrap_err();
        let default_root = dir.path().join(".postgresql/root.crt");
        assert!(
            err.message.starts_with(&format!(
                "sslmode=verify-full checks the server's certificate against an authority, but {} does not exist",
                default_root.display()
            )),
            "{}",
            err.message
        );
        std::fs::create_dir_all(dir.path().join(".postgresql")).unwrap();
        std::fs::write(&default_root, "x").unwrap();
        let t = PgTarget::parse_with_env("host=h user=a sslmode=verify-ca", &env).unwrap();
        assert_eq!(t.tls().root_cert.as_deref(), Some(default_root.as_path()));
        assert_eq!(t.config.get_ssl_mode(), SslMode::Require);
        // With a root.crt, require checks the chain as libpq's does.
        let t = PgTarget::parse_with_env("host=h user=a sslmode=require", &env).unwrap();
        assert_eq!(t.tls().root_cert.as_deref(), Some(default_root.as_path()));
        // A path given in the URL (percent-encoded) or quoted with a space.
        let other = dir.path().join("my ca.crt");
        std::fs::write(&other, "x").unwrap();
        let enc = other
            .to_str()
            .unwrap()
            .replace('/', "%2F")
            .replace(' ', "%20");
        let t = PgTarget::parse_with_env(
            &format!("postgres://a@h/d?sslmode=verify-full&sslrootcert={enc}"),
            &env,
        )
        .unwrap();
        assert_eq!(t.tls().root_cert.as_deref(), Some(other.as_path()));
        let t = PgTarget::parse_with_env(
            &format!(
                "host=h sslrootcert='{}' user=a sslmode=verify-full",
                other.display()
            ),
            &env,
        )
        .unwrap();
        assert_eq!(t.tls().root_cert.as_deref(), Some(other.as_path()));
        assert_eq!(t.shown(), "postgres://a@h:5432/a");
        let err =
            PgTarget::parse_with_env("host=h user=a sslmode=verify-ca sslrootcert=system", &env)
                .unwrap_err();
        assert!(
            err.message.contains("sslrootcert=system"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_client_certificate_is_found_as_libpq_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap().to_string();
        let env = env_of(&[("HOME", &home)]);
        let t = PgTarget::parse_with_env("host=h user=a sslmode=require", &env).unwrap();
        assert!(
            t.tls().client.is_none(),
            "no ~/.postgresql/postgresql.crt: none sent"
        );
        let pg = dir.path().join(".postgresql");
        std::fs::create_dir_all(&pg).unwrap();
        std::fs::write(pg.join("postgresql.crt"), "x").unwrap();
        let err = PgTarget::parse_with_env("host=h user=a sslmode=require", &env).unwrap_err();
        assert!(err.message.contains("has no key"), "{}", err.message);
        std::fs::write(pg.join("postgresql.key"), "x").unwrap();
        let t = PgTarget::parse_with_env("host=h user=a sslmode=require", &env).unwrap();
        assert_eq!(
            t.tls().client,
            Some((pg.join("postgresql.crt"), pg.join("postgresql.key")))
        );
        let err =
            PgTarget::parse_with_env("host=h user=a sslcert=/nowhere/c.crt", &env).unwrap_err();
        assert!(
            err.message
                .contains("the client certificate /nowhere/c.crt (sslcert) does not exist"),
            "{}",
            err.message
        );
        let env = env_of(&[("HOME", &home), ("PGSSLMODE", "disable")]);
        let t = PgTarget::parse_with_env("host=h user=a", &env).unwrap();
        assert_eq!(
            t.tls().mode,
            TlsMode::Disable,
            "PGSSLMODE when the string has none"
        );
        assert!(t.tls().client.is_none(), "no TLS: no certificate");
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

    #[test]
    fn sslrootcert_system_means_verify_full_as_in_libpq_16() {
        let env = env_of(&[("SSL_CERT_FILE", "/etc/team/cas.pem")]);
        let t =
            PgTarget::parse_with_env("host=db.example user=a sslrootcert=system", &env).unwrap();
        assert_eq!(
            t.tls().mode,
            TlsMode::VerifyFull,
            "the default becomes verify-full"
        );
        assert_eq!(t.tls().root_cert, None);
        assert_eq!(
            t.tls().system_roots.as_ref().unwrap().file.as_deref(),
            Some(Path::new("/etc/team/cas.pem"))
        );
        let t = PgTarget::parse_with_env(
            "postgres://a@db.example/d?sslrootcert=system&sslmode=verify-full",
            &env_of(&[]),
        )
        .unwrap();
        assert_eq!(t.tls().system_roots, Some(Default::default()));
        for weaker in ["disable", "allow", "prefer", "require", "verify-ca"] {
            let err = PgTarget::parse_with_env(
                &format!("host=h user=a sslrootcert=system sslmode={weaker}"),
                &env_of(&[]),
            )
            .unwrap_err();
            assert!(
                err.message.starts_with(&format!(
                    "sslrootcert=system (this computer's trusted authorities) needs \
                     sslmode=verify-full, not sslmode={weaker}"
                )),
                "{}",
                err.message
            );
        }
        // From the environment too, as libpq reads PGSSLROOTCERT and PGSSLMODE.
        let env = env_of(&[("PGSSLROOTCERT", "system"), ("PGSSLMODE", "require")]);
        assert!(PgTarget::parse_with_env("host=h user=a", &env)
            .unwrap_err()
            .message
            .contains("not sslmode=require"));
        let env = env_of(&[("PGSSLROOTCERT", "system")]);
        let t = PgTarget::parse_with_env("host=h user=a", &env).unwrap();
        assert_eq!(t.tls().mode, TlsMode::VerifyFull);
    }

    #[test]
    fn the_dialogs_address_reads_back_with_its_files() {
        use baton_core::team::TeamAddress;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("team's ca.crt");
        let cert = dir.path().join("me.crt");
        let key = dir.path().join("me.key");
        for f in [&root, &cert, &key] {
            std::fs::write(f, "x").unwrap();
        }
        let path = |p: &Path| Some(p.display().to_string());
        let address = TeamAddress {
            host: "db.example".into(),
            port: 6543,
            dbname: "team".into(),
            user: "ana".into(),
            sslmode: "verify-full".into(),
            sslrootcert: path(&root),
            sslcert: path(&cert),
            sslkey: path(&key),
        };
        let t =
            PgTarget::parse_with_env(&address.conninfo(Some("pw")).unwrap(), &env_of(&[])).unwrap();
        assert_eq!(t.shown(), address.shown());
        assert_eq!(t.tls().mode, TlsMode::VerifyFull);
        assert_eq!(t.tls().root_cert.as_deref(), Some(root.as_path()));
        assert_eq!(t.tls().client, Some((cert.clone(), key.clone())));
        assert_eq!(t.config.get_password(), Some(&b"pw"[..]));

        let mut system = address.clone();
        system.sslrootcert = Some("system".into());
        let t = PgTarget::parse_with_env(&system.conninfo(None).unwrap(), &env_of(&[])).unwrap();
        assert!(t.tls().system_roots.is_some());
        assert_eq!(t.tls().root_cert, None);
    }
}
