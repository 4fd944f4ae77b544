/**
 * The TLS files of "Connect to a team workspace…" (libpq's sslrootcert, sslcert, sslkey):
 * where the dialog shows them for each sslmode, and the address it sends (paths only,
 * trimmed; none without TLS). Checking the files is Rust's (baton-store's tls_files).
 */
import type { TeamAddress } from './bindings/TeamAddress';

/** What the dialog shows for an sslmode. */
export interface TlsFieldsShown {
  /** The authority's file: in the main form when the mode checks against it, under "Advanced TLS" for require (which checks with one), else not used. */
  rootcert: 'main' | 'advanced' | 'hidden';
  /** The "this computer's trusted authorities" choice (sslrootcert=system needs verify-full). */
  system: boolean;
  /** The "Advanced TLS" disclosure (client certificate and key). */
  advanced: boolean;
}

export function tlsFieldsShown(sslmode: string): TlsFieldsShown {
  if (sslmode === 'disable') return { rootcert: 'hidden', system: false, advanced: false };
  const checks = sslmode === 'verify-ca' || sslmode === 'verify-full';
  // require checks the chain when given an authority (as libpq); prefer and allow never do.
  const rootcert = checks ? 'main' : sslmode === 'require' ? 'advanced' : 'hidden';
  return { rootcert, system: sslmode === 'verify-full', advanced: true };
}

/** The dialog's TLS fields as typed or chosen. */
export interface TlsFields {
  sslmode: string;
  sslrootcert: string;
  /** "Use this computer's trusted authorities" ticked. */
  useSystem: boolean;
  sslcert: string;
  sslkey: string;
}

const given = (path: string): string | null => (path.trim() === '' ? null : path.trim());

/** The TLS part of the address sent to connect and kept in the recent list. */
export function tlsPart(f: TlsFields): Pick<TeamAddress, 'sslmode' | 'sslrootcert' | 'sslcert' | 'sslkey'> {
  const shown = tlsFieldsShown(f.sslmode);
  if (!shown.advanced) return { sslmode: f.sslmode, sslrootcert: null, sslcert: null, sslkey: null };
  const system = f.useSystem && shown.system;
  return {
    sslmode: f.sslmode,
    sslrootcert: system ? 'system' : shown.rootcert === 'hidden' ? null : given(f.sslrootcert),
    sslcert: given(f.sslcert),
    sslkey: given(f.sslkey),
  };
}

/** The dialog's fields from a kept address (a recent entry, or one that failed). */
export function tlsFields(a: TeamAddress): TlsFields {
  const system = a.sslrootcert === 'system';
  return {
    sslmode: a.sslmode,
    sslrootcert: system ? '' : (a.sslrootcert ?? ''),
    useSystem: system,
    sslcert: a.sslcert ?? '',
    sslkey: a.sslkey ?? '',
  };
}

/** Open "Advanced TLS" at first when it holds something. */
export const advancedHoldsSomething = (f: TlsFields): boolean =>
  f.sslcert.trim() !== '' || f.sslkey.trim() !== '' || (tlsFieldsShown(f.sslmode).rootcert === 'advanced' && f.sslrootcert.trim() !== '');

/** What the authority line says is checked, for the verify modes. */
export function authorityNote(f: TlsFields): string {
  const shown = tlsFieldsShown(f.sslmode);
  if (shown.rootcert !== 'main') return '';
  if (shown.system && f.useSystem) return "The server's certificate must be signed by an authority this computer trusts, and name the host.";
  const file = given(f.sslrootcert);
  if (file) return `The server's certificate is checked against the authority in ${file}.`;
  return "Empty: the authority in ~/.postgresql/root.crt (%APPDATA%\\postgresql\\root.crt on Windows), as psql. Ask whoever runs the server for the file.";
}
