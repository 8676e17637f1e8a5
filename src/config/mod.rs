//! Configuration loader: the plug-ins' `managed_credentials_providers.properties`, read unchanged,
//! layered with `./secretsmanager.properties` and same-named lowercase environment variables.
//! STUB: interface only, implemented in the config task.

use std::path::PathBuf;

use crate::secret::SecretString;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
}

/// Where a ClientKey password comes from, in the plug-ins' order (plugin.md 1.7). Each source
/// remembers the config key it came from so errors can name it.
#[derive(Debug, Clone)]
pub enum PasswordSource {
    /// Environment variable `var`, named by config key `key`.
    Env { key: String, var: String },
    /// File at `path`, named by config key `key`.
    File { key: String, path: PathBuf },
}

#[derive(Debug, Clone)]
pub struct ClientKeyRef {
    /// Config key that named the file (`client_key_private_key_path`, or `cache_client_dkms_config_info[0].clientKeyFile`).
    pub key: String,
    pub path: PathBuf,
    /// Tried in order; the first that yields a value wins. Empty list: no password configured.
    pub password: Vec<PasswordSource>,
}

#[derive(Debug, Clone)]
pub enum Credentials {
    /// `ak` and `token` (the latter is an AccessKey pair despite its name).
    AccessKey { id: String, secret: SecretString },
    /// `sts` and `ram_role`: AssumeRole with the source AccessKey.
    AssumeRole { id: String, secret: SecretString, role_arn: String, session_name: String, policy: Option<String> },
    /// `ecs_ram_role`: the instance's RAM role through the metadata service.
    EcsRamRole { role_name: String },
    /// `client_key`: RSA-signed requests with a ClientKey.
    ClientKey(ClientKeyRef),
}

#[derive(Debug, Clone)]
pub struct Region {
    pub region_id: String,
    /// Base URL, `https://kms.cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:8080` (loopback only).
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Instance {
    /// Position in `cache_client_dkms_config_info`, for messages (`entry 1`).
    pub index: usize,
    pub region_id: String,
    /// `host[:port]` as configured (a leading `https://` stripped).
    pub endpoint: String,
    pub client_key: ClientKeyRef,
    pub ignore_ssl_certs: bool,
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Files that were read, in layer order (for messages and the cache key).
    pub files: Vec<PathBuf>,
    pub credentials: Option<Credentials>,
    pub regions: Vec<Region>,
    pub instances: Vec<Instance>,
    /// `https://sts.{region}.aliyuncs.com` or the `credentials_sts_endpoint` URL.
    pub sts_url: String,
    /// `RAMSECRET_ECS_METADATA_ENDPOINT` or `http://100.100.100.200`.
    pub ecs_metadata_url: String,
}

pub fn load(_explicit: Option<&std::path::Path>) -> Result<Config, ConfigError> {
    Err(ConfigError { message: "not implemented".into() })
}
