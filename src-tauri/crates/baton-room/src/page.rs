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
    // The URL carries the room token: never send it on as a referrer.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_files_keep_the_token_to_themselves_and_are_typed() {
        let r = file_response("participant.html", b"<p>x</p>");
        let h = r.headers();
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::CACHE_CONTROL], "no-store");
        assert!(h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("connect-src 'self'"));
        let js = file_response("assets/app-1a2b.js", b"1");
        assert_eq!(
            js.headers()[header::CONTENT_TYPE],
            "text/javascript; charset=utf-8"
        );
        assert!(js.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable"));
        assert_eq!(asset("../../Cargo.toml").status(), StatusCode::NOT_FOUND);
    }

    /// The room serves the participant page's files only: the desktop window's bundle
    /// (its entry in Vite's manifest) is not embedded, the page's own files are.
    #[test]
    fn only_the_participant_entry_is_embedded() {
        let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/dist");
        let manifest = std::fs::read_to_string(dist.join(".vite/manifest.json"))
            .expect("build the UI first (cd ui && npm run build)");
        let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert!(built());
        let desktop = manifest["index.html"]["file"].as_str().unwrap();
        assert!(
            find(desktop).is_none(),
            "{desktop} is served to participants"
        );
        let own = manifest["participant.html"]["file"].as_str().unwrap();
        assert!(find(own).is_some(), "{own} is missing");
        assert!(embedded::FILES.len() < std::fs::read_dir(dist.join("assets")).unwrap().count());
    }
}
