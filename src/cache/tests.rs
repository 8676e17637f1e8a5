use std::cell::Cell;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;

use keyring_core::CredentialStore;

use super::*;
use crate::kms::KmsError;
use crate::secret::SecretString;

const SECRET: &str = "unit-test-secret-value-9f8e7d";

fn secret(id: &str, next_rotation: &str) -> RamSecret {
    RamSecret {
        secret_name: "acs/ram/user/unit".into(),
        access_key_id: id.into(),
        access_key_secret: SecretString::new(SECRET),
        generate_timestamp: String::new(),
        secret_type: "RAMCredentials".into(),
        version_id: "v1".into(),
        version_stages: vec!["ACSCurrent".into()],
        next_rotation_date: next_rotation.into(),
        rotation_interval: String::new(),
        extended_config: String::new(),
    }
}

fn req() -> SecretRequest {
    SecretRequest {
        name: "acs/ram/user/unit".into(),
        version_stage: None,
        version_id: None,
    }
}

fn policy(mode: CacheMode) -> Policy {
    Policy {
        mode,
        max_age: Duration::from_secs(900),
        stale_max_age: Duration::from_secs(3600),
        refresh: false,
        timeout: Duration::from_secs(2),
        quiet: true,
    }
}

fn cache(dir: &std::path::Path, mode: CacheMode, keyring: Option<Arc<CredentialStore>>) -> Cache {
    Cache {
        store: Store::new(dir.join("ramsecret"), keyring),
        policy: policy(mode),
    }
}

fn api(code: &str, status: u16) -> Error {
    Error::Kms(KmsError::Api {
        service: "KMS",
        endpoint: "e".into(),
        status,
        code: code.into(),
        message: "m".into(),
        request_id: "r".into(),
    })
}

