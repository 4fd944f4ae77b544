/** What the participant page says about the facilitator's current step. */
import type { RoomState, RoomStep } from './types';

/** The headline for a step, as on the projector ("Vote now", "Diagnostic open"…). */
export function stepTitle(step: RoomStep): string {
  switch (step.kind) {
    case 'welcome':
      return 'Welcome';
    case 'diagnostic':
      return 'Diagnostic open';
    case 'vote':
      return 'Vote now';
    case 'drafting':
      return 'Blind drafting';
    case 'signoff':
      return 'Sign-off';
    case 'parking':
      return 'Parking lot';
  }
}

/**
 * Whether the state carries what the step needs (the facilitator may point at a vote
 * that was deleted meanwhile): the page then says so instead of showing an empty form.
 */
export function stepReady(s: RoomState): boolean {
  const step = s.step;
  switch (step.kind) {
    case 'welcome':
    case 'parking':
      return true;
    case 'diagnostic':
      return s.diagnostic?.run_id === step.run_id;
    case 'vote':
      return s.vote?.id === step.vote_id;
    case 'drafting':
      return s.drafting?.agreement_id === step.agreement_id;
    case 'signoff':
      return s.signoff?.agreement_id === step.agreement_id;
  }
}

/** Ratings as given so far, with the ones being sent shown in place (`pending`: statement → rating). */
export function shownAnswers(answers: readonly (number | null)[], pending: ReadonlyMap<number, number>): (number | null)[] {
  return answers.map((a, i) => pending.get(i) ?? a);
}

/** The statement to show first: the first without an answer, or the last one when all are in. */
export function firstOpen(answers: readonly (number | null)[]): number {
  const i = answers.findIndex((a) => a === null);
  return i === -1 ? Math.max(0, answers.length - 1) : i;
}

/** How many statements have an acknowledged answer. */
export const answeredCount = (answers: readonly (number | null)[]): number => answers.filter((a) => a !== null).length;

/** Milliseconds left on the agenda timer `elapsedMs` after it was read. */
export function timerLeftMs(timer: { running: boolean; remaining_ms: number } | null, elapsedMs: number): number | null {
  if (!timer) return null;
  return Math.max(0, timer.running ? timer.remaining_ms - elapsedMs : timer.remaining_ms);
}
