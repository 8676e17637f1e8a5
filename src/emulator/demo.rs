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
    let step = |title: &str| println!("\n==> {title}");

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

    step(if ok {
        "Done: every step above ran the real binary against the emulator."
    } else {
        "Some steps failed (see above)."
    });
    println!("    Try it yourself: ramsecret dev-server   (prints a ready-to-use properties file)");
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(if ok { 0 } else { 1 })
}
