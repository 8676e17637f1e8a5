//! The RAM secret value: an AccessKey pair plus the rotation metadata KMS returns with it.
//!
//! Secret bytes live only in [`SecretString`], which redacts itself in `Debug`/`Display`
//! and is zeroized on drop; the only way out is an explicit [`SecretString::expose`].

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// A secret text (AccessKeySecret, STS token, password). Never printed, wiped on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(s: impl Into<String>) -> Self {
        SecretString(s.into())
    }
    /// The one door to the secret: call it only where the bytes are used (signing, stdout, env).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(SecretString)
    }
}

/// `LTAI5tAbCdEf1234` -> `LTAI****1234`: enough to tell keys apart in logs, useless to an attacker.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return "****".to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// What `GetSecretValue` returned, from either gateway, before we interpret `SecretData`.
#[derive(Clone, Default)]
pub struct SecretValue {
    pub secret_name: String,
    pub secret_type: String,
    pub secret_data: SecretString,
    pub version_id: String,
    pub version_stages: Vec<String>,
    pub next_rotation_date: String,
    pub rotation_interval: String,
    pub extended_config: String,
    pub request_id: String,
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretValue")
            .field("secret_name", &self.secret_name)
            .field("secret_type", &self.secret_type)
            .field("version_id", &self.version_id)
            .field("version_stages", &self.version_stages)
            .field("next_rotation_date", &self.next_rotation_date)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("secret {name:?} is not an AccessKey secret: its value has no {missing} field (secret type {secret_type:?}); ramsecret only hands out RAM secrets (AccessKeyId + AccessKeySecret)")]
    MissingField {
        name: String,
        missing: &'static str,
        secret_type: String,
    },
    #[error("secret {name:?} is not an AccessKey secret: its value is not a JSON object (secret type {secret_type:?}); ramsecret only hands out RAM secrets")]
    NotJson { name: String, secret_type: String },
}

/// A RAM secret: the AccessKey pair and the metadata that says when it will change.
#[derive(Clone)]
pub struct RamSecret {
    pub secret_name: String,
    pub access_key_id: String,
    pub access_key_secret: SecretString,
    /// As stored in the secret; formats vary, so it is kept verbatim.
    pub generate_timestamp: String,
    pub secret_type: String,
    pub version_id: String,
    pub version_stages: Vec<String>,
    pub next_rotation_date: String,
    pub rotation_interval: String,
    pub extended_config: String,
}

impl fmt::Debug for RamSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamSecret")
            .field("secret_name", &self.secret_name)
            .field("access_key_id", &mask_id(&self.access_key_id))
            .field("version_id", &self.version_id)
            .field("version_stages", &self.version_stages)
            .field("next_rotation_date", &self.next_rotation_date)
            .finish_non_exhaustive()
    }
}

