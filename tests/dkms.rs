//! `ramsecret get` through a KMS instance (dedicated gateway): protobuf over mutual TLS,
//! ClientKey signatures, CA files, ignoreSslCerts, failover between instances.

use serde_json::json;

use crate::support::*;

const NAME: &str = "acs/ram/user/instance-app";
const AK_ID: &str = "LTAI5tInstanceAppKey001";
const AK_SECRET: &str = "instance-app-secret-value";
const KEY_JSON: &str = "dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70.json";
const PBES2_JSON: &str =
    "dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70_pbes2.json";
const PW_FILE: &str =
    "dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70_Password.txt";
const PASSWORD: &str = "ck-Test_password-1234";

/// One `cache_client_dkms_config_info` entry; `extra` is spliced into the JSON object.
fn entry(endpoint: &str, key: &str, extra: &str) -> String {
    format!(
        r#"{{"regionId":"cn-hangzhou","endpoint":"{endpoint}","clientKeyFile":"{}"{extra}}}"#,
        fixture(key).display()
    )
}

fn ca(emu: &Emulator) -> String {
    format!(r#","caFilePath":"{}""#, emu.dir.join("ca.pem").display())
}

fn pw_file() -> String {
    format!(
        r#","passwordFromFilePath":"{}""#,
        fixture(PW_FILE).display()
    )
}

fn config(entries: &[String]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "managed_credentials_providers.properties",
        &format!("cache_client_dkms_config_info=[{}]\n", entries.join(",")),
    );
    d
}

fn get(d: &tempfile::TempDir) -> (i32, String, String, std::time::Duration) {
    run({
        let mut c = ramsecret(d.path());
        c.args(["--timeout", "5s", "get", NAME, "--format", "aliyun-cli"]);
        c
    })
}

fn setup() -> (Emulator, String) {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let endpoint = format!("localhost:{}", emu.dkms_port());
    (emu, endpoint)
}

fn assert_key(out: &str) {
    let v: serde_json::Value =
        serde_json::from_str(out).unwrap_or_else(|_| panic!("not JSON: {out}"));
    assert_eq!(v["access_key_id"], AK_ID);
    assert_eq!(v["access_key_secret"], AK_SECRET);
}

#[test]
fn legacy_clientkey_with_password_file() {
    let (emu, ep) = setup();
    let d = config(&[entry(&ep, KEY_JSON, &(pw_file() + &ca(&emu)))]);
    let (code, out, err, _) = get(&d);
    assert_eq!(code, 0, "{err}");
    assert_key(&out);
    assert_eq!(emu.counter("DkmsGetSecretValue"), 1);
    assert_eq!(
        emu.counter("GetSecretValue"),
        0,
        "instances only once configured"
    );
}

#[test]
fn the_emulators_dkms_properties_work_unchanged() {
    let emu = Emulator::start();
    let d = tempfile::tempdir().unwrap();
    ramsecret(d.path())
        .arg("-c")
        .arg(emu.dir.join("dkms.properties"))
        .args([
            "get",
            "acs/ram/user/ramsecret-demo",
            "--field",
            "AccessKeyId",
        ])
        .assert()
        .success();
}

