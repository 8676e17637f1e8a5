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

/// A reqwest error as one line: what kind of failure, then its root cause, never the URL
/// (whose query carries signatures and STS tokens).
pub fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "response broken off"
    } else {
        "request failed"
    };
    let mut root: Option<String> = None;
    let mut src = e.source();
    while let Some(s) = src {
        root = Some(s.to_string());
        src = s.source();
    }
    let root = root.unwrap_or_else(|| e.without_url_ref());
    format!("{kind}: {root}").replace(['\n', '\r'], " ")
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
