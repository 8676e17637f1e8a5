//! ClientKey files: `{"KeyId","PrivateKeyData"}` where PrivateKeyData is a base64 PKCS#12
//! holding an RSA key and its certificate. Both the legacy 3DES/RC2 container the console
//! issues and a PBES2/AES one open (p12-keystore).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use rsa::pkcs8::DecodePrivateKey;
use zeroize::Zeroizing;

use super::CredentialsError;
use crate::config::ClientKeyRef;
use crate::secret::SecretString;

pub struct ClientKey {
    pub key_id: String,
    pub key: rsa::PrivateKey,
    /// DER certificate and PKCS#8 key, for the TLS client identity on the dedicated gateway.
    pub cert_der: Vec<u8>,
    key_der: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl ClientKey {
    /// Open the ClientKey `r` names, at most once per process: a long-running `exec` checks KMS
    /// again and again, and several KMS instances may share one ClientKey.
    pub fn load(r: &ClientKeyRef) -> Result<Arc<ClientKey>, CredentialsError> {
        static OPENED: Mutex<BTreeMap<PathBuf, Arc<ClientKey>>> = Mutex::new(BTreeMap::new());
        let mut opened = OPENED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = opened.get(&r.path) {
            return Ok(k.clone());
        }
        let path = r.path.display().to_string();
        let text =
            std::fs::read_to_string(&r.path).map_err(|source| CredentialsError::ClientKeyRead {
                key: r.key.clone(),
                path: path.clone(),
                source,
            })?;
        let password = crate::config::resolve_password(r, &crate::config::process_env)
            .map_err(|e| CredentialsError::Password(e.message))?;
        let key = Arc::new(ClientKey::from_json(&text, &password, &r.key, &path)?);
        opened.insert(r.path.clone(), key.clone());
        Ok(key)
    }

    pub fn from_json(
        text: &str,
        password: &SecretString,
        key: &str,
        path: &str,
    ) -> Result<ClientKey, CredentialsError> {
        let format_err = |reason: &str| CredentialsError::ClientKeyFormat {
            key: key.to_string(),
            path: path.to_string(),
            reason: reason.to_string(),
        };
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|_| format_err("not JSON"))?;
        let key_id = v
            .get("KeyId")
            .and_then(|x| x.as_str())
            .ok_or_else(|| format_err("no KeyId"))?
            .to_string();
        let data = v
            .get("PrivateKeyData")
            .and_then(|x| x.as_str())
            .ok_or_else(|| format_err("no PrivateKeyData"))?;
        let der = Zeroizing::new(
            crate::kms::sign::B64
                .decode(data.trim())
                .map_err(|_| format_err("PrivateKeyData is not base64"))?,
        );
        let store = p12_keystore::KeyStore::from_pkcs12(
            &der,
            password.expose(),
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .map_err(|e| match e {
            p12_keystore::error::Error::MacError(_) => CredentialsError::WrongPassword {
                path: path.to_string(),
            },
            _ => format_err("PrivateKeyData is not a readable PKCS#12 container"),
        })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| format_err("the PKCS#12 container holds no private key"))?;
        let key_der = Zeroizing::new(chain.key().as_der().to_vec());
        let rsa_key = rsa::PrivateKey::from_pkcs8_der(&key_der)
            .map_err(|_| format_err("the private key is not RSA"))?;
        let cert_der = chain
            .certs()
            .first()
            .map(|c| c.as_der().to_vec())
            .unwrap_or_default();
        Ok(ClientKey {
            key_id,
            key: rsa_key,
            cert_der,
            key_der,
        })
    }

    /// Certificate + key as PEM, for `reqwest::Identity::from_pem`.
    pub fn identity_pem(&self) -> Zeroizing<Vec<u8>> {
        let b64 = |der: &[u8]| {
            let s = crate::kms::sign::B64.encode(der);
            s.as_bytes()
                .chunks(64)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            b64(&self.cert_der),
            b64(&self.key_der)
        );
        Zeroizing::new(pem.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::PublicKeyParts;

    const DIR: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/dkms/clientkey/"
    );

    #[test]
    fn legacy_maciter1_and_pbes2_yield_the_same_key() {
        let pw = SecretString::new(
            std::fs::read_to_string(format!(
                "{DIR}clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70_Password.txt"
            ))
            .unwrap(),
        );
        let expected = rsa::PrivateKey::from_pkcs8_pem(
            &std::fs::read_to_string(format!("{DIR}clientkey_private_pkcs8.pem")).unwrap(),
        )
        .unwrap();
        for suffix in ["", "_maciter1", "_pbes2"] {
            let path =
                format!("{DIR}clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70{suffix}.json");
            let k = ClientKey::from_json(
                &std::fs::read_to_string(&path).unwrap(),
                &pw,
                "client_key_private_key_path",
                &path,
            )
            .unwrap();
            assert_eq!(k.key_id, "KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70");
            assert_eq!(k.key.n(), expected.n(), "{suffix}");
            assert!(!k.cert_der.is_empty());
            assert!(!format!("{k:?}").contains("PRIVATE"));
        }
    }

    #[test]
    fn wrong_password_is_named_without_echoing_it() {
        let path = format!("{DIR}clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70.json");
        let e = ClientKey::from_json(
            &std::fs::read_to_string(&path).unwrap(),
            &SecretString::new("Wrong-Pass-987"),
            "k",
            &path,
        )
        .unwrap_err();
        assert!(matches!(e, CredentialsError::WrongPassword { .. }));
        assert!(!e.to_string().contains("Wrong-Pass-987"));
    }
}
