//! A real room on 127.0.0.1 and a small raw HTTP/1.1 client, so tests control every
//! header (Host, Origin, cookies) and body byte.
#![allow(dead_code)]
use baton_core::workshop::{SessionInput, Team};
use baton_room::{RoomConfig, RoomHandle, RoomServer};
use baton_service::Service;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Room {
    pub _dir: tempfile::TempDir,
    pub svc: Service,
    pub handle: RoomHandle,
    pub addr: SocketAddr,
    pub host: String,
    pub prefix: String,
}

pub async fn start_with(config: impl FnOnce(&mut RoomConfig)) -> Room {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    let svc = Service::for_file(&path);
    let session = svc
        .session_save(
            None,
            &SessionInput {
                title: "Q3 alignment".into(),
                date: "2026-07-01".into(),
                participant_ids: vec![],
                agenda: vec![],
            },
            None,
        )
        .unwrap();
    let mut c = RoomConfig::new("127.0.0.1".parse().unwrap());
    c.port = Some(0);
    c.session_id = Some(session.id);
    config(&mut c);
    let handle = RoomServer::start(svc.clone(), c).await.unwrap();
    let addr = handle.addr();
    let url = handle.url().to_string();
    let host = format!("127.0.0.1:{}", addr.port());
    let prefix = url
        .strip_prefix(&format!("http://{host}"))
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    Room {
        _dir: dir,
        svc,
        handle,
        addr,
        host,
        prefix,
    }
}

pub async fn start() -> Room {
    start_with(|_| {}).await
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Send one request with exactly these headers (plus Content-Length and
/// `Connection: close`) and read the whole reply.
pub async fn raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    s.write_all(head.as_bytes()).await.unwrap();
    // A server may answer (413) before reading a large body; ignore a reset here.
    let _ = s.write_all(body).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(15), s.read_to_end(&mut buf)).await;
    parse(&buf)
}

fn parse(buf: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Room {
    pub fn path(&self, rest: &str) -> String {
        format!("{}/{rest}", self.prefix)
    }

    /// A request from the room's own page (right Host and Origin).
    pub async fn call(&self, method: &str, rest: &str, secret: Option<&str>, body: &str) -> Reply {
        let origin = format!("http://{}", self.host);
        let mut h = vec![
            ("Host", self.host.as_str()),
            ("Origin", origin.as_str()),
            ("Content-Type", "application/json"),
        ];
        if let Some(s) = secret {
            h.push(("X-Baton-Participant", s));
        }
        raw(self.addr, method, &self.path(rest), &h, body.as_bytes()).await
    }

    pub async fn join(&self, name: &str, team: Team) -> String {
        let r = self
            .call(
                "POST",
                "api/join",
                None,
                &format!(r#"{{"name":"{name}","team":"{}"}}"#, team.as_str()),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["participant"].as_str().unwrap().to_string()
    }
}

/// An open event stream; `next_event` reads until one whole event arrives.
pub struct Events {
    s: TcpStream,
    buf: String,
}

impl Events {
    pub async fn open(room: &Room, secret: Option<&str>) -> Events {
        let mut s = TcpStream::connect(room.addr).await.unwrap();
        let mut head = format!(
            "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n",
            room.path("api/events"),
            room.host
        );
        if let Some(secret) = secret {
            head.push_str(&format!("Cookie: baton_p={secret}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).await.unwrap();
        Events {
            s,
            buf: String::new(),
        }
    }

    /// The next event's `event:` name and `data:`, or None on timeout or end.
    pub async fn next_event(&mut self, within: Duration) -> Option<(String, String)> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            // Events end with a blank line; skip the HTTP head and chunk sizes.
            if let Some(ev) = self.take_event() {
                return Some(ev);
            }
            let mut chunk = [0u8; 4096];
            let n = tokio::time::timeout_at(deadline, self.s.read(&mut chunk))
                .await
                .ok()?
                .ok()?;
            if n == 0 {
                return self.take_event();
            }
            self.buf.push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    }

    fn take_event(&mut self) -> Option<(String, String)> {
        let start = self.buf.find("event:")?;
        let end = self.buf[start..].find("\n\n")? + start;
        let block = self.buf[start..end].to_string();
        self.buf.drain(..end + 2);
        let field = |name: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        Some((field("event:"), field("data:")))
    }
}
