//! `ramsecret get` over the shared gateway: every credential type, every format, failover,
//! retries, exit codes and the one-line error contract.

use serde_json::{json, Value};

use crate::support::*;

const CALLER_ID: &str = "LTAI5tEmulatorCaller0001";
const CALLER_SECRET: &str = "emulator-caller-secret-0001";
const NAME: &str = "acs/ram/user/ci-deployer";
const AK_ID: &str = "LTAI5tCiDeployerKey0001";
const AK_SECRET: &str = "ci-deployer-Secret/with+odd=chars";

fn regions(emu: &Emulator) -> String {
    format!(
        r#"cache_client_region_id=[{{"regionId":"cn-hangzhou","endpoint":"{}"}}]"#,
        emu.http
    )
}

fn ak_config(emu: &Emulator) -> String {
    format!("credentials_type=ak\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\n{}\n", regions(emu))
}

/// A working directory holding `managed_credentials_providers.properties` with `props`.
fn workdir(props: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "managed_credentials_providers.properties", props);
    d
}

fn get_json(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = ramsecret(dir)
        .arg("get")
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn get_with_accesskey_prints_the_pair_and_metadata() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let d = workdir(&ak_config(&emu));
    let v = get_json(d.path(), &[NAME]);
    assert_eq!(v["AccessKeyId"], AK_ID);
    assert_eq!(v["AccessKeySecret"], AK_SECRET);
    assert_eq!(v["SecretName"], NAME);
    assert_eq!(v["VersionId"], "v1");
    assert_eq!(v["VersionStages"], json!(["ACSCurrent"]));
    assert!(
        v["NextRotationDate"].is_string() && v["RotationInterval"].is_string(),
        "{v}"
    );
    assert_eq!(emu.counter("GetSecretValue"), 1);
}

#[test]
fn the_emulators_own_properties_file_works_unchanged() {
    let emu = Emulator::start();
    let d = tempfile::tempdir().unwrap();
    let v = ramsecret(d.path())
        .args(["-c"])
        .arg(emu.dir.join("managed_credentials_providers.properties"))
        .args([
            "get",
            "acs/ram/user/ramsecret-demo",
            "--field",
            "AccessKeyId",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(v).unwrap().starts_with("LTAI"));
}

#[test]
fn every_format() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let d = workdir(&ak_config(&emu));
    let v = get_json(d.path(), &[NAME, "--format", "aliyun-cli"]);
    assert_eq!(
        v,
        json!({"mode": "AK", "access_key_id": AK_ID, "access_key_secret": AK_SECRET})
    );
    let v = get_json(d.path(), &[NAME, "--format", "credentials-uri"]);
    assert_eq!(v["Code"], "Success");
    assert_eq!(v["AccessKeyId"], AK_ID);
    assert_eq!(v["AccessKeySecret"], AK_SECRET);
    assert!(v["Expiration"].as_str().unwrap().ends_with('Z'));
    for (field, want) in [("AccessKeyId", AK_ID), ("AccessKeySecret", AK_SECRET)] {
        ramsecret(d.path())
            .args(["get", NAME, "--field", field])
            .assert()
            .success()
            .stdout(format!("{want}\n"));
    }
}

#[test]
fn token_type_is_an_accesskey_pair() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let d = workdir(&format!("credentials_type=token\ncredentials_access_token_id={CALLER_ID}\ncredentials_access_token={CALLER_SECRET}\n{}\n", regions(&emu)));
    assert_eq!(get_json(d.path(), &[NAME])["AccessKeyId"], AK_ID);
}

#[test]
fn sts_assume_role_then_kms() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    for ty in ["sts", "ram_role"] {
        let d = workdir(&format!(
            "credentials_type={ty}\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncredentials_role_arn=acs:ram::1234567890123456:role/kms-reader\ncredentials_role_session_name=ramsecret-test\ncredentials_sts_endpoint={}\n{}\n",
            emu.http,
            regions(&emu)
        ));
        assert_eq!(get_json(d.path(), &[NAME])["AccessKeyId"], AK_ID);
    }
    assert_eq!(emu.counter("AssumeRole"), 2);
}

