import { describe, expect, it } from 'vitest';
import { roomState } from './fake-room.test-util';
import { answeredCount, firstOpen, shownAnswers, stepReady, stepTitle, timerLeftMs } from './steps';
import { draftContent, draftEmpty, draftsBlind, emptyDraft } from './draft';

describe('steps', () => {
  it('names the facilitator step as the projector does', () => {
    expect(stepTitle({ kind: 'vote', vote_id: 1 })).toBe('Vote now');
    expect(stepTitle({ kind: 'diagnostic', run_id: 1 })).toBe('Diagnostic open');
  });
  it('is ready only when the state carries what the step points at', () => {
    expect(stepReady(roomState())).toBe(true);
    expect(stepReady(roomState({ step: { kind: 'vote', vote_id: 8 } }))).toBe(false);
    expect(stepReady(roomState({ step: { kind: 'diagnostic', run_id: 2 } }))).toBe(false);
  });
  it('resumes the diagnostic at the first statement without an answer', () => {
    expect(firstOpen([3, 4, null, 2, null])).toBe(2);
    expect(firstOpen([3, 4])).toBe(1);
    expect(answeredCount([3, null, 1])).toBe(2);
  });
  it('shows ratings on their way in place of the acknowledged ones', () => {
    expect(shownAnswers([3, null, null], new Map([[1, 5]]))).toEqual([3, 5, null]);
  });
  it('counts the agenda timer down only while it runs', () => {
    expect(timerLeftMs({ running: true, remaining_ms: 60_000 }, 15_000)).toBe(45_000);
    expect(timerLeftMs({ running: false, remaining_ms: 60_000 }, 15_000)).toBe(60_000);
    expect(timerLeftMs({ running: true, remaining_ms: 1_000 }, 15_000)).toBe(0);
    expect(timerLeftMs(null, 0)).toBeNull();
  });
});

describe('draft', () => {
  it('turns one item per line into lists, without blank lines', () => {
    const d = { ...emptyDraft(), summary: '  Asked for a demo ', fit: 'EU\n\n 50+ staff \n' };
    const c = draftContent(d);
    expect(c.summary).toBe('Asked for a demo');
    expect(c.fit).toEqual(['EU', '50+ staff']);
    expect(c.intent).toEqual([]);
    expect(c.criteria).toEqual({ all: [], disqualifiers: [] });
  });
  it('knows an empty draft and who drafts blind', () => {
    expect(draftEmpty(emptyDraft())).toBe(true);
    expect(draftEmpty({ ...emptyDraft(), fit: 'x' })).toBe(false);
    expect(draftsBlind('sales')).toBe(true);
    expect(draftsBlind('leadership')).toBe(false);
  });
});
