//! Configuration loader: the plug-ins' `managed_credentials_providers.properties`, read unchanged,
//! layered with `./secretsmanager.properties` and same-named lowercase environment variables
//! (plugin.md 1.1: plug-in file -> secretsmanager.properties -> environment).
//!
//! Shape: each source is read into a raw [`Layer`] (key -> value + line), then one build step
//! turns the layers into a typed [`Config`]. Every error is one line naming the file (and line)
//! or environment variable, the key, and what to write instead. Secret values never reach an
//! error, a warning or `Debug` output.

pub mod properties;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use zeroize::Zeroize;

use crate::secret::{mask_id, SecretString};

pub const PLUGIN_FILE: &str = "managed_credentials_providers.properties";
pub const CLIENT_FILE: &str = "secretsmanager.properties";
const DEFAULT_ECS_METADATA_URL: &str = "http://100.100.100.200";
/// Used only when no region is configured (KMS-instance-only setups never call STS).
const GLOBAL_STS_URL: &str = "https://sts.aliyuncs.com";
const VALID_TYPES: &str = "ak, token, sts, ram_role, ecs_ram_role, client_key";

/// Keys ramsecret reads, from files and (same names) from the environment.
/// Every key the loader reads, from files and from same-named environment variables.
pub const KEYS: &[&str] = &[
    "credentials_type",
    "credentials_access_key_id",
    "credentials_access_secret",
    "credentials_access_token_id",
    "credentials_access_token",
    "credentials_role_session_name",
    "credentials_role_arn",
    "credentials_policy",
    "credentials_role_name",
    "client_key_private_key_path",
    "client_key_password_from_env_variable",
    "client_key_password_from_file_path",
    "cache_client_region_id",
    "cache_client_dkms_config_info",
    "credentials_sts_endpoint",
];

/// Plug-in keys that only matter to the plug-ins' own cache; accepted silently so existing files work.
const PLUGIN_ONLY_KEYS: &[&str] = &[
    "secret_names",
    "monitor_period_milliseconds",
    "monitor_customer_milliseconds",
    "rotation_interval",
    "delay_interval",
];

/// The fallback password variable every official client reads last (plugin.md 1.7).
pub const CLIENT_KEY_PASSWORD_ENV: &str = "client_key_password";
/// Where the ECS metadata service is (tests and emulators point it at loopback).
pub const ECS_METADATA_ENV: &str = "RAMSECRET_ECS_METADATA_ENDPOINT";

/// A configuration problem, as one line that names where, which key, and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> Self {
        // One line, always: the CLI prints errors as a single `ramsecret: error: ...` line.
        let message = message.into().replace(['\r', '\n'], " ");
        ConfigError { message }
    }
}

/// Where a ClientKey password comes from, in the plug-ins' order (plugin.md 1.7). Each source
/// remembers the config key it came from so errors can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Tried in order; the first that yields a value wins. Always ends with the
    /// `client_key_password` environment variable.
    pub password: Vec<PasswordSource>,
}

#[derive(Clone)]
pub enum Credentials {
    /// `ak` and `token` (the latter is an AccessKey pair despite its name).
    AccessKey { id: String, secret: SecretString },
    /// `sts` and `ram_role`: AssumeRole with the source AccessKey.
    AssumeRole {
        id: String,
        secret: SecretString,
        role_arn: String,
        session_name: String,
        policy: Option<String>,
    },
    /// `ecs_ram_role`: the instance's RAM role through the metadata service.
    EcsRamRole { role_name: String },
    /// `client_key`: RSA-signed requests with a ClientKey.
    ClientKey(ClientKeyRef),
}

