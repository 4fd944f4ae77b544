/**
 * The one door to the Rust side. Screens never import `@tauri-apps/*`; they call the
 * typed functions in `backend/<area>.ts`, which use `call` below.
 */
import { invoke, Channel } from '@tauri-apps/api/core';
import type { BatonError } from '../bindings/BatonError';
import { toBatonError } from '../errors';

export type { BatonError };
export { Channel };

/**
 * Invoke a `#[tauri::command]`. Resolves with its value; rejects with a `BatonError`
 * (`{code, message}`) whatever went wrong, so callers can branch on `code`.
 * Argument names are the Rust parameter names in camelCase.
 */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toBatonError(e);
  }
}
