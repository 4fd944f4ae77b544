/**
 * Screens reload what a change touched, whoever made it: this window, a second window,
 * the CLI writing to the same file, or a participant in the room. A screen registers
 * the areas it shows with `refreshOn` during its set-up; changes arriving close together
 * (an import, a burst of votes) cause one reload.
 */
import { onDestroy } from 'svelte';
import type { Area } from './bindings/Area';
import type { Change } from './bindings/Change';
import { subscribeChanges } from './backend/changes';

interface Listener {
  areas: Set<Area>;
  run: () => void;
}

const listeners = new Set<Listener>();
const pending = new Set<Listener>();
let timer: ReturnType<typeof setTimeout> | null = null;

/** How long changes are gathered before the screens reload (ms). */
export const SETTLE_MS = 150;

/** Register `run` for changes to `areas` (a `workspace` change reaches everyone). */
export function listenFor(areas: Area[], run: () => unknown): () => void {
  const l: Listener = { areas: new Set(areas), run: () => void run() };
  listeners.add(l);
  return () => {
    listeners.delete(l);
    pending.delete(l);
  };
}

/** `listenFor` for the lifetime of the calling component. */
export function refreshOn(areas: Area[], run: () => unknown): void {
  onDestroy(listenFor(areas, run));
}

/** Route one change to the listeners of its area. */
export function dispatch(change: Change): void {
  for (const l of listeners) {
    if (change.area === 'workspace' || l.areas.has(change.area)) pending.add(l);
  }
  if (pending.size > 0 && timer === null) timer = setTimeout(flush, SETTLE_MS);
}

function flush(): void {
  timer = null;
  const due = [...pending];
  pending.clear();
  for (const l of due) if (listeners.has(l)) l.run();
}

/**
 * Listen to the backend's change feed for the life of the app; `onWorkspace` hears the
 * changes that may have replaced the open workspace.
 */
export function startChangeFeed(onWorkspace: () => void): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  void subscribeChanges((change) => {
    dispatch(change);
    if (change.area === 'workspace') onWorkspace();
  }).then((unlisten) => {
    if (stopped) unlisten();
    else stop = unlisten;
  });
  return () => {
    stopped = true;
    stop?.();
  };
}
