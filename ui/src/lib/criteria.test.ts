import { describe, expect, it } from 'vitest';
import { describeDefinition, FIELDS, NUMERIC, rateBasis, ratePct, toConditions, toRows } from './criteria';

describe('criteria fields', () => {
  it('are the imported fields of the Rust list, numbers by their kind', () => {
    expect(FIELDS).toContain('lost_reason');
    expect(FIELDS).not.toContain('kind');
    expect(FIELDS).not.toContain('persona');
    expect([...NUMERIC].sort()).toEqual(['amount', 'company_size']);
  });
});

describe('criteria rows', () => {
  it('round-trips conditions and drops empty rows', () => {
    const rows = [
      { field: 'industry', op: 'in' as const, text: 'Software, Fintech ,' },
      { field: 'company_size', op: 'at_least' as const, text: '1,000' },
      { field: 'country', op: 'not_in' as const, text: '' },
    ];
    const conds = toConditions(rows, true);
    expect(conds).toEqual([
      { op: 'in', field: 'industry', values: ['Software', 'Fintech'] },
      { op: 'at_least', field: 'company_size', value: 1000 },
    ]);
    expect(toRows(conds)[0].text).toBe('Software, Fintech');
  });

  it('names the bad number when saving and skips it while typing', () => {
    const rows = [{ field: 'score', op: 'at_most' as const, text: 'abc' }];
    expect(toConditions(rows, false)).toEqual([]);
    expect(() => toConditions(rows, true, 'disqualifier')).toThrow();
    try {
      toConditions(rows, true, 'disqualifier');
    } catch (e) {
      expect((e as { message: string }).message).toBe('disqualifier 1 (Score): "abc" is not a number');
    }
  });

  it('describes a definition with its disqualifiers', () => {
    expect(
      describeDefinition({
        all: [{ op: 'at_least', field: 'company_size', value: 50 }],
        disqualifiers: [{ op: 'in', field: 'country', values: ['United States'] }],
      }),
    ).toBe('Company size (employees) ≥ 50, unless Country is United States');
  });
});

describe('rates in plain words', () => {
  it('gives the share, the sample and the interval', () => {
    const r = { k: 83, n: 229, rate: 83 / 229, low: 0.3024, high: 0.4272 };
    expect(ratePct(r)).toBe('36%');
    expect(rateBasis(r)).toBe('of 229 records; likely between 30% and 43%');
    const none = { k: 0, n: 0, rate: null, low: null, high: null };
    expect(ratePct(none)).toBe('—');
    expect(rateBasis(none)).toBe('no records to measure');
  });
});
