//! `ramsecret get` served from a fresh cache entry before clap, logging, configuration or any
//! runtime is set up: read the argument list, hash the raw config bytes and environment
//! ([`super::key`]), read one small file (and, for the keyring backend, one keyring item).
//!
//! The argument reader is deliberately narrow: anything it does not fully understand (another
//! subcommand, `-v`, `--refresh`, `--help`, a malformed value, conflicting options) returns
//! `None`, and the normal path runs, which applies the same cache rules.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::store::{self, Store};
use super::{key, now_ms, Policy};
use crate::cli::{CacheMode, Field, GetFormat};
use crate::kms::SecretRequest;

struct Args {
    config: Option<PathBuf>,
    mode: CacheMode,
    max_age: Duration,
    req: SecretRequest,
    field: Option<Field>,
    format: GetFormat,
}

fn mode(s: &str) -> Option<CacheMode> {
    match s {
        "auto" => Some(CacheMode::Auto),
        "keyring" => Some(CacheMode::Keyring),
        "file" => Some(CacheMode::File),
        "off" => Some(CacheMode::Off),
        _ => None,
    }
}

fn parse(argv: impl Iterator<Item = OsString>) -> Option<Args> {
    // clap rejects a set-but-empty value, so leave those to it.
    let env = |k: &str| std::env::var_os(k);
    if [env("RAMSECRET_CONFIG"), env("RAMSECRET_CACHE")]
        .iter()
        .flatten()
        .any(|v| v.is_empty())
    {
        return None;
    }
    let mut config = env("RAMSECRET_CONFIG").map(PathBuf::from);
    let mut mode = match env("RAMSECRET_CACHE") {
        Some(v) => self::mode(v.to_str()?)?,
        None => CacheMode::Auto,
    };
    let mut max_age = Duration::from_secs(15 * 60);
    let (mut get, mut name, mut stage, mut id, mut field, mut format) =
        (false, None, None, None, None, None);
    let mut seen = std::collections::HashSet::new();
    let mut argv = argv.map(|a| a.into_string().ok());
    while let Some(arg) = argv.next() {
        let arg = arg?;
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let takes_value = matches!(
            flag.as_str(),
            "-c" | "--config"
                | "--cache"
                | "--max-age"
                | "--stale-max-age"
                | "--timeout"
                | "--field"
                | "--format"
                | "--version-stage"
                | "--version-id"
        );
        if !takes_value {
            if arg.starts_with('-') || inline.is_some() && arg.starts_with("--") {
                return None;
            }
            if !get {
                if arg != "get" {
                    return None;
                }
                get = true;
            } else if name.replace(arg).is_some() {
                return None;
            }
            continue;
        }
        if flag == "-c" && inline.is_some() {
            return None;
        }
        // clap rejects a repeated option: leave that to it too.
        if !seen.insert(flag.clone()) {
            return None;
        }
        let value = match inline {
            Some(v) => v,
            None => argv.next()??,
        };
        let subcommand_only = matches!(
            flag.as_str(),
            "--field" | "--format" | "--version-stage" | "--version-id"
        );
        if subcommand_only && !get {
            return None;
        }
        match flag.as_str() {
            "-c" | "--config" => config = Some(PathBuf::from(value)),
            "--cache" => mode = self::mode(&value)?,
            "--max-age" => max_age = humantime::parse_duration(&value).ok()?,
            "--stale-max-age" | "--timeout" => {
                humantime::parse_duration(&value).ok()?;
            }
            "--field" => {
                let f = match value.as_str() {
                    "AccessKeyId" => Field::AccessKeyId,
                    "AccessKeySecret" => Field::AccessKeySecret,
                    _ => return None,
                };
                if field.replace(f).is_some() {
                    return None;
                }
            }
            "--format" => {
                let f = match value.as_str() {
                    "json" => GetFormat::Json,
                    "aliyun-cli" => GetFormat::AliyunCli,
                    "credentials-uri" => GetFormat::CredentialsUri,
                    _ => return None,
                };
                if format.replace(f).is_some() {
                    return None;
                }
            }
            "--version-stage" if stage.is_none() => stage = Some(value),
            "--version-id" if id.is_none() => id = Some(value),
            _ => return None,
        }
    }
    // clap's conflicts: --field with --format, --version-stage with --version-id.
    if !get || (field.is_some() && format.is_some()) || (stage.is_some() && id.is_some()) {
        return None;
    }
    Some(Args {
        config,
        mode,
        max_age,
        req: SecretRequest {
            name: name?,
            version_stage: stage,
            version_id: id,
        },
        field,
        format: format.unwrap_or(GetFormat::Json),
    })
}

/// `Some(exit code)` when `get` was fully served from a fresh cache entry.
pub fn try_get() -> Option<i32> {
    let a = parse(std::env::args_os().skip(1))?;
    if a.mode == CacheMode::Off {
        return None;
    }
    let store = Store::open(store::default_dir()?);
    let key = key::compute(a.config.as_deref(), &a.req);
    let policy = Policy {
        mode: a.mode,
        max_age: a.max_age,
        stale_max_age: Duration::ZERO,
        refresh: false,
        timeout: Duration::ZERO,
        quiet: true,
    };
    let (_, secret) = store.read(&key, |m| policy.is_fresh(m, now_ms()))?;
    let text = crate::output::get_text(a.field, a.format, &secret, crate::credentials::now_unix());
    Some(match crate::app::write_stdout(text.as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ramsecret: error: {e}");
            e.exit() as i32
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &str) -> Option<Args> {
        parse(
            args.split(' ')
                .filter(|s| !s.is_empty())
                .map(OsString::from),
        )
    }

    #[test]
    fn understands_plain_gets_and_declines_the_rest() {
        let a = p("get n --field AccessKeyId").unwrap();
        assert!(a.req.name == "n" && a.field == Some(Field::AccessKeyId));
        let a =
            p("--max-age 1s -c f.properties get n --format=aliyun-cli --version-stage S").unwrap();
        assert!(
            a.max_age == Duration::from_secs(1)
                && a.config.unwrap() == std::path::Path::new("f.properties")
        );
        assert!(a.format == GetFormat::AliyunCli && a.req.version_stage.as_deref() == Some("S"));
        assert!(p("get n --cache off").unwrap().mode == CacheMode::Off);
        for declined in [
            "",
            "get",
            "env n",
            "get n m",
            "-v get n",
            "get n --refresh",
            "get n --help",
            "get n --field AccessKeyId --format json",
            "get n --version-stage a --version-id b",
            "--field AccessKeyId get n",
            "get n --max-age soon",
            "get n --cache=maybe",
            "get n --field",
            "get --bogus=1 n",
            "get n -- x",
        ] {
            assert!(p(declined).is_none(), "{declined:?}");
        }
    }
}
