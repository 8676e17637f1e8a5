//! The command line, as clap derive definitions. Doc comments are the help text; completions
//! and man pages are generated from these same definitions (`ramsecret generate`).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  other failure (e.g. writing to stdout failed)
  2  usage error on the command line
  3  configuration error (properties file, key, ClientKey file or password, CA file)
  4  KMS refused our credentials (signature, AccessKey, STS, ClientKey, permission)
  5  secret not found, or not an AccessKey (RAM) secret
  6  KMS unreachable, timed out or throttled after all retries and regions/instances";

#[derive(Debug, Parser)]
#[command(name = "ramsecret", version, about = "Fetch Alibaba Cloud RAM secrets (KMS-managed AccessKeys) for scripts, CI steps and programs that cannot use the SDK plug-ins", after_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// managed_credentials_providers.properties to read (default: ./, then the user config dir)
    #[arg(
        short = 'c',
        long,
        env = "RAMSECRET_CONFIG",
        global = true,
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// More detail on stderr (-v, -vv, -vvv); secrets are never logged
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Overall deadline for getting a secret, retries included (e.g. 30s, 2m)
    #[arg(long, global = true, default_value = "30s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
    #[command(flatten)]
    pub cache: CacheArgs,
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    /// Where fetched secrets are cached between runs
    #[arg(
        long,
        value_enum,
        env = "RAMSECRET_CACHE",
        default_value = "auto",
        global = true
    )]
    pub cache: CacheMode,
    /// Serve a cached secret for at most this long (the rotation clock may end it sooner)
    #[arg(long, default_value = "15m", value_parser = humantime::parse_duration, global = true, value_name = "DURATION")]
    pub max_age: Duration,
    /// When KMS is unreachable, serve a cached secret up to this old (with a warning)
    #[arg(long, default_value = "24h", value_parser = humantime::parse_duration, global = true, value_name = "DURATION")]
    pub stale_max_age: Duration,
    /// Ignore a fresh cache entry and fetch from KMS
    #[arg(long, global = true)]
    pub refresh: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CacheMode {
    /// A keyring when one works, else files
    Auto,
    /// The kernel keyring, else the Secret Service; never a plaintext file
    Keyring,
    /// A 0600 file holding the AccessKey, in the user's runtime (else cache) directory
    File,
    /// No cache: every run asks KMS
    Off,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Show what is cached (masked AccessKeyId, age, next refresh; never the secret)
    Status {
        #[arg(value_name = "NAME")]
        name: Option<String>,
    },
    /// Remove cached secrets (all, or one name)
    Clear {
        #[arg(value_name = "NAME")]
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvFormat {
    Posix,
    Fish,
    Powershell,
    Cmd,
    Dotenv,
    Json,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET
    Alibaba,
    /// ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY (Terraform)
    Alicloud,
    /// OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET
    Oss,
}

#[derive(Debug, Args)]
pub struct VarArgs {
    /// Variable names to set (repeatable)
    #[arg(long = "preset", value_enum, default_values = ["alibaba"])]
    pub presets: Vec<Preset>,
    /// Any other variable: NAME=AccessKeyId or NAME=AccessKeySecret (repeatable; RAMSECRET_* names are reserved)
    #[arg(long = "var", value_name = "NAME=FIELD")]
    pub vars: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    #[command(flatten)]
    pub secret: SecretArgs,
    /// Syntax of the output
    #[arg(long, value_enum, default_value = "posix")]
    pub format: EnvFormat,
    #[command(flatten)]
    pub vars: VarArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RestartPolicy {
    OnRotation,
    Never,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub secret: SecretArgs,
    #[command(flatten)]
    pub vars: VarArgs,
    /// Start the command with only essential variables (PATH, HOME, USER, LANG, TERM, TZ) plus the credentials
    #[arg(long)]
    pub pristine: bool,
    /// Check KMS for a rotated key at least this often (with jitter; at least 200ms)
    #[arg(long, default_value = "5m", value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub check_interval: Duration,
    /// Signal that asks the command to stop before a restart: HUP, INT, QUIT, KILL, USR1, USR2, TERM, WINCH, CONT, TSTP (SIG prefix optional) or a number 1-64
    #[arg(long, default_value = "TERM", value_name = "SIGNAL")]
    pub stop_signal: String,
    /// After the stop signal, wait this long before KILL
    #[arg(long, default_value = "10s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub stop_timeout: Duration,
    /// Error codes in the command's output that mean the key is no longer valid (comma-separated)
    #[arg(
        long,
        default_value = "InvalidAccessKeyId,InvalidAccessKeyId.NotFound",
        value_delimiter = ',',
        value_name = "CODES"
    )]
    pub invalid_key_codes: Vec<String>,
    /// Restart at most this many times within --restart-window (0: never)
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub max_restarts: u32,
    /// Window for --max-restarts
    #[arg(long, default_value = "10m", value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub restart_window: Duration,
    /// Restart the command when the key rotates (default on-rotation; never with --credentials-server)
    #[arg(long, value_enum)]
    pub restart: Option<RestartPolicy>,
    /// Serve the key to the command over ALIBABA_CLOUD_CREDENTIALS_URI (loopback), so SDKs pick up rotations without a restart
    #[arg(long)]
    pub credentials_server: bool,
    /// The command and its arguments
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct DevCallArgs {
    /// The emulator's base URL (default: RAMSECRET_DEV_ENDPOINT)
    #[arg(long, env = "RAMSECRET_DEV_ENDPOINT", value_name = "URL")]
    pub endpoint: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the AccessKey of a RAM secret
    Get(GetArgs),
    /// Print the AccessKey as environment variables for a shell or CI system
    Env(EnvArgs),
    /// Run a command with the AccessKey in its environment; re-launch it when rotation invalidates the key
    Exec(ExecArgs),
    /// Inspect or clear the local cache of fetched secrets
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)
    DevServer(DevServerArgs),
    /// Start the emulator in-process and show ramsecret working end to end
    Demo,
    /// Write shell completions and man pages (for packagers)
    #[command(hide = true)]
    Generate(GenerateArgs),
    /// Call the emulator's service (GetCallerIdentity) with the AccessKey from the environment, like an SDK-based program would
    #[command(hide = true)]
    DevCall(DevCallArgs),
}

#[derive(Debug, Args)]
pub struct SecretArgs {
    /// Secret name (or ARN) in KMS
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Version stage to read
    #[arg(long, value_name = "STAGE", conflicts_with = "version_id")]
    pub version_stage: Option<String>,
    /// Exact version to read
    #[arg(long, value_name = "ID")]
    pub version_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GetFormat {
    /// The pair plus version and rotation metadata, API field names
    Json,
    /// aliyun CLI External mode: {"mode":"AK","access_key_id":..,"access_key_secret":..}
    AliyunCli,
    /// ALIBABA_CLOUD_CREDENTIALS_URI response: {"Code":"Success","AccessKeyId",..,"Expiration"}
    CredentialsUri,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Field {
    #[value(name = "AccessKeyId")]
    AccessKeyId,
    #[value(name = "AccessKeySecret")]
    AccessKeySecret,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(flatten)]
    pub secret: SecretArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "json")]
    pub format: GetFormat,
    /// Print only this field, raw, followed by a newline
    #[arg(long, value_enum, conflicts_with = "format")]
    pub field: Option<Field>,
}

#[derive(Debug, Args)]
pub struct DevServerArgs {
    /// Address of the plain-HTTP listener (shared gateway, STS, ECS metadata, admin API); loopback only
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
    /// Address of the TLS listener for the dedicated gateway (KMS instance API); loopback only
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub dkms_listen: std::net::SocketAddr,
    /// Keep secrets and keys in this JSON file across restarts
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Directory for the generated properties files, CA certificate and ClientKey
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Directory that receives completions/ and man/
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out: PathBuf,
}
