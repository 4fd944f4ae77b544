/** Pure helpers of the Workshop screen's Room panel (`components/RoomPanel.svelte`). */
import type { Agreement } from './bindings/Agreement';
import type { DiagnosticRun } from './bindings/DiagnosticRun';
import type { DotVote } from './bindings/DotVote';
import type { RoomInterface } from './bindings/RoomInterface';
import type { RoomParticipant } from './bindings/RoomParticipant';
import type { RoomStep } from './bindings/RoomStep';

export interface StepOption {
  key: string;
  label: string;
  step: RoomStep;
}

/** A stable key for a step (the `<select>`'s value). */
export function stepKey(step: RoomStep): string {
  switch (step.kind) {
    case 'welcome':
    case 'parking':
      return step.kind;
    case 'diagnostic':
      return `diagnostic:${step.run_id}`;
    case 'vote':
      return `vote:${step.vote_id}`;
    case 'drafting':
    case 'signoff':
      return `${step.kind}:${step.agreement_id}`;
  }
}

/**
 * The steps the facilitator can show participants: welcome, each open diagnostic run,
 * each vote not revealed yet, blind drafting or sign-off of each definition, the parking
 * lot. The current step stays listed even when it no longer qualifies (a vote revealed
 * since), so the picker always shows what participants see.
 */
export function stepOptions(
  runs: readonly DiagnosticRun[],
  votes: readonly DotVote[],
  agreements: readonly Agreement[],
  current: RoomStep | null,
): StepOption[] {
  const out: StepOption[] = [{ key: 'welcome', label: 'Welcome', step: { kind: 'welcome' } }];
  for (const r of runs) {
    if (!r.closed || (current?.kind === 'diagnostic' && current.run_id === r.id)) {
      out.push({ key: `diagnostic:${r.id}`, label: `Diagnostic run: ${r.name}`, step: { kind: 'diagnostic', run_id: r.id } });
    }
  }
  for (const v of votes) {
    if (!v.revealed || (current?.kind === 'vote' && current.vote_id === v.id)) {
      out.push({ key: `vote:${v.id}`, label: `Vote: ${v.topic}`, step: { kind: 'vote', vote_id: v.id } });
    }
  }
  const definitions = agreements.filter((a) => a.subject.kind === 'stage');
  for (const a of definitions) {
    out.push({ key: `drafting:${a.id}`, label: `Blind drafting: ${a.title}`, step: { kind: 'drafting', agreement_id: a.id } });
  }
  for (const a of definitions) {
    out.push({ key: `signoff:${a.id}`, label: `Sign-off: ${a.title}`, step: { kind: 'signoff', agreement_id: a.id } });
  }
  out.push({ key: 'parking', label: 'Parking lot', step: { kind: 'parking' } });
  if (current && !out.some((o) => o.key === stepKey(current))) {
    out.push({ key: stepKey(current), label: 'The step shown now (no longer listed)', step: current });
  }
  return out;
}

/** The interface picked first: a LAN address if there is one (never all interfaces), else loopback. */
export function preferredInterface(list: readonly RoomInterface[]): RoomInterface | null {
  return list.find((i) => !i.loopback) ?? list[0] ?? null;
}

/** The QR code SVG as an image URL (an `<img>` runs no script from it). */
export const svgImage = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** Who is in the room: the removed left out; connected ones first, then by name. */
export function inRoom(list: readonly RoomParticipant[]): RoomParticipant[] {
  return list
    .filter((p) => !p.removed)
    .sort((a, b) => Number(b.connected) - Number(a.connected) || a.name.localeCompare(b.name));
}
