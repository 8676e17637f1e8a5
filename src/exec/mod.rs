//! `env` and `exec`: hand the AccessKey to any process.
//!
//! `env` prints the key as variables for a shell or CI system (renderers in [`envfmt`]); `exec`
//! runs a command with the key in its environment and keeps it running across rotations
//! ([`supervise`]), optionally serving the key over `ALIBABA_CLOUD_CREDENTIALS_URI` ([`server`]).

pub mod envfmt;
mod server;
mod supervise;

use std::io::Write as _;

use crate::app;
use crate::cli::{EnvArgs, EnvFormat, ExecArgs, Field, GlobalArgs, Preset, RestartPolicy, VarArgs};
use crate::error::{Error, Result};
use crate::secret::RamSecret;
use envfmt::Var;

/// Every variable through which an Alibaba SDK, the aliyun CLI, Terraform or an OSS tool could
/// pick up some *other* AccessKey, STS token or credential source ahead of (or mixed with) the one
/// we hand out (protocol.md D.1, peers.md 4.1). Whatever we do not set ourselves is unset.
pub const OVERRIDING: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_SECURITY_TOKEN",
    "ALICLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_ACCESS_KEY",
    "ALICLOUD_SECRET_KEY",
    "ALICLOUD_SECURITY_TOKEN",
    "OSS_ACCESS_KEY_ID",
    "OSS_ACCESS_KEY_SECRET",
    "OSS_SESSION_TOKEN",
    "ALIYUN_ACCESS_KEY_ID",
    "ALIYUN_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
    "ALICLOUD_CREDENTIALS_URI",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABACLOUD_PROFILE",
    "ALICLOUD_PROFILE",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
];

/// Set for a `--credentials-server` child so the default chain reaches the URI provider
/// (peers.md 4.2 item 4).
pub const SERVER_SWITCHES: &[(&str, &str)] = &[
    ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
    ("ALIBABA_CLOUD_IGNORE_PROFILE", "TRUE"),
    ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
];

/// Which variable gets which half of the pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarSpec {
    pub name: String,
    pub field: Field,
}

fn preset_names(p: Preset) -> (&'static str, &'static str) {
    match p {
        Preset::Alibaba => (
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        ),
        Preset::Alicloud => ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY"),
        Preset::Oss => ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET"),
    }
}

fn valid_name(n: &str) -> bool {
    let mut c = n.chars();
    matches!(c.next(), Some(ch) if ch == '_' || ch.is_ascii_alphabetic())
        && c.all(|ch| ch == '_' || ch.is_ascii_alphanumeric())
}

/// Presets and `--var NAME=FIELD` in order; `skip_alibaba` drops the `alibaba` preset (it would
/// shadow `ALIBABA_CLOUD_CREDENTIALS_URI`).
pub fn var_specs(a: &VarArgs, skip_alibaba: bool) -> Result<Vec<VarSpec>> {
    let mut out: Vec<VarSpec> = Vec::new();
    let mut push = |name: &str, field: Field| -> Result<()> {
        match out.iter().find(|s| s.name == name) {
            Some(s) if s.field != field => Err(Error::Usage(format!(
                "--var/--preset: {name} is given both AccessKeyId and AccessKeySecret"
            ))),
            Some(_) => Ok(()),
            None => {
                out.push(VarSpec {
                    name: name.to_string(),
                    field,
                });
                Ok(())
            }
        }
    };
    for p in &a.presets {
        if skip_alibaba && *p == Preset::Alibaba {
            continue;
        }
        let (id, secret) = preset_names(*p);
        push(id, Field::AccessKeyId)?;
        push(secret, Field::AccessKeySecret)?;
    }
    for v in &a.vars {
        let Some((name, field)) = v.split_once('=') else {
            return Err(Error::Usage(format!(
                "--var {v:?}: expected NAME=AccessKeyId or NAME=AccessKeySecret"
            )));
        };
        if !valid_name(name) {
            return Err(Error::Usage(format!(
                "--var: {name:?} is not a valid environment variable name"
            )));
        }
        let field = match field {
            "AccessKeyId" => Field::AccessKeyId,
            "AccessKeySecret" => Field::AccessKeySecret,
            other => {
                return Err(Error::Usage(format!(
                    "--var {name}: unknown field {other:?}; use AccessKeyId or AccessKeySecret"
                )))
            }
        };
        if name.starts_with("RAMSECRET_") {
            return Err(Error::Usage(format!(
                "--var: {name} is reserved for ramsecret"
            )));
        }
        push(name, field)?;
    }
    Ok(out)
}

pub fn values(specs: &[VarSpec], s: &RamSecret) -> Vec<Var> {
    specs
        .iter()
        .map(|spec| match spec.field {
            Field::AccessKeyId => Var {
                name: spec.name.clone(),
                value: s.access_key_id.clone(),
                secret: false,
            },
            Field::AccessKeySecret => Var {
                name: spec.name.clone(),
                value: s.access_key_secret.expose().to_string(),
                secret: true,
            },
        })
        .collect()
}

/// The overriding variables, minus those we set (`set` also lists extra names we set).
pub fn unsets(specs: &[VarSpec], set: &[&str]) -> Vec<String> {
    OVERRIDING
        .iter()
        .filter(|n| !specs.iter().any(|s| s.name == **n) && !set.contains(n))
        .map(|n| n.to_string())
        .collect()
}

