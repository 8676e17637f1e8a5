//! `ramsecret dev-server` as a process: the first stdout line, the files it writes, plain HTTP
//! endpoints, and a clean exit on SIGTERM.

#![cfg(unix)]
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn http(base: &str, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n{body}", body.len()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    (
        status,
        out.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default(),
    )
}

#[test]
fn dev_server_prints_its_addresses_serves_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ramsecret"))
        .args(["dev-server", "--dir"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let fields: Vec<&str> = first.trim_end().splitn(5, ' ').collect();
    assert_eq!(&fields[..2], ["ramsecret", "dev-server:"], "{first}");
    let (http_url, dkms_url) = (fields[2].to_string(), fields[3]);
    assert!(
        http_url.starts_with("http://127.0.0.1:") && dkms_url.starts_with("https://127.0.0.1:"),
        "{first}"
    );
    assert_eq!(std::path::Path::new(fields[4]), dir.path());
    for f in [
        "ca.pem",
        "managed_credentials_providers.properties",
        "dkms.properties",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }

    let (status, counters) = http(&http_url, "GET", "/admin/counters", "", "");
    assert_eq!(status, 200);
    assert!(counters.contains("\"GetSecretValue\":0"), "{counters}");
    let (status, token) = http(
        &http_url,
        "PUT",
        "/latest/api/token",
        "X-aliyun-ecs-metadata-token-ttl-seconds: 60\r\n",
        "",
    );
    assert_eq!(status, 200);
    let (status, role) = http(
        &http_url,
        "GET",
        "/latest/meta-data/ram/security-credentials/",
        &format!("X-aliyun-ecs-metadata-token: {token}\r\n"),
        "",
    );
    assert_eq!((status, role.as_str()), (200, "ramsecret-ecs-role"));
    let (status, body) = http(&http_url, "POST", "/", "", "Action=GetSecretValue");
    assert_eq!(status, 400);
    assert!(body.contains("MissingParameter"), "{body}");

    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert!(child.wait().unwrap().success());
}