/// Hand-written so secrets never print and AccessKey IDs print masked.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AccessKey { id, .. } => f
                .debug_struct("AccessKey")
                .field("id", &mask_id(id))
                .finish_non_exhaustive(),
            Credentials::AssumeRole {
                id,
                role_arn,
                session_name,
                policy,
                ..
            } => f
                .debug_struct("AssumeRole")
                .field("id", &mask_id(id))
                .field("role_arn", role_arn)
                .field("session_name", session_name)
                .field("policy", &policy.is_some())
                .finish_non_exhaustive(),
            Credentials::EcsRamRole { role_name } => f
                .debug_struct("EcsRamRole")
                .field("role_name", role_name)
                .finish(),
            Credentials::ClientKey(r) => f.debug_tuple("ClientKey").field(r).finish(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Region {
    pub region_id: String,
    /// Base URL, `https://kms.cn-hangzhou.aliyuncs.com` or `http://127.0.0.1:8080` (loopback only).
    pub url: String,
}

#[derive(Debug, Clone)]
pub struct Instance {
    /// Position in its `cache_client_dkms_config_info` array (0-based), for messages.
    pub index: usize,
    /// Where the entry was configured, for messages: `/path/file.properties:7: cache_client_dkms_config_info[0]`
    /// or `environment variable cache_client_dkms_config_info[0]`.
    pub origin: String,
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
    /// Non-fatal findings (unknown keys, overridden values) for `-v` output. Never contain values.
    pub warnings: Vec<String>,
}

/// Load the configuration for this process: real working directory, config dir and environment.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let cwd = std::env::current_dir()
        .map_err(|e| ConfigError::new(format!("cannot determine the current directory: {e}")))?;
    load_from(explicit, &cwd, dirs::config_dir().as_deref(), &process_env)
}

/// Where the plug-in file may be, in lookup order: the explicit file, else `./` then the user
/// config directory. Shared with the cache key, which must find the file without parsing it.
pub fn plugin_file_candidates(
    explicit: Option<&Path>,
    cwd: &Path,
    config_dir: Option<&Path>,
) -> Vec<PathBuf> {
    match explicit {
        Some(p) => vec![cwd.join(p)],
        None => std::iter::once(cwd.join(PLUGIN_FILE))
            .chain(config_dir.map(|d| d.join("ramsecret").join(PLUGIN_FILE)))
            .collect(),
    }
}

/// The real process environment, in the shape [`load_from`] and [`resolve_password`] take.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// [`load`] with the working directory, user config directory and environment injected (tests).
pub fn load_from(
    explicit: Option<&Path>,
    cwd: &Path,
    config_dir: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    let mut searched = plugin_file_candidates(explicit, cwd, config_dir);
    let plugin_file = searched.iter().find(|p| p.is_file()).cloned();
    if explicit.is_some() && plugin_file.is_none() {
        return Err(ConfigError::new(format!(
            "{}: config file not found (given by --config or RAMSECRET_CONFIG); check the path",
            searched[0].display()
        )));
    }
    let client_file = cwd.join(CLIENT_FILE);
    searched.push(client_file.clone());

    let mut layers = Vec::new();
    if let Some(p) = &plugin_file {
        layers.push(Layer::read(p)?);
    }
    if client_file.is_file() {
        layers.push(Layer::read(&client_file)?);
    }
    layers.push(Layer::from_env(env));

    let mut config = build(&layers, cwd, env)?;
    config.files = layers.iter().filter_map(|l| l.file.clone()).collect();

    if config.instances.is_empty() {
        if plugin_file.is_none() && config.regions.is_empty() && config.credentials.is_none() {
            return Err(ConfigError::new(format!(
                "no configuration found: searched {} and environment variables credentials_type/cache_client_region_id/cache_client_dkms_config_info; create {PLUGIN_FILE} (the official plug-ins' file) in one of those places or pass --config",
                display_paths(&searched)
            )));
        }
        let target = layers[0].file.as_ref().map_or_else(
            || "the environment".to_string(),
            |p| p.display().to_string(),
        );
        // Without a plug-in file the user most likely put it somewhere we do not look.
        let target = match plugin_file {
            Some(_) => target,
            None => format!(
                "{target} (no {PLUGIN_FILE} found; searched {})",
                display_paths(&searched)
            ),
        };
        if config.regions.is_empty() {
            return Err(ConfigError::new(format!(
                "cache_client_region_id is missing: add e.g. cache_client_region_id=[{{\"regionId\":\"cn-hangzhou\"}}] to {target}"
            )));
        }
        if config.credentials.is_none() {
            return Err(ConfigError::new(format!(
                "credentials_type is missing: add e.g. credentials_type=ak with credentials_access_key_id and credentials_access_secret to {target} (valid types: {VALID_TYPES})"
            )));
        }
    }
    Ok(config)
}

