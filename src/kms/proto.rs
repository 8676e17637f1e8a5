//! Protobuf messages of the KMS instance API (`package protobuf`), written by hand so no
//! `protoc` is needed. Wire = tag numbers; names are ours. `skip_debug` where the secret lives.

#[derive(Clone, PartialEq, prost::Message)]
pub struct GetSecretValueRequest {
    #[prost(string, tag = "1")]
    pub secret_name: String,
    #[prost(string, tag = "2")]
    pub version_stage: String,
    #[prost(string, tag = "3")]
    pub version_id: String,
    #[prost(bool, tag = "4")]
    pub fetch_extended_config: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
#[prost(skip_debug)]
pub struct GetSecretValueResponse {
    #[prost(string, tag = "1")]
    pub secret_name: String,
    #[prost(string, tag = "2")]
    pub secret_type: String,
    #[prost(string, tag = "3")]
    pub secret_data: String,
    #[prost(string, tag = "4")]
    pub secret_data_type: String,
    #[prost(string, repeated, tag = "5")]
    pub version_stages: Vec<String>,
    #[prost(string, tag = "6")]
    pub version_id: String,
    #[prost(string, tag = "7")]
    pub create_time: String,
    #[prost(string, tag = "8")]
    pub request_id: String,
    #[prost(string, tag = "9")]
    pub last_rotation_date: String,
    #[prost(string, tag = "10")]
    pub next_rotation_date: String,
    #[prost(string, tag = "11")]
    pub extended_config: String,
    #[prost(string, tag = "12")]
    pub automatic_rotation: String,
    #[prost(string, tag = "13")]
    pub rotation_interval: String,
}

impl std::fmt::Debug for GetSecretValueResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GetSecretValueResponse")
            .field("secret_name", &self.secret_name)
            .field("version_id", &self.version_id)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Error {
    #[prost(int32, tag = "1")]
    pub status_code: i32,
    #[prost(string, tag = "2")]
    pub error_code: String,
    #[prost(string, tag = "3")]
    pub error_message: String,
    #[prost(string, tag = "4")]
    pub request_id: String,
}

impl GetSecretValueResponse {
    pub fn into_value(self) -> crate::secret::SecretValue {
        crate::secret::SecretValue {
            secret_name: self.secret_name,
            secret_type: self.secret_type,
            secret_data: crate::secret::SecretString::new(self.secret_data),
            version_id: self.version_id,
            version_stages: self.version_stages,
            next_rotation_date: self.next_rotation_date,
            rotation_interval: self.rotation_interval,
            extended_config: self.extended_config,
            request_id: self.request_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kms::sign::tests::hex;
    use prost::Message;

    const VECTORS: &str = include_str!("../../tests/fixtures/dkms/vectors/getsecretvalue.json");

    #[test]
    fn request_encoding_matches_the_official_sdk() {
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        for vec in v["signing_vectors"].as_array().unwrap() {
            let r = &vec["request"];
            let req = GetSecretValueRequest {
                secret_name: r["SecretName"].as_str().unwrap_or_default().into(),
                version_stage: r["VersionStage"].as_str().unwrap_or_default().into(),
                version_id: r["VersionId"].as_str().unwrap_or_default().into(),
                fetch_extended_config: r["FetchExtendedConfig"].as_bool().unwrap_or(false),
            };
            assert_eq!(
                req.encode_to_vec(),
                hex(vec["body_hex"].as_str().unwrap()),
                "{}",
                vec["name"]
            );
        }
        let cap = &v["wire_capture"];
        let req = GetSecretValueRequest {
            secret_name: "ramsecret/test-ak".into(),
            version_stage: "ACSCurrent".into(),
            version_id: String::new(),
            fetch_extended_config: true,
        };
        assert_eq!(req.encode_to_vec(), hex(cap["body_hex"].as_str().unwrap()));
        // TV-8 body
        let tv8 = GetSecretValueRequest {
            secret_name: "prod/db+pass@app".into(),
            version_stage: "ACSCurrent".into(),
            ..Default::default()
        };
        assert_eq!(
            tv8.encode_to_vec(),
            hex("0a1070726f642f64622b7061737340617070120a41435343757272656e74")
        );
    }

    #[test]
    fn decodes_captured_response_and_error() {
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        let rv = &v["response_vectors"];
        let resp = GetSecretValueResponse::decode(
            hex(rv["GetSecretValueResponse_hex"].as_str().unwrap()).as_slice(),
        )
        .unwrap();
        assert_eq!(resp.secret_name, "ramsecret/test-ak");
        assert_eq!(resp.secret_type, "RAMCredentials");
        assert_eq!(resp.version_stages, vec!["ACSCurrent".to_string()]);
        let secret = crate::secret::RamSecret::from_value(&resp.clone().into_value()).unwrap();
        assert!(secret.access_key_id.starts_with("LTAI"));
        assert!(!format!("{resp:?}").contains("AccessKeySecret"));
        let e = Error::decode(hex("089403121a466f7262696464656e2e5265736f757263654e6f74466f756e641a125265736f75726365206e6f7420666f756e64222436613365396333362d313135302d343838312d383464332d656238363732666361666164").as_slice()).unwrap();
        assert_eq!(e.status_code, 404);
        assert_eq!(e.error_code, "Forbidden.ResourceNotFound");
        assert_eq!(e.error_message, "Resource not found");
    }
}
