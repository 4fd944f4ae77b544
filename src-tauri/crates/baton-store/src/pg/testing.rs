//! For tests that need a PostgreSQL server (feature `pg-tests`): the server is the one
//! `BATON_TEST_PG` names (scripts/with-pg.sh starts a throwaway cluster and sets it);
//! each test gets a database of its own, dropped when the test ends.

use super::PgTarget;
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the test server.
pub const ENV: &str = "BATON_TEST_PG";

/// A fresh, empty database on the test server (collation ICU en-US), dropped (with its
/// connections) on drop.
pub struct TestDb {
    admin: PgTarget,
    pub name: String,
    pub target: PgTarget,
    /// The connection string of this database, as a user would type it.
    pub url: String,
}

/// Run `sql` on the test server's admin database.
pub fn admin_exec(admin: &PgTarget, sql: &str) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let (client, conn) = admin
            .config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| format!("connecting to the test server {}: {e}", admin.shown()))?;
        let driver = tokio::spawn(conn);
        let done = client
            .batch_execute(sql)
            .await
            .map_err(|e| format!("{sql}: {e}"));
        drop(client);
        let _ = driver.await;
        done
    })
}

impl TestDb {
    pub fn new() -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let url = std::env::var(ENV).unwrap_or_else(|_| {
            panic!(
                "{ENV} is not set: the PostgreSQL tests need a server. Run them through \
                 scripts/with-pg.sh, e.g. scripts/with-pg.sh cargo test -p baton-store --features pg-tests"
            )
        });
        let admin = PgTarget::parse(&url).unwrap();
        let name = format!(
            "baton_t_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        admin_exec(&admin, &format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        // A locale that sorts unlike the file (ICU en-US: "ana" < "Bo" < "Élise"), as a
        // team's server may: a list ordered without `COLLATE "C"` shows it.
        admin_exec(
            &admin,
            &format!(
                "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' \
                 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            ),
        )
        .unwrap();
        let target = admin.with_dbname(&name);
        let url = format!(
            "{}/{name}",
            url.rsplit_once('/')
                .expect("BATON_TEST_PG is a postgres:// URL")
                .0
        );
        Self {
            admin,
            name,
            target,
            url,
        }
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Never panic here (a failing test is unwinding through it).
        let _ = admin_exec(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// A throwaway cluster of a test's own (`scripts/pg-cluster.sh start OPTIONS`, e.g.
/// `--tls` or `--password PW`), whatever `BATON_TEST_PG` names; stopped and removed on
/// drop. Needs root and Debian's postgresql, as scripts/with-pg.sh does.
pub struct OwnCluster {
    pub dir: String,
    pub port: u16,
    /// `--tls`: the certificates the script made (root.crt, server.crt, client.crt, …).
    pub tls_dir: Option<std::path::PathBuf>,
}

impl OwnCluster {
    fn script() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../scripts/pg-cluster.sh")
    }

    pub fn start(options: &[&str]) -> Self {
        let out = std::process::Command::new("bash")
            .arg(Self::script())
            .arg("start")
            .args(options)
            .output()
            .expect("running scripts/pg-cluster.sh");
        assert!(
            out.status.success(),
            "pg-cluster.sh start {options:?} failed (run as root with postgresql installed):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let exports = String::from_utf8(out.stdout).unwrap();
        let get = |name: &str| {
            exports
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .map(str::to_string)
        };
        let url = get("BATON_TEST_PG").expect("BATON_TEST_PG exported");
        let port = url
            .rsplit(':')
            .next()
            .and_then(|p| p.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("a port in BATON_TEST_PG");
        Self {
            dir: get("BATON_PG_CLUSTER").expect("BATON_PG_CLUSTER exported"),
            port,
            tls_dir: get("BATON_PG_TLS_DIR").map(Into::into),
        }
    }

    /// The superuser `baton`, trusted, over the cluster's Unix socket.
    pub fn admin(&self) -> PgTarget {
        PgTarget::parse(&format!(
            "host={} port={} user=baton dbname=postgres sslmode=disable",
            self.dir, self.port
        ))
        .unwrap()
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg(Self::script())
            .args(["stop", &self.dir])
            .status();
    }
}
