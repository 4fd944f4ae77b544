/**
 * How the Funnel screen shows the engine's figures: untracked stages without a count,
 * small cohorts as hollow points outside the line, the entry-date inputs. The figures
 * themselves (what is tracked, which cohort is small) come from the Rust engine.
 */
import type { FunnelReport } from './bindings/FunnelReport';
import type { StageFigures } from './bindings/StageFigures';
import { formatCount } from './format';

export const NOT_TRACKED = 'not tracked';

export const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** The count of a stage, or "not tracked". */
export function reachedText(s: StageFigures): string {
  return s.reached === null ? NOT_TRACKED : formatCount(s.reached);
}

/** "% of previous", naming the stage it compares with when that is not the row above. */
export function ofPreviousText(s: StageFigures, stages: StageFigures[]): string {
  if (s.pct_of_previous === null) return '—';
  const i = stages.findIndex((x) => x.id === s.id);
  const above = stages[i - 1];
  if (!s.previous || above?.id === s.previous) return pct(s.pct_of_previous);
  const prev = stages.find((x) => x.id === s.previous);
  return `${pct(s.pct_of_previous)} of ${prev?.name ?? s.previous}`;
}

/** The funnel chart's bars: tracked stages only (an untracked stage has no count to draw). */
export function funnelBars(stages: StageFigures[]): { stage: StageFigures; name: string; value: number }[] {
  return stages.filter((s) => s.reached !== null).map((s) => ({ stage: s, name: s.name, value: s.reached ?? 0 }));
}

/** A bar's label, on short lines so it fits beside the funnel at any count. */
export function funnelLabel(s: StageFigures, stages: StageFigures[]): string {
  const lines = [`{b|${s.name}}`, `${reachedText(s)} · ${pct(s.pct_of_first)} of first`];
  if (s.pct_of_previous !== null) {
    const i = stages.findIndex((x) => x.id === s.id);
    const named = s.previous !== null && stages[i - 1]?.id !== s.previous;
    lines.push(named ? ofPreviousText(s, stages) : `${pct(s.pct_of_previous)} of previous`);
  }
  return lines.join('\n');
}

export interface TrendSeries {
  stage: StageFigures;
  /** % of first per cohort for the line; null for small cohorts (drawn apart) and gaps. */
  line: (number | null)[];
  /** The small cohorts' points (hollow, labelled with n); null elsewhere. */
  small: ({ value: number; n: number } | null)[];
}

/**
 * One series per later stage the data tracks. Cohorts of fewer than 10 records are
 * kept out of the line (`connectNulls` joins the others) and drawn as hollow points.
 */
export function trendSeries(report: FunnelReport): TrendSeries[] {
  return report.stages
    .slice(1)
    .map((stage, k) => ({ stage, i: k + 1 }))
    .filter(({ stage }) => stage.tracked)
    .map(({ stage, i }) => {
      const values = report.trend.map((c) => {
        const v = c.stages[i]?.pct_of_first;
        return v === null || v === undefined || !c.stages[i].tracked ? null : +(v * 100).toFixed(2);
      });
      return {
        stage,
        line: values.map((v, c) => (report.trend[c].small_sample ? null : v)),
        small: values.map((v, c) => (report.trend[c].small_sample && v !== null ? { value: v, n: report.trend[c].records } : null)),
      };
    });
}

/**
 * An entry-date field's text: empty means no filter; `YYYY-MM-DD` (a real day) filters.
 * Anything else is kept out of the query and reported.
 */
export function parseDay(text: string): { value: string | null; error: string | null } {
  const t = text.trim();
  if (t === '') return { value: null, error: null };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) {
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]) return { value: t, error: null };
  }
  return { value: null, error: `“${t}” is not a date; type it as YYYY-MM-DD, e.g. 2025-03-01` };
}
