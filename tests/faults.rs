//! Fault tolerance: every fault the emulator can inject, on the shared gateway and on KMS
//! instances. `get` either succeeds within `--timeout` or exits with the documented code within
//! `--timeout` + 1 s, ending stderr with one `ramsecret: error:` line.

use std::time::Duration;

use serde_json::{json, Value};

use crate::support::*;

const CALLER_ID: &str = "LTAI5tEmulatorCaller0001";
const CALLER_SECRET: &str = "emulator-caller-secret-0001";
const NAME: &str = "acs/ram/user/fault-app";
const AK_ID: &str = "LTAI5tFaultAppKey000001";
const AK_SECRET: &str = "fault-app-secret-value";
const TIMEOUT: Duration = Duration::from_secs(3);
const KEY_JSON: &str = "dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70.json";
const PW_FILE: &str =
    "dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70_Password.txt";

fn shared(endpoints: &[String]) -> tempfile::TempDir {
    let regions: Vec<String> = endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| format!(r#"{{"regionId":"r{i}","endpoint":"{e}"}}"#))
        .collect();
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "managed_credentials_providers.properties", &format!("credentials_type=ak\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncache_client_region_id=[{}]\n", regions.join(",")));
    d
}

fn instances(emu: Option<&Emulator>, endpoints: &[String]) -> tempfile::TempDir {
    let ca = emu
        .map(|e| format!(r#","caFilePath":"{}""#, e.dir.join("ca.pem").display()))
        .unwrap_or_default();
    let entries: Vec<String> = endpoints
        .iter()
        .map(|ep| format!(r#"{{"regionId":"cn-hangzhou","endpoint":"{ep}","clientKeyFile":"{}","passwordFromFilePath":"{}"{ca}}}"#, fixture(KEY_JSON).display(), fixture(PW_FILE).display()))
        .collect();
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "managed_credentials_providers.properties",
        &format!("cache_client_dkms_config_info=[{}]\n", entries.join(",")),
    );
    d
}

fn get(d: &tempfile::TempDir) -> (i32, String, String, Duration) {
    run({
        let mut c = ramsecret(d.path());
        c.args(["--timeout", "3s", "get", NAME, "--field", "AccessKeyId"]);
        c
    })
}

fn emulator() -> Emulator {
    let emu = Emulator::start();
    emu.secret(NAME, AK_ID, AK_SECRET);
    emu
}

fn assert_ok(what: &str, r: (i32, String, String, Duration)) {
    let (code, out, err, took) = r;
    assert_eq!(code, 0, "{what}: {err}");
    assert_eq!(out, format!("{AK_ID}\n"), "{what}");
    assert!(
        took < TIMEOUT + Duration::from_millis(500),
        "{what}: took {took:?}"
    );
}

fn assert_unavailable(what: &str, r: (i32, String, String, Duration)) {
    let (code, out, err, took) = r;
    assert_eq!(code, 6, "{what}: {err}");
    assert!(out.is_empty(), "{what}");
    assert!(
        took < TIMEOUT + Duration::from_secs(1),
        "{what}: took {took:?}"
    );
    let last = err.lines().last().unwrap_or("");
    assert!(last.starts_with("ramsecret: error: "), "{what}: {err}");
    assert!(
        !err.contains(AK_SECRET) && !err.contains(CALLER_SECRET),
        "{what}: {err}"
    );
}

/// Faults that clear up after one answer: the retry succeeds within the timeout.
fn passing(target: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "500 InternalFailure once",
            json!({"target": target, "kind": "status", "status": 500, "count": 1}),
        ),
        (
            "503 once",
            json!({"target": target, "kind": "status", "status": 503, "count": 1}),
        ),
        (
            "throttled once",
            json!({"target": target, "kind": "throttle", "count": 1}),
        ),
        (
            "connection reset once",
            json!({"target": target, "kind": "reset", "count": 1}),
        ),
        (
            "malformed body once",
            json!({"target": target, "kind": "malformed", "count": 1}),
        ),
    ]
}

/// Faults that last: the command must give up in time with exit 6.
fn lasting(target: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "latency past the read timeout",
            json!({"target": target, "kind": "latency", "ms": 15000, "count": 0}),
        ),
        (
            "500 InternalFailure",
            json!({"target": target, "kind": "status", "status": 500, "count": 0}),
        ),
        (
            "503",
            json!({"target": target, "kind": "status", "status": 503, "count": 0}),
        ),
        (
            "Rejected.Throttling",
            json!({"target": target, "kind": "throttle", "count": 0}),
        ),
        (
            "connection reset",
            json!({"target": target, "kind": "reset", "count": 0}),
        ),
        (
            "malformed body",
            json!({"target": target, "kind": "malformed", "count": 0}),
        ),
        (
            "accepts and never answers",
            json!({"target": target, "kind": "hang", "count": 0}),
        ),
    ]
}