impl RamSecret {
    /// Interpret `SecretData`. Lenient: extra fields and any timestamp format are accepted,
    /// because only the pair is needed to hand the key on.
    pub fn from_value(v: &SecretValue) -> Result<RamSecret, SecretError> {
        let parsed: serde_json::Value =
            serde_json::from_str(v.secret_data.expose()).map_err(|_| SecretError::NotJson {
                name: v.secret_name.clone(),
                secret_type: v.secret_type.clone(),
            })?;
        let obj = parsed.as_object().ok_or_else(|| SecretError::NotJson {
            name: v.secret_name.clone(),
            secret_type: v.secret_type.clone(),
        })?;
        let field = |k: &'static str| -> Result<String, SecretError> {
            match obj.get(k).and_then(|x| x.as_str()) {
                Some(s) if !s.is_empty() => Ok(s.to_string()),
                _ => Err(SecretError::MissingField {
                    name: v.secret_name.clone(),
                    missing: k,
                    secret_type: v.secret_type.clone(),
                }),
            }
        };
        let access_key_id = field("AccessKeyId")?;
        let access_key_secret = SecretString::new(field("AccessKeySecret")?);
        let generate_timestamp = match obj.get("GenerateTimestamp") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        Ok(RamSecret {
            secret_name: v.secret_name.clone(),
            access_key_id,
            access_key_secret,
            generate_timestamp,
            secret_type: v.secret_type.clone(),
            version_id: v.version_id.clone(),
            version_stages: v.version_stages.clone(),
            next_rotation_date: v.next_rotation_date.clone(),
            rotation_interval: v.rotation_interval.clone(),
            extended_config: v.extended_config.clone(),
        })
    }

    /// A RAM secret that KMS manages and rotates (`SecretType` RAMCredentials with
    /// `SecretSubType` RamUserAccessKey), as the plug-ins recognise one. Other secrets that
    /// happen to hold a pair work too, but nothing rotates them.
    pub fn is_managed(&self) -> bool {
        let sub = serde_json::from_str::<serde_json::Value>(&self.extended_config)
            .ok()
            .and_then(|v| {
                v.get("SecretSubType")
                    .and_then(|s| s.as_str())
                    .map(str::to_owned)
            });
        self.secret_type.eq_ignore_ascii_case("RAMCredentials")
            && sub.is_none_or(|s| s == "RamUserAccessKey")
    }

    pub fn masked_id(&self) -> String {
        mask_id(&self.access_key_id)
    }

    /// The plug-ins' rotation clock (plugin.md 3.2): check again 5 minutes after
    /// `NextRotationDate`, plus `jitter` (0..1) of another 5 minutes so a fleet spreads out.
    pub fn rotation_check_unix(&self, jitter: f64) -> Option<i64> {
        self.next_rotation_unix()
            .map(|t| t + 300 + (300.0 * jitter) as i64)
    }

    /// `NextRotationDate` as a Unix time, when KMS gave one we can read.
    pub fn next_rotation_unix(&self) -> Option<i64> {
        parse_timestamp(&self.next_rotation_date)
    }
}

/// Parse the UTC timestamps KMS and the metadata service use (`2024-01-02T03:04:05Z`, with or
/// without fractional seconds or an offset). Returns Unix seconds.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
        .or_else(|| {
            // Some services drop the `Z`.
            let fmt =
                time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
            time::PrimitiveDateTime::parse(s, &fmt)
                .ok()
                .map(|t| t.assume_utc().unix_timestamp())
        })
}

/// Unix seconds -> `2024-01-02T03:04:05Z`.
pub fn format_timestamp(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(data: &str) -> SecretValue {
        SecretValue {
            secret_name: "acs/ram/user/ci".into(),
            secret_type: "RAMCredentials".into(),
            secret_data: SecretString::new(data),
            version_id: "v1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn parses_pair_and_tolerates_extra_fields_and_timestamp_formats() {
        let s = RamSecret::from_value(&value(
            r#"{"AccessKeyId":"LTAI5tTESTKEY0001","AccessKeySecret":"topsecretvalue","GenerateTimestamp":"2023-03-25 10:42:40","Extra":1}"#,
        ))
        .unwrap();
        assert_eq!(s.access_key_id, "LTAI5tTESTKEY0001");
        assert_eq!(s.access_key_secret.expose(), "topsecretvalue");
        assert_eq!(s.generate_timestamp, "2023-03-25 10:42:40");
        let dbg = format!("{s:?}");
        assert!(
            !dbg.contains("topsecretvalue") && !dbg.contains("LTAI5tTESTKEY0001"),
            "{dbg}"
        );
        assert!(dbg.contains("LTAI****0001"));
    }

    #[test]
    fn rejects_non_accesskey_secrets_without_echoing_the_value() {
        let e = RamSecret::from_value(&value(
            r#"{"AccountName":"root","AccountPassword":"pw-xyz"}"#,
        ))
        .unwrap_err();
        assert!(e.to_string().contains("AccessKeyId") && !e.to_string().contains("pw-xyz"));
        let e = RamSecret::from_value(&value("plain text pw-xyz")).unwrap_err();
        assert!(!e.to_string().contains("pw-xyz"));
    }

    #[test]
    fn secret_string_redacts() {
        let s = SecretString::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "<redacted> <redacted>");
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("2024-01-02T03:04:05Z"), Some(1704164645));
        assert_eq!(parse_timestamp("2024-01-02T03:04:05"), Some(1704164645));
        assert_eq!(format_timestamp(1704164645), "2024-01-02T03:04:05Z");
        assert_eq!(mask_id("LTAI5tAbCdEf1234"), "LTAI****1234");
    }
}
