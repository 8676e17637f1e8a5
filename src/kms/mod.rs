//! KMS clients: the shared gateway (RPC `GetSecretValue`, signed) and the dedicated gateway
//! (KMS instance API, protobuf over mutual TLS), behind one [`Kms`] with one retry/failover loop.

pub mod dedicated;
pub mod http;
pub mod openapi;
pub mod proto;
pub mod rpc;
pub mod sign;

use std::time::Duration;

use tokio::time::Instant;

use crate::config::Config;
use crate::error::{Error, Exit};
use crate::secret::SecretValue;

#[derive(Debug, thiserror::Error)]
pub enum KmsError {
    #[error("{service} at {endpoint} answered {code}: {message} (HTTP {status}, RequestId {request_id})")]
    Api {
        service: &'static str,
        endpoint: String,
        status: u16,
        code: String,
        message: String,
        request_id: String,
    },
    #[error("cannot reach {service} at {endpoint}: {reason}")]
    Transport {
        service: &'static str,
        endpoint: String,
        reason: String,
    },
    #[error("{service} at {endpoint} sent an unreadable response (HTTP {status}): {reason}")]
    BadResponse {
        service: &'static str,
        endpoint: String,
        status: u16,
        reason: String,
    },
    #[error("gave up after {attempts} attempt(s) within --timeout {timeout}: {last}")]
    GaveUp {
        attempts: u32,
        timeout: String,
        last: String,
    },
}

/// Codes worth retrying (and failing over on): throttling and the service's own trouble.
const RETRY_CODES: &[&str] = &[
    "Rejected.Throttling",
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "ServiceUnavailableTemporary",
    "InternalFailure",
    "ServiceUnavailable",
    "InternalError",
];
/// Codes meaning the secret is not there (or not readable as asked).
const NOT_FOUND_CODES: &[&str] = &[
    "Forbidden.ResourceNotFound",
    "Rejected.ResourceInDeleteWindow",
    "Forbidden.SecretNotFound",
];

