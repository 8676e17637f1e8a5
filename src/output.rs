//! Output formats as pure renderers: secret in, text out. Writing to stdout is the caller's job;
//! this module and the env/exec hand-off are the only places secret bytes are turned into text.

use serde::Serialize;

use crate::cli::{Field, GetFormat};
use crate::secret::{format_timestamp, RamSecret};

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Full<'a> {
    access_key_id: &'a str,
    access_key_secret: &'a str,
    secret_name: &'a str,
    version_id: &'a str,
    version_stages: &'a [String],
    #[serde(skip_serializing_if = "str::is_empty")]
    next_rotation_date: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    rotation_interval: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    generate_timestamp: &'a str,
}

/// Default `get` output: the pair plus version and rotation metadata, API field names.
pub fn json(s: &RamSecret) -> String {
    let v = Full {
        access_key_id: &s.access_key_id,
        access_key_secret: s.access_key_secret.expose(),
        secret_name: &s.secret_name,
        version_id: &s.version_id,
        version_stages: &s.version_stages,
        next_rotation_date: &s.next_rotation_date,
        rotation_interval: &s.rotation_interval,
        generate_timestamp: &s.generate_timestamp,
    };
    serde_json::to_string_pretty(&v).expect("plain strings serialize") + "\n"
}

/// aliyun CLI `External` mode (`process_command` output): `{"mode":"AK",…}`.
pub fn aliyun_cli(s: &RamSecret) -> String {
    serde_json::json!({"mode": "AK", "access_key_id": s.access_key_id, "access_key_secret": s.access_key_secret.expose()}).to_string() + "\n"
}

/// `ALIBABA_CLOUD_CREDENTIALS_URI` response body (protocol.md D.2). `expiration` is when the
/// caller should ask again; a RAM AccessKey has no token, so SecurityToken is empty.
pub fn credentials_uri(s: &RamSecret, expiration_unix: i64) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": s.access_key_id,
        "AccessKeySecret": s.access_key_secret.expose(),
        "SecurityToken": "",
        "Expiration": format_timestamp(expiration_unix),
    })
    .to_string()
        + "\n"
}

/// What `get` prints: one raw field, or a whole format.
pub fn get_text(field: Option<Field>, format: GetFormat, s: &RamSecret, now: i64) -> String {
    match (field, format) {
        (Some(Field::AccessKeyId), _) => format!("{}\n", s.access_key_id),
        (Some(Field::AccessKeySecret), _) => format!("{}\n", s.access_key_secret.expose()),
        (None, GetFormat::Json) => json(s),
        (None, GetFormat::AliyunCli) => aliyun_cli(s),
        (None, GetFormat::CredentialsUri) => credentials_uri(s, next_check(s, now)),
    }
}

/// When a consumer should fetch again: 5 minutes after the next scheduled rotation (the
/// plug-ins' delay), capped at one hour from now so unscheduled rotations are seen too.
pub fn next_check(s: &RamSecret, now: i64) -> i64 {
    let hour = now + 3600;
    match s.rotation_check_unix(0.0) {
        Some(t) if t > now => t.min(hour),
        _ => hour,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

    fn sample() -> RamSecret {
        RamSecret {
            secret_name: "acs/ram/user/ci".into(),
            access_key_id: "LTAI5tEXAMPLE0001".into(),
            access_key_secret: SecretString::new("s3cr\"et"),
            generate_timestamp: "2024-01-01T00:00:00Z".into(),
            secret_type: "RAMCredentials".into(),
            version_id: "v2".into(),
            version_stages: vec!["ACSCurrent".into()],
            next_rotation_date: "2024-01-08T00:00:00Z".into(),
            rotation_interval: "604800s".into(),
            extended_config: String::new(),
        }
    }

    #[test]
    fn json_round_trips() {
        let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(v["AccessKeySecret"], "s3cr\"et");
        assert_eq!(v["VersionStages"][0], "ACSCurrent");
        assert_eq!(v["NextRotationDate"], "2024-01-08T00:00:00Z");
    }

    #[test]
    fn aliyun_and_uri_formats() {
        let v: serde_json::Value = serde_json::from_str(&aliyun_cli(&sample())).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"mode":"AK","access_key_id":"LTAI5tEXAMPLE0001","access_key_secret":"s3cr\"et"})
        );
        let v: serde_json::Value =
            serde_json::from_str(&credentials_uri(&sample(), 1704672300)).unwrap();
        assert_eq!(v["Code"], "Success");
        assert_eq!(v["Expiration"], "2024-01-08T00:05:00Z");
        assert_eq!(v["SecurityToken"], "");
    }

    #[test]
    fn next_check_follows_rotation_clock() {
        let s = sample();
        let rot = s.next_rotation_unix().unwrap();
        assert_eq!(next_check(&s, rot - 60), rot + 300);
        assert_eq!(next_check(&s, rot - 7200), rot - 7200 + 3600);
        assert_eq!(next_check(&s, rot + 3600), rot + 3600 + 3600);
    }
}
