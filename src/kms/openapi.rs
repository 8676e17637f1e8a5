//! Shared gateway: `GetSecretValue` (2016-01-20) over RPC, tried region by region.

use serde::Deserialize;

use super::{rpc, KmsError, SecretRequest};
use crate::config::{Config, Region};
use crate::credentials::Provider;
use crate::error::Error;
use crate::secret::{SecretString, SecretValue};

pub struct OpenApiClient {
    http: reqwest::Client,
    regions: Vec<Region>,
    provider: Provider,
}

impl OpenApiClient {
    pub fn new(cfg: &Config) -> Result<OpenApiClient, Error> {
        let creds = cfg.credentials.as_ref().ok_or_else(|| {
            Error::Config(crate::config::ConfigError { message: "no credentials_type configured: add e.g. credentials_type=ak with credentials_access_key_id and credentials_access_secret".into() })
        })?;
        let provider = Provider::new(creds, cfg)?;
        let https = cfg.regions.iter().any(|r| r.url.starts_with("https:"))
            || (matches!(creds, crate::config::Credentials::AssumeRole { .. })
                && cfg.sts_url.starts_with("https:"));
        let http = super::http::client(https).map_err(|reason| KmsError::Transport {
            service: "KMS",
            endpoint: "(client setup)".into(),
            reason,
        })?;
        tracing::debug!(
            credentials = provider.kind(),
            regions = cfg.regions.len(),
            "shared gateway client ready"
        );
        Ok(OpenApiClient {
            http,
            regions: cfg.regions.clone(),
            provider,
        })
    }

    pub fn targets(&self) -> usize {
        self.regions.len()
    }

    pub async fn get_secret_value(
        &self,
        i: usize,
        req: &SecretRequest,
    ) -> Result<SecretValue, Error> {
        let region = &self.regions[i];
        let signer = self.provider.signer(&self.http).await?;
        let mut p = rpc::params(&[("SecretName", &req.name), ("FetchExtendedConfig", "true")]);
        match (&req.version_id, &req.version_stage) {
            (Some(id), _) => p.insert("VersionId".into(), id.clone()),
            (None, stage) => p.insert(
                "VersionStage".into(),
                stage.clone().unwrap_or_else(|| "ACSCurrent".into()),
            ),
        };
        tracing::debug!(region = %region.region_id, endpoint = %region.url, secret = %req.name, "GetSecretValue");
        let body = rpc::call(
            &self.http,
            "KMS",
            &region.url,
            "GetSecretValue",
            "2016-01-20",
            &region.region_id,
            p,
            &signer,
        )
        .await?;
        parse_response(&body).map_err(|reason| {
            Error::Kms(KmsError::BadResponse {
                service: "KMS",
                endpoint: region.url.clone(),
                status: 200,
                reason,
            })
        })
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Stages {
    Wrapped {
        #[serde(rename = "VersionStage")]
        version_stage: Vec<String>,
    },
    Bare(Vec<String>),
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Resp {
    #[serde(default)]
    secret_name: String,
    #[serde(default)]
    secret_type: String,
    secret_data: SecretString,
    #[serde(default)]
    version_id: String,
    #[serde(default)]
    version_stages: Option<Stages>,
    #[serde(default)]
    next_rotation_date: String,
    #[serde(default)]
    rotation_interval: String,
    #[serde(default)]
    extended_config: String,
    #[serde(default)]
    request_id: String,
}

/// Parse a success body. Errors never include the body (it holds the secret).
pub fn parse_response(body: &[u8]) -> Result<SecretValue, String> {
    let r: Resp = serde_json::from_slice(body).map_err(|e| {
        format!(
            "not a GetSecretValue response (line {} column {})",
            e.line(),
            e.column()
        )
    })?;
    Ok(SecretValue {
        secret_name: r.secret_name,
        secret_type: r.secret_type,
        secret_data: r.secret_data,
        version_id: r.version_id,
        version_stages: match r.version_stages {
            Some(Stages::Wrapped { version_stage }) => version_stage,
            Some(Stages::Bare(v)) => v,
            None => vec![],
        },
        next_rotation_date: r.next_rotation_date,
        rotation_interval: r.rotation_interval,
        extended_config: r.extended_config,
        request_id: r.request_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_shape() {
        let v = parse_response(br#"{"SecretName":"secret001","VersionId":"00000000000000000000000000000001","SecretData":"testdata1","SecretType":"Generic","SecretDataType":"binary","VersionStages":{"VersionStage":["ACSCurrent"]},"CreateTime":"2020-07-23T11:56:29Z","RequestId":"6a3e9c36-1150-4881-84d3-eb8672fcafad"}"#).unwrap();
        assert_eq!(v.version_stages, vec!["ACSCurrent"]);
        assert_eq!(v.secret_data.expose(), "testdata1");
        let e = parse_response(br#"{"SecretData": 5, "x":"sekrit"}"#).unwrap_err();
        assert!(!e.contains("sekrit"));
    }
}
