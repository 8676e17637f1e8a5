//! Local KMS emulator (`ramsecret dev-server`, and in-process for `demo`): the shared gateway,
//! STS, the ECS metadata service and an admin API on a plain loopback listener, and the
//! dedicated gateway (KMS instance API) on a TLS loopback listener, speaking the real wire
//! protocols. It verifies requests with `kms::sign`, the same code the client signs with.
//! Loopback only; every key it knows is a throwaway.

mod admin;
mod dedicated;
mod metadata;
mod openapi;
mod server;
mod state;
mod tls;

#[cfg(test)]
mod tests;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::net::TcpListener;

use crate::cli::DevServerArgs;
use crate::error::{Error, Result};
use state::{Emulator, NewSecret, Store};

/// The RAM user allowed to call KMS and AssumeRole.
pub const CALLER_AK_ID: &str = "LTAI5tEmulatorCaller0001";
pub const CALLER_AK_SECRET: &str = "emulator-caller-secret-0001";
/// The role the ECS metadata service hands out.
pub const ECS_ROLE_NAME: &str = "ramsecret-ecs-role";
/// The fixture ClientKey (application access point key).
pub const CLIENT_KEY_ID: &str = "KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70";
/// The RAM secret created at start.
pub const DEMO_SECRET: &str = "acs/ram/user/ramsecret-demo";
/// The account every emulated identity belongs to.
pub const ACCOUNT_ID: &str = "1234567890123456";
pub const REGION_ID: &str = "cn-hangzhou";

const CLIENT_KEY_FILE: &str = "clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70.json";
const CLIENT_KEY_PASSWORD_FILE: &str =
    "clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70_Password.txt";
const CLIENT_KEY_JSON: &[u8] = include_bytes!(
    "../../tests/fixtures/dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70.json"
);
const CLIENT_KEY_PASSWORD: &[u8] = include_bytes!("../../tests/fixtures/dkms/clientkey/clientKey_KAAP.5c6e2a44-0b7f-4d2e-9a51-3f1d2c9e8b70_Password.txt");
const CLIENT_KEY_PUBLIC_PEM: &str =
    include_str!("../../tests/fixtures/dkms/clientkey/clientkey_public.pem");
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const CLIENT_KEY_CERT_PEM: &str =
    include_str!("../../tests/fixtures/dkms/clientkey/clientkey_cert.pem");

/// A pure handler's answer, turned into an HTTP response by `server`.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

/// A running emulator. Dropping it stops both listeners.
#[derive(Debug)]
pub struct Running {
    /// `http://127.0.0.1:P`: shared gateway, STS, ECS metadata, admin API.
    pub http_url: String,
    /// `https://127.0.0.1:Q`: dedicated gateway (KMS instance API).
    pub dkms_url: String,
    pub dir: PathBuf,
    /// `managed_credentials_providers.properties` (shared gateway, AccessKey mode).
    pub ak_properties: PathBuf,
    /// `dkms.properties` (dedicated gateway, ClientKey).
    pub dkms_properties: PathBuf,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// `ramsecret dev-server`: start, print the address line and the setup, serve until a signal.
pub async fn run(args: DevServerArgs) -> Result<()> {
    let running = start(args).await?;
    let ak = std::fs::read_to_string(&running.ak_properties)
        .map_err(|e| Error::io("cannot read the properties file back", e))?;
    let mut out = std::io::stdout().lock();
    let lines = format!(
        "ramsecret dev-server: {http} {dkms} {dir}\n\
         shared gateway, STS, ECS metadata (role {ECS_ROLE_NAME}) and admin API (/admin/...) on {http}\n\
         dedicated gateway (KMS instance API, TLS, CA {dir}/ca.pem) on {dkms}\n\
         demo secret: {DEMO_SECRET}\n\
         dedicated-gateway config: {dkms_props}\n\
         {ak_props}:\n{ak}\
         press Ctrl-C to stop\n",
        http = running.http_url,
        dkms = running.dkms_url,
        dir = running.dir.display(),
        dkms_props = running.dkms_properties.display(),
        ak_props = running.ak_properties.display(),
    );
    out.write_all(lines.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Error::io("cannot write to stdout", e))?;
    drop(out);
    wait_for_signal().await?;
    drop(running);
    Ok(())
}

async fn wait_for_signal() -> Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| Error::io("cannot listen for SIGTERM", e))?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.map_err(|e| Error::io("cannot listen for SIGINT", e)),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Error::io("cannot listen for Ctrl-C", e))
}

