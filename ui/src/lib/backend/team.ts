/** Team workspaces on PostgreSQL. Rust side: src-tauri/src/commands/team.rs. */
import { open } from '@tauri-apps/plugin-dialog';
import { call } from './core';
import type { TeamAddress } from '../bindings/TeamAddress';
import type { TeamConnection } from '../bindings/TeamConnection';

/** Connect and make the team workspace the open one; `password` null: PGPASSWORD, ~/.pgpass or the keyring. */
export const connectTeam = (address: TeamAddress, password: string | null) =>
  call<TeamConnection>('team_connect', { address, password });
/** Will a password typed now be remembered (an OS keyring answers)? */
export const teamKeyringAvailable = () => call<boolean>('team_keyring_available');
/** The libpq connection string of `address` (no password), for psql or `baton --workspace`. */
export const teamConnectionString = (address: TeamAddress) => call<string>('team_connection_string', { address });

/** Native open dialog for a certificate or key file (PEM); null when the user cancels. */
export async function chooseTlsFile(title: string): Promise<string | null> {
  const picked = await open({
    title,
    multiple: false,
    directory: false,
    filters: [
      { name: 'Certificate or key (PEM)', extensions: ['crt', 'pem', 'cer', 'key'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  return typeof picked === 'string' ? picked : null;
}