#[test]
fn ecs_ram_role_uses_imdsv2() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    emu.post("/admin/metadata", json!({"imdsv2_required": true}));
    let d = workdir(&format!(
        "credentials_type=ecs_ram_role\ncredentials_role_name=ramsecret-ecs-role\n{}\n",
        regions(&emu)
    ));
    let out = ramsecret(d.path())
        .env("RAMSECRET_ECS_METADATA_ENDPOINT", &emu.http)
        .args(["get", NAME, "--field", "AccessKeyId"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        format!("{AK_ID}\n")
    );
    assert!(emu.counter("MetadataToken") >= 1);
    assert!(emu.counter("MetadataCredentials") >= 1);
}

#[test]
fn ecs_ram_role_falls_back_to_imdsv1() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    emu.post("/admin/metadata", json!({"imdsv1_only": true}));
    let d = workdir(&format!(
        "credentials_type=ecs_ram_role\ncredentials_role_name=ramsecret-ecs-role\n{}\n",
        regions(&emu)
    ));
    ramsecret(d.path())
        .env("RAMSECRET_ECS_METADATA_ENDPOINT", &emu.http)
        .args(["get", NAME, "--field", "AccessKeyId"])
        .assert()
        .success()
        .stdout(format!("{AK_ID}\n"));
}

#[test]
fn client_key_on_the_shared_gateway() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let key = fixture("dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70.json");
    let pw =
        fixture("dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70_Password.txt");
    let d = workdir(&format!(
        "credentials_type=client_key\nclient_key_private_key_path={}\nclient_key_password_from_file_path={}\n{}\n",
        key.display(),
        pw.display(),
        regions(&emu)
    ));
    assert_eq!(get_json(d.path(), &[NAME])["AccessKeySecret"], AK_SECRET);
}

#[test]
fn version_stage_and_version_id() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let rotated = emu.post("/admin/rotate", json!({"name": NAME}));
    let d = workdir(&ak_config(&emu));
    let cur = get_json(d.path(), &[NAME]);
    assert_eq!(cur["AccessKeyId"], rotated["access_key_id"]);
    let prev = get_json(d.path(), &[NAME, "--version-stage", "ACSPrevious"]);
    assert_eq!(prev["AccessKeyId"], AK_ID);
    let v1 = get_json(d.path(), &[NAME, "--version-id", "v1"]);
    assert_eq!(v1["AccessKeyId"], AK_ID);
}

#[test]
fn region_failover_when_the_first_region_is_down() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let d = workdir(&format!(
        "credentials_type=ak\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncache_client_region_id=[{{\"regionId\":\"cn-shanghai\",\"endpoint\":\"http://127.0.0.1:{}\"}},{{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"{}\"}}]\n",
        dead_port(),
        emu.http
    ));
    assert_eq!(get_json(d.path(), &[NAME])["AccessKeyId"], AK_ID);
}

#[test]
fn throttled_twice_then_success() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    emu.fault(json!({"target": "kms", "kind": "throttle", "count": 2}));
    let d = workdir(&ak_config(&emu));
    assert_eq!(get_json(d.path(), &[NAME])["AccessKeyId"], AK_ID);
    assert_eq!(emu.counter("GetSecretValue"), 3);
}

#[test]
fn wrong_accesskey_secret_is_refused_with_the_kms_code() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let d = workdir(&format!("credentials_type=ak\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret=not-the-secret-123\n{}\n", regions(&emu)));
    let (code, out, err, _) = run({
        let mut c = ramsecret(d.path());
        c.args(["get", NAME]);
        c
    });
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty());
    assert_one_line_error(&err);
    assert!(err.contains("SignatureDoesNotMatch"), "{err}");
    assert!(!err.contains("not-the-secret-123"));
    assert_eq!(emu.counter("GetSecretValue"), 1, "a refusal is not retried");
}

