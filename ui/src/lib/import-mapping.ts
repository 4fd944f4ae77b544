/**
 * The Imports screen's column mapping: which role each column of a CSV plays, read from and
 * written to an import profile (`Profile`, see docs/import.md#import-profiles). Pure
 * functions: every edit returns a new profile, the input is left as it was.
 *
 * A role is a string, the value of the column's dropdown:
 * `''` (not imported), `record_id`, `record_key`, `stage_column`, `outcome_column`,
 * `converted_column`, `stage_date:<stage id>`, `created_date`, `close_date`, `won_date`,
 * `lost_date`, `field:<Baton or custom field>`, `personal:<personal field>`.
 */
import type { Profile } from './bindings/Profile';
import type { Stage } from './bindings/Stage';
import { isNullToken } from './bindings/nullTokens';
import { RECORD_FIELDS } from './bindings/recordFields';

export type Role = string;

/** Baton's own fields a column maps to (from Rust: baton-core/src/fields.rs); any other `fields` key is a custom field. */
export const BATON_FIELDS: readonly string[] = RECORD_FIELDS.filter((f) => f.imported).map((f) => f.id);

export const PERSONAL_FIELDS = ['first_name', 'last_name', 'email', 'phone'] as const;

const DATE_KEYS = ['created_date', 'close_date', 'won_date', 'lost_date'] as const;

/** Columns that hold one column name. */
const SINGLE_KEYS = ['record_id', 'stage_column', 'outcome_column', 'converted_column', ...DATE_KEYS] as const;
type SingleKey = (typeof SINGLE_KEYS)[number];

/** The outcome `lost`, accepted wherever a stage id is. */
export const LOST = 'lost';

/** A profile mapping nothing yet, for a CSV no preset recognises. */
export function emptyProfile(): Profile {
  return {
    name: null,
    kind: null,
    record_id: null,
    record_key: [],
    stage_dates: {},
    stage_column: null,
    stage_values: {},
    stage_default: null,
    converted_column: null,
    converted_stage: null,
    outcome_column: null,
    closed_column: null,
    outcome_values: {},
    created_date: null,
    close_date: null,
    won_date: null,
    lost_date: null,
    fields: {},
    personal: {},
    date_format: null,
    date_formats: {},
  };
}

