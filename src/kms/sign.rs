//! Request signing, as pure functions: time, nonce and keys are arguments, nothing here reads
//! the clock or the network. The vector tests below pin every byte to the official SDKs'
//! output (shared/docs/protocol.md TV-1..TV-8), and the emulator verifies with the same code,
//! so those vectors are what keeps a bug from hiding on both sides.

use std::collections::BTreeMap;

use base64::Engine;
use hmac::{KeyInit, Mac};
use rsa::signature::{SignatureEncoding, Signer, Verifier};

use crate::secret::SecretString;

pub const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// RFC 3986 percent-encoding as the RPC signature wants it: keep `A-Z a-z 0-9 - _ . ~`,
/// everything else (UTF-8 bytes) becomes `%XX` with upper-case hex.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Inverse of [`percent_encode`], also accepting `+` as space (form encoding), for the emulator.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// `k=v&k=v` with both sides percent-encoded, in key order: the canonicalized query string,
/// and also exactly what we put on the wire.
pub fn canonical_query(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .filter(|(k, _)| k.as_str() != "Signature")
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// RPC V1 string to sign: `METHOD&%2F&enc(canonical query)`.
pub fn rpc_string_to_sign(method: &str, params: &BTreeMap<String, String>) -> String {
    format!("{method}&%2F&{}", percent_encode(&canonical_query(params)))
}

/// RPC V1 HMAC-SHA1 signature: key is `AccessKeySecret&`.
pub fn hmac_sha1_signature(secret: &SecretString, string_to_sign: &str) -> String {
    let key = zeroize::Zeroizing::new(format!("{}&", secret.expose()));
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}

/// RSASSA-PKCS1-v1_5 over SHA-256, base64: the ClientKey signature on both gateways.
pub fn rsa_sha256_signature(key: &rsa::PrivateKey, string_to_sign: &str) -> String {
    let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key.clone());
    B64.encode(signer.sign(string_to_sign.as_bytes()).to_bytes())
}

/// Verify a base64 PKCS#1 v1.5 SHA-256 signature (the emulator's side of the ClientKey check).
pub fn rsa_sha256_verify(key: &rsa::PublicKey, string_to_sign: &str, signature_b64: &str) -> bool {
    let Ok(sig_bytes) = B64.decode(signature_b64.trim()) else {
        return false;
    };
    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig_bytes.as_slice()) else {
        return false;
    };
    rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(key.clone())
        .verify(string_to_sign.as_bytes(), &sig)
        .is_ok()
}

/// RPC V1 `Timestamp`: `2024-01-02T03:04:05Z`.
pub fn rpc_timestamp(unix: i64) -> String {
    crate::secret::format_timestamp(unix)
}

/// A fresh `SignatureNonce`: 32 lower-case hex characters, as the SDKs send.
pub fn new_nonce() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random source works");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Dedicated gateway (KMS instance API)

pub const DKMS_CONTENT_TYPE: &str = "application/x-protobuf";
pub const DKMS_API_VERSION: &str = "dkms-gcs-0.2";
pub const DKMS_SIGNATURE_METHOD: &str = "RSA_PKCS1_SHA_256";
/// Three c's: that is how the service spells it.
pub const DKMS_KEY_ID_HEADER: &str = "x-kms-acccesskeyid";

