//! TLS as libpq means it, against a real server: a throwaway cluster with `ssl=on` and
//! certificates made with openssl (`scripts/pg-cluster.sh start --tls`: an authority, a
//! server certificate for `localhost` only, another authority, a client certificate).
//! Each `sslmode` connects or is refused as libpq's does, and what the server saw
//! (`pg_stat_ssl`) is checked. These start their own cluster (root, postgresql
//! installed), whatever `BATON_TEST_PG` names.
use super::testing::OwnCluster;
use super::{PgTarget, PgWorkspace};
use baton_core::{ErrorCode, Result};

struct TlsCluster {
    own: OwnCluster,
    port: u16,
    /// An empty home: no `~/.postgresql` files unless a test puts them there.
    home: tempfile::TempDir,
}

impl TlsCluster {
    fn start() -> Self {
        let own = OwnCluster::start(&["--tls"]);
        Self {
            port: own.port,
            own,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cert(&self, name: &str) -> String {
        self.own
            .tls_dir
            .as_ref()
            .unwrap()
            .join(name)
            .display()
            .to_string()
    }

    /// `extra` as typed after `host=… port=… user=… dbname=postgres`.
    fn target(&self, host: &str, user: &str, extra: &str) -> Result<PgTarget> {
        let home = self.home.path().to_str().unwrap().to_string();
        let env = move |k: &str| (k == "HOME").then(|| home.clone());
        PgTarget::parse_with_env(
            &format!(
                "host={host} port={} user={user} dbname=postgres {extra}",
                self.port
            ),
            &env,
        )
    }

    /// Connect; what the server saw of this connection (`pg_stat_ssl`).
    fn connect(&self, host: &str, user: &str, extra: &str) -> Result<Seen> {
        let ws = PgWorkspace::connect(&self.target(host, user, extra)?)?;
        Ok(if ssl_in_use(&ws)? { Tls } else { Plain })
    }
}

fn ssl_in_use(ws: &PgWorkspace) -> Result<bool> {
    ws.run(async {
        let c = ws.pool().get().await.unwrap();
        let row = c
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .await
            .unwrap();
        Ok(row.get::<_, bool>(0))
    })
}

#[derive(Debug, PartialEq)]
enum Seen {
    Tls,
    Plain,
}
use Seen::{Plain, Tls};

fn refused(r: Result<Seen>) -> String {
    let err = r.expect_err("expected a refusal");
    assert_eq!(err.code, ErrorCode::Io, "{}", err.message);
    err.message
}

#[test]
fn each_sslmode_connects_or_is_refused_as_libpq_does() {
    let c = TlsCluster::start();
    let ip = "127.0.0.1";
    let root = c.cert("root.crt");
    let other = c.cert("other-root.crt");

    // disable: never TLS; a role the server trusts only over TLS is refused.
    assert_eq!(c.connect(ip, "baton", "sslmode=disable").unwrap(), Plain);
    let msg = refused(c.connect(ip, "tls_only", "sslmode=disable"));
    assert!(msg.contains("no encryption"), "{msg}");

    // allow: without TLS first, with it when the server refuses that.
    assert_eq!(c.connect(ip, "baton", "sslmode=allow").unwrap(), Plain);
    assert_eq!(c.connect(ip, "tls_only", "sslmode=allow").unwrap(), Tls);

    // prefer (the default): TLS when offered, without it when TLS is refused.
    assert_eq!(c.connect(ip, "baton", "sslmode=prefer").unwrap(), Tls);
    assert_eq!(c.connect(ip, "baton", "").unwrap(), Tls);
    assert_eq!(
        c.connect(ip, "plain_only", "sslmode=prefer").unwrap(),
        Plain
    );

    // require: encrypted, the certificate not checked when no root certificate exists
    // (this one is signed by an authority we were not given, for another name).
    assert_eq!(c.connect(ip, "baton", "sslmode=require").unwrap(), Tls);
    refused(c.connect(ip, "plain_only", "sslmode=require"));
    // …but with a root certificate given, require checks the chain, as libpq's does.
    let msg = refused(c.connect(ip, "baton", &format!("sslmode=require sslrootcert={other}")));
    assert!(
        msg.ends_with(&format!(
            "the server's certificate is not signed by the authority in {other}"
        )),
        "{msg}"
    );

    // verify-ca: the chain against sslrootcert, not the host name.
    assert_eq!(
        c.connect(
            ip,
            "baton",
            &format!("sslmode=verify-ca sslrootcert={root}")
        )
        .unwrap(),
        Tls
    );
    let msg = refused(c.connect(
        ip,
        "baton",
        &format!("sslmode=verify-ca sslrootcert={other}"),
    ));
    assert!(
        msg.ends_with(&format!(
            "the server's certificate is not signed by the authority in {other}"
        )),
        "{msg}"
    );
    assert!(
        msg.starts_with(&format!(
            "connecting to postgres://baton@127.0.0.1:{}/postgres",
            c.port
        )),
        "{msg}"
    );

    // verify-full: the chain and the name connected to.
    let msg = refused(c.connect(
        ip,
        "baton",
        &format!("sslmode=verify-full sslrootcert={root}"),
    ));
    assert!(
        msg.ends_with("the server's certificate is for localhost, not 127.0.0.1"),
        "{msg}"
    );
    assert_eq!(
        c.connect(
            "localhost",
            "baton",
            &format!("sslmode=verify-full sslrootcert={root}")
        )
        .unwrap(),
        Tls
    );
    let msg = refused(c.connect(
        "localhost",
        "baton",
        &format!("sslmode=verify-full sslrootcert={other}"),
    ));
    assert!(msg.contains("not signed by the authority in"), "{msg}");

    // The default root certificate: ~/.postgresql/root.crt.
    let pg = c.home.path().join(".postgresql");
    std::fs::create_dir_all(&pg).unwrap();
    std::fs::copy(&root, pg.join("root.crt")).unwrap();
    assert_eq!(
        c.connect("localhost", "baton", "sslmode=verify-full")
            .unwrap(),
        Tls
    );
    std::fs::copy(&other, pg.join("root.crt")).unwrap();
    let msg = refused(c.connect(ip, "baton", "sslmode=require"));
    assert!(
        msg.ends_with(&format!(
            "not signed by the authority in {}",
            pg.join("root.crt").display()
        )),
        "{msg}"
    );
}

#[test]
fn a_client_certificate_is_sent_and_the_listener_uses_the_same_tls() {
    let c = TlsCluster::start();
    let root = c.cert("root.crt");
    let cert = c.cert("client.crt");
    let key = c.cert("client.key");
    let full = format!("sslmode=verify-full sslrootcert={root}");

    // tls_cert may only log in with a certificate signed by the server's authority.
    let msg = refused(c.connect("localhost", "tls_cert", &full));
    assert!(msg.contains("certificate"), "{msg}");
    assert_eq!(
        c.connect(
            "localhost",
            "tls_cert",
            &format!("{full} sslcert={cert} sslkey={key}")
        )
        .unwrap(),
        Tls
    );
    // The default files: ~/.postgresql/postgresql.crt and .key.
    let pg = c.home.path().join(".postgresql");
    std::fs::create_dir_all(&pg).unwrap();
    std::fs::copy(&cert, pg.join("postgresql.crt")).unwrap();
    std::fs::copy(&key, pg.join("postgresql.key")).unwrap();
    assert_eq!(c.connect("localhost", "tls_cert", &full).unwrap(), Tls);
    std::fs::remove_file(pg.join("postgresql.crt")).unwrap();

    // A team workspace on a role trusted only over TLS: the pool and the change
    // listener both connect with TLS (a listener without it would be refused).
    let admin = PgWorkspace::connect(&c.own.admin()).unwrap();
    admin
        .run(async {
            let client = admin.pool().get().await.unwrap();
            client
                .batch_execute("CREATE DATABASE team_tls OWNER tls_only")
                .await
                .unwrap();
            Ok(())
        })
        .unwrap();
    let target = c
        .target(
            "localhost",
            "tls_only",
            &format!("sslmode=verify-ca sslrootcert={root}"),
        )
        .unwrap()
        .with_dbname("team_tls");
    let ws = PgWorkspace::open(&target).unwrap();
    assert!(ssl_in_use(&ws).unwrap());
    let _listener = ws.listen().unwrap();
    let listening_with_tls: i64 = admin
        .run(async {
            let client = admin.pool().get().await.unwrap();
            let row = client
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) \
                     WHERE a.query = 'LISTEN baton_change' AND s.ssl AND a.usename = 'tls_only'",
                    &[],
                )
                .await
                .unwrap();
            Ok(row.get(0))
        })
        .unwrap();
    assert_eq!(listening_with_tls, 1);
}

