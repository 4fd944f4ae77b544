//! The CLI on a server that demands a password (scram-sha-256 on 127.0.0.1): it finds
//! it in `PGPASSWORD` or `~/.pgpass` / `PGPASSFILE` as libpq does, says what is missing
//! or wrong, and never prints it. Starts its own cluster (`scripts/pg-cluster.sh start
//! --password PW`; root, postgresql installed); feature `pg-tests`.
use baton_store::pg::testing::{admin_exec, OwnCluster};
use std::path::Path;
use std::process::Command;

const PASSWORD: &str = "pw-cli 'q7;$$:x";

/// `baton --workspace URL ARGS…` with only `env` of the PG* variables; (ok, stdout, stderr).
fn baton(url: &str, args: &[&str], env: &[(&str, &str)], home: &Path) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baton"));
    cmd.arg("--workspace").arg(url).args(args);
    for var in ["PGPASSWORD", "PGPASSFILE", "PGUSER", "PGHOST", "PGSSLMODE"] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home);
    cmd.env("BATON_CACHE_DIR", home.join("cache"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn the_cli_finds_the_password_in_pgpassword_or_pgpass_and_never_prints_it() {
    let cluster = OwnCluster::start(&["--password", PASSWORD]);
    admin_exec(&cluster.admin(), "CREATE DATABASE team_pw OWNER ana").unwrap();
    let url = format!("postgres://ana@127.0.0.1:{}/team_pw", cluster.port);
    let home = tempfile::tempdir().unwrap();
    let never_shown = |out: &str, err: &str| {
        assert!(
            !out.contains(PASSWORD) && !err.contains(PASSWORD),
            "{out}\n{err}"
        );
    };

    // No password anywhere: the message says the server asks for one, and where to put it.
    let (ok, out, err) = baton(&url, &["init"], &[], home.path());
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "connecting to {url}: the server asks for a password"
        )),
        "{err}"
    );
    assert!(err.contains("PGPASSWORD"), "{err}");
    never_shown(&out, &err);

    // A wrong one: the server's words.
    let (ok, out, err) = baton(&url, &["init"], &[("PGPASSWORD", "wrong-pw")], home.path());
    assert!(!ok);
    assert!(
        err.contains("password authentication failed for user \"ana\""),
        "{err}"
    );
    assert!(!err.contains("wrong-pw"), "{err}");
    never_shown(&out, &err);

    // PGPASSWORD.
    let (ok, out, err) = baton(&url, &["init"], &[("PGPASSWORD", PASSWORD)], home.path());
    assert!(ok, "{err}");
    never_shown(&out, &err);
    let overview = |env: &[(&str, &str)]| baton(&url, &["overview", "--json"], env, home.path());
    let (ok, out, err) = overview(&[("PGPASSWORD", PASSWORD)]);
    assert!(ok, "{err}");
    assert!(out.contains("\"records\""), "{out}");
    never_shown(&out, &err);

    // ~/.pgpass (the password holds ':' and '\\', escaped as libpq reads them).
    let line = format!(
        "127.0.0.1:{}:team_pw:ana:{}\n",
        cluster.port,
        PASSWORD.replace('\\', "\\\\").replace(':', "\\:")
    );
    write_private(&home.path().join(".pgpass"), &line, 0o600);
    let (ok, out, err) = overview(&[]);
    assert!(ok, "~/.pgpass: {err}");
    never_shown(&out, &err);
    // …ignored, as libpq does, when others can read it.
    write_private(&home.path().join(".pgpass"), &line, 0o644);
    let (ok, _, err) = overview(&[]);
    assert!(!ok && err.contains("asks for a password"), "{err}");

    // PGPASSFILE names another file.
    let other = home.path().join("team.pgpass");
    write_private(&other, &line.replace("team_pw", "*"), 0o600);
    let (ok, out, err) = overview(&[("PGPASSFILE", other.to_str().unwrap())]);
    assert!(ok, "PGPASSFILE: {err}");
    never_shown(&out, &err);
}
