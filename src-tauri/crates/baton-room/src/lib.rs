//! The room's HTTP server: participants' browsers on the LAN reach the workshop
//! through it. An adapter only: routing, the Host/Origin check, the body cap, the rate
//! limit, timeouts, Server-Sent Events and the embedded participant page; every rule
//! (identity, privacy, idempotency) is `baton-service::room`'s.
//!
//! `RoomServer::start(service, config)` binds the chosen interface (never all of them)
//! on port 7420 or the next free one, and returns a [`RoomHandle`] (URL, who is
//! connected, `stop`). See `docs/room.md` for the API and the threat model.
mod api;
mod events;
mod guard;
mod host;
mod net;
mod page;

pub use api::{PARTICIPANT_COOKIE, PARTICIPANT_HEADER};
pub use events::MAX_STREAMS_PER_ADDRESS;
pub use guard::{constant_time_eq, RateLimit};
pub use host::{status, RoomHost};
pub use net::{interfaces, qr_svg, qr_terminal};
pub use page::built as page_built;

use axum::extract::{DefaultBodyLimit, Path};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::Router;
use baton_core::room::{RoomStatus, DEFAULT_PARTICIPANT_CAP};
use baton_core::{BatonError, Result};
use baton_service::Service;
use events::RoomEvent;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, oneshot};
use tower_http::timeout::TimeoutLayer;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 16 * 1024;
/// How long a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How to open the room.
#[derive(Debug, Clone)]
pub struct RoomConfig {
    /// The address of the interface to serve on (one interface, never `0.0.0.0`).
    pub bind: IpAddr,
    /// A fixed port; `None` tries 7420, then 7421…7429, then any free port.
    pub port: Option<u16>,
    /// The workshop session participants join (kept from the last open when `None`).
    pub session_id: Option<i64>,
    pub participant_cap: usize,
    pub rate: RateLimit,
}

impl RoomConfig {
    pub fn new(bind: IpAddr) -> Self {
        Self {
            bind,
            port: None,
            session_id: None,
            participant_cap: DEFAULT_PARTICIPANT_CAP,
            rate: RateLimit::default(),
        }
    }
}

/// What every request handler shares.
pub(crate) struct Shared {
    service: Service,
    token: String,
    /// `/r/{token}`
    prefix: String,
    /// `Host` values the room answers to (`addr:port`, and `localhost:port` on loopback).
    hosts: Vec<String>,
    cap: usize,
    rate: RateLimit,
    limiter: Mutex<guard::Limiter>,
    events: broadcast::Sender<RoomEvent>,
    /// Live event streams per participant id.
    connected: Mutex<HashMap<i64, usize>>,
    /// The workspace the room was opened in: once the window opens another one, this
    /// room's link is no longer valid (its token and participants live in that file).
    workspace: Option<String>,
    /// Live event streams per client address.
    streams: Mutex<HashMap<IpAddr, usize>>,
    stopping: AtomicBool,
}

impl Shared {
    /// The workspace the room belongs to is still the open one.
    fn same_workspace(&self) -> bool {
        self.service.session().current_key() == self.workspace
    }
}

pub struct RoomServer;

/// A running room.
pub struct RoomHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl RoomServer {
    /// Open the room in the workspace and serve it on `config.bind`. Must run inside a
    /// tokio runtime.
    pub async fn start(service: Service, config: RoomConfig) -> Result<RoomHandle> {
        if config.bind.is_unspecified() {
            return Err(BatonError::invalid(
                "the room serves one network interface; pick its address (`baton room interfaces` lists them), not 0.0.0.0",
            ));
        }
        let listener = net::bind(config.bind, config.port).await?;
        let addr = listener
            .local_addr()
            .map_err(|e| BatonError::io("reading the room's address", e))?;
        let svc = service.clone();
        let session = config.session_id;
        let room = tokio::task::spawn_blocking(move || svc.room_open(session))
            .await
            .map_err(|e| BatonError::internal(e.to_string()))??;
        let host = net::host_port(addr);
        let mut hosts = vec![host.clone()];
        if addr.ip().is_loopback() {
            hosts.push(format!("localhost:{}", addr.port()));
        }
        let prefix = format!("/r/{}", room.token);
        let url = format!("http://{host}{prefix}/");
        let shared = Arc::new(Shared {
            workspace: service.session().current_key(),
            service,
            token: room.token,
            prefix,
            hosts,
            cap: config.participant_cap,
            rate: config.rate,
            limiter: Mutex::new(guard::Limiter::default()),
            events: broadcast::channel(1024).0,
            connected: Mutex::new(HashMap::new()),
            streams: Mutex::new(HashMap::new()),
            stopping: AtomicBool::new(false),
        });
        events::forward(shared.clone());
        let app = router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = serve.await {
                eprintln!("room: the server stopped: {e}");
            }
        });
        Ok(RoomHandle {
            shared,
            addr,
            url,
            shutdown: Some(tx),
            task,
        })
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/r/{token}",
            get(|Path(t): Path<String>| async move { Redirect::permanent(&format!("/r/{t}/")) }),
        )
        .route("/r/{token}/", get(|| async { page::index() }))
        .route(
            "/r/{token}/assets/{file}",
            get(|Path((_, file)): Path<(String, String)>| async move { page::asset(&file) }),
        )
        .route("/r/{token}/api/state", get(api::state))
        .route("/r/{token}/api/join", post(api::join))
        .route("/r/{token}/api/diagnostic/answer", post(api::answer))
        .route("/r/{token}/api/vote", post(api::vote))
        .route("/r/{token}/api/draft", post(api::draft))
        .route("/r/{token}/api/park", post(api::park))
        .route("/r/{token}/api/signoff", post(api::signoff))
        .route("/r/{token}/api/events", get(events::events))
        .fallback(|| async { guard::not_found_page() })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn_with_state(shared.clone(), guard::token))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(from_fn_with_state(shared.clone(), guard::rate_limit))
        .layer(from_fn_with_state(shared.clone(), guard::host_and_origin))
        .with_state(shared)
}

impl RoomHandle {
    /// `http://ADDR:PORT/r/{token}/`
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Participant ids with a live connection now.
    pub fn connected(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .shared
            .connected
            .lock()
            .map(|c| c.keys().copied().collect())
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    }

    /// The facilitator's view: the service's room status with the URL, its QR code
    /// and who is connected.
    pub fn status(&self) -> Result<RoomStatus> {
        status(
            &self.shared.service,
            Some(self.url.clone()),
            &self.connected(),
        )
    }

    /// Close the room: every participant's page is told (`closed`), the server stops
    /// and the workspace records the room as closed (token and secrets are kept).
    pub async fn stop(mut self) -> Result<()> {
        let _ = self.shared.events.send(RoomEvent::Closed);
        self.shared
            .stopping
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if tokio::time::timeout(Duration::from_secs(3), &mut self.task)
            .await
            .is_err()
        {
            self.task.abort();
        }
        let svc = self.shared.service.clone();
        tokio::task::spawn_blocking(move || svc.room_close())
            .await
            .map_err(|e| BatonError::internal(e.to_string()))?
    }
}
