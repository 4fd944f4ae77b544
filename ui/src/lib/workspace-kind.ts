/**
 * A `.baton` file or a team workspace on PostgreSQL, as the header, Overview and File
 * menu name it. A team workspace's `path` is its address, `postgres://user@host:port/db`
 * (never a password), its `name` the database's.
 */
import type { TeamAddress } from './bindings/TeamAddress';
import type { WorkspaceInfo } from './bindings/WorkspaceInfo';

export const isTeam = (info: Pick<WorkspaceInfo, 'path'>): boolean => info.path.startsWith('postgres://');

/** "plan.baton", or "Team workspace sales" for a team database. */
export const workspaceLabel = (info: Pick<WorkspaceInfo, 'path' | 'name'>): string =>
  isTeam(info) ? `Team workspace ${info.name}` : `${info.name}.baton`;

/** What the File menu says in place of a file-only action on a team workspace. */
export function fileOnlyHint(action: 'save_as' | 'new', info: Pick<WorkspaceInfo, 'path'>): string {
  return action === 'save_as'
    ? `Save As makes a file from a file. To keep this team workspace as a file, run: baton workspace copy ${info.path} FILE.baton`
    : 'New creates a .baton file on this computer. To start a new team workspace, copy a file into an empty database: baton workspace copy FILE.baton postgres://user@host/newdb';
}

/** The dialog's fields when nothing is known yet. */
export const blankAddress = (): TeamAddress => ({
  host: 'localhost',
  port: 5432,
  dbname: '',
  user: '',
  sslmode: 'prefer',
  sslrootcert: null,
  sslcert: null,
  sslkey: null,
});

/** The port as typed: a whole number from 1 to 65535, else null. */
export function parsePort(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : null;
}
