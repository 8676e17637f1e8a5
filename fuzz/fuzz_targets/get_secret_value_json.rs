#![no_main]
// Entry point shared with the regression replay in tests/fuzz.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| ramsecret::fuzzing::get_secret_value_json(data));
