import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './bindings/errorCodes';
import errorCodeSource from './bindings/ErrorCode.ts?raw';
import { errorTitle, isBatonError, toBatonError } from './errors';

/** The codes of the `ErrorCode` union ts-rs generated from the Rust enum. */
function codesOfRustEnum(): string[] {
  const union = /export type ErrorCode = ([^;]+);/.exec(errorCodeSource)?.[1] ?? '';
  return [...union.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
}

describe('error codes from Rust', () => {
  it('reads the generated enum', () => {
    expect(codesOfRustEnum()).toContain('invalid_input');
  });

  it('keeps every code of the Rust enum as it is, none becomes internal', () => {
    const rust = codesOfRustEnum();
    expect([...ERROR_CODES].sort()).toEqual([...rust].sort());
    for (const code of rust) {
      expect(toBatonError({ code, message: 'm' }).code).toBe(code);
      expect(errorTitle(code as (typeof ERROR_CODES)[number])).not.toBe('');
    }
  });
});

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
