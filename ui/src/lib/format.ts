/** Shared number and date formatting, so every screen reads the same way. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** `share` of `whole` as a percentage; an em dash when `whole` is 0. */
export function formatShare(share: number, whole: number): string {
  return whole === 0 ? '—' : percent.format(share / whole);
}

/**
 * A wall-clock time stored as seconds since 1970-01-01T00:00:00 of that wall clock
 * (see docs/architecture.md), shown as `2026-11-02 09:30`. It carries no zone, so it
 * is formatted in UTC to show exactly the stored wall clock.
 */
export function formatWallClock(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** `1 record`, `2 records`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A goal's target or actual as people read it, like `GoalMetric::value_text` in Rust: rates as "40%", counts "1,200". */
export function formatGoalValue(metric: { kind: string }, v: number): string {
  if (metric.kind === 'conversion' || metric.kind === 'sla_met') {
    return `${(Math.round(v * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%`;
  }
  return formatCount(v);
}
