/** Team workspaces on PostgreSQL. Rust side: src-tauri/src/commands/team.rs. */
import { call } from './core';
import type { TeamAddress } from '../bindings/TeamAddress';
import type { TeamConnection } from '../bindings/TeamConnection';

/** Connect and make the team workspace the open one; `password` null: PGPASSWORD, ~/.pgpass or the keyring. */
export const connectTeam = (address: TeamAddress, password: string | null) =>
  call<TeamConnection>('team_connect', { address, password });
/** Will a password typed now be remembered (an OS keyring answers)? */
export const teamKeyringAvailable = () => call<boolean>('team_keyring_available');
