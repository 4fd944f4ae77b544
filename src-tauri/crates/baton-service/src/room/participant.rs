//! A participant's use cases: join, answer one diagnostic statement, vote, draft
//! blind, park an idea, sign off. Each action runs through [`Service::room_act`]: the
//! caller's secret names the participant, a replayed action id returns the first reply
//! and writes nothing, and the reply (`{ok, version}`) is sent only once committed.
use super::{member_of, new_secret, secret_hash};
use crate::{Area, Service};
use baton_core::room::*;
use baton_core::{BatonError, ErrorCode, Result};
use baton_store::prelude::*;

impl Service {
    /// Join the room. With the caller's valid `secret`, the same identity comes back
    /// (no new person). Otherwise a new participant: one of the session's people
    /// (`person_id`) or a new person (`name` + `team`, added to the session). Refused
    /// while the room is locked and once `cap` participants are in.
    pub fn room_join(
        &self,
        secret: Option<&str>,
        req: &JoinRequest,
        cap: usize,
    ) -> Result<JoinReply> {
        if let Some(s) = secret {
            match self.room_member(s) {
                Ok(m) => {
                    return Ok(JoinReply {
                        participant: s.to_string(),
                        name: m.name,
                        team: m.team,
                    })
                }
                Err(e) if e.code == ErrorCode::Removed => return Err(e),
                Err(_) => {}
            }
        }
        let fresh = new_secret()?;
        self.write(
            Area::Room,
            |_| None,
            |ws| {
                let room = ws
                    .room()?
                    .filter(|r| r.open)
                    .ok_or_else(|| BatonError::not_found("the room is closed"))?;
                if room.locked {
                    return Err(BatonError::new(
                        ErrorCode::Forbidden,
                        "the room is locked to new participants; ask the facilitator",
                    ));
                }
                if ws.room_participant_count()? as usize >= cap {
                    return Err(BatonError::new(
                        ErrorCode::RoomFull,
                        format!("the room is full ({cap} participants)"),
                    ));
                }
                let person = match (req.person_id, &req.name, req.team) {
                    (Some(id), None, None) => {
                        let p = ws.person(id).map_err(|_| {
                            BatonError::invalid("that person is not in this session; pick again")
                        })?;
                        if let Some(sid) = room.session_id {
                            if !ws.session(sid)?.participant_ids.contains(&p.id) {
                                return Err(BatonError::invalid(
                                    "that person is not in this session; pick again",
                                ));
                            }
                        }
                        p
                    }
                    (None, Some(name), Some(team)) => {
                        let p = ws.add_person(&check_name(name)?, team, "")?;
                        if let Some(sid) = room.session_id {
                            ws.add_session_participant(sid, p.id)?;
                        }
                        p
                    }
                    _ => {
                        return Err(BatonError::invalid(
                            "to join, send either {name, team} or {person_id}",
                        ))
                    }
                };
                ws.add_room_participant(person.id, &secret_hash(&fresh))?;
                Ok(JoinReply {
                    participant: fresh.clone(),
                    name: person.name,
                    team: person.team,
                })
            },
        )
    }

    /// Rate one diagnostic statement (saved as given; the run counts the person as
    /// answered once all 20 are in).
    pub fn room_answer(&self, secret: &str, req: &AnswerRequest) -> Result<ActionReply> {
        self.room_act(
            secret,
            &req.action_id,
            Area::Diagnostic,
            Some(req.run_id),
            |ws, m| {
                ws.answer_diagnostic_statement(req.run_id, m.person_id, req.statement, req.rating)
            },
        )
    }

    /// Cast the caller's one ballot on a dot vote.
    pub fn room_vote(&self, secret: &str, req: &VoteRequest) -> Result<ActionReply> {
        self.room_act(
            secret,
            &req.action_id,
            Area::Votes,
            Some(req.vote_id),
            |ws, m| {
                ws.cast_dots(req.vote_id, m.person_id, &req.dots)
                    .map(|_| ())
            },
        )
    }

    /// The caller's team's blind draft (sales or marketing only).
    pub fn room_draft(&self, secret: &str, req: &DraftRequest) -> Result<ActionReply> {
        self.room_act(
            secret,
            &req.action_id,
            Area::Agreements,
            Some(req.agreement_id),
            |ws, m| {
                ws.agreement(req.agreement_id)?;
                ws.submit_blind_draft(req.agreement_id, m.team, req.content.clone())
                    .map(|_| ())
            },
        )
    }

    /// Park an idea in the room's session, named or (when allowed) anonymous.
    pub fn room_park(&self, secret: &str, req: &ParkRequest) -> Result<ActionReply> {
        self.room_act(secret, &req.action_id, Area::Decisions, None, |ws, m| {
            let room = ws
                .room()?
                .ok_or_else(|| BatonError::not_found("no room has been opened"))?;
            let session = room
                .session_id
                .ok_or_else(|| BatonError::conflict("the room has no session to park ideas in"))?;
            if req.anonymous && !room.anonymous_parking {
                return Err(BatonError::new(
                    ErrorCode::Forbidden,
                    "the facilitator asks for named ideas; uncheck \"anonymous\"",
                ));
            }
            let by = (!req.anonymous).then_some(m.name.as_str());
            ws.park_topic_by(session, &req.text, by).map(|_| ())
        })
    }

    /// Sign off the latest version of a definition for the caller (sales or marketing).
    pub fn room_signoff(&self, secret: &str, req: &SignoffRequest) -> Result<ActionReply> {
        self.room_act(
            secret,
            &req.action_id,
            Area::Agreements,
            Some(req.agreement_id),
            |ws, m| {
                let version = ws
                    .agreement(req.agreement_id)?
                    .versions
                    .first()
                    .map_or(0, |v| v.version);
                ws.sign_off(req.agreement_id, m.person_id, version)
                    .map(|_| ())
            },
        )
    }

    /// Run one participant action in one transaction: who (from the secret), the
    /// replay check, the write, the change log and the reply's record hold together.
    fn room_act(
        &self,
        secret: &str,
        action_id: &str,
        area: Area,
        item: Option<i64>,
        work: impl FnOnce(&dyn WorkspaceData, &RoomMember) -> Result<()>,
    ) -> Result<ActionReply> {
        check_action_id(action_id)?;
        let ws = self.open()?;
        let (reply, change) = ws.transaction("saving your answer", |ws| {
            let m = member_of(ws, secret)?;
            if let Some(reply) = ws.room_action_reply(m.id, action_id)? {
                let reply: ActionReply = serde_json::from_str(&reply)
                    .map_err(|e| BatonError::internal(format!("the action log is damaged: {e}")))?;
                return Ok((reply, None));
            }
            work(ws, &m)?;
            let change = self.feed().log(ws, area, item)?;
            let reply = ActionReply {
                ok: true,
                version: change.version,
            };
            let json = serde_json::to_string(&reply)
                .map_err(|e| BatonError::internal(format!("encoding the reply: {e}")))?;
            ws.record_room_action(m.id, action_id, &json)?;
            Ok((reply, Some(change)))
        })?;
        if let Some(c) = change {
            self.feed().publish(c);
        }
        Ok(reply)
    }
}
