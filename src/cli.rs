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
    #[arg(short = 'c', long, env = "RAMSECRET_CONFIG", global = true, value_name = "FILE")]
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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the AccessKey of a RAM secret
    Get(GetArgs),
    /// Run a local KMS emulator on loopback (shared gateway, dedicated gateway, STS, ECS metadata)
    DevServer(DevServerArgs),
    /// Start the emulator in-process and show ramsecret working end to end
    Demo,
    /// Write shell completions and man pages (for packagers)
    #[command(hide = true)]
    Generate(GenerateArgs),
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
