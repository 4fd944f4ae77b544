//! Action items, dot votes, campaigns, the workshop timer and the room on both backends
//! (feature `pg-tests`; scripts/with-pg.sh): each check runs on a new file and on a new
//! team database, and both must answer alike.

use super::testing::TestDb;
use super::*;
use crate::prelude::*;
use baton_core::persona::PersonaInput;
use baton_core::room::RoomStep;
use baton_core::workshop::{
    ActionInput, ActionStatus, AgendaBlock, DotVote, LeadQuality, SessionInput, Team,
};
use baton_core::{BatonError, ErrorCode};

/// Sessions and personas for these checks, through their own stores on either backend.
trait Fixtures {
    fn new_session(&self, title: &str, agenda: &[(&str, u32)]) -> i64;
    fn drop_session(&self, id: i64);
    fn session_people(&self, id: i64) -> Vec<i64>;
    fn new_persona(&self, name: &str) -> i64;
}

fn agenda_of(agenda: &[(&str, u32)]) -> Vec<AgendaBlock> {
    agenda
        .iter()
        .map(|(t, m)| AgendaBlock {
            title: t.to_string(),
            minutes: *m,
        })
        .collect()
}

impl<T: SessionStore + PersonaStore + ?Sized> Fixtures for T {
    fn new_session(&self, title: &str, agenda: &[(&str, u32)]) -> i64 {
        self.create_session(&SessionInput {
            title: title.into(),
            date: "2026-12-06".into(),
            participant_ids: vec![],
            agenda: agenda_of(agenda),
        })
        .unwrap()
        .id
    }
    fn drop_session(&self, id: i64) {
        self.delete_session(id, None).unwrap()
    }
    fn session_people(&self, id: i64) -> Vec<i64> {
        self.session(id).unwrap().participant_ids
    }
    fn new_persona(&self, name: &str) -> i64 {
        self.add_persona(&PersonaInput {
            name: name.into(),
            role: String::new(),
            company_size: String::new(),
            industry: String::new(),
            statements: vec![],
            criteria: Default::default(),
        })
        .unwrap()
        .id
    }
}

/// The stores of this area, with what their checks need.
trait WorkshopB:
    WorkspaceState
    + PeopleStore
    + ActionStore
    + DotVoteStore
    + CampaignStore
    + TimerStore
    + RoomStore
    + Fixtures
{
}
impl<
        T: WorkspaceState
            + PeopleStore
            + ActionStore
            + DotVoteStore
            + CampaignStore
            + TimerStore
            + RoomStore
            + Fixtures,
    > WorkshopB for T
{
}

/// Run `check` on a new file and a new team database; both must give the same value.
fn on_both<T: PartialEq + std::fmt::Debug>(check: impl Fn(&dyn WorkshopB) -> T) -> T {
    super::tests::alike(|f| check(f), |t| check(t))
}

/// Texts a user may type that must stay data: quotes, `;`, `$$`, a 10 kB string.
fn hostile() -> Vec<String> {
    vec![
        "O'Brien \"quoted\"".into(),
        "x'); DROP TABLE campaigns;--".into(),
        "$$ $tag$ body $tag$ $$".into(),
        "back\\slash and emoji 🎯".into(),
        "é".repeat(5_000),
    ]
}

fn action(text: &str, owner: Option<i64>, due: Option<&str>, session: Option<i64>) -> ActionInput {
    ActionInput {
        text: text.into(),
        owner_id: owner,
        due: due.map(str::to_string),
        session_id: session,
    }
}

fn code<T: std::fmt::Debug>(r: Result<T>) -> (ErrorCode, String) {
    let e = r.unwrap_err();
    (e.code, e.message)
}

