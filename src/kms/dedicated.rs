//! Dedicated gateway (KMS instance API): protobuf `GetSecretValue` over mutual TLS, signed with
//! the ClientKey (`authorization: Bearer …`), tried instance by instance.

use std::sync::Arc;

use prost::Message;

use super::{http::describe, proto, sign, KmsError, SecretRequest};
use crate::config::{Config, ConfigError, Instance};
use crate::credentials::{now_unix, ClientKey};
use crate::error::Error;
use crate::secret::SecretValue;

struct Target {
    label: String,
    endpoint: String,
    http: reqwest::Client,
    key: Arc<ClientKey>,
}

pub struct DedicatedClient {
    targets: Vec<Target>,
}

impl DedicatedClient {
    pub fn new(cfg: &Config) -> Result<DedicatedClient, Error> {
        super::http::install_crypto_provider();
        let mut targets = Vec::new();
        for inst in &cfg.instances {
            let key = ClientKey::load(&inst.client_key)?;
            let label = format!("{} ({})", inst.origin, inst.endpoint);
            let http = build_client(inst, &key, &label)?;
            tracing::debug!(entry = inst.index, region = %inst.region_id, endpoint = %inst.endpoint, "KMS instance client ready");
            targets.push(Target {
                label,
                endpoint: inst.endpoint.clone(),
                http,
                key,
            });
        }
        Ok(DedicatedClient { targets })
    }

    pub fn targets(&self) -> usize {
        self.targets.len()
    }

    pub async fn get_secret_value(
        &self,
        i: usize,
        req: &SecretRequest,
    ) -> Result<SecretValue, Error> {
        let t = &self.targets[i];
        let body = proto::GetSecretValueRequest {
            secret_name: req.name.clone(),
            version_stage: if req.version_id.is_some() {
                String::new()
            } else {
                req.version_stage
                    .clone()
                    .unwrap_or_else(|| "ACSCurrent".into())
            },
            version_id: req.version_id.clone().unwrap_or_default(),
            fetch_extended_config: true,
        }
        .encode_to_vec();
        let date = sign::http_date(now_unix());
        let sha = sign::dkms_content_sha256(&body);
        let kms_headers = sign::dkms_headers(&t.key.key_id);
        let sts =
            sign::dkms_string_to_sign("POST", &sha, sign::DKMS_CONTENT_TYPE, &date, &kms_headers);
        let auth = format!("Bearer {}", sign::rsa_sha256_signature(&t.key.key, &sts));
        // Header order as the official SDKs send them.
        let mut rb = t
            .http
            .post(format!("https://{}/", t.endpoint))
            .header("accept", sign::DKMS_CONTENT_TYPE)
            .header("date", &date);
        for (k, v) in [
            &kms_headers[2],
            &kms_headers[1],
            &kms_headers[3],
            &kms_headers[0],
        ] {
            rb = rb.header(k.as_str(), v.as_str());
        }
        rb = rb
            .header("content-type", sign::DKMS_CONTENT_TYPE)
            .header("content-sha256", &sha)
            .header("authorization", auth);
        tracing::debug!(instance = %t.label, secret = %req.name, "GetSecretValue (KMS instance API)");
        let transport = |reason: String| {
            Error::Kms(KmsError::Transport {
                service: "KMS instance",
                endpoint: t.label.clone(),
                reason,
            })
        };
        let resp = rb
            .body(body)
            .send()
            .await
            .map_err(|e| transport(describe(&e)))?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(|e| transport(describe(&e)))?;
        let bad = |reason: &str| {
            Error::Kms(KmsError::BadResponse {
                service: "KMS instance",
                endpoint: t.label.clone(),
                status,
                reason: reason.into(),
            })
        };
        if (200..300).contains(&status) {
            let r = proto::GetSecretValueResponse::decode(bytes.as_ref())
                .map_err(|_| bad("not a GetSecretValueResponse"))?;
            return Ok(r.into_value());
        }
        let e = proto::Error::decode(bytes.as_ref()).map_err(|_| bad("not a protobuf Error"))?;
        if e.error_code.is_empty() {
            return Err(bad("error without an ErrorCode"));
        }
        Err(Error::Kms(KmsError::Api {
            service: "KMS instance",
            endpoint: t.label.clone(),
            status,
            code: e.error_code,
            message: e.error_message.replace(['\n', '\r'], " "),
            request_id: e.request_id,
        }))
    }
}

fn build_client(inst: &Instance, key: &ClientKey, label: &str) -> Result<reqwest::Client, Error> {
    let cfg_err = |message: String| Error::Config(ConfigError { message });
    let identity = reqwest::Identity::from_pem(&key.identity_pem()).map_err(|e| {
        cfg_err(format!(
            "{label}: the ClientKey certificate cannot be used for TLS: {}",
            describe(&e)
        ))
    })?;
    let mut b = reqwest::Client::builder()
        .user_agent(super::http::USER_AGENT)
        .connect_timeout(std::time::Duration::from_secs(5))
        .read_timeout(std::time::Duration::from_secs(10))
        .identity(identity);
    if inst.ignore_ssl_certs {
        eprintln!("ramsecret: warning: {label}: ignoreSslCerts is true, the KMS instance's certificate is NOT verified");
        b = b.tls_danger_accept_invalid_certs(true);
    } else {
        let path = inst.ca_file.as_ref().ok_or_else(|| cfg_err(format!("{label}: caFilePath is missing; set it to the instance CA file (PrivateKmsCA_kst-*.pem) or set ignoreSslCerts to true")))?;
        let pem = std::fs::read(path).map_err(|e| {
            cfg_err(format!(
                "{label}: caFilePath {}: {e}; check the path",
                path.display()
            ))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).ok().filter(|c| !c.is_empty()).ok_or_else(|| {
            cfg_err(format!("{label}: caFilePath {} holds no PEM certificate; use the instance CA file from the KMS console", path.display()))
        })?;
        b = b.tls_certs_only(certs);
    }
    b.build()
        .map_err(|e| cfg_err(format!("{label}: cannot set up TLS: {}", describe(&e))))
}
