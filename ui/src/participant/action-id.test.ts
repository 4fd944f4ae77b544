import { describe, expect, it } from 'vitest';
import { actionId } from './action-id';

describe('actionId', () => {
  it('is 32 hex characters from getRandomValues (no randomUUID needed)', () => {
    const fixed = { getRandomValues: (a: Uint8Array<ArrayBuffer>) => a.fill(0xab) };
    expect(actionId(fixed)).toBe('ab'.repeat(16));
  });
  it('differs from call to call with the real generator', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => actionId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
  it('does not use crypto.randomUUID, which plain-HTTP pages lack', () => {
    const noUuid = { getRandomValues: (a: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(a), randomUUID: undefined };
    expect(actionId(noUuid)).toMatch(/^[0-9a-f]{32}$/);
  });
});
