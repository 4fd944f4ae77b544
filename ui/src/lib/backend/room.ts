/** The room (participants' browsers on the LAN): the facilitator's side. Rust side: src-tauri/src/commands/room.rs. */
import { call } from './core';
import type { RoomInterface } from '../bindings/RoomInterface';
import type { RoomStatus } from '../bindings/RoomStatus';
import type { RoomStep } from '../bindings/RoomStep';

/** The network interfaces the room can listen on (name + address), loopback included. */
export const roomInterfaces = () => call<RoomInterface[]>('room_interfaces');
/** Open the room on `bind` (an address from `roomInterfaces`), on `port` or the default with its fallbacks. */
export const roomOpen = (bind: string, port: number | null, sessionId: number | null) =>
  call<RoomStatus>('room_open', { bind, port, sessionId });
/** Close the room; every participant's page is told so. */
export const roomClose = () => call<void>('room_close');
export const roomStatus = () => call<RoomStatus>('room_status');
/** Lock (or unlock) the room to new joins; people already in stay. */
export const roomLock = (locked: boolean) => call<RoomStatus>('room_lock', { locked });
/** Remove a participant: their secret stops working at once. */
export const roomRemove = (participantId: number) => call<RoomStatus>('room_remove', { participantId });
/** Whether participants may park ideas without their name. */
export const roomAnonymousParking = (allowed: boolean) => call<RoomStatus>('room_anonymous_parking', { allowed });
/** What participants' pages show now. */
export const roomStep = (step: RoomStep) => call<RoomStatus>('room_step', { step });
