import { describe, expect, it } from 'vitest';
import type { Agreement } from './bindings/Agreement';
import type { DiagnosticRun } from './bindings/DiagnosticRun';
import type { DotVote } from './bindings/DotVote';
import { inRoom, preferredInterface, stepKey, stepOptions, svgImage } from './room-panel';

const run = (id: number, closed: boolean): DiagnosticRun => ({ id, name: `Q${id}`, date: '2026-01-01', closed, named: false, revealed: false, answered: [], result: null });
const vote = (id: number, revealed: boolean): DotVote => ({ id, session_id: 1, topic: `T${id}`, items: ['a', 'b'], votes_per_person: 3, ballots_cast: 0, revealed, tally: [] });
const agreement = (id: number, kind: 'stage' | 'goal'): Agreement =>
  ({
    id,
    subject: kind === 'stage' ? { kind: 'stage', stage_id: 'mql' } : { kind: 'goal', goal_id: 1 },
    title: `A${id}`,
    versions: [],
    agreed: false,
    last_agreed_version: null,
    missing_sides: [],
    current_terms: [],
    terms_changed: false,
  }) as Agreement;

describe('room panel', () => {
  it('offers welcome, open runs, unrevealed votes, drafting and sign-off of definitions, the parking lot', () => {
    const o = stepOptions([run(1, false), run(2, true)], [vote(3, false), vote(4, true)], [agreement(5, 'stage'), agreement(6, 'goal')], null);
    expect(o.map((x) => x.key)).toEqual(['welcome', 'diagnostic:1', 'vote:3', 'drafting:5', 'signoff:5', 'parking']);
    expect(o.find((x) => x.key === 'vote:3')?.step).toEqual({ kind: 'vote', vote_id: 3 });
  });
  it('keeps the step shown now listed even once it no longer qualifies', () => {
    const o = stepOptions([], [vote(4, true)], [], { kind: 'vote', vote_id: 4 });
    expect(o.map((x) => x.key)).toContain('vote:4');
    const gone = stepOptions([], [], [], { kind: 'diagnostic', run_id: 9 });
    expect(gone[gone.length - 1]).toMatchObject({ key: 'diagnostic:9' });
  });
  it('keys steps stably', () => {
    expect(stepKey({ kind: 'signoff', agreement_id: 2 })).toBe('signoff:2');
    expect(stepKey({ kind: 'parking' })).toBe('parking');
  });
  it('prefers a LAN interface to loopback, and never invents one', () => {
    const lo = { name: 'lo', address: '127.0.0.1', loopback: true };
    const wlan = { name: 'wlan0', address: '192.168.1.20', loopback: false };
    expect(preferredInterface([lo, wlan])).toBe(wlan);
    expect(preferredInterface([lo])).toBe(lo);
    expect(preferredInterface([])).toBeNull();
  });
  it('lists who is in the room: removed left out, connected first', () => {
    const p = (id: number, name: string, connected: boolean, removed = false) => ({ id, person_id: id, name, team: 'sales' as const, connected, removed });
    expect(inRoom([p(1, 'Zoe', true), p(2, 'Ann', false), p(3, 'Bob', true), p(4, 'Cy', true, true)]).map((x) => x.name)).toEqual(['Bob', 'Zoe', 'Ann']);
  });
  it('shows the QR SVG as an image URL', () => {
    expect(svgImage('<svg a="1"/>')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%20a%3D%221%22%2F%3E');
  });
});
