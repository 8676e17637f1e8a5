//! `ramsecret env` renderers: pure functions from (variables to set, variables to unset) to the
//! text a shell or CI system reads. Writing it anywhere is the caller's job.
//!
//! Formats and the quoting each one uses:
//! * `posix`: `export NAME='value'` (a `'` becomes `'\''`); `unset NAME`. Works in sh, dash, bash,
//!   zsh, ksh for any value, newlines included.
//! * `fish`: `set -gx NAME 'value'` with `\` and `'` backslash-escaped; `set -e NAME`.
//! * `powershell`: `$env:NAME = 'value'` with every single-quote character doubled (PowerShell
//!   also treats U+2018..U+201B as quotes); `Remove-Item Env:NAME -ErrorAction SilentlyContinue`.
//! * `cmd`: `set "NAME=value"`; `set "NAME="` unsets. cmd.exe cannot carry a newline, and `"`,
//!   `%`, `!`, `^` are changed by its parser or by delayed expansion, so a value with any of those
//!   is refused with an error rather than emitted corrupted.
//! * `dotenv`: `NAME="value"` with backslash escapes `\\` `\"` `\$` `\n` `\r` `\t` (the
//!   python-dotenv / docker compose double-quoted dialect). A dotenv file cannot unset, so the
//!   overriding variables are written empty (`NAME=""`); the Alibaba SDKs treat empty as unset.
//! * `json`: one object, `{"NAME": "value", …}`; variables to unset are `null`.
//! * `github`: `::add-mask::` lines for the secret values (workflow-command escaped), then the
//!   variables in `$GITHUB_ENV` syntax: `NAME<<DELIM` / value / `DELIM` with a random delimiter
//!   that does not occur in the value; variables to unset are written empty.

use std::fmt::Write as _;

use crate::cli::EnvFormat;

/// One variable to set. `secret` marks values to mask (`github`).
#[derive(Clone)]
pub struct Var {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

impl std::fmt::Debug for Var {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Var")
            .field("name", &self.name)
            .field("secret", &self.secret)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("the value of {name} contains {what}, which --format cmd cannot represent safely (cmd.exe would change it); use another format, e.g. powershell")]
    Cmd { name: String, what: &'static str },
    #[error("the value of {name} contains a NUL byte, which no environment variable can hold")]
    Nul { name: String },
}

/// Render for every format but `github` (see [`github`]).
pub fn render(format: EnvFormat, vars: &[Var], unsets: &[String]) -> Result<String, RenderError> {
    for v in vars {
        if v.value.contains('\0') {
            return Err(RenderError::Nul {
                name: v.name.clone(),
            });
        }
    }
    let mut out = String::new();
    match format {
        EnvFormat::Posix => {
            for u in unsets {
                let _ = writeln!(out, "unset {u}");
            }
            for v in vars {
                let _ = writeln!(out, "export {}={}", v.name, posix_quote(&v.value));
            }
        }
        EnvFormat::Fish => {
            for u in unsets {
                let _ = writeln!(out, "set -e {u}");
            }
            for v in vars {
                let _ = writeln!(out, "set -gx {} {}", v.name, fish_quote(&v.value));
            }
        }
        EnvFormat::Powershell => {
            for u in unsets {
                let _ = writeln!(out, "Remove-Item Env:{u} -ErrorAction SilentlyContinue");
            }
            for v in vars {
                let _ = writeln!(out, "$env:{} = {}", v.name, powershell_quote(&v.value));
            }
        }
        EnvFormat::Cmd => {
            for u in unsets {
                let _ = writeln!(out, "set \"{u}=\"");
            }
            for v in vars {
                cmd_check(v)?;
                let _ = writeln!(out, "set \"{}={}\"", v.name, v.value);
            }
        }
        EnvFormat::Dotenv => {
            for u in unsets {
                let _ = writeln!(out, "{u}=\"\"");
            }
            for v in vars {
                let _ = writeln!(out, "{}={}", v.name, dotenv_quote(&v.value));
            }
        }
        EnvFormat::Json => {
            let mut map = serde_json::Map::new();
            for u in unsets {
                map.insert(u.clone(), serde_json::Value::Null);
            }
            for v in vars {
                map.insert(v.name.clone(), serde_json::Value::String(v.value.clone()));
            }
            out = serde_json::to_string_pretty(&serde_json::Value::Object(map))
                .expect("strings serialize")
                + "\n";
        }
        EnvFormat::Github => {
            let g = github(vars, unsets, &random_delimiter())?;
            out = g.masks + &g.env_file;
        }
    }
    Ok(out)
}

/// `github` output in two parts: workflow commands for stdout, and the `$GITHUB_ENV` text.
pub struct Github {
    pub masks: String,
    pub env_file: String,
}

pub fn github(vars: &[Var], unsets: &[String], delimiter: &str) -> Result<Github, RenderError> {
    let mut masks = String::new();
    let mut env_file = String::new();
    for v in vars {
        if v.value.contains('\0') {
            return Err(RenderError::Nul {
                name: v.name.clone(),
            });
        }
        if v.secret {
            let _ = writeln!(masks, "::add-mask::{}", workflow_escape(&v.value));
        }
    }
    for u in unsets {
        let _ = writeln!(env_file, "{u}=");
    }
    for v in vars {
        let mut delim = delimiter.to_string();
        while v.value.contains(&delim) {
            delim = random_delimiter();
        }
        let _ = write!(env_file, "{}<<{delim}\n{}\n{delim}\n", v.name, v.value);
    }
    Ok(Github { masks, env_file })
}

/// `ghadelimiter_` plus 128 random bits, as actions/toolkit does.
pub fn random_delimiter() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random source works");
    let mut s = String::from("ghadelimiter_");
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Workflow command data escaping (actions/toolkit `escapeData`).
fn workflow_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn posix_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

pub fn fish_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', r"\\").replace('\'', r"\'"))
}

