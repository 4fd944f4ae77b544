//! TLS to a team workspace's server, with libpq's meaning of `sslmode`, `sslrootcert`,
//! `sslcert` and `sslkey` (rustls, so it means the same on every platform):
//! - `disable`: never; `allow`: without first, with TLS when the server refuses that;
//!   `prefer` (the default): TLS when the server offers it; `require`: TLS or fail.
//!   None of these checks the certificate, except `require` when a root certificate
//!   exists (given, or `~/.postgresql/root.crt`): then it checks the chain, as libpq does.
//! - `verify-ca`: TLS, the server's chain signed by the authority in `sslrootcert`
//!   (default `~/.postgresql/root.crt`, which must exist); the host name is not checked.
//! - `verify-full`: that, and the certificate names the host connected to.
//! - `sslrootcert=system`: the operating system's trusted authorities instead of a file
//!   (rustls-native-certs; `SSL_CERT_FILE` / `SSL_CERT_DIR` as OpenSSL honours them). As
//!   libpq 16+ does, it makes `verify-full` the default and refuses any weaker mode.
//! - A client certificate `sslcert` + `sslkey` (default `~/.postgresql/postgresql.crt`
//!   and `.key`, used when the certificate file exists) is sent when the server asks.
//!
//! A refusal says why in the user's words ([`Refusal`]), naming the file or the names.
use super::tls_files::{read_certs, read_key, TlsFile};
use baton_core::{BatonError, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_postgres::config::SslMode;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl TlsMode {
    pub(crate) fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            other => {
                return Err(BatonError::invalid(format!(
                    "sslmode={other} is not one of disable, allow, prefer, require, \
                     verify-ca, verify-full"
                )))
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }

    /// The mode tokio-postgres negotiates with (`allow` starts without TLS).
    pub(crate) fn first_try(self) -> SslMode {
        match self {
            Self::Disable | Self::Allow => SslMode::Disable,
            Self::Prefer => SslMode::Prefer,
            Self::Require | Self::VerifyCa | Self::VerifyFull => SslMode::Require,
        }
    }
}

/// What is checked of the server's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Nothing,
    Chain,
    ChainAndName,
}

/// The TLS settings of a connection string, files resolved as libpq resolves them.
#[derive(Debug, Clone)]
pub struct TlsSettings {
    pub mode: TlsMode,
    /// The authority the server's chain is checked against (`None`: not checked, or
    /// the system's, below).
    pub root_cert: Option<PathBuf>,
    /// `sslrootcert=system`: the chain is checked against the system's trusted
    /// authorities (always with `verify-full`).
    pub system_roots: Option<SystemRoots>,
    /// The client certificate and its key, sent when the server asks for one.
    pub client: Option<(PathBuf, PathBuf)>,
}

/// Where the system's trusted authorities are read from: `SSL_CERT_FILE` and the folders
/// of `SSL_CERT_DIR` when either is set (as OpenSSL, and so libpq, honours them), else
/// the platform's store (Windows' certificate store, the macOS keychain, the Linux
/// distribution's bundle).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemRoots {
    pub file: Option<PathBuf>,
    pub dirs: Vec<PathBuf>,
}