#[test]
fn action_items_are_listed_and_edited_alike_on_both_backends() {
    let items = on_both(|ws| {
        let ana = ws.add_person("Ana", Team::Sales, "").unwrap().id;
        let bo = ws.add_person("Bo", Team::Marketing, "").unwrap().id;
        let s = ws.new_session("Kick-off", &[]);
        let mut ids = Vec::new();
        for (i, text) in hostile().iter().enumerate() {
            let due = ["2099-03-01", "2020-01-01", "2099-03-01", "", "2099-01-15"][i];
            let owner = [Some(ana), None, Some(bo), Some(ana), None][i];
            let input = action(&format!("  {text} "), owner, Some(due), Some(s));
            ids.push(ws.add_action(&input).unwrap().id);
        }
        // Ties on the due date are broken by id, wherever an update moved the row.
        let first = ws
            .update_action(
                ids[0],
                &action("first", Some(bo), Some("2099-03-01"), None),
                ActionStatus::InProgress,
                None,
            )
            .unwrap();
        assert_eq!(
            (first.owner_name.as_deref(), first.status),
            (Some("Bo"), ActionStatus::InProgress)
        );
        assert_eq!(first.session_id, Some(s), "an update keeps the session");
        let done = ws
            .set_action_status(ids[1], ActionStatus::Done, None)
            .unwrap();
        assert!(!done.overdue, "a done item is never overdue");
        let late = ws
            .add_action(&action("late", None, Some("2021-06-30"), None))
            .unwrap();
        assert!(late.overdue);
        assert_eq!(late.due.as_deref(), Some("2021-06-30"));
        ws.delete_person(bo, None).unwrap(); // its items keep going, without an owner
        assert_eq!(
            code(ws.add_action(&action("x", Some(99), None, None))),
            (ErrorCode::NotFound, "person 99 does not exist".into())
        );
        assert_eq!(
            code(ws.add_action(&action("x", None, None, Some(99)))),
            (ErrorCode::NotFound, "session 99 does not exist".into())
        );
        assert_eq!(
            code(ws.add_action(&action("  ", None, None, None))).0,
            ErrorCode::InvalidInput
        );
        assert_eq!(
            code(ws.add_action(&action("x", None, Some("31/12/2026"), None))).0,
            ErrorCode::InvalidInput
        );
        for missing in [
            code(ws.update_action(99, &action("x", None, None, None), ActionStatus::Open, None)),
            code(ws.set_action_status(99, ActionStatus::Done, None)),
            code(ws.delete_action(99, None)),
        ] {
            assert_eq!(
                missing,
                (ErrorCode::NotFound, "action item 99 does not exist".into())
            );
        }
        ws.delete_action(ids[4], None).unwrap();
        assert_eq!(code(ws.delete_action(ids[4], None)).0, ErrorCode::NotFound);
        assert_eq!(
            ws.data_version().unwrap(),
            0,
            "actions are not metrics data"
        );
        ws.actions().unwrap()
    });
    let order: Vec<(&str, Option<&str>)> = items
        .iter()
        .map(|a| (&a.text[..a.text.len().min(12)], a.owner_name.as_deref()))
        .collect();
    // Open ones by due date (none last; a tie by id), done ones last.
    assert_eq!(
        order,
        [
            ("late", None),
            ("first", None),
            ("$$ $tag$ bod", None),
            ("back\\slash a", Some("Ana")),
            ("x'); DROP TA", None),
        ]
    );
    assert_eq!(items[4].status, ActionStatus::Done);
    assert_eq!(items[3].due, None);
}

