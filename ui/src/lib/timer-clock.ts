/** Pure helpers of the workshop timer (see `timer.svelte.ts`). */
import type { TimerView } from './bindings/TimerView';

/** `m:ss` of a time left in milliseconds, rounding up so `0:00` means time is up. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Whether a new reading ends a countdown this window watched running: the moment for the cue. */
export function endsNow(before: TimerView | null, after: TimerView | null): boolean {
  return !!before?.running && !!after?.ended && before.session_id === after.session_id && before.block === after.block;
}
