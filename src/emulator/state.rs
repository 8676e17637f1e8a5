//! Everything the emulator knows: secrets and their versions, which keys are live, STS sessions
//! (the persisted [`Store`]), plus per-process bookkeeping (nonces, counters, faults, metadata
//! switches, IMDS tokens). Pure data and operations: no sockets, the clock is an argument.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{ACCOUNT_ID, CALLER_AK_ID, CALLER_AK_SECRET, CLIENT_KEY_ID};
use crate::secret::format_timestamp;

pub const CURRENT: &str = "ACSCurrent";
pub const PREVIOUS: &str = "ACSPrevious";
const DEFAULT_INTERVAL_SECS: i64 = 604_800;

/// The part of the state that survives a restart with `--state FILE`.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Store {
    pub secrets: BTreeMap<String, Secret>,
    /// AccessKeyIds that no longer work anywhere.
    pub revoked: BTreeSet<String>,
    /// STS sessions by their `STS.` AccessKeyId.
    pub sts: BTreeMap<String, StsSession>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Secret {
    pub name: String,
    pub secret_type: String,
    pub create_time: i64,
    /// Oldest first; the last one is not necessarily current (stages say which is).
    pub versions: Vec<Version>,
    pub rotation_interval: Option<String>,
    pub next_rotation_date: Option<String>,
    pub last_rotation_date: Option<String>,
    pub automatic_rotation: String,
    pub extended_config: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Version {
    pub version_id: String,
    pub stages: Vec<String>,
    pub create_time: i64,
    /// The `SecretData` text as returned.
    pub secret_data: String,
    /// Set for AccessKey secrets: the RAM-user key this version holds.
    pub access_key_id: Option<String>,
    pub access_key_secret: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct StsSession {
    pub access_key_id: String,
    pub access_key_secret: String,
    pub security_token: String,
    pub expiration: i64,
    pub role_arn: String,
    pub session_name: String,
}

/// Who a live AccessKeyId belongs to.
#[derive(Clone)]
pub enum Principal {
    /// A RAM user: the well-known caller or the key held in a RAM secret.
    User {
        name: String,
        secret: String,
    },
    Sts(StsSession),
    ClientKey,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    pub target: String,
    pub kind: String,
    /// Requests left to fault; 0 = until cleared.
    pub count: u64,
    pub ms: u64,
    pub status: u16,
}

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct MetadataSwitches {
    pub imdsv2_required: bool,
    pub imdsv1_only: bool,
}

pub const COUNTERS: [&str; 6] = [
    "GetSecretValue",
    "AssumeRole",
    "GetCallerIdentity",
    "MetadataToken",
    "MetadataCredentials",
    "DkmsGetSecretValue",
];

/// The whole emulator state, behind one mutex in the server (never held across an await).
#[derive(Default)]
pub struct Emulator {
    pub store: Store,
    pub state_file: Option<PathBuf>,
    /// Nonce -> time first seen; forgotten after the 15-minute window.
    pub nonces: HashMap<String, i64>,
    pub counters: BTreeMap<String, u64>,
    pub faults: Vec<Fault>,
    pub metadata: MetadataSwitches,
    /// IMDSv2 token -> expiry.
    pub imds_tokens: HashMap<String, i64>,
    /// The ClientKey public key (SPKI DER) by KeyId.
    pub client_keys: BTreeMap<String, Vec<u8>>,
    /// Set when a request handler changed the store (STS sessions); the server then saves it.
    pub dirty: bool,
}

impl Emulator {
    pub fn new(store: Store) -> Self {
        let mut client_keys = BTreeMap::new();
        client_keys.insert(CLIENT_KEY_ID.to_string(), super::client_key_spki_der());
        Emulator {
            store,
            client_keys,
            ..Default::default()
        }
    }

    pub fn bump(&mut self, counter: &str) {
        *self.counters.entry(counter.to_string()).or_default() += 1;
    }

    pub fn counters_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for c in COUNTERS {
            m.insert(c.into(), self.counters.get(c).copied().unwrap_or(0).into());
        }
        m.into()
    }

    /// Takes the next fault queued for `target` (or for "all"), in the order they were added.
    pub fn take_fault(&mut self, target: &str) -> Option<Fault> {
        let i = self
            .faults
            .iter()
            .position(|f| f.target == target || f.target == "all")?;
        let f = self.faults[i].clone();
        match self.faults[i].count {
            0 => {}
            1 => {
                self.faults.remove(i);
            }
            _ => self.faults[i].count -= 1,
        }
        Some(f)
    }

    /// Records a nonce; false if it was already used. A nonce is remembered for as long as its
    /// request's `Timestamp` (`ts`, up to 15 minutes ahead) is still accepted, so a request
    /// dated in the future cannot be replayed once its first sighting is forgotten.
    pub fn use_nonce(&mut self, nonce: &str, ts: i64, now: i64) -> bool {
        self.nonces.retain(|_, until| *until >= now);
        if self.nonces.contains_key(nonce) {
            return false;
        }
        self.nonces.insert(nonce.to_string(), ts.max(now) + 900);
        true
    }

    /// Resolves a live AccessKeyId (revoked keys are unknown).
    pub fn principal(&self, access_key_id: &str) -> Option<Principal> {
        if self.store.revoked.contains(access_key_id) {
            return None;
        }
        if access_key_id == CALLER_AK_ID {
            return Some(Principal::User {
                name: "ramsecret-caller".into(),
                secret: CALLER_AK_SECRET.into(),
            });
        }
        if self.client_keys.contains_key(access_key_id) {
            return Some(Principal::ClientKey);
        }
        if let Some(s) = self.store.sts.get(access_key_id) {
            return Some(Principal::Sts(s.clone()));
        }
        for secret in self.store.secrets.values() {
            for v in &secret.versions {
                if v.access_key_id.as_deref() == Some(access_key_id) {
                    let name = secret
                        .name
                        .rsplit('/')
                        .next()
                        .unwrap_or(&secret.name)
                        .to_string();
                    return Some(Principal::User {
                        name,
                        secret: v.access_key_secret.clone().unwrap_or_default(),
                    });
                }
            }
        }
        None
    }

    /// A live session for this role and session name with more than a quarter of `duration`
    /// left: the metadata service hands out the same credentials until they near expiry.
    pub fn reusable_sts(
        &self,
        role_arn: &str,
        session_name: &str,
        duration: i64,
        now: i64,
    ) -> Option<StsSession> {
        self.store
            .sts
            .values()
            .find(|s| {
                s.role_arn == role_arn
                    && s.session_name == session_name
                    && s.expiration - now > duration / 4
            })
            .cloned()
    }

    /// Issues an STS session for a role (AssumeRole and the metadata service).
    pub fn issue_sts(
        &mut self,
        role_arn: &str,
        session_name: &str,
        duration: i64,
        now: i64,
    ) -> StsSession {
        self.store.sts.retain(|_, s| s.expiration > now);
        let s = StsSession {
            access_key_id: format!("STS.{}", random_alnum(24)),
            access_key_secret: random_alnum(40),
            security_token: format!("CAIS{}", random_alnum(120)),
            expiration: now + duration,
            role_arn: role_arn.to_string(),
            session_name: session_name.to_string(),
        };
        self.store.sts.insert(s.access_key_id.clone(), s.clone());
        self.dirty = true;
        s
    }

    /// Creates (or replaces) a secret at version `v1`.
    pub fn create_secret(&mut self, req: NewSecret, now: i64) -> (String, Option<String>) {
        let secret_type = req.secret_type.unwrap_or_else(|| "RAMCredentials".into());
        let is_ak = secret_type == "RAMCredentials" && req.secret_data.is_none();
        let interval = req
            .rotation_interval
            .unwrap_or_else(|| format!("{DEFAULT_INTERVAL_SECS}s"));
        let next = req
            .next_rotation_date
            .or_else(|| is_ak.then(|| format_timestamp(now + interval_secs(&interval))));
        let version = if is_ak {
            let id = req.access_key_id.unwrap_or_else(new_access_key_id);
            let secret = req.access_key_secret.unwrap_or_else(|| random_alnum(30));
            ak_version("v1", id, secret, now)
        } else {
            Version {
                version_id: "v1".into(),
                stages: vec![CURRENT.into()],
                create_time: now,
                secret_data: req.secret_data.unwrap_or_default(),
                access_key_id: None,
                access_key_secret: None,
            }
        };
        let user = req.name.rsplit('/').next().unwrap_or(&req.name).to_string();
        let key = version.access_key_id.clone();
        let secret = Secret {
            name: req.name.clone(),
            secret_type,
            create_time: now,
            versions: vec![version],
            rotation_interval: is_ak.then_some(interval),
            next_rotation_date: next,
            last_rotation_date: None,
            automatic_rotation: if is_ak { "Enabled" } else { "Disabled" }.into(),
            extended_config: is_ak.then(|| {
                serde_json::json!({"SecretSubType": "RamUserAccessKey", "UserName": user, "CustomData": {}}).to_string()
            }),
        };
        self.store.secrets.insert(req.name.clone(), secret);
        (req.name, key)
    }

    /// New version with a fresh AccessKey; it becomes current, the old current becomes previous.
    pub fn rotate(&mut self, name: &str, now: i64) -> Option<(String, String)> {
        let s = self.store.secrets.get_mut(name)?;
        let n = s.versions.len() + 1;
        for v in &mut s.versions {
            v.stages.retain(|st| st != PREVIOUS);
            for st in &mut v.stages {
                if st == CURRENT {
                    *st = PREVIOUS.into();
                }
            }
        }
        let version_id = format!("v{n}");
        let key = new_access_key_id();
        s.versions
            .push(ak_version(&version_id, key.clone(), random_alnum(30), now));
        let interval = s
            .rotation_interval
            .clone()
            .unwrap_or_else(|| format!("{DEFAULT_INTERVAL_SECS}s"));
        s.next_rotation_date = Some(format_timestamp(now + interval_secs(&interval)));
        s.last_rotation_date = Some(format_timestamp(now));
        Some((version_id, key))
    }

    /// Revokes a secret version's key: the named version, else ACSPrevious, else ACSCurrent.
    pub fn revoke_version(&mut self, name: &str, version_id: Option<&str>) -> Option<String> {
        let s = self.store.secrets.get(name)?;
        let v = match version_id {
            Some(id) => s.versions.iter().find(|v| v.version_id == id),
            None => s
                .version_with_stage(PREVIOUS)
                .or_else(|| s.version_with_stage(CURRENT)),
        }?;
        let key = v.access_key_id.clone()?;
        self.store.revoked.insert(key.clone());
        Some(key)
    }

    pub fn revoke_key(&mut self, access_key_id: &str) {
        self.store.revoked.insert(access_key_id.to_string());
    }

    /// Writes the store atomically (temp file + rename, 0600) when `--state` was given.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        let json = serde_json::to_vec_pretty(&self.store).map_err(std::io::Error::other)?;
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        super::write_private(&tmp, &json)?;
        std::fs::rename(&tmp, path)
    }
}

