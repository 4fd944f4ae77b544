//! The participant API under `/r/{token}/api/`: each handler reads the caller's
//! secret and the JSON body, calls ONE service use case on a blocking thread, and maps
//! its error to `{code, message}` with the contract's status.
use crate::guard::json_error;
use crate::Shared;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use baton_core::room::*;
use baton_core::{BatonError, ErrorCode};
use baton_service::Service;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;

/// The header the page sends its secret in; the cookie is the fallback.
pub const PARTICIPANT_HEADER: &str = "x-baton-participant";
pub const PARTICIPANT_COOKIE: &str = "baton_p";

/// The caller's secret: the header, else the `baton_p` cookie.
pub(crate) fn secret_of(headers: &HeaderMap) -> Option<String> {
    if let Some(s) = headers
        .get(PARTICIPANT_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        return Some(s.trim().to_string()).filter(|s| !s.is_empty());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == PARTICIPANT_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|s| !s.is_empty())
}

/// A service error as the contract's status and code.
pub(crate) fn error_response(e: BatonError) -> Response {
    let (status, code) = match e.code {
        ErrorCode::InvalidInput | ErrorCode::NotFound => (StatusCode::BAD_REQUEST, "invalid"),
        ErrorCode::UnknownParticipant => (StatusCode::UNAUTHORIZED, "unknown_participant"),
        ErrorCode::Removed => (StatusCode::UNAUTHORIZED, "removed"),
        ErrorCode::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        ErrorCode::Conflict => (StatusCode::CONFLICT, "conflict"),
        ErrorCode::RoomFull => (StatusCode::SERVICE_UNAVAILABLE, "room_full"),
        _ => {
            eprintln!("room: {}", e.message);
            return json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong on the host; try again",
            );
        }
    };
    json_error(status, code, &e.message)
}

/// Parse a JSON body; too large → 413, malformed → 400 saying what is wrong.
fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, Box<Response>> {
    let bytes = body.map_err(|r| {
        Box::new(if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the request is larger than 16 KiB",
            )
        } else {
            json_error(StatusCode::BAD_REQUEST, "invalid", &r.body_text())
        })
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Box::new(json_error(
            StatusCode::BAD_REQUEST,
            "invalid",
            &format!("the request is not the JSON expected: {e}"),
        ))
    })
}

/// Run a blocking use case and answer with its JSON or its error.
async fn run<T: Serialize + Send + 'static>(
    service: &Service,
    work: impl FnOnce(&Service) -> baton_core::Result<T> + Send + 'static,
) -> Response {
    let svc = service.clone();
    match tokio::task::spawn_blocking(move || work(&svc)).await {
        Ok(Ok(v)) => ([(header::CACHE_CONTROL, "no-store")], axum::Json(v)).into_response(),
        Ok(Err(e)) => error_response(e),
        Err(e) => error_response(BatonError::internal(format!("the use case failed: {e}"))),
    }
}

fn need_secret(headers: &HeaderMap) -> Result<String, Box<Response>> {
    secret_of(headers).ok_or_else(|| {
        Box::new(error_response(BatonError::new(
            ErrorCode::UnknownParticipant,
            "join the room first",
        )))
    })
}

pub(crate) async fn state(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let secret = secret_of(&headers);
    run(&shared.service, move |s| s.room_state(secret.as_deref())).await
}

pub(crate) async fn join(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let req: JoinRequest = match parse(body) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    let secret = secret_of(&headers);
    let (svc, cap) = (shared.service.clone(), shared.cap);
    match tokio::task::spawn_blocking(move || svc.room_join(secret.as_deref(), &req, cap)).await {
        Ok(Ok(reply)) => {
            // The reply carries the secret; the cookie lets EventSource (which cannot
            // send headers) and a page that lost its storage find it too.
            let cookie = format!(
                "{PARTICIPANT_COOKIE}={}; HttpOnly; SameSite=Strict; Path={}/",
                reply.participant, shared.prefix
            );
            let mut r = ([(header::CACHE_CONTROL, "no-store")], axum::Json(reply)).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Ok(Err(e)) => error_response(e),
        Err(e) => error_response(BatonError::internal(format!("joining failed: {e}"))),
    }
}

macro_rules! action {
    ($name:ident, $req:ty, $call:ident) => {
        pub(crate) async fn $name(
            State(shared): State<Arc<Shared>>,
            headers: HeaderMap,
            body: Result<Bytes, BytesRejection>,
        ) -> Response {
            let secret = match need_secret(&headers) {
                Ok(s) => s,
                Err(e) => return *e,
            };
            let req: $req = match parse(body) {
                Ok(r) => r,
                Err(e) => return *e,
            };
            run(&shared.service, move |s| s.$call(&secret, &req)).await
        }
    };
}

action!(answer, AnswerRequest, room_answer);
action!(vote, VoteRequest, room_vote);
action!(draft, DraftRequest, room_draft);
action!(park, ParkRequest, room_park);
action!(signoff, SignoffRequest, room_signoff);
