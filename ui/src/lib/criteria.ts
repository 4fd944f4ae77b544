/**
 * Criteria rows as edited on screen (persona criteria, a definition's machine criteria)
 * and their conditions; plain-words rates for the definition check.
 */
import type { Condition } from './bindings/Condition';
import type { DefinitionCriteria } from './bindings/DefinitionCriteria';
import type { Rate } from './bindings/Rate';
import { fieldLabel, RECORD_FIELDS } from './bindings/recordFields';
import { formatCount } from './format';

// The record fields a criterion can test and which of them are numbers (the list, kinds and
// labels come from Rust: baton-core/src/fields.rs).
export const FIELDS = RECORD_FIELDS.filter((f) => f.imported).map((f) => f.id);
export const NUMERIC = new Set(RECORD_FIELDS.filter((f) => f.kind === 'number').map((f) => f.id));
export const OPS: { id: Condition['op']; label: string }[] = [
  { id: 'in', label: 'is one of' },
  { id: 'not_in', label: 'is none of' },
  { id: 'at_least', label: '≥' },
  { id: 'at_most', label: '≤' },
  { id: 'contains', label: 'contains' },
];

/** One criterion as edited: values stay text until saved. */
export type CriteriaRow = { field: string; op: Condition['op']; text: string };

export function toRows(conds: Condition[]): CriteriaRow[] {
  return conds.map((c) => ({
    field: c.field,
    op: c.op,
    text: c.op === 'in' || c.op === 'not_in' ? c.values.join(', ') : c.op === 'contains' ? c.text : String(c.value),
  }));
}

/**
 * The rows as conditions. Rows left empty are dropped; a number that is not a number is
 * an error when `strict` (saving) and skipped otherwise (the live preview while typing).
 * `what` names the rows in messages ("criterion", "disqualifier").
 */
export function toConditions(rows: CriteriaRow[], strict: boolean, what = 'criterion'): Condition[] {
  const out: Condition[] = [];
  rows.forEach((r, i) => {
    const text = r.text.trim();
    if (text === '') return;
    switch (r.op) {
      case 'in':
      case 'not_in': {
        const values = text.split(',').map((v) => v.trim()).filter((v) => v !== '');
        if (values.length > 0) out.push({ op: r.op, field: r.field, values });
        break;
      }
      case 'contains':
        out.push({ op: 'contains', field: r.field, text });
        break;
      default: {
        const value = Number(text.replace(/[\s,]/g, ''));
        if (Number.isFinite(value)) out.push({ op: r.op, field: r.field, value });
        else if (strict) throw { code: 'invalid_input', message: `${what} ${i + 1} (${fieldLabel(r.field)}): "${text}" is not a number` };
      }
    }
  });
  return out;
}

export function describeCondition(c: Condition): string {
  switch (c.op) {
    case 'in':
      return `${fieldLabel(c.field)} is ${c.values.join(' or ')}`;
    case 'not_in':
      return `${fieldLabel(c.field)} is not ${c.values.join(' or ')}`;
    case 'at_least':
      return `${fieldLabel(c.field)} ≥ ${c.value}`;
    case 'at_most':
      return `${fieldLabel(c.field)} ≤ ${c.value}`;
    case 'contains':
      return `${fieldLabel(c.field)} contains “${c.text}”`;
  }
}

/** `Company size (employees) ≥ 50, unless Country is United States`. */
export function describeDefinition(c: DefinitionCriteria): string {
  const all = c.all.length === 0 ? 'every record' : c.all.map(describeCondition).join(' and ');
  return c.disqualifiers.length === 0 ? all : `${all}, unless ${c.disqualifiers.map(describeCondition).join(' or ')}`;
}

export const emptyDefinition = (): DefinitionCriteria => ({ all: [], disqualifiers: [] });

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The share alone, `36%`; an em dash without records. */
export function ratePct(r: Rate | null | undefined): string {
  return r && r.rate !== null ? pct(r.rate) : '—';
}

/** Sample and interval in plain words: `of 229 records; likely between 30% and 43%`. */
export function rateBasis(r: Rate | null | undefined): string {
  if (!r || r.rate === null || r.low === null || r.high === null) return 'no records to measure';
  return `of ${formatCount(r.n)} ${r.n === 1 ? 'record' : 'records'}; likely between ${pct(r.low)} and ${pct(r.high)}`;
}
