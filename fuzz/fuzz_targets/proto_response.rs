//! The dedicated gateway's protobuf GetSecretValue response and error, and the secret inside.
#![no_main]
include!("common.rs");

use prost::Message;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(resp) = kms::proto::GetSecretValueResponse::decode(data) {
        let _ = secret::RamSecret::from_value(&resp.into_value());
    }
    let _ = kms::proto::Error::decode(data);
});
