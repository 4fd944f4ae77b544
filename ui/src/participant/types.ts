/**
 * The room's wire types as the participant page reads them (/work/room-contract.md).
 * PROVISIONAL: replaced by re-exports of the generated bindings once `baton-core::room` lands.
 */
import type { DefinitionContent } from '../lib/bindings/DefinitionContent';
import type { Team } from '../lib/bindings/Team';
import type { TimerView } from '../lib/bindings/TimerView';

export type { DefinitionContent, Team, TimerView };

export type RoomStep =
  | { kind: 'welcome' }
  | { kind: 'diagnostic'; run_id: number }
  | { kind: 'vote'; vote_id: number }
  | { kind: 'drafting'; agreement_id: number }
  | { kind: 'signoff'; agreement_id: number }
  | { kind: 'parking' };

export interface RoomPerson {
  id: number;
  name: string;
  team: Team;
}

export interface RoomStatement {
  id: number;
  number: number;
  theme: string;
  text: string;
}

export interface RoomDiagnostic {
  run_id: number;
  name: string;
  named: boolean;
  closed: boolean;
  statements: RoomStatement[];
  answered: number;
}

export interface RoomVote {
  id: number;
  topic: string;
  items: string[];
  votes_per_person: number;
  ballots_cast: number;
  revealed: boolean;
  tally: number[];
}

export interface RoomDrafting {
  agreement_id: number;
  title: string;
  sales_submitted: boolean;
  marketing_submitted: boolean;
  revealed: boolean;
}

export interface RoomSignoff {
  agreement_id: number;
  title: string;
  version: number;
  text: string;
  content: DefinitionContent | null;
  sales_signed: boolean;
  marketing_signed: boolean;
}

export interface RoomParkingItem {
  id: number;
  text: string;
  by: string | null;
}

export interface RoomMe {
  name: string;
  team: Team;
  answers: (number | null)[];
  voted: boolean;
  drafted: boolean;
  signed: boolean;
}

export interface RoomState {
  version: number;
  session: { id: number; title: string } | null;
  locked: boolean;
  joined: number;
  step: RoomStep;
  timer: TimerView | null;
  people: RoomPerson[];
  diagnostic: RoomDiagnostic | null;
  vote: RoomVote | null;
  drafting: RoomDrafting | null;
  signoff: RoomSignoff | null;
  parking: { anonymous_allowed: boolean; items: RoomParkingItem[] };
  me: RoomMe | null;
}

export type JoinRequest = { name: string; team: Team } | { person_id: number };

export interface Joined {
  participant: string;
  name: string;
  team: Team;
}

export interface ActionAck {
  ok: boolean;
  version: number;
}
