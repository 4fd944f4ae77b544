/** A blind draft as typed on a phone: one text per field, lists one item per line. */
import type { DefinitionContent } from './types';

export interface DraftText {
  summary: string;
  fit: string;
  intent: string;
  thresholds: string;
  disqualifiers: string;
  reject_reasons: string;
}

export const emptyDraft = (): DraftText => ({ summary: '', fit: '', intent: '', thresholds: '', disqualifiers: '', reject_reasons: '' });

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** The draft as the server takes it (no machine criteria from a phone). */
export function draftContent(d: DraftText): DefinitionContent {
  return {
    summary: d.summary.trim(),
    fit: lines(d.fit),
    intent: lines(d.intent),
    thresholds: lines(d.thresholds),
    disqualifiers: lines(d.disqualifiers),
    reject_reasons: lines(d.reject_reasons),
    criteria: { all: [], disqualifiers: [] },
  };
}

/** Whether the draft says anything at all. */
export const draftEmpty = (d: DraftText): boolean => Object.values(d).every((v) => v.trim() === '');

/** Teams that draft blind: the others watch. */
export const draftsBlind = (team: string): team is 'sales' | 'marketing' => team === 'sales' || team === 'marketing';
