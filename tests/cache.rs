//! The cross-invocation cache: hits make no KMS call, max age, --refresh, stale-if-error,
//! revocation, single flight across processes, file modes, keyring backend, `cache status`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use crate::support::*;

const CALLER_ID: &str = "LTAI5tEmulatorCaller0001";
const CALLER_SECRET: &str = "emulator-caller-secret-0001";
const NAME: &str = "acs/ram/user/cache-app";
const AK_ID: &str = "LTAI5tCacheAppKey000001";
const AK_SECRET: &str = "cache-app-Secret/value+1";

fn config(endpoints: &[String]) -> String {
    let regions: Vec<String> = endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| format!(r#"{{"regionId":"r{i}","endpoint":"{e}"}}"#))
        .collect();
    format!("credentials_type=ak\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncache_client_region_id=[{}]\n", regions.join(","))
}

fn setup() -> (Emulator, tempfile::TempDir) {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "managed_credentials_providers.properties",
        &config(std::slice::from_ref(&emu.http)),
    );
    (emu, d)
}

/// `ramsecret` with the file cache on.
fn cached(dir: &Path, mode: &str) -> assert_cmd::Command {
    let mut c = ramsecret(dir);
    c.env("RAMSECRET_CACHE", mode);
    c
}

fn get(dir: &Path, args: &[&str]) -> (i32, String, String, Duration) {
    run({
        let mut c = cached(dir, "file");
        c.args(["--timeout", "3s"])
            .args(args)
            .args(["get", NAME, "--field", "AccessKeyId"]);
        c
    })
}

fn cache_dir(dir: &Path) -> PathBuf {
    dir.join("home/run/ramsecret")
}

#[test]
fn second_get_within_max_age_makes_no_kms_call() {
    let (emu, d) = setup();
    for _ in 0..3 {
        let (code, out, err, _) = get(d.path(), &[]);
        assert_eq!(
            (code, out.as_str()),
            (0, format!("{AK_ID}\n").as_str()),
            "{err}"
        );
    }
    assert_eq!(emu.counter("GetSecretValue"), 1);
    // The full JSON comes from the cache too, secret included.
    let out = cached(d.path(), "file")
        .args(["get", NAME])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["AccessKeySecret"], AK_SECRET);
    assert_eq!(emu.counter("GetSecretValue"), 1);
    // A different secret name, stage or configuration is a different entry.
    ramsecret(d.path())
        .env("RAMSECRET_CACHE", "file")
        .args(["get", NAME, "--version-stage", "ACSCurrent"])
        .assert()
        .success();
    assert_eq!(emu.counter("GetSecretValue"), 2);
    ramsecret(d.path())
        .env("RAMSECRET_CACHE", "file")
        .env(
            "cache_client_region_id",
            format!(r#"[{{"regionId":"x","endpoint":"{}"}}]"#, emu.http),
        )
        .args(["get", NAME])
        .assert()
        .success();
    assert_eq!(emu.counter("GetSecretValue"), 3);
}

#[test]
fn after_max_age_it_refetches_and_refresh_forces_a_fetch() {
    let (emu, d) = setup();
    get(d.path(), &["--max-age", "1s"]);
    get(d.path(), &["--max-age", "1s"]);
    assert_eq!(emu.counter("GetSecretValue"), 1);
    std::thread::sleep(Duration::from_millis(1100));
    get(d.path(), &["--max-age", "1s"]);
    assert_eq!(emu.counter("GetSecretValue"), 2);
    let (code, _, err, _) = get(d.path(), &["--refresh"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(emu.counter("GetSecretValue"), 3);
    // A rotation is picked up on --refresh and the new key is cached.
    emu.post("/admin/rotate", json!({"name": NAME}));
    let (_, before, _, _) = get(d.path(), &[]);
    assert_eq!(before, format!("{AK_ID}\n"));
    let (_, after, _, _) = get(d.path(), &["--refresh"]);
    assert_ne!(after, before);
    let (_, again, _, _) = get(d.path(), &[]);
    assert_eq!(again, after);
    assert_eq!(emu.counter("GetSecretValue"), 4);
}

#[test]
fn stale_is_served_with_one_warning_while_kms_is_down_until_stale_max_age() {
    let (emu, d) = setup();
    get(d.path(), &[]);
    drop(emu);
    let (code, out, err, took) = get(d.path(), &["--max-age", "0s"]);
    assert_eq!(
        (code, out.as_str()),
        (0, format!("{AK_ID}\n").as_str()),
        "{err}"
    );
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("ramsecret: warning: ") && l.contains("using the cached"))
        .collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].contains(NAME) && warnings[0].contains("LTAI****0001"),
        "{err}"
    );
    assert!(!err.contains(AK_SECRET) && !err.contains(AK_ID));
    assert!(took < Duration::from_secs(4), "{took:?}");
    // Older than --stale-max-age: refused.
    std::thread::sleep(Duration::from_millis(1100));
    let (code, out, err, _) = get(d.path(), &["--max-age", "0s", "--stale-max-age", "1s"]);
    assert_eq!(code, 6, "{err}");
    assert!(out.is_empty());
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("ramsecret: error: "),
        "{err}"
    );
}

