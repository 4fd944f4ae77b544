//! The room: participants' own browsers as Baton clients, served by the facilitator's
//! machine over the local network. These are the wire types of the room's API
//! (`/r/{token}/api/…`) and of the facilitator's Room panel; the rules (who may see
//! what, one identity per secret) live in `baton-service::room`.
//!
//! Privacy by construction: no type here pairs a person with diagnostic ratings or a
//! ballot. [`RoomMe`] carries the caller's own answers only, and only when the caller's
//! own secret asked.

use crate::agreement::DefinitionContent;
use crate::timer::TimerView;
use crate::workshop::Team;
use crate::{BatonError, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Default port of the room; the next ones are tried when it is taken.
pub const DEFAULT_PORT: u16 = 7420;
/// Most participants a room admits unless configured otherwise.
pub const DEFAULT_PARTICIPANT_CAP: usize = 100;
/// Longest client action id accepted.
pub const MAX_ACTION_ID: usize = 64;

/// What the facilitator shows now; participants' pages follow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum RoomStep {
    Welcome,
    Diagnostic {
        #[ts(type = "number")]
        run_id: i64,
    },
    Vote {
        #[ts(type = "number")]
        vote_id: i64,
    },
    Drafting {
        #[ts(type = "number")]
        agreement_id: i64,
    },
    Signoff {
        #[ts(type = "number")]
        agreement_id: i64,
    },
    Parking,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomSession {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
}

/// A person of the session, to pick at join.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomPerson {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub team: Team,
}

/// One diagnostic statement as a participant answers it; `id` is 0..19.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomStatement {
    pub id: u32,
    pub number: u32,
    pub theme: String,
    pub text: String,
}

/// The open diagnostic run: the statements and how many have answered all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomDiagnostic {
    #[ts(type = "number")]
    pub run_id: i64,
    pub name: String,
    /// Results will show names once closed (participants see this before answering).
    pub named: bool,
    pub closed: bool,
    pub statements: Vec<RoomStatement>,
    pub answered: u32,
}

/// The dot vote on screen: how many voted, never who; tallies only once revealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomVote {
    #[ts(type = "number")]
    pub id: i64,
    pub topic: String,
    pub items: Vec<String>,
    pub votes_per_person: u32,
    pub ballots_cast: u32,
    pub revealed: bool,
    pub tally: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomDrafting {
    #[ts(type = "number")]
    pub agreement_id: i64,
    pub title: String,
    pub sales_submitted: bool,
    pub marketing_submitted: bool,
    pub revealed: bool,
}

/// The definition to sign off from the phones (its latest version).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomSignoff {
    #[ts(type = "number")]
    pub agreement_id: i64,
    pub title: String,
    /// The version being signed (0 when nothing is written yet).
    pub version: u32,
    /// Its one-sentence definition.
    pub text: String,
    pub content: Option<DefinitionContent>,
    pub sales_signed: bool,
    pub marketing_signed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomParkingItem {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    /// Who parked it; `None` when anonymous.
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomParking {
    pub anonymous_allowed: bool,
    pub items: Vec<RoomParkingItem>,
}

/// The caller's own identity and answers (only from the caller's own secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomMe {
    pub name: String,
    pub team: Team,
    /// The caller's own ratings of the open run, `null` where not answered yet.
    pub answers: Vec<Option<u8>>,
    pub voted: bool,
    /// The caller's team has a blind draft in.
    pub drafted: bool,
    pub signed: bool,
}

/// `GET state`: everything a participant's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomState {
    /// The workspace's change counter; SSE event ids use it.
    #[ts(type = "number")]
    pub version: i64,
    pub session: Option<RoomSession>,
    pub locked: bool,
    /// How many joined (never who voted what).
    pub joined: u32,
    pub step: RoomStep,
    pub timer: Option<TimerView>,
    pub people: Vec<RoomPerson>,
    pub diagnostic: Option<RoomDiagnostic>,
    pub vote: Option<RoomVote>,
    pub drafting: Option<RoomDrafting>,
    pub signoff: Option<RoomSignoff>,
    pub parking: RoomParking,
    pub me: Option<RoomMe>,
}

