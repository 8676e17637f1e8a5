//! Test support: an isolated `ramsecret` command and an emulator process fixture.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ramsecret"))
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Everything in the environment that could change what ramsecret does.
const SCRUB_PREFIXES: &[&str] = &[
    "ALIBABA_CLOUD_",
    "ALICLOUD_",
    "OSS_",
    "RAMSECRET_",
    "credentials_",
    "client_key_",
    "cache_client_",
];

/// `ramsecret` with a private HOME / config / cache / runtime dir, in `dir` as working directory,
/// with the cache off unless a test turns it on.
pub fn ramsecret(dir: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(bin());
    for (k, _) in std::env::vars() {
        if SCRUB_PREFIXES.iter().any(|p| k.starts_with(p)) {
            c.env_remove(k);
        }
    }
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    c.current_dir(dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("RAMSECRET_CACHE", "off")
        .timeout(Duration::from_secs(60));
    c
}

pub struct Emulator {
    child: Child,
    pub http: String,
    pub dkms: String,
    /// Where the emulator wrote its properties files, CA and ClientKey.
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Emulator {
    pub fn start() -> Emulator {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("emu");
        let mut child = Command::new(bin())
            .args(["dev-server", "--dir"])
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ramsecret dev-server");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let parts: Vec<&str> = line.trim().split(' ').collect();
        assert_eq!(
            parts.first(),
            Some(&"ramsecret"),
            "unexpected first line from dev-server: {line:?}"
        );
        let (http, dkms) = (parts[2].to_string(), parts[3].to_string());
        // Keep draining stdout so the emulator never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = out.read_to_end(&mut sink);
        });
        Emulator {
            child,
            http,
            dkms,
            dir,
            _tmp: tmp,
        }
    }

    pub fn port(&self) -> u16 {
        self.http.rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn dkms_port(&self) -> u16 {
        self.dkms.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// A plain HTTP/1.1 request to the admin API; returns (status, parsed JSON body or Null).
    pub fn admin(&self, method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port())).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut resp = Vec::new();
        let _ = s.read_to_end(&mut resp);
        let text = String::from_utf8_lossy(&resp).to_string();
        let status: u16 = text
            .split(' ')
            .nth(1)
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        (
            status,
            serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
        )
    }

    pub fn post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        let (status, v) = self.admin("POST", path, &body.to_string());
        assert!(
            (200..300).contains(&status),
            "admin {path} answered {status}: {v}"
        );
        v
    }

    pub fn counter(&self, name: &str) -> u64 {
        self.admin("GET", "/admin/counters", "").1[name]
            .as_u64()
            .unwrap_or(0)
    }

    /// Create a RAM secret with a known AccessKey.
    pub fn secret(&self, name: &str, id: &str, secret: &str) {
        self.post(
            "/admin/secrets",
            serde_json::json!({"name": name, "access_key_id": id, "access_key_secret": secret}),
        );
    }

    pub fn fault(&self, spec: serde_json::Value) {
        self.post("/admin/faults", spec);
    }

    pub fn ak_properties(&self) -> String {
        std::fs::read_to_string(self.dir.join("managed_credentials_providers.properties")).unwrap()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port with nothing listening on it.
pub fn dead_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Run with a deadline, returning (exit code, stdout, stderr, elapsed).
pub fn run(mut c: assert_cmd::Command) -> (i32, String, String, Duration) {
    let start = Instant::now();
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
        start.elapsed(),
    )
}

/// Write `text` as `name` in `dir` and return its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The one-line error contract: exactly one non-empty line on stderr, prefixed.
pub fn assert_one_line_error(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got: {stderr}");
    assert!(lines[0].starts_with("ramsecret: error: "), "{stderr}");
}