fn display_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

/// Try the password sources in order; the first non-empty value wins.
pub fn resolve_password(
    r: &ClientKeyRef,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<SecretString, ConfigError> {
    for source in &r.password {
        match source {
            PasswordSource::Env { var, .. } => {
                if let Some(mut v) = env(var) {
                    if !v.is_empty() {
                        let s = SecretString::new(v.as_str());
                        v.zeroize();
                        return Ok(s);
                    }
                }
            }
            PasswordSource::File { key, path } => {
                let mut text = std::fs::read_to_string(path).map_err(|e| {
                    ConfigError::new(format!(
                        "{key}: cannot read the ClientKey password file {}: {e}; check the path and its permissions",
                        path.display()
                    ))
                })?;
                // Python's client strips whitespace and removes CR/LF; Go trims (dkms.md 4).
                let password: String = text
                    .trim()
                    .chars()
                    .filter(|c| *c != '\r' && *c != '\n')
                    .collect();
                text.zeroize();
                if !password.is_empty() {
                    return Ok(SecretString::new(password));
                }
            }
        }
    }
    Err(ConfigError::new(format!(
        "no ClientKey password for {}: set client_key_password_from_env_variable, client_key_password_from_file_path or the {CLIENT_KEY_PASSWORD_ENV} environment variable",
        r.path.display()
    )))
}

// ---------------------------------------------------------------------------------------------
// Raw layers

/// One configuration source: a properties file, or the environment (`file == None`).
struct Layer {
    file: Option<PathBuf>,
    /// key -> (trimmed value, 1-based line; 0 for the environment). Last occurrence wins.
    values: BTreeMap<String, (String, usize)>,
    /// Findings while reading (repeated keys), passed on to `Config.warnings`.
    warnings: Vec<String>,
}

impl Layer {
    fn read(path: &Path) -> Result<Layer, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| {
            ConfigError::new(format!(
                "{}: cannot read: {e}; check the path and its permissions",
                path.display()
            ))
        })?;
        let entries = properties::parse(&bytes).map_err(|e| {
            let at = e.line.map_or_else(|| path.display().to_string(), |n| format!("{}:{n}", path.display()));
            ConfigError::new(format!(
                "{at}: {}; a backslash starts an escape in .properties files: write \\\\ for a backslash (C:\\\\dir) or use / (C:/dir)",
                e.message
            ))
        })?;
        let mut layer = Layer {
            file: Some(path.to_path_buf()),
            values: BTreeMap::new(),
            warnings: Vec::new(),
        };
        for e in entries {
            if let Some((_, old)) = layer.values.get(&e.key).filter(|_| looks_like_key(&e.key)) {
                layer.warnings.push(format!(
                    "{}:{}: {}: repeated; the value from line {} wins",
                    path.display(),
                    old,
                    e.key,
                    e.line
                ));
            }
            layer
                .values
                .insert(e.key, (e.value.trim().to_string(), e.line));
        }
        Ok(layer)
    }

    fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Layer {
        let values = KEYS
            .iter()
            .filter_map(|k| env(k).map(|v| (k.to_string(), (v.trim().to_string(), 0))))
            .collect();
        Layer {
            file: None,
            values,
            warnings: Vec::new(),
        }
    }

    /// Non-empty value of `key`.
    fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .map(|(v, _)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Where `key` (optionally an element path like `[0].endpoint`) is set, for messages:
    /// `/path:3: key[0].endpoint` or `environment variable key[0].endpoint`.
    fn at(&self, key: &str, sub: &str) -> String {
        match &self.file {
            None => format!("environment variable {key}{sub}"),
            Some(p) => match self.values.get(key) {
                Some((_, line)) => format!("{}:{line}: {key}{sub}", p.display()),
                None => format!("{}: {key}{sub}", p.display()),
            },
        }
    }

    /// How to add a missing key, in this layer's terms.
    fn how_to_add(&self, key: &str, example: &str) -> String {
        match self.file {
            Some(_) => format!("add the line {key}={example}"),
            None => format!("set the environment variable {key}={example}"),
        }
    }

    /// Relative paths in a file are relative to that file's directory; from the environment, to the cwd.
    fn resolve_path(&self, raw: &str, cwd: &Path) -> PathBuf {
        let base = self.file.as_deref().and_then(Path::parent).unwrap_or(cwd);
        cwd.join(base).join(raw)
    }
}

