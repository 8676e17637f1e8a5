//! How we prove who we are to KMS: a closed set of sources (static AccessKey, STS AssumeRole,
//! ECS instance RAM role, ClientKey), each turned into a [`Signer`] on demand. Temporary
//! credentials are cached until shortly before they expire.

mod client_key;

use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::Mutex;

pub use client_key::ClientKey;

use crate::config::{self, Config};
use crate::error::{Error, Exit};
use crate::kms::{rpc, KmsError};
use crate::secret::{parse_timestamp, SecretString};

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("{key}: cannot read ClientKey file {path}: {source}; check the path")]
    ClientKeyRead {
        key: String,
        path: String,
        source: std::io::Error,
    },
    #[error("{key}: ClientKey file {path} is not a ClientKey ({reason}); it should be the clientKey_KAAP.*.json file from the KMS console")]
    ClientKeyFormat {
        key: String,
        path: String,
        reason: String,
    },
    #[error("ClientKey {path}: wrong password (the PKCS#12 integrity check failed); check the password file or variable")]
    WrongPassword { path: String },
    #[error("{0}")]
    Password(String),
    #[error("STS AssumeRole failed: {0}")]
    Sts(KmsError),
    #[error("ECS metadata service at {url}: {reason}")]
    Metadata {
        url: String,
        reason: String,
        refused: bool,
    },
}

impl CredentialsError {
    pub fn exit(&self) -> Exit {
        match self {
            CredentialsError::Sts(e) => e.exit(),
            CredentialsError::Metadata { refused: true, .. } => Exit::Refused,
            CredentialsError::Metadata { .. } => Exit::Unavailable,
            _ => Exit::Config,
        }
    }
    pub fn retryable(&self) -> bool {
        match self {
            CredentialsError::Sts(e) => e.retryable(),
            CredentialsError::Metadata { refused, .. } => !refused,
            _ => false,
        }
    }
}

/// What signs one request right now.
#[derive(Clone, Debug)]
pub enum Signer {
    Hmac {
        id: String,
        secret: SecretString,
        token: Option<SecretString>,
    },
    Rsa(Arc<ClientKey>),
}

impl Signer {
    pub fn access_key_id(&self) -> &str {
        match self {
            Signer::Hmac { id, .. } => id,
            Signer::Rsa(k) => &k.key_id,
        }
    }
}

enum Source {
    Static(Signer),
    AssumeRole {
        source: Signer,
        role_arn: String,
        session_name: String,
        policy: Option<String>,
        sts_url: String,
        region_id: String,
    },
    Ecs {
        role_name: String,
        url: String,
    },
}

/// A credential source plus the temporary credential it last produced.
pub struct Provider {
    source: Source,
    cached: Mutex<Option<(Signer, i64)>>,
}

/// Refresh temporary credentials this long before they expire (the Java SDK's 3-minute margin
/// plus room for slow clocks).
const EXPIRY_MARGIN_SECS: i64 = 300;

impl Provider {
    /// Build from the configuration. A ClientKey is opened here, once per process.
    pub fn new(creds: &config::Credentials, cfg: &Config) -> Result<Provider, Error> {
        let source = match creds {
            config::Credentials::AccessKey { id, secret } => Source::Static(Signer::Hmac {
                id: id.clone(),
                secret: secret.clone(),
                token: None,
            }),
            config::Credentials::AssumeRole {
                id,
                secret,
                role_arn,
                session_name,
                policy,
            } => Source::AssumeRole {
                source: Signer::Hmac {
                    id: id.clone(),
                    secret: secret.clone(),
                    token: None,
                },
                role_arn: role_arn.clone(),
                session_name: session_name.clone(),
                policy: policy.clone(),
                sts_url: cfg.sts_url.clone(),
                region_id: cfg
                    .regions
                    .first()
                    .map(|r| r.region_id.clone())
                    .unwrap_or_default(),
            },
            config::Credentials::EcsRamRole { role_name } => Source::Ecs {
                role_name: role_name.clone(),
                url: cfg.ecs_metadata_url.clone(),
            },
            config::Credentials::ClientKey(r) => Source::Static(Signer::Rsa(ClientKey::load(r)?)),
        };
        Ok(Provider {
            source,
            cached: Mutex::new(None),
        })
    }

