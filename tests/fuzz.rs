//! Replays the fuzz regression inputs (`tests/fuzz-regressions/<target>/*`, kept by
//! `scripts/fuzz.sh`) through the same entry points as the cargo-fuzz targets in `fuzz/`.
//! The pure modules are included by path because ramsecret has no library target. The
//! protobuf target (`proto_response`) cannot be replayed here (its module's unit tests need the
//! rest of the crate); replay it with `cd fuzz && cargo fuzz run proto_response <file>`.

#[allow(dead_code)]
#[path = "../src/config/properties.rs"]
mod properties;
#[allow(dead_code)]
#[path = "../src/secret.rs"]
mod secret;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Same body as fuzz/fuzz_targets/properties.rs.
fn properties_target(data: &[u8]) {
    let _ = properties::decode(data);
    let _ = properties::parse(data);
}

/// Same body as fuzz/fuzz_targets/secret_json.rs.
fn secret_json_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let v = secret::SecretValue {
        secret_data: secret::SecretString::new(text),
        next_rotation_date: text.chars().take(40).collect(),
        ..Default::default()
    };
    if let Ok(s) = secret::RamSecret::from_value(&v) {
        let _ = s.next_rotation_unix();
        let _ = s.masked_id();
    }
    let _ = secret::parse_timestamp(text);
}

#[test]
fn properties_regressions() {
    let all = inputs("properties");
    assert!(!all.is_empty());
    for (name, data) in all {
        let r = std::panic::catch_unwind(|| properties_target(&data));
        assert!(
            r.is_ok(),
            "properties parser panicked on tests/fuzz-regressions/properties/{name}"
        );
    }
}

#[test]
fn secret_json_regressions() {
    let all = inputs("secret_json");
    assert!(!all.is_empty());
    for (name, data) in all {
        let r = std::panic::catch_unwind(|| secret_json_target(&data));
        assert!(
            r.is_ok(),
            "secret JSON parsing panicked on tests/fuzz-regressions/secret_json/{name}"
        );
    }
}
