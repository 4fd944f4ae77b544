/**
 * The participant page's logic, without any Svelte: what phase the page is in (join,
 * room, removed…), whether it is live, the latest room state, and the actions sent but
 * not yet acknowledged.
 *
 * - The state is fetched on start, on every SSE event and on every (re)connection, one
 *   fetch at a time (events arriving meanwhile cause one more fetch).
 * - While the event stream is down (or a call got no answer) the page is not `connected`:
 *   it shows "Reconnecting…" and disables its controls.
 * - Each action carries a client action id. It counts as done only once the server
 *   acknowledged it; an action that got no answer waits and is sent again, with the SAME
 *   id, when the connection is back, so the server counts it once whatever happened.
 */
import { actionId as makeActionId, type RandomSource } from './action-id';
import { isRoomError, type RoomApi, type RoomError } from './api';
import type { JoinRequest, RoomState } from './types';

export type Phase =
  /** First fetch not answered yet. */
  | 'loading'
  /** No identity in this room: the join form. */
  | 'join'
  /** Joined: following the room. */
  | 'room'
  /** The facilitator removed this participant; their secret no longer works. */
  | 'removed'
  /** The facilitator closed the room. */
  | 'closed'
  /** Wrong or expired room token. */
  | 'invalid';

/** An action not acknowledged yet. `waiting`: no answer, sent again on reconnect. */
export interface PendingAction {
  id: string;
  /** What it is about, e.g. `answer:4`, `vote`, `park`: the page shows it in that place. */
  key: string;
  status: 'sending' | 'waiting' | 'failed';
  error: RoomError | null;
  /** What was sent (the page shows e.g. a chosen rating as saving). */
  body: Record<string, unknown>;
}

export interface RoomView {
  phase: Phase;
  /** Live: the event stream is open and the last call was answered. */
  connected: boolean;
  state: RoomState | null;
  /** `Date.now()` when `state` arrived (the timer counts down from it). */
  stateAt: number;
  /** The last refusal that is not about one action (e.g. joining a locked room). */
  error: RoomError | null;
  pending: PendingAction[];
}

/** The parts of `EventSource` the client uses (tests pass a fake). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: () => void): void;
  close(): void;
}
export const EVENTSOURCE_CLOSED = 2;

export interface ClientDeps {
  api: RoomApi;
  openEvents: (url: string) => EventSourceLike;
  onchange: (view: RoomView) => void;
  random?: RandomSource;
  now?: () => number;
  /** Delay before re-opening an event stream the browser gave up on (ms), by attempt. */
  reopenDelay?: (attempt: number) => number;
  /** Delay before asking again after a call got no answer (ms). */
  probeDelay?: number;
  /** How often a closed room is asked whether it opened again (ms). */
  reopenWatchMs?: number;
}

const PROBE_MS = 2_000;
const REOPEN_WATCH_MS = 5_000;

const defaultReopenDelay = (attempt: number) => Math.min(10_000, 1_000 * 2 ** attempt);

interface Sending extends PendingAction {
  path: string;
  settle: (ok: boolean) => void;
}

export class RoomClient {
  private readonly deps: ClientDeps;
  private phase: Phase = 'loading';
  private state: RoomState | null = null;
  private stateAt = 0;
  private error: RoomError | null = null;
  private pending: Sending[] = [];
  private es: EventSourceLike | null = null;
  private esOpen = false;
  private callFailed = false;
  private fetching: Promise<void> | null = null;
  private fetchAgain = false;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private reopenAttempts = 0;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private reopenWatch: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(deps: ClientDeps) {
    this.deps = deps;
  }

  view(): RoomView {
    return {
      phase: this.phase,
      connected: this.esOpen && !this.callFailed,
      state: this.state,
      stateAt: this.stateAt,
      error: this.error,
      pending: this.pending.map(({ id, key, status, error, body }) => ({ id, key, status, error, body })),
    };
  }