const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[test]
fn second_fetch_is_served_from_the_file_without_kms() {
    let dir = tempfile::tempdir().unwrap();
    let c = cache(dir.path(), CacheMode::File, None);
    let calls = Cell::new(0);
    let mut kms = |_: Duration| {
        calls.set(calls.get() + 1);
        Ok(secret("LTAI5tUNITKEY0001", ""))
    };
    assert_eq!(
        c.fetch(KEY, &req(), &mut kms).unwrap().access_key_id,
        "LTAI5tUNITKEY0001"
    );
    assert_eq!(
        c.fetch(KEY, &req(), &mut kms)
            .unwrap()
            .access_key_secret
            .expose(),
        SECRET
    );
    assert_eq!(calls.get(), 1);
    let d = dir.path().join("ramsecret");
    assert_eq!(
        std::fs::metadata(&d).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let f = d.join(format!("{KEY}.json"));
    assert_eq!(
        std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // --refresh fetches again.
    let mut c = c;
    c.policy.refresh = true;
    c.fetch(KEY, &req(), &mut kms).unwrap();
    assert_eq!(calls.get(), 2);
}

#[test]
fn keyring_backend_keeps_the_secret_out_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let kr: Arc<CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let c = cache(dir.path(), CacheMode::Auto, Some(kr));
    let calls = Cell::new(0);
    let mut kms = |_: Duration| {
        calls.set(calls.get() + 1);
        Ok(secret("LTAI5tUNITKEY0002", ""))
    };
    c.fetch(KEY, &req(), &mut kms).unwrap();
    let text =
        std::fs::read_to_string(dir.path().join("ramsecret").join(format!("{KEY}.json"))).unwrap();
    assert!(
        !text.contains(SECRET) && !text.contains("LTAI5tUNITKEY0002"),
        "{text}"
    );
    assert!(text.contains("\"backend\":\"keyring\""));
    assert_eq!(
        c.fetch(KEY, &req(), &mut kms)
            .unwrap()
            .access_key_secret
            .expose(),
        SECRET
    );
    assert_eq!(calls.get(), 1);
    c.store.remove(KEY);
    assert!(c.store.read(KEY, |_| true).is_none());
}

#[test]
fn auto_falls_back_to_the_file_when_the_keyring_refuses() {
    let dir = tempfile::tempdir().unwrap();
    // No keyring at all in this "build".
    let c = cache(dir.path(), CacheMode::Auto, None);
    c.put(KEY, &req(), &secret("LTAI5tUNITKEY0003", ""));
    let (meta, s) = c.store.read(KEY, |_| true).unwrap();
    assert_eq!(meta.backend, Backend::File);
    assert_eq!(s.access_key_secret.expose(), SECRET);
    // Explicit keyring mode does not fall back to plain text.
    let dir2 = tempfile::tempdir().unwrap();
    let c2 = cache(dir2.path(), CacheMode::Keyring, None);
    c2.put(KEY, &req(), &secret("LTAI5tUNITKEY0003", ""));
    assert!(c2.store.read(KEY, |_| true).is_none());
}

#[test]
fn rotation_clock_and_max_age() {
    let p = policy(CacheMode::File);
    let c = {
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path(), CacheMode::File, None);
        let soon = format_timestamp((now_ms() / 1000) as i64 + 60);
        c.put(KEY, &req(), &secret("LTAI5tUNITKEY0004", &soon));
        let m = c.store.read_meta(KEY).unwrap();
        let r = m.rotate_after_ms.unwrap();
        let base = (now_ms() / 1000 + 60) * 1000;
        assert!(
            // NextRotationDate + 5 min + up to 5 min of jitter.
            r >= base + 300_000 - 2000 && r < base + 600_000,
            "{r} {base}"
        );
        assert_eq!(p.fresh_until(&m), r.min(m.stored_ms + 900_000));
        // A past rotation date is ignored.
        c.put(
            KEY,
            &req(),
            &secret("LTAI5tUNITKEY0004", "2000-01-01T00:00:00Z"),
        );
        assert!(c.store.read_meta(KEY).unwrap().rotate_after_ms.is_none());
        dir
    };
    drop(c);
    let m = Meta {
        v: 1,
        name: "n".into(),
        version_stage: None,
        version_id_requested: None,
        backend: Backend::File,
        stored_ms: 1_000_000,
        rotate_after_ms: Some(1_100_000),
        masked_access_key_id: "x".into(),
        version_id: String::new(),
        next_rotation_date: String::new(),
        secret: None,
    };
    assert!(p.is_fresh(&m, 1_099_999));
    assert!(!p.is_fresh(&m, 1_100_000));
    assert!(
        !p.is_fresh(&m, 999_999),
        "an entry from the future is not trusted"
    );
}

#[test]
fn stale_if_transient_error_but_never_after_revocation() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = cache(dir.path(), CacheMode::File, None);
    c.put(KEY, &req(), &secret("LTAI5tUNITKEY0005", ""));
    c.policy.refresh = true;
    let s = c
        .fetch(KEY, &req(), &mut |_| Err(api("InternalFailure", 500)))
        .unwrap();
    assert_eq!(s.access_key_id, "LTAI5tUNITKEY0005");
    let gave_up = || {
        Error::Kms(KmsError::GaveUp {
            attempts: 3,
            timeout: "1s".into(),
            last: "x".into(),
        })
    };
    assert!(c.fetch(KEY, &req(), &mut |_| Err(gave_up())).is_ok());
    // Too old for --stale-max-age.
    c.policy.stale_max_age = Duration::from_millis(0);
    assert!(c
        .fetch(KEY, &req(), &mut |_| Err(api("InternalFailure", 500)))
        .is_err());
    c.policy.stale_max_age = Duration::from_secs(3600);
    for code in ["Forbidden.ResourceNotFound", "Forbidden.NoPermission"] {
        c.put(KEY, &req(), &secret("LTAI5tUNITKEY0005", ""));
        let e = c
            .fetch(KEY, &req(), &mut |_| Err(api(code, 404)))
            .unwrap_err();
        assert!(!e.to_string().contains(SECRET));
        assert!(
            c.store.read(KEY, |_| true).is_none(),
            "{code}: entry must be dropped"
        );
        assert!(c
            .fetch(KEY, &req(), &mut |_| Err(api("InternalFailure", 500)))
            .is_err());
    }
}