// ---------------------------------------------------------------------------------------------
// Build: layers -> typed Config

fn build(
    layers: &[Layer],
    cwd: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    let mut warnings = Vec::new();
    let mut credentials: Option<(Credentials, String)> = None;
    let mut regions = Vec::new();
    let mut instances = Vec::new();
    let mut sts_endpoint = None;

    for layer in layers {
        warnings.extend(layer.warnings.iter().cloned());
        // A later credential replaces an earlier one only when it defines credentials_type (Java's rule).
        if let Some(c) = parse_credentials(layer, cwd)? {
            let origin = layer.at("credentials_type", "");
            if let Some((_, old)) = &credentials {
                warnings.push(format!("{origin}: replaces the credential from {old}"));
            }
            credentials = Some((c, origin));
        }
        regions.extend(parse_regions(layer)?);
        let (mut found, referenced) = parse_instances(layer, cwd, env)?;
        instances.append(&mut found);
        if let Some(v) = layer.get("credentials_sts_endpoint") {
            sts_endpoint = Some(normalize_url(v).map_err(|e| {
                ConfigError::new(format!("{}: {e}", layer.at("credentials_sts_endpoint", "")))
            })?);
        }
        warnings.extend(unknown_key_warnings(layer, &referenced));
    }

    if !instances.is_empty() && (credentials.is_some() || !regions.is_empty()) {
        warnings.push(
            "cache_client_dkms_config_info is set, so only KMS instances are used (the plug-ins' rule); credentials_type and cache_client_region_id are ignored"
                .to_string(),
        );
    }
    let sts_url = sts_endpoint.unwrap_or_else(|| match regions.first() {
        Some(r) => format!("https://sts.{}.aliyuncs.com", r.region_id),
        None => GLOBAL_STS_URL.to_string(),
    });
    let ecs_metadata_url = env(ECS_METADATA_ENV)
        .map(|v| v.trim().trim_end_matches('/').to_string())
        .filter(|v| !v.is_empty())
        .map(|v| {
            if v.contains("://") {
                v
            } else {
                format!("http://{v}")
            }
        })
        .unwrap_or_else(|| DEFAULT_ECS_METADATA_URL.to_string());

    Ok(Config {
        files: Vec::new(),
        credentials: credentials.map(|(c, _)| c),
        regions,
        instances,
        sts_url,
        ecs_metadata_url,
        warnings,
    })
}

/// Property names are lower-case words; anything else may be a secret on a line of its own,
/// so warnings do not repeat it.
fn looks_like_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
}

fn unknown_key_warnings(layer: &Layer, referenced: &[String]) -> Vec<String> {
    if layer.file.is_none() {
        return Vec::new(); // only known names are read from the environment
    }
    let mut out = Vec::new();
    for key in layer.values.keys() {
        let known = KEYS.contains(&key.as_str())
            || PLUGIN_ONLY_KEYS.contains(&key.as_str())
            || referenced.contains(key);
        if !known {
            let line = layer.values.get(key).map(|(_, l)| *l).unwrap_or(0);
            let file = layer.file.as_deref().unwrap_or(Path::new("")).display();
            out.push(if looks_like_key(key) {
                format!("{file}:{line}: {key}: unknown key, ignored (check the spelling)")
            } else {
                // Not shown: a line with no separator may be a pasted secret.
                format!("{file}:{line}: not a plug-in key=value line, ignored")
            });
        }
    }
    if layer.get("credentials_type").is_none() {
        for key in [
            "credentials_access_key_id",
            "credentials_access_token_id",
            "credentials_role_name",
            "client_key_private_key_path",
        ] {
            // The DKMS entries fall back to client_key_private_key_path, so it is used there.
            let used_by_instances = key == "client_key_private_key_path"
                && layer.get("cache_client_dkms_config_info").is_some();
            if layer.get(key).is_some() && !used_by_instances {
                out.push(format!(
                    "{}: ignored because this file sets no credentials_type",
                    layer.at(key, "")
                ));
            }
        }
    }
    out
}

