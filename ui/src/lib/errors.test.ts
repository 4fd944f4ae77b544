import { describe, expect, it } from 'vitest';
import { errorTitle, isBatonError, toBatonError } from './errors';

describe('toBatonError', () => {
  it('keeps a {code, message} rejection as it is', () => {
    const e = toBatonError({ code: 'workspace_too_new', message: 'newer Baton', extra: 1 });
    expect(e).toEqual({ code: 'workspace_too_new', message: 'newer Baton' });
  });

  it('wraps the bare strings Tauri rejects with', () => {
    expect(toBatonError('command workspace_x not found')).toEqual({
      code: 'internal',
      message: 'command workspace_x not found',
    });
  });

  it('wraps thrown Errors and odd values', () => {
    expect(toBatonError(new Error('boom')).message).toBe('boom');
    expect(toBatonError(42).message).toContain('42');
  });

  it('keeps the import refusal code, so the Imports screen can ask to confirm', () => {
    expect(toBatonError({ code: 'too_many_rejected', message: 'f.csv: 2 of 3 rows' }).code).toBe('too_many_rejected');
    expect(errorTitle('too_many_rejected')).toBe('Most rows would be rejected');
  });

  it('keeps the password-protected workbook code, so the screen titles it', () => {
    const e = toBatonError({ code: 'password_protected', message: 'deals.xlsx is protected by a password' });
    expect(e.code).toBe('password_protected');
  });

  it('does not accept unknown codes as Baton errors', () => {
    expect(isBatonError({ code: 'teapot', message: 'x' })).toBe(false);
    expect(toBatonError({ code: 'teapot', message: 'x' }).code).toBe('internal');
  });

  it('has a title for every code', () => {
    expect(errorTitle('not_a_workspace')).toBe('Not a Baton workspace');
    expect(errorTitle('password_protected')).toBe('Workbook protected by a password');
  });
});