    pub fn kind(&self) -> &'static str {
        match &self.source {
            Source::Static(Signer::Hmac { .. }) => "AccessKey",
            Source::Static(Signer::Rsa(_)) => "ClientKey",
            Source::AssumeRole { .. } => "STS AssumeRole",
            Source::Ecs { .. } => "ECS instance RAM role",
        }
    }

    /// The signer for the next request; fetches temporary credentials when needed.
    pub async fn signer(&self, http: &reqwest::Client) -> Result<Signer, CredentialsError> {
        if let Source::Static(s) = &self.source {
            return Ok(s.clone());
        }
        let mut cached = self.cached.lock().await;
        let now = now_unix();
        if let Some((s, exp)) = cached.as_ref() {
            if *exp - EXPIRY_MARGIN_SECS > now {
                return Ok(s.clone());
            }
        }
        let (signer, exp) = match &self.source {
            Source::Static(_) => unreachable!("handled above"),
            Source::AssumeRole {
                source,
                role_arn,
                session_name,
                policy,
                sts_url,
                region_id,
            } => {
                assume_role(
                    http,
                    sts_url,
                    region_id,
                    source,
                    role_arn,
                    session_name,
                    policy.as_deref(),
                )
                .await?
            }
            Source::Ecs { role_name, url } => ecs_role(http, url, role_name).await?,
        };
        tracing::debug!(access_key_id = %crate::secret::mask_id(signer.access_key_id()), expires = exp, "obtained temporary credentials");
        *cached = Some((signer.clone(), exp));
        Ok(signer)
    }
}

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TempCredentials {
    access_key_id: String,
    access_key_secret: SecretString,
    security_token: SecretString,
    expiration: String,
    #[serde(default)]
    code: Option<String>,
}

impl TempCredentials {
    /// An STS triple as a signer, with its expiry (an hour when the answer has none we can read).
    fn into_signer(self) -> (Signer, i64) {
        let exp = parse_timestamp(&self.expiration).unwrap_or_else(|| now_unix() + 3600);
        let signer = Signer::Hmac {
            id: self.access_key_id,
            secret: self.access_key_secret,
            token: Some(self.security_token),
        };
        (signer, exp)
    }
}

async fn assume_role(
    http: &reqwest::Client,
    sts_url: &str,
    region_id: &str,
    source: &Signer,
    role_arn: &str,
    session_name: &str,
    policy: Option<&str>,
) -> Result<(Signer, i64), CredentialsError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Resp {
        credentials: TempCredentials,
    }
    let mut params = rpc::params(&[
        ("RoleArn", role_arn),
        ("RoleSessionName", session_name),
        ("DurationSeconds", "3600"),
    ]);
    if let Some(p) = policy {
        params.insert("Policy".into(), p.into());
    }
    let body = rpc::call(
        http,
        "STS",
        sts_url,
        "AssumeRole",
        "2015-04-01",
        region_id,
        params,
        source,
    )
    .await
    .map_err(CredentialsError::Sts)?;
    let resp: Resp = serde_json::from_slice(&body).map_err(|e| {
        CredentialsError::Sts(KmsError::BadResponse {
            service: "STS",
            endpoint: sts_url.into(),
            status: 200,
            reason: e.to_string(),
        })
    })?;
    let c = resp.credentials;
    Ok(c.into_signer())
}

/// ECS RAM role via the metadata service: IMDSv2 token first, IMDSv1 when the token call fails.
async fn ecs_role(
    http: &reqwest::Client,
    base: &str,
    role: &str,
) -> Result<(Signer, i64), CredentialsError> {
    let meta_err = |reason: String, refused: bool| CredentialsError::Metadata {
        url: base.to_string(),
        reason,
        refused,
    };
    let token = match http
        .put(format!("{base}/latest/api/token"))
        .header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")
        .timeout(std::time::Duration::from_secs(2))
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => r.text().await.ok().map(SecretString::new),
        Ok(r) => {
            tracing::debug!(
                status = r.status().as_u16(),
                "IMDSv2 token refused; falling back to IMDSv1"
            );
            None
        }
        Err(e) => {
            tracing::debug!(error = %crate::kms::http::describe(&e), "IMDSv2 token request failed; falling back to IMDSv1");
            None
        }
    };
    let mut req = http.get(format!(
        "{base}/latest/meta-data/ram/security-credentials/{role}"
    ));
    if let Some(t) = &token {
        req = req.header("X-aliyun-ecs-metadata-token", t.expose());
    }
    let resp = req
        .send()
        .await
        .map_err(|e| meta_err(crate::kms::http::describe(&e), false))?;
    let status = resp.status();
    if status.as_u16() == 404 {
        return Err(meta_err(format!("no RAM role named {role:?} is attached to this instance (HTTP 404); check credentials_role_name"), true));
    }
    if !status.is_success() {
        return Err(meta_err(format!("HTTP {status}"), status.is_client_error()));
    }
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| meta_err(crate::kms::http::describe(&e), false))?;
    let c: TempCredentials = serde_json::from_slice(&bytes)
        .map_err(|e| meta_err(format!("unreadable credentials ({e})"), false))?;
    if c.code.as_deref().is_some_and(|code| code != "Success") {
        return Err(meta_err(
            format!("answered Code {:?}", c.code.unwrap_or_default()),
            true,
        ));
    }
    Ok(c.into_signer())
}
