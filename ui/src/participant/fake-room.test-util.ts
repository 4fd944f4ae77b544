/**
 * A fake room server for the participant page's unit tests: answers `fetch` the way the
 * room contract says (state, join, actions with idempotent action ids, 401/404 codes),
 * can drop off the network, and hands out fake EventSources the test drives.
 */
import type { EventSourceLike } from './room';
import type { RoomState } from './types';

export const BASE = 'http://10.0.0.5:7420/r/tok_abc/';

export function roomState(over: Partial<RoomState> = {}): RoomState {
  return {
    version: 1,
    session: { id: 1, title: 'Spring alignment' },
    locked: false,
    joined: 0,
    step: { kind: 'vote', vote_id: 7 },
    timer: null,
    people: [{ id: 1, name: 'Dana', team: 'sales' }],
    diagnostic: null,
    vote: { id: 7, topic: 'Next fix', items: ['SLA', 'Scoring', 'Routing'], votes_per_person: 3, ballots_cast: 0, revealed: false, tally: [] },
    drafting: null,
    signoff: null,
    parking: { anonymous_allowed: true, items: [] },
    me: null,
    ...over,
  };
}

interface Call {
  method: string;
  path: string;
  secret: string | null;
  body: Record<string, unknown> | null;
}

export class FakeRoom {
  state: RoomState = roomState();
  secrets = new Map<string, { name: string; team: string; removed: boolean }>();
  /** action id → the reply first given (a replay gets it again and changes nothing). */
  acks = new Map<string, { ok: true; version: number }>();
  /** How many times each action id was applied (must never exceed 1). */
  applied = new Map<string, number>();
  ballots: number[][] = [];
  calls: Call[] = [];
  online = true;
  /** Apply the next action but lose its reply (the connection drops on the way back). */
  dropNextReply = false;
  /** Answer this status/body to every call instead (e.g. a closed room's 404). */
  override: { status: number; body: string } | null = null;
  events: FakeEvents[] = [];

  fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    if (!this.online) throw new TypeError('Failed to fetch');
    const path = input.slice(BASE.length);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const secret = headers['X-Baton-Participant'] ?? null;
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
    this.calls.push({ method: init?.method ?? 'GET', path, secret, body });
    if (this.override) return new Response(this.override.body, { status: this.override.status });
    const who = secret ? this.secrets.get(secret) : undefined;
    if (secret && !who) return json(401, { code: 'unknown_participant', message: 'Join the room again.' });
    if (who?.removed) return json(401, { code: 'removed', message: 'You were removed from the room.' });
    if (path === 'api/state') {
      const me = who ? { name: who.name, team: who.team as 'sales', answers: Array(20).fill(null), voted: this.ballots.length > 0, drafted: false, signed: false } : null;
      return json(200, { ...this.state, me });
    }
    if (path === 'api/join') {
      if (this.state.locked) return json(403, { code: 'forbidden', message: 'The room is locked to new joins.' });
      const s = `secret-${this.secrets.size + 1}`;
      const name = (body?.name as string) ?? 'Dana';
      this.secrets.set(s, { name, team: 'sales', removed: false });
      this.state = { ...this.state, joined: this.state.joined + 1, version: this.state.version + 1 };
      return json(200, { participant: s, name, team: 'sales' });
    }
    if (!who) return json(401, { code: 'unknown_participant', message: 'Join first.' });
    const id = String(body?.action_id);
    const seen = this.acks.get(id);
    if (seen) return json(200, seen);
    if (path === 'api/vote') {
      if (this.ballots.length > 0) return json(409, { code: 'conflict', message: 'You have already voted.' });
      this.ballots.push(body?.dots as number[]);
      this.state = { ...this.state, vote: { ...this.state.vote!, ballots_cast: this.ballots.length } };
    }
    this.applied.set(id, (this.applied.get(id) ?? 0) + 1);
    this.state = { ...this.state, version: this.state.version + 1 };
    const ack = { ok: true as const, version: this.state.version };
    this.acks.set(id, ack);
    if (this.dropNextReply) {
      this.dropNextReply = false;
      this.online = false;
      throw new TypeError('Network connection was lost');
    }
    return json(200, ack);
  };

  openEvents = (url: string): EventSourceLike => {
    const es = new FakeEvents(url);
    this.events.push(es);
    return es;
  };

  get lastEvents(): FakeEvents {
    return this.events[this.events.length - 1];
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export class FakeEvents implements EventSourceLike {
  readyState = 0;
  closed = false;
  private listeners = new Map<string, (() => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, readyState?: number): void {
    if (type === 'open') this.readyState = 1;
    if (readyState !== undefined) this.readyState = readyState;
    for (const l of this.listeners.get(type) ?? []) l();
  }
}

/** Let pending promises and zero-delay timers run. */
export const settle = async (rounds = 10) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
};
