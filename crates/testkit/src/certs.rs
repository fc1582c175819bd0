//! The certificates of the TLS-only cluster: a CA made for the test run and a server
//! certificate for `localhost` it signs, written where the server and the tests read them.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

use crate::Error;

fn tls_error(e: rcgen::Error) -> Error {
    Error::Command { command: "generating test certificates".into(), output: e.to_string() }
}

/// Writes the CA (to `state`), the server's key and certificate and a `hostssl`-only
/// `pg_hba.conf` (to the cluster's `data`), owned by the server's user.
pub(crate) fn configure(data: &Path, state: &Path, owner: Option<(u32, u32)>) -> Result<(), Error> {
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(tls_error)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "chatdb test CA");
    let ca_key = KeyPair::generate().map_err(tls_error)?;
    let ca_cert = ca.self_signed(&ca_key).map_err(tls_error)?;

    let mut server = CertificateParams::new(vec!["localhost".to_owned()]).map_err(tls_error)?;
    server.distinguished_name.push(DnType::CommonName, "localhost");
    let server_key = KeyPair::generate().map_err(tls_error)?;
    let server_cert =
        server.signed_by(&server_key, &Issuer::from_params(&ca, &ca_key)).map_err(tls_error)?;

    let write = |path: PathBuf, contents: &str, mode: u32| -> Result<(), Error> {
        fs::write(&path, contents).map_err(Error::io(format!("writing {}", path.display())))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(mode))
            .map_err(Error::io(format!("protecting {}", path.display())))?;
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                .map_err(Error::io(format!("handing {} to the server", path.display())))?;
        }
        Ok(())
    };
    write(state.join("ca.pem"), &ca_cert.pem(), 0o644)?;
    write(data.join("server.crt"), &server_cert.pem(), 0o644)?;
    write(data.join("server.key"), &server_key.serialize_pem(), 0o600)?;
    write(
        data.join("pg_hba.conf"),
        "# TLS only: plain-text TCP is refused.\n\
         local     all all              trust\n\
         hostssl   all all 127.0.0.1/32 trust\n\
         hostssl   all all ::1/128      trust\n\
         hostnossl all all 0.0.0.0/0    reject\n\
         hostnossl all all ::/0         reject\n",
        0o600,
    )
}
