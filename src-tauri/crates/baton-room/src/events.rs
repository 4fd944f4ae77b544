//! `GET events`: Server-Sent Events fed by the service's change feed. Every committed
//! change (the room's, the window's, the CLI's) becomes `event: change` with the
//! workspace version as its id; `closed` when the room closes; `removed` to a removed
//! participant; a keep-alive comment every 15 s. A (re)connecting page first gets a
//! `change` with the current version, so it refetches `state` (no replay needed).
use crate::api::{error_response, secret_of};
use crate::Shared;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use baton_core::room::RoomChange;
use baton_service::{Area, Change};
use futures_util::stream::{self, Stream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// What the room tells every open event stream.
#[derive(Debug, Clone)]
pub(crate) enum RoomEvent {
    Change(Change),
    /// The facilitator removed this participant.
    Removed(i64),
    Closed,
}

/// Counts one live stream of a participant while it exists.
struct Connected {
    shared: Arc<Shared>,
    participant: Option<i64>,
}

impl Drop for Connected {
    fn drop(&mut self) {
        if let Some(id) = self.participant {
            if let Ok(mut c) = self.shared.connected.lock() {
                if let Some(n) = c.get_mut(&id) {
                    *n -= 1;
                    if *n == 0 {
                        c.remove(&id);
                    }
                }
            }
        }
    }
}

fn change_event(version: i64, areas: Vec<String>) -> Event {
    let data = serde_json::to_string(&RoomChange { version, areas }).unwrap_or_default();
    Event::default()
        .event("change")
        .id(version.to_string())
        .data(data)
}

/// Forward the service's change feed to every stream until `stop` is set.
pub(crate) fn forward(shared: Arc<Shared>) {
    let feed = shared.service.feed().subscribe();
    std::thread::Builder::new()
        .name("baton-room-feed".into())
        .spawn(move || {
            while !shared.stopping.load(std::sync::atomic::Ordering::Relaxed) {
                match feed.recv_timeout(Duration::from_millis(250)) {
                    Ok(change) => {
                        let removed = (change.area == Area::Room).then_some(change.id).flatten();
                        let _ = shared.events.send(RoomEvent::Change(change));
                        if let Some(id) = removed {
                            let _ = shared.events.send(RoomEvent::Removed(id));
                        }
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
        })
        .expect("starting the room's feed forwarder");
}

pub(crate) async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let secret = secret_of(&headers);
    let svc = shared.service.clone();
    // Subscribe before reading the version, so no change falls between the two.
    let rx = shared.events.subscribe();
    let first = tokio::task::spawn_blocking(move || {
        let me = secret.map(|s| svc.room_member(&s)).transpose()?;
        let version = svc.room_state(None)?.version;
        Ok::<_, baton_core::BatonError>((me, version))
    })
    .await;
    let (me, version) = match first {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return error_response(e),
        Err(e) => return error_response(baton_core::BatonError::internal(e.to_string())),
    };
    let participant = me.map(|m| m.id);
    if let Some(id) = participant {
        if let Ok(mut c) = shared.connected.lock() {
            *c.entry(id).or_insert(0) += 1;
        }
    }
    let guard = Connected {
        shared: shared.clone(),
        participant,
    };
    let hello = stream::once(async move { Ok(change_event(version, vec!["room".into()])) });
    Sse::new(hello.chain(follow(rx, guard, version)))
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("keep-alive"),
        )
        .into_response()
}

fn follow(
    rx: broadcast::Receiver<RoomEvent>,
    guard: Connected,
    version: i64,
) -> impl Stream<Item = Result<Event, Infallible>> {
    stream::unfold(Some((rx, guard, version)), |state| async move {
        let (mut rx, guard, mut version) = state?;
        loop {
            match rx.recv().await {
                Ok(RoomEvent::Change(c)) => {
                    version = version.max(c.version);
                    let ev = change_event(c.version, vec![c.area.as_str().to_string()]);
                    return Some((Ok(ev), Some((rx, guard, version))));
                }
                Ok(RoomEvent::Removed(id)) if guard.participant == Some(id) => {
                    let ev = Event::default().event("removed").data("{}");
                    return Some((Ok(ev), None));
                }
                Ok(RoomEvent::Removed(_)) => {}
                Ok(RoomEvent::Closed) | Err(broadcast::error::RecvError::Closed) => {
                    let ev = Event::default().event("closed").data("{}");
                    return Some((Ok(ev), None));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    // Missed some: say everything may have changed.
                    let ev = change_event(version, vec!["workspace".into()]);
                    return Some((Ok(ev), Some((rx, guard, version))));
                }
            }
        }
    })
}