#[test]
fn dot_votes_keep_only_the_tally_alike_on_both_backends() {
    let (votes, in_session) = on_both(|ws| {
        let people: Vec<i64> = ["Ana", "Bo", "O'Brien; $$"]
            .iter()
            .map(|n| ws.add_person(n, Team::Sales, "").unwrap().id)
            .collect();
        let s = ws.new_session("Kick-off", &[]);
        let mut items = hostile();
        items.push(" o'brien \"QUOTED\" ".into()); // the same item in another case: dropped
        let v = ws
            .create_dot_vote(Some(s), " Where next? ", &items, 3)
            .unwrap();
        assert_eq!(v.items.len(), 5);
        assert_eq!(v.topic, "Where next?");
        let free = ws
            .create_dot_vote(None, "Lunch", &["pizza".into(), "salad".into()], 1)
            .unwrap();
        for (bad, want) in [
            (
                ws.create_dot_vote(None, " ", &items, 3),
                ErrorCode::InvalidInput,
            ),
            (
                ws.create_dot_vote(None, "t", &["a".into(), " A ".into()], 3),
                ErrorCode::InvalidInput,
            ),
            (
                ws.create_dot_vote(None, "t", &items, 0),
                ErrorCode::InvalidInput,
            ),
            (
                ws.create_dot_vote(None, "t", &items, 21),
                ErrorCode::InvalidInput,
            ),
            (
                ws.create_dot_vote(Some(99), "t", &items, 3),
                ErrorCode::NotFound,
            ),
        ] {
            assert_eq!(bad.unwrap_err().code, want);
        }
        let cast = ws.cast_dots(v.id, people[0], &[2, 0, 0, 1, 0]).unwrap();
        assert_eq!(
            (cast.ballots_cast, cast.tally.len()),
            (1, 0),
            "tally hidden"
        );
        ws.cast_dots(v.id, people[2], &[0, 0, 0, 1, 1]).unwrap();
        assert_eq!(
            code(ws.cast_dots(v.id, people[2], &[1, 0, 0, 0, 0])),
            (
                ErrorCode::Conflict,
                "O'Brien; $$ has already placed their dots on this vote".into()
            )
        );
        assert_eq!(
            code(ws.cast_dots(v.id, people[1], &[2, 2, 0, 0, 0])),
            (
                ErrorCode::InvalidInput,
                "4 dots placed; each participant has 3".into()
            )
        );
        assert_eq!(
            code(ws.cast_dots(v.id, people[1], &[1])).0,
            ErrorCode::InvalidInput
        );
        assert_eq!(
            code(ws.cast_dots(99, people[1], &[1])),
            (ErrorCode::NotFound, "dot vote 99 does not exist".into())
        );
        assert_eq!(
            code(ws.cast_dots(v.id, 99, &[1, 0, 0, 0, 0])),
            (ErrorCode::NotFound, "person 99 does not exist".into())
        );
        assert!(ws.has_voted(v.id, people[0]).unwrap());
        assert!(!ws.has_voted(v.id, people[1]).unwrap());
        let revealed = ws.reveal_dot_vote(v.id).unwrap();
        assert_eq!(revealed.tally, [2, 0, 0, 2, 1]);
        assert_eq!(
            code(ws.cast_dots(v.id, people[1], &[1, 0, 0, 0, 0])),
            (ErrorCode::Conflict, "the vote was already revealed".into())
        );
        assert_eq!(
            code(ws.reveal_dot_vote(99)),
            (ErrorCode::NotFound, "dot vote 99 does not exist".into())
        );
        assert_eq!(ws.dot_vote(free.id).unwrap(), free);
        // Created last, never written since: in a table's storage order it comes after
        // "Lunch", while "Where next?" (rewritten by each ballot) moved to the end.
        ws.create_dot_vote(Some(s), "Later", &["a".into(), "b".into()], 1)
            .unwrap();
        assert_eq!(ws.data_version().unwrap(), 0);
        (ws.dot_votes(None).unwrap(), ws.dot_votes(Some(s)).unwrap())
    });
    // Newest first; a session's own.
    assert_eq!(
        votes.iter().map(|v| v.topic.as_str()).collect::<Vec<_>>(),
        ["Later", "Lunch", "Where next?"]
    );
    assert_eq!(in_session, [votes[0].clone(), votes[2].clone()]);
    assert_eq!(votes[2].items, hostile());
}

