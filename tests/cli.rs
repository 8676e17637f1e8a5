//! The command line itself: help, exit-code documentation, generated completions and man pages.

use crate::support::*;

#[test]
fn help_documents_exit_codes() {
    let d = tempfile::tempdir().unwrap();
    let out = ramsecret(d.path())
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(out).unwrap();
    for line in [
        "3  configuration error",
        "4  KMS refused",
        "5  secret not found",
        "6  KMS unreachable",
    ] {
        assert!(help.contains(line), "{line:?} missing from --help");
    }
}

#[test]
fn usage_errors_exit_2() {
    let d = tempfile::tempdir().unwrap();
    ramsecret(d.path()).args(["get"]).assert().code(2);
    ramsecret(d.path())
        .args(["get", "x", "--format", "yaml"])
        .assert()
        .code(2);
}

/// Completions and man pages are committed; regenerate and compare so they never drift.
#[test]
fn completions_and_man_pages_are_up_to_date() {
    let d = tempfile::tempdir().unwrap();
    ramsecret(d.path())
        .args(["generate", "--out"])
        .arg(d.path())
        .assert()
        .success();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut compared = 0;
    for sub in ["completions", "man"] {
        for entry in std::fs::read_dir(d.path().join(sub)).unwrap() {
            let entry = entry.unwrap();
            let committed = root.join(sub).join(entry.file_name());
            let fresh = std::fs::read(entry.path()).unwrap();
            let old = std::fs::read(&committed).unwrap_or_default();
            assert!(
                fresh == old,
                "{} is out of date: run `cargo run -- generate --out .`",
                committed.display()
            );
            compared += 1;
        }
    }
    assert!(
        compared >= 8,
        "expected completions for 5 shells and several man pages, compared {compared}"
    );
}
