//! `ramsecret env`: every format with awkward values, fed to the real shells (bash, dash, zsh,
//! fish; a missing shell is skipped with a note), the unset lines, and the GitHub Actions output.

#![cfg(unix)]

use std::process::Command;

use crate::support::*;

const ID: &str = "LTAI5tEnvTestKey000001";
const TRICKY: &[&str] = &[
    "it's a 'quoted' \"value\"",
    "$HOME ${HOME} $(id) `id` \\$x \\",
    "new\nline and\ttab\n",
    "unicode ✓ é 中文 ‘smart’",
    "; & | < > * ? [a] ~ # ! % ^ { } -n",
];

fn shell_present(shell: &str) -> bool {
    Command::new(shell)
        .arg("-c")
        .arg("true")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// One secret per awkward value; returns the emulator and its properties file.
fn setup() -> (Emulator, tempfile::TempDir) {
    let emu = Emulator::start();
    for (i, v) in TRICKY.iter().enumerate() {
        emu.secret(&format!("acs/ram/user/env-{i}"), ID, v);
    }
    (emu, tempfile::tempdir().unwrap())
}

fn env_out(
    emu: &Emulator,
    dir: &std::path::Path,
    name: &str,
    args: &[&str],
) -> (i32, String, String) {
    let mut c = ramsecret(dir);
    c.arg("-c")
        .arg(emu.dir.join("managed_credentials_providers.properties"))
        .args(["env", name])
        .args(args);
    let (code, out, err, _) = run(c);
    (code, out, err)
}

#[test]
fn posix_and_fish_output_round_trips_through_real_shells() {
    let (emu, d) = setup();
    let probe_sh = r#"printf '%s\0' "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" "$OSS_ACCESS_KEY_SECRET" "$MY_SECRET"; for v in ALIBABA_CLOUD_SECURITY_TOKEN ALIBABA_CLOUD_CREDENTIALS_URI OSS_SESSION_TOKEN; do env | grep -q "^$v=" && printf 'still-set:%s' "$v"; done; true"#;
    let probe_fish = r#"printf '%s\0' "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" "$OSS_ACCESS_KEY_SECRET" "$MY_SECRET"; for v in ALIBABA_CLOUD_SECURITY_TOKEN ALIBABA_CLOUD_CREDENTIALS_URI OSS_SESSION_TOKEN; env | grep -q "^$v="; and printf 'still-set:%s' "$v"; end; true"#;
    let mut ran = 0;
    for (i, value) in TRICKY.iter().enumerate() {
        let name = format!("acs/ram/user/env-{i}");
        for (format, shells, probe) in [
            ("posix", &["bash", "dash", "zsh"][..], probe_sh),
            ("fish", &["fish"][..], probe_fish),
        ] {
            let (code, script, err) = env_out(
                &emu,
                d.path(),
                &name,
                &[
                    "--format",
                    format,
                    "--preset",
                    "alibaba",
                    "--preset",
                    "oss",
                    "--var",
                    "MY_SECRET=AccessKeySecret",
                ],
            );
            assert_eq!(code, 0, "{err}");
            assert!(!err.contains(value), "the secret reached stderr: {err}");
            for shell in shells {
                if !shell_present(shell) {
                    eprintln!(
                        "note: {shell} is not installed; skipping it (apt-get install {shell})"
                    );
                    continue;
                }
                let out = Command::new(shell)
                    .arg("-c")
                    .arg(format!("{script}\n{probe}\n"))
                    .env("ALIBABA_CLOUD_SECURITY_TOKEN", "stale-token")
                    .env("ALIBABA_CLOUD_CREDENTIALS_URI", "http://stale")
                    .env("OSS_SESSION_TOKEN", "stale")
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{shell}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_eq!(
                    String::from_utf8_lossy(&out.stdout),
                    format!("{ID}\0{value}\0{value}\0{value}\0"),
                    "{shell} {format} {value:?}"
                );
                ran += 1;
            }
        }
    }
    assert!(ran >= TRICKY.len() * 2, "bash and dash at least");
}

#[test]
fn every_format_has_its_unset_lines_and_quoting() {
    let (emu, d) = setup();
    let name = "acs/ram/user/env-0";
    let (_, posix, _) = env_out(&emu, d.path(), name, &[]);
    assert!(
        posix.contains("unset ALIBABA_CLOUD_SECURITY_TOKEN\n")
            && posix.contains("unset ALIBABA_CLOUD_CREDENTIALS_URI\n"),
        "{posix}"
    );
    assert!(
        posix.contains(&format!("export ALIBABA_CLOUD_ACCESS_KEY_ID='{ID}'\n")),
        "{posix}"
    );
    let (_, fish, _) = env_out(&emu, d.path(), name, &["--format", "fish"]);
    assert!(
        fish.contains("set -e ALIBABA_CLOUD_SECURITY_TOKEN\n"),
        "{fish}"
    );
    let (_, ps, _) = env_out(&emu, d.path(), name, &["--format", "powershell"]);
    assert!(
        ps.contains("Remove-Item Env:ALIBABA_CLOUD_SECURITY_TOKEN -ErrorAction SilentlyContinue\n"),
        "{ps}"
    );
    assert!(
        ps.contains("$env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'it''s a ''quoted'' \"value\"'\n"),
        "{ps}"
    );
    let (_, dotenv, _) = env_out(&emu, d.path(), name, &["--format", "dotenv"]);
    assert!(
        dotenv.contains("ALIBABA_CLOUD_SECURITY_TOKEN=\"\"\n")
            && dotenv
                .contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET=\"it's a 'quoted' \\\"value\\\"\"\n"),
        "{dotenv}"
    );
    let (_, json, _) = env_out(&emu, d.path(), name, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["ALIBABA_CLOUD_ACCESS_KEY_SECRET"], TRICKY[0]);
    assert!(
        v["ALIBABA_CLOUD_SECURITY_TOKEN"].is_null()
            && v.as_object()
                .unwrap()
                .contains_key("ALIBABA_CLOUD_SECURITY_TOKEN")
    );
    // cmd: a value it cannot carry is an error that does not echo the value.
    let (code, out, err) = env_out(&emu, d.path(), name, &["--format", "cmd"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.is_empty() && !err.contains("quoted") && err.contains("cmd"),
        "{err}"
    );
    let (code, cmd, _) = env_out(&emu, d.path(), "acs/ram/user/env-3", &["--format", "cmd"]);
    assert_eq!(code, 0);
    assert!(
        cmd.contains("set \"ALIBABA_CLOUD_SECURITY_TOKEN=\"\n")
            && cmd.contains(&format!(
                "set \"ALIBABA_CLOUD_ACCESS_KEY_SECRET={}\"\n",
                TRICKY[3]
            )),
        "{cmd}"
    );
}

#[test]
fn github_masks_the_secret_and_appends_to_github_env() {
    let (emu, d) = setup();
    let file = d.path().join("github_env");
    std::fs::write(&file, "EARLIER=1\n").unwrap();
    let mut c = ramsecret(d.path());
    c.arg("-c")
        .arg(emu.dir.join("managed_credentials_providers.properties"))
        .args(["env", "acs/ram/user/env-2", "--format", "github"])
        .env("GITHUB_ENV", &file);
    let (code, out, err, _) = run(c);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "::add-mask::new%0Aline and\ttab%0A\n");
    assert!(!err.contains("tab"), "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("EARLIER=1\n") && text.contains("ALIBABA_CLOUD_SECURITY_TOKEN=\n"),
        "{text}"
    );
    // Parse the heredoc blocks back as the runner does.
    let mut lines = text.lines();
    let mut got = std::collections::BTreeMap::new();
    while let Some(l) = lines.next() {
        if let Some((name, delim)) = l.split_once("<<") {
            assert!(
                delim.starts_with("ghadelimiter_") && delim.len() > 30,
                "{delim}"
            );
            let mut value = Vec::new();
            for v in lines.by_ref() {
                if v == delim {
                    break;
                }
                value.push(v);
            }
            got.insert(name.to_string(), value.join("\n"));
        }
    }
    // The trailing newline of the value is kept as an empty last line.
    assert_eq!(got["ALIBABA_CLOUD_ACCESS_KEY_SECRET"], TRICKY[2]);
    assert_eq!(got["ALIBABA_CLOUD_ACCESS_KEY_ID"], ID);
}
