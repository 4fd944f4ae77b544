/** The change feed: what the workspace's writers (this window, another app, the CLI) changed. */
import { listen } from '@tauri-apps/api/event';
import type { Change } from '../bindings/Change';

/** Call `handler` for every change until the returned function is called. */
export async function subscribeChanges(handler: (change: Change) => void): Promise<() => void> {
  return listen<Change>('workspace-change', (event) => handler(event.payload));
}
