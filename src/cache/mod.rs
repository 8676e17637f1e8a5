//! Cache of fetched secrets shared by all invocations of one user (`get`, `env`, `exec`).
//!
//! What is stored where: see [`store`]. In short: `--cache keyring` keeps the AccessKey pair in
//! the OS keyring (Linux: kernel keyutils, memory only) and only non-secret metadata in a 0600
//! file; `--cache file` keeps the pair in that 0600 file, in a 0700 directory under
//! `$XDG_RUNTIME_DIR` (tmpfs) or, without one, under the user cache directory (on disk, plain
//! text); `auto` (default) uses the keyring when writing to it works, else the file.
//!
//! Policy:
//! - An entry is fresh until the earlier of `--max-age` after it was fetched and the rotation
//!   clock (`NextRotationDate` + 5 min + jitter in [0, 5 min)). A fresh entry is served with no
//!   network and without reading the configuration: the key ([`key`]) hashes the raw config
//!   bytes and environment.
//! - Otherwise (or with `--refresh`) one process per key fetches while holding a `flock`; the
//!   others wait (bounded by `--timeout`) and then use its result.
//! - Stale-if-error: when the fetch fails for a transient reason (unreachable, timeout,
//!   throttled, 5xx, gave up), an entry younger than `--stale-max-age` is served with one
//!   warning on stderr. When KMS says the secret is gone or access is denied, the entry is
//!   dropped and the error reported.

mod fast;
pub mod key;
pub use fast::try_get as fast_get;
pub mod store;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::cli::{CacheArgs, CacheCommand, CacheMode, GlobalArgs};
use crate::error::{Error, Exit, Result};
use crate::kms::{KmsError, SecretRequest};
use crate::secret::{format_timestamp, RamSecret};
use store::{Backend, Meta, Payload, Store};

type FromKms = fn(&GlobalArgs, &SecretRequest) -> Result<RamSecret>;

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The settings that steer one cache operation.
pub struct Policy {
    pub mode: CacheMode,
    pub max_age: Duration,
    pub stale_max_age: Duration,
    pub refresh: bool,
    pub timeout: Duration,
    pub quiet: bool,
}

impl Policy {
    fn from_global(g: &GlobalArgs) -> Policy {
        Policy {
            mode: g.cache.cache,
            max_age: g.cache.max_age,
            stale_max_age: g.cache.stale_max_age,
            refresh: g.cache.refresh,
            timeout: g.timeout,
            quiet: g.quiet,
        }
    }

    /// Until when (Unix ms) the entry may be served without asking KMS.
    pub fn fresh_until(&self, m: &Meta) -> u64 {
        let by_age = m.stored_ms.saturating_add(self.max_age.as_millis() as u64);
        m.rotate_after_ms.map_or(by_age, |r| r.min(by_age))
    }

    pub fn is_fresh(&self, m: &Meta, now: u64) -> bool {
        now >= m.stored_ms && now < self.fresh_until(m)
    }

    pub fn stale_servable(&self, m: &Meta, now: u64) -> bool {
        now.saturating_sub(m.stored_ms) < self.stale_max_age.as_millis() as u64
    }
}

/// A cache in one directory with one keyring store.
pub struct Cache {
    pub store: Store,
    pub policy: Policy,
}

/// Transient (unreachable, timed out, throttled, 5xx): worth serving a stale entry for.
fn transient(e: &Error) -> bool {
    e.exit() == Exit::Unavailable
}

/// KMS says the secret is gone or we may not read it: a cached copy must not outlive that.
/// A refusal of our clock or nonce says nothing about the secret, so it does not count.
fn revoked(e: &Error) -> bool {
    let clock = matches!(e, Error::Kms(k) if k.code().is_some_and(crate::kms::is_clock_code));
    matches!(e.exit(), Exit::NotFound | Exit::Refused) && !clock
}

fn warn(policy: &Policy, msg: &str) {
    if !policy.quiet {
        eprintln!("ramsecret: warning: {msg}");
    }
}

fn fmt_age(ms: u64) -> String {
    humantime::format_duration(Duration::from_secs(ms / 1000)).to_string()
}

impl Cache {
    pub fn open(g: &GlobalArgs) -> Option<Cache> {
        let policy = Policy::from_global(g);
        if policy.mode == CacheMode::Off {
            return None;
        }
        Some(Cache {
            store: Store::open(store::default_dir()?),
            policy,
        })
    }

