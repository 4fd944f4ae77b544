//! `baton room open` prints the URL and a QR code, serves participants until Ctrl-C,
//! then closes the room cleanly (issue 12).
#![cfg(unix)]
use baton_store::prelude::*;
use baton_store::Workspace;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;

/// `baton` itself, for a run that stays up (room open) or must fail.
fn baton() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baton"))
}

fn get(host: &str, path: &str) -> String {
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn room_open_prints_the_url_and_qr_serves_and_closes_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    common::baton(&ws, &["init"]);
    let mut child = baton()
        .arg("--workspace")
        .arg(&ws)
        .args(["room", "open", "--bind", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("Room open: ")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_string();
    let mut qr = Vec::new();
    for _ in 0..5 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        qr.push(line);
    }
    assert!(
        qr.iter()
            .all(|l| l.contains('█') || l.contains('▀') || l.contains('▄')),
        "{qr:?}"
    );

    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let token = Workspace::open(&ws).unwrap().room().unwrap().unwrap().token;
    assert_eq!(path, format!("r/{token}/"));
    let reply = get(host, &format!("/{path}api/state"));
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"step\":{\"kind\":\"welcome\"}"), "{reply}");

    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = child.wait().unwrap();
    let mut tail = String::new();
    out.read_to_string(&mut tail).unwrap();
    assert!(status.success(), "exit {status:?}");
    assert!(tail.contains("Room closed."), "{tail}");
    assert!(!Workspace::open(&ws).unwrap().room().unwrap().unwrap().open);
    assert!(
        TcpStream::connect(host).is_err(),
        "nothing listens any more"
    );
}

#[test]
fn room_open_refuses_all_interfaces() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.baton");
    common::baton(&ws, &["init"]);
    let out = baton()
        .arg("--workspace")
        .arg(&ws)
        .args(["room", "open", "--bind", "0.0.0.0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("one network interface"), "{err}");
}