/// `sslrootcert=system`: the chain is checked against the system's trusted authorities —
/// here `SSL_CERT_FILE` / `SSL_CERT_DIR`, which rustls-native-certs honours as OpenSSL
/// does — and the host name too (verify-full, libpq's only mode for it).
#[test]
fn sslrootcert_system_checks_the_server_against_the_systems_authorities() {
    let c = TlsCluster::start();
    let root = c.cert("root.crt");
    let other = c.cert("other-root.crt");
    let home = c.home.path().to_str().unwrap().to_string();
    let connect = |host: &str, extra: &str, cert_env: (&str, &str)| -> Result<Seen> {
        let (var, value) = (cert_env.0.to_string(), cert_env.1.to_string());
        let home = home.clone();
        let env = move |k: &str| match k {
            "HOME" => Some(home.clone()),
            k if k == var => Some(value.clone()),
            _ => None,
        };
        let target = PgTarget::parse_with_env(
            &format!(
                "host={host} port={} user=baton dbname=postgres {extra}",
                c.port
            ),
            &env,
        )?;
        let ws = PgWorkspace::connect(&target)?;
        Ok(if ssl_in_use(&ws)? { Tls } else { Plain })
    };

    // The test authority among the system's: verify-full by default, and it connects.
    assert_eq!(
        connect("localhost", "sslrootcert=system", ("SSL_CERT_FILE", &root)).unwrap(),
        Tls
    );
    // The same through a folder of authorities (SSL_CERT_DIR).
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&root, dir.path().join("team.pem")).unwrap();
    let dir_s = dir.path().to_str().unwrap();
    assert_eq!(
        connect(
            "localhost",
            "sslrootcert=system sslmode=verify-full",
            ("SSL_CERT_DIR", dir_s)
        )
        .unwrap(),
        Tls
    );
    // The host name is checked: the certificate is for localhost only.
    let msg = refused(connect(
        "127.0.0.1",
        "sslrootcert=system",
        ("SSL_CERT_FILE", &root),
    ));
    assert!(
        msg.ends_with("the server's certificate is for localhost, not 127.0.0.1"),
        "{msg}"
    );
    // Signed by no authority the system trusts.
    let msg = refused(connect(
        "localhost",
        "sslrootcert=system",
        ("SSL_CERT_FILE", &other),
    ));
    assert!(
        msg.ends_with(&format!(
            "the server's certificate is not signed by any authority this computer trusts \
             (sslrootcert=system) (read from SSL_CERT_FILE={other})"
        )),
        "{msg}"
    );
    // The platform's own store (this machine's bundle) does not hold the test authority.
    let msg = refused(connect("localhost", "sslrootcert=system", ("UNSET", "")));
    assert!(
        msg.ends_with(
            "the server's certificate is not signed by any authority this computer trusts \
             (sslrootcert=system)"
        ),
        "{msg}"
    );
    // Weaker modes are refused before connecting, as libpq refuses them.
    let err = connect(
        "localhost",
        "sslrootcert=system sslmode=require",
        ("SSL_CERT_FILE", &root),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message
            .contains("needs sslmode=verify-full, not sslmode=require"),
        "{}",
        err.message
    );
    // No authority found at all: said, with where it looked.
    let err = connect(
        "localhost",
        "sslrootcert=system",
        ("SSL_CERT_FILE", "/nowhere/cas.pem"),
    )
    .unwrap_err();
    assert!(
        err.message.contains(
            "sslrootcert=system: no trusted authority was found on this computer \
             (read from SSL_CERT_FILE=/nowhere/cas.pem)"
        ),
        "{}",
        err.message
    );
}