/// `POST join`: a new person (`name` + `team`) or one of the session's people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct JoinRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub team: Option<Team>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JoinReply {
    /// The participant secret: keep it, send it back as `X-Baton-Participant`.
    pub participant: String,
    pub name: String,
    pub team: Team,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AnswerRequest {
    pub action_id: String,
    #[ts(type = "number")]
    pub run_id: i64,
    /// 0..19
    pub statement: u32,
    /// 1..5
    pub rating: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct VoteRequest {
    pub action_id: String,
    #[ts(type = "number")]
    pub vote_id: i64,
    pub dots: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DraftRequest {
    pub action_id: String,
    #[ts(type = "number")]
    pub agreement_id: i64,
    pub content: DefinitionContent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ParkRequest {
    pub action_id: String,
    pub text: String,
    #[serde(default)]
    pub anonymous: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SignoffRequest {
    pub action_id: String,
    #[ts(type = "number")]
    pub agreement_id: i64,
}

/// The reply to every action, once committed; a replay returns the same reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionReply {
    pub ok: bool,
    #[ts(type = "number")]
    pub version: i64,
}

/// The data of an SSE `change` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomChange {
    #[ts(type = "number")]
    pub version: i64,
    pub areas: Vec<String>,
}

/// A participant as the facilitator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomParticipant {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub person_id: i64,
    pub name: String,
    pub team: Team,
    /// Has a live connection to the room now.
    pub connected: bool,
    pub removed: bool,
}

/// The facilitator's view of the room (`room_status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomStatus {
    pub open: bool,
    pub url: Option<String>,
    /// The URL as a QR code, an SVG document.
    pub qr_svg: Option<String>,
    pub locked: bool,
    pub step: RoomStep,
    #[ts(type = "number | null")]
    pub session_id: Option<i64>,
    pub anonymous_parking: bool,
    pub participants: Vec<RoomParticipant>,
}

/// A network interface the room can bind to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoomInterface {
    /// e.g. `wlan0`, `lo`.
    pub name: String,
    /// The address to bind, e.g. `192.168.1.20`.
    pub address: String,
    pub loopback: bool,
}

/// The stored room (one per workspace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRecord {
    pub token: String,
    pub session_id: Option<i64>,
    pub open: bool,
    pub locked: bool,
    pub step: RoomStep,
    pub anonymous_parking: bool,
}

/// A stored participant: a person reached by the hash of a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomMember {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub team: Team,
    pub removed: bool,
}

/// Check a client action id: 1 to 64 visible ASCII characters.
pub fn check_action_id(id: &str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ACTION_ID || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(BatonError::invalid(format!(
            "action_id must be 1 to {MAX_ACTION_ID} visible ASCII characters"
        )));
    }
    Ok(())
}

/// Check a name typed at join: 1 to 80 characters once trimmed, no control characters.
pub fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BatonError::invalid("enter your name to join"));
    }
    if name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(BatonError::invalid(
            "the name must be at most 80 characters, without control characters",
        ));
    }
    Ok(name.to_string())
}

/// Encode bytes as unpadded base64url (secrets and tokens in URLs and headers).
pub fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_the_rfc_examples_without_padding() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn action_ids_and_names_are_checked() {
        assert!(check_action_id("a1-b2").is_ok());
        assert!(check_action_id("").is_err());
        assert!(check_action_id(&"x".repeat(65)).is_err());
        assert!(check_action_id("has space").is_err());
        assert_eq!(check_name("  Ana ").unwrap(), "Ana");
        assert!(check_name("  ").is_err());
        assert!(check_name("a\u{7}b").is_err());
    }

    #[test]
    fn steps_are_tagged_by_kind() {
        let s = serde_json::to_string(&RoomStep::Vote { vote_id: 3 }).unwrap();
        assert_eq!(s, r#"{"kind":"vote","vote_id":3}"#);
        let w: RoomStep = serde_json::from_str(r#"{"kind":"welcome"}"#).unwrap();
        assert_eq!(w, RoomStep::Welcome);
    }
}