    /// Serve a fresh entry, else fetch (single-flight) and store; stale-if-error.
    /// `from_kms` receives the time left of `--timeout`.
    pub fn fetch(
        &self,
        key: &str,
        req: &SecretRequest,
        from_kms: &mut dyn FnMut(Duration) -> Result<RamSecret>,
    ) -> Result<RamSecret> {
        let start = Instant::now();
        let start_ms = now_ms();
        if !self.policy.refresh {
            if let Some((_, secret)) = self.store.read(key, |m| self.policy.is_fresh(m, start_ms)) {
                return Ok(secret);
            }
        }
        let deadline = start + self.policy.timeout;
        let (lock, waited) = match self.store.lock(key, deadline) {
            Ok(Some((lock, waited))) => (Some(lock), waited),
            Ok(None) => {
                let e = Error::Kms(KmsError::GaveUp {
                    attempts: 0,
                    timeout: humantime::format_duration(self.policy.timeout).to_string(),
                    last: "another ramsecret process is still fetching this secret".into(),
                });
                return self.stale_or(key, e);
            }
            Err(msg) => {
                // An unusable cache directory must not stop the work: fetch without the cache.
                warn(&self.policy, &format!("cache disabled: {msg}"));
                (None, false)
            }
        };
        // Someone may have fetched while we waited for the lock (with --refresh: after we started).
        let fetched_meanwhile = |m: &Meta| {
            self.policy.is_fresh(m, now_ms())
                && (!self.policy.refresh || (waited && m.stored_ms >= start_ms))
        };
        if let Some((_, secret)) = self.store.read(key, fetched_meanwhile) {
            return Ok(secret);
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        let result = from_kms(remaining);
        let out = match result {
            Ok(secret) => {
                if lock.is_some() {
                    self.put(key, req, &secret);
                }
                Ok(secret)
            }
            Err(e) => self.on_error(key, e),
        };
        drop(lock);
        out
    }

    fn on_error(&self, key: &str, e: Error) -> Result<RamSecret> {
        if transient(&e) {
            self.stale_or(key, e)
        } else {
            if revoked(&e) {
                self.store.remove(key);
            }
            Err(e)
        }
    }

    fn stale_or(&self, key: &str, e: Error) -> Result<RamSecret> {
        let now = now_ms();
        match self.store.read(key, |m| self.policy.stale_servable(m, now)) {
            Some((meta, secret)) => {
                let age = fmt_age(now.saturating_sub(meta.stored_ms));
                let msg = e.to_string().replace('\n', " ");
                warn(
                    &self.policy,
                    &format!(
                        "{msg}; using the cached {} (AccessKeyId {}) fetched {age} ago",
                        meta.name, meta.masked_access_key_id
                    ),
                );
                Ok(secret)
            }
            _ => Err(e),
        }
    }

    /// Store a freshly fetched secret. Failures only warn: the secret is still handed out.
    pub fn put(&self, key: &str, req: &SecretRequest, s: &RamSecret) {
        let now = now_ms();
        // Drawn per stored entry, so a fleet does not refetch together.
        let rotate_after_ms = s
            .rotation_check_unix(crate::kms::random_unit())
            .and_then(|t| u64::try_from(t).ok())
            .map(|t| t.saturating_mul(1000));
        // A rotation date already past tells nothing about the next one: rely on --max-age.
        let rotate_after_ms = rotate_after_ms.filter(|&r| r > now);
        let payload = Payload::from_secret(s);
        let mut meta = Meta {
            v: 1,
            name: req.name.clone(),
            version_stage: req.version_stage.clone(),
            version_id_requested: req.version_id.clone(),
            backend: Backend::File,
            stored_ms: now,
            rotate_after_ms,
            masked_access_key_id: s.masked_id(),
            version_id: s.version_id.clone(),
            next_rotation_date: s.next_rotation_date.clone(),
            secret: None,
        };
        match self.policy.mode {
            CacheMode::Off => return,
            CacheMode::File => meta.secret = Some(payload),
            CacheMode::Keyring | CacheMode::Auto => match self.store.keyring_set(key, &payload) {
                Ok(backend) => meta.backend = backend,
                Err(msg) if self.policy.mode == CacheMode::Auto => {
                    tracing::debug!("keyring unusable ({msg}); caching in a file");
                    meta.secret = Some(payload);
                }
                Err(msg) => {
                    warn(&self.policy, &format!("cannot cache in the keyring ({msg}); not cached (use --cache auto or file to fall back to a file)"));
                    return;
                }
            },
        }
        // An entry that moved (e.g. keyring -> file) must not leave its old copy behind.
        if let Some(old) = self
            .store
            .read_meta(key)
            .filter(|m| m.backend != meta.backend)
        {
            self.store.keyring_delete(old.backend, key);
        }
        if let Err(msg) = self.store.write_meta(key, &meta) {
            warn(&self.policy, &format!("cannot write the cache: {msg}"));
        }
    }
}

/// A copy of the global arguments with a shorter `--timeout` (what is left after waiting).
fn with_timeout(g: &GlobalArgs, timeout: Duration) -> GlobalArgs {
    GlobalArgs {
        config: g.config.clone(),
        verbose: g.verbose,
        quiet: g.quiet,
        timeout,
        cache: CacheArgs {
            cache: g.cache.cache,
            max_age: g.cache.max_age,
            stale_max_age: g.cache.stale_max_age,
            refresh: g.cache.refresh,
        },
    }
}

pub fn fetch(g: &GlobalArgs, req: &SecretRequest, from_kms: FromKms) -> Result<RamSecret> {
    let Some(cache) = Cache::open(g) else {
        return from_kms(g, req);
    };
    let key = key::compute(g.config.as_deref(), req);
    cache.fetch(&key, req, &mut |left| from_kms(&with_timeout(g, left), req))
}

/// Fetch from KMS even when a fresh entry exists, and store the result (exec's rotation checks).
pub fn refetch(g: &GlobalArgs, req: &SecretRequest, from_kms: FromKms) -> Result<RamSecret> {
    let Some(cache) = Cache::open(g) else {
        return from_kms(g, req);
    };
    let key = key::compute(g.config.as_deref(), req);
    match from_kms(g, req) {
        Ok(s) => {
            cache.put(&key, req, &s);
            Ok(s)
        }
        Err(e) => {
            if revoked(&e) {
                cache.store.remove(&key);
            }
            Err(e)
        }
    }
}

/// Drop the entry so other processes fetch again (exec saw an invalid-key code).
pub fn invalidate(g: &GlobalArgs, req: &SecretRequest) {
    if let Some(cache) = Cache::open(g) {
        cache.store.remove(&key::compute(g.config.as_deref(), req));
    }
}

pub fn command(g: &GlobalArgs, cmd: CacheCommand) -> Result<i32> {
    let policy = Policy::from_global(g);
    let dir = store::default_dir().ok_or_else(|| {
        Error::Config(crate::config::ConfigError {
            message: "no cache directory: neither XDG_RUNTIME_DIR nor a home directory is set; set one of them".into(),
        })
    })?;
    let cache = Cache {
        store: Store::open(dir),
        policy,
    };
    let text = match cmd {
        CacheCommand::Status { name } => cache.status(g, name.as_deref()),
        CacheCommand::Clear { name } => cache.clear(name.as_deref()),
    };
    crate::app::write_stdout(text.as_bytes())?;
    Ok(0)
}

impl Cache {
    fn entries(&self, name: Option<&str>) -> Vec<(String, Meta)> {
        self.store
            .list()
            .into_iter()
            .filter_map(|(k, p)| Store::read_meta_file(&p).map(|m| (k, m)))
            .filter(|(_, m)| name.is_none_or(|n| m.name == n))
            .map(|(k, mut m)| {
                m.secret = None; // never kept around longer than needed
                (k, m)
            })
            .collect()
    }