pub fn env(g: &GlobalArgs, a: EnvArgs) -> Result<i32> {
    let specs = var_specs(&a.vars, false)?;
    let secret = app::fetch(g, &app::request(&a.secret))?;
    let vars = values(&specs, &secret);
    let unset = unsets(&specs, &[]);
    let render_err = |e: envfmt::RenderError| Error::Usage(e.to_string());
    if a.format == EnvFormat::Github {
        let gh = envfmt::github(&vars, &unset, &envfmt::random_delimiter()).map_err(render_err)?;
        match std::env::var_os("GITHUB_ENV").filter(|p| !p.is_empty()) {
            Some(path) => {
                app::write_stdout(gh.masks.as_bytes())?;
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(&path)
                    .map_err(|e| {
                        Error::io(
                            format!(
                                "cannot open GITHUB_ENV file {}",
                                std::path::Path::new(&path).display()
                            ),
                            e,
                        )
                    })?;
                f.write_all(gh.env_file.as_bytes())
                    .map_err(|e| Error::io("cannot write to the GITHUB_ENV file", e))?;
                if !g.quiet {
                    let names: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
                    eprintln!(
                        "ramsecret: set {} for the next steps ($GITHUB_ENV), AccessKeyId {}",
                        names.join(", "),
                        secret.masked_id()
                    );
                }
            }
            // Not in a GitHub job (or testing): the same text on stdout, masks first.
            None => app::write_stdout((gh.masks + &gh.env_file).as_bytes())?,
        }
        return Ok(0);
    }
    let text = envfmt::render(a.format, &vars, &unset).map_err(render_err)?;
    app::write_stdout(text.as_bytes())?;
    Ok(0)
}

/// `TERM`, `SIGTERM`, `15` -> 15. Only signals that make sense for stopping a program.
/// Signals by name, for `--stop-signal` and for messages.
pub const SIGNALS: &[(&str, i32)] = &[
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("KILL", libc::SIGKILL),
    ("USR1", libc::SIGUSR1),
    ("USR2", libc::SIGUSR2),
    ("TERM", libc::SIGTERM),
    ("WINCH", libc::SIGWINCH),
    ("CONT", libc::SIGCONT),
    ("TSTP", libc::SIGTSTP),
];

pub fn parse_signal(s: &str) -> Option<i32> {
    let name = s.trim().to_ascii_uppercase();
    let name = name.strip_prefix("SIG").unwrap_or(&name);
    match SIGNALS.iter().find(|(n, _)| *n == name) {
        Some((_, sig)) => Some(*sig),
        None => name.parse::<i32>().ok().filter(|n| (1..=64).contains(n)),
    }
}

pub fn exec(g: &GlobalArgs, a: ExecArgs) -> Result<i32> {
    let specs = var_specs(&a.vars, a.credentials_server)?;
    let stop_signal = parse_signal(&a.stop_signal).ok_or_else(|| {
        Error::Usage(format!(
            "--stop-signal {:?}: unknown signal (use e.g. TERM, INT, HUP, USR1 or a number)",
            a.stop_signal
        ))
    })?;
    if a.max_restarts == 0 && a.restart == Some(RestartPolicy::OnRotation) {
        tracing::debug!("--max-restarts 0: the command is never restarted");
    }
    if a.check_interval < std::time::Duration::from_millis(200) {
        return Err(Error::Usage(
            "--check-interval must be at least 200ms".into(),
        ));
    }
    let req = app::request(&a.secret);
    let first = app::fetch(g, &req)?;
    let restart = a.restart.unwrap_or(if a.credentials_server {
        RestartPolicy::Never
    } else {
        RestartPolicy::OnRotation
    });
    let codes: Vec<String> = a
        .invalid_key_codes
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let opts = supervise::Options {
        command: a.command,
        specs,
        pristine: a.pristine,
        check_interval: a.check_interval,
        stop_signal,
        stop_timeout: a.stop_timeout,
        codes,
        max_restarts: a.max_restarts,
        restart_window: a.restart_window,
        restart,
        credentials_server: a.credentials_server,
        quiet: g.quiet,
    };
    supervise::run(g, req, first, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(presets: &[Preset], vars: &[&str]) -> VarArgs {
        VarArgs {
            presets: presets.to_vec(),
            vars: vars.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn presets_and_vars() {
        let s = var_specs(
            &args(&[Preset::Alibaba, Preset::Oss], &["MY_ID=AccessKeyId"]),
            false,
        )
        .unwrap();
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                "OSS_ACCESS_KEY_ID",
                "OSS_ACCESS_KEY_SECRET",
                "MY_ID"
            ]
        );
        let u = unsets(&s, &[]);
        assert!(
            u.contains(&"ALIBABA_CLOUD_SECURITY_TOKEN".to_string())
                && u.contains(&"OSS_SESSION_TOKEN".to_string())
                && u.contains(&"ALICLOUD_ACCESS_KEY".to_string())
        );
        assert!(!u.contains(&"OSS_ACCESS_KEY_ID".to_string()));
        let s = var_specs(&args(&[Preset::Alibaba, Preset::Alicloud], &[]), true).unwrap();
        assert_eq!(s[0].name, "ALICLOUD_ACCESS_KEY");
        for bad in [
            "X",
            "1X=AccessKeyId",
            "X=Password",
            "ALIBABA_CLOUD_ACCESS_KEY_ID=AccessKeySecret",
            "RAMSECRET_SECRET_NAME=AccessKeyId",
        ] {
            assert!(
                var_specs(&args(&[Preset::Alibaba], &[bad]), false).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn signals() {
        assert_eq!(parse_signal("TERM"), Some(libc::SIGTERM));
        assert_eq!(parse_signal("sigint"), Some(libc::SIGINT));
        assert_eq!(parse_signal("9"), Some(9));
        assert_eq!(parse_signal("NOPE"), None);
    }
}
