//! Where cache entries live.
//!
//! One directory per user, 0700: `$XDG_RUNTIME_DIR/ramsecret` (tmpfs, cleared at logout) when
//! there is a runtime directory, else `<cache dir>/ramsecret` (`~/.cache/ramsecret`). Per entry,
//! named by the hex cache key:
//! - `<key>.json` (0600, replaced atomically by temp file + rename): non-secret metadata (secret
//!   name, requested stage/id, masked AccessKeyId, version, rotation date, when stored, when the
//!   rotation clock ends it) and, for the **file** backend only, the AccessKey pair itself;
//! - `<key>.lock` (0600, empty): `flock`ed by the one process fetching from KMS.
//!
//! With the **keyring** backend the AccessKey pair (with its metadata) is kept in the OS keyring
//! as service `ramsecret`, user `<key>`, and the `.json` file holds no secret. On Linux that is
//! the kernel keyutils session keyring (memory only, never on disk, gone at reboot; no D-Bus, so
//! a cache hit stays cheap), else the desktop's Secret Service (GNOME Keyring, KWallet), which
//! is only connected to when the kernel keyring refuses a write or an entry lives there.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use keyring_core::{CredentialStore, Entry};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::secret::{RamSecret, SecretString};

pub const KEYRING_SERVICE: &str = "ramsecret";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    File,
    /// The kernel keyring (keyutils).
    Keyring,
    #[serde(rename = "secret-service")]
    SecretService,
}

/// The secret part of an entry: everything needed to rebuild the [`RamSecret`].
#[derive(Serialize, Deserialize)]
pub struct Payload {
    pub secret_name: String,
    pub access_key_id: String,
    pub access_key_secret: SecretString,
    #[serde(default)]
    pub generate_timestamp: String,
    #[serde(default)]
    pub secret_type: String,
    #[serde(default)]
    pub version_id: String,
    #[serde(default)]
    pub version_stages: Vec<String>,
    #[serde(default)]
    pub next_rotation_date: String,
    #[serde(default)]
    pub rotation_interval: String,
    #[serde(default)]
    pub extended_config: String,
}

impl Payload {
    pub fn from_secret(s: &RamSecret) -> Payload {
        Payload {
            secret_name: s.secret_name.clone(),
            access_key_id: s.access_key_id.clone(),
            access_key_secret: s.access_key_secret.clone(),
            generate_timestamp: s.generate_timestamp.clone(),
            secret_type: s.secret_type.clone(),
            version_id: s.version_id.clone(),
            version_stages: s.version_stages.clone(),
            next_rotation_date: s.next_rotation_date.clone(),
            rotation_interval: s.rotation_interval.clone(),
            extended_config: s.extended_config.clone(),
        }
    }

    pub fn into_secret(self) -> RamSecret {
        RamSecret {
            secret_name: self.secret_name,
            access_key_id: self.access_key_id,
            access_key_secret: self.access_key_secret,
            generate_timestamp: self.generate_timestamp,
            secret_type: self.secret_type,
            version_id: self.version_id,
            version_stages: self.version_stages,
            next_rotation_date: self.next_rotation_date,
            rotation_interval: self.rotation_interval,
            extended_config: self.extended_config,
        }
    }
}

/// The `<key>.json` file.
#[derive(Serialize, Deserialize)]
pub struct Meta {
    /// Format version (1).
    pub v: u32,
    pub name: String,
    #[serde(default)]
    pub version_stage: Option<String>,
    #[serde(default)]
    pub version_id_requested: Option<String>,
    pub backend: Backend,
    /// When fetched from KMS (Unix ms).
    pub stored_ms: u64,
    /// `NextRotationDate` + 5 min + jitter (Unix ms), when KMS gave a future rotation date.
    #[serde(default)]
    pub rotate_after_ms: Option<u64>,
    pub masked_access_key_id: String,
    #[serde(default)]
    pub version_id: String,
    #[serde(default)]
    pub next_rotation_date: String,
    /// Only with the file backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Payload>,
}

/// Entries are read from, and removed from, wherever they live; `--cache` only decides where new
/// ones are written. Keyrings are opened on first use (the Secret Service costs a D-Bus trip).
pub struct Store {
    pub dir: PathBuf,
    /// Use the OS keyrings (else only the injected one, for tests).
    os_keyrings: bool,
    keyring: OnceLock<Option<Arc<CredentialStore>>>,
    secret_service: OnceLock<Option<Arc<CredentialStore>>>,
}