    /// What is cached: never the secret, not even the full AccessKeyId.
    fn status(&self, g: &GlobalArgs, name: Option<&str>) -> String {
        let mode = match self.policy.mode {
            CacheMode::Auto => "auto",
            CacheMode::Keyring => "keyring",
            CacheMode::File => "file",
            CacheMode::Off => "off (entries below are not used)",
        };
        let mut out = format!(
            "cache directory: {}\nmode: {mode}; max age {}, stale max age {}\n",
            self.store.dir.display(),
            humantime::format_duration(self.policy.max_age),
            humantime::format_duration(self.policy.stale_max_age)
        );
        let entries = self.entries(name);
        if entries.is_empty() {
            out.push_str("no cached secrets\n");
            return out;
        }
        let now = now_ms();
        for (k, m) in entries {
            let req = SecretRequest {
                name: m.name.clone(),
                version_stage: m.version_stage.clone(),
                version_id: m.version_id_requested.clone(),
            };
            let current = key::compute(g.config.as_deref(), &req) == k;
            let state = if self.policy.is_fresh(&m, now) {
                "fresh"
            } else if self.policy.stale_servable(&m, now) {
                "stale (served only if KMS is unavailable)"
            } else {
                "expired"
            };
            let next = self.policy.fresh_until(&m);
            let selector = match (&m.version_stage, &m.version_id_requested) {
                (Some(s), _) => format!(" [stage {s}]"),
                (_, Some(v)) => format!(" [version {v}]"),
                _ => String::new(),
            };
            out.push_str(&format!(
                "{}{selector}\n  access key id: {}\n  version: {}\n  backend: {}\n  age: {}\n  next refresh: {} ({})\n  next rotation: {}\n  state: {state}{}\n",
                m.name,
                m.masked_access_key_id,
                if m.version_id.is_empty() { "-" } else { &m.version_id },
                match m.backend {
                    Backend::File => "file",
                    Backend::Keyring => "kernel keyring",
                    Backend::SecretService => "Secret Service",
                },
                fmt_age(now.saturating_sub(m.stored_ms)),
                format_timestamp((next / 1000) as i64),
                if next > now { format!("in {}", fmt_age(next - now)) } else { "due".to_string() },
                if m.next_rotation_date.is_empty() { "-" } else { &m.next_rotation_date },
                if current { "" } else { "\n  (stored for another configuration or environment)" },
            ));
        }
        out
    }

    fn clear(&self, name: Option<&str>) -> String {
        let entries = self.entries(name);
        for (k, _) in &entries {
            self.store.remove(k);
        }
        // Leftover temp files of crashed writers.
        if name.is_none() {
            if let Ok(rd) = std::fs::read_dir(&self.store.dir) {
                for e in rd.flatten() {
                    if e.file_name()
                        .to_str()
                        .is_some_and(|n| n.starts_with('.') && n.ends_with(".tmp"))
                    {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
        }
        match entries.len() {
            1 => "removed 1 cached secret\n".to_string(),
            n => format!("removed {n} cached secrets\n"),
        }
    }
}

#[cfg(test)]
mod tests;
