//! Entry points of the cargo-fuzz targets (`fuzz/`), also replayed over the kept regression
//! inputs by `cargo test` (`tests/fuzz.rs`). Each must return (not panic) on any input.

use prost::Message;

/// The properties parser: raw file bytes.
pub fn properties(data: &[u8]) {
    let _ = crate::config::properties::parse(data);
}

/// `cache_client_region_id` and `cache_client_dkms_config_info`: the same bytes as both values,
/// through the whole loader (no files: the working directory does not exist).
pub fn kms_arrays(data: &[u8]) {
    let value = String::from_utf8_lossy(data).into_owned();
    let env = |k: &str| match k {
        "credentials_type" => Some("ak".to_string()),
        "credentials_access_key_id" => Some("LTAI5tFuzzing00001".to_string()),
        "credentials_access_secret" => Some("fuzz-secret".to_string()),
        "cache_client_region_id" | "cache_client_dkms_config_info" => Some(value.clone()),
        _ => None,
    };
    let nowhere = std::path::Path::new("/nonexistent/ramsecret-fuzz");
    let _ = crate::config::load_from(None, nowhere, None, &env);
}

/// A shared-gateway `GetSecretValue` JSON body, then its `SecretData` as a RAM secret.
pub fn get_secret_value_json(data: &[u8]) {
    if let Ok(v) = crate::kms::openapi::parse_response(data) {
        let _ = crate::secret::RamSecret::from_value(&v);
    }
}

/// A KMS instance answer: `GetSecretValueResponse` or `Error` protobuf.
pub fn proto_response(data: &[u8]) {
    if let Ok(r) = crate::kms::proto::GetSecretValueResponse::decode(data) {
        let _ = crate::secret::RamSecret::from_value(&r.into_value());
    }
    let _ = crate::kms::proto::Error::decode(data);
}

/// `SecretData` of a RAM secret.
pub fn secret_json(data: &[u8]) {
    let v = crate::secret::SecretValue {
        secret_data: crate::secret::SecretString::new(String::from_utf8_lossy(data)),
        ..Default::default()
    };
    let _ = crate::secret::RamSecret::from_value(&v);
}