#[test]
fn ballots_cast_at_once_from_two_team_connections_are_all_counted_once() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let people: Vec<i64> = (0..16)
        .map(|i| ws.add_person(&format!("p{i}"), Team::Sales, "").unwrap().id)
        .collect();
    let vote = ws
        .create_dot_vote(None, "t", &["a".into(), "b".into()], 2)
        .unwrap();
    // Each person casts twice at once, from two pools: one ballot each counts.
    let outcomes: Vec<Result<DotVote>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (target, people) = (db.target.clone(), people.clone());
                s.spawn(move || {
                    let ws = PgWorkspace::connect(&target).unwrap();
                    std::thread::scope(|s| {
                        let ws = &ws;
                        let hs: Vec<_> = people
                            .chunks(4)
                            .map(|chunk| {
                                s.spawn(move || {
                                    chunk
                                        .iter()
                                        .map(|p| ws.cast_dots(vote.id, *p, &[1, 1]))
                                        .collect::<Vec<_>>()
                                })
                            })
                            .collect();
                        hs.into_iter()
                            .flat_map(|h| h.join().unwrap())
                            .collect::<Vec<_>>()
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let refused: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    assert_eq!(refused.len(), 16, "{refused:?}");
    assert!(refused.iter().all(|e| e.code == ErrorCode::Conflict));
    let revealed = ws.reveal_dot_vote(vote.id).unwrap();
    assert_eq!((revealed.ballots_cast, revealed.tally), (16, vec![16, 16]));
}

#[test]
fn campaigns_and_feedback_behave_alike_on_both_backends() {
    let (campaigns, summary) = on_both(|ws| {
        let ana = ws.add_person("Ana", Team::Sales, "").unwrap().id;
        let persona = ws.new_persona("CFO");
        // Byte order after ASCII folding (NOCASE): "_" (between capitals and small
        // letters) sorts before every letter, "O'Brien" among the o's, "É" after "z";
        // ICU en-US would sort "_" and "É" elsewhere and "Alpha" after "alpha…".
        for name in ["zeta", "Émail", "beta", "_under", "Alpha", "ALPHA2"] {
            ws.save_campaign(name, None, " web ", "").unwrap();
        }
        for h in hostile() {
            ws.save_campaign(&h, Some(persona), &h, &h).unwrap();
        }
        // Saving again under another case updates the campaign; the name keeps its spelling.
        let beta = ws
            .save_campaign(" BETA ", Some(persona), "mail", "good")
            .unwrap();
        assert_eq!(
            (beta.name.as_str(), beta.channel.as_str()),
            ("beta", "mail")
        );
        let zeta = ws
            .campaigns()
            .unwrap()
            .into_iter()
            .find(|c| c.name == "zeta")
            .unwrap();
        assert_eq!(
            code(ws.update_campaign(zeta.id, "  alpha ", None, "", "")),
            (
                ErrorCode::Conflict,
                "another campaign is already called \"alpha\"".into()
            )
        );
        let renamed = ws.update_campaign(zeta.id, "Zed", None, "x", "y").unwrap();
        assert_eq!(renamed.name, "Zed");
        assert_eq!(
            code(ws.update_campaign(99, "n", None, "", "")),
            (ErrorCode::NotFound, "campaign 99 does not exist".into())
        );
        assert_eq!(
            code(ws.save_campaign("  ", None, "", "")).0,
            ErrorCode::InvalidInput
        );
        assert_eq!(
            code(ws.save_campaign("n", Some(99), "", "")),
            (ErrorCode::NotFound, "persona 99 does not exist".into())
        );
        assert_eq!(
            code(ws.update_campaign(zeta.id, "n", Some(99), "", "")).0,
            ErrorCode::NotFound
        );
        for (q, about) in [
            (LeadQuality::Good, " Webinar "),
            (LeadQuality::Poor, "webinar"),
            (LeadQuality::Mixed, ""),
        ] {
            ws.add_lead_feedback(beta.id, Some(ana), q, about, &hostile()[1])
                .unwrap();
        }
        ws.add_lead_feedback(zeta.id, None, LeadQuality::Good, "x", "")
            .unwrap();
        assert_eq!(
            code(ws.add_lead_feedback(99, None, LeadQuality::Good, "", "")),
            (ErrorCode::NotFound, "campaign 99 does not exist".into())
        );
        assert_eq!(
            code(ws.add_lead_feedback(beta.id, Some(99), LeadQuality::Good, "", "")),
            (ErrorCode::NotFound, "person 99 does not exist".into())
        );
        let gone = ws.save_campaign("gone", None, "", "").unwrap();
        ws.add_lead_feedback(gone.id, None, LeadQuality::Poor, "", "")
            .unwrap();
        ws.delete_campaign(gone.id).unwrap();
        assert_eq!(code(ws.delete_campaign(gone.id)).0, ErrorCode::NotFound);
        let mut campaigns = ws.campaigns().unwrap();
        // given_at is the wall clock: equal within a run, not across backends.
        for f in campaigns.iter_mut().flat_map(|c| c.feedback.iter_mut()) {
            f.given_at = 0;
        }
        (campaigns, ws.feedback_summary().unwrap())
    });
    let names: Vec<&str> = campaigns
        .iter()
        .map(|c| &c.name[..c.name.len().min(8)])
        .collect();
    assert_eq!(
        names,
        [
            "$$ $tag$",
            "_under",
            "Alpha",
            "ALPHA2",
            "back\\sla",
            "beta",
            "O'Brien ",
            "x'); DRO",
            "Zed",
            "Émail",
            "éééé"
        ]
    );
    let beta = &campaigns[5];
    // Newest first; within one second, the last given first.
    let abouts: Vec<&str> = beta.feedback.iter().map(|f| f.about.as_str()).collect();
    assert_eq!(abouts, ["", "webinar", "Webinar"]);
    assert_eq!(beta.feedback[0].person_id, Some(1));
    assert_eq!(summary.by_campaign.len(), 2);
}

#[test]
fn the_workshop_timer_behaves_alike_on_both_backends() {
    const T0: i64 = 1_800_000_000_000;
    on_both(|ws| {
        assert_eq!(ws.timer(T0).unwrap(), None);
        assert_eq!(
            code(ws.timer_start(T0)),
            (
                ErrorCode::Conflict,
                "no agenda block is selected: pick a block of a session on the Workshop screen first"
                    .into()
            )
        );
        assert_eq!(code(ws.timer_pause(T0)).0, ErrorCode::Conflict);
        let s = ws.new_session("O'Brien; $$", &[("Diagnostic", 30), ("Personas", 1)]);
        assert_eq!(
            code(ws.timer_select(s, 2, T0)),
            (
                ErrorCode::InvalidInput,
                "session \"O'Brien; $$\" has 2 agenda blocks; there is no block 3".into()
            )
        );
        assert_eq!(
            code(ws.timer_select(99, 0, T0)),
            (ErrorCode::NotFound, "session 99 does not exist".into())
        );
        let selected = ws.timer_select(s, 0, T0).unwrap();
        let started = ws.timer_start(T0 + 1_000).unwrap();
        let paused = ws.timer_pause(T0 + 11_000).unwrap();
        let later = ws.timer(T0 + 900_000).unwrap();
        let resumed = ws.timer_start(T0 + 900_000).unwrap();
        let running = ws.timer(T0 + 905_000).unwrap();
        let reset = ws.timer_select(s, 0, T0 + 906_000).unwrap();
        ws.timer_select(s, 1, T0).unwrap();
        ws.timer_start(T0).unwrap();
        let ended = ws.timer(T0 + 61_000).unwrap().unwrap();
        assert!(ended.ended && !ended.running && ended.remaining_ms == 0);
        assert_eq!(paused.remaining_ms, 30 * 60_000 - 10_000);
        ws.drop_session(s);
        assert_eq!(
            ws.timer(T0).unwrap(),
            None,
            "the session's timer went with it"
        );
        assert_eq!(ws.data_version().unwrap(), 0);
        (
            selected, started, paused, later, resumed, running, reset, ended,
        )
    });
}

#[test]
fn the_room_behaves_alike_on_both_backends() {
    on_both(|ws| {
        assert_eq!(ws.room().unwrap(), None);
        let none = (
            ErrorCode::NotFound,
            "no room has been opened yet".to_string(),
        );
        assert_eq!(code(ws.set_room_locked(true)), none);
        assert_eq!(code(ws.set_room_step(&RoomStep::Parking)), none);
        assert_eq!(code(ws.set_room_anonymous_parking(false)), none);
        ws.close_room().unwrap(); // nothing to close: no error, as on the file
        let s = ws.new_session("Kick-off", &[]);
        let opened = ws.open_room("tok-'; $$", Some(s)).unwrap();
        ws.close_room().unwrap();
        let closed = ws.room().unwrap().unwrap();
        // Reopening keeps the first token and, without a session, the room's session.
        let reopened = ws.open_room("tok-2", None).unwrap();
        ws.set_room_locked(true).unwrap();
        ws.set_room_step(&RoomStep::Vote { vote_id: 4 }).unwrap();
        ws.set_room_anonymous_parking(false).unwrap();
        let set = ws.room().unwrap().unwrap();

        let ana = ws.add_person("Ana", Team::Sales, "").unwrap().id;
        let bo = ws.add_person("Bo", Team::Marketing, "").unwrap().id;
        let hash_a = "a".repeat(64);
        let pb = ws.add_room_participant(bo, "b'; $$").unwrap();
        let pa = ws.add_room_participant(ana, &hash_a).unwrap();
        assert_eq!(
            code(ws.add_room_participant(ana, &hash_a)).0,
            ErrorCode::Internal,
            "a secret's hash reaches one participant only"
        );
        assert_eq!(
            code(ws.add_room_participant(99, "c")).0,
            ErrorCode::Internal,
            "a participant is a person of the workspace"
        );
        let found = ws.room_participant_by_hash(&hash_a).unwrap();
        assert!(ws.room_participant_by_hash("A").unwrap().is_none());
        ws.remove_room_participant(pb).unwrap();
        assert_eq!(
            code(ws.remove_room_participant(99)),
            (
                ErrorCode::NotFound,
                "participant 99 is not in the room".into()
            )
        );
        ws.add_session_participant(s, bo).unwrap();
        ws.add_session_participant(s, ana).unwrap();
        ws.add_session_participant(s, bo).unwrap(); // already in: nothing changes
        assert_eq!(ws.session_people(s), [ana, bo]);

        assert_eq!(ws.room_action_reply(pa, "a1").unwrap(), None);
        let reply = format!("{{\"ok\":true,\"note\":\"{}\"}}", "x".repeat(10_000));
        ws.record_room_action(pa, "a1", &reply).unwrap();
        ws.record_room_action(pb, "a1", "{}").unwrap(); // another participant's id space
        assert_eq!(
            code(ws.record_room_action(pa, "a1", "{\"ok\":false}")).0,
            ErrorCode::Internal,
            "an action id is recorded once"
        );
        assert_eq!(ws.room_action_reply(pa, "a1").unwrap(), Some(reply));
        assert_eq!(
            ws.room_action_reply(pb, "a1").unwrap().as_deref(),
            Some("{}")
        );
        ws.drop_session(s);
        assert_eq!(ws.room().unwrap().unwrap().session_id, None);
        assert_eq!(ws.data_version().unwrap(), 0);
        (
            opened,
            closed,
            reopened,
            set,
            found,
            ws.room_participants().unwrap(),
            ws.room_participant_count().unwrap(),
        )
    });
}

#[test]
fn a_nul_character_is_refused_by_a_team_workspace_naming_the_field() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let ana = ws.add_person("Ana", Team::Sales, "").unwrap().id;
    let nul = "ab\0c";
    let refused = [
        code(ws.add_action(&action(nul, None, None, None))),
        code(ws.create_dot_vote(None, nul, &["a".into(), "b".into()], 1)),
        code(ws.create_dot_vote(None, "t", &["a".into(), nul.into()], 1)),
        code(ws.save_campaign(nul, None, "", "")),
        code(ws.save_campaign("c", None, nul, "")),
        code(ws.save_campaign("c", None, "", nul)),
        code(ws.open_room(nul, None)),
        code(ws.add_room_participant(ana, nul)),
    ];
    for (code, message) in &refused {
        assert_eq!(*code, ErrorCode::InvalidInput, "{message}");
        assert!(
            message.contains("NUL character (U+0000) at byte 2"),
            "{message}"
        );
    }
    assert_eq!(
        refused[0].1,
        "the action item: the text holds a NUL character (U+0000) at byte 2, which a team \
         workspace (PostgreSQL) cannot store; remove it"
    );
    let c = ws.save_campaign("c", None, "", "").unwrap();
    for r in [
        code(ws.add_lead_feedback(c.id, None, LeadQuality::Good, nul, "")),
        code(ws.add_lead_feedback(c.id, None, LeadQuality::Good, "", nul)),
        code(ws.update_campaign(c.id, nul, None, "", "")),
        code(ws.update_action(1, &action(nul, None, None, None), ActionStatus::Open, None)),
    ] {
        assert_eq!(r.0, ErrorCode::InvalidInput, "{}", r.1);
    }
    ws.open_room("tok", None).unwrap();
    let p = ws.add_room_participant(ana, "h").unwrap();
    assert_eq!(
        code(ws.record_room_action(p, nul, "{}")).0,
        ErrorCode::InvalidInput
    );
    assert_eq!(ws.room_action_reply(p, nul).unwrap(), None);
    assert_eq!(ws.room_participant_by_hash(nul).unwrap(), None);
    // Nothing was written.
    assert!(ws.actions().unwrap().is_empty());
    assert!(ws.dot_votes(None).unwrap().is_empty());
    let campaigns = ws.campaigns().unwrap();
    assert_eq!(campaigns.len(), 1);
    assert!(campaigns[0].feedback.is_empty());
    assert_eq!(ws.room().unwrap().unwrap().token, "tok");
    assert_eq!(ws.room_participants().unwrap().len(), 1);
}

/// What the room's participant action does in one transaction (`baton-service::room`):
/// answer a replayed action id from the log, else run the action and log its reply.
fn vote_once(
    ws: &PgWorkspace,
    who: i64,
    person: i64,
    action_id: &str,
    vote: i64,
) -> Result<String> {
    ws.transaction("voting", |tx| {
        if let Some(reply) = tx.room_action_reply(who, action_id)? {
            return Ok(reply);
        }
        let v = tx.cast_dots(vote, person, &[1, 0])?;
        let reply = format!("{{\"ok\":true,\"version\":{}}}", v.ballots_cast);
        tx.record_room_action(who, action_id, &reply)?;
        // Read back on the transaction's connection before the commit.
        assert_eq!(tx.dot_vote(vote)?.ballots_cast, v.ballots_cast);
        assert_eq!(
            tx.room_action_reply(who, action_id)?.as_deref(),
            Some(&*reply)
        );
        Ok(reply)
    })
}

#[test]
fn a_participant_action_and_its_log_entry_commit_together_on_a_team_workspace() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let ana = ws.add_person("Ana", Team::Sales, "").unwrap().id;
    ws.open_room("tok", None).unwrap();
    let who = ws.add_room_participant(ana, &"h".repeat(64)).unwrap();
    let vote = ws
        .create_dot_vote(None, "t", &["a".into(), "b".into()], 1)
        .unwrap();
    // An action that fails after its ballot leaves neither the ballot nor the log entry.
    let err = ws
        .transaction("voting", |tx| {
            tx.cast_dots(vote.id, ana, &[1, 0])?;
            tx.record_room_action(who, "a1", "{}")?;
            Err::<(), _>(BatonError::internal("the reply could not be sent"))
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert!(!ws.has_voted(vote.id, ana).unwrap());
    assert_eq!(ws.room_action_reply(who, "a1").unwrap(), None);
    // Run, then replayed: the same reply, the ballot counted once.
    let first = vote_once(&ws, who, ana, "a1", vote.id).unwrap();
    let replayed = vote_once(&ws, who, ana, "a1", vote.id).unwrap();
    assert_eq!(
        (first.as_str(), replayed.as_str()),
        ("{\"ok\":true,\"version\":1}", first.as_str())
    );
    // A new action id is a second ballot: refused, and nothing logged for it.
    assert_eq!(
        vote_once(&ws, who, ana, "a2", vote.id).unwrap_err().code,
        ErrorCode::Conflict
    );
    assert_eq!(ws.room_action_reply(who, "a2").unwrap(), None);
    assert_eq!(ws.reveal_dot_vote(vote.id).unwrap().tally, [1, 0]);
}

#[test]
fn the_timer_is_read_on_the_transaction_that_set_it() {
    let db = TestDb::new();
    let ws = PgWorkspace::open(&db.target).unwrap();
    let s = ws.new_session("Kick-off", &[("Diagnostic", 30)]);
    let other = PgWorkspace::open(&db.target).unwrap();
    ws.transaction("timing", |tx| {
        tx.timer_select(s, 0, 0)?;
        let running = tx.timer_start(1_000)?;
        assert!(running.running);
        assert_eq!(
            tx.timer(61_000)?.unwrap().remaining_ms,
            30 * 60_000 - 60_000
        );
        assert_eq!(other.timer(0)?, None, "not seen before the commit");
        Ok(())
    })
    .unwrap();
    assert!(other.timer(0).unwrap().is_some());
}
