import type { BatonError } from './bindings/BatonError';
import { toBatonError } from './errors';

/** Reactive result of an async backend call: `data`, `error`, `loading`, and `reload()`. */
export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: BatonError | null;
  readonly loading: boolean;
  reload(): Promise<void>;
}

/**
 * Run `fetch` now and again on `reload()`, keeping the latest outcome in reactive state.
 * Use it at the top of a screen's `<script>`:
 *   const overview = load(workspaceOverview);
 * then `{#if overview.data}` / `<ErrorBanner error={overview.error} onretry={overview.reload} />`.
 */
export function load<T>(fetch: () => Promise<T>): Loaded<T> {
  let data = $state<T | undefined>(undefined);
  let error = $state<BatonError | null>(null);
  let loading = $state(true);
  let generation = 0;

  async function reload(): Promise<void> {
    const mine = ++generation;
    loading = true;
    error = null;
    try {
      const value = await fetch();
      if (mine === generation) data = value;
    } catch (e) {
      if (mine === generation) error = toBatonError(e);
    } finally {
      if (mine === generation) loading = false;
    }
  }

  void reload();
  return {
    get data() {
      return data;
    },
    get error() {
      return error;
    },
    get loading() {
      return loading;
    },
    reload,
  };
}
