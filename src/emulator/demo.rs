//! `ramsecret demo`: start the emulator in-process on ephemeral loopback ports, then run the
//! real binary against it, saying what happens at each step. Zero set-up, no cloud account.

use std::process::Command;

use crate::cli::DevServerArgs;
use crate::error::{Error, Result};

const NAME: &str = super::DEMO_SECRET;

pub fn run() -> Result<i32> {
    let tmp = std::env::temp_dir().join(format!("ramsecret-demo-{}", std::process::id()));
    let args = DevServerArgs {
        listen: "127.0.0.1:0".parse().expect("literal"),
        dkms_listen: "127.0.0.1:0".parse().expect("literal"),
        state: None,
        dir: Some(tmp.clone()),
    };
    // The emulator runs on its own thread and runtime; the demo drives the real binary.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                return tx
                    .send(Err(Error::io("cannot start the async runtime", e)))
                    .unwrap_or(())
            }
        };
        rt.block_on(async move {
            match super::start(args).await {
                Ok(running) => {
                    let _ = tx.send(Ok((
                        running.http_url.clone(),
                        running.dkms_url.clone(),
                        running.ak_properties.clone(),
                        running.dkms_properties.clone(),
                    )));
                    std::future::pending::<()>().await;
                    drop(running);
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
        });
    });
    let (http, dkms, ak_props, dkms_props) = rx
        .recv()
        .map_err(|_| Error::Usage("the emulator thread stopped".into()))??;
    let exe =
        std::env::current_exe().map_err(|e| Error::io("cannot find the ramsecret binary", e))?;

    step("Started a local KMS emulator (nothing leaves this machine)");
    println!("    shared gateway, STS, ECS metadata, admin API: {http}");
    println!("    dedicated gateway (KMS instance API, mutual TLS): {dkms}");
    println!("    it holds a demo RAM secret {NAME:?} whose AccessKey it made up");

    step(&format!(
        "The configuration is the official plug-ins' own format ({})",
        ak_props.display()
    ));
    if let Ok(text) = std::fs::read_to_string(&ak_props) {
        for line in text.lines() {
            let shown = if line.starts_with("credentials_access_secret") {
                "credentials_access_secret=…"
            } else {
                line
            };
            println!("    {shown}");
        }
    }

    let mut ok = true;
    let mut show = |title: &str, config: &std::path::Path, extra: &[&str]| {
        step(title);
        println!(
            "    $ ramsecret -c {} get {NAME} {}",
            config.display(),
            extra.join(" ").trim_end()
        );
        let out = Command::new(&exe)
            .arg("--cache")
            .arg("off")
            .arg("-c")
            .arg(config)
            .arg("get")
            .arg(NAME)
            .args(extra)
            .output();
        match out {
            Ok(o) if o.status.success() => {
                for line in String::from_utf8_lossy(&o.stdout).lines() {
                    println!("    {line}");
                }
            }
            Ok(o) => {
                ok = false;
                println!(
                    "    failed ({}): {}",
                    o.status,
                    String::from_utf8_lossy(&o.stderr).trim()
                );
            }
            Err(e) => {
                ok = false;
                println!("    could not run {}: {e}", exe.display());
            }
        }
    };
    show(
        "Fetch the AccessKey with its rotation metadata (JSON, the default)",
        &ak_props,
        &[],
    );
    show(
        "The same key for the aliyun CLI's External credential mode",
        &ak_props,
        &["--format", "aliyun-cli"],
    );
    show(
        "…as an ALIBABA_CLOUD_CREDENTIALS_URI response",
        &ak_props,
        &["--format", "credentials-uri"],
    );
    show(
        "…one field, raw, for a script",
        &ak_props,
        &["--field", "AccessKeyId"],
    );
    show(
        "Through a KMS instance: protobuf over mutual TLS, signed with a ClientKey",
        &dkms_props,
        &["--field", "AccessKeyId"],
    );

    ok &= exec_demo(&exe, &http, &ak_props);

    step(if ok {
        "Done: every step above ran the real binary against the emulator."
    } else {
        "Some steps failed (see above)."
    });
    println!("    Try it yourself: ramsecret dev-server   (prints a ready-to-use properties file)");
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(if ok { 0 } else { 1 })
}

/// `exec` keeps a program running across a rotation: the child calls a service with its key;
/// the key is rotated and the old one revoked; the child's next call fails with
/// `InvalidAccessKeyId.NotFound`; ramsecret fetches the new key and re-launches the child.
fn exec_demo(exe: &std::path::Path, http: &str, config: &std::path::Path) -> bool {
    use std::time::Duration;
    step("Run a program under `exec`; it calls a service with its injected key every 0.3 s");
    println!("    $ ramsecret exec {NAME} -- sh -c 'while ramsecret dev-call; do sleep 0.3; done; exit 1'");
    let child = Command::new(exe)
        .args(["--cache", "off", "-c"])
        .arg(config)
        .args([
            "exec",
            NAME,
            "--",
            "sh",
            "-c",
            "while \"$RAMSECRET_BIN\" dev-call; do sleep 0.3; done; exit 1",
        ])
        .env("RAMSECRET_BIN", exe)
        .env("RAMSECRET_DEV_ENDPOINT", http)
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            println!("    could not run {}: {e}", exe.display());
            return false;
        }
    };
    std::thread::sleep(Duration::from_millis(1200));
    step("Rotate the secret (new version, new AccessKey), then revoke the old key, as RAM does");
    let rotated = admin(http, "/admin/rotate", NAME);
    let revoked = admin(http, "/admin/revoke", NAME);
    println!("    rotated: {}", rotated.as_deref().unwrap_or("failed"));
    println!("    revoked: {}", revoked.as_deref().unwrap_or("failed"));
    std::thread::sleep(Duration::from_millis(2500));
    step("ramsecret saw InvalidAccessKeyId.NotFound, fetched the new key and re-launched the program; stopping it now");
    // SAFETY: plain kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().ok();
    println!(
        "    exec exited with {}",
        status
            .and_then(|s| s.code())
            .map(|c| c.to_string())
            .unwrap_or_else(|| "a signal".into())
    );
    rotated.is_some() && revoked.is_some()
}

fn step(title: &str) {
    println!("\n==> {title}");
}

/// POST `{"name": name}` to the emulator's admin API; the answer's `access_key_id`, masked.
fn admin(http: &str, path: &str, name: &str) -> Option<String> {
    use std::io::{Read, Write};
    let addr = http.strip_prefix("http://")?;
    let body = serde_json::json!({ "name": name }).to_string();
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(s, "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).ok()?;
    let mut resp = String::new();
    s.read_to_string(&mut resp).ok()?;
    let json: serde_json::Value = serde_json::from_str(resp.split_once("\r\n\r\n")?.1).ok()?;
    Some(format!(
        "AccessKeyId {}",
        crate::secret::mask_id(json["access_key_id"].as_str()?)
    ))
}