#[test]
fn pbes2_clientkey_with_password_from_env() {
    let (emu, ep) = setup();
    let d = config(&[entry(
        &ep,
        PBES2_JSON,
        &(r#","passwordFromEnvVariable":"KMS_PW""#.to_string() + &ca(&emu)),
    )]);
    let (code, out, err, _) = run({
        let mut c = ramsecret(d.path());
        c.env("KMS_PW", PASSWORD)
            .args(["get", NAME, "--format", "aliyun-cli"]);
        c
    });
    assert_eq!(code, 0, "{err}");
    assert_key(&out);
}

#[test]
fn global_password_fallback_client_key_password() {
    let (emu, ep) = setup();
    let d = config(&[entry(&ep, KEY_JSON, &ca(&emu))]);
    let (code, out, err, _) = run({
        let mut c = ramsecret(d.path());
        c.env("client_key_password", PASSWORD)
            .args(["get", NAME, "--format", "aliyun-cli"]);
        c
    });
    assert_eq!(code, 0, "{err}");
    assert_key(&out);
}

#[test]
fn mismatched_ca_is_a_tls_error_naming_the_entry_then_ignore_ssl_certs_works() {
    let (_emu, ep) = setup();
    // The fixture bundle is a real-shaped instance CA, but not the one that issued the emulator's certificate.
    let other_ca = format!(
        r#","caFilePath":"{}""#,
        fixture("dkms/ca/PrivateKmsCA_kst-hzz65f0c1d2e3a4b5c6d7.pem").display()
    );
    let d = config(&[entry(&ep, KEY_JSON, &(pw_file() + &other_ca))]);
    let (code, out, err, took) = get(&d);
    assert_eq!(code, 6, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("cache_client_dkms_config_info[0]")
            && (err.contains("certificate") || err.contains("UnknownIssuer")),
        "{err}"
    );
    assert!(took < std::time::Duration::from_secs(6));

    let d = config(&[entry(
        &ep,
        KEY_JSON,
        &(pw_file() + r#","ignoreSslCerts":true"#),
    )]);
    let (code, out, err, _) = get(&d);
    assert_eq!(code, 0, "{err}");
    assert_key(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("ignoreSslCerts"))
        .collect();
    assert_eq!(warnings.len(), 1, "{err}");
}

#[test]
fn ca_file_missing_or_not_pem_is_a_config_error() {
    let (_emu, ep) = setup();
    let d = config(&[entry(
        &ep,
        KEY_JSON,
        &(pw_file() + r#","caFilePath":"/nonexistent/ca.pem""#),
    )]);
    let (code, _, err, _) = get(&d);
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("cache_client_dkms_config_info[0]") && err.contains("caFilePath"),
        "{err}"
    );
    let junk = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(junk.path(), "not a certificate").unwrap();
    let d = config(&[entry(
        &ep,
        KEY_JSON,
        &(pw_file() + &format!(r#","caFilePath":"{}""#, junk.path().display())),
    )]);
    let (code, _, err, _) = get(&d);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("caFilePath"), "{err}");
}

#[test]
fn wrong_password_is_one_line_without_the_password() {
    let (emu, ep) = setup();
    let d = config(&[entry(
        &ep,
        KEY_JSON,
        &(r#","passwordFromEnvVariable":"KMS_PW""#.to_string() + &ca(&emu)),
    )]);
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.env("KMS_PW", "Not-The-Password-9").args(["get", NAME]);
        c
    });
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("wrong password") && !err.contains("Not-The-Password-9"),
        "{err}"
    );
}

#[test]
fn first_instance_dead_second_answers() {
    let (emu, ep) = setup();
    let dead = format!("localhost:{}", dead_port());
    let d = config(&[
        entry(&dead, KEY_JSON, &(pw_file() + &ca(&emu))),
        entry(&ep, KEY_JSON, &(pw_file() + &ca(&emu))),
    ]);
    let (code, out, err, _) = get(&d);
    assert_eq!(code, 0, "{err}");
    assert_key(&out);
}

#[test]
fn throttled_instance_fails_over() {
    let (emu, ep) = setup();
    emu.fault(json!({"target": "dkms", "kind": "throttle", "count": 1}));
    let d = config(&[
        entry(&ep, KEY_JSON, &(pw_file() + &ca(&emu))),
        entry(&ep, KEY_JSON, &(pw_file() + &ca(&emu))),
    ]);
    let (code, out, err, _) = get(&d);
    assert_eq!(code, 0, "{err}");
    assert_key(&out);
    assert_eq!(emu.counter("DkmsGetSecretValue"), 2);
}

#[test]
fn unknown_clientkey_is_refused_without_failover() {
    let (emu, ep) = setup();
    let pw = format!(
        r#","passwordFromFilePath":"{}""#,
        fixture("unknown/password.txt").display()
    );
    let d = config(&[
        entry(
            &ep,
            "unknown/clientKey_unknown.json",
            &(pw.clone() + &ca(&emu)),
        ),
        entry(&ep, "unknown/clientKey_unknown.json", &(pw + &ca(&emu))),
    ]);
    let (code, _, err, _) = get(&d);
    assert_eq!(code, 4, "{err}");
    assert_one_line_error(&err);
    assert!(err.contains("Unauthorized"), "{err}");
    assert_eq!(
        emu.counter("DkmsGetSecretValue"),
        1,
        "a refused key must not fail over"
    );
}

#[test]
fn missing_secret_on_an_instance_exits_5() {
    let (emu, ep) = setup();
    let d = config(&[entry(&ep, KEY_JSON, &(pw_file() + &ca(&emu)))]);
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.args(["get", "no/such/secret"]);
        c
    });
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("Forbidden.ResourceNotFound"), "{err}");
}

#[test]
fn nothing_secret_on_stderr_at_vvv() {
    let (emu, ep) = setup();
    let d = config(&[entry(&ep, KEY_JSON, &(pw_file() + &ca(&emu)))]);
    let out = ramsecret(d.path())
        .args(["-vvv", "get", NAME])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("KMS instance") || err.contains("dedicated"),
        "-vvv should say which gateway: {err}"
    );
    for s in [AK_SECRET, AK_ID, PASSWORD, "PRIVATE KEY", "Bearer"] {
        assert!(!err.contains(s), "{s} leaked: {err}");
    }
}
