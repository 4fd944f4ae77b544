//! The certificate and key files a connection names (`sslrootcert`, `sslcert`, `sslkey`),
//! read with messages in the user's words that name the setting and the path: the file
//! is missing, is a folder, cannot be read, or is not a PEM certificate / key.
use baton_core::{BatonError, Result};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;

/// Which of the three files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlsFile {
    RootCert,
    ClientCert,
    ClientKey,
}

impl TlsFile {
    /// libpq's name of the setting.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::RootCert => "sslrootcert",
            Self::ClientCert => "sslcert",
            Self::ClientKey => "sslkey",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::RootCert => "root certificate",
            Self::ClientCert => "client certificate",
            Self::ClientKey => "client key",
        }
    }

    /// `the root certificate /p/root.crt (sslrootcert) {problem}`.
    pub(crate) fn problem(self, path: &Path, problem: impl std::fmt::Display) -> BatonError {
        BatonError::invalid(format!(
            "the {} {} ({}) {problem}",
            self.noun(),
            path.display(),
            self.key()
        ))
    }
}

fn read(path: &Path, file: TlsFile) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(file.problem(path, "is a folder, not a file"));
    }
    std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => file.problem(path, "does not exist"),
        std::io::ErrorKind::PermissionDenied => {
            file.problem(path, "cannot be read: permission denied")
        }
        _ => file.problem(path, format!("cannot be read: {e}")),
    })
}

/// The certificates in a PEM file (an authority's, or a client certificate and its chain).
pub(crate) fn read_certs(path: &Path, file: TlsFile) -> Result<Vec<CertificateDer<'static>>> {
    let bytes = read(path, file)?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| file.problem(path, format!("is not a PEM certificate ({e})")))?;
    if certs.is_empty() {
        let holds_key = String::from_utf8_lossy(&bytes).contains("PRIVATE KEY-----");
        return Err(file.problem(
            path,
            if holds_key {
                "holds a private key, not a certificate (expected -----BEGIN CERTIFICATE-----)"
            } else {
                "is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)"
            },
        ));
    }
    Ok(certs)
}

/// A client certificate's private key: PEM (PKCS#1, PKCS#8 or SEC1), and, as libpq
/// requires on Unix, not readable by others.
pub(crate) fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>> {
    let file = TlsFile::ClientKey;
    let bytes = read(path, file)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0);
        if mode & 0o037 != 0 {
            return Err(file.problem(
                path,
                format!(
                    "can be read by others: make it yours only (chmod 600 {}), as libpq requires",
                    path.display()
                ),
            ));
        }
    }
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|_| {
        let holds_cert = String::from_utf8_lossy(&bytes).contains("CERTIFICATE-----");
        file.problem(
            path,
            if holds_cert {
                "holds a certificate, not a private key (expected -----BEGIN PRIVATE KEY-----)"
            } else {
                "is not a PEM private key (expected -----BEGIN PRIVATE KEY-----, \
                 RSA PRIVATE KEY or EC PRIVATE KEY)"
            },
        )
    })
}