#[test]
fn shared_gateway_recovers_from_one_off_faults() {
    let emu = emulator();
    let d = shared(std::slice::from_ref(&emu.http));
    for (what, fault) in passing("kms") {
        emu.fault(fault);
        assert_ok(what, get(&d));
        emu.admin("DELETE", "/admin/faults", "");
    }
}

#[test]
fn shared_gateway_gives_up_in_time_on_lasting_faults() {
    let emu = emulator();
    let d = shared(std::slice::from_ref(&emu.http));
    for (what, fault) in lasting("kms") {
        emu.fault(fault);
        assert_unavailable(what, get(&d));
        emu.admin("DELETE", "/admin/faults", "");
    }
}

#[test]
fn one_region_down_fails_over_all_down_exits_6() {
    let emu = emulator();
    let dead = format!("http://127.0.0.1:{}", dead_port());
    assert_ok(
        "first region down",
        get(&shared(&[dead.clone(), emu.http.clone()])),
    );
    // A region that hangs is also skipped in time: a second emulator that never answers.
    let hung = emulator();
    hung.fault(json!({"target": "all", "kind": "hang", "count": 0}));
    let d = shared(&[hung.http.clone(), emu.http.clone()]);
    let (code, _, err, took) = get(&d);
    // A hanging first region may use the whole budget; either way it must end in time.
    assert!(code == 0 || code == 6, "{err}");
    assert!(took < TIMEOUT + Duration::from_secs(1), "{took:?}");
    let dead2 = format!("http://127.0.0.1:{}", dead_port());
    assert_unavailable("all regions down", get(&shared(&[dead, dead2])));
}

#[test]
fn kms_instances_recover_or_give_up_in_time() {
    let emu = emulator();
    let ep = format!("localhost:{}", emu.dkms_port());
    let d = instances(Some(&emu), std::slice::from_ref(&ep));
    for (what, fault) in passing("dkms") {
        emu.fault(fault);
        assert_ok(what, get(&d));
        emu.admin("DELETE", "/admin/faults", "");
    }
    for (what, fault) in lasting("dkms") {
        emu.fault(fault);
        assert_unavailable(what, get(&d));
        emu.admin("DELETE", "/admin/faults", "");
    }
}

#[test]
fn one_instance_down_fails_over_all_down_exits_6() {
    let emu = emulator();
    let ep = format!("localhost:{}", emu.dkms_port());
    let dead = format!("localhost:{}", dead_port());
    assert_ok(
        "first instance down",
        get(&instances(Some(&emu), &[dead.clone(), ep])),
    );
    let dead2 = format!("localhost:{}", dead_port());
    assert_unavailable(
        "all instances down",
        get(&instances(Some(&emu), &[dead, dead2])),
    );
}

#[test]
fn everything_down_with_sts_credentials_exits_6_in_time() {
    let emu = emulator();
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "managed_credentials_providers.properties",
        &format!(
            "credentials_type=sts\ncredentials_access_key_id={CALLER_ID}\ncredentials_access_secret={CALLER_SECRET}\ncredentials_role_arn=acs:ram::1:role/app\ncredentials_role_session_name=s\ncredentials_sts_endpoint={}\ncache_client_region_id=[{{\"regionId\":\"cn-hangzhou\",\"endpoint\":\"{}\"}}]\n",
            emu.http, emu.http
        ),
    );
    emu.fault(json!({"target": "all", "kind": "status", "status": 503, "count": 0}));
    assert_unavailable("STS and KMS down", get(&d));
}
