//! The cache key: a SHA-256 over everything that changes the answer, computed without parsing
//! any configuration (the hit path must stay cheap).
//!
//! Hashed, each part length-prefixed: the path and raw bytes of the configuration file the
//! loader would pick (`--config`/`RAMSECRET_CONFIG`, else `./managed_credentials_providers.properties`,
//! else `<config dir>/ramsecret/managed_credentials_providers.properties`), the path and bytes of
//! `./secretsmanager.properties` when present, the names and values of the configuration
//! environment variables, and the secret name, version stage and version id. The hash covers
//! credentials too, so two identities never share an entry; the hash itself reveals nothing.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::kms::SecretRequest;

use crate::config::{self, CLIENT_FILE};

/// Environment variables that change what the loader builds.
pub fn is_config_var(name: &OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| config::KEYS.contains(&n) || n == config::ECS_METADATA_ENV)
}

/// The configuration file the loader would read (it may not exist).
pub fn config_file(explicit: Option<&Path>) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let candidates = config::plugin_file_candidates(explicit, &cwd, dirs::config_dir().as_deref());
    if explicit.is_some() {
        return candidates.into_iter().next();
    }
    candidates.into_iter().find(|p| p.is_file())
}

struct Hasher(Sha256);

impl Hasher {
    fn part(&mut self, tag: &str, bytes: &[u8]) {
        self.0.update((tag.len() as u64).to_le_bytes());
        self.0.update(tag.as_bytes());
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn file(&mut self, tag: &str, path: &Path) {
        let abs = std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf());
        self.part(tag, abs.as_os_str().as_encoded_bytes());
        match std::fs::read(path) {
            Ok(bytes) => self.part("bytes", &bytes),
            Err(e) => self.part("unreadable", e.kind().to_string().as_bytes()),
        }
    }
}

/// Lowercase hex SHA-256 naming one cache entry.
pub fn compute(explicit_config: Option<&Path>, req: &SecretRequest) -> String {
    let mut h = Hasher(Sha256::new());
    h.part("ramsecret-cache", b"1");
    match config_file(explicit_config) {
        Some(p) => h.file("config", &p),
        None => h.part("config", b""),
    }
    let extra = Path::new(CLIENT_FILE);
    if extra.is_file() {
        h.file("extra", extra);
    }
    let mut vars: Vec<(std::ffi::OsString, std::ffi::OsString)> = std::env::vars_os()
        .filter(|(k, _)| is_config_var(k))
        .collect();
    vars.sort();
    if !vars.is_empty() {
        // Relative paths in environment values resolve against the working directory.
        let cwd = std::env::current_dir().unwrap_or_default();
        h.part("cwd", cwd.as_os_str().as_encoded_bytes());
    }
    for (k, v) in &vars {
        h.part("env", k.as_encoded_bytes());
        h.part("val", v.as_encoded_bytes());
    }
    h.part("name", req.name.as_bytes());
    h.part(
        "stage",
        req.version_stage.as_deref().unwrap_or("\0none").as_bytes(),
    );
    h.part(
        "id",
        req.version_id.as_deref().unwrap_or("\0none").as_bytes(),
    );
    hex(&h.0.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(name: &str, stage: Option<&str>, id: Option<&str>) -> SecretRequest {
        SecretRequest {
            name: name.into(),
            version_stage: stage.map(Into::into),
            version_id: id.map(Into::into),
        }
    }

    #[test]
    fn key_covers_name_stage_id_and_config_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.properties");
        std::fs::write(&cfg, "credentials_type=ak\n").unwrap();
        let a = compute(Some(&cfg), &req("n", None, None));
        assert_eq!(a.len(), 64);
        assert_eq!(a, compute(Some(&cfg), &req("n", None, None)));
        assert_ne!(a, compute(Some(&cfg), &req("m", None, None)));
        assert_ne!(a, compute(Some(&cfg), &req("n", Some("ACSPrevious"), None)));
        assert_ne!(a, compute(Some(&cfg), &req("n", None, Some("v1"))));
        std::fs::write(&cfg, "credentials_type=ecs_ram_role\n").unwrap();
        assert_ne!(a, compute(Some(&cfg), &req("n", None, None)));
    }

    #[test]
    fn config_vars() {
        assert!(is_config_var(OsStr::new("credentials_access_key_id")));
        assert!(is_config_var(OsStr::new("cache_client_region_id")));
        assert!(is_config_var(OsStr::new("RAMSECRET_ECS_METADATA_ENDPOINT")));
        assert!(!is_config_var(OsStr::new("PATH")));
        assert!(!is_config_var(OsStr::new("RAMSECRET_CACHE")));
    }
}