/// Check the files a user chose (File → "Connect to a team workspace…"): each one given
/// must exist and hold what its setting expects, whatever the `sslmode` would make of
/// it, so a wrong choice is named before connecting. `sslrootcert=system` names no file.
pub fn check_tls_files(
    sslrootcert: Option<&str>,
    sslcert: Option<&str>,
    sslkey: Option<&str>,
) -> Result<()> {
    fn given(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    if let Some(root) = given(sslrootcert).filter(|r| *r != "system") {
        read_certs(Path::new(root), TlsFile::RootCert)?;
    }
    if let Some(cert) = given(sslcert) {
        read_certs(Path::new(cert), TlsFile::ClientCert)?;
    }
    if let Some(key) = given(sslkey) {
        if given(sslcert).is_none() {
            return Err(BatonError::invalid(format!(
                "the client key {key} (sslkey) goes with a client certificate: \
                 choose the certificate (sslcert) too"
            )));
        }
        read_key(Path::new(key))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate and its key (made once with openssl for these tests;
    /// nothing trusts it).
    const CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIUKBjnZRHTkz56eXVmZm+2fH8Xn8UwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKYmF0b24tdGVzdDAeFw0yNjEyMDYxNjM1MTRaFw0zNjEyMDMx
NjM1MTRaMBUxEzARBgNVBAMMCmJhdG9uLXRlc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASU0fDkISBeYFNBRYrMUC3ZTUAH2VFtZKrsUN5g7K5UVS8KB0qbM9UW
LwbTE5tmoNHay+BP0cyHm7bbIJQZJAcCo1MwUTAdBgNVHQ4EFgQU1HllymF0AbEC
8D2ZWhLWT4Rq8d0wHwYDVR0jBBgwFoAU1HllymF0AbEC8D2ZWhLWT4Rq8d0wDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAkksf98eqdVZrJb2MhYDU
KIOhgxg9hlA2MlFBIpYSjM4CIGAmNaa8D6W6UczDgH0zP3bk2fCfx1w0pZKuWF1y
tKds
-----END CERTIFICATE-----
";
    const KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQ2SZuiCZYta9nv1P
m09RPqTQGal3T3i7uK9NA333NHuhRANCAASU0fDkISBeYFNBRYrMUC3ZTUAH2VFt
ZKrsUN5g7K5UVS8KB0qbM9UWLwbTE5tmoNHay+BP0cyHm7bbIJQZJAcC
-----END PRIVATE KEY-----
";

    fn write(dir: &Path, name: &str, text: &str) -> String {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        p.display().to_string()
    }

    fn refused(root: Option<&str>, cert: Option<&str>, key: Option<&str>) -> String {
        let err = check_tls_files(root, cert, key).unwrap_err();
        assert_eq!(err.code, baton_core::ErrorCode::InvalidInput);
        err.message
    }

    #[test]
    fn each_file_given_is_checked_and_named_with_its_setting() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let cert = write(d, "ca.crt", CERT);
        let key = write(d, "client.key", KEY);
        let text = write(d, "notes.txt", "hello\n");
        let missing = d.join("nowhere.crt").display().to_string();

        check_tls_files(Some(&cert), Some(&cert), Some(&key)).unwrap();
        check_tls_files(Some("system"), None, None).unwrap();
        check_tls_files(Some("  "), None, None).unwrap();
        check_tls_files(None, None, None).unwrap();

        assert_eq!(
            refused(Some(&missing), None, None),
            format!("the root certificate {missing} (sslrootcert) does not exist")
        );
        assert_eq!(
            refused(Some(&text), None, None),
            format!(
                "the root certificate {text} (sslrootcert) is not a PEM certificate \
                 (expected -----BEGIN CERTIFICATE-----)"
            )
        );
        assert_eq!(
            refused(None, Some(&key), Some(&key)),
            format!(
                "the client certificate {key} (sslcert) holds a private key, not a \
                 certificate (expected -----BEGIN CERTIFICATE-----)"
            )
        );
        assert_eq!(
            refused(None, Some(&cert), Some(&cert)),
            format!(
                "the client key {cert} (sslkey) holds a certificate, not a private key \
                 (expected -----BEGIN PRIVATE KEY-----)"
            )
        );
        assert!(
            refused(None, Some(&cert), Some(&text)).starts_with(&format!(
                "the client key {text} (sslkey) is not a PEM private key"
            ))
        );
        let folder = d.display().to_string();
        assert_eq!(
            refused(Some(&folder), None, None),
            format!("the root certificate {folder} (sslrootcert) is a folder, not a file")
        );
        assert!(refused(None, None, Some(&key)).contains("choose the certificate (sslcert) too"));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_others_can_read_is_refused_as_libpq_does() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cert = write(dir.path(), "c.crt", CERT);
        let key = write(dir.path(), "c.key", KEY);
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(refused(None, Some(&cert), Some(&key)).starts_with(&format!(
            "the client key {key} (sslkey) can be read by others"
        )));
    }

    #[test]
    fn a_path_that_cannot_be_read_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "ca.crt", CERT);
        let under_a_file = format!("{file}/root.crt");
        assert!(
            refused(Some(&under_a_file), None, None).starts_with(&format!(
                "the root certificate {under_a_file} (sslrootcert) cannot be read: "
            ))
        );
    }
}
