/**
 * The workshop timer as the whole app sees it. The workspace stores it (Rust, the
 * `timer_*` commands), so it belongs to the workshop session, not to a screen: this
 * module reads it at start-up, after every change and every few seconds, counts down
 * locally in between, and gives the end cue (the badge flashes, a beep sounds) on
 * whichever screen is showing. `TimerBadge.svelte` shows it; the Workshop screen drives it.
 */
import { timerGet, timerPause, timerSelect, timerStart } from './backend/timer';
import type { BatonError } from './bindings/BatonError';
import type { TimerView } from './bindings/TimerView';
import { toBatonError } from './errors';
import { endsNow } from './timer-clock';

export { clockText } from './timer-clock';

export const timer = $state<{
  view: TimerView | null;
  /** Time left as counted down locally since the last read. */
  remainingMs: number;
  /** When the end cue was given (Date.now()), while the badge should flash. */
  cueAt: number | null;
  error: BatonError | null;
}>({ view: null, remainingMs: 0, cueAt: null, error: null });

/** How often the stored timer is read again (another window or a phone may change it). */
const SYNC_MS = 5000;
let deadline = 0;

function apply(v: TimerView | null): void {
  const before = timer.view;
  timer.view = v;
  timer.remainingMs = v?.remaining_ms ?? 0;
  deadline = performance.now() + timer.remainingMs;
  timer.error = null;
  if (endsNow(before, v)) cue();
  else if (!v?.ended) timer.cueAt = null;
}

function tick(): void {
  const v = timer.view;
  if (!v?.running) return;
  timer.remainingMs = Math.max(0, deadline - performance.now());
  if (timer.remainingMs === 0) {
    timer.view = { ...v, running: false, ended: true, remaining_ms: 0 };
    cue();
  }
}

/** Read the stored timer again. */
export async function refreshTimer(): Promise<void> {
  try {
    const v = await timerGet();
    // A local countdown that already reached zero stays ended even if the read was sent just before.
    if (timer.view?.ended && v?.running && v.session_id === timer.view.session_id && v.block === timer.view.block && v.remaining_ms < 1000) return;
    apply(v);
  } catch (e) {
    timer.error = toBatonError(e);
  }
}

async function change(f: () => Promise<TimerView>): Promise<void> {
  primeAudio();
  try {
    apply(await f());
  } catch (e) {
    timer.error = toBatonError(e);
  }
}

/** Time agenda block `block` of session `sessionId` (stopped, full length); again to reset it. */
export const selectBlock = (sessionId: number, block: number) => change(() => timerSelect(sessionId, block));
export const startTimer = () => change(timerStart);
export const pauseTimer = () => change(timerPause);

/** Keep the timer in step from start-up on; returns the stop function. */
export function watchTimer(): () => void {
  void refreshTimer();
  const ticking = setInterval(tick, 250);
  const syncing = setInterval(() => void refreshTimer(), SYNC_MS);
  return () => {
    clearInterval(ticking);
    clearInterval(syncing);
  };
}

let audio: AudioContext | null = null;

/** Create the audio context during a click, so the end cue may sound later without one. */
function primeAudio(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    // No audio: the visual cue is enough.
  }
}

/** The end cue: the badge flashes (`cueAt`) and a short two-tone beep sounds. */
function cue(): void {
  timer.cueAt = Date.now();
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    void ctx.resume();
    [660, 880].forEach((f, i) => {
      const at = ctx.currentTime + i * 0.35;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.2, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.3);
    });
  } catch {
    // No audio device: the visual cue is enough.
  }
}
