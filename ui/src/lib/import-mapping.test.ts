import { describe, expect, it } from 'vitest';
import type { Profile } from './bindings/Profile';
import type { Stage } from './bindings/Stage';
import { isNullToken, NULL_TOKENS } from './bindings/nullTokens';
import { RECORD_FIELDS } from './bindings/recordFields';
import {
  customFieldName,
  distinctValues,
  emptyProfile,
  hasRecordId,
  roleGroups,
  roleLabel,
  roleOf,
  rolesOf,
  stageByName,
  stageValueOf,
  withRole,
  withStageValue,
} from './import-mapping';

const stages: Stage[] = [
  { id: 'lead', name: 'Lead', position: 0 },
  { id: 'mql', name: 'Marketing Qualified Lead', position: 1 },
  { id: 'sql', name: 'Sales Qualified Lead', position: 2 },
  { id: 'opportunity', name: 'Opportunity', position: 3 },
  { id: 'customer', name: 'Customer', position: 4 },
];

/** A HubSpot-like profile, as the preview returns a preset's mapping. */
function hubspotLike(): Profile {
  return {
    ...emptyProfile(),
    name: 'hubspot-contacts',
    kind: 'contact',
    record_id: 'Record ID',
    stage_column: 'Lifecycle Stage',
    stage_values: { 'Marketing Qualified Lead': 'mql', Subscriber: 'lead' },
    stage_dates: { lead: ['Create Date'], mql: ['Became a Marketing Qualified Lead Date'] },
    created_date: 'Create Date',
    fields: { source: 'Original Source', lead_status: 'Lead Status' },
    personal: { email: 'Email', mobile: 'Mobile Phone Number' },
  };
}

describe('column roles read from a profile', () => {
  it('lists every role of a column, matching names as the importer does', () => {
    const p = hubspotLike();
    expect(rolesOf(p, 'Create Date')).toEqual(['stage_date:lead', 'created_date']);
    expect(roleOf(p, '  record id ')).toBe('record_id');
    expect(roleOf(p, 'Lead Status')).toBe('field:lead_status');
    expect(roleOf(p, 'Mobile Phone Number')).toBe('personal:mobile');
    expect(roleOf(p, 'Phone Number')).toBe('');
  });

  it('accepts a stage date given as one column instead of a list', () => {
    const p = { ...emptyProfile(), stage_dates: { sql: 'SQL date' } };
    expect(roleOf(p, 'sql date')).toBe('stage_date:sql');
  });
});

describe('withRole', () => {
  it('builds the documented profile keys from an empty profile', () => {
    let p = emptyProfile();
    p = withRole(p, 'Lead Id', 'record_id');
    p = withRole(p, 'Status', 'stage_column');
    p = withRole(p, 'MQL date', 'stage_date:mql');
    p = withRole(p, 'Opp created', 'stage_date:opportunity');
    p = withRole(p, 'Deal created', 'stage_date:opportunity');
    p = withRole(p, 'Closed', 'close_date');
    p = withRole(p, 'Created', 'created_date');
    p = withRole(p, 'Origin', 'field:source');
    p = withRole(p, 'Plan', `field:${customFieldName('Plan')}`);
    p = withRole(p, 'E-mail', 'personal:email');
    expect(p).toEqual({
      ...emptyProfile(),
      record_id: 'Lead Id',
      stage_column: 'Status',
      stage_dates: { mql: ['MQL date'], opportunity: ['Opp created', 'Deal created'] },
      close_date: 'Closed',
      created_date: 'Created',
      fields: { source: 'Origin', plan: 'Plan' },
      personal: { email: 'E-mail' },
    });
  });

  it('leaves the profile it was given unchanged', () => {
    const p = hubspotLike();
    const before = JSON.parse(JSON.stringify(p));
    withRole(p, 'Create Date', '');
    withRole(p, 'Other', 'stage_date:lead');
    withRole(p, 'Other', 'field:source');
    expect(p).toEqual(before);
  });

  it('moves a one-column role to the new column', () => {
    const p = withRole(hubspotLike(), 'Contact ID', 'record_id');
    expect(p.record_id).toBe('Contact ID');
    expect(roleOf(p, 'Record ID')).toBe('');
    const q = withRole(p, 'Source 2', 'field:source');
    expect(q.fields.source).toBe('Source 2');
    expect(roleOf(q, 'Original Source')).toBe('');
  });

  it('replaces every role of the column, dropping stages left without a date column', () => {
    const p = withRole(hubspotLike(), 'create date', 'field:campaign');
    expect(rolesOf(p, 'Create Date')).toEqual(['field:campaign']);
    expect(p.created_date).toBeNull();
    expect(p.stage_dates).toEqual({ mql: ['Became a Marketing Qualified Lead Date'] });
    expect(withRole(p, 'Create Date', '').fields).toEqual({ source: 'Original Source', lead_status: 'Lead Status' });
  });

  it('keeps record id and record key exclusive', () => {
    let p = withRole(hubspotLike(), 'First Name', 'record_key');
    p = withRole(p, 'Company', 'record_key');
    expect(p.record_id).toBeNull();
    expect(p.record_key).toEqual(['First Name', 'Company']);
    expect(hasRecordId(p)).toBe(true);
    p = withRole(p, 'Lead Id', 'record_id');
    expect(p.record_key).toEqual([]);
    expect(hasRecordId(withRole(p, 'Lead Id', ''))).toBe(false);
  });

  it('refuses a role it does not know', () => {
    expect(() => withRole(emptyProfile(), 'A', 'favourite_colour')).toThrow('favourite_colour');
  });
});

