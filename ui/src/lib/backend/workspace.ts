/** Workspace file commands (File menu, Overview). Rust side: src-tauri/src/commands/workspace.rs. */
import { open, save } from '@tauri-apps/plugin-dialog';
import { call } from './core';
import type { RecentWorkspace } from '../bindings/RecentWorkspace';
import type { WorkspaceInfo } from '../bindings/WorkspaceInfo';
import type { WorkspaceOverview } from '../bindings/WorkspaceOverview';

const FILTERS = [{ name: 'Baton workspace', extensions: ['baton'] }];

export const currentWorkspace = () => call<WorkspaceInfo>('workspace_current');
export const workspaceOverview = () => call<WorkspaceOverview>('workspace_overview');
/** `seenVersion`: the name's `company_version` the form was opened on (refused with `conflict` when changed since). */
export const setCompany = (name: string | null, seenVersion: number | null = null) =>
  call<WorkspaceInfo>('workspace_set_company', { name, seenVersion });
export const newWorkspace = (path: string) => call<WorkspaceInfo>('workspace_new', { path });
export const openWorkspace = (path: string) => call<WorkspaceInfo>('workspace_open', { path });
export const saveWorkspaceAs = (path: string) => call<WorkspaceInfo>('workspace_save_as', { path });
export const recentWorkspaces = () => call<RecentWorkspace[]>('workspace_recent');
export const openDemoWorkspace = () => call<WorkspaceInfo>('workspace_open_demo');

/** Native "open" dialog for a `.baton` file; null when the user cancels. */
export async function chooseWorkspaceToOpen(): Promise<string | null> {
  const picked = await open({ title: 'Open workspace', filters: FILTERS, multiple: false, directory: false });
  return typeof picked === 'string' ? picked : null;
}

/** Native "save" dialog for a new or copied workspace; null when the user cancels. */
export async function chooseWorkspaceToSave(title: string, defaultPath?: string): Promise<string | null> {
  return (await save({ title, filters: FILTERS, defaultPath })) ?? null;
}
