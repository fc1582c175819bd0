//! A PostgreSQL server that only speaks TLS, with a certificate for `localhost` signed by a
//! CA made for the test run.

use std::path::PathBuf;

use crate::Error;
use crate::cluster::{self, Flavor};

/// The TLS-only test server.
#[derive(Clone, Debug)]
pub struct TlsServer {
    /// The host name in the server's certificate.
    pub host: &'static str,
    /// The port it listens on (on loopback).
    pub port: u16,
    /// The CA certificate (PEM) that signed the server's certificate.
    pub ca_cert: PathBuf,
}

/// The TLS-only server shared by the test processes of a run, started on first use.
pub fn tls_server() -> Result<TlsServer, Error> {
    let port = cluster::port(Flavor::Tls)?;
    Ok(TlsServer {
        host: "localhost",
        port,
        ca_cert: cluster::flavor_dir(Flavor::Tls).join("ca.pem"),
    })
}
