//! The HTTP client for the shared gateway, STS and the metadata service: one per process,
//! rustls with the ring provider, the SDKs' timeouts (connect 5 s, read 10 s).

use std::time::Duration;

pub const USER_AGENT: &str = concat!("ramsecret/", env!("CARGO_PKG_VERSION"));

pub fn install_crypto_provider() {
    // Fails only when already installed, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// `https` says whether any endpoint needs TLS. Parsing the platform trust store costs several
/// milliseconds, so a loopback-only (emulator) configuration does not load it.
pub fn client(https: bool) -> Result<reqwest::Client, String> {
    install_crypto_provider();
    let mut b = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(2);
    if !https {
        b = b.tls_certs_only(Vec::new());
    }
    b.build().map_err(|e| describe(&e))
}

/// A reqwest error as one line: its cause chain, without the URL (whose query carries
/// signatures and STS tokens).
pub fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut parts: Vec<String> = Vec::new();
    if e.is_timeout() {
        parts.push("timed out".into());
    } else if e.is_connect() {
        parts.push("connection failed".into());
    }
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = s.source();
    }
    if parts.is_empty() {
        parts.push(e.without_url_ref());
    }
    parts.join(": ").replace('\n', " ")
}

trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let mut s = self.to_string();
        if let Some(u) = self.url() {
            s = s.replace(u.as_str(), "");
        }
        s
    }
}
