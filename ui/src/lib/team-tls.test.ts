import { describe, expect, it } from 'vitest';
import { advancedHoldsSomething, authorityNote, tlsFields, tlsFieldsShown, tlsPart, type TlsFields } from './team-tls';

const fields = (over: Partial<TlsFields> = {}): TlsFields => ({ sslmode: 'verify-full', sslrootcert: '', useSystem: false, sslcert: '', sslkey: '', ...over });

describe('the TLS files of the team connect dialog', () => {
  it('shows the authority where the sslmode needs it, the system choice for verify-full only', () => {
    expect(tlsFieldsShown('verify-full')).toEqual({ rootcert: 'main', system: true, advanced: true });
    expect(tlsFieldsShown('verify-ca')).toEqual({ rootcert: 'main', system: false, advanced: true });
    expect(tlsFieldsShown('require')).toEqual({ rootcert: 'advanced', system: false, advanced: true });
    expect(tlsFieldsShown('prefer')).toEqual({ rootcert: 'hidden', system: false, advanced: true });
    expect(tlsFieldsShown('allow').rootcert).toBe('hidden');
    expect(tlsFieldsShown('disable')).toEqual({ rootcert: 'hidden', system: false, advanced: false });
  });

  it('sends trimmed paths, nothing for empty fields, and no files without TLS', () => {
    expect(tlsPart(fields({ sslrootcert: ' /etc/team/ca.crt ', sslcert: '/home/ana/me.crt', sslkey: '  ' }))).toEqual({
      sslmode: 'verify-full',
      sslrootcert: '/etc/team/ca.crt',
      sslcert: '/home/ana/me.crt',
      sslkey: null,
    });
    expect(tlsPart(fields({ sslmode: 'disable', sslrootcert: '/x.crt', sslcert: '/c.crt' }))).toEqual({ sslmode: 'disable', sslrootcert: null, sslcert: null, sslkey: null });
    // prefer never checks the server: an authority typed for another mode is not sent.
    expect(tlsPart(fields({ sslmode: 'prefer', sslrootcert: '/x.crt', sslcert: '/c.crt', sslkey: '/c.key' }))).toEqual({
      sslmode: 'prefer',
      sslrootcert: null,
      sslcert: '/c.crt',
      sslkey: '/c.key',
    });
  });

  it('sends sslrootcert=system when ticked, only with verify-full', () => {
    expect(tlsPart(fields({ useSystem: true, sslrootcert: '/ignored.crt' })).sslrootcert).toBe('system');
    expect(tlsPart(fields({ sslmode: 'verify-ca', useSystem: true, sslrootcert: '/ca.crt' })).sslrootcert).toBe('/ca.crt');
  });

  it('reads a kept address back into the same fields', () => {
    const kept = { host: 'h', port: 5432, dbname: 'd', user: 'u', sslmode: 'verify-full', sslrootcert: 'system', sslcert: '/c.crt', sslkey: '/c.key' };
    const f = tlsFields(kept);
    expect(f).toEqual({ sslmode: 'verify-full', sslrootcert: '', useSystem: true, sslcert: '/c.crt', sslkey: '/c.key' });
    expect(tlsPart(f)).toEqual({ sslmode: 'verify-full', sslrootcert: 'system', sslcert: '/c.crt', sslkey: '/c.key' });
    expect(tlsFields({ ...kept, sslrootcert: null, sslcert: null, sslkey: null }).sslcert).toBe('');
  });

  it('opens Advanced TLS at first only when it holds a file', () => {
    expect(advancedHoldsSomething(fields())).toBe(false);
    expect(advancedHoldsSomething(fields({ sslkey: '/k' }))).toBe(true);
    expect(advancedHoldsSomething(fields({ sslrootcert: '/ca.crt' }))).toBe(false);
    expect(advancedHoldsSomething(fields({ sslmode: 'require', sslrootcert: '/ca.crt' }))).toBe(true);
  });

  it('says which authority is checked', () => {
    expect(authorityNote(fields())).toContain('~/.postgresql/root.crt');
    expect(authorityNote(fields({ sslrootcert: '/etc/team/ca.crt' }))).toContain('the authority in /etc/team/ca.crt');
    expect(authorityNote(fields({ useSystem: true }))).toContain('an authority this computer trusts');
    expect(authorityNote(fields({ sslmode: 'require' }))).toBe('');
  });
});
