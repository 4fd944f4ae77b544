//! What a participant's page shows (`GET state`): the step and what it points at, the
//! timer, the session's people, the parking lot, and `me` from the caller's own secret.
use super::member_of;
use crate::Service;
use baton_core::diagnostic::STATEMENTS;
use baton_core::room::*;
use baton_core::workshop::Team;
use baton_core::{BatonError, Result};
use baton_store::prelude::*;
use baton_store::unix_millis_now;

impl Service {
    /// The room as a participant's page shows it. `secret` (the caller's own) fills
    /// `me`; without it `me` is null. Nothing here names who answered or voted what.
    pub fn room_state(&self, secret: Option<&str>) -> Result<RoomState> {
        self.read(|ws| {
            let room = ws
                .room()?
                .ok_or_else(|| BatonError::not_found("no room has been opened"))?;
            let me = secret.map(|s| member_of(ws, s)).transpose()?;
            let session = room.session_id.map(|id| ws.session(id)).transpose()?;
            let people = ws
                .people()?
                .into_iter()
                .filter(|p| {
                    session
                        .as_ref()
                        .is_none_or(|s| s.participant_ids.contains(&p.id))
                })
                .map(|p| RoomPerson {
                    id: p.id,
                    name: p.name,
                    team: p.team,
                })
                .collect();
            let parking = RoomParking {
                anonymous_allowed: room.anonymous_parking,
                items: session
                    .as_ref()
                    .map(|s| {
                        s.parking_lot
                            .iter()
                            .filter(|i| !i.resolved)
                            .map(|i| RoomParkingItem {
                                id: i.id,
                                text: i.text.clone(),
                                by: i.by.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            let mut state = RoomState {
                version: ws.last_change()?,
                session: session.as_ref().map(|s| RoomSession {
                    id: s.id,
                    title: s.title.clone(),
                }),
                locked: room.locked,
                joined: ws.room_participant_count()?,
                step: room.step.clone(),
                timer: ws.timer(unix_millis_now())?,
                people,
                diagnostic: None,
                vote: None,
                drafting: None,
                signoff: None,
                parking,
                me: me.as_ref().map(|m| RoomMe {
                    name: m.name.clone(),
                    team: m.team,
                    answers: vec![None; STATEMENTS.len()],
                    voted: false,
                    drafted: false,
                    signed: false,
                }),
            };
            fill_step(ws, &mut state, me.as_ref())?;
            Ok(state)
        })
    }
}

/// Fill what the current step points at, and the caller's own part of it.
fn fill_step(ws: &dyn WorkspaceData, state: &mut RoomState, me: Option<&RoomMember>) -> Result<()> {
    let own = state.me.as_mut();
    match state.step {
        RoomStep::Diagnostic { run_id } => {
            let run = ws.diagnostic_run(run_id)?;
            if let (Some(own), Some(m)) = (own, me) {
                own.answers = ws.own_diagnostic_answers(run_id, m.person_id)?;
            }
            state.diagnostic = Some(RoomDiagnostic {
                run_id,
                name: run.name,
                named: run.named,
                closed: run.closed,
                statements: STATEMENTS
                    .iter()
                    .enumerate()
                    .map(|(i, s)| RoomStatement {
                        id: i as u32,
                        number: s.number,
                        theme: s.theme.to_string(),
                        text: s.text.to_string(),
                    })
                    .collect(),
                answered: run.answered.len() as u32,
            });
        }
        RoomStep::Vote { vote_id } => {
            let v = ws.dot_vote(vote_id)?;
            if let (Some(own), Some(m)) = (own, me) {
                own.voted = ws.has_voted(vote_id, m.person_id)?;
            }
            state.vote = Some(RoomVote {
                id: v.id,
                topic: v.topic,
                items: v.items,
                votes_per_person: v.votes_per_person,
                ballots_cast: v.ballots_cast,
                revealed: v.revealed,
                tally: v.tally,
            });
        }
        RoomStep::Drafting { agreement_id } => {
            let round = ws.blind_round(agreement_id)?;
            if let (Some(own), Some(m)) = (own, me) {
                own.drafted = match m.team {
                    Team::Sales => round.sales_submitted,
                    Team::Marketing => round.marketing_submitted,
                    _ => false,
                };
            }
            state.drafting = Some(RoomDrafting {
                agreement_id,
                title: ws.agreement(agreement_id)?.title,
                sales_submitted: round.sales_submitted,
                marketing_submitted: round.marketing_submitted,
                revealed: round.revealed,
            });
        }
        RoomStep::Signoff { agreement_id } => {
            let a = ws.agreement(agreement_id)?;
            let latest = a.versions.first();
            let signed_by =
                |team: Team| latest.is_some_and(|v| v.sign_offs.iter().any(|s| s.team == team));
            if let (Some(own), Some(m)) = (own, me) {
                own.signed =
                    latest.is_some_and(|v| v.sign_offs.iter().any(|s| s.person_id == m.person_id));
            }
            state.signoff = Some(RoomSignoff {
                agreement_id,
                title: a.title.clone(),
                version: latest.map_or(0, |v| v.version),
                text: latest
                    .map(|v| v.content.summary.clone())
                    .unwrap_or_default(),
                content: latest.map(|v| v.content.clone()),
                sales_signed: signed_by(Team::Sales),
                marketing_signed: signed_by(Team::Marketing),
            });
        }
        RoomStep::Welcome | RoomStep::Parking => {}
    }
    Ok(())
}