impl SystemRoots {
    fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            file: env("SSL_CERT_FILE")
                .filter(|f| !f.is_empty())
                .map(PathBuf::from),
            dirs: env("SSL_CERT_DIR")
                .map(|d| {
                    std::env::split_paths(&d)
                        .filter(|p| !p.as_os_str().is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The authorities, in a store; refused when none is found.
    fn load(&self) -> Result<RootCertStore> {
        let mut certs = Vec::new();
        let mut errors = Vec::new();
        let mut take = |r: rustls_native_certs::CertificateResult| {
            certs.extend(r.certs);
            errors.extend(r.errors.iter().map(|e| e.to_string()));
        };
        if self.file.is_none() && self.dirs.is_empty() {
            take(rustls_native_certs::load_native_certs());
        } else {
            if let Some(file) = &self.file {
                take(rustls_native_certs::load_certs_from_paths(Some(file), None));
            }
            for dir in &self.dirs {
                take(rustls_native_certs::load_certs_from_paths(None, Some(dir)));
            }
        }
        let mut roots = RootCertStore::empty();
        let (added, _unusable) = roots.add_parsable_certificates(certs);
        if added == 0 {
            let mut said = format!(
                "sslrootcert=system: no trusted authority was found on this computer{}",
                self.where_read()
            );
            if !errors.is_empty() {
                said.push_str(&format!(" ({})", errors.join("; ")));
            }
            said.push_str(
                ": give the authority's certificate with sslrootcert=/path/root.crt instead",
            );
            return Err(BatonError::invalid(said));
        }
        Ok(roots)
    }

    fn where_read(&self) -> String {
        let mut at: Vec<String> = Vec::new();
        if let Some(f) = &self.file {
            at.push(format!("SSL_CERT_FILE={}", f.display()));
        }
        if !self.dirs.is_empty() {
            let dirs: Vec<String> = self.dirs.iter().map(|d| d.display().to_string()).collect();
            at.push(format!("SSL_CERT_DIR={}", dirs.join(":")));
        }
        if at.is_empty() {
            String::new()
        } else {
            format!(" (read from {})", at.join(" and "))
        }
    }
}

/// The `ssl*` values of a connection string (or of `PGSSLMODE`, `PGSSLROOTCERT`, …).
#[derive(Debug, Default, Clone)]
pub(crate) struct TlsParams {
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
    pub sslcert: Option<String>,
    pub sslkey: Option<String>,
}

impl TlsParams {
    /// Take `key` if it is one of ours.
    pub(crate) fn take(&mut self, key: &str, value: String) -> bool {
        let slot = match key {
            "sslmode" => &mut self.sslmode,
            "sslrootcert" => &mut self.sslrootcert,
            "sslcert" => &mut self.sslcert,
            "sslkey" => &mut self.sslkey,
            _ => return false,
        };
        *slot = Some(value);
        true
    }
}

impl TlsSettings {
    /// Resolve `p` (the string's values, else `PGSSL*`, else libpq's defaults under
    /// `~/.postgresql`, `%APPDATA%\postgresql` on Windows).
    pub(crate) fn resolve(p: TlsParams, env: &dyn Fn(&str) -> Option<String>) -> Result<Self> {
        let root = p.sslrootcert.or_else(|| env("PGSSLROOTCERT"));
        let system = root.as_deref() == Some("system");
        let mode = match p.sslmode.or_else(|| env("PGSSLMODE")) {
            Some(m) => TlsMode::parse(&m)?,
            // libpq 16+: the system's authorities make verify-full the default.
            None if system => TlsMode::VerifyFull,
            None => TlsMode::Prefer,
        };
        if system && mode != TlsMode::VerifyFull {
            // As libpq: anyone can get a certificate from a public authority for a name
            // they own, so those authorities prove nothing without the host name check.
            return Err(BatonError::invalid(format!(
                "sslrootcert=system (this computer's trusted authorities) needs \
                 sslmode=verify-full, not sslmode={}: a public authority signs a \
                 certificate for anyone's server, so only checking the host name too \
                 proves it is this one (leave sslmode out, or set it to verify-full)",
                mode.as_str()
            )));
        }
        if mode == TlsMode::Disable {
            return Ok(Self {
                mode,
                root_cert: None,
                system_roots: None,
                client: None,
            });
        }
        let home_dir = if cfg!(windows) {
            env("APPDATA").map(|d| Path::new(&d).join("postgresql"))
        } else {
            env("HOME").map(|d| Path::new(&d).join(".postgresql"))
        };
        let in_home = |name: &str| home_dir.as_ref().map(|d| d.join(name));

        let verify = matches!(mode, TlsMode::VerifyCa | TlsMode::VerifyFull);
        let system_roots = system.then(|| SystemRoots::from_env(env));
        let root = if system {
            None
        } else {
            root.map(PathBuf::from).or_else(|| in_home("root.crt"))
        };
        let root_cert = match root {
            Some(path) if path.is_file() => Some(path),
            Some(path) if verify => {
                return Err(BatonError::invalid(format!(
                    "sslmode={} checks the server's certificate against an authority, but \
                     {} does not exist: give the authority's certificate with \
                     sslrootcert=/path/root.crt, or use sslmode=require to encrypt \
                     without checking",
                    mode.as_str(),
                    path.display()
                )))
            }
            None if verify && !system => {
                return Err(BatonError::invalid(format!(
                    "sslmode={} checks the server's certificate against an authority: \
                     give its certificate with sslrootcert=/path/root.crt",
                    mode.as_str()
                )))
            }
            _ => None,
        };

        let cert_given = p.sslcert.or_else(|| env("PGSSLCERT"));
        let key_given = p.sslkey.or_else(|| env("PGSSLKEY"));
        let client = match cert_given {
            Some(cert) if !Path::new(&cert).is_file() => {
                return Err(BatonError::invalid(format!(
                    "the client certificate {cert} (sslcert) does not exist"
                )))
            }
            Some(cert) => Some(PathBuf::from(cert)),
            None => in_home("postgresql.crt").filter(|c| c.is_file()),
        };
        let client = match client {
            None => None,
            Some(cert) => {
                let key = key_given
                    .map(PathBuf::from)
                    .or_else(|| in_home("postgresql.key"))
                    .unwrap_or_else(|| cert.with_extension("key"));
                if !key.is_file() {
                    return Err(BatonError::invalid(format!(
                        "the client certificate {} has no key: {} does not exist \
                         (give it with sslkey=/path/postgresql.key)",
                        cert.display(),
                        key.display()
                    )));
                }
                Some((cert, key))
            }
        };
        Ok(Self {
            mode,
            root_cert,
            system_roots,
            client,
        })
    }

    fn check(&self) -> Check {
        match (self.mode, &self.root_cert) {
            (TlsMode::VerifyFull, _) => Check::ChainAndName,
            (TlsMode::VerifyCa, _) | (TlsMode::Require, Some(_)) => Check::Chain,
            _ => Check::Nothing,
        }
    }

    /// The connector tokio-postgres uses for TLS with these settings.
    pub(crate) fn connector(&self) -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
        // ring: pure Rust and C, builds everywhere without cmake or NASM (aws-lc-rs needs
        // them on Windows); rustls marks it deprecated only for lacking post-quantum
        // key exchange, which PostgreSQL servers do not offer yet either.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let check = self.check();
        let roots = match (check, &self.root_cert, &self.system_roots) {
            (Check::Nothing, _, _) => None,
            (_, Some(root), _) => {
                let mut roots = RootCertStore::empty();
                for cert in read_certs(root, TlsFile::RootCert)? {
                    roots.add(cert).map_err(|e| {
                        TlsFile::RootCert.problem(root, format!("cannot be used: {e}"))
                    })?;
                }
                Some(roots)
            }
            (_, None, Some(system)) => Some(system.load()?),
            (_, None, None) => {
                return Err(BatonError::internal(
                    "a checking sslmode without an authority to check against",
                ))
            }
        };
        let webpki = match roots {
            None => None,
            Some(roots) => Some(
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| {
                        BatonError::invalid(format!(
                            "the authorities to check the server against cannot be used: {e}"
                        ))
                    })?,
            ),
        };
        let unknown_issuer = match (&self.root_cert, &self.system_roots) {
            (Some(root), _) => format!(
                "the server's certificate is not signed by the authority in {}",
                root.display()
            ),
            (None, Some(system)) => format!(
                "the server's certificate is not signed by any authority this computer \
                 trusts (sslrootcert=system){}",
                system.where_read()
            ),
            (None, None) => "the server's certificate is not signed by a trusted authority".into(),
        };
        let verifier = Arc::new(Verifier {
            check,
            webpki,
            unknown_issuer,
            provider: provider.clone(),
        });
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| BatonError::internal(format!("setting up TLS: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match &self.client {
            None => builder.with_no_client_auth(),
            Some((cert, key)) => {
                let certs = read_certs(cert, TlsFile::ClientCert)?;
                let key = read_key(key)?;
                builder.with_client_auth_cert(certs, key).map_err(|e| {
                    BatonError::invalid(format!(
                        "the client certificate {} and its key do not go together: {e}",
                        cert.display()
                    ))
                })?
            }
        };
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
    }
}

/// Why a server's certificate was refused, in the user's words.
#[derive(Debug)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

#[derive(Debug)]
struct Verifier {
    check: Check,
    webpki: Option<Arc<WebPkiServerVerifier>>,
    /// What an unknown issuer means here (names the root file, or the system's store).
    unknown_issuer: String,
    provider: Arc<CryptoProvider>,
}

impl Verifier {
    fn refuse(&self, e: rustls::Error, host: &ServerName<'_>) -> rustls::Error {
        let said = match &e {
            rustls::Error::InvalidCertificate(c) => match c {
                CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                    self.unknown_issuer.clone()
                }
                CertificateError::NotValidForNameContext { presented, .. } => format!(
                    "the server's certificate is for {}, not {}",
                    names(presented),
                    host_text(host)
                ),
                CertificateError::NotValidForName => {
                    format!("the server's certificate is not for {}", host_text(host))
                }
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    "the server's certificate has expired".to_string()
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    "the server's certificate is not valid yet (check this computer's clock)"
                        .to_string()
                }
                other => format!("the server's certificate was refused: {other:?}"),
            },
            other => format!("the server's certificate was refused: {other}"),
        };
        rustls::Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(Arc::new(
            Refusal(said),
        ))))
    }
}