fn parse_credentials(layer: &Layer, cwd: &Path) -> Result<Option<Credentials>, ConfigError> {
    let Some(kind) = layer.get("credentials_type") else {
        return Ok(None);
    };
    let kind = kind.to_ascii_lowercase();
    let need = |key: &str, example: &str| -> Result<String, ConfigError> {
        layer.get(key).map(str::to_string).ok_or_else(|| {
            ConfigError::new(format!(
                "{}={kind}: {key} is missing; {}",
                layer.at("credentials_type", ""),
                layer.how_to_add(key, example)
            ))
        })
    };
    let creds = match kind.as_str() {
        "ak" => Credentials::AccessKey {
            id: need("credentials_access_key_id", "<AccessKeyId>")?,
            secret: SecretString::new(need("credentials_access_secret", "<AccessKeySecret>")?),
        },
        "token" => Credentials::AccessKey {
            id: need("credentials_access_token_id", "<AccessKeyId>")?,
            secret: SecretString::new(need("credentials_access_token", "<AccessKeySecret>")?),
        },
        "sts" | "ram_role" => Credentials::AssumeRole {
            id: need("credentials_access_key_id", "<AccessKeyId>")?,
            secret: SecretString::new(need("credentials_access_secret", "<AccessKeySecret>")?),
            role_arn: need(
                "credentials_role_arn",
                "acs:ram::<account-id>:role/<role-name>",
            )?,
            session_name: need("credentials_role_session_name", "ramsecret")?,
            policy: layer.get("credentials_policy").map(str::to_string),
        },
        "ecs_ram_role" => Credentials::EcsRamRole {
            role_name: need("credentials_role_name", "<RAM role of this ECS instance>")?,
        },
        "client_key" => {
            let key = "client_key_private_key_path";
            let raw = need(key, "/path/clientKey_KAAP.<id>.json")?;
            let path = checked_path(layer, key, "", &raw, false, cwd)?;
            let mut password = Vec::new();
            push_global_password_sources(layer, cwd, &mut password)?;
            password.push(fallback_password_source());
            Credentials::ClientKey(ClientKeyRef {
                key: key.to_string(),
                path,
                password,
            })
        }
        _ => {
            return Err(ConfigError::new(format!(
                "{}: unknown type {kind:?}; use one of {VALID_TYPES}",
                layer.at("credentials_type", "")
            )))
        }
    };
    Ok(Some(creds))
}

/// `client_key_password_from_env_variable`, then `client_key_password_from_file_path` (plugin.md 1.7).
fn push_global_password_sources(
    layer: &Layer,
    cwd: &Path,
    out: &mut Vec<PasswordSource>,
) -> Result<(), ConfigError> {
    if let Some(var) = layer.get("client_key_password_from_env_variable") {
        out.push(PasswordSource::Env {
            key: "client_key_password_from_env_variable".into(),
            var: var.into(),
        });
    }
    let key = "client_key_password_from_file_path";
    if let Some(raw) = layer.get(key) {
        out.push(PasswordSource::File {
            key: key.into(),
            path: checked_path(layer, key, "", raw, false, cwd)?,
        });
    }
    Ok(())
}

fn fallback_password_source() -> PasswordSource {
    PasswordSource::Env {
        key: format!("{CLIENT_KEY_PASSWORD_ENV} (fallback)"),
        var: CLIENT_KEY_PASSWORD_ENV.into(),
    }
}

