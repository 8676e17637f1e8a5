//! ECS instance metadata service (IMDS) on the plain listener: IMDSv2 tokens, the role name and
//! the role's STS credentials. The STS keys it hands out are live on the shared gateway.

use super::state::{Emulator, MetadataSwitches};
use super::{Reply, ACCOUNT_ID, ECS_ROLE_NAME};
use crate::secret::format_timestamp;

const TEXT: &str = "text/plain;charset=utf-8";
pub const TOKEN_PATH: &str = "/latest/api/token";
pub const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const STS_LIFETIME: i64 = 3600;

pub fn is_metadata_path(path: &str) -> bool {
    path.starts_with("/latest/")
}

/// Counter for a request: the token PUT, and the credentials GET of a role (not the listing).
pub fn counter(method: &str, path: &str) -> Option<&'static str> {
    match (method, path) {
        ("PUT", TOKEN_PATH) => Some("MetadataToken"),
        ("GET", p)
            if p.strip_prefix(CREDENTIALS_PATH)
                .is_some_and(|r| !r.is_empty()) =>
        {
            Some("MetadataCredentials")
        }
        _ => None,
    }
}

pub fn handle(
    emu: &mut Emulator,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    now: i64,
) -> Reply {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let MetadataSwitches {
        imdsv2_required,
        imdsv1_only,
    } = emu.metadata;
    if path == TOKEN_PATH {
        if imdsv1_only {
            return text(404, "Not Found");
        }
        if method != "PUT" {
            return text(405, "Method Not Allowed");
        }
        let Some(ttl) = header(TOKEN_TTL_HEADER)
            .and_then(|t| t.trim().parse::<i64>().ok())
            .filter(|t| (1..=21600).contains(t))
        else {
            return text(
                400,
                "Bad Request: X-aliyun-ecs-metadata-token-ttl-seconds must be 1..21600",
            );
        };
        let token = super::state::random_alnum(56);
        emu.imds_tokens.retain(|_, exp| *exp > now);
        emu.imds_tokens.insert(token.clone(), now + ttl);
        return text(200, &token);
    }
    if method != "GET" {
        return text(405, "Method Not Allowed");
    }
    match header(TOKEN_HEADER) {
        Some(t) if emu.imds_tokens.get(t).is_none_or(|exp| *exp <= now) => {
            return text(401, "Unauthorized")
        }
        None if imdsv2_required => return text(403, "Forbidden"),
        _ => {}
    }
    match path.strip_prefix(CREDENTIALS_PATH) {
        Some("") => text(200, ECS_ROLE_NAME),
        Some(role) if role == ECS_ROLE_NAME => {
            let arn = format!("acs:ram::{ACCOUNT_ID}:role/{ECS_ROLE_NAME}");
            // Polling must not mint a session (and a state-file write) per request.
            let s = emu
                .reusable_sts(&arn, "ecs-instance", STS_LIFETIME, now)
                .unwrap_or_else(|| emu.issue_sts(&arn, "ecs-instance", STS_LIFETIME, now));
            let body = serde_json::json!({
                "AccessKeyId": s.access_key_id,
                "AccessKeySecret": s.access_key_secret,
                "Expiration": format_timestamp(s.expiration),
                "SecurityToken": s.security_token,
                "LastUpdated": format_timestamp(now),
                "Code": "Success",
            });
            Reply {
                status: 200,
                content_type: "application/json",
                body: body.to_string().into_bytes(),
            }
        }
        _ => text(404, "Not Found"),
    }
}

fn text(status: u16, body: &str) -> Reply {
    Reply {
        status,
        content_type: TEXT,
        body: body.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::state::Store;

    #[test]
    fn imdsv2_flow_and_switches() {
        let mut e = Emulator::new(Store::default());
        let ttl = |v: &str| vec![(TOKEN_TTL_HEADER.to_string(), v.to_string())];
        assert_eq!(
            handle(&mut e, "PUT", TOKEN_PATH, &ttl("0"), 100).status,
            400
        );
        let token =
            String::from_utf8(handle(&mut e, "PUT", TOKEN_PATH, &ttl("60"), 100).body).unwrap();
        let with = vec![("X-aliyun-ecs-metadata-token".to_string(), token)];
        let r = handle(&mut e, "GET", CREDENTIALS_PATH, &with, 100);
        assert_eq!(r.body, ECS_ROLE_NAME.as_bytes());
        let path = format!("{CREDENTIALS_PATH}{ECS_ROLE_NAME}");
        let v: serde_json::Value =
            serde_json::from_slice(&handle(&mut e, "GET", &path, &with, 100).body).unwrap();
        assert_eq!(v["Code"], "Success");
        assert!(e.principal(v["AccessKeyId"].as_str().unwrap()).is_some());
        assert_eq!(
            handle(&mut e, "GET", &path, &with, 161).status,
            401,
            "token expired"
        );
        assert_eq!(
            handle(&mut e, "GET", &path, &[], 100).status,
            200,
            "IMDSv1 allowed by default"
        );
        e.metadata.imdsv2_required = true;
        assert_eq!(handle(&mut e, "GET", &path, &[], 100).status, 403);
        e.metadata.imdsv1_only = true;
        assert_eq!(
            handle(&mut e, "PUT", TOKEN_PATH, &ttl("60"), 100).status,
            404
        );
        assert_eq!(counter("GET", &path), Some("MetadataCredentials"));
        assert_eq!(counter("GET", CREDENTIALS_PATH), None);
    }
}
