import { describe, expect, it } from 'vitest';
import type { TimerView } from './bindings/TimerView';
import { clockText, endsNow } from './timer-clock';

const view = (over: Partial<TimerView>): TimerView => ({
  session_id: 1,
  session_title: 'Kick-off',
  block: 0,
  block_title: 'Diagnostic',
  duration_ms: 1_800_000,
  running: true,
  remaining_ms: 1_000,
  ended: false,
  ...over,
});

describe('timer clock', () => {
  it('shows minutes and seconds, rounding up so 0:00 means time is up', () => {
    expect(clockText(1_800_000)).toBe('30:00');
    expect(clockText(61_001)).toBe('1:02');
    expect(clockText(999)).toBe('0:01');
    expect(clockText(0)).toBe('0:00');
    expect(clockText(-5)).toBe('0:00');
  });

  it('cues the end only of a countdown it saw running, on the same block', () => {
    const ended = view({ running: false, remaining_ms: 0, ended: true });
    expect(endsNow(view({}), ended)).toBe(true);
    expect(endsNow(null, ended)).toBe(false);
    expect(endsNow(view({ running: false }), ended)).toBe(false);
    expect(endsNow(view({ block: 1 }), ended)).toBe(false);
    expect(endsNow(view({}), view({ remaining_ms: 500 }))).toBe(false);
  });
});
