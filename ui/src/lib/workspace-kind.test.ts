import { describe, expect, it } from 'vitest';
import { fileOnlyHint, isTeam, parsePort, workspaceLabel } from './workspace-kind';

const team = { path: 'postgres://ana@db.example:5432/sales', name: 'sales' };
const file = { path: '/home/ana/plan.baton', name: 'plan' };

describe('workspace kind', () => {
  it('names a team workspace by its database and a file by its file name', () => {
    expect(isTeam(team)).toBe(true);
    expect(isTeam(file)).toBe(false);
    expect(workspaceLabel(team)).toBe('Team workspace sales');
    expect(workspaceLabel(file)).toBe('plan.baton');
  });

  it('tells what to do instead of Save As on a team workspace, naming its address', () => {
    expect(fileOnlyHint('save_as', team)).toContain('baton workspace copy postgres://ana@db.example:5432/sales FILE.baton');
    expect(fileOnlyHint('new', team)).toContain('baton workspace copy FILE.baton postgres://');
  });

  it('reads a port as typed', () => {
    expect(parsePort('5432')).toBe(5432);
    expect(parsePort(' 6543 ')).toBe(6543);
    expect(parsePort('0')).toBeNull();
    expect(parsePort('65536')).toBeNull();
    expect(parsePort('54a')).toBeNull();
    expect(parsePort('')).toBeNull();
  });
});
