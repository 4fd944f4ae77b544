/**
 * Saving or deleting a row the screen shows, stating the row version it showed. When
 * someone else changed the row meanwhile, Rust refuses with code `conflict` and a message
 * naming what changed; the screen then reloads the row (so it shows their version) and
 * shows that message beside it, rather than a generic error.
 */
import type { BatonError } from './bindings/BatonError';
import { toBatonError } from './errors';

export type EditOutcome<T> =
  /** Saved (or deleted). */
  | { kind: 'done'; value: T }
  /** Someone else changed the row first: nothing was saved and `reload` has run. */
  | { kind: 'conflict'; error: BatonError }
  /** Refused for another reason (bad input, the workspace went away…). */
  | { kind: 'failed'; error: BatonError };

/** Run `edit`; on a `conflict`, run `reload` before answering. */
export async function editShown<T>(edit: () => Promise<T>, reload: () => Promise<unknown>): Promise<EditOutcome<T>> {
  try {
    return { kind: 'done', value: await edit() };
  } catch (e) {
    const error = toBatonError(e);
    if (error.code !== 'conflict') return { kind: 'failed', error };
    try {
      await reload();
    } catch (reloadError) {
      // The row could not be shown again: say so rather than leave their version unseen.
      const r = toBatonError(reloadError);
      return { kind: 'failed', error: { code: r.code, message: `${error.message}. Reloading it failed: ${r.message}` } };
    }
    return { kind: 'conflict', error };
  }
}

/** A form's draft of something versioned, with the version the form was opened on. */
export interface VersionedDraft<T> {
  value: T;
  seen: number;
}

export type DraftOutcome<T, R> =
  | { kind: 'done'; value: R }
  /** Someone else changed it first: `draft` is theirs (value and version) to edit on, after the reload; null if it is gone. */
  | { kind: 'conflict'; error: BatonError; draft: VersionedDraft<T> | null }
  | { kind: 'failed'; error: BatonError };

/**
 * Save a form's draft stating the version it was opened on; on a `conflict`, reload and
 * reopen the form on what the screen now shows (`shown()`, read after the reload), so the
 * next Save is based on their version.
 */
export async function saveDraft<T, R>(
  draft: VersionedDraft<T>,
  save: (value: T, seen: number) => Promise<R>,
  reload: () => Promise<unknown>,
  shown: () => VersionedDraft<T> | null,
): Promise<DraftOutcome<T, R>> {
  const out = await editShown(() => save(draft.value, draft.seen), reload);
  if (out.kind !== 'conflict') return out;
  return { ...out, draft: shown() };
}