describe('role dropdown', () => {
  it('offers a date for every workspace stage and the column as a custom field', () => {
    const values = roleGroups(emptyProfile(), 'Lead Status', stages).flatMap((g) => g.options.map((o) => o.value));
    for (const s of stages) expect(values).toContain(`stage_date:${s.id}`);
    expect(values).toContain('field:lead_status');
    expect(values).toContain('field:lost_reason');
    expect(values).toContain('personal:phone');
    expect(values).not.toContain('outcome_column');
    expect(new Set(values).size).toBe(values.length);
  });

  it('offers as Baton fields exactly the fields Rust imports from a column', () => {
    const group = roleGroups(emptyProfile(), 'X', stages).find((g) => g.label === 'Baton fields');
    const imported = RECORD_FIELDS.filter((f) => f.imported).map((f) => `field:${f.id}`);
    expect(group?.options.map((o) => o.value)).toEqual(imported);
    expect(imported).toContain('field:amount');
    expect(imported).not.toContain('field:kind');
    expect(customFieldName('Current Stage')).toBe('current_stage');
    expect(customFieldName('Lost Reason')).toBe('custom_lost_reason');
  });

  it('keeps a role the preset gave the column even when it is not a standard choice', () => {
    let p = withRole(hubspotLike(), 'Status', 'outcome_column');
    p = withRole(p, 'Renewal', 'stage_date:renewal');
    const status = roleGroups(p, 'Status', stages).flatMap((g) => g.options.map((o) => o.value));
    expect(status).toContain('outcome_column');
    const mobile = roleGroups(p, 'Mobile Phone Number', stages).flatMap((g) => g.options.map((o) => o.value));
    expect(mobile.filter((v) => v === 'personal:mobile')).toHaveLength(1);
    expect(roleGroups(p, 'Renewal', stages).flatMap((g) => g.options.map((o) => o.value))).toContain('stage_date:renewal');
    const labels = roleGroups(p, 'Lead Status', stages).flatMap((g) => g.options.map((o) => o.label));
    expect(labels).toContain('lead_status (custom field)');
    expect(labels).toContain('email (personal)');
  });

  it('labels roles with the stage names', () => {
    expect(roleLabel('stage_date:mql', stages)).toBe('date of stage Marketing Qualified Lead');
    expect(roleLabel('field:lead_status', stages)).toBe('custom field lead_status');
    expect(roleLabel('', stages)).toBe('not imported');
  });

  it('names a custom field after its column without taking a Baton field name', () => {
    expect(customFieldName(' Lead Status ')).toBe('lead_status');
    expect(customFieldName('Plan / Tier')).toBe('plan_tier');
    expect(customFieldName('Amount')).toBe('custom_amount');
    expect(customFieldName('Email')).toBe('custom_email');
    expect(customFieldName('***')).toBe('column');
  });
});

describe('stage values', () => {
  const rows = [
    ['1', 'New'],
    ['2', 'new '],
    ['3', '#N/A'],
    ['4', 'Won'],
    ['5', ''],
    ['6', 'Select'],
  ];

  it('lists the distinct values of a column, case variants and empty tokens left out', () => {
    expect(distinctValues(rows, 1)).toEqual(['New', 'Won']);
    expect(distinctValues(rows, 7)).toEqual([]);
  });

  it('leaves out every cell the importer reads as empty, in any case (the list generated from Rust)', () => {
    expect(NULL_TOKENS).toContain('n/a');
    for (const token of NULL_TOKENS) {
      const mixed = token.charAt(0).toUpperCase() + token.slice(1);
      for (const v of [token, token.toUpperCase(), mixed, `  ${token.toUpperCase()}\t`]) {
        expect(isNullToken(v), JSON.stringify(v)).toBe(true);
        expect(distinctValues([['1', v], ['2', 'Won']], 1)).toEqual(['Won']);
      }
    }
    expect(isNullToken('N/a')).toBe(true);
    expect(isNullToken('None')).toBe(false);
    expect(isNullToken('n/a/b')).toBe(false);
  });

  it('maps a value whatever its case and removes the mapping with an empty stage', () => {
    let p = withStageValue(emptyProfile(), 'New', 'lead');
    expect(stageValueOf(p, 'NEW')).toBe('lead');
    p = withStageValue(p, 'new', 'mql');
    expect(p.stage_values).toEqual({ new: 'mql' });
    p = withStageValue(p, 'NEW', '');
    expect(p.stage_values).toEqual({});
    expect(stageValueOf(p, 'new')).toBe('');
  });

  it('tells which stage an unmapped value still reaches by id or name', () => {
    expect(stageByName('customer', stages)).toBe('customer');
    expect(stageByName('marketing qualified lead', stages)).toBe('mql');
    expect(stageByName('Lost', stages)).toBe('lost');
    expect(stageByName('Won', stages)).toBeNull();
  });
});