#[test]
fn stale_is_served_on_throttling_and_5xx() {
    let (emu, d) = setup();
    get(d.path(), &[]);
    for fault in [
        json!({"target": "kms", "kind": "throttle", "count": 0}),
        json!({"target": "kms", "kind": "status", "status": 503, "count": 0}),
    ] {
        emu.fault(fault);
        let (code, out, err, took) = get(d.path(), &["--refresh"]);
        assert_eq!(
            (code, out.as_str()),
            (0, format!("{AK_ID}\n").as_str()),
            "{err}"
        );
        assert!(err.contains("using the cached"), "{err}");
        assert!(took < Duration::from_secs(4), "{took:?}");
        emu.admin("DELETE", "/admin/faults", "");
    }
}

/// `ramsecret dev-server` on a fixed address (so a restarted emulator keeps the config bytes).
fn emulator_on(addr: &str, dir: &Path) -> std::process::Child {
    use std::io::BufRead;
    let mut child = std::process::Command::new(bin())
        .args(["dev-server", "--listen", addr, "--dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("ramsecret dev-server: "), "{line}");
    child
}

#[test]
fn never_served_after_not_found_or_access_denied() {
    // Not found: the secret disappears from KMS (a restarted emulator without it, same address).
    let addr = format!("127.0.0.1:{}", dead_port());
    let tmp = tempfile::tempdir().unwrap();
    let mut a = emulator_on(&addr, &tmp.path().join("a"));
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "managed_credentials_providers.properties",
        &config(&[format!("http://{addr}")]),
    );
    let admin = |path: &str, body: serde_json::Value| {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        let body = body.to_string();
        write!(s, "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut r = String::new();
        let _ = s.read_to_string(&mut r);
        assert!(r.starts_with("HTTP/1.1 2"), "{r}");
    };
    admin(
        "/admin/secrets",
        json!({"name": NAME, "access_key_id": AK_ID, "access_key_secret": AK_SECRET}),
    );
    let (code, _, err, _) = get(d.path(), &[]);
    assert_eq!(code, 0, "{err}");
    let _ = a.kill();
    let _ = a.wait();
    let mut b = emulator_on(&addr, &tmp.path().join("b"));
    let (code, out, err, _) = get(d.path(), &["--refresh"]);
    assert_eq!(code, 5, "{err}");
    assert!(
        out.is_empty()
            && err.contains("Forbidden.ResourceNotFound")
            && !err.contains("using the cached"),
        "{err}"
    );
    let _ = b.kill();
    let _ = b.wait();
    // KMS is now down too, and there is nothing left to fall back to.
    let (code, _, err, _) = get(d.path(), &["--max-age", "0s"]);
    assert_eq!(code, 6, "{err}");
    assert!(!err.contains("using the cached"), "{err}");

    // Access denied: the caller's own AccessKey is revoked -> InvalidAccessKeyId (exit 4).
    let (emu, d) = setup();
    get(d.path(), &[]);
    emu.post("/admin/revoke", json!({"access_key_id": CALLER_ID}));
    let (code, out, err, _) = get(d.path(), &["--refresh"]);
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty() && !err.contains("using the cached"), "{err}");
    let status = cached(d.path(), "file")
        .args(["cache", "status", NAME])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&status).contains("no cached secrets"));
    drop(emu);
    let (code, _, err, _) = get(d.path(), &[]);
    assert_eq!(code, 6, "{err}");
}

/// The same isolated environment as `support::ramsecret`, as a std `Command` (to spawn many).
fn std_cmd(dir: &Path, mode: &str) -> std::process::Command {
    let mut c = std::process::Command::new(bin());
    c.env_clear().current_dir(dir);
    let home = dir.join("home");
    c.env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("RAMSECRET_CACHE", mode);
    c
}

