/**
 * Which workshop session the room is in, shared by the Workshop screen and the
 * presentation bar (which logs decisions and parks topics while any screen is shown).
 */
import type { Session } from './bindings/Session';
import { timer } from './timer.svelte';

export const workshop = $state<{
  /** The session picked on the Workshop screen, if one was. */
  pickedId: number | null;
  /** Bumped when something outside the Workshop screen changed a session. */
  changes: number;
}>({ pickedId: null, changes: 0 });

/**
 * The session in use: the one picked on the Workshop screen, else the timed one, else
 * the newest (`list` is newest first, as the backend returns it).
 */
export function currentSession(list: readonly Session[] | undefined): Session | undefined {
  const byId = (id: number | null | undefined) => (id == null ? undefined : list?.find((s) => s.id === id));
  return byId(workshop.pickedId) ?? byId(timer.view?.session_id) ?? list?.[0];
}
