//! The room's use cases: identity by secret, idempotent actions, resumable diagnostic
//! answers, and the privacy rules every front end (the room's HTTP server, the window)
//! gets from the service.
use baton_core::agreement::{DefinitionContent, Subject};
use baton_core::room::*;
use baton_core::workshop::{SessionInput, Team};
use baton_core::ErrorCode;
use baton_service::{Area, Service};

fn service() -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    (dir, Service::for_file(&path))
}

/// A room open on a new session.
fn room(svc: &Service) -> i64 {
    let s = svc
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
    svc.room_open(Some(s.id)).unwrap();
    s.id
}

fn join(svc: &Service, name: &str, team: Team) -> String {
    svc.room_join(
        None,
        &JoinRequest {
            name: Some(name.into()),
            team: Some(team),
            person_id: None,
        },
        100,
    )
    .unwrap()
    .participant
}

fn vote_req(id: &str, vote_id: i64, dots: Vec<u32>) -> VoteRequest {
    VoteRequest {
        action_id: id.into(),
        vote_id,
        dots,
    }
}

#[test]
fn a_secret_brings_back_the_same_identity_and_only_its_hash_is_stored() {
    let (dir, svc) = service();
    let session = room(&svc);
    let secret = join(&svc, "Ana", Team::Sales);
    assert!(secret.len() >= 22, "128+ bits: {secret}");
    let again = svc
        .room_join(
            Some(&secret),
            &JoinRequest {
                name: Some("Someone else".into()),
                team: Some(Team::Other),
                person_id: None,
            },
            100,
        )
        .unwrap();
    assert_eq!(
        (again.participant.as_str(), again.name.as_str()),
        (secret.as_str(), "Ana")
    );
    assert_eq!(svc.people().unwrap().len(), 1, "no new person on rejoin");
    // The new person joined the room's session, so others can pick them.
    let sessions = svc.sessions().unwrap();
    assert_eq!(sessions[0].id, session);
    assert_eq!(sessions[0].participant_ids.len(), 1);

    let state = svc.room_state(Some(&secret)).unwrap();
    assert_eq!(state.me.unwrap().name, "Ana");
    assert_eq!(state.joined, 1);
    assert!(svc.room_state(None).unwrap().me.is_none());
    let unknown = svc.room_state(Some("not-a-secret")).unwrap_err();
    assert_eq!(unknown.code, ErrorCode::UnknownParticipant);

    // The secret is nowhere in the file; its SHA-256 is.
    let bytes = std::fs::read(dir.path().join("w.baton")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(&secret));
    assert!(text.contains(&baton_service::room::secret_hash(&secret)));
}

