import type { BatonError } from './bindings/BatonError';
import type { ErrorCode } from './bindings/ErrorCode';
import { ERROR_CODES } from './bindings/errorCodes';

export function isBatonError(value: unknown): value is BatonError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && ERROR_CODES.includes(v.code as ErrorCode);
}

/**
 * Whatever a command rejected with, as a `BatonError`. Baton's own commands reject with
 * `{code, message}`; Tauri itself rejects with a bare string (unknown command, denied
 * permission), and JavaScript code may throw an `Error`.
 */
export function toBatonError(value: unknown): BatonError {
  if (isBatonError(value)) return { code: value.code, message: value.message };
  if (typeof value === 'string') return { code: 'internal', message: value };
  if (value instanceof Error) return { code: 'internal', message: value.message };
  return { code: 'internal', message: `unexpected error: ${JSON.stringify(value)}` };
}

/** A short, human title for an error code, shown above the message. */
export function errorTitle(code: ErrorCode): string {
  switch (code) {
    case 'not_found':
      return 'Not found';
    case 'invalid_input':
      return 'Invalid input';
    case 'workspace_too_new':
      return 'Workspace from a newer Baton';
    case 'not_a_workspace':
      return 'Not a Baton workspace';
    case 'no_workspace':
      return 'No workspace open';
    case 'unknown_format':
      return 'File format not recognised';
    case 'ambiguous_date_format':
      return 'Date format needs a decision';
    case 'password_protected':
      return 'Workbook protected by a password';
    case 'too_many_rejected':
      return 'Most rows would be rejected';
    case 'cancelled':
      return 'Cancelled';
    case 'conflict':
      return 'Conflict';
    case 'io':
      return 'File error';
    case 'internal':
      return 'Something went wrong';
    case 'unknown_participant':
      return 'Not in the room';
    case 'removed':
      return 'Removed from the room';
    case 'forbidden':
      return 'Not allowed';
    case 'room_full':
      return 'The room is full';
  }
}
