//! `ramsecret dev-call` (hidden): what an SDK-based child does with its injected key. It takes the
//! AccessKey from `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`, or, when `ALIBABA_CLOUD_CREDENTIALS_URI`
//! is set, GETs that URL first (the end of the default chain), then calls the emulator's STS
//! `GetCallerIdentity`. Success: `OK <masked AccessKeyId>` on stdout, exit 0. An API error: the
//! SDK-style line `Error: <Code>: <Message>` on stderr (what `exec` scans for), exit 1.

use crate::cli::DevCallArgs;
use crate::credentials::Signer;
use crate::error::Result;
use crate::kms::{http, rpc, KmsError};
use crate::secret::{mask_id, SecretString};

async fn from_uri(
    client: &reqwest::Client,
    uri: &str,
) -> std::result::Result<(String, SecretString), String> {
    let resp = client.get(uri).send().await.map_err(|e| {
        format!(
            "cannot reach ALIBABA_CLOUD_CREDENTIALS_URI: {}",
            http::describe(&e)
        )
    })?;
    let status = resp.status().as_u16();
    let body = resp.bytes().await.map_err(|e| http::describe(&e))?;
    if status != 200 {
        return Err(format!(
            "ALIBABA_CLOUD_CREDENTIALS_URI answered HTTP {status}"
        ));
    }
    let v: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|_| "ALIBABA_CLOUD_CREDENTIALS_URI sent no JSON object".to_string())?;
    match (
        v["Code"].as_str(),
        v["AccessKeyId"].as_str(),
        v["AccessKeySecret"].as_str(),
    ) {
        (Some("Success"), Some(id), Some(secret)) if !id.is_empty() => {
            Ok((id.to_string(), SecretString::new(secret)))
        }
        _ => Err(
            "ALIBABA_CLOUD_CREDENTIALS_URI response lacks Code=Success or the AccessKey fields"
                .into(),
        ),
    }
}

pub async fn run(a: DevCallArgs) -> Result<i32> {
    let client = match http::client(false) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("Error: cannot build an HTTP client: {e}");
            return Ok(1);
        }
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let pair = match (env("ALIBABA_CLOUD_ACCESS_KEY_ID"), env("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), env("ALIBABA_CLOUD_CREDENTIALS_URI")) {
        (Some(id), Some(secret), _) => Ok((id, SecretString::new(secret))),
        (_, _, Some(uri)) => from_uri(&client, &uri).await,
        _ => Err("no credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or ALIBABA_CLOUD_CREDENTIALS_URI".into()),
    };
    let (id, secret) = match pair {
        Ok(p) => p,
        Err(e) => {
            eprintln!("Error: {e}");
            return Ok(1);
        }
    };
    let signer = Signer::Hmac {
        id: id.clone(),
        secret,
        token: None,
    };
    let endpoint = a.endpoint.trim_end_matches('/');
    match rpc::call(
        &client,
        "STS",
        endpoint,
        "GetCallerIdentity",
        "2015-04-01",
        "",
        rpc::params(&[]),
        &signer,
    )
    .await
    {
        Ok(_) => {
            println!("OK {}", mask_id(&id));
            Ok(0)
        }
        Err(e) => {
            // SDK-style: `Error: <Code>: <Message>` for an API error, so scanners see the code.
            match (&e, e.code()) {
                (KmsError::Api { message, .. }, Some(code)) => {
                    eprintln!("Error: {code}: {message}")
                }
                _ => eprintln!("Error: {e}"),
            }
            Ok(1)
        }
    }
}
