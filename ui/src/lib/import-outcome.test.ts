import { describe, expect, it } from 'vitest';
import type { PreviewCounts } from './bindings/PreviewCounts';
import { describeOutcome } from './import-outcome';

function counts(over: Partial<PreviewCounts> = {}): PreviewCounts {
  return {
    kind: 'contact',
    rows: 10,
    all_rows: true,
    records: 6,
    repeated: 1,
    stages: [
      { stage: 'lead', name: 'Lead', records: 2 },
      { stage: 'mql', name: 'Marketing Qualified Lead', records: 3 },
      { stage: 'sql', name: 'Sales Qualified Lead', records: 0 },
      { stage: 'customer', name: 'Customer', records: 1 },
      { stage: 'lost', name: 'Closed lost', records: 0 },
    ],
    no_stage: 0,
    won: 1,
    lost: 0,
    rejected: 1,
    skipped: 2,
    rejects: ['row at line 8, column "Create Date": found "whenever", expected a date'],
    too_many_rejected: false,
    ...over,
  };
}

describe('describeOutcome', () => {
  it('lists records per stage with data, and the rows that would not become records', () => {
    const o = describeOutcome(counts());
    expect(o.headline).toBe('6 contact records from the 10 rows of the file');
    expect(o.stages.map((s) => `${s.name} ${s.records}`)).toEqual(['Lead 2', 'Marketing Qualified Lead 3', 'Customer 1']);
    expect(o.notes).toEqual([
      '1 row would be rejected: row at line 8, column "Create Date": found "whenever", expected a date.',
      '1 row repeats a record id seen earlier and updates that record.',
      '2 blank or footer rows skipped.',
    ]);
    expect(o.warning).toBeNull();
  });

  it('says when the rows are only the first ones and when records have no stage', () => {
    const o = describeOutcome(counts({ all_rows: false, rows: 200000, no_stage: 4, rejected: 0, repeated: 0, skipped: 0, rejects: [] }));
    expect(o.headline).toBe('6 contact records from the first 200,000 rows (the import reads them all)');
    expect(o.stages.at(-1)).toEqual({ stage: '', name: 'No stage', records: 4 });
    expect(o.notes).toEqual([]);
  });

  it('warns before Import when more than half of the rows would be rejected', () => {
    const o = describeOutcome(counts({ records: 1, repeated: 0, rejected: 18071, too_many_rejected: true }));
    expect(o.warning).toContain('More than half of the rows would be rejected (18,071 of 18,072)');
  });
});
