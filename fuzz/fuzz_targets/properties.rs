//! The properties parser (managed_credentials_providers.properties, any encoding).
#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = config::properties::decode(data);
    let _ = config::properties::parse(data);
});
