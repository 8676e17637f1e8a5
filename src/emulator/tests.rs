//! One smoke test over real sockets: files on disk, the shared gateway, the admin API, an
//! injected connection reset, and the dedicated gateway over mutual TLS.

use std::sync::Arc;

use prost::Message;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;
use crate::kms::{proto, sign};
use crate::secret::SecretString;

const CLIENT_KEY_PEM: &str =
    include_str!("../../tests/fixtures/dkms/clientkey/clientkey_private_pkcs8.pem");

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut S,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until EOF or error (a TLS peer may close without close_notify).
    while let Ok(n) = s.read(&mut buf).await {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    let Some(split) = out.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (0, out);
    };
    let status = std::str::from_utf8(&out[9..12]).unwrap().parse().unwrap();
    (status, out[split + 4..].to_vec())
}

fn roots_for_test(ca_pem: &str) -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pem_to_der(ca_pem).into()).unwrap();
    roots
}

async fn plain(url: &str, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(url.trim_start_matches("http://"))
        .await
        .unwrap();
    exchange(&mut s, method, path, &[], body).await
}

fn signed_form() -> Vec<u8> {
    let mut p: std::collections::BTreeMap<String, String> = [
        ("AccessKeyId", CALLER_AK_ID),
        ("Action", "GetSecretValue"),
        ("Format", "json"),
        ("SecretName", DEMO_SECRET),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("Version", "2016-01-20"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    p.insert("SignatureNonce".into(), sign::new_nonce());
    p.insert(
        "Timestamp".into(),
        crate::secret::format_timestamp(server::now()),
    );
    let sig = sign::hmac_sha1_signature(
        &SecretString::new(CALLER_AK_SECRET),
        &sign::rpc_string_to_sign("POST", &p),
    );
    format!(
        "{}&Signature={}",
        sign::canonical_query(&p),
        sign::percent_encode(&sig)
    )
    .into_bytes()
}

#[tokio::test]
async fn serves_both_gateways_over_real_sockets() {
    let dir = std::env::temp_dir().join(format!("ramsecret-emu-test-{}", state::random_alnum(8)));
    let args = |listen: &str| DevServerArgs {
        listen: listen.parse().unwrap(),
        dkms_listen: "127.0.0.1:0".parse().unwrap(),
        state: None,
        dir: Some(dir.clone()),
    };
    assert!(matches!(
        start(args("0.0.0.0:0")).await,
        Err(Error::Usage(_))
    ));
    let emu = start(args("127.0.0.1:0")).await.unwrap();

    let ak = std::fs::read_to_string(&emu.ak_properties).unwrap();
    assert!(
        ak.contains(&format!("credentials_access_key_id={CALLER_AK_ID}"))
            && ak.contains(&emu.http_url)
    );
    let dkms_props = std::fs::read_to_string(&emu.dkms_properties).unwrap();
    assert!(
        dkms_props.contains(emu.dkms_url.trim_start_matches("https://"))
            && dkms_props.contains("ca.pem")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&emu.ak_properties)
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }

    // Shared gateway, form-encoded body.
    let (status, body) = plain(&emu.http_url, "POST", "/", &signed_form()).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["SecretName"], DEMO_SECRET);

    // An injected reset closes the connection without a single byte.
    let (s, _) = plain(
        &emu.http_url,
        "POST",
        "/admin/faults",
        br#"{"target":"kms","kind":"reset"}"#,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        plain(&emu.http_url, "POST", "/", &signed_form()).await,
        (0, vec![])
    );
    let (_, counters) = plain(&emu.http_url, "GET", "/admin/counters", b"").await;
    let counters: serde_json::Value = serde_json::from_slice(&counters).unwrap();
    assert_eq!(counters["GetSecretValue"], 2);

    // Dedicated gateway over mutual TLS with the fixture ClientKey as client certificate.
    let ca = std::fs::read_to_string(emu.dir.join("ca.pem")).unwrap();
    let roots = roots_for_test(&ca);
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(pem_to_der(CLIENT_KEY_PEM).into());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_client_auth_cert(vec![pem_to_der(CLIENT_KEY_CERT_PEM).into()], key)
    .unwrap();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let body = proto::GetSecretValueRequest {
        secret_name: DEMO_SECRET.into(),
        ..Default::default()
    }
    .encode_to_vec();
    let date = sign::http_date(server::now());
    let sha = sign::dkms_content_sha256(&body);
    let mut headers = sign::dkms_headers(CLIENT_KEY_ID);
    let sts = sign::dkms_string_to_sign("POST", &sha, sign::DKMS_CONTENT_TYPE, &date, &headers);
    let private = {
        use rsa::pkcs8::DecodePrivateKey;
        rsa::PrivateKey::from_pkcs8_pem(CLIENT_KEY_PEM).unwrap()
    };
    headers.extend([
        (
            "content-type".to_string(),
            sign::DKMS_CONTENT_TYPE.to_string(),
        ),
        ("content-sha256".to_string(), sha),
        ("date".to_string(), date),
        (
            "authorization".to_string(),
            format!("Bearer {}", sign::rsa_sha256_signature(&private, &sts)),
        ),
    ]);
    let addr = emu.dkms_url.trim_start_matches("https://").to_string();
    let mut tls = connector
        .connect(
            "localhost".try_into().unwrap(),
            TcpStream::connect(&addr).await.unwrap(),
        )
        .await
        .unwrap();
    let (status, resp) = exchange(&mut tls, "POST", "/", &headers, &body).await;
    assert_eq!(status, 200);
    let resp = proto::GetSecretValueResponse::decode(resp.as_slice()).unwrap();
    assert_eq!(resp.version_stages, vec!["ACSCurrent".to_string()]);

    // Without a client certificate the handshake is refused.
    let anonymous = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots_for_test(&ca))
    .with_no_client_auth();
    let anonymous = tokio_rustls::TlsConnector::from(Arc::new(anonymous));
    if let Ok(mut tls) = anonymous
        .connect(
            "localhost".try_into().unwrap(),
            TcpStream::connect(&addr).await.unwrap(),
        )
        .await
    {
        assert_eq!(exchange(&mut tls, "POST", "/", &headers, &body).await.0, 0);
    }

    let (s, _) = plain(
        &emu.http_url,
        "POST",
        "/admin/faults",
        br#"{"target":"dkms","kind":"throttle"}"#,
    )
    .await;
    assert_eq!(s, 200);
    let mut tls = connector
        .connect(
            "localhost".try_into().unwrap(),
            TcpStream::connect(&addr).await.unwrap(),
        )
        .await
        .unwrap();
    let (status, resp) = exchange(&mut tls, "POST", "/", &headers, &body).await;
    assert_eq!(
        (
            status,
            proto::Error::decode(resp.as_slice())
                .unwrap()
                .error_code
                .as_str()
        ),
        (429, "Rejected.Throttling")
    );

    drop(emu);
    let _ = std::fs::remove_dir_all(&dir);
}
