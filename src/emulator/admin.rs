//! Admin API (JSON under `/admin/` on the plain listener): counters, secrets, rotation,
//! revocation, fault injection, metadata switches and a state dump. For tests and the demo;
//! its answers may contain secrets.

use serde::Deserialize;
use serde_json::{json, Value};

use super::state::{Emulator, Fault, NewSecret};
use super::Reply;

const FAULT_TARGETS: [&str; 5] = ["kms", "dkms", "sts", "metadata", "all"];
const FAULT_KINDS: [&str; 6] = [
    "latency",
    "status",
    "throttle",
    "reset",
    "malformed",
    "hang",
];

pub fn handle(emu: &mut Emulator, method: &str, path: &str, body: &[u8], now: i64) -> Reply {
    let result = match (method, path.trim_end_matches('/')) {
        ("GET", "/admin/counters") => Ok(emu.counters_json()),
        ("POST", "/admin/counters/reset") => {
            emu.counters.clear();
            Ok(emu.counters_json())
        }
        ("GET", "/admin/state") => Ok(state(emu)),
        ("POST", "/admin/secrets") => parse::<NewSecret>(body).and_then(|req| {
            if req.name.is_empty() {
                return Err(bad("name is required"));
            }
            let (name, key) = emu.create_secret(req, now);
            saved(emu, json!({"name": name, "version_id": "v1", "access_key_id": key}))
        }),
        ("POST", "/admin/rotate") => parse::<Named>(body).and_then(|req| {
            match emu.store.secrets.get(&req.name) {
                None => return Err(not_found(&req.name)),
                // Only RAM secrets rotate to a new AccessKey.
                Some(s) if s.secret_type != "RAMCredentials" => {
                    return Err(bad(&format!("secret {:?} is a {} secret; only RAMCredentials secrets rotate", req.name, s.secret_type)))
                }
                Some(_) => {}
            }
            let (version_id, key) = emu.rotate(&req.name, now).ok_or_else(|| not_found(&req.name))?;
            saved(emu, json!({"version_id": version_id, "access_key_id": key}))
        }),
        ("POST", "/admin/revoke") => parse::<Revoke>(body).and_then(|req| {
            let key = match (req.access_key_id, req.name) {
                (Some(key), _) => {
                    emu.revoke_key(&key);
                    key
                }
                (None, Some(name)) => emu
                    .revoke_version(&name, req.version_id.as_deref())
                    .ok_or_else(|| error(404, &format!("no AccessKey version to revoke in secret {name:?}")))?,
                (None, None) => return Err(bad("name or access_key_id is required")),
            };
            saved(emu, json!({"access_key_id": key}))
        }),
        ("POST", "/admin/rotation") => parse::<Rotation>(body).and_then(|req| {
            let s = emu.store.secrets.get_mut(&req.name).ok_or_else(|| not_found(&req.name))?;
            if let Some(d) = req.next_rotation_date {
                s.next_rotation_date = Some(d);
            }
            if let Some(i) = req.rotation_interval {
                s.rotation_interval = Some(i);
            }
            let out = json!({"name": s.name, "next_rotation_date": s.next_rotation_date, "rotation_interval": s.rotation_interval});
            saved(emu, out)
        }),
        ("POST", "/admin/faults") => parse::<FaultRequest>(body).and_then(|req| {
            let fault = req.into_fault()?;
            emu.faults.push(fault.clone());
            Ok(json!({"queued": fault, "faults": emu.faults}))
        }),
        ("DELETE", "/admin/faults") => {
            emu.faults.clear();
            Ok(json!({"faults": []}))
        }
        ("GET", "/admin/faults") => Ok(json!({"faults": emu.faults})),
        ("POST", "/admin/metadata") => parse::<MetadataRequest>(body).map(|req| {
            if let Some(v) = req.imdsv2_required {
                emu.metadata.imdsv2_required = v;
            }
            if let Some(v) = req.imdsv1_only {
                emu.metadata.imdsv1_only = v;
            }
            json!(emu.metadata)
        }),
        _ => Err(error(404, &format!("no admin endpoint {method} {path}"))),
    };
    match result {
        Ok(v) => json_reply(200, &v),
        Err(reply) => reply,
    }
}

fn state(emu: &Emulator) -> Value {
    json!({
        "store": emu.store,
        "counters": emu.counters_json(),
        "faults": emu.faults,
        "metadata": emu.metadata,
    })
}

/// Persists after a mutation (`--state`), so a restart sees it.
fn saved(emu: &Emulator, v: Value) -> Result<Value, Reply> {
    emu.save()
        .map_err(|e| error(500, &format!("cannot save the state file: {e}")))?;
    Ok(v)
}

#[derive(Deserialize)]
struct Named {
    name: String,
}

#[derive(Deserialize)]
struct Revoke {
    name: Option<String>,
    version_id: Option<String>,
    access_key_id: Option<String>,
}

#[derive(Deserialize)]
struct Rotation {
    name: String,
    next_rotation_date: Option<String>,
    rotation_interval: Option<String>,
}

#[derive(Deserialize)]
struct MetadataRequest {
    imdsv2_required: Option<bool>,
    imdsv1_only: Option<bool>,
}

