//! Replays the fuzz regression inputs (`tests/fuzz-regressions/<target>/*`, kept by
//! `scripts/fuzz.sh`) through the same entry points as the cargo-fuzz targets in `fuzz/`.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        // A panic here names the input that caused it.
        eprintln!("replaying {}", path.display());
        run(&data);
        n += 1;
    }
    assert!(n > 0, "no regression inputs in {}", dir.display());
}

#[test]
fn properties_inputs() {
    replay("properties", ramsecret::fuzzing::properties);
}

#[test]
fn kms_array_inputs() {
    replay("kms_arrays", ramsecret::fuzzing::kms_arrays);
}

#[test]
fn get_secret_value_json_inputs() {
    replay(
        "get_secret_value_json",
        ramsecret::fuzzing::get_secret_value_json,
    );
}

#[test]
fn proto_response_inputs() {
    replay("proto_response", ramsecret::fuzzing::proto_response);
}

#[test]
fn secret_json_inputs() {
    replay("secret_json", ramsecret::fuzzing::secret_json);
}