#[test]
fn fifty_concurrent_cold_gets_make_exactly_one_kms_call() {
    let (emu, d) = setup();
    // Slow KMS down so the processes really overlap.
    emu.fault(json!({"target": "kms", "kind": "latency", "ms": 700, "count": 1}));
    let children: Vec<std::process::Child> = (0..50)
        .map(|_| {
            std_cmd(d.path(), "file")
                .args(["--timeout", "20s", "get", NAME, "--field", "AccessKeyId"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{AK_ID}\n"));
    }
    assert_eq!(emu.counter("GetSecretValue"), 1);
}

#[test]
fn cache_files_are_private_and_status_never_prints_the_secret() {
    let (emu, d) = setup();
    get(d.path(), &[]);
    let dir = cache_dir(d.path());
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let e = e.unwrap();
        assert_eq!(
            e.metadata().unwrap().permissions().mode() & 0o777,
            0o600,
            "{:?}",
            e.path()
        );
        n += 1;
    }
    assert_eq!(n, 2, "one entry and one lock file");
    let status = cached(d.path(), "file")
        .args(["cache", "status"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let status = String::from_utf8(status).unwrap();
    assert!(
        status.contains(NAME) && status.contains("LTAI****0001") && status.contains("fresh"),
        "{status}"
    );
    assert!(
        !status.contains(AK_SECRET) && !status.contains(AK_ID),
        "{status}"
    );
    let out = cached(d.path(), "file")
        .args(["cache", "clear", NAME])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8_lossy(&out), "removed 1 cached secret\n");
    get(d.path(), &[]);
    assert_eq!(emu.counter("GetSecretValue"), 2);
}

#[test]
fn cache_off_always_asks_kms() {
    let (emu, d) = setup();
    for _ in 0..2 {
        ramsecret(d.path()).args(["get", NAME]).assert().success();
    }
    assert_eq!(emu.counter("GetSecretValue"), 2);
    assert!(!cache_dir(d.path()).exists());
}

/// The kernel keyutils store, for real, inside a fresh session keyring (`keyctl session -`).
#[test]
fn keyring_backend_keeps_the_secret_out_of_files() {
    if std::process::Command::new("keyctl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "note: keyctl (Debian package keyutils) not installed; skipping the real keyring test"
        );
        return;
    }
    let (emu, d) = setup();
    let script = format!("set -e\nfor i in 1 2 3; do '{bin}' --timeout 3s get '{NAME}' --field AccessKeySecret; done\n'{bin}' cache status\n'{bin}' cache clear\n'{bin}' --timeout 3s get '{NAME}' --field AccessKeyId\n", bin = bin().display());
    let out = {
        let base = std_cmd(d.path(), "keyring");
        let mut k = std::process::Command::new("keyctl");
        k.current_dir(d.path()).env_clear();
        for (key, val) in base.get_envs() {
            if let Some(v) = val {
                k.env(key, v);
            }
        }
        k.args(["session", "-", "sh", "-c", &script])
            .output()
            .unwrap()
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("cannot cache in the keyring") {
        eprintln!("note: keyutils refused writes here: {stderr}");
        return;
    }
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.matches(AK_SECRET).count(), 3, "{stdout}");
    assert!(stdout.contains("backend: kernel keyring"), "{stdout}");
    assert_eq!(
        emu.counter("GetSecretValue"),
        2,
        "three gets -> one call; after clear -> one more"
    );
    for e in std::fs::read_dir(cache_dir(d.path())).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        assert!(!text.contains(AK_SECRET), "{text}");
    }
}

/// The desktop Secret Service, for real: a private D-Bus session with GNOME Keyring, used when
/// the kernel keyring refuses writes (as it does outside a session keyring).
#[test]
fn secret_service_backend_when_the_kernel_keyring_is_unusable() {
    let have = |cmd: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {cmd}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("dbus-run-session") || !have("gnome-keyring-daemon") {
        eprintln!("note: dbus-run-session or gnome-keyring-daemon (Debian: dbus, gnome-keyring) missing; skipping the Secret Service test");
        return;
    }
    let (emu, d) = setup();
    let script = format!(
        "printf x | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1\nset -e\nfor i in 1 2 3; do '{bin}' --timeout 3s get '{NAME}' --field AccessKeySecret; done\n'{bin}' cache status\n",
        bin = bin().display()
    );
    let base = std_cmd(d.path(), "keyring");
    let mut c = std::process::Command::new("dbus-run-session");
    c.current_dir(d.path()).env_clear();
    for (key, val) in base.get_envs() {
        if let Some(v) = val {
            c.env(key, v);
        }
    }
    let out = c.args(["--", "sh", "-c", &script]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.matches(AK_SECRET).count(), 3, "{stdout}");
    if stdout.contains("backend: kernel keyring") {
        eprintln!(
            "note: the kernel keyring took the write here, so the Secret Service was not needed"
        );
    } else {
        assert!(
            stdout.contains("backend: Secret Service"),
            "{stdout}\n{stderr}"
        );
    }
    assert_eq!(emu.counter("GetSecretValue"), 1, "three gets -> one call");
    for e in std::fs::read_dir(cache_dir(d.path())).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        assert!(!text.contains(AK_SECRET), "{text}");
    }
}
