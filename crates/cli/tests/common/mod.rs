//! What the `chatdb` test binaries share: running it, and a health server.
#![allow(dead_code, reason = "each test binary uses a part")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

use testkit::binary::{self, Run};

pub mod copying;

/// Runs `chatdb` with exactly `env` in `dir` (no inherited variables, no stray `.env`).
pub fn chatdb(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    binary::run(env!("CARGO_BIN_EXE_chatdb"), dir, env, args)
}

/// A `chatdb health serve` on a free port, stopped when dropped.
pub struct Server(std::process::Child, String);

impl Server {
    pub fn start(env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chatdb"))
            .args(["health", "serve", "--bind", "127.0.0.1:0"])
            .env_clear()
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("the listening line");
        let address = line
            .trim()
            .strip_prefix("Listening on http://")
            .and_then(|rest| rest.strip_suffix("/health/db"))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self(child, address)
    }

    pub fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(&self.1).expect("connect");
        write!(stream, "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
            .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