impl KmsError {
    pub fn code(&self) -> Option<&str> {
        match self {
            KmsError::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn retryable(&self) -> bool {
        match self {
            KmsError::Api { code, status, .. } => {
                RETRY_CODES.contains(&code.as_str()) || (code.is_empty() && *status >= 500)
            }
            KmsError::Transport { .. } | KmsError::BadResponse { .. } => true,
            KmsError::GaveUp { .. } => false,
        }
    }

    pub fn exit(&self) -> Exit {
        match self {
            _ if self.retryable() => Exit::Unavailable,
            KmsError::GaveUp { .. } => Exit::Unavailable,
            KmsError::Api { code, .. } if NOT_FOUND_CODES.contains(&code.as_str()) => {
                Exit::NotFound
            }
            KmsError::Api { code, .. } if is_refusal(code) => Exit::Refused,
            _ => Exit::Failure,
        }
    }
}

/// Refusals of the request's time or nonce (a skewed local clock), not of the credentials.
pub fn is_clock_code(code: &str) -> bool {
    matches!(
        code,
        "SignatureNonceUsed"
            | "InvalidTimeStamp.Expired"
            | "RequestTimeTooSkewed"
            | "IllegalTimestamp"
    )
}

/// Our credentials were not accepted: bad key, signature, token, or no permission.
fn is_refusal(code: &str) -> bool {
    code.starts_with("InvalidAccessKeyId")
        || code.starts_with("InvalidSecurityToken")
        || code.starts_with("Forbidden")
        || matches!(
            code,
            "SignatureDoesNotMatch"
                | "IncompleteSignature"
                | "Unauthorized"
                | "NoPermission"
                | "SignatureNonceUsed"
                | "InvalidTimeStamp.Expired"
                | "RequestTimeTooSkewed"
        )
}

pub fn retryable(e: &Error) -> bool {
    match e {
        Error::Kms(k) => k.retryable(),
        Error::Credentials(c) => c.retryable(),
        _ => false,
    }
}

/// What to fetch.
#[derive(Clone, Debug)]
pub struct SecretRequest {
    pub name: String,
    pub version_stage: Option<String>,
    pub version_id: Option<String>,
}

pub enum Kms {
    OpenApi(Box<openapi::OpenApiClient>),
    Dedicated(dedicated::DedicatedClient),
}

impl Kms {
    /// As in the plug-ins: once any KMS instance is configured, only instances are used.
    pub fn from_config(cfg: &Config) -> Result<Kms, Error> {
        if !cfg.instances.is_empty() {
            tracing::info!(instances = cfg.instances.len(), "KMS instances configured: using the dedicated gateway only (shared-gateway regions are ignored)");
            Ok(Kms::Dedicated(dedicated::DedicatedClient::new(cfg)?))
        } else {
            Ok(Kms::OpenApi(Box::new(openapi::OpenApiClient::new(cfg)?)))
        }
    }

    pub async fn get_secret_value(
        &self,
        req: &SecretRequest,
        timeout: Duration,
    ) -> Result<SecretValue, Error> {
        let deadline = Instant::now() + timeout;
        match self {
            Kms::OpenApi(c) => {
                with_failover(c.targets(), deadline, timeout, |i| {
                    c.get_secret_value(i, req)
                })
                .await
            }
            Kms::Dedicated(c) => {
                with_failover(c.targets(), deadline, timeout, |i| {
                    c.get_secret_value(i, req)
                })
                .await
            }
        }
    }
}

/// Try each target (region or instance) in order; on a retryable failure move on to the next;
/// after a full round back off with full jitter (so a fleet that failed together does not
/// retry together). Everything is bounded by `deadline`.
pub async fn with_failover<T, F, Fut>(
    targets: usize,
    deadline: Instant,
    timeout: Duration,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut attempts = 0u32;
    // What went wrong last, for the final message.
    let mut last = String::from("no answer before the deadline");
    let give_up = |attempts: u32, last: String| {
        Error::Kms(KmsError::GaveUp {
            attempts,
            timeout: humantime::format_duration(timeout).to_string(),
            last,
        })
    };
    for round in 0u32.. {
        for i in 0..targets.max(1) {
            if Instant::now() >= deadline {
                return Err(give_up(attempts, last));
            }
            attempts += 1;
            match tokio::time::timeout_at(deadline, attempt(i)).await {
                Ok(Ok(v)) => return Ok(v),
                Ok(Err(e)) if retryable(&e) => {
                    tracing::info!("attempt {attempts} failed, will retry: {e}");
                    last = e.to_string();
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Err(give_up(attempts, last)),
            }
        }
        let cap = Duration::from_millis(300)
            .saturating_mul(1 << round.min(6))
            .min(Duration::from_secs(10));
        let pause = cap.mul_f64(random_unit());
        tracing::debug!(?pause, round, "backing off before the next round");
        tokio::time::sleep_until((Instant::now() + pause).min(deadline)).await;
    }
    unreachable!("the loop only ends by returning")
}

/// Uniform in [0, 1).
pub fn random_unit() -> f64 {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str, status: u16) -> KmsError {
        KmsError::Api {
            service: "KMS",
            endpoint: "e".into(),
            status,
            code: code.into(),
            message: "m".into(),
            request_id: "r".into(),
        }
    }

    #[test]
    fn classifies_codes_not_statuses() {
        assert!(api("Rejected.Throttling", 400).retryable());
        assert!(api("InternalFailure", 500).retryable());
        assert_eq!(
            api("Forbidden.ResourceNotFound", 404).exit(),
            Exit::NotFound
        );
        assert_eq!(
            api("InvalidAccessKeyId.NotFound", 404).exit(),
            Exit::Refused
        );
        assert_eq!(api("SignatureDoesNotMatch", 400).exit(), Exit::Refused);
        assert_eq!(api("Forbidden.NoPermission", 403).exit(), Exit::Refused);
        assert_eq!(api("Unauthorized", 401).exit(), Exit::Refused);
        assert_eq!(api("MissingParameter", 400).exit(), Exit::Failure);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn failover_moves_to_next_target_and_stops_on_refusal() {
        let seen = std::cell::RefCell::new(vec![]);
        let r: Result<u32, Error> = with_failover(
            2,
            Instant::now() + Duration::from_secs(5),
            Duration::from_secs(5),
            |i| {
                seen.borrow_mut().push(i);
                async move {
                    if i == 0 {
                        Err(Error::Kms(api("InternalFailure", 500)))
                    } else {
                        Ok(7)
                    }
                }
            },
        )
        .await;
        assert_eq!(r.unwrap(), 7);
        assert_eq!(*seen.borrow(), vec![0, 1]);
        let n = std::cell::Cell::new(0);
        let r: Result<u32, Error> = with_failover(
            2,
            Instant::now() + Duration::from_secs(5),
            Duration::from_secs(5),
            |_| {
                n.set(n.get() + 1);
                async { Err(Error::Kms(api("Forbidden.NoPermission", 403))) }
            },
        )
        .await;
        assert!(r.is_err());
        assert_eq!(n.get(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn gives_up_at_the_deadline() {
        let start = std::time::Instant::now();
        let r: Result<u32, Error> = with_failover(
            1,
            Instant::now() + Duration::from_millis(700),
            Duration::from_millis(700),
            |_| async { Err(Error::Kms(api("Rejected.Throttling", 429))) },
        )
        .await;
        assert!(matches!(r, Err(Error::Kms(KmsError::GaveUp { .. }))));
        assert!(start.elapsed() < Duration::from_millis(1500));
    }
}