impl Secret {
    pub fn version_with_stage(&self, stage: &str) -> Option<&Version> {
        self.versions
            .iter()
            .find(|v| v.stages.iter().any(|s| s == stage))
    }
}

/// Body of `POST /admin/secrets`.
#[derive(Default, Deserialize)]
pub struct NewSecret {
    pub name: String,
    pub access_key_id: Option<String>,
    pub access_key_secret: Option<String>,
    pub secret_type: Option<String>,
    pub secret_data: Option<String>,
    pub next_rotation_date: Option<String>,
    pub rotation_interval: Option<String>,
}

fn ak_version(version_id: &str, id: String, secret: String, now: i64) -> Version {
    let data = serde_json::json!({"AccessKeyId": id, "AccessKeySecret": secret, "GenerateTimestamp": format_timestamp(now)});
    Version {
        version_id: version_id.into(),
        stages: vec![CURRENT.into()],
        create_time: now,
        secret_data: data.to_string(),
        access_key_id: Some(id),
        access_key_secret: Some(secret),
    }
}

/// `604800s` -> 604800 (bare numbers accepted too).
pub fn interval_secs(s: &str) -> i64 {
    s.trim_end_matches('s')
        .parse()
        .unwrap_or(DEFAULT_INTERVAL_SECS)
}