fn parse_regions(layer: &Layer) -> Result<Vec<Region>, ConfigError> {
    let key = "cache_client_region_id";
    let example = r#"[{"regionId":"cn-hangzhou"}]"#;
    let Some(items) = json_array(layer, key, example)? else {
        return Ok(Vec::new());
    };
    let mut regions = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = |field: &str| layer.at(key, &format!("[{i}]{field}"));
        let (obj, region_id) = entry_object(item, &at, example)?;
        let vpc = optional_bool(obj, "vpc", &at(".vpc"))?.unwrap_or(false);
        let url = match optional_str(obj, "endpoint", &at(".endpoint"))? {
            Some(ep) => normalize_url(ep)
                .map_err(|e| ConfigError::new(format!("{}: {e}", at(".endpoint"))))?,
            None if vpc => format!("https://kms-vpc.{region_id}.aliyuncs.com"),
            None => format!("https://kms.{region_id}.aliyuncs.com"),
        };
        regions.push(Region { region_id, url });
    }
    Ok(regions)
}

/// One element of a region/instance array: a JSON object with a `regionId`.
fn entry_object<'a>(
    item: &'a Value,
    at: &dyn Fn(&str) -> String,
    example: &str,
) -> Result<(&'a serde_json::Map<String, Value>, String), ConfigError> {
    let obj = item.as_object().ok_or_else(|| {
        ConfigError::new(format!(
            "{}: not a JSON object; write e.g. {example}",
            at("")
        ))
    })?;
    let region_id = required_str(
        obj,
        "regionId",
        &at(".regionId"),
        "\"regionId\":\"cn-hangzhou\"",
    )?;
    Ok((obj, region_id))
}

/// Parse the KMS-instance entries. Also returns the property names that entries reference
/// through `passwordFromFilePathName`, so they are not reported as unknown keys.
fn parse_instances(
    layer: &Layer,
    cwd: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(Vec<Instance>, Vec<String>), ConfigError> {
    let key = "cache_client_dkms_config_info";
    let example = r#"[{"regionId":"cn-hangzhou","endpoint":"kst-xxx.cryptoservice.kms.aliyuncs.com","clientKeyFile":"/path/clientKey.json","passwordFromFilePath":"/path/password.txt","caFilePath":"/path/PrivateKmsCA.pem"}]"#;
    let Some(items) = json_array(layer, key, example)? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut instances = Vec::new();
    let mut referenced = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let entry = format!("[{index}]");
        let at = |field: &str| layer.at(key, &format!("{entry}{field}"));
        let (obj, region_id) = entry_object(item, &at, example)?;
        let raw_endpoint = required_str(
            obj,
            "endpoint",
            &at(".endpoint"),
            "\"endpoint\":\"kst-xxx.cryptoservice.kms.aliyuncs.com\"",
        )?;
        let endpoint = instance_endpoint(&raw_endpoint)
            .map_err(|e| ConfigError::new(format!("{}: {e}", at(".endpoint"))))?;

        // Java falls back to the global ClientKey path; Go/Python require clientKeyFile.
        let client_key = match optional_str(obj, "clientKeyFile", &at(".clientKeyFile"))? {
            Some(raw) => (format!("{key}{entry}.clientKeyFile"), checked_path(layer, key, &format!("{entry}.clientKeyFile"), raw, true, cwd)?),
            None => match layer.get("client_key_private_key_path") {
                Some(raw) => ("client_key_private_key_path".to_string(), checked_path(layer, "client_key_private_key_path", "", raw, false, cwd)?),
                None => {
                    return Err(ConfigError::new(format!(
                        "{}: missing; add \"clientKeyFile\":\"/path/clientKey_KAAP.<id>.json\" to the entry or set client_key_private_key_path",
                        at(".clientKeyFile")
                    )))
                }
            },
        };

        // Password order: entry env, entry file, entry file-by-name, then the global sources (plugin.md 1.6/1.7).
        let mut password = Vec::new();
        if let Some(var) = optional_str(
            obj,
            "passwordFromEnvVariable",
            &at(".passwordFromEnvVariable"),
        )? {
            password.push(PasswordSource::Env {
                key: format!("{key}{entry}.passwordFromEnvVariable"),
                var: var.to_string(),
            });
        }
        if let Some(raw) = optional_str(obj, "passwordFromFilePath", &at(".passwordFromFilePath"))?
        {
            let path = checked_path(
                layer,
                key,
                &format!("{entry}.passwordFromFilePath"),
                raw,
                true,
                cwd,
            )?;
            password.push(PasswordSource::File {
                key: format!("{key}{entry}.passwordFromFilePath"),
                path,
            });
        }
        if let Some(name) = optional_str(
            obj,
            "passwordFromFilePathName",
            &at(".passwordFromFilePathName"),
        )? {
            // The name of a property of this file (or an environment variable) holding the path.
            let raw = layer
                .get(name)
                .map(str::to_string)
                .or_else(|| env(name).filter(|v| !v.trim().is_empty()));
            let raw = raw.ok_or_else(|| {
                ConfigError::new(format!(
                    "{}: names {name:?}, but no property or environment variable {name} is set; add {name}=/path/password.txt",
                    at(".passwordFromFilePathName")
                ))
            })?;
            let path = checked_path(layer, name, "", raw.trim(), false, cwd)?;
            password.push(PasswordSource::File {
                key: format!("{key}{entry}.passwordFromFilePathName ({name})"),
                path,
            });
            referenced.push(name.to_string());
        }
        push_global_password_sources(layer, cwd, &mut password)?;
        password.push(fallback_password_source());

        let ignore_ssl_certs =
            optional_bool(obj, "ignoreSslCerts", &at(".ignoreSslCerts"))?.unwrap_or(false);
        let ca_file = match optional_str(obj, "caFilePath", &at(".caFilePath"))? {
            Some(raw) => Some(checked_path(layer, key, &format!("{entry}.caFilePath"), raw, true, cwd)?),
            None if ignore_ssl_certs => None,
            None => {
                return Err(ConfigError::new(format!(
                    "{}: missing; add \"caFilePath\":\"/path/PrivateKmsCA_kst-xxx.pem\" (the instance CA from the KMS console), or \"ignoreSslCerts\":true to skip certificate checks (insecure)",
                    at(".caFilePath")
                )))
            }
        };

        instances.push(Instance {
            index,
            origin: at(""),
            region_id,
            endpoint,
            client_key: ClientKeyRef {
                key: client_key.0,
                path: client_key.1,
                password,
            },
            ignore_ssl_certs,
            ca_file,
        });
    }
    Ok((instances, referenced))
}

