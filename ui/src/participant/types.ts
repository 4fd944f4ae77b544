/**
 * The room's wire types as the participant page reads them: the generated bindings of
 * `baton-core::room` (see docs/room.md), plus the join body in the two forms the page sends.
 */
import type { Team } from '../lib/bindings/Team';

export type { ActionReply as ActionAck } from '../lib/bindings/ActionReply';
export type { DefinitionContent } from '../lib/bindings/DefinitionContent';
export type { JoinReply as Joined } from '../lib/bindings/JoinReply';
export type { RoomDiagnostic } from '../lib/bindings/RoomDiagnostic';
export type { RoomDrafting } from '../lib/bindings/RoomDrafting';
export type { RoomMe } from '../lib/bindings/RoomMe';
export type { RoomParking } from '../lib/bindings/RoomParking';
export type { RoomPerson } from '../lib/bindings/RoomPerson';
export type { RoomSignoff } from '../lib/bindings/RoomSignoff';
export type { RoomState } from '../lib/bindings/RoomState';
export type { RoomStep } from '../lib/bindings/RoomStep';
export type { RoomVote } from '../lib/bindings/RoomVote';
export type { Team } from '../lib/bindings/Team';
export type { TimerView } from '../lib/bindings/TimerView';

/** `POST join`: a new person, or one of the session's people (`JoinRequest` with the rest left out). */
export type JoinRequest = { name: string; team: Team } | { person_id: number };