#[test]
fn picking_yourself_locking_the_cap_and_removal() {
    let (_dir, svc) = service();
    room(&svc);
    join(&svc, "Ana", Team::Sales);
    let ana = svc.room_state(None).unwrap().people[0].id;
    let picked = svc
        .room_join(
            None,
            &JoinRequest {
                name: None,
                team: None,
                person_id: Some(ana),
            },
            100,
        )
        .unwrap();
    assert_eq!(picked.name, "Ana");
    // Someone not in the session cannot be picked.
    let outsider = svc.person_save(None, "Out", Team::Other, "", None).unwrap();
    let e = svc
        .room_join(
            None,
            &JoinRequest {
                name: None,
                team: None,
                person_id: Some(outsider.id),
            },
            100,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    // Half a join request is refused with what to send.
    let e = svc
        .room_join(
            None,
            &JoinRequest {
                name: Some("Bo".into()),
                team: None,
                person_id: None,
            },
            100,
        )
        .unwrap_err();
    assert!(e.message.contains("{name, team}"), "{}", e.message);

    // The cap counts participants still in.
    let e = svc
        .room_join(
            None,
            &JoinRequest {
                name: Some("Cy".into()),
                team: Some(Team::Marketing),
                person_id: None,
            },
            2,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::RoomFull);

    svc.room_lock(true).unwrap();
    let e = svc
        .room_join(
            None,
            &JoinRequest {
                name: Some("Cy".into()),
                team: Some(Team::Marketing),
                person_id: None,
            },
            100,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Forbidden);
    // A joined participant still gets back in while locked.
    assert_eq!(
        svc.room_join(
            Some(&picked.participant),
            &JoinRequest {
                name: None,
                team: None,
                person_id: None
            },
            100
        )
        .unwrap()
        .name,
        "Ana"
    );

    let status = svc.room_status(&|_| true).unwrap();
    assert_eq!(status.participants.len(), 2);
    let id = status.participants[1].id;
    svc.room_remove(id).unwrap();
    let e = svc.room_state(Some(&picked.participant)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Removed);
    let e = svc
        .room_join(
            Some(&picked.participant),
            &JoinRequest {
                name: None,
                team: None,
                person_id: None,
            },
            100,
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Removed);
    let e = svc
        .room_park(
            &picked.participant,
            &ParkRequest {
                action_id: "p1".into(),
                text: "x".into(),
                anonymous: false,
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Removed);
    let status = svc.room_status(&|_| true).unwrap();
    assert!(status.participants[1].removed && !status.participants[1].connected);
}

#[test]
fn diagnostic_answers_are_kept_one_at_a_time_and_count_once_all_twenty_are_in() {
    let (_dir, svc) = service();
    room(&svc);
    let ana = join(&svc, "Ana", Team::Sales);
    let bo = join(&svc, "Bo", Team::Marketing);
    let run = svc.diagnostic_start("Q3", "2026-07-01", false).unwrap();
    svc.room_step(RoomStep::Diagnostic { run_id: run.id })
        .unwrap();
    let answer = |secret: &str, action: &str, statement: u32, rating: u8| {
        svc.room_answer(
            secret,
            &AnswerRequest {
                action_id: action.into(),
                run_id: run.id,
                statement,
                rating,
            },
        )
    };
    for s in 0..19 {
        answer(&ana, &format!("a{s}"), s, 5).unwrap();
    }
    let state = svc.room_state(Some(&ana)).unwrap();
    let mine = state.me.unwrap().answers;
    assert_eq!(mine.iter().filter(|a| a.is_some()).count(), 19);
    assert_eq!(mine[19], None);
    assert_eq!(state.diagnostic.as_ref().unwrap().answered, 0);
    assert!(svc
        .diagnostic_run(Some(run.id))
        .unwrap()
        .answered
        .is_empty());

    answer(&ana, "a19", 19, 4).unwrap();
    assert_eq!(
        svc.room_state(None).unwrap().diagnostic.unwrap().answered,
        1
    );
    // Changing an answer after all 20 updates the response, still one respondent.
    answer(&ana, "a19b", 19, 2).unwrap();
    assert_eq!(svc.diagnostic_run(Some(run.id)).unwrap().answered.len(), 1);

    // Bo sees only his own (empty) answers, never Ana's ratings.
    let bo_state = svc.room_state(Some(&bo)).unwrap();
    assert!(bo_state
        .me
        .as_ref()
        .unwrap()
        .answers
        .iter()
        .all(Option::is_none));
    let json = serde_json::to_string(&bo_state).unwrap();
    assert!(!json.contains("rating"), "{json}");
    let run_json = serde_json::to_string(&bo_state.diagnostic).unwrap();
    assert!(
        !run_json.contains("Ana"),
        "no one's name next to the run: {run_json}"
    );

    // Out-of-range input is refused with what was expected.
    let e = answer(&bo, "b1", 20, 3).unwrap_err();
    assert!(e.message.contains("statements 0 to 19"), "{}", e.message);
    let e = answer(&bo, "b2", 0, 6).unwrap_err();
    assert!(e.message.contains("expected 1"), "{}", e.message);
    svc.diagnostic_close(run.id).unwrap();
    assert_eq!(
        answer(&bo, "b3", 0, 3).unwrap_err().code,
        ErrorCode::Conflict
    );
}

#[test]
fn a_replayed_action_id_returns_the_first_reply_and_writes_nothing() {
    let (_dir, svc) = service();
    let session = room(&svc);
    let ana = join(&svc, "Ana", Team::Sales);
    let bo = join(&svc, "Bo", Team::Marketing);
    let vote = svc
        .dot_vote_create(
            Some(session),
            "Next focus",
            &["Pains".into(), "Goals".into()],
            3,
        )
        .unwrap();
    svc.room_step(RoomStep::Vote { vote_id: vote.id }).unwrap();
    let feed = svc.feed().subscribe();

    let first = svc
        .room_vote(&ana, &vote_req("v1", vote.id, vec![2, 1]))
        .unwrap();
    let change = feed.try_recv().unwrap();
    assert_eq!(
        (change.area, change.id, change.version),
        (Area::Votes, Some(vote.id), first.version)
    );
    let replay = svc
        .room_vote(&ana, &vote_req("v1", vote.id, vec![2, 1]))
        .unwrap();
    assert_eq!(replay, first);
    assert!(feed.try_recv().is_err(), "a replay publishes nothing");
    assert_eq!(svc.dot_votes(None).unwrap()[0].ballots_cast, 1);

    // Twice with a new id: refused. Past the budget: refused.
    let e = svc
        .room_vote(&ana, &vote_req("v2", vote.id, vec![1, 0]))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let e = svc
        .room_vote(&bo, &vote_req("b1", vote.id, vec![3, 1]))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("4 dots placed"), "{}", e.message);
    // The same action id from another participant is that participant's own action.
    svc.room_vote(&bo, &vote_req("v1", vote.id, vec![0, 3]))
        .unwrap();

    let state = svc.room_state(Some(&bo)).unwrap();
    let v = state.vote.unwrap();
    assert_eq!(v.ballots_cast, 2);
    assert!(v.tally.is_empty(), "no tally before the reveal");
    assert!(state.me.unwrap().voted);
    svc.dot_reveal(vote.id).unwrap();
    assert_eq!(svc.room_state(None).unwrap().vote.unwrap().tally, [2, 4]);

    let e = svc
        .room_vote(&ana, &vote_req("", vote.id, vec![1, 0]))
        .unwrap_err();
    assert!(e.message.contains("action_id"), "{}", e.message);
}

#[test]
fn blind_drafts_sign_off_and_the_parking_lot_from_phones() {
    let (_dir, svc) = service();
    room(&svc);
    let ana = join(&svc, "Ana", Team::Sales);
    let mia = join(&svc, "Mia", Team::Marketing);
    let lee = join(&svc, "Lee", Team::Leadership);
    let a = svc
        .agreement_open(
            &Subject::Stage {
                stage_id: "mql".into(),
            },
            "MQL",
        )
        .unwrap();
    svc.room_step(RoomStep::Drafting { agreement_id: a.id })
        .unwrap();
    let draft = |secret: &str, id: &str, summary: &str| {
        svc.room_draft(
            secret,
            &DraftRequest {
                action_id: id.into(),
                agreement_id: a.id,
                content: DefinitionContent {
                    summary: summary.into(),
                    ..Default::default()
                },
            },
        )
    };
    draft(&ana, "d1", "Asked for a demo").unwrap();
    assert!(
        draft(&lee, "d1", "Anything").is_err(),
        "leadership does not draft"
    );
    let s = svc.room_state(Some(&ana)).unwrap();
    assert!(s.me.unwrap().drafted);
    let d = s.drafting.unwrap();
    assert!(d.sales_submitted && !d.marketing_submitted && !d.revealed);
    draft(&mia, "d2", "Downloaded two papers").unwrap();
    svc.blind_reveal(a.id).unwrap();
    svc.blind_merge(
        a.id,
        DefinitionContent {
            summary: "Asked for a demo or downloaded two papers".into(),
            ..Default::default()
        },
    )
    .unwrap();

    svc.room_step(RoomStep::Signoff { agreement_id: a.id })
        .unwrap();
    let sign = |secret: &str| {
        svc.room_signoff(
            secret,
            &SignoffRequest {
                action_id: "s1".into(),
                agreement_id: a.id,
            },
        )
    };
    sign(&ana).unwrap();
    let s = svc.room_state(Some(&ana)).unwrap().signoff.unwrap();
    assert!(s.sales_signed && !s.marketing_signed);
    assert_eq!(s.text, "Asked for a demo or downloaded two papers");
    sign(&mia).unwrap();
    assert!(svc
        .agreements()
        .unwrap()
        .iter()
        .any(|x| x.id == a.id && x.agreed));

    let park = |secret: &str, id: &str, anonymous: bool| {
        svc.room_park(
            secret,
            &ParkRequest {
                action_id: id.into(),
                text: "Partner leads".into(),
                anonymous,
            },
        )
    };
    park(&ana, "p1", false).unwrap();
    park(&mia, "p1", true).unwrap();
    let items = svc.room_state(None).unwrap().parking.items;
    assert_eq!(
        items.iter().map(|i| i.by.clone()).collect::<Vec<_>>(),
        [Some("Ana".to_string()), None]
    );
    svc.room_anonymous_parking(false).unwrap();
    assert_eq!(
        park(&mia, "p2", true).unwrap_err().code,
        ErrorCode::Forbidden
    );
}

#[test]
fn a_restarted_host_keeps_the_token_and_the_participants_secrets() {
    let (dir, svc) = service();
    room(&svc);
    let token = svc.room().unwrap().unwrap().token;
    assert!(token.len() >= 22);
    let ana = join(&svc, "Ana", Team::Sales);
    svc.room_close().unwrap();
    drop(svc);

    let svc = Service::for_file(&dir.path().join("w.baton"));
    let reopened = svc.room_open(None).unwrap();
    assert_eq!(reopened.token, token);
    assert!(reopened.session_id.is_some(), "the session is kept too");
    assert_eq!(svc.room_state(Some(&ana)).unwrap().me.unwrap().name, "Ana");
}

#[test]
fn steps_must_point_at_something_that_exists() {
    let (_dir, svc) = service();
    room(&svc);
    assert_eq!(
        svc.room_step(RoomStep::Vote { vote_id: 99 })
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    let run = svc.diagnostic_start("Q3", "2026-07-01", false).unwrap();
    svc.diagnostic_close(run.id).unwrap();
    assert_eq!(
        svc.room_step(RoomStep::Diagnostic { run_id: run.id })
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    svc.room_step(RoomStep::Parking).unwrap();
    assert_eq!(svc.room_state(None).unwrap().step, RoomStep::Parking);
}
