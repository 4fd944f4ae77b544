import { describe, expect, it } from 'vitest';
import type { FunnelReport } from './bindings/FunnelReport';
import type { GroupFigures } from './bindings/GroupFigures';
import type { StageFigures } from './bindings/StageFigures';
import { funnelBars, funnelLabel, ofPreviousText, parseDay, reachedText, trendSeries } from './funnel-view';

function stage(id: string, name: string, reached: number | null, extra: Partial<StageFigures> = {}): StageFigures {
  return {
    id,
    name,
    tracked: reached !== null,
    reached,
    tracked_records: reached === null ? 0 : 100,
    partly_tracked: false,
    pct_of_first: reached === null ? null : reached / 8300,
    pct_of_previous: null,
    previous: null,
    drop_off: 0,
    skipped: 0,
    ...extra,
  };
}

// A deals export that only says lead, opportunity and customer.
const stages = [
  stage('lead', 'Lead', 8300),
  stage('mql', 'Marketing Qualified Lead', null),
  stage('sql', 'Sales Qualified Lead', null),
  stage('opportunity', 'Opportunity', 2075, { pct_of_previous: 0.25, previous: 'lead' }),
  stage('customer', 'Customer', 83, { pct_of_previous: 0.04, previous: 'opportunity' }),
];

function cohort(key: string, records: number, shares: (number | null)[]): GroupFigures {
  return {
    key,
    records,
    small_sample: records < 10,
    outcomes: { won: 0, lost: 0, open: 0 },
    stages: stages.map((s, i) => ({ ...s, pct_of_first: i === 0 ? 1 : shares[i - 1] })),
  };
}

describe('funnel view', () => {
  it('shows an untracked stage as not tracked and leaves it out of the funnel chart', () => {
    expect(reachedText(stages[1])).toBe('not tracked');
    expect(reachedText(stages[0])).toBe('8,300');
    expect(funnelBars(stages).map((b) => b.stage.id)).toEqual(['lead', 'opportunity', 'customer']);
  });

  it('names the stage % of previous compares with when stages in between are not tracked', () => {
    expect(ofPreviousText(stages[3], stages)).toBe('25.0% of Lead');
    expect(ofPreviousText(stages[4], stages)).toBe('4.0%');
    expect(ofPreviousText(stages[1], stages)).toBe('—');
    expect(funnelLabel(stages[3], stages).split('\n')).toEqual(['{b|Opportunity}', '2,075 · 25.0% of first', '25.0% of Lead']);
  });

  it('keeps chart labels short enough to fit beside the funnel for large counts', () => {
    const big = stage('customer', 'Customer', 12_345_678, { pct_of_first: 0.123, pct_of_previous: 0.456, previous: 'opportunity' });
    for (const line of funnelLabel(big, [...stages.slice(0, 4), big]).split('\n')) {
      expect(line.length).toBeLessThanOrEqual(32);
    }
  });

  it('keeps cohorts of fewer than 10 records out of the line and marks them with their n', () => {
    const report = {
      stages,
      trend: [cohort('2025-01', 40, [null, null, 0.3, 0.05]), cohort('2025-02', 2, [null, null, 1, 1]), cohort('2025-03', 50, [null, null, 0.2, 0.04])],
    } as unknown as FunnelReport;
    const series = trendSeries(report);
    expect(series.map((t) => t.stage.id)).toEqual(['opportunity', 'customer']);
    expect(series[0].line).toEqual([30, null, 20]);
    expect(series[0].small).toEqual([null, { value: 100, n: 2 }, null]);
  });

  it('reads an empty date field as no filter and only a whole day as a date', () => {
    expect(parseDay('')).toEqual({ value: null, error: null });
    expect(parseDay(' 2025-03-01 ')).toEqual({ value: '2025-03-01', error: null });
    expect(parseDay('2025-02-30').error).toContain('YYYY-MM-DD');
    expect(parseDay('2025-3').value).toBeNull();
  });
});
