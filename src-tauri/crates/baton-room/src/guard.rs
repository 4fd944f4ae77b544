//! What every request passes before the API sees it, outermost first: the Host and
//! Origin check (DNS rebinding, cross-site requests: 403 before anything else), the
//! per-address rate limit (429), and the room token (constant-time; a wrong token gets
//! a plain 404 page).
use crate::Shared;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

/// Requests allowed per address: a burst, refilled at a steady rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: f64,
}

impl Default for RateLimit {
    /// A phone's page makes a few requests per action; 100 people share the room but
    /// each has their own address.
    fn default() -> Self {
        Self {
            per_second: 20.0,
            burst: 60.0,
        }
    }
}

/// Token buckets per client address.
#[derive(Default)]
pub(crate) struct Limiter {
    buckets: HashMap<IpAddr, (f64, Instant)>,
}

impl Limiter {
    /// Take one request from `ip`'s bucket; false when it is empty.
    pub(crate) fn allow(&mut self, ip: IpAddr, limit: RateLimit, now: Instant) -> bool {
        if self.buckets.len() > 10_000 {
            // Forget addresses whose bucket has refilled (bounded memory under a scan).
            self.buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * limit.per_second < limit.burst
            });
        }
        let (tokens, at) = self.buckets.entry(ip).or_insert((limit.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * limit.per_second).min(limit.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Equal strings, compared in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({ "code": code, "message": message })),
    )
        .into_response()
}

/// The plain page for a wrong or expired room link.
pub(crate) fn not_found_page() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\">\
         <title>Baton room</title><p>This room link is not valid any more. \
         Scan the code on the projector again.</p>",
    )
        .into_response()
}

/// 403 unless `Host` is the address the room serves on and `Origin`, when sent, is
/// the room's own.
pub(crate) async fn host_and_origin(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    let host_ok = host
        .as_deref()
        .is_some_and(|h| shared.hosts.iter().any(|a| a == h));
    let origin_ok = match req.headers().get(header::ORIGIN) {
        None => true,
        Some(o) => o.to_str().is_ok_and(|o| {
            let o = o.to_ascii_lowercase();
            shared
                .hosts
                .iter()
                .any(|a| o.strip_prefix("http://") == Some(a.as_str()))
        }),
    };
    if !host_ok || !origin_ok {
        return json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this request did not come from the room's own page",
        );
    }
    next.run(req).await
}

/// 429 once an address has used its allowance.
pub(crate) async fn rate_limit(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    let allowed = shared
        .limiter
        .lock()
        .map(|mut l| l.allow(peer.ip(), shared.rate, Instant::now()))
        .unwrap_or(false);
    if !allowed {
        let mut r = json_error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests from this device; wait a moment",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return r;
    }
    next.run(req).await
}

/// Everything lives under `/r/{token}`; any other path or token gets the plain 404.
pub(crate) async fn token(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let given = path
        .strip_prefix("/r/")
        .map(|rest| rest.split('/').next().unwrap_or(""));
    match given {
        Some(t) if constant_time_eq(t.as_bytes(), shared.token.as_bytes()) => next.run(req).await,
        _ => not_found_page(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn buckets_refill_at_the_rate_and_cap_at_the_burst() {
        let limit = RateLimit {
            per_second: 10.0,
            burst: 3.0,
        };
        let mut l = Limiter::default();
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!((0..3).all(|_| l.allow(ip, limit, t0)));
        assert!(!l.allow(ip, limit, t0));
        // Another address has its own bucket.
        assert!(l.allow("10.0.0.3".parse().unwrap(), limit, t0));
        assert!(l.allow(ip, limit, t0 + Duration::from_millis(110)));
        assert!(!l.allow(ip, limit, t0 + Duration::from_millis(110)));
        let later = t0 + Duration::from_secs(60);
        assert_eq!((0..10).filter(|_| l.allow(ip, limit, later)).count(), 3);
    }

    #[test]
    fn tokens_compare_equal_only_when_equal() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
