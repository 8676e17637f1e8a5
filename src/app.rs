//! One small function per subcommand: config -> credentials -> kms -> output.

use std::io::Write;

use crate::cli::{Cli, Command, GetArgs, GlobalArgs, SecretArgs};
use crate::error::{Error, Exit, Result};
use crate::kms::{Kms, SecretRequest};
use crate::secret::RamSecret;
use crate::{config, output};

pub fn run(cli: Cli) -> Result<i32> {
    init_logging(&cli.global);
    match cli.command {
        Command::Get(args) => get(&cli.global, args),
        Command::Env(args) => crate::exec::env(&cli.global, args),
        Command::Exec(args) => crate::exec::exec(&cli.global, args),
        Command::Cache(cmd) => crate::cache::command(&cli.global, cmd),
        Command::DevCall(args) => runtime()?.block_on(crate::emulator::call::run(args)),
        Command::DevServer(args) => runtime()?.block_on(crate::emulator::run(args)).map(|_| 0),
        Command::Demo => crate::emulator::demo::run(),
        Command::Generate(args) => generate(&args.out),
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the async runtime", e))
}

/// Logs go to stderr. Only our own events are shown in detail: library traces could echo
/// request lines, and those carry signatures and tokens.
fn init_logging(g: &GlobalArgs) {
    use tracing_subscriber::{filter::LevelFilter, filter::Targets, prelude::*};
    let level = match (g.quiet, g.verbose) {
        (true, _) => LevelFilter::ERROR,
        (_, 0) => LevelFilter::WARN,
        (_, 1) => LevelFilter::INFO,
        (_, 2) => LevelFilter::DEBUG,
        _ => LevelFilter::TRACE,
    };
    let filter = Targets::new()
        .with_default(LevelFilter::WARN.min(level))
        .with_target("ramsecret", level);
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time();
    let _ = tracing_subscriber::registry()
        .with(fmt.with_filter(filter))
        .try_init();
}

pub fn request(a: &SecretArgs) -> SecretRequest {
    SecretRequest {
        name: a.name.clone(),
        version_stage: a.version_stage.clone(),
        version_id: a.version_id.clone(),
    }
}

/// The main job every command shares: the cache, else configuration -> KMS -> AccessKey check.
pub fn fetch(g: &GlobalArgs, req: &SecretRequest) -> Result<RamSecret> {
    crate::cache::fetch(g, req, fetch_from_kms)
}

/// Always asks KMS (the cache calls this on a miss or refresh).
pub fn fetch_from_kms(g: &GlobalArgs, req: &SecretRequest) -> Result<RamSecret> {
    let cfg = config::load(g.config.as_deref())?;
    for w in &cfg.warnings {
        tracing::info!("{w}");
    }
    let rt = runtime()?;
    let value = rt.block_on(async {
        let kms = Kms::from_config(&cfg)?;
        kms.get_secret_value(req, g.timeout).await
    })?;
    let secret = RamSecret::from_value(&value)?;
    if !secret.is_managed() {
        tracing::info!(secret = %secret.secret_name, secret_type = %secret.secret_type, "not a KMS-managed RAM secret: it holds an AccessKey pair but KMS does not rotate it");
    }
    tracing::info!(secret = %secret.secret_name, version = %secret.version_id, access_key_id = %secret.masked_id(), "fetched");
    Ok(secret)
}

fn get(g: &GlobalArgs, args: GetArgs) -> Result<i32> {
    let secret = fetch(g, &request(&args.secret))?;
    let text = output::get_text(
        args.field,
        args.format,
        &secret,
        crate::credentials::now_unix(),
    );
    write_stdout(text.as_bytes())?;
    Ok(Exit::Ok as i32)
}

/// A closed pipe (`… | head -c0`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}

/// Completions (bash, zsh, fish, powershell, elvish) and one man page per subcommand.
fn generate(out: &std::path::Path) -> Result<i32> {
    use clap::CommandFactory;
    let io = |ctx: String| move |e| Error::io(ctx.clone(), e);
    let comp = out.join("completions");
    let man = out.join("man");
    std::fs::create_dir_all(&comp).map_err(io(format!("cannot create {}", comp.display())))?;
    std::fs::create_dir_all(&man).map_err(io(format!("cannot create {}", man.display())))?;
    let mut cmd = Cli::command();
    for shell in [
        clap_complete::Shell::Bash,
        clap_complete::Shell::Zsh,
        clap_complete::Shell::Fish,
        clap_complete::Shell::PowerShell,
        clap_complete::Shell::Elvish,
    ] {
        clap_complete::generate_to(shell, &mut cmd, "ramsecret", &comp).map_err(io(format!(
            "cannot write completions to {}",
            comp.display()
        )))?;
    }
    clap_mangen::generate_to(Cli::command(), &man)
        .map_err(io(format!("cannot write man pages to {}", man.display())))?;
    Ok(0)
}