  private update(): void {
    if (!this.stopped) this.deps.onchange(this.view());
  }

  /** Fetch the state and open the event stream. */
  async start(): Promise<void> {
    this.openEvents();
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
    this.closeEvents();
    if (this.probeTimer !== null) clearTimeout(this.probeTimer);
    if (this.reopenWatch !== null) clearTimeout(this.reopenWatch);
  }

  /** The page came back to the foreground or the network returned: catch up now. */
  wake(): void {
    if (this.stopped || this.ended()) return;
    if (!this.es || this.es.readyState === EVENTSOURCE_CLOSED) this.openEvents();
    void this.refresh().then(() => this.flush());
  }

  /** The browser says it is offline: show it at once rather than when a call times out. */
  offline(): void {
    this.callFailed = true;
    this.update();
  }

  // --- state -----------------------------------------------------------------------------

  /** Fetch the state; calls made while one runs cause one more fetch after it. */
  refresh(): Promise<void> {
    if (this.fetching) {
      this.fetchAgain = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      do {
        this.fetchAgain = false;
        try {
          const s = await this.deps.api.state();
          this.received(s);
        } catch (e) {
          this.failed(e);
        }
      } while (this.fetchAgain && !this.stopped);
    })().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }

  private received(s: RoomState): void {
    if (this.ended()) return;
    this.state = s;
    this.stateAt = (this.deps.now ?? Date.now)();
    this.callFailed = false;
    this.phase = s.me ? 'room' : 'join';
    this.update();
  }

  /**
   * A call was refused or not answered; returns the error. Refusals that end the page's
   * phase are handled here; others are kept in `error` when `forPage` (an action keeps
   * its own).
   */
  private failed(e: unknown, forPage = true): RoomError {
    const err: RoomError = isRoomError(e) ? e : { code: 'internal', message: String(e), status: 0 };
    if (err.status === 0) {
      this.callFailed = true;
      this.probe();
    } else if (err.code === 'removed') {
      this.end('removed');
    } else if (err.code === 'unknown_participant') {
      // The secret is not known here (a room opened afresh): join again.
      this.deps.api.forget();
      this.phase = 'join';
      void this.refresh();
    } else if (err.status === 404) {
      this.end('invalid');
    } else if (forPage) {
      this.error = err;
    }
    this.update();
    return err;
  }

  /** After a call got no answer: ask again now and then until one is answered, then resend. */
  private probe(): void {
    if (this.probeTimer !== null || this.stopped) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      if (this.stopped || this.ended()) return;
      void this.refresh().then(() => (this.callFailed ? this.probe() : this.flush()));
    }, this.deps.probeDelay ?? PROBE_MS);
  }

  private ended(): boolean {
    return this.phase === 'closed' || this.phase === 'removed' || this.phase === 'invalid';
  }

  private end(phase: 'closed' | 'removed' | 'invalid'): void {
    this.phase = phase;
    this.closeEvents();
    for (const p of this.pending) {
      p.settle(false);
    }
    this.pending = [];
    this.update();
    if (phase === 'closed') this.watchReopen();
  }

  /**
   * A closed room may open again (the facilitator restarted the app: same URL, same
   * secrets): ask now and then, and follow it again when it answers.
   */
  private watchReopen(): void {
    if (this.reopenWatch !== null || this.stopped) return;
    this.reopenWatch = setTimeout(() => {
      this.reopenWatch = null;
      if (this.stopped || this.phase !== 'closed') return;
      this.deps.api.state().then(
        (s) => {
          if (this.stopped || this.phase !== 'closed') return;
          this.phase = 'loading';
          this.received(s);
          this.openEvents();
        },
        () => this.watchReopen(),
      );
    }, this.deps.reopenWatchMs ?? REOPEN_WATCH_MS);
  }

  // --- the event stream --------------------------------------------------------------------

  private openEvents(): void {
    this.closeEvents();
    const es = this.deps.openEvents(this.deps.api.eventsUrl());
    this.es = es;
    const mine = () => this.es === es && !this.stopped;
    es.addEventListener('open', () => {
      if (!mine()) return;
      this.esOpen = true;
      this.reopenAttempts = 0;
      this.update();
      void this.refresh().then(() => this.flush());
    });
    es.addEventListener('change', () => {
      if (mine()) void this.refresh();
    });
    es.addEventListener('closed', () => {
      if (mine()) this.end('closed');
    });
    es.addEventListener('removed', () => {
      if (mine()) this.end('removed');
    });
    es.addEventListener('error', () => {
      if (!mine()) return;
      this.esOpen = false;
      this.update();
      // The browser retries by itself unless the server refused the stream: then ask the
      // state why (wrong token, removed…) and try again a little later.
      if (es.readyState === EVENTSOURCE_CLOSED) {
        void this.refresh();
        this.scheduleReopen();
      }
    });
  }

  private scheduleReopen(): void {
    if (this.reopenTimer !== null) return;
    const delay = (this.deps.reopenDelay ?? defaultReopenDelay)(this.reopenAttempts++);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (!this.stopped && !this.ended()) this.openEvents();
    }, delay);
  }

  private closeEvents(): void {
    this.es?.close();
    this.es = null;
    this.esOpen = false;
    if (this.reopenTimer !== null) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
  }

  // --- joining and acting --------------------------------------------------------------

  /** Join the room; true once the server gave this browser its identity. */
  async join(req: JoinRequest): Promise<boolean> {
    this.error = null;
    this.update();
    try {
      await this.deps.api.join(req);
    } catch (e) {
      const err = this.failed(e);
      if (err.status === 0) this.error = err;
      this.update();
      return false;
    }
    // The event stream opened before joining carries no cookie yet: open it again.
    this.openEvents();
    await this.refresh();
    return true;
  }

  /** Forget this browser's identity and show the join form (e.g. after being removed). */
  joinAgain(): void {
    this.deps.api.forget();
    this.phase = 'loading';
    this.error = null;
    this.openEvents();
    void this.refresh();
  }

  dismissError(): void {
    this.error = null;
    this.update();
  }

  /**
   * Send an action; resolves true once the server acknowledged it (after retries on
   * reconnect if need be), false when it was refused (the reason is in `pending`).
   * A new action for the same `key` replaces a failed one.
   */
  act(key: string, path: string, body: Record<string, unknown>): Promise<boolean> {
    this.pending = this.pending.filter((p) => !(p.key === key && p.status === 'failed'));
    return new Promise<boolean>((settle) => {
      const p: Sending = {
        id: makeActionId(this.deps.random),
        key,
        path,
        body,
        status: 'sending',
        error: null,
        settle,
      };
      this.pending.push(p);
      void this.send(p);
    });
  }

  private async send(p: Sending): Promise<void> {
    p.status = 'sending';
    this.update();
    try {
      await this.deps.api.action(p.path, { ...p.body, action_id: p.id });
    } catch (e) {
      const err = this.failed(e, false);
      if (!this.pending.includes(p)) return; // the room ended meanwhile
      if (err.status === 0) {
        p.status = 'waiting';
      } else {
        p.status = 'failed';
        p.error = err;
        p.settle(false);
      }
      this.update();
      return;
    }
    this.pending = this.pending.filter((x) => x !== p);
    await this.refresh();
    p.settle(true);
  }

  /** Send again, in order and with their ids, the actions that got no answer. */
  private async flush(): Promise<void> {
    for (const p of this.pending.filter((x) => x.status === 'waiting')) {
      if (!this.view().connected) return;
      await this.send(p);
    }
  }

  /** Dismiss a failed action's message. */
  clearFailed(key: string): void {
    this.pending = this.pending.filter((p) => !(p.key === key && p.status === 'failed'));
    this.update();
  }
}