#[test]
fn missing_secret_and_non_accesskey_secret_exit_5() {
    let emu = Emulator::start();
    emu.post("/admin/secrets", json!({"name": "db/password", "secret_type": "Generic", "secret_data": "{\"AccountName\":\"app\",\"AccountPassword\":\"db-pw-77\"}"}));
    let d = workdir(&ak_config(&emu));
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.args(["get", "no/such/secret"]);
        c
    });
    assert_eq!(code, 5, "{err}");
    assert_one_line_error(&err);
    assert!(err.contains("Forbidden.ResourceNotFound"));
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.args(["get", "db/password"]);
        c
    });
    assert_eq!(code, 5, "{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("not an AccessKey secret") && !err.contains("db-pw-77"),
        "{err}"
    );
}

#[test]
fn unreachable_kms_exits_6_within_the_timeout() {
    let d = workdir(&format!(
        "credentials_type=ak\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncache_client_region_id=[{{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"http://127.0.0.1:{}\"}}]\n",
        dead_port()
    ));
    let (code, _, err, took) = run({
        let mut c = ramsecret(d.path());
        c.args(["--timeout", "2s", "get", NAME]);
        c
    });
    assert_eq!(code, 6, "{err}");
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("ramsecret: error: "),
        "{err}"
    );
}

#[test]
fn config_errors_are_one_line_naming_file_and_key() {
    let emu = Emulator::start();
    // No configuration anywhere.
    let d = tempfile::tempdir().unwrap();
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.args(["get", NAME]);
        c
    });
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("managed_credentials_providers.properties"),
        "{err}"
    );
    // Explicit file that does not exist.
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.args(["-c", "/nonexistent/x.properties", "get", NAME]);
        c
    });
    assert_eq!(code, 3);
    assert_one_line_error(&err);
    assert!(err.contains("/nonexistent/x.properties"), "{err}");
    // Bad JSON in cache_client_region_id.
    let d = workdir(&format!("credentials_type=ak\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncache_client_region_id=[{{regionId:cn-hangzhou}}]\n"));
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.args(["get", NAME]);
        c
    });
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("cache_client_region_id")
            && err.contains("managed_credentials_providers.properties"),
        "{err}"
    );
    // Missing ClientKey file.
    let d = workdir(&format!("credentials_type=client_key\nclient_key_private_key_path=/nonexistent/clientKey.json\nclient_key_password_from_env_variable=MY_PW\n{}\n", regions(&emu)));
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.env("MY_PW", "whatever-pass-1").args(["get", NAME]);
        c
    });
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("/nonexistent/clientKey.json") && err.contains("client_key_private_key_path"),
        "{err}"
    );
    // Wrong ClientKey password: named, never echoed.
    let key = fixture("dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70.json");
    let d = workdir(&format!("credentials_type=client_key\nclient_key_private_key_path={}\nclient_key_password_from_env_variable=MY_PW\n{}\n", key.display(), regions(&emu)));
    let (code, _, err, _) = run({
        let mut c = ramsecret(d.path());
        c.env("MY_PW", "Wrong-Password-42").args(["get", NAME]);
        c
    });
    assert_eq!(code, 3, "{err}");
    assert_one_line_error(&err);
    assert!(
        err.contains("wrong password") && !err.contains("Wrong-Password-42"),
        "{err}"
    );
}

#[test]
fn secrets_never_reach_stderr_even_at_vvv() {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    let d = workdir(&format!(
        "credentials_type=sts\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncredentials_role_arn=acs:ram::1234567890123456:role/kms-reader\ncredentials_role_session_name=ramsecret-test\ncredentials_sts_endpoint={}\n{}\n",
        emu.http,
        regions(&emu)
    ));
    emu.fault(json!({"target": "kms", "kind": "status", "status": 500, "count": 1}));
    let out = ramsecret(d.path())
        .args(["-vvv", "get", NAME])
        .assert()
        .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!err.is_empty(), "-vvv should log something");
    for s in [AK_SECRET, CALLER_SECRET, AK_ID] {
        assert!(!err.contains(s), "{s} leaked to stderr: {err}");
    }
    assert!(!err.contains("CAIS"), "an STS token leaked: {err}");
}