/** Header names match ignoring case and surrounding spaces, as the importer matches them. */
export function sameColumn(a: string | null | undefined, b: string | null | undefined): boolean {
  return a != null && b != null && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function columnsOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** A copy whose maps and lists can be changed without touching `p`. */
function copy(p: Profile): Profile {
  const stageDates: Record<string, string[]> = {};
  for (const [stage, cols] of Object.entries(p.stage_dates)) stageDates[stage] = [...columnsOf(cols)];
  return {
    ...p,
    record_key: [...p.record_key],
    stage_dates: stageDates,
    stage_values: { ...p.stage_values },
    outcome_values: { ...p.outcome_values },
    fields: { ...p.fields },
    personal: { ...p.personal },
    date_formats: { ...p.date_formats },
  };
}

/** Every role `column` plays in `profile`, the most telling first. */
export function rolesOf(profile: Profile, column: string): Role[] {
  const roles: Role[] = [];
  if (sameColumn(profile.record_id, column)) roles.push('record_id');
  if (profile.record_key.some((c) => sameColumn(c, column))) roles.push('record_key');
  for (const key of ['stage_column', 'outcome_column', 'converted_column'] as const) {
    if (sameColumn(profile[key], column)) roles.push(key);
  }
  for (const [stage, cols] of Object.entries(profile.stage_dates)) {
    if (columnsOf(cols).some((c) => sameColumn(c, column))) roles.push(`stage_date:${stage}`);
  }
  for (const key of DATE_KEYS) if (sameColumn(profile[key], column)) roles.push(key);
  for (const [field, c] of Object.entries(profile.fields)) if (sameColumn(c, column)) roles.push(`field:${field}`);
  for (const [field, c] of Object.entries(profile.personal)) if (sameColumn(c, column)) roles.push(`personal:${field}`);
  return roles;
}

/** The role the column's dropdown shows; `''` when the column is not imported. */
export function roleOf(profile: Profile, column: string): Role {
  return rolesOf(profile, column)[0] ?? '';
}

/** The profile without any role for `column`. */
function cleared(profile: Profile, column: string): Profile {
  const p = copy(profile);
  for (const key of SINGLE_KEYS) if (sameColumn(p[key], column)) p[key] = null;
  p.record_key = p.record_key.filter((c) => !sameColumn(c, column));
  for (const [stage, cols] of Object.entries(p.stage_dates)) {
    const left = columnsOf(cols).filter((c) => !sameColumn(c, column));
    if (left.length > 0) p.stage_dates[stage] = left;
    else delete p.stage_dates[stage];
  }
  for (const map of [p.fields, p.personal]) {
    for (const [field, c] of Object.entries(map)) if (sameColumn(c, column)) delete map[field];
  }
  return p;
}

/**
 * The profile with `column` playing `role` only. A role one column holds (record id, stage
 * column, a date, a field) moves to `column`; a stage date adds `column` to that stage's
 * columns (the earliest date wins). Record id and record key exclude each other.
 */
export function withRole(profile: Profile, column: string, role: Role): Profile {
  const p = cleared(profile, column);
  const [kind, name] = splitRole(role);
  if (kind === 'record_id') {
    p.record_id = column;
    p.record_key = [];
  } else if (kind === 'record_key') {
    p.record_id = null;
    p.record_key.push(column);
  } else if (kind === 'stage_date') {
    p.stage_dates[name] = [...columnsOf(p.stage_dates[name]), column];
  } else if (kind === 'field') {
    p.fields[name] = column;
  } else if (kind === 'personal') {
    p.personal[name] = column;
  } else if ((SINGLE_KEYS as readonly string[]).includes(kind)) {
    p[kind as SingleKey] = column;
  } else if (kind !== '') {
    throw new Error(`unknown column role "${role}"`);
  }
  return p;
}

function splitRole(role: Role): [string, string] {
  const i = role.indexOf(':');
  return i < 0 ? [role, ''] : [role.slice(0, i), role.slice(i + 1)];
}

/** The importer needs a record id column, or columns that together identify a record. */
export function hasRecordId(profile: Profile | null): boolean {
  return !!profile && (!!profile.record_id || profile.record_key.length > 0);
}

/**
 * A custom field named after the column, in the presets' style (`Lead Status` →
 * `lead_status`); a name that is one of Baton's own fields gets a `custom_` prefix so the
 * column is not read as that field.
 */
export function customFieldName(column: string): string {
  const slug = column
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  const name = slug || 'column';
  const taken: readonly string[] = [...BATON_FIELDS, ...PERSONAL_FIELDS];
  return taken.includes(name) ? `custom_${name}` : name;
}

export interface RoleOption {
  value: Role;
  label: string;
}

export interface RoleGroup {
  label: string;
  options: RoleOption[];
}

const LABELS: Record<string, string> = {
  '': 'not imported',
  record_id: 'record id',
  record_key: 'part of the record key',
  stage_column: 'current stage',
  outcome_column: 'outcome (won / lost / open)',
  converted_column: 'converted (yes / no)',
  created_date: 'created date',
  close_date: 'close date (won or lost by the stage)',
  won_date: 'won date',
  lost_date: 'lost date',
};

const option = (value: Role): RoleOption => ({ value, label: LABELS[value] });

/**
 * The dropdown of one column: the roles any column can take, the column's own custom field,
 * and whatever role the profile already gives it (a preset's `mobile`, `outcome_column`…).
 */
export function roleGroups(profile: Profile, column: string, stages: Stage[]): RoleGroup[] {
  const own = rolesOf(profile, column);
  const groups: RoleGroup[] = [
    {
      label: 'Record',
      options: ['', 'record_id', 'record_key', 'stage_column'].map(option),
    },
    {
      label: 'Dates',
      options: [
        ...stages.map((s) => ({ value: `stage_date:${s.id}`, label: `date of stage ${s.name}` })),
        ...DATE_KEYS.map(option),
      ],
    },
    { label: 'Baton fields', options: BATON_FIELDS.map((f) => ({ value: `field:${f}`, label: f })) },
    { label: 'Custom field', options: [] },
    {
      label: 'Personal (stored only if you opt in)',
      options: PERSONAL_FIELDS.map((f) => ({ value: `personal:${f}`, label: `${f} (personal)` })),
    },
  ];
  const custom = groups[3].options;
  const mine = `field:${customFieldName(column)}`;
  custom.push({ value: mine, label: `${customFieldName(column)} (custom field)` });
  const known = new Set(groups.flatMap((g) => g.options.map((o) => o.value)));
  for (const role of own) {
    if (known.has(role)) continue;
    known.add(role);
    const [kind, name] = splitRole(role);
    if (kind === 'field') custom.push({ value: role, label: `${name} (custom field)` });
    else if (kind === 'personal') groups[4].options.push({ value: role, label: `${name} (personal)` });
    else if (kind === 'stage_date') groups[1].options.unshift({ value: role, label: `date of stage ${name}` });
    else if (role in LABELS) groups[0].options.push(option(role));
  }
  return groups;
}

/** The dropdown's text for a role, e.g. for a summary line. */
export function roleLabel(role: Role, stages: Stage[]): string {
  const [kind, name] = splitRole(role);
  if (kind === 'stage_date') return `date of stage ${stages.find((s) => s.id === name)?.name ?? name}`;
  if (kind === 'field') return BATON_FIELDS.includes(name) ? name : `custom field ${name}`;
  if (kind === 'personal') return `personal ${name}`;
  return LABELS[role] ?? role;
}

/** Distinct non-empty values of a column in the preview rows, case variants folded to the first spelling. */
export function distinctValues(rows: string[][], index: number): string[] {
  const seen = new Map<string, string>();
  for (const row of rows) {
    const v = (row[index] ?? '').trim();
    if (!isNullToken(v) && !seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  }
  return [...seen.values()];
}

/** Stage id (or `lost`) the profile's `stage_values` gives a CRM value; `''` when none. */
export function stageValueOf(profile: Profile, value: string): string {
  const hit = Object.entries(profile.stage_values).find(([k]) => sameColumn(k, value));
  return hit ? hit[1] : '';
}

/** The profile with `value` mapped to `stage` (`''` removes the mapping), whatever its case. */
export function withStageValue(profile: Profile, value: string, stage: string): Profile {
  const p = copy(profile);
  for (const k of Object.keys(p.stage_values)) if (sameColumn(k, value)) delete p.stage_values[k];
  if (stage !== '') p.stage_values[value] = stage;
  return p;
}

/** Where an unmapped CRM value still lands: a stage with that id or name, or `lost`. */
export function stageByName(value: string, stages: Stage[]): string | null {
  if (sameColumn(value, LOST)) return LOST;
  return stages.find((s) => sameColumn(s.id, value) || sameColumn(s.name, value))?.id ?? null;
}
