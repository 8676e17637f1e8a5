//! Dedicated gateway (KMS instance API, `dkms-gcs-0.2`) on the TLS listener: checks the
//! `x-kms-*` headers, date window, body hash, the TLS client certificate and the ClientKey
//! signature (string to sign rebuilt by `kms::sign` from every `x-kms-*` header received), then
//! answers `GetSecretValue` in protobuf. Every error is a protobuf `Error`.

use prost::Message;

use super::openapi::find_version;
use super::state::{request_id, Emulator};
use super::Reply;
use crate::kms::proto;
use crate::kms::sign;
use crate::secret::format_timestamp;

/// `peer_cert` is the DER of the client certificate presented in the TLS handshake.
pub fn handle(
    emu: &Emulator,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
    peer_cert: Option<&[u8]>,
    now: i64,
) -> Reply {
    match check(emu, method, path, headers, body, peer_cert, now) {
        Ok(req) => get_secret_value(emu, &req),
        Err(reply) => reply,
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn check(
    emu: &Emulator,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
    peer_cert: Option<&[u8]>,
    now: i64,
) -> Result<proto::GetSecretValueRequest, Reply> {
    if method != "POST" || path != "/" {
        return Err(error(
            404,
            "NotFound",
            "The instance API is served at POST / only.",
        ));
    }
    let h = |name: &str| header(headers, name).unwrap_or("");
    let api = h("x-kms-apiname");
    if api != "GetSecretValue" {
        return Err(error(
            400,
            "InvalidApiName",
            &format!("The ApiName \"{api}\" is invalid."),
        ));
    }
    let version = h("x-kms-apiversion");
    if version != sign::DKMS_API_VERSION {
        return Err(error(
            400,
            "InvalidApiVersion",
            &format!("The ApiVersion \"{version}\" is invalid."),
        ));
    }
    if h("x-kms-signaturemethod") != sign::DKMS_SIGNATURE_METHOD {
        return Err(error(
            400,
            "InvalidParam",
            "The Param x-kms-signaturemethod is invalid.",
        ));
    }
    let key_id = h(sign::DKMS_KEY_ID_HEADER);
    if key_id.is_empty() {
        return Err(error(
            400,
            "MissingParameter",
            "Parameter x-kms-acccesskeyid does not exist in http header or body.",
        ));
    }
    let spki = match emu.client_keys.get(key_id) {
        Some(spki) if !emu.store.revoked.contains(key_id) => spki,
        _ => return Err(unauthorized()),
    };
    // The SubjectPublicKeyInfo sits verbatim inside the certificate's DER, so a byte search is
    // an exact "same public key" test without an X.509 parser.
    let cert_ok = match peer_cert {
        Some(cert) => cert.windows(spki.len()).any(|w| w == spki.as_slice()),
        None => !super::tls::REQUIRE_CLIENT_CERT,
    };
    if !cert_ok {
        return Err(unauthorized());
    }
    let date = h("date");
    let Ok(t) = httpdate::parse_http_date(date) else {
        return Err(error(400, "InvalidParam", "The Param Date is invalid."));
    };
    let t = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    if (now - t).abs() > 900 {
        return Err(error(
            400,
            "RequestTimeTooSkewed",
            "Request time exceeds server time more than 15 minutes.",
        ));
    }
    let content_sha = h("content-sha256");
    if content_sha != sign::dkms_content_sha256(body) {
        return Err(error(
            400,
            "InvalidParam",
            "The Param Content-SHA256 is invalid.",
        ));
    }
    let kms_headers: Vec<(String, String)> = headers
        .iter()
        .filter(|(k, _)| k.to_ascii_lowercase().starts_with("x-kms-"))
        .cloned()
        .collect();
    let string_to_sign =
        sign::dkms_string_to_sign(method, content_sha, h("content-type"), date, &kms_headers);
    let signature = h("authorization").strip_prefix("Bearer ").unwrap_or("");
    let verified = {
        use rsa::pkcs8::DecodePublicKey;
        rsa::PublicKey::from_public_key_der(spki)
            .is_ok_and(|k| sign::rsa_sha256_verify(&k, &string_to_sign, signature))
    };
    if !verified {
        return Err(unauthorized());
    }
    proto::GetSecretValueRequest::decode(body).map_err(|_| {
        error(
            400,
            "InvalidParameter",
            "The specified parameter is not valid.",
        )
    })
}

fn get_secret_value(emu: &Emulator, req: &proto::GetSecretValueRequest) -> Reply {
    if req.secret_name.is_empty() {
        return error(
            400,
            "InvalidParameter",
            "The specified parameter is not valid.",
        );
    }
    let Some((secret, version)) =
        find_version(emu, &req.secret_name, &req.version_stage, &req.version_id)
    else {
        return error(
            404,
            "Forbidden.ResourceNotFound",
            "The resource is not found.",
        );
    };
    let resp = proto::GetSecretValueResponse {
        secret_name: secret.name.clone(),
        secret_type: secret.secret_type.clone(),
        secret_data: version.secret_data.clone(),
        secret_data_type: "text".into(),
        version_stages: version.stages.clone(),
        version_id: version.version_id.clone(),
        create_time: format_timestamp(version.create_time),
        request_id: request_id(),
        last_rotation_date: secret.last_rotation_date.clone().unwrap_or_default(),
        next_rotation_date: secret.next_rotation_date.clone().unwrap_or_default(),
        extended_config: if req.fetch_extended_config {
            secret.extended_config.clone().unwrap_or_default()
        } else {
            String::new()
        },
        automatic_rotation: secret.automatic_rotation.clone(),
        rotation_interval: secret.rotation_interval.clone().unwrap_or_default(),
    };
    Reply {
        status: 200,
        content_type: sign::DKMS_CONTENT_TYPE,
        body: resp.encode_to_vec(),
    }
}

fn unauthorized() -> Reply {
    error(401, "Unauthorized", "The request is not authorized: unknown ClientKey, wrong client certificate or bad signature.")
}

/// A protobuf `Error` with the matching HTTP status.
pub fn error(status: u16, code: &str, message: &str) -> Reply {
    let e = proto::Error {
        status_code: status.into(),
        error_code: code.into(),
        error_message: message.into(),
        request_id: request_id(),
    };
    Reply {
        status,
        content_type: sign::DKMS_CONTENT_TYPE,
        body: e.encode_to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::openapi::tests::{emu, CLIENT_KEY_PEM, NOW};
    use crate::emulator::{pem_to_der, CLIENT_KEY_CERT_PEM, CLIENT_KEY_ID, DEMO_SECRET};
    use crate::kms::sign::tests::hex;
    use rsa::pkcs8::DecodePrivateKey;

    const VECTORS: &str = include_str!("../../tests/fixtures/dkms/vectors/getsecretvalue.json");

    fn request(body: &[u8], date: &str) -> Vec<(String, String)> {
        let key = rsa::PrivateKey::from_pkcs8_pem(CLIENT_KEY_PEM).unwrap();
        let sha = sign::dkms_content_sha256(body);
        let mut headers = sign::dkms_headers(CLIENT_KEY_ID);
        let sts = sign::dkms_string_to_sign("POST", &sha, sign::DKMS_CONTENT_TYPE, date, &headers);
        headers.push(("Content-Type".into(), sign::DKMS_CONTENT_TYPE.into()));
        headers.push(("Content-SHA256".into(), sha));
        headers.push(("Date".into(), date.into()));
        headers.push((
            "Authorization".into(),
            format!("Bearer {}", sign::rsa_sha256_signature(&key, &sts)),
        ));
        headers
    }

    fn err(r: &Reply) -> (u16, String, String) {
        let e = proto::Error::decode(r.body.as_slice()).unwrap();
        (r.status, e.error_code, e.error_message)
    }

    #[test]
    fn accepts_the_official_sdk_vector() {
        // The vector was produced by the official Python SDK with the fixture ClientKey; only the
        // secret name differs from our demo secret, so expect "not found" past authentication.
        let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
        let vec = &v["signing_vectors"][0];
        let date = "Mon, 01 Jan 2024 00:00:00 GMT";
        let now = httpdate::parse_http_date(date)
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let body = hex(vec["body_hex"].as_str().unwrap());
        let mut headers = sign::dkms_headers(CLIENT_KEY_ID);
        headers.extend([
            (
                "content-type".to_string(),
                sign::DKMS_CONTENT_TYPE.to_string(),
            ),
            (
                "content-sha256".to_string(),
                vec["content_sha256"].as_str().unwrap().to_string(),
            ),
            ("date".to_string(), date.to_string()),
            (
                "authorization".to_string(),
                vec["authorization"].as_str().unwrap().to_string(),
            ),
        ]);
        let cert = pem_to_der(CLIENT_KEY_CERT_PEM);
        let mut e = emu();
        let r = handle(&e, "POST", "/", &headers, &body, Some(&cert), now);
        assert_eq!(err(&r).1, "Forbidden.ResourceNotFound");
        e.create_secret(
            crate::emulator::state::NewSecret {
                name: "ramsecret/test-ak".into(),
                ..Default::default()
            },
            now,
        );
        let r = handle(&e, "POST", "/", &headers, &body, Some(&cert), now);
        assert_eq!(r.status, 200);
        let resp = proto::GetSecretValueResponse::decode(r.body.as_slice()).unwrap();
        assert_eq!(
            (resp.version_id.as_str(), resp.version_stages.as_slice()),
            ("v1", ["ACSCurrent".to_string()].as_slice())
        );
    }

    #[test]
    fn checks_headers_hash_date_cert_and_signature() {
        let e = emu();
        let cert = pem_to_der(CLIENT_KEY_CERT_PEM);
        let req = proto::GetSecretValueRequest {
            secret_name: DEMO_SECRET.into(),
            fetch_extended_config: true,
            ..Default::default()
        };
        let body = req.encode_to_vec();
        let date = sign::http_date(NOW);
        let headers = request(&body, &date);
        let r = handle(&e, "POST", "/", &headers, &body, Some(&cert), NOW);
        assert_eq!(r.status, 200);
        let resp = proto::GetSecretValueResponse::decode(r.body.as_slice()).unwrap();
        assert!(
            resp.secret_data.contains("LTAI5t")
                && resp.extended_config.contains("RamUserAccessKey")
        );

        let tweak = |name: &str, value: &str| {
            let mut h = headers.clone();
            h.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
            h.push((name.to_string(), value.to_string()));
            h
        };
        let cases = [
            (
                tweak("content-sha256", &sign::dkms_content_sha256(b"other")),
                (400, "InvalidParam"),
            ),
            (tweak("x-kms-apiname", "Encrypt"), (400, "InvalidApiName")),
            (
                tweak("x-kms-apiversion", "dkms-gcs-0.1"),
                (400, "InvalidApiVersion"),
            ),
            (
                tweak("x-kms-signaturemethod", "HMAC"),
                (400, "InvalidParam"),
            ),
            (tweak("x-kms-acccesskeyid", ""), (400, "MissingParameter")),
            (
                tweak("x-kms-acccesskeyid", "KAAP.unknown"),
                (401, "Unauthorized"),
            ),
            (tweak("date", "yesterday"), (400, "InvalidParam")),
            (tweak("authorization", "Bearer AAAA"), (401, "Unauthorized")),
            // An extra x-kms-* header is signed too; adding one after signing breaks the signature.
            (tweak("x-kms-extra", "1"), (401, "Unauthorized")),
        ];
        for (h, (status, code)) in cases {
            let (s, c, m) = err(&handle(&e, "POST", "/", &h, &body, Some(&cert), NOW));
            assert_eq!((s, c.as_str()), (status, code), "{m}");
        }
        let (_, _, m) = err(&handle(
            &e,
            "POST",
            "/",
            &cases_sha(&headers),
            &body,
            Some(&cert),
            NOW,
        ));
        assert_eq!(m, "The Param Content-SHA256 is invalid.");
        assert_eq!(
            err(&handle(
                &e,
                "POST",
                "/",
                &headers,
                &body,
                Some(&cert),
                NOW + 901
            ))
            .1,
            "RequestTimeTooSkewed"
        );
        assert_eq!(
            err(&handle(&e, "POST", "/", &headers, &body, None, NOW)).1,
            "Unauthorized"
        );
        assert_eq!(
            err(&handle(
                &e,
                "POST",
                "/",
                &headers,
                &body,
                Some(b"not the client cert"),
                NOW
            ))
            .1,
            "Unauthorized"
        );
        let garbage = b"\xff\xff\xff";
        let h = request(garbage, &date);
        assert_eq!(
            err(&handle(&e, "POST", "/", &h, garbage, Some(&cert), NOW)).1,
            "InvalidParameter"
        );
    }

    fn cases_sha(headers: &[(String, String)]) -> Vec<(String, String)> {
        let mut h = headers.to_vec();
        for (k, v) in &mut h {
            if k.eq_ignore_ascii_case("content-sha256") {
                *v = "00".into();
            }
        }
        h
    }
}