pub fn new_access_key_id() -> String {
    format!("LTAI5t{}", random_alnum(18))
}

pub fn random_alnum(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(n);
    while out.len() < n {
        let mut buf = [0u8; 64];
        getrandom::fill(&mut buf).expect("the OS random source works");
        // 248 = 4 * 62: rejecting the rest keeps the choice uniform.
        out.extend(
            buf.iter()
                .filter(|b| **b < 248)
                .map(|b| ALPHABET[(*b % 62) as usize] as char)
                .take(n - out.len()),
        );
    }
    out
}

/// A request id shaped like the service's (UUID text).
pub fn request_id() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random source works");
    let h: String = b.iter().map(|x| format!("{x:02X}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `acs:ram::<digits>:role/<name>`: the only shape AssumeRole checks.
pub fn role_arn_ok(arn: &str) -> bool {
    let Some(rest) = arn.strip_prefix("acs:ram::") else {
        return false;
    };
    let Some((digits, role)) = rest.split_once(":role/") else {
        return false;
    };
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !role.is_empty()
}

/// A stable 16-digit id for a name (RAM user and role ids are numeric).
pub fn numeric_id(prefix: char, name: &str) -> String {
    use sha2::Digest;
    let h = sha2::Sha256::digest(name.as_bytes());
    let n = u64::from_be_bytes(h[..8].try_into().expect("8 bytes")) % 1_000_000_000_000_000;
    format!("{prefix}{n:015}")
}

/// UserId, Arn and IdentityType as GetCallerIdentity reports them.
pub fn caller_arn(p: &Principal) -> (String, String, String) {
    match p {
        Principal::User { name, .. } => (
            numeric_id('2', name),
            format!("acs:ram::{ACCOUNT_ID}:user/{name}"),
            "RAMUser".into(),
        ),
        Principal::Sts(s) => {
            let role = s.role_arn.rsplit('/').next().unwrap_or("role");
            (
                format!("{}:{}", numeric_id('3', &s.role_arn), s.session_name),
                format!(
                    "acs:ram::{ACCOUNT_ID}:assumed-role/{role}/{}",
                    s.session_name
                ),
                "AssumedRoleUser".into(),
            )
        }
        Principal::ClientKey => (
            "ClientKey".into(),
            format!("acs:ram::{ACCOUNT_ID}:clientkey/{CLIENT_KEY_ID}"),
            "ClientKey".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_kept_as_long_as_its_timestamp_is_accepted() {
        let mut e = Emulator::new(Store::default());
        let now = 1_700_000_000;
        // Dated 15 minutes ahead: still inside the window 15 minutes from now.
        assert!(e.use_nonce("n1", now + 900, now));
        assert!(!e.use_nonce("n1", now + 900, now + 901));
        assert!(!e.use_nonce("n1", now + 900, now + 1799));
        assert!(e.use_nonce("n1", now + 900, now + 1801));
    }

    fn emu_with(name: &str) -> Emulator {
        let mut e = Emulator::new(Store::default());
        e.create_secret(
            NewSecret {
                name: name.into(),
                ..Default::default()
            },
            1_700_000_000,
        );
        e
    }

    #[test]
    fn rotate_moves_stages_and_keeps_old_key_live() {
        let mut e = emu_with("acs/ram/user/a");
        let old = e.store.secrets["acs/ram/user/a"].versions[0]
            .access_key_id
            .clone()
            .unwrap();
        let (v2, new) = e.rotate("acs/ram/user/a", 1_700_000_100).unwrap();
        assert_eq!(v2, "v2");
        let s = &e.store.secrets["acs/ram/user/a"];
        assert_eq!(
            s.version_with_stage(CURRENT)
                .unwrap()
                .access_key_id
                .as_deref(),
            Some(new.as_str())
        );
        assert_eq!(
            s.version_with_stage(PREVIOUS)
                .unwrap()
                .access_key_id
                .as_deref(),
            Some(old.as_str())
        );
        assert_eq!(
            s.next_rotation_date.as_deref(),
            Some(format_timestamp(1_700_000_100 + 604_800).as_str())
        );
        assert!(e.principal(&old).is_some() && e.principal(&new).is_some());
        // A second rotation drops v1 from every stage.
        e.rotate("acs/ram/user/a", 1_700_000_200).unwrap();
        let s = &e.store.secrets["acs/ram/user/a"];
        assert!(s.versions[0].stages.is_empty());
        assert_eq!(s.version_with_stage(PREVIOUS).unwrap().version_id, "v2");
    }

    #[test]
    fn revoke_defaults_to_previous_then_current() {
        let mut e = emu_with("s");
        let v1 = e.store.secrets["s"].versions[0]
            .access_key_id
            .clone()
            .unwrap();
        assert_eq!(e.revoke_version("s", None).as_deref(), Some(v1.as_str()));
        assert!(e.principal(&v1).is_none());
        let (_, v2) = e.rotate("s", 1).unwrap();
        assert_eq!(
            e.revoke_version("s", None).as_deref(),
            Some(v1.as_str()),
            "previous first"
        );
        assert!(e.principal(&v2).is_some());
        assert_eq!(
            e.revoke_version("s", Some("v2")).as_deref(),
            Some(v2.as_str())
        );
        assert!(e.principal(&v2).is_none());
        e.revoke_key(CALLER_AK_ID);
        assert!(e.principal(CALLER_AK_ID).is_none());
    }

    #[test]
    fn faults_are_consumed_in_order() {
        let mut e = Emulator::new(Store::default());
        let f = |target: &str, kind: &str, count| Fault {
            target: target.into(),
            kind: kind.into(),
            count,
            ms: 0,
            status: 0,
        };
        e.faults = vec![
            f("kms", "throttle", 2),
            f("all", "reset", 1),
            f("dkms", "hang", 0),
        ];
        assert_eq!(e.take_fault("kms").unwrap().kind, "throttle");
        assert_eq!(e.take_fault("kms").unwrap().kind, "throttle");
        assert_eq!(e.take_fault("kms").unwrap().kind, "reset");
        assert!(e.take_fault("kms").is_none());
        for _ in 0..3 {
            assert_eq!(e.take_fault("dkms").unwrap().kind, "hang");
        }
    }

    #[test]
    fn state_file_round_trips_privately() {
        let path =
            std::env::temp_dir().join(format!("ramsecret-emu-state-{}.json", random_alnum(8)));
        let mut e = emu_with("s");
        e.state_file = Some(path.clone());
        e.rotate("s", 5).unwrap();
        e.save().unwrap();
        let back: Store = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back.secrets["s"].versions.len(), 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn random_shapes() {
        let id = new_access_key_id();
        assert!(
            id.len() == 24
                && id.starts_with("LTAI5t")
                && id.bytes().all(|b| b.is_ascii_alphanumeric())
        );
        assert!(
            role_arn_ok("acs:ram::123456:role/x")
                && !role_arn_ok("acs:ram::12a:role/x")
                && !role_arn_ok("acs:ram::1:role/")
        );
    }
}
