//! Check-then-write use cases raced from two threads: two sign-offs of one agreement,
//! two ballots of the same voter.
use baton_core::agreement::{DefinitionContent, Subject};
use baton_core::workshop::Team;
use baton_service::Service;
use std::sync::{Arc, Barrier};

fn service() -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.baton");
    baton_store::Workspace::create(&path).unwrap();
    (dir, Service::for_file(&path))
}

/// Run `f` on two threads released together; both results.
fn race<T: Send + 'static>(
    svc: &Service,
    f: impl Fn(&Service, usize) -> T + Send + Sync + 'static,
) -> Vec<T> {
    let barrier = Arc::new(Barrier::new(2));
    let f = Arc::new(f);
    let handles: Vec<_> = (0..2)
        .map(|i| {
            let (svc, barrier, f) = (svc.clone(), barrier.clone(), f.clone());
            std::thread::spawn(move || {
                barrier.wait();
                f(&svc, i)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
fn two_ballots_of_one_voter_count_once() {
    for _ in 0..20 {
        let (_d, svc) = service();
        let sam = svc.person_save(None, "Sam", Team::Sales, "", None).unwrap();
        let items = vec!["SLA".to_string(), "Scoring".to_string()];
        let vote = svc.dot_vote_create(None, "Next", &items, 2).unwrap();
        let results = race(&svc, move |s, _| s.dot_cast(vote.id, sam.id, &[2, 0]));
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{results:?}");
        let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert_eq!(refused.code, baton_core::ErrorCode::Conflict, "{refused:?}");
        let v = svc.dot_reveal(vote.id).unwrap();
        assert_eq!((v.ballots_cast, v.tally.clone()), (1, vec![2, 0]));
    }
}

#[test]
fn two_sign_offs_at_once_both_land() {
    for _ in 0..20 {
        let (_d, svc) = service();
        let sam = svc.person_save(None, "Sam", Team::Sales, "", None).unwrap();
        let mia = svc
            .person_save(None, "Mia", Team::Marketing, "", None)
            .unwrap();
        let a = svc
            .agreement_open(
                &Subject::Stage {
                    stage_id: "mql".into(),
                },
                "MQL",
            )
            .unwrap();
        let content = DefinitionContent {
            summary: "a demo request".into(),
            ..DefinitionContent::default()
        };
        svc.definition_edit(a.id, content, None, None).unwrap();
        let people = [sam.id, mia.id];
        let results = race(&svc, move |s, i| s.sign_off(a.id, people[i], Some(1)));
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        let after = svc.agreements().unwrap().remove(0);
        assert!(after.agreed, "{after:?}");
    }
}