/// `DnsName("db.example")`, `IpAddress(10.0.0.5)` (webpki's spelling) → `db.example, 10.0.0.5`.
fn names(presented: &[String]) -> String {
    let shown: Vec<String> = presented
        .iter()
        .map(|p| {
            let inner = p
                .split_once('(')
                .map(|(_, rest)| rest.trim_end_matches(')'))
                .unwrap_or(p);
            inner.trim_matches('"').to_string()
        })
        .collect();
    if shown.is_empty() {
        "no host name (it has no subject alternative name)".to_string()
    } else {
        shown.join(", ")
    }
}

fn host_text(host: &ServerName<'_>) -> String {
    match host {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => format!("{other:?}"),
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(webpki) = &self.webpki else {
            return Ok(ServerCertVerified::assertion());
        };
        match webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Ok(v) => Ok(v),
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.check == Check::Chain => Ok(ServerCertVerified::assertion()),
            Err(e) => Err(self.refuse(e, server_name)),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The refusal (or TLS failure) behind a connection error, in the user's words.
pub(crate) fn tls_failure(e: &tokio_postgres::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if let Some(rustls::Error::InvalidCertificate(CertificateError::Other(other))) =
                    inner.downcast_ref::<rustls::Error>()
                {
                    if let Some(r) = other.0.downcast_ref::<Refusal>() {
                        return Some(r.0.clone());
                    }
                }
                if let Some(rustls::Error::AlertReceived(alert)) =
                    inner.downcast_ref::<rustls::Error>()
                {
                    return Some(format!(
                        "the server refused the TLS connection ({alert:?}); if it asks for \
                         a client certificate, give one with sslcert=… and sslkey=…"
                    ));
                }
            }
        }
        source = err.source();
    }
    let text = e.to_string();
    if text.contains("server does not support TLS") {
        return Some(
            "the server does not accept encrypted connections (this sslmode requires them)"
                .to_string(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webpki_names_read_as_a_user_writes_them() {
        assert_eq!(
            names(&[
                "DnsName(\"db.example\")".into(),
                "IpAddress(10.0.0.5)".into()
            ]),
            "db.example, 10.0.0.5"
        );
        assert!(names(&[]).starts_with("no host name"));
    }
}