#[derive(Deserialize)]
struct FaultRequest {
    target: String,
    kind: String,
    count: Option<u64>,
    ms: Option<u64>,
    status: Option<u16>,
}

impl FaultRequest {
    fn into_fault(self) -> Result<Fault, Reply> {
        if !FAULT_TARGETS.contains(&self.target.as_str()) {
            return Err(bad(&format!("target must be one of {FAULT_TARGETS:?}")));
        }
        if !FAULT_KINDS.contains(&self.kind.as_str()) {
            return Err(bad(&format!("kind must be one of {FAULT_KINDS:?}")));
        }
        let status = self.status.unwrap_or(503);
        if self.kind == "status" && !matches!(status, 500 | 503) {
            return Err(bad("status must be 500 or 503"));
        }
        Ok(Fault {
            target: self.target,
            kind: self.kind,
            count: self.count.unwrap_or(1),
            ms: self.ms.unwrap_or(1000),
            status,
        })
    }
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Reply> {
    serde_json::from_slice(body).map_err(|e| bad(&format!("bad JSON body: {e}")))
}

fn json_reply(status: u16, v: &Value) -> Reply {
    Reply {
        status,
        content_type: "application/json",
        body: v.to_string().into_bytes(),
    }
}

fn error(status: u16, message: &str) -> Reply {
    json_reply(status, &json!({"error": message}))
}

fn bad(message: &str) -> Reply {
    error(400, message)
}

fn not_found(name: &str) -> Reply {
    error(404, &format!("no secret {name:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::state::{Store, CURRENT, PREVIOUS};

    fn call(e: &mut Emulator, method: &str, path: &str, body: Value) -> (u16, Value) {
        let r = handle(e, method, path, body.to_string().as_bytes(), 1_700_000_000);
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    #[test]
    fn create_rotate_revoke_through_the_api() {
        let mut e = Emulator::new(Store::default());
        let (s, v) = call(
            &mut e,
            "POST",
            "/admin/secrets",
            json!({"name": "app", "access_key_id": "LTAI5tFixed", "access_key_secret": "sekrit"}),
        );
        assert_eq!((s, v["access_key_id"].as_str()), (200, Some("LTAI5tFixed")));
        let (_, v) = call(&mut e, "POST", "/admin/rotate", json!({"name": "app"}));
        assert_eq!(v["version_id"], "v2");
        let new = v["access_key_id"].as_str().unwrap().to_string();
        let secret = &e.store.secrets["app"];
        assert_eq!(
            secret
                .version_with_stage(CURRENT)
                .unwrap()
                .access_key_id
                .as_deref(),
            Some(new.as_str())
        );
        assert_eq!(
            secret
                .version_with_stage(PREVIOUS)
                .unwrap()
                .access_key_id
                .as_deref(),
            Some("LTAI5tFixed")
        );
        let (_, v) = call(&mut e, "POST", "/admin/revoke", json!({"name": "app"}));
        assert_eq!(v["access_key_id"], "LTAI5tFixed");
        assert!(e.principal("LTAI5tFixed").is_none() && e.principal(&new).is_some());
        let (_, v) = call(
            &mut e,
            "POST",
            "/admin/revoke",
            json!({"access_key_id": new}),
        );
        assert_eq!(v["access_key_id"], new.as_str());
        assert!(e.principal(&new).is_none());
        assert_eq!(
            call(&mut e, "POST", "/admin/rotate", json!({"name": "nope"})).0,
            404
        );
        let (_, v) = call(
            &mut e,
            "POST",
            "/admin/rotation",
            json!({"name": "app", "rotation_interval": "3600s"}),
        );
        assert_eq!(v["rotation_interval"], "3600s");
        let (_, v) = call(
            &mut e,
            "POST",
            "/admin/secrets",
            json!({"name": "db", "secret_type": "Generic", "secret_data": "pw"}),
        );
        assert!(v["access_key_id"].is_null());
    }

    #[test]
    fn faults_and_counters() {
        let mut e = Emulator::new(Store::default());
        assert_eq!(
            call(
                &mut e,
                "POST",
                "/admin/faults",
                json!({"target": "kms", "kind": "explode"})
            )
            .0,
            400
        );
        assert_eq!(
            call(
                &mut e,
                "POST",
                "/admin/faults",
                json!({"target": "kms", "kind": "status", "status": 500, "count": 2})
            )
            .0,
            200
        );
        assert_eq!(e.take_fault("kms").unwrap().status, 500);
        assert_eq!(call(&mut e, "DELETE", "/admin/faults", Value::Null).0, 200);
        assert!(e.take_fault("kms").is_none());
        e.bump("GetSecretValue");
        let (_, v) = call(&mut e, "GET", "/admin/counters", Value::Null);
        assert_eq!(
            (
                v["GetSecretValue"].as_u64(),
                v["DkmsGetSecretValue"].as_u64()
            ),
            (Some(1), Some(0))
        );
        let (_, v) = call(&mut e, "POST", "/admin/counters/reset", Value::Null);
        assert_eq!(v["GetSecretValue"], 0);
    }
}
