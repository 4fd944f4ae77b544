//! The room's API against a real server on 127.0.0.1, with hostile input: wrong token,
//! foreign Host/Origin, oversized and malformed bodies, 1,000 rapid requests from one
//! address, a replayed action id, voting past the budget or twice, asking for someone
//! else's answers, a removed participant reconnecting.
mod common;
use baton_core::room::RoomStep;
use baton_core::workshop::Team;
use common::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_or_path_gets_the_plain_page_saying_to_scan_again() {
    let room = start().await;
    let host = room.host.clone();
    for path in [
        "/r/not-the-token/api/state".to_string(),
        "/r/not-the-token/".to_string(),
        "/".to_string(),
        "/etc/passwd".to_string(),
        format!("{}x/api/state", room.prefix),
        room.path("assets/..%2f..%2fCargo.toml"),
        room.path("api/sql"),
    ] {
        let r = raw(room.addr, "GET", &path, &[("Host", &host)], b"").await;
        assert_eq!(r.status, 404, "{path}");
        if path.contains("not-the-token") || path == "/" || path.ends_with("x/api/state") {
            assert!(
                r.body.contains("Scan the code on the projector again"),
                "{path}: {}",
                r.body
            );
        }
    }
    // The right token works, and the bare room path redirects to the slash form.
    assert_eq!(room.call("GET", "api/state", None, "").await.status, 200);
    let r = raw(room.addr, "GET", &room.prefix, &[("Host", &host)], b"").await;
    assert_eq!(r.status, 308);
    assert_eq!(
        r.header("location"),
        Some(format!("{}/", room.prefix).as_str())
    );
    let page = raw(room.addr, "GET", &room.path(""), &[("Host", &host)], b"").await;
    assert!(
        page.status == 200 || page.body.contains("was not built"),
        "{page:?}"
    );
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_host_or_origin_is_refused_before_anything_else() {
    let room = start().await;
    let state = room.path("api/state");
    // DNS rebinding: the right address under another name.
    let r = raw(
        room.addr,
        "GET",
        &state,
        &[("Host", "evil.example:7420")],
        b"",
    )
    .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (403, Some("forbidden"))
    );
    // Before the token check too: a wrong token under a foreign Host is 403, not 404.
    let r = raw(
        room.addr,
        "GET",
        "/r/wrong/api/state",
        &[("Host", "evil.example")],
        b"",
    )
    .await;
    assert_eq!(r.status, 403);
    let r = raw(room.addr, "GET", &state, &[], b"").await;
    assert_eq!(r.status, 403, "no Host at all");
    // A cross-site page posting to the room.
    let h = room.host.clone();
    for origin in [
        "http://evil.example",
        "https://127.0.0.1",
        "null",
        &format!("http://{h}.evil"),
    ] {
        let r = raw(
            room.addr,
            "POST",
            &room.path("api/join"),
            &[
                ("Host", &h),
                ("Origin", origin),
                ("Content-Type", "application/json"),
            ],
            br#"{"name":"Eve","team":"other"}"#,
        )
        .await;
        assert_eq!(r.status, 403, "{origin}");
    }
    assert!(room.svc.people().unwrap().is_empty(), "nobody joined");
    // localhost is the loopback room's own name.
    let local = format!("localhost:{}", room.addr.port());
    let r = raw(room.addr, "GET", &state, &[("Host", &local)], b"").await;
    assert_eq!(r.status, 200);
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_bodies_are_refused_with_what_was_wrong() {
    let room = start().await;
    let big = format!(r#"{{"name":"{}","team":"sales"}}"#, "x".repeat(17 * 1024));
    let r = room.call("POST", "api/join", None, &big).await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (413, Some("too_large"))
    );
    for (body, says) in [
        ("{not json", "not the JSON expected"),
        (r#"{"name": 5, "team": "sales"}"#, "invalid type"),
        (r#"{"name":"Ana","team":"finance"}"#, "unknown variant"),
        (
            r#"{"name":"Ana","team":"sales","admin":true}"#,
            "unknown field",
        ),
        ("", "not the JSON expected"),
    ] {
        let r = room.call("POST", "api/join", None, body).await;
        assert_eq!(r.status, 400, "{body}");
        let j = r.json();
        assert_eq!(j["code"], "invalid");
        assert!(j["message"].as_str().unwrap().contains(says), "{body}: {j}");
    }
    let ana = room.join("Ana", Team::Sales).await;
    let r = room
        .call(
            "POST",
            "api/vote",
            Some(&ana),
            r#"{"action_id":"a","vote_id":1,"dots":"many"}"#,
        )
        .await;
    assert_eq!(r.status, 400);
    let long_id = "x".repeat(65);
    let r = room
        .call(
            "POST",
            "api/park",
            Some(&ana),
            &format!(r#"{{"action_id":"{long_id}","text":"t","anonymous":false}}"#),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("action_id"));
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rapid_requests_from_one_address_are_rate_limited() {
    let room = start().await;
    let mut statuses = Vec::new();
    for batch in 0..50 {
        let calls = (0..20).map(|_| room.call("GET", "api/state", None, ""));
        let replies = futures_util::future::join_all(calls).await;
        statuses.extend(replies.into_iter().map(|r| r.status));
        let _ = batch;
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(ok + limited, 1000, "only 200 or 429: {statuses:?}");
    assert!(
        (60..400).contains(&ok),
        "the burst then the refill rate: {ok} ok"
    );
    let r = room.call("GET", "api/state", None, "").await;
    if r.status == 429 {
        assert_eq!(r.json()["code"], "rate_limited");
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    // The address gets through again after a pause.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(room.call("GET", "api/state", None, "").await.status, 200);
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_action_id_returns_the_first_reply_and_votes_are_counted_once() {
    let room = start().await;
    let ana = room.join("Ana", Team::Sales).await;
    let bo = room.join("Bo", Team::Marketing).await;
    let vote = room
        .svc
        .dot_vote_create(None, "Next focus", &["Pains".into(), "Goals".into()], 3)
        .unwrap();
    room.svc
        .room_step(RoomStep::Vote { vote_id: vote.id })
        .unwrap();
    let ballot = |id: &str, dots: &str| {
        format!(
            r#"{{"action_id":"{id}","vote_id":{},"dots":{dots}}}"#,
            vote.id
        )
    };

    let first = room
        .call("POST", "api/vote", Some(&ana), &ballot("v1", "[2,1]"))
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["ok"], true);
    let replay = room
        .call("POST", "api/vote", Some(&ana), &ballot("v1", "[2,1]"))
        .await;
    assert_eq!((replay.status, replay.json()), (200, first.json()));
    // Twice under a new id: 409. Past the budget: 400.
    let twice = room
        .call("POST", "api/vote", Some(&ana), &ballot("v2", "[1,0]"))
        .await;
    assert_eq!(
        (twice.status, twice.json()["code"].as_str()),
        (409, Some("conflict"))
    );
    let over = room
        .call("POST", "api/vote", Some(&bo), &ballot("b1", "[3,1]"))
        .await;
    assert_eq!(over.status, 400);
    assert!(over.json()["message"]
        .as_str()
        .unwrap()
        .contains("4 dots placed"));

    let state = room.call("GET", "api/state", Some(&bo), "").await.json();
    assert_eq!(state["vote"]["ballots_cast"], 1);
    assert_eq!(
        state["vote"]["tally"],
        serde_json::json!([]),
        "hidden until revealed"
    );
    assert_eq!(state["me"]["voted"], false);
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_can_ask_for_someone_elses_answers() {
    let room = start().await;
    let ana = room.join("Ana", Team::Sales).await;
    let bo = room.join("Bo", Team::Marketing).await;
    let run = room.svc.diagnostic_start("Q3", "2026-07-01", true).unwrap();
    room.svc
        .room_step(RoomStep::Diagnostic { run_id: run.id })
        .unwrap();
    for s in 0..20 {
        let body = format!(
            r#"{{"action_id":"a{s}","run_id":{},"statement":{s},"rating":5}}"#,
            run.id
        );
        let r = room
            .call("POST", "api/diagnostic/answer", Some(&ana), &body)
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            r.json().as_object().unwrap().len(),
            2,
            "only ok and version: {}",
            r.body
        );
    }
    let ana_state = room.call("GET", "api/state", Some(&ana), "").await.json();
    assert_eq!(ana_state["me"]["answers"][0], 5);
    assert_eq!(ana_state["diagnostic"]["answered"], 1);
    // Bo, anonymous callers, and Bo naming Ana every way he can: never Ana's ratings.
    let ana_person = ana_state["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Ana")
        .unwrap()["id"]
        .clone();
    for (path, secret) in [
        ("api/state".to_string(), Some(bo.as_str())),
        ("api/state".to_string(), None),
        (
            format!("api/state?person_id={ana_person}&participant={ana}"),
            Some(bo.as_str()),
        ),
    ] {
        let r = room.call("GET", &path, secret, "").await;
        assert_eq!(r.status, 200);
        let j = r.json();
        if secret.is_some() {
            assert_eq!(j["me"]["name"], "Bo");
            assert!(j["me"]["answers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a.is_null()));
        } else {
            assert!(j["me"].is_null());
        }
        assert!(
            !r.body.contains("\"ratings\"") && !r.body.contains("score"),
            "{}",
            r.body
        );
    }
    // A guessed secret is nobody.
    let r = room
        .call(
            "GET",
            "api/state",
            Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            "",
        )
        .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (401, Some("unknown_participant"))
    );
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_participant_is_told_and_cannot_come_back() {
    let room = start().await;
    let ana = room.join("Ana", Team::Sales).await;
    let mut events = Events::open(&room, Some(&ana)).await;
    let (name, _) = events.next_event(Duration::from_secs(2)).await.unwrap();
    assert_eq!(name, "change", "a fresh change on connect");
    // The facilitator sees Ana connected.
    let status = room.handle.status().unwrap();
    assert!(status.participants[0].connected);
    assert!(status.qr_svg.unwrap().starts_with("<?xml"));
    let id = status.participants[0].id;

    room.svc.room_remove(id).unwrap();
    let mut got_removed = false;
    while let Some((name, _)) = events.next_event(Duration::from_secs(2)).await {
        if name == "removed" {
            got_removed = true;
            break;
        }
    }
    assert!(got_removed, "the removed participant's stream says so");
    for (m, path, body) in [
        ("GET", "api/state", ""),
        ("POST", "api/join", "{}"),
        (
            "POST",
            "api/park",
            r#"{"action_id":"p","text":"back door","anonymous":false}"#,
        ),
    ] {
        let r = room.call(m, path, Some(&ana), body).await;
        assert_eq!(
            (r.status, r.json()["code"].as_str()),
            (401, Some("removed")),
            "{path}"
        );
    }
    let r = raw(
        room.addr,
        "GET",
        &room.path("api/events"),
        &[("Host", &room.host), ("Cookie", &format!("baton_p={ana}"))],
        b"",
    )
    .await;
    assert_eq!(r.status, 401);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!room.handle.status().unwrap().participants[0].connected);
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_reach_every_stream_and_closing_tells_everyone() {
    let room = start().await;
    let ana = room.join("Ana", Team::Sales).await;
    let mut projector = Events::open(&room, None).await;
    assert_eq!(
        projector
            .next_event(Duration::from_secs(2))
            .await
            .unwrap()
            .0,
        "change"
    );
    let t0 = std::time::Instant::now();
    let r = room
        .call(
            "POST",
            "api/park",
            Some(&ana),
            r#"{"action_id":"p1","text":"Partner leads","anonymous":true}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let version = r.json()["version"].as_i64().unwrap();
    // The join's own change may still be on its way (a loaded machine): skip to the park's.
    let data = loop {
        let left = Duration::from_secs(1).saturating_sub(t0.elapsed());
        let (name, data) = projector.next_event(left).await.expect("within a second");
        assert_eq!(name, "change");
        let data: serde_json::Value = serde_json::from_str(&data).unwrap();
        if data["version"].as_i64() < Some(version) {
            continue;
        }
        break data;
    };
    assert!(t0.elapsed() < Duration::from_secs(1));
    assert_eq!(data["version"], version);
    assert_eq!(data["areas"], serde_json::json!(["decisions"]));
    let state = room.call("GET", "api/state", None, "").await.json();
    assert_eq!(state["parking"]["items"][0]["by"], serde_json::Value::Null);

    // A change made outside the room (the facilitator's window) reaches it too.
    room.svc.room_lock(true).unwrap();
    assert_eq!(
        projector
            .next_event(Duration::from_secs(1))
            .await
            .unwrap()
            .0,
        "change"
    );
    let r = room
        .call(
            "POST",
            "api/join",
            None,
            r#"{"name":"Late","team":"other"}"#,
        )
        .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (403, Some("forbidden"))
    );

    let svc = room.svc.clone();
    room.handle.stop().await.unwrap();
    let mut closed = false;
    while let Some((name, _)) = projector.next_event(Duration::from_secs(2)).await {
        if name == "closed" {
            closed = true;
            break;
        }
    }
    assert!(closed, "participants are told the room closed");
    assert!(!svc.room().unwrap().unwrap().open);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_sets_the_cookie_and_the_cap_is_kept() {
    let room = start_with(|c| c.participant_cap = 1).await;
    let r = room
        .call("POST", "api/join", None, r#"{"name":"Ana","team":"sales"}"#)
        .await;
    assert_eq!(r.status, 200);
    let secret = r.json()["participant"].as_str().unwrap().to_string();
    let cookie = r.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with(&format!("baton_p={secret};")),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(
        cookie.contains(&format!("Path={}/", room.prefix)),
        "{cookie}"
    );
    // The cookie alone identifies the caller.
    let r = raw(
        room.addr,
        "GET",
        &room.path("api/state"),
        &[
            ("Host", &room.host),
            ("Cookie", &format!("other=1; baton_p={secret}")),
        ],
        b"",
    )
    .await;
    assert_eq!(r.json()["me"]["name"], "Ana");
    // Rejoining with the secret is the same identity, even at the cap.
    let r = room.call("POST", "api/join", Some(&secret), "{}").await;
    assert_eq!((r.status, r.json()["name"].as_str()), (200, Some("Ana")));
    let r = room
        .call("POST", "api/join", None, r#"{"name":"Bo","team":"sales"}"#)
        .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (503, Some("room_full"))
    );
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_room_refuses_all_interfaces_and_falls_back_to_a_free_port() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    let svc = baton_service::Service::for_file(&path);
    let all = baton_room::RoomConfig::new("0.0.0.0".parse().unwrap());
    let e = baton_room::RoomServer::start(svc.clone(), all)
        .await
        .err()
        .unwrap();
    assert!(e.message.contains("one network interface"), "{}", e.message);
    // Hold 7420 so the room must take another port.
    let held = std::net::TcpListener::bind("127.0.0.1:7420");
    let h = baton_room::RoomServer::start(
        svc.clone(),
        baton_room::RoomConfig::new("127.0.0.1".parse().unwrap()),
    )
    .await
    .unwrap();
    if held.is_ok() {
        assert_ne!(h.addr().port(), 7420);
    }
    assert!(h
        .url()
        .starts_with(&format!("http://127.0.0.1:{}/r/", h.addr().port())));
    let token = svc.room().unwrap().unwrap().token;
    assert!(h.url().ends_with(&format!("/r/{token}/")));
    h.stop().await.unwrap();
    assert!(baton_room::interfaces()
        .unwrap()
        .iter()
        .any(|i| i.loopback && i.address == "127.0.0.1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_pile_up_event_streams() {
    let room = start().await;
    let mut open = Vec::new();
    for _ in 0..baton_room::MAX_STREAMS_PER_ADDRESS {
        let mut e = Events::open(&room, None).await;
        assert_eq!(
            e.next_event(Duration::from_secs(2)).await.unwrap().0,
            "change"
        );
        open.push(e);
    }
    let r = raw(
        room.addr,
        "GET",
        &room.path("api/events"),
        &[("Host", &room.host)],
        b"",
    )
    .await;
    assert_eq!(
        (r.status, r.json()["code"].as_str()),
        (429, Some("rate_limited"))
    );
    // Closing one gives its slot back.
    drop(open.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut e = Events::open(&room, None).await;
    assert_eq!(
        e.next_event(Duration::from_secs(2)).await.unwrap().0,
        "change"
    );
    room.handle.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_another_workspace_ends_the_room() {
    let room = start().await;
    let ana = room.join("Ana", Team::Sales).await;
    let mut events = Events::open(&room, Some(&ana)).await;
    assert_eq!(
        events.next_event(Duration::from_secs(2)).await.unwrap().0,
        "change"
    );
    let other = room._dir.path().join("other.baton");
    baton_store::Workspace::create(&other).unwrap();
    let svc = room.svc.clone();
    tokio::task::spawn_blocking(move || svc.workspace_open(&other))
        .await
        .unwrap()
        .unwrap();
    let mut closed = false;
    while let Some((name, _)) = events.next_event(Duration::from_secs(2)).await {
        if name == "closed" {
            closed = true;
            break;
        }
    }
    assert!(closed, "participants are told the room closed");
    let r = room.call("GET", "api/state", Some(&ana), "").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Scan the code"), "{}", r.body);
    room.handle.stop().await.unwrap();
}