/// Upper-case hex SHA-256 of the body (`content-sha256`).
pub fn dkms_content_sha256(body: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// String to sign for the instance API. `kms_headers` are every `x-kms-*` header (any case,
/// any order); the resource is always `/`, as in every official SDK.
pub fn dkms_string_to_sign(
    method: &str,
    content_sha256: &str,
    content_type: &str,
    date: &str,
    kms_headers: &[(String, String)],
) -> String {
    let mut h: Vec<(String, String)> = kms_headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .filter(|(k, _)| k.starts_with("x-kms-"))
        .collect();
    h.sort();
    let mut s = format!("{method}\n{content_sha256}\n{content_type}\n{date}\n");
    for (k, v) in h {
        s.push_str(&k);
        s.push(':');
        s.push_str(&v);
        s.push('\n');
    }
    s.push('/');
    s
}

/// The four `x-kms-*` headers of a GetSecretValue call.
pub fn dkms_headers(key_id: &str) -> Vec<(String, String)> {
    vec![
        (DKMS_KEY_ID_HEADER.to_string(), key_id.to_string()),
        ("x-kms-apiname".to_string(), "GetSecretValue".to_string()),
        ("x-kms-apiversion".to_string(), DKMS_API_VERSION.to_string()),
        (
            "x-kms-signaturemethod".to_string(),
            DKMS_SIGNATURE_METHOD.to_string(),
        ),
    ]
}

/// RFC 1123 date in GMT (`Mon, 01 Jan 2024 00:00:00 GMT`).
pub fn http_date(unix: i64) -> String {
    httpdate::fmt_http_date(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix.max(0) as u64),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rsa::pkcs8::DecodePrivateKey;

    /// The throwaway key of protocol.md's appendix (TV-7, TV-8).
    pub(crate) const APPENDIX_KEY: &str = include_str!("../../tests/fixtures/appendix_key.pem");

    fn tv1_params() -> BTreeMap<String, String> {
        [
            ("AccessKeyId", "testAccessKeyId"),
            ("Action", "GetSecretValue"),
            ("Format", "json"),
            ("SecretName", "prod/db+pass@app"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3156853299f313e23d1673dc12e1703d"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2024-01-02T03:04:05Z"),
            ("Version", "2016-01-20"),
            ("VersionStage", "ACSCurrent"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn tv1_hmac_accesskey() {
        let p = tv1_params();
        assert_eq!(
            canonical_query(&p),
            "AccessKeyId=testAccessKeyId&Action=GetSecretValue&Format=json&SecretName=prod%2Fdb%2Bpass%40app&SignatureMethod=HMAC-SHA1&SignatureNonce=3156853299f313e23d1673dc12e1703d&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2016-01-20&VersionStage=ACSCurrent"
        );
        let sts = rpc_string_to_sign("POST", &p);
        assert_eq!(sts, "POST&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DGetSecretValue%26Format%3Djson%26SecretName%3Dprod%252Fdb%252Bpass%2540app%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3156853299f313e23d1673dc12e1703d%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2016-01-20%26VersionStage%3DACSCurrent");
        assert_eq!(
            hmac_sha1_signature(&SecretString::new("testAccessKeySecret"), &sts),
            "nvYzHEvg9RN4fmQ1dS+6EDw3Wz0="
        );
        assert_eq!(
            percent_encode("nvYzHEvg9RN4fmQ1dS+6EDw3Wz0="),
            "nvYzHEvg9RN4fmQ1dS%2B6EDw3Wz0%3D"
        );
    }

    #[test]
    fn tv2_hmac_sts() {
        let mut p = tv1_params();
        p.insert("SecurityToken".into(), "CAIS+test/token==".into());
        let sts = rpc_string_to_sign("POST", &p);
        assert!(sts.contains("SecurityToken%3DCAIS%252Btest%252Ftoken%253D%253D%26SignatureMethod"));
        assert_eq!(
            hmac_sha1_signature(&SecretString::new("testAccessKeySecret"), &sts),
            "9nW1Q3mQmsYRd8ErxdAQsoUp5z4="
        );
    }

    #[test]
    fn tv3_legacy_core_shape() {
        let mut p = tv1_params();
        p.insert("Format".into(), "JSON".into());
        p.insert("RegionId".into(), "cn-hangzhou".into());
        p.insert("SignatureType".into(), String::new());
        let sts = rpc_string_to_sign("POST", &p);
        assert_eq!(
            hmac_sha1_signature(&SecretString::new("testAccessKeySecret"), &sts),
            "uyXfChgnBm17LhrDwZbimESsimk="
        );
    }

    #[test]
    fn doc_example_createkey() {
        let sts = "GET&%2F&AccessKeyId%3Dtestid&Action%3DCreateKey&Format%3Djson&SignatureMethod%3DHMAC-SHA1&SignatureVersion%3D1.0&Timestamp%3D2016-03-28T03%253A13%253A08Z&Version%3D2016-01-20";
        assert_eq!(
            hmac_sha1_signature(&SecretString::new("testsecret"), sts),
            "s/OdVWMTmNGagvWlljdAJ7Itsew="
        );
    }

    #[test]
    fn tv7_clientkey_shared_gateway() {
        let key = rsa::PrivateKey::from_pkcs8_pem(APPENDIX_KEY).unwrap();
        let mut p = tv1_params();
        p.insert(
            "AccessKeyId".into(),
            "KAAP.71be72c8-73b9-44e0-bb75-81ee51b4test".into(),
        );
        p.insert("Format".into(), "JSON".into());
        p.insert("RegionId".into(), "cn-hangzhou".into());
        p.insert("SignatureMethod".into(), "SHA256withRSA".into());
        p.insert("SignatureType".into(), "PRIVATEKEY".into());
        let sts = rpc_string_to_sign("POST", &p);
        assert_eq!(sts, "POST&%2F&AccessKeyId%3DKAAP.71be72c8-73b9-44e0-bb75-81ee51b4test%26Action%3DGetSecretValue%26Format%3DJSON%26RegionId%3Dcn-hangzhou%26SecretName%3Dprod%252Fdb%252Bpass%2540app%26SignatureMethod%3DSHA256withRSA%26SignatureNonce%3D3156853299f313e23d1673dc12e1703d%26SignatureType%3DPRIVATEKEY%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2016-01-20%26VersionStage%3DACSCurrent");
        let sig = rsa_sha256_signature(&key, &sts);
        assert_eq!(sig, "Wp9DihI5YnANugXe/U+/mb1UbBaynj7sn+C7DqbbNFBI8uLG9qMFwwS7iOM2LMDWGjHjDWSByvm8sWj01MBF4EpO/XAxojPD/7onMFfDygbw+sH5br/Lw3CF8hkLQqboYQ1GgzadMiuG9TxExBDPQXAQYQQZTxih4GyEyXHHs+rhPI0BYgQMTLi/TF9YT2bHomLz7J/AB60l2DEEUP2RayWuVkX9lXMUKpmTveQQbCU6IcmZc45jKMrd7uDLDD5DJ0fLY0+FLqS61pdkz9eUUSbMf4V2lX6CljPzuJwScWgHtnMu850cPgjPAKXTynibP7wAWoL+ceh+PyEHdsPxnw==");
        assert!(rsa_sha256_verify(&key.to_public_key(), &sts, &sig));
        assert!(!rsa_sha256_verify(&key.to_public_key(), "other", &sig));
    }

    #[test]
    fn tv8_dedicated_gateway() {
        let key = rsa::PrivateKey::from_pkcs8_pem(APPENDIX_KEY).unwrap();
        let body = hex("0a1070726f642f64622b7061737340617070120a41435343757272656e74");
        let sha = dkms_content_sha256(&body);
        assert_eq!(
            sha,
            "993FC6338DCF595857250C99483B6A071B786B09BF900AAD6DFF56B877A1A304"
        );
        let date = http_date(1704164645);
        assert_eq!(date, "Tue, 02 Jan 2024 03:04:05 GMT");
        let sts = dkms_string_to_sign(
            "POST",
            &sha,
            DKMS_CONTENT_TYPE,
            &date,
            &dkms_headers("KAAP.71be72c8-73b9-44e0-bb75-81ee51b4test"),
        );
        assert_eq!(sts, "POST\n993FC6338DCF595857250C99483B6A071B786B09BF900AAD6DFF56B877A1A304\napplication/x-protobuf\nTue, 02 Jan 2024 03:04:05 GMT\nx-kms-acccesskeyid:KAAP.71be72c8-73b9-44e0-bb75-81ee51b4test\nx-kms-apiname:GetSecretValue\nx-kms-apiversion:dkms-gcs-0.2\nx-kms-signaturemethod:RSA_PKCS1_SHA_256\n/");
        assert_eq!(rsa_sha256_signature(&key, &sts), "S7sV68883CbzPjtTMLJtj2UURSpb1JX6NZS6Rf8oMAwFwp0m76KaR2v7nTGhgBmfpIPNHgfvvZ9w/a4nRn5GAt3IY9L/EGlwXe6Fs+kiMex7hqET4OjHjVmAgnWK0PyWhuQUGiYpI6LHK1Fx6Ss7qHXwb9z+wcjS83I4wly3cPa754BEIhin/lMaAl6NNdP/1/LGC040WBcCNscWhzpS3kL8BNSWPDXV/zMPQT37paDq2fsaZEZwQbYROi4PuNCEp2sjbUIL3LaK5h7eOLOqUWmVMia2fTU015KCxSTKXvm8P/225TR4A2jehU+8v8T8ACaXDYBMaqLmZ6gB8rAQ5g==");
    }

    pub(crate) fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn percent_round_trip() {
        let s = "a b+c/d@é~*";
        assert_eq!(percent_encode(s), "a%20b%2Bc%2Fd%40%C3%A9~%2A");
        assert_eq!(percent_decode(&percent_encode(s)).unwrap(), s);
    }
}
