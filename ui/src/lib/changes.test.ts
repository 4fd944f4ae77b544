import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch, listenFor, SETTLE_MS } from './changes';

describe('change routing', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    stops.splice(0).forEach((s) => s());
    vi.useRealTimers();
  });

  it('reloads only the screens showing the changed area, once per burst', () => {
    vi.useFakeTimers();
    const goals = vi.fn();
    const people = vi.fn();
    stops.push(listenFor(['goals', 'sla'], goals), listenFor(['people'], people));
    dispatch({ area: 'goals', id: 1, version: 1 });
    dispatch({ area: 'sla', id: 2, version: 2 });
    expect(goals).not.toHaveBeenCalled();
    vi.advanceTimersByTime(SETTLE_MS);
    expect(goals).toHaveBeenCalledTimes(1);
    expect(people).not.toHaveBeenCalled();
  });

  it('a workspace change reaches every screen; a stopped listener hears nothing', () => {
    vi.useFakeTimers();
    const a = vi.fn();
    const b = vi.fn();
    stops.push(listenFor(['votes'], a));
    const stopB = listenFor(['timer'], b);
    dispatch({ area: 'workspace', id: null, version: 0 });
    stopB();
    vi.advanceTimersByTime(SETTLE_MS);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).not.toHaveBeenCalled();
  });
});
