//! Check-then-write races: two threads, each with its own connection on the same
//! file (two windows, or a window and the CLI), started together by a barrier and
//! repeated, so a check made outside the write transaction shows up as a failure.

use crate::Workspace;
use baton_core::agreement::{DefinitionContent, Subject};
use baton_core::persona::PersonaInput;
use baton_core::workshop::Team;
use baton_core::{ErrorCode, Result};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

const ROUNDS: usize = 50;

/// Run `a` and `b` at once, each on its own connection to `path`.
fn at_once<A, B, RA, RB>(path: &Path, a: A, b: B) -> (RA, RB)
where
    A: FnOnce(&Workspace) -> RA + Send + 'static,
    B: FnOnce(&Workspace) -> RB + Send + 'static,
    RA: Send + 'static,
    RB: Send + 'static,
{
    let barrier = Arc::new(Barrier::new(2));
    let (pa, ba) = (path.to_path_buf(), barrier.clone());
    let ta = std::thread::spawn(move || {
        let ws = Workspace::open(&pa).unwrap();
        ba.wait();
        a(&ws)
    });
    let pb = path.to_path_buf();
    let tb = std::thread::spawn(move || {
        let ws = Workspace::open(&pb).unwrap();
        barrier.wait();
        b(&ws)
    });
    (ta.join().unwrap(), tb.join().unwrap())
}

fn workspace() -> (tempfile::TempDir, PathBuf, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    let ws = Workspace::create(&path).unwrap();
    (dir, path, ws)
}

fn content(summary: &str) -> DefinitionContent {
    DefinitionContent {
        summary: summary.into(),
        ..Default::default()
    }
}

#[test]
fn a_sign_off_racing_an_edit_signs_the_latest_version_or_is_refused() {
    let (_d, path, ws) = workspace();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    for round in 0..ROUNDS {
        let stage_id = format!("stage_{round}");
        let id = ws
            .ensure_agreement(&Subject::Stage { stage_id }, "Stage")
            .unwrap();
        ws.edit_definition(id, content("v1"), None).unwrap();
        let (signed, edited) = at_once(
            &path,
            move |ws| ws.sign_off(id, sam, 1),
            move |ws| ws.edit_definition(id, content("v2"), None),
        );
        edited.unwrap();
        let now = ws.agreement(id).unwrap();
        let v1 = now.versions.iter().find(|v| v.version == 1).unwrap();
        match signed {
            // Signed first: what it returns is the agreement as the sign-off left it,
            // version 1 still the latest, with Sam on it.
            Ok(a) => {
                assert_eq!(
                    a.versions[0].version, 1,
                    "round {round}: signed a stale version"
                );
                assert_eq!(a.versions[0].sign_offs[0].person_id, sam);
                assert_eq!(v1.sign_offs.len(), 1);
            }
            // The edit came first: refused, and nothing was written.
            Err(e) => {
                assert_eq!(e.code, ErrorCode::Conflict, "round {round}: {}", e.message);
                assert!(e.message.contains("no longer the latest"), "{}", e.message);
                assert!(v1.sign_offs.is_empty());
            }
        }
    }
}

#[test]
fn sales_and_marketing_signing_a_new_persona_at_once_sign_one_version() {
    let (_d, path, ws) = workspace();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    let mia = ws.add_person("Mia", Team::Marketing, "").unwrap().id;
    for round in 0..ROUNDS {
        let persona = ws
            .add_persona(&PersonaInput {
                name: format!("Persona {round}"),
                role: "CTO".into(),
                company_size: String::new(),
                industry: String::new(),
                statements: Vec::new(),
                criteria: Default::default(),
            })
            .unwrap()
            .id;
        let (a, b) = at_once(
            &path,
            move |ws| ws.sign_persona(persona, sam),
            move |ws| ws.sign_persona(persona, mia),
        );
        a.unwrap();
        b.unwrap();
        let agreement = ws
            .agreement_for(&Subject::Persona {
                persona_id: persona,
            })
            .unwrap()
            .unwrap();
        assert_eq!(
            agreement.versions.len(),
            1,
            "round {round}: each signer wrote their own version"
        );
        assert!(agreement.agreed, "round {round}");
    }
}

#[test]
fn two_ballots_from_one_voter_at_once_count_once() {
    let (_d, path, ws) = workspace();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    let items = ["A".to_string(), "B".into()];
    for round in 0..ROUNDS {
        let vote = ws.create_dot_vote(None, "Next?", &items, 3).unwrap().id;
        let (a, b) = at_once(
            &path,
            move |ws| ws.cast_dots(vote, sam, &[2, 1]),
            move |ws| ws.cast_dots(vote, sam, &[0, 3]),
        );
        let (won, lost): (Vec<Result<_>>, Vec<Result<_>>) =
            [a, b].into_iter().partition(|r| r.is_ok());
        assert_eq!((won.len(), lost.len()), (1, 1), "round {round}");
        let e = lost.into_iter().next().unwrap().unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.message, "Sam has already placed their dots on this vote");
        let revealed = ws.reveal_dot_vote(vote).unwrap();
        assert_eq!(revealed.ballots_cast, 1);
        assert_eq!(revealed.tally.iter().sum::<u32>(), 3, "round {round}");
    }
}

#[test]
fn a_ballot_racing_the_reveal_is_in_the_revealed_tally_or_refused() {
    let (_d, path, ws) = workspace();
    let sam = ws.add_person("Sam", Team::Sales, "").unwrap().id;
    let items = ["A".to_string(), "B".into()];
    for round in 0..ROUNDS {
        let vote = ws.create_dot_vote(None, "Next?", &items, 3).unwrap().id;
        let (cast, revealed) = at_once(
            &path,
            move |ws| ws.cast_dots(vote, sam, &[2, 1]),
            move |ws| ws.reveal_dot_vote(vote),
        );
        let revealed = revealed.unwrap();
        let now = ws.dot_vote(vote).unwrap();
        // Nothing changes the tally once it is on the projector.
        assert_eq!(
            now.tally, revealed.tally,
            "round {round}: a ballot landed after the reveal"
        );
        match cast {
            Ok(_) => assert_eq!(revealed.tally, vec![2, 1]),
            Err(e) => {
                assert_eq!(e.message, "the vote was already revealed");
                assert_eq!((now.ballots_cast, now.tally), (0, vec![0, 0]));
            }
        }
    }
}
