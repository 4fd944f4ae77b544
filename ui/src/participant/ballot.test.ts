import { describe, expect, it } from 'vitest';
import { addDot, canCast, dotsLeft, dotsUsed, emptyBallot, removeDot } from './ballot';

describe('ballot', () => {
  it('places dots only within the budget', () => {
    let b = emptyBallot(3);
    b = addDot(b, 0, 3);
    b = addDot(b, 0, 3);
    b = addDot(b, 2, 3);
    expect(b).toEqual([2, 0, 1]);
    expect(dotsLeft(b, 3)).toBe(0);
    expect(addDot(b, 1, 3)).toEqual([2, 0, 1]);
    expect(dotsUsed(b)).toBe(3);
  });
  it('removes dots without going below zero', () => {
    expect(removeDot([1, 0, 2], 0)).toEqual([0, 0, 2]);
    expect(removeDot([0, 0, 2], 0)).toEqual([0, 0, 2]);
  });
  it('casts a ballot with one entry per item, one to budget dots', () => {
    expect(canCast([0, 0, 0], 3, 3)).toBe(false);
    expect(canCast([1, 0, 0], 3, 3)).toBe(true);
    expect(canCast([2, 2, 0], 3, 3)).toBe(false);
    expect(canCast([1, 0], 3, 3)).toBe(false);
  });
  it('ignores items that do not exist', () => {
    expect(addDot([0, 0], 5, 3)).toEqual([0, 0]);
  });
});