// ---------------------------------------------------------------------------------------------
// Value helpers

/// Parse `key` as a JSON array, or `None` when unset. Bad JSON gets the Windows-path hint when
/// backslashes or control characters suggest the .properties escapes ate a path.
fn json_array(layer: &Layer, key: &str, example: &str) -> Result<Option<Vec<Value>>, ConfigError> {
    let Some(raw) = layer.get(key) else {
        return Ok(None);
    };
    let value: Value = serde_json::from_str(raw).map_err(|e| {
        let hint = if looks_like_mangled_path(raw) {
            format!("; {}", windows_hint(layer, true))
        } else {
            String::new()
        };
        ConfigError::new(format!(
            "{}: not valid JSON ({e}); write e.g. {example}{hint}",
            layer.at(key, "")
        ))
    })?;
    match value {
        Value::Array(items) => Ok(Some(items)),
        _ => Err(ConfigError::new(format!(
            "{}: not a JSON array; write e.g. {example}",
            layer.at(key, "")
        ))),
    }
}

/// Control characters (a `\f` or `\r` that .properties made from `C:\file`) or a backslash
/// that starts no JSON escape (`C:\dir`): the signs of a Windows path written with too few backslashes.
fn looks_like_mangled_path(json: &str) -> bool {
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        if c.is_control() && !matches!(c, '\n' | '\t' | ' ') {
            return true;
        }
        if c == '\\'
            && !matches!(
                chars.next(),
                Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u')
            )
        {
            return true;
        }
    }
    false
}

/// How to write a Windows path in this layer: .properties eats one level of backslashes, JSON another.
fn windows_hint(layer: &Layer, in_json: bool) -> &'static str {
    match (layer.file.is_some(), in_json) {
        (true, true) => {
            r"a Windows path with single backslashes is mangled by .properties escapes; inside this JSON write every backslash as four (C:\\\\dir\\\\file) or use forward slashes (C:/dir/file)"
        }
        (true, false) => {
            r"a Windows path with single backslashes is mangled by .properties escapes; double every backslash (C:\\dir\\file) or use forward slashes (C:/dir/file)"
        }
        (false, true) => {
            r"inside JSON write every backslash as two (C:\\dir\\file) or use forward slashes (C:/dir/file)"
        }
        (false, false) => r"use forward slashes (C:/dir/file)",
    }
}

