import { describe, expect, it } from 'vitest';
import { formatCount, formatShare, formatWallClock, plural } from './format';

describe('format', () => {
  it('groups thousands', () => {
    expect(formatCount(3456)).toBe('3,456');
    expect(formatCount(0)).toBe('0');
  });

  it('shows a share as a percentage and guards an empty whole', () => {
    expect(formatShare(1, 3)).toBe('33.3%');
    expect(formatShare(5, 0)).toBe('—');
  });

  it('shows stored wall-clock seconds without shifting them to a zone', () => {
    // 2026-11-02T09:30:00 wall clock, stored as if UTC.
    expect(formatWallClock(Date.UTC(2026, 10, 2, 9, 30) / 1000)).toBe('2026-11-02 09:30');
  });

  it('pluralises', () => {
    expect(plural(1, 'record')).toBe('1 record');
    expect(plural(1200, 'record')).toBe('1,200 records');
    expect(plural(2, 'company', 'companies')).toBe('2 companies');
  });
});
