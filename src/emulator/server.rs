//! Socket plumbing: hyper HTTP/1 on the plain and TLS listeners, routing by path, counters and
//! fault injection around the pure handlers. The state mutex is never held across an await.

use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::state::Emulator;
use super::{admin, dedicated, metadata, openapi, Reply};

pub type Shared = Arc<Mutex<Emulator>>;
type Answer = Result<Response<Full<Bytes>>, std::io::Error>;

const MAX_BODY: usize = 1 << 20;

pub use crate::credentials::now_unix as now;

/// Locks the state; a panic in another request must not wedge the emulator.
pub fn lock(emu: &Shared) -> std::sync::MutexGuard<'_, Emulator> {
    emu.lock().unwrap_or_else(|e| e.into_inner())
}

pub async fn serve_plain(listener: TcpListener, emu: Shared) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        // Answers go out in several writes; Nagle plus delayed ACKs would add ~40 ms to each.
        let _ = stream.set_nodelay(true);
        let emu = emu.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| plain(emu.clone(), req));
            // Errors here are client disconnects and injected resets: nothing to report.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

pub async fn serve_tls(listener: TcpListener, acceptor: tokio_rustls::TlsAcceptor, emu: Shared) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (emu, acceptor) = (emu.clone(), acceptor.clone());
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                tracing::debug!("dev-server: TLS handshake failed");
                return;
            };
            let cert: Option<Arc<[u8]>> = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first())
                .map(|c| c.as_ref().into());
            let svc = hyper::service::service_fn(move |req| {
                dedicated_request(emu.clone(), cert.clone(), req)
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), svc)
                .await;
        });
    }
}

struct Parts {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

async fn read(req: Request<Incoming>) -> Result<Parts, Reply> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|_| text(413, "request body unreadable or too large"))?
        .to_bytes();
    Ok(Parts {
        method,
        path,
        query,
        headers,
        body,
    })
}

async fn plain(emu: Shared, req: Request<Incoming>) -> Answer {
    let p = match read(req).await {
        Ok(p) => p,
        Err(reply) => return Ok(respond(reply)),
    };
    if p.path == "/admin" || p.path.starts_with("/admin/") {
        let reply = admin::handle(&mut lock(&emu), &p.method, &p.path, &p.body, now());
        return Ok(respond(reply));
    }
    if metadata::is_metadata_path(&p.path) {
        let counter = metadata::counter(&p.method, &p.path);
        return faulted(&emu, "metadata", counter, Flavor::Text, move |e| {
            metadata::handle(e, &p.method, &p.path, &p.headers, now())
        })
        .await;
    }
    if p.path != "/" {
        return Ok(respond(text(404, "not found")));
    }
    let params = match openapi::parse_params(p.query.as_deref(), &p.body) {
        Ok(params) => params,
        Err(reply) => return Ok(respond(reply)),
    };
    let (target, counter) = openapi::route(params.get("Action").map_or("", String::as_str));
    faulted(&emu, target, counter, Flavor::Json, move |e| {
        openapi::handle(e, &p.method, &params, now())
    })
    .await
}

async fn dedicated_request(emu: Shared, cert: Option<Arc<[u8]>>, req: Request<Incoming>) -> Answer {
    let p = match read(req).await {
        Ok(p) => p,
        Err(reply) => return Ok(respond(reply)),
    };
    faulted(
        &emu,
        "dkms",
        Some("DkmsGetSecretValue"),
        Flavor::Protobuf,
        move |e| {
            dedicated::handle(
                e,
                &p.method,
                &p.path,
                &p.headers,
                &p.body,
                cert.as_deref(),
                now(),
            )
        },
    )
    .await
}

#[derive(Clone, Copy)]
enum Flavor {
    Json,
    Protobuf,
    Text,
}

/// Counts the request, then applies the next queued fault for `target`, if any, instead of (or,
/// for latency, before) the real handler.
async fn faulted(
    emu: &Shared,
    target: &str,
    counter: Option<&str>,
    flavor: Flavor,
    handler: impl FnOnce(&mut Emulator) -> Reply,
) -> Answer {
    let fault = {
        let mut e = lock(emu);
        if let Some(c) = counter {
            e.bump(c);
        }
        e.take_fault(target)
    };
    let Some(fault) = fault else {
        return Ok(respond(run(emu, handler)));
    };
    tracing::debug!(target, kind = %fault.kind, "dev-server: injecting fault");
    let error = |status: u16, code: &str, message: &str| match flavor {
        Flavor::Json => openapi::error(status, code, message),
        Flavor::Protobuf => dedicated::error(status, code, message),
        Flavor::Text => text(status, message),
    };
    let reply = match fault.kind.as_str() {
        "latency" => {
            tokio::time::sleep(std::time::Duration::from_millis(fault.ms)).await;
            run(emu, handler)
        }
        "status" if fault.status == 500 => error(
            500,
            "InternalFailure",
            "The request processing has failed due to some unknown error, exception or failure.",
        ),
        "status" => error(
            503,
            "ServiceUnavailableTemporary",
            "The service is temporarily unavailable. Please try again later.",
        ),
        "throttle" => error(429, "Rejected.Throttling", "QPS Limit Exceeded"),
        "malformed" => {
            let body: &[u8] = match flavor {
                // A field tag whose varint never ends: no protobuf decoder accepts it.
                Flavor::Protobuf => b"\xff\xff\xff\xff",
                _ => b"{\"RequestId\": \"truncated",
            };
            let content_type = match flavor {
                Flavor::Protobuf => crate::kms::sign::DKMS_CONTENT_TYPE,
                _ => "application/json;charset=utf-8",
            };
            Reply {
                status: 200,
                content_type,
                body: body.to_vec(),
            }
        }
        "hang" => std::future::pending::<Reply>().await,
        // "reset": a service error makes hyper drop the connection without writing anything.
        _ => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected reset",
            ))
        }
    };
    Ok(respond(reply))
}

/// Runs a handler, then persists the store if it changed (STS sessions issued).
fn run(emu: &Shared, handler: impl FnOnce(&mut Emulator) -> Reply) -> Reply {
    let mut e = lock(emu);
    let reply = handler(&mut e);
    if std::mem::take(&mut e.dirty) {
        if let Err(err) = e.save() {
            tracing::warn!("dev-server: cannot save the state file: {err}");
        }
    }
    reply
}

fn text(status: u16, body: &str) -> Reply {
    Reply {
        status,
        content_type: "text/plain;charset=utf-8",
        body: body.as_bytes().to_vec(),
    }
}

fn respond(r: Reply) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(r.body)));
    *resp.status_mut() =
        hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(r.content_type),
    );
    resp
}
