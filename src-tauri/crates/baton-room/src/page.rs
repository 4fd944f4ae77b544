//! The participant page, embedded at build time from the Vite build (see `build.rs`).
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/page.rs"));
}

/// The page's content security policy: its own scripts, styles and API only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn find(name: &str) -> Option<&'static [u8]> {
    embedded::FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

/// Whether this build carries the participant page.
pub fn built() -> bool {
    find("participant.html").is_some()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// `participant.html`, or a page saying this Baton was built without it.
pub fn index() -> Response {
    match find("participant.html") {
        Some(bytes) => file_response("participant.html", bytes),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><meta charset=utf-8><title>Baton</title>\
             <p>The participant page was not built into this Baton. \
             Build the UI (<code>npm run build</code> in <code>ui/</code>) and rebuild Baton.</p>",
        )
            .into_response(),
    }
}

/// One file under `assets/`; names are matched exactly, so nothing else is reachable.
pub fn asset(file: &str) -> Response {
    let name = format!("assets/{file}");
    match find(&name) {
        Some(bytes) => file_response(&name, bytes),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn file_response(name: &str, bytes: &'static [u8]) -> Response {
    let mut r = ([(header::CONTENT_TYPE, content_type(name))], bytes).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    if name.starts_with("assets/") {
        // Vite names assets by content hash.
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}