/// Starts the emulator on the current runtime and returns once both listeners accept.
pub async fn start(args: DevServerArgs) -> Result<Running> {
    for (flag, addr) in [
        ("--listen", args.listen),
        ("--dkms-listen", args.dkms_listen),
    ] {
        if !addr.ip().is_loopback() {
            return Err(Error::Usage(format!(
                "{flag} {addr}: the emulator listens on loopback only (e.g. 127.0.0.1:0)"
            )));
        }
    }
    let now = server::now();
    let mut store = match &args.state {
        Some(path) if path.exists() => {
            let text = std::fs::read(path)
                .map_err(|e| Error::io(format!("cannot read state file {}", path.display()), e))?;
            serde_json::from_slice::<Store>(&text).map_err(|e| {
                Error::Usage(format!(
                    "state file {} is not valid emulator state: {e}",
                    path.display()
                ))
            })?
        }
        _ => Store::default(),
    };
    store.sts.retain(|_, s| s.expiration > now);
    let mut emu = Emulator::new(store);
    emu.state_file = args.state.clone();
    if !emu.store.secrets.contains_key(DEMO_SECRET) {
        emu.create_secret(
            NewSecret {
                name: DEMO_SECRET.into(),
                ..Default::default()
            },
            now,
        );
    }
    emu.save()
        .map_err(|e| Error::io("cannot write the state file", e))?;

    let dir = match args.dir {
        Some(d) => d,
        None => std::env::temp_dir().join(format!(
            "ramsecret-dev-{}",
            state::random_alnum(10).to_ascii_lowercase()
        )),
    };
    create_dir(&dir)?;

    let plain = TcpListener::bind(args.listen)
        .await
        .map_err(|e| Error::io(format!("cannot listen on {}", args.listen), e))?;
    let dkms = TcpListener::bind(args.dkms_listen)
        .await
        .map_err(|e| Error::io(format!("cannot listen on {}", args.dkms_listen), e))?;
    let http_addr = plain
        .local_addr()
        .map_err(|e| Error::io("cannot read the bound address", e))?;
    let dkms_addr = dkms
        .local_addr()
        .map_err(|e| Error::io("cannot read the bound address", e))?;
    let http_url = format!("http://{http_addr}");
    let dkms_url = format!("https://{dkms_addr}");

    let pki = tls::generate()
        .map_err(|e| Error::Usage(format!("cannot generate the emulator's certificates: {e}")))?;
    let config =
        tls::server_config(&pki).map_err(|e| Error::Usage(format!("cannot configure TLS: {e}")))?;
    let (ak_properties, dkms_properties) =
        write_files(&dir, &pki.ca_pem, &http_url, &dkms_addr.to_string())?;

    let shared = Arc::new(Mutex::new(emu));
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let tasks = vec![
        tokio::spawn(server::serve_plain(plain, shared.clone())),
        tokio::spawn(server::serve_tls(dkms, acceptor, shared)),
    ];
    tracing::info!(%http_url, %dkms_url, "dev-server listening");
    Ok(Running {
        http_url,
        dkms_url,
        dir,
        ak_properties,
        dkms_properties,
        tasks,
    })
}

fn create_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))
}

/// Writes the CA, the ClientKey files and both properties files; returns the properties paths.
fn write_files(
    dir: &Path,
    ca_pem: &str,
    http_url: &str,
    dkms_endpoint: &str,
) -> Result<(PathBuf, PathBuf)> {
    let write = |name: &str, bytes: &[u8], private: bool| -> Result<PathBuf> {
        let path = dir.join(name);
        let r = if private {
            write_private(&path, bytes)
        } else {
            std::fs::write(&path, bytes)
        };
        r.map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        Ok(path)
    };
    let ca = write("ca.pem", ca_pem.as_bytes(), false)?;
    let key = write(CLIENT_KEY_FILE, CLIENT_KEY_JSON, true)?;
    let password = write(CLIENT_KEY_PASSWORD_FILE, CLIENT_KEY_PASSWORD, true)?;
    // Written by hand to keep the documented key order; values are JSON-escaped.
    let js = |s: &str| serde_json::Value::from(s).to_string();
    let regions = format!(
        r#"[{{"regionId":"{REGION_ID}","endpoint":{}}}]"#,
        js(http_url)
    );
    let ak = format!(
        "credentials_type=ak\ncredentials_access_key_id={CALLER_AK_ID}\ncredentials_access_secret={CALLER_AK_SECRET}\ncache_client_region_id={regions}\n"
    );
    let dkms_info = format!(
        r#"[{{"regionId":"{REGION_ID}","endpoint":{},"clientKeyFile":{},"passwordFromFilePath":{},"ignoreSslCerts":false,"caFilePath":{}}}]"#,
        js(dkms_endpoint),
        js(&key.display().to_string()),
        js(&password.display().to_string()),
        js(&ca.display().to_string()),
    );
    let dkms = format!("cache_client_dkms_config_info={dkms_info}\n");
    Ok((
        write(
            "managed_credentials_providers.properties",
            ak.as_bytes(),
            true,
        )?,
        write("dkms.properties", dkms.as_bytes(), true)?,
    ))
}

/// Writes a file readable by its owner only (0600 on Unix), replacing any existing one.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    // `mode` only applies when the file is created; tighten an existing one too.
    #[cfg(unix)]
    f.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The body of the first PEM block (base64 between the armour lines).
pub(crate) fn pem_to_der(pem: &str) -> Vec<u8> {
    let b64: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    crate::kms::sign::B64.decode(b64.trim()).unwrap_or_default()
}

/// The fixture ClientKey's SubjectPublicKeyInfo (DER).
pub(crate) fn client_key_spki_der() -> Vec<u8> {
    pem_to_der(CLIENT_KEY_PUBLIC_PEM)
}
pub mod call;
pub mod demo;