/// Validate a configured path: control characters, or a drive letter directly followed by a
/// name (`C:dir`), mean the .properties escapes ate the backslashes.
fn checked_path(
    layer: &Layer,
    key: &str,
    sub: &str,
    raw: &str,
    in_json: bool,
    cwd: &Path,
) -> Result<PathBuf, ConfigError> {
    let b = raw.as_bytes();
    let drive_relative =
        b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] != b'/' && b[2] != b'\\';
    if raw.chars().any(char::is_control) || drive_relative {
        return Err(ConfigError::new(format!(
            "{}: path contains control characters or lost its separators; {}",
            layer.at(key, sub),
            windows_hint(layer, in_json)
        )));
    }
    Ok(layer.resolve_path(raw, cwd))
}

fn required_str(
    obj: &Map<String, Value>,
    field: &str,
    at: &str,
    example: &str,
) -> Result<String, ConfigError> {
    optional_str(obj, field, at)?
        .map(str::to_string)
        .ok_or_else(|| ConfigError::new(format!("{at}: missing; add {example} to the entry")))
}

/// A string field; absent, null and "" all count as unset (the plug-ins use isEmpty checks).
fn optional_str<'a>(
    obj: &'a Map<String, Value>,
    field: &str,
    at: &str,
) -> Result<Option<&'a str>, ConfigError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
        Some(_) => Err(ConfigError::new(format!(
            "{at}: expected a JSON string; put the value in double quotes"
        ))),
    }
}

/// A boolean field: JSON bool or the strings "true"/"false" in any case (JC TypeUtils.parseBoolean).
fn optional_bool(
    obj: &Map<String, Value>,
    field: &str,
    at: &str,
) -> Result<Option<bool>, ConfigError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(ConfigError::new(format!("{at}: expected true or false"))),
    }
}

/// A shared-gateway or STS endpoint: bare `host[:port]` (-> https) or a URL. Plain http is
/// allowed only for loopback hosts (local emulators); anything else would send signed requests
/// in clear text. Returns the URL without a trailing `/`.
fn normalize_url(raw: &str) -> Result<String, String> {
    let raw = raw.trim().trim_end_matches('/');
    if raw.is_empty() || raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("not a host name or URL; write e.g. kms.cn-hangzhou.aliyuncs.com".into());
    }
    let full = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    // Parse with the same URL parser that decides where reqwest connects, so the host checked
    // here is the host we talk to (`http://127.0.0.1@evil.example` is evil.example).
    let url = reqwest::Url::parse(&full).map_err(|e| {
        format!("not a host name or URL ({e}); write e.g. kms.cn-hangzhou.aliyuncs.com")
    })?;
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err("write only scheme, host and port (no user name, query or fragment); e.g. https://kms.cn-hangzhou.aliyuncs.com".into());
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err("no host name; write e.g. kms.cn-hangzhou.aliyuncs.com".into()),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(format!("HTTPS is required for {} (plain http is allowed only for loopback hosts: 127.0.0.0/8, ::1, localhost); write https:// or the bare host", url.host_str().unwrap_or_default())),
        other => return Err(format!("unsupported scheme {other:?}; write https://host or the bare host")),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// KMS-instance endpoint as `host[:port]`: the instance gateway is always HTTPS.
fn instance_endpoint(raw: &str) -> Result<String, String> {
    let mut host = raw.trim().trim_end_matches('/');
    // `get` by bytes: a non-ASCII endpoint must not split a character (found by fuzzing).
    if host
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    {
        host = &host[8..];
    }
    if host.is_empty()
        || host.contains("://")
        || host.contains('/')
        || host.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err("expected the instance host, e.g. kst-xxx.cryptoservice.kms.aliyuncs.com (the KMS instance gateway is always HTTPS)".into());
    }
    Ok(host.to_string())
}
