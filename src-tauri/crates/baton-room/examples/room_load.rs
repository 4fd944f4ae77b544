//! Load benchmark of the room (not a test): N simulated participants (default 100),
//! each from its own loopback address (127.0.0.2…), join `baton room open`, keep an
//! event stream open, answer the 20 diagnostic statements and cast a dot-vote ballot.
//! Reports p50/p99 from one participant's action to EVERY other client having seen it
//! on its event stream, the server's CPU time and peak RSS, and checks that no ballot
//! was lost or counted twice.
//!
//! ```text
//! cargo build -p baton-cli && cargo run -p baton-room --example room_load -- \
//!     [--baton PATH] [--participants 100] [--pace-ms 2000]
//! ```
use baton_core::room::RoomStep;
use baton_service::Service;
use std::collections::HashMap;
use std::io::BufRead;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};

struct Args {
    baton: String,
    participants: usize,
    pace: Duration,
}

fn args() -> Args {
    let mut a = Args {
        baton: std::env::var("CARGO_TARGET_DIR")
            .map(|d| format!("{d}/debug/baton"))
            .unwrap_or_else(|_| "target/debug/baton".into()),
        participants: 100,
        pace: Duration::from_millis(2000),
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    for w in v.windows(2) {
        match w[0].as_str() {
            "--baton" => a.baton = w[1].clone(),
            "--participants" => a.participants = w[1].parse().expect("--participants N"),
            "--pace-ms" => a.pace = Duration::from_millis(w[1].parse().expect("--pace-ms MS")),
            _ => {}
        }
    }
    a
}

async fn connect(from: IpAddr, to: SocketAddr) -> TcpStream {
    let s = TcpSocket::new_v4().unwrap();
    s.bind(SocketAddr::new(from, 0)).unwrap();
    s.connect(to).await.unwrap()
}

/// One request, `Connection: close`; returns status and body.
async fn call(
    from: IpAddr,
    to: SocketAddr,
    method: &str,
    path: &str,
    secret: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut s = connect(from, to).await;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {to}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(secret) = secret {
        head.push_str(&format!("X-Baton-Participant: {secret}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Seen versions of one client: version → when its event arrived.
type Seen = Arc<Mutex<HashMap<i64, Instant>>>;

async fn listen(from: IpAddr, to: SocketAddr, path: String, secret: String, seen: Seen) {
    let mut s = connect(from, to).await;
    let head = format!("GET {path} HTTP/1.1\r\nHost: {to}\r\nCookie: baton_p={secret}\r\nAccept: text/event-stream\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    let mut lines = BufReader::new(s).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(v) = line
            .strip_prefix("id: ")
            .or_else(|| line.strip_prefix("id:"))
        {
            if let Ok(v) = v.trim().parse::<i64>() {
                seen.lock().unwrap().insert(v, Instant::now());
            }
        }
    }
}

fn proc_stats(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let cpu = (ticks(11) + ticks(12)) / 100.0; // utime + stime, USER_HZ = 100
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    (cpu, hwm)
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("load.baton");
    baton_store::Workspace::create(&path).unwrap();
    let svc = Service::for_file(&path);
    let session = svc
        .session_save(
            None,
            &baton_core::workshop::SessionInput {
                title: "Load".into(),
                date: "2026-07-01".into(),
                participant_ids: vec![],
                agenda: vec![],
            },
            None,
        )
        .unwrap();
    let items: Vec<String> = (1..=5).map(|i| format!("Item {i}")).collect();
    let vote = svc
        .dot_vote_create(Some(session.id), "Focus", &items, 3)
        .unwrap();
    let run = svc.diagnostic_start("Load", "2026-07-01", false).unwrap();
    svc.room_open(Some(session.id)).unwrap();
    svc.room_step(RoomStep::Diagnostic { run_id: run.id })
        .unwrap();

    let mut child = Command::new(&a.baton)
        .arg("--workspace")
        .arg(&path)
        .args(["room", "open", "--bind", "127.0.0.1", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("run baton (build it first: cargo build -p baton-cli)");
    let pid = child.id();
    let mut first = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut first).unwrap();
    // Keep reading the server's output: a closed pipe would end it.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = first
        .trim()
        .strip_prefix("Room open: ")
        .expect("URL line")
        .to_string();
    let rest = url.strip_prefix("http://").unwrap();
    let (host, p) = rest.split_once('/').unwrap();
    let to: SocketAddr = host.parse().unwrap();
    let prefix = format!("/{p}");
    let (cpu0, _) = proc_stats(pid);

    // Join and open every stream first.
    let n = a.participants;
    assert!(
        n <= 250,
        "one loopback address each: at most 250 participants"
    );
    let addr = |i: usize| IpAddr::V4(Ipv4Addr::new(127, 0, 0, (2 + i) as u8));
    let mut secrets = Vec::new();
    let mut seen: Vec<Seen> = Vec::new();
    for i in 0..n {
        let (status, body) = call(
            addr(i),
            to,
            "POST",
            &format!("{prefix}api/join"),
            None,
            &format!(
                r#"{{"name":"P{i}","team":"{}"}}"#,
                if i % 2 == 0 { "sales" } else { "marketing" }
            ),
        )
        .await;
        assert_eq!(status, 200, "join {i}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let secret = v["participant"].as_str().unwrap().to_string();
        let s: Seen = Arc::default();
        tokio::spawn(listen(
            addr(i),
            to,
            format!("{prefix}api/events"),
            secret.clone(),
            s.clone(),
        ));
        secrets.push(secret);
        seen.push(s);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Each participant: 20 answers then a ballot, paced, starting at a random offset.
    let sent: Arc<Mutex<Vec<(i64, Instant, usize)>>> = Arc::default();
    let t_start = Instant::now();
    let mut tasks = Vec::new();
    for (i, secret) in secrets.iter().enumerate() {
        let (secret, prefix, sent, pace) = (secret.clone(), prefix.clone(), sent.clone(), a.pace);
        let (run_id, vote_id) = (run.id, vote.id);
        let from = addr(i);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(pace.mul_f64((i as f64 * 0.618) % 1.0)).await;
            for k in 0..21 {
                let (path, body) = if k < 20 {
                    ("api/diagnostic/answer", format!(r#"{{"action_id":"a{i}-{k}","run_id":{run_id},"statement":{k},"rating":{}}}"#, 1 + (i + k) % 5))
                } else {
                    let mut dots = [0u32; 5];
                    dots[i % 5] = 2;
                    dots[(i + 1) % 5] += 1;
                    ("api/vote", format!(r#"{{"action_id":"v{i}","vote_id":{vote_id},"dots":{dots:?}}}"#))
                };
                let t = Instant::now();
                let (status, reply) = call(from, to, "POST", &format!("{prefix}{path}"), Some(&secret), &body).await;
                assert_eq!(status, 200, "{path}: {reply}");
                let v: serde_json::Value = serde_json::from_str(&reply).unwrap();
                sent.lock().unwrap().push((v["version"].as_i64().unwrap(), t, i));
                if k == 19 {
                    // Everyone's phone moves to the vote once the facilitator shows it.
                    tokio::time::sleep(pace).await;
                }
                tokio::time::sleep(pace).await;
            }
        }));
    }
    // The vote step (the ballots need no step, but the projector would show it).
    svc.room_step(RoomStep::Vote { vote_id: vote.id }).unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = t_start.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (cpu1, hwm) = proc_stats(pid);

    // Latency: one action → the last of the OTHER clients to see its version.
    let sent = sent.lock().unwrap().clone();
    let mut lat = Vec::new();
    let mut missing = 0;
    for (version, t, who) in &sent {
        let mut worst = Duration::ZERO;
        for (j, s) in seen.iter().enumerate() {
            if j == *who {
                continue;
            }
            match s.lock().unwrap().get(version) {
                Some(at) => worst = worst.max(at.saturating_duration_since(*t)),
                None => missing += 1,
            }
        }
        lat.push(worst.as_secs_f64() * 1000.0);
    }
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());

    svc.dot_reveal(vote.id).unwrap();
    let v = svc
        .dot_votes(None)
        .unwrap()
        .into_iter()
        .find(|x| x.id == vote.id)
        .unwrap();
    let dots: u32 = v.tally.iter().sum();
    let answered = svc.diagnostic_run(Some(run.id)).unwrap().answered.len();
    // Ctrl-C: the room closes cleanly.
    let _ = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status();
    let _ = child.wait();

    println!(
        "participants: {n}, actions: {} in {:.1} s ({:.0}/s)",
        sent.len(),
        elapsed.as_secs_f64(),
        sent.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "action -> every other client's event stream: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        lat[lat.len() - 1]
    );
    println!("events not seen by some client: {missing}");
    println!(
        "server CPU: {:.1} s over the run; peak RSS {:.1} MiB",
        cpu1 - cpu0,
        hwm as f64 / 1024.0
    );
    println!("ballots: {} cast (expected {n}), dots {dots} (expected {}); diagnostic answered: {answered} (expected {n})", v.ballots_cast, 3 * n);
    assert_eq!(
        (v.ballots_cast as usize, dots as usize, answered),
        (n, 3 * n, n),
        "lost or double-counted"
    );
}