/// The per-user cache directory (not created).
pub fn default_dir() -> Option<PathBuf> {
    dirs::runtime_dir()
        .or_else(dirs::cache_dir)
        .map(|d| d.join("ramsecret"))
}

/// The desktop Secret Service, when a D-Bus session offers one (fails fast otherwise).
fn secret_service_store() -> Option<Arc<CredentialStore>> {
    #[cfg(target_os = "linux")]
    {
        zbus_secret_service_keyring_store::Store::new()
            .ok()
            .map(|s| s as Arc<CredentialStore>)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// The platform keyring store, if this build has one.
fn platform_keyring() -> Option<Arc<CredentialStore>> {
    #[cfg(target_os = "linux")]
    {
        linux_keyutils_keyring_store::Store::new()
            .ok()
            .map(|s| s as Arc<CredentialStore>)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

fn io_ctx(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("{what} {}: {e}", path.display())
}

impl Store {
    /// The user's cache with the OS keyrings.
    pub fn open(dir: PathBuf) -> Store {
        Store {
            dir,
            os_keyrings: true,
            keyring: OnceLock::new(),
            secret_service: OnceLock::new(),
        }
    }

    /// A cache with exactly this keyring (or none) and never the OS's: for tests.
    pub fn new(dir: PathBuf, keyring: Option<Arc<CredentialStore>>) -> Store {
        Store {
            dir,
            os_keyrings: false,
            keyring: OnceLock::from(keyring),
            secret_service: OnceLock::new(),
        }
    }

    fn meta_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// Create the directory 0700, or check that an existing one is ours and private.
    pub fn ensure_dir(&self) -> Result<(), String> {
        if let Some(parent) = self.dir.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_ctx("cannot create", parent, e))?;
        }
        match std::fs::DirBuilder::new().mode(0o700).create(&self.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_ctx("cannot create", &self.dir, e)),
        }
        let md = std::fs::symlink_metadata(&self.dir)
            .map_err(|e| io_ctx("cannot inspect", &self.dir, e))?;
        if !md.is_dir() {
            return Err(format!("{} is not a directory", self.dir.display()));
        }
        if md.uid() != unsafe { libc::geteuid() } {
            return Err(format!("{} belongs to another user", self.dir.display()));
        }
        if md.mode() & 0o077 != 0 {
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| io_ctx("cannot chmod 0700", &self.dir, e))?;
        }
        Ok(())
    }

    /// Read a private file of ours; anything odd (missing, foreign, group-readable) is `None`.
    fn read_private(path: &Path) -> Option<Vec<u8>> {
        let mut f = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)
            .ok()?;
        let md = f.metadata().ok()?;
        if !md.is_file()
            || md.uid() != unsafe { libc::geteuid() }
            || md.mode() & 0o077 != 0
            || md.len() > 1 << 20
        {
            return None;
        }
        let mut buf = Vec::with_capacity(md.len() as usize + 1);
        f.read_to_end(&mut buf).ok()?;
        Some(buf)
    }

    pub fn read_meta_file(path: &Path) -> Option<Meta> {
        let mut bytes = Self::read_private(path)?;
        let meta = serde_json::from_slice::<Meta>(&bytes)
            .ok()
            .filter(|m| m.v == 1);
        bytes.zeroize();
        meta
    }

    pub fn read_meta(&self, key: &str) -> Option<Meta> {
        Self::read_meta_file(&self.meta_path(key))
    }

    /// The entry with its secret (from the file or the keyring), if `wanted` accepts its
    /// metadata: the keyring is only asked for entries that will be used.
    pub fn read(&self, key: &str, wanted: impl Fn(&Meta) -> bool) -> Option<(Meta, RamSecret)> {
        let mut meta = self.read_meta(key).filter(|m| wanted(m))?;
        let payload = match meta.backend {
            Backend::File => meta.secret.take()?,
            b => self.keyring_get(b, key)?,
        };
        Some((meta, payload.into_secret()))
    }

    fn keyring_store(&self, backend: Backend) -> Option<Arc<CredentialStore>> {
        match backend {
            Backend::File => None,
            Backend::Keyring => self
                .keyring
                .get_or_init(|| {
                    if self.os_keyrings {
                        platform_keyring()
                    } else {
                        None
                    }
                })
                .clone(),
            Backend::SecretService => self
                .secret_service
                .get_or_init(|| {
                    if self.os_keyrings {
                        secret_service_store()
                    } else {
                        None
                    }
                })
                .clone(),
        }
    }

    fn keyring_entry(&self, backend: Backend, key: &str) -> Result<Entry, String> {
        let store = self
            .keyring_store(backend)
            .ok_or("no such keyring on this system")?;
        Entry::new_in_store(&store, KEYRING_SERVICE, key).map_err(|e| e.to_string())
    }

    fn keyring_get(&self, backend: Backend, key: &str) -> Option<Payload> {
        let mut bytes = self.keyring_entry(backend, key).ok()?.get_secret().ok()?;
        let p = serde_json::from_slice::<Payload>(&bytes).ok();
        bytes.zeroize();
        p
    }

    /// Store the secret in the first keyring that takes it: the kernel keyring, else the
    /// Secret Service. Returns which one. The error text never contains the secret.
    pub fn keyring_set(&self, key: &str, payload: &Payload) -> Result<Backend, String> {
        let mut json = serde_json::to_vec(payload).map_err(|e| e.to_string())?;
        let mut errors = Vec::new();
        let mut stored = None;
        for (backend, label) in [
            (Backend::Keyring, "kernel keyring"),
            (Backend::SecretService, "Secret Service"),
        ] {
            match self
                .keyring_entry(backend, key)
                .and_then(|e| e.set_secret(&json).map_err(|e| e.to_string()))
            {
                Ok(()) => {
                    stored = Some(backend);
                    break;
                }
                Err(e) => errors.push(format!("{label}: {e}")),
            }
        }
        json.zeroize();
        stored.ok_or_else(|| errors.join("; "))
    }

    pub fn keyring_delete(&self, backend: Backend, key: &str) {
        if let Ok(e) = self.keyring_entry(backend, key) {
            let _ = e.delete_credential();
        }
    }

    /// Replace `<key>.json` atomically: a 0600 temp file in the same directory, then rename.
    pub fn write_meta(&self, key: &str, meta: &Meta) -> Result<(), String> {
        self.ensure_dir()?;
        let mut json = serde_json::to_vec(meta).map_err(|e| e.to_string())?;
        let mut rnd = [0u8; 6];
        let _ = getrandom::fill(&mut rnd);
        let tmp = self.dir.join(format!(
            ".{key}.{}.{}.tmp",
            std::process::id(),
            super::key::hex(&rnd)
        ));
        let result = (|| {
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&tmp)
                .map_err(|e| io_ctx("cannot create", &tmp, e))?;
            f.write_all(&json)
                .map_err(|e| io_ctx("cannot write", &tmp, e))?;
            drop(f);
            std::fs::rename(&tmp, self.meta_path(key)).map_err(|e| io_ctx("cannot rename", &tmp, e))
        })();
        json.zeroize();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Drop an entry from the file and the keyring.
    pub fn remove(&self, key: &str) {
        let backend = self.read_meta(key).map(|m| m.backend);
        let _ = std::fs::remove_file(self.meta_path(key));
        if let Some(b) = backend.filter(|b| *b != Backend::File) {
            self.keyring_delete(b, key);
        }
    }

    /// Every entry file: (key, path).
    pub fn list(&self) -> Vec<(String, PathBuf)> {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return vec![];
        };
        let mut out: Vec<(String, PathBuf)> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let key = name.strip_suffix(".json")?;
                (key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()))
                    .then(|| (key.to_string(), e.path()))
            })
            .collect();
        out.sort();
        out
    }

    /// Take the per-key lock, waiting until `deadline`. `Ok(None)`: timed out. Returns whether
    /// we had to wait (another process was fetching).
    pub fn lock(&self, key: &str, deadline: Instant) -> Result<Option<(Lock, bool)>, String> {
        self.ensure_dir()?;
        let path = self.dir.join(format!("{key}.lock"));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(|e| io_ctx("cannot open", &path, e))?;
        let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
        let mut waited = false;
        let mut pause = Duration::from_millis(2);
        loop {
            if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Ok(Some((Lock { _file: file }, waited)));
            }
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EWOULDBLOCK)
                && err.kind() != std::io::ErrorKind::Interrupted
            {
                return Err(io_ctx("cannot lock", &path, err));
            }
            waited = true;
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(25));
        }
    }
}

/// Held while fetching; closing the file releases the `flock`.
pub struct Lock {
    _file: File,
}