#[test]
fn foreign_or_loose_files_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let c = cache(dir.path(), CacheMode::File, None);
    c.put(KEY, &req(), &secret("LTAI5tUNITKEY0006", ""));
    let f = dir.path().join("ramsecret").join(format!("{KEY}.json"));
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(c.store.read(KEY, |_| true).is_none());
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(&f, b"{not json").unwrap();
    assert!(c.store.read(KEY, |_| true).is_none());
}

#[test]
fn status_never_shows_the_secret_and_clear_removes() {
    let dir = tempfile::tempdir().unwrap();
    let c = cache(dir.path(), CacheMode::File, None);
    c.put(KEY, &req(), &secret("LTAI5tUNITKEY0007", ""));
    let g = GlobalArgs {
        config: None,
        verbose: 0,
        quiet: true,
        timeout: Duration::from_secs(1),
        cache: CacheArgs {
            cache: CacheMode::File,
            max_age: Duration::from_secs(900),
            stale_max_age: Duration::from_secs(3600),
            refresh: false,
        },
    };
    let s = c.status(&g, None);
    assert!(
        s.contains("acs/ram/user/unit") && s.contains("LTAI****0007") && s.contains("fresh"),
        "{s}"
    );
    assert!(!s.contains(SECRET) && !s.contains("LTAI5tUNITKEY0007"));
    assert!(c.status(&g, Some("other")).contains("no cached secrets"));
    assert_eq!(c.clear(Some("other")), "removed 0 cached secrets\n");
    assert_eq!(
        c.clear(Some("acs/ram/user/unit")),
        "removed 1 cached secret\n"
    );
    assert!(c.store.read(KEY, |_| true).is_none());
}

#[test]
fn lock_is_exclusive_and_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let c = cache(dir.path(), CacheMode::File, None);
    let (held, waited) = c
        .store
        .lock(KEY, Instant::now() + Duration::from_secs(1))
        .unwrap()
        .unwrap();
    assert!(!waited);
    let t = Instant::now();
    assert!(c
        .store
        .lock(KEY, Instant::now() + Duration::from_millis(100))
        .unwrap()
        .is_none());
    assert!(t.elapsed() < Duration::from_millis(500));
    drop(held);
    assert!(c
        .store
        .lock(KEY, Instant::now() + Duration::from_millis(100))
        .unwrap()
        .is_some());
}

#[test]
fn a_refused_clock_keeps_the_entry_a_refused_key_drops_it() {
    assert!(!revoked(&api("InvalidTimeStamp.Expired", 400)));
    assert!(!revoked(&api("SignatureNonceUsed", 400)));
    assert!(revoked(&api("InvalidAccessKeyId.NotFound", 404)));
    assert!(revoked(&api("Forbidden.ResourceNotFound", 404)));
    assert!(transient(&api("Rejected.Throttling", 429)));
    assert!(!transient(&api("Forbidden.NoPermission", 403)));
}

#[test]
fn removing_an_entry_removes_its_keyring_copy() {
    let dir = tempfile::tempdir().unwrap();
    let kr: Arc<CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let auto = cache(dir.path(), CacheMode::Auto, Some(kr.clone()));
    auto.put(KEY, &req(), &secret("LTAI5tUNITKEY0003", ""));
    assert!(auto.store.read(KEY, |_| true).is_some());
    auto.store.remove(KEY);
    assert!(auto.store.read(KEY, |_| true).is_none());
    let entry = keyring_core::Entry::new_in_store(&kr, store::KEYRING_SERVICE, KEY).unwrap();
    assert!(entry.get_secret().is_err(), "the keyring copy must be gone");
}