pub fn powershell_quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

fn cmd_check(v: &Var) -> Result<(), RenderError> {
    let bad = |what| {
        Err(RenderError::Cmd {
            name: v.name.clone(),
            what,
        })
    };
    for c in v.value.chars() {
        match c {
            '\n' | '\r' => return bad("a line break"),
            '"' => return bad("a double quote"),
            '%' => return bad("'%'"),
            '!' => return bad("'!'"),
            '^' => return bad("'^'"),
            _ => {}
        }
    }
    Ok(())
}

pub fn dotenv_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str(r"\$"),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            '\t' => out.push_str(r"\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const TRICKY: &[&str] = &[
        "plain",
        "it's",
        "two '' quotes ''' and \"double\"",
        "$HOME ${HOME} $(id) `id` \\$x",
        "back\\slash\\\\ and trailing\\",
        "spaces  and\ttab",
        "new\nline\n",
        "\r\ncrlf",
        "unicode ✓ é 中文 ‘smart’ “q”",
        "; & | < > * ? [a] ~ # ! % ^ { }",
        "-n",
        "",
    ];

    fn vars(v: &str) -> Vec<Var> {
        vec![
            Var {
                name: "RS_T_ID".into(),
                value: "LTAI5tEXAMPLE".into(),
                secret: false,
            },
            Var {
                name: "RS_T_SECRET".into(),
                value: v.into(),
                secret: true,
            },
        ]
    }

    #[test]
    fn posix_shape() {
        let out = render(
            EnvFormat::Posix,
            &vars("a'b"),
            &["ALIBABA_CLOUD_SECURITY_TOKEN".into()],
        )
        .unwrap();
        assert_eq!(out, "unset ALIBABA_CLOUD_SECURITY_TOKEN\nexport RS_T_ID='LTAI5tEXAMPLE'\nexport RS_T_SECRET='a'\\''b'\n");
    }

    #[test]
    fn fish_shape() {
        let out = render(EnvFormat::Fish, &vars(r"a'b\c"), &["X".into()]).unwrap();
        assert_eq!(
            out,
            "set -e X\nset -gx RS_T_ID 'LTAI5tEXAMPLE'\nset -gx RS_T_SECRET 'a\\'b\\\\c'\n"
        );
    }

    #[test]
    fn powershell_quoting() {
        let out = render(
            EnvFormat::Powershell,
            &vars("it's ‘x’ $env:HOME `n"),
            &["OSS_SESSION_TOKEN".into()],
        )
        .unwrap();
        assert_eq!(
            out,
            "Remove-Item Env:OSS_SESSION_TOKEN -ErrorAction SilentlyContinue\n$env:RS_T_ID = 'LTAI5tEXAMPLE'\n$env:RS_T_SECRET = 'it''s ‘‘x’’ $env:HOME `n'\n"
        );
        assert_eq!(powershell_quote("a\nb"), "'a\nb'");
    }

    #[test]
    fn cmd_quoting_and_refusals() {
        let out = render(EnvFormat::Cmd, &vars("a&b|c<d>e (f) 'g' é"), &["X".into()]).unwrap();
        assert_eq!(
            out,
            "set \"X=\"\nset \"RS_T_ID=LTAI5tEXAMPLE\"\nset \"RS_T_SECRET=a&b|c<d>e (f) 'g' é\"\n"
        );
        for bad in ["a\nb", "a\rb", "a\"b", "100%", "hi!", "x^y"] {
            let e = render(EnvFormat::Cmd, &vars(bad), &[]).unwrap_err();
            assert!(matches!(e, RenderError::Cmd { .. }), "{bad:?}");
            assert!(
                !e.to_string().contains(bad),
                "the error must not echo the value"
            );
        }
    }

    #[test]
    fn dotenv_escapes() {
        let out = render(EnvFormat::Dotenv, &vars("a\"b\\c$d\ne\tf'g"), &["X".into()]).unwrap();
        assert_eq!(
            out,
            "X=\"\"\nRS_T_ID=\"LTAI5tEXAMPLE\"\nRS_T_SECRET=\"a\\\"b\\\\c\\$d\\ne\\tf'g\"\n"
        );
    }

    #[test]
    fn json_object_with_null_unsets() {
        for t in TRICKY {
            let out = render(EnvFormat::Json, &vars(t), &["X".into()]).unwrap();
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["RS_T_SECRET"], *t);
            assert_eq!(v["X"], serde_json::Value::Null);
        }
    }

    #[test]
    fn github_masks_and_heredoc() {
        let g = github(&vars("a%b\nc"), &["X".into()], "ghadelimiter_fixed").unwrap();
        assert_eq!(g.masks, "::add-mask::a%25b%0Ac\n");
        assert_eq!(g.env_file, "X=\nRS_T_ID<<ghadelimiter_fixed\nLTAI5tEXAMPLE\nghadelimiter_fixed\nRS_T_SECRET<<ghadelimiter_fixed\na%b\nc\nghadelimiter_fixed\n");
        // A value that contains the delimiter gets a fresh one.
        let g = github(&vars("x\nghadelimiter_fixed\ny"), &[], "ghadelimiter_fixed").unwrap();
        let block = g.env_file.split_once("RS_T_SECRET<<").unwrap().1;
        let delim = block.lines().next().unwrap();
        assert_ne!(delim, "ghadelimiter_fixed");
        assert!(block.ends_with(&format!("\n{delim}\n")));
    }

    #[test]
    fn nul_is_refused_everywhere() {
        for f in [
            EnvFormat::Posix,
            EnvFormat::Fish,
            EnvFormat::Json,
            EnvFormat::Github,
        ] {
            assert!(matches!(
                render(f, &vars("a\0b"), &[]),
                Err(RenderError::Nul { .. })
            ));
        }
    }

    fn shell_present(shell: &str) -> bool {
        std::process::Command::new(shell)
            .arg("-c")
            .arg("true")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    /// Feed the output to each real shell, then have the shell print what it sees (NUL-separated,
    /// so trailing newlines and empty values survive) and whether the variables are exported/unset.
    #[test]
    fn round_trips_through_real_shells() {
        let sh_probe = r#"printf '%s\0' "$RS_T_ID" "$RS_T_SECRET"; env | grep -q '^RS_T_SECRET=' || printf 'not-exported'; env | grep -q '^RS_T_UNSET=' && printf 'still-set'; true"#;
        let fish_probe = r#"printf '%s\0' "$RS_T_ID" "$RS_T_SECRET"; env | grep -q '^RS_T_SECRET='; or printf 'not-exported'; env | grep -q '^RS_T_UNSET='; and printf 'still-set'; true"#;
        for (shell, format, probe) in [
            ("bash", EnvFormat::Posix, sh_probe),
            ("dash", EnvFormat::Posix, sh_probe),
            ("zsh", EnvFormat::Posix, sh_probe),
            ("fish", EnvFormat::Fish, fish_probe),
        ] {
            if !shell_present(shell) {
                eprintln!("note: {shell} is not installed; skipping its round-trip test (apt-get install {shell})");
                continue;
            }
            for t in TRICKY {
                let script = render(format, &vars(t), &["RS_T_UNSET".into()]).unwrap();
                let out = std::process::Command::new(shell)
                    .arg("-c")
                    .arg(format!("{script}\n{probe}\n"))
                    .env("RS_T_UNSET", "stale")
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{shell}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_eq!(
                    String::from_utf8_lossy(&out.stdout),
                    format!("LTAI5tEXAMPLE\0{t}\0"),
                    "{shell} {format:?} {t:?}"
                );
            }
        }
    }
}
