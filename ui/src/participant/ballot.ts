/** A dot-vote ballot on the participant page: dots per item, within the vote's budget. */

export const dotsUsed = (dots: readonly number[]): number => dots.reduce((a, b) => a + b, 0);

export const dotsLeft = (dots: readonly number[], budget: number): number => Math.max(0, budget - dotsUsed(dots));

/** An empty ballot for `items` items. */
export const emptyBallot = (items: number): number[] => Array<number>(items).fill(0);

/** The ballot with one more dot on item `i`; unchanged when no dot is left. */
export function addDot(dots: readonly number[], i: number, budget: number): number[] {
  if (i < 0 || i >= dots.length || dotsLeft(dots, budget) === 0) return [...dots];
  return dots.map((n, j) => (j === i ? n + 1 : n));
}

/** The ballot with one dot fewer on item `i` (never below zero). */
export function removeDot(dots: readonly number[], i: number): number[] {
  return dots.map((n, j) => (j === i && n > 0 ? n - 1 : n));
}

/** A ballot the server takes: one entry per item, at least one dot, no more than the budget. */
export const canCast = (dots: readonly number[], items: number, budget: number): boolean =>
  dots.length === items && dotsUsed(dots) > 0 && dotsUsed(dots) <= budget;
