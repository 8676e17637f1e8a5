//! `exec --credentials-server`: the current key on a loopback HTTP port, under a random path,
//! in the `ALIBABA_CLOUD_CREDENTIALS_URI` response format (protocol.md D.2). Anything else is 404.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};

use crate::secret::RamSecret;

/// What the server hands out: the key and when the client should ask again.
pub struct Current {
    pub secret: RamSecret,
    pub expiration_unix: i64,
}

pub type Shared = Arc<Mutex<Current>>;

/// Bind `127.0.0.1:0` and serve in the background; returns the URI for the child.
pub async fn start(state: Shared) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let mut token = [0u8; 24];
    getrandom::fill(&mut token).map_err(|e| std::io::Error::other(e.to_string()))?;
    let path = Arc::new(format!("/{}", crate::cache::key::hex(&token)));
    let uri = format!("http://{addr}{path}");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                // Out of file descriptors and the like: wait instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let state = state.clone();
            let path = path.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let reply = answer(&req, &path, &state);
                    async move { Ok::<_, Infallible>(reply) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    Ok(uri)
}

fn answer(req: &Request<Incoming>, path: &str, state: &Shared) -> Response<Full<Bytes>> {
    let reply = |status: u16, body: String| {
        Response::builder()
            .status(status)
            .header("Content-Type", "application/json")
            .header("Cache-Control", "no-store")
            .body(Full::new(Bytes::from(body)))
            .expect("static response parts")
    };
    if req.uri().path() != path {
        return reply(404, "{\"Code\":\"NotFound\"}\n".into());
    }
    if req.method() != hyper::Method::GET {
        return reply(405, "{\"Code\":\"MethodNotAllowed\"}\n".into());
    }
    let cur = state.lock().unwrap_or_else(|p| p.into_inner());
    reply(
        200,
        crate::output::credentials_uri(&cur.secret, cur.expiration_unix),
    )
}
