//! The secret JSON (`SecretData` of a RAM secret) and the timestamps in it.
#![no_main]
include!("common.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let v = secret::SecretValue { secret_data: secret::SecretString::new(text), next_rotation_date: text.chars().take(40).collect(), ..Default::default() };
    if let Ok(s) = secret::RamSecret::from_value(&v) {
        let _ = s.next_rotation_unix();
        let _ = s.masked_id();
    }
    let _ = secret::parse_timestamp(text);
});
