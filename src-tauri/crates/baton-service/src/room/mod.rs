//! The room: participants' browsers on the LAN as Baton clients. The facilitator's use
//! cases are here (open, close, lock, remove, step); a participant's are in
//! [`participant`], and what a participant's page is shown in [`state`].
//!
//! The identity and privacy rules live in this module, below every front end:
//! - a participant is reached only by the secret they were given at join; only its
//!   SHA-256 is stored, and `me` is filled only from the caller's own secret;
//! - no reply and no change published pairs a person with diagnostic ratings or a
//!   ballot (actions reply `{ok, version}`; the feed names areas and item ids);
//! - every action carries a client action id: a replay by the same participant returns
//!   the first reply and writes nothing.
pub mod participant;
mod state;

use crate::{Area, Service};
use baton_core::room::{base64url, RoomMember, RoomParticipant, RoomRecord, RoomStatus, RoomStep};
use baton_core::{BatonError, ErrorCode, Result};
use baton_store::prelude::*;
use sha2::{Digest, Sha256};

/// 192 random bits from the OS, base64url: a room token or a participant secret.
pub fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes)
        .map_err(|e| BatonError::internal(format!("the OS random source failed: {e}")))?;
    Ok(base64url(&bytes))
}

/// What is stored for a secret: its SHA-256, hex.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The participant a secret belongs to; unknown and removed secrets are refused.
pub(crate) fn member_of(ws: &dyn WorkspaceData, secret: &str) -> Result<RoomMember> {
    match ws.room_participant_by_hash(&secret_hash(secret))? {
        None => Err(BatonError::new(
            ErrorCode::UnknownParticipant,
            "this device is not in the room; join again",
        )),
        Some(m) if m.removed => Err(BatonError::new(
            ErrorCode::Removed,
            "the facilitator removed you from the room",
        )),
        Some(m) => Ok(m),
    }
}

fn no_room() -> BatonError {
    BatonError::not_found("no room has been opened in this workspace")
}

impl Service {
    /// The stored room, if one was ever opened.
    pub fn room(&self) -> Result<Option<RoomRecord>> {
        self.read(|ws| ws.room())
    }

    /// Open the room (for `session_id` when given). The token is made once and kept,
    /// so a restarted host has the same URL and its participants the same secrets.
    pub fn room_open(&self, session_id: Option<i64>) -> Result<RoomRecord> {
        let token = new_secret()?;
        self.write(
            Area::Room,
            |_| None,
            |ws| {
                if let Some(id) = session_id {
                    ws.session(id)?;
                }
                ws.open_room(&token, session_id)
            },
        )
    }

    /// Close the room; its token and participants stay for the next open.
    pub fn room_close(&self) -> Result<()> {
        self.write(Area::Room, |_| None, |ws| ws.close_room())
    }

    /// Lock the room to new joins (or open it again); joined participants stay.
    pub fn room_lock(&self, locked: bool) -> Result<RoomRecord> {
        self.write(
            Area::Room,
            |_| None,
            |ws| {
                ws.set_room_locked(locked)?;
                ws.room()?.ok_or_else(no_room)
            },
        )
    }

    /// Whether participants may park items anonymously.
    pub fn room_anonymous_parking(&self, allowed: bool) -> Result<RoomRecord> {
        self.write(
            Area::Room,
            |_| None,
            |ws| {
                ws.set_room_anonymous_parking(allowed)?;
                ws.room()?.ok_or_else(no_room)
            },
        )
    }

    /// Remove a participant: their secret stops working at once.
    pub fn room_remove(&self, participant_id: i64) -> Result<()> {
        self.write(
            Area::Room,
            |_| Some(participant_id),
            |ws| ws.remove_room_participant(participant_id),
        )
    }

    /// Show `step` on every participant's page; the run, vote or agreement must exist.
    pub fn room_step(&self, step: RoomStep) -> Result<RoomRecord> {
        self.write(
            Area::Room,
            |_| None,
            |ws| {
                match &step {
                    RoomStep::Diagnostic { run_id } => {
                        if ws.diagnostic_run(*run_id)?.closed {
                            return Err(BatonError::conflict(
                            "this diagnostic run is closed; start a new run to open it to the room",
                        ));
                        }
                    }
                    RoomStep::Vote { vote_id } => {
                        ws.dot_vote(*vote_id)?;
                    }
                    RoomStep::Drafting { agreement_id } | RoomStep::Signoff { agreement_id } => {
                        ws.agreement(*agreement_id)?;
                    }
                    RoomStep::Welcome | RoomStep::Parking => {}
                }
                ws.set_room_step(&step)?;
                ws.room()?.ok_or_else(no_room)
            },
        )
    }

    /// The facilitator's view; `connected` says which participant ids have a live
    /// connection (the HTTP adapter knows), `url` and `qr_svg` are the adapter's too.
    pub fn room_status(&self, connected: &dyn Fn(i64) -> bool) -> Result<RoomStatus> {
        self.read(|ws| {
            let room = ws.room()?;
            let participants = ws
                .room_participants()?
                .into_iter()
                .map(|m| RoomParticipant {
                    connected: !m.removed && connected(m.id),
                    id: m.id,
                    person_id: m.person_id,
                    name: m.name,
                    team: m.team,
                    removed: m.removed,
                })
                .collect();
            Ok(match room {
                Some(r) => RoomStatus {
                    open: r.open,
                    url: None,
                    qr_svg: None,
                    locked: r.locked,
                    step: r.step,
                    session_id: r.session_id,
                    anonymous_parking: r.anonymous_parking,
                    participants,
                },
                None => RoomStatus {
                    open: false,
                    url: None,
                    qr_svg: None,
                    locked: false,
                    step: RoomStep::Welcome,
                    session_id: None,
                    anonymous_parking: true,
                    participants,
                },
            })
        })
    }

    /// The participant a secret belongs to (unknown and removed secrets are refused).
    pub fn room_member(&self, secret: &str) -> Result<RoomMember> {
        self.read(|ws| member_of(ws, secret))
    }
}
