/**
 * Which workspace is open, shared by the header, File menu and screens. Screens are
 * re-mounted whenever `session.generation` changes (see App.svelte), so a screen only
 * loads its data on mount and never has to watch for a workspace switch itself.
 */
import type { BatonError } from './bindings/BatonError';
import type { WorkspaceInfo } from './bindings/WorkspaceInfo';
import { currentWorkspace } from './backend/workspace';
import { toBatonError } from './errors';

export const session = $state<{
  info: WorkspaceInfo | null;
  error: BatonError | null;
  generation: number;
}>({ info: null, error: null, generation: 0 });

/** Switch the UI to `info` (after New / Open / Save As) and reload every screen. */
export function workspaceChanged(info: WorkspaceInfo): void {
  session.info = info;
  session.error = null;
  session.generation += 1;
}

/** Ask the backend which workspace is open (at start-up). */
export async function loadCurrentWorkspace(): Promise<void> {
  try {
    workspaceChanged(await currentWorkspace());
  } catch (e) {
    session.error = toBatonError(e);
  }
}

/**
 * After a settings change (the company name, from this window or another process): show
 * the new info in the header without reloading the screens.
 */
export async function refreshWorkspaceInfo(): Promise<void> {
  try {
    const info = await currentWorkspace();
    if (info.path === session.info?.path) session.info = info;
    else workspaceChanged(info);
  } catch (e) {
    session.error = toBatonError(e);
  }
}

/**
 * After a change that may have replaced the open workspace (another window of this app
 * opened a file): follow it, reloading every screen, unless it is the one shown.
 */
export async function followWorkspaceSwitch(): Promise<void> {
  try {
    const info = await currentWorkspace();
    if (info.path !== session.info?.path) workspaceChanged(info);
  } catch (e) {
    session.error = toBatonError(e);
  }
}
