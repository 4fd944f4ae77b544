/** Import commands. Rust side: src-tauri/src/commands/imports.rs. */
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open, save } from '@tauri-apps/plugin-dialog';
import { call, Channel } from './core';
import type { ImportInfo } from '../bindings/ImportInfo';
import type { ImportOptions } from '../bindings/ImportOptions';
import type { ImportPreview } from '../bindings/ImportPreview';
import type { ImportSummary } from '../bindings/ImportSummary';
import type { PresetInfo } from '../bindings/PresetInfo';
import type { Profile } from '../bindings/Profile';
import type { Progress } from '../bindings/Progress';
import type { UndoSummary } from '../bindings/UndoSummary';

export const listPresets = () => call<PresetInfo[]>('imports_presets');

/** What importing `path` would read: preset, encoding, delimiter, column types, first rows. */
export const previewImport = (path: string, options: ImportOptions) =>
  call<ImportPreview>('imports_preview', { path, options });

/** Import `path`; `onProgress` hears bytes read. `cancelImport()` stops it and nothing is written. */
export function runImport(path: string, options: ImportOptions, onProgress: (p: Progress) => void): Promise<ImportSummary> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return call<ImportSummary>('imports_run', { path, options, onProgress: channel });
}

export const cancelImport = () => call<void>('imports_cancel');
export const importHistory = () => call<ImportInfo[]>('imports_history');
export const undoImport = (id: number) => call<UndoSummary>('imports_undo', { id });
export const exportRejects = (id: number, dest: string) => call<void>('imports_export_rejects', { id, dest });
export const saveProfile = (profile: Profile, dest: string) => call<void>('imports_save_profile', { profile, dest });
export const loadProfile = (path: string) => call<Profile>('imports_load_profile', { path });

/** File types the import reads: CSV and text exports, Excel and OpenDocument workbooks. */
export const EXPORT_EXTENSIONS = ['csv', 'txt', 'tsv', 'xlsx', 'xlsm', 'xls', 'ods'];

/** Native open dialog for a CRM export; null when the user cancels. */
export async function chooseExportFile(): Promise<string | null> {
  const picked = await open({
    title: 'Import a CRM export',
    multiple: false,
    filters: [
      { name: 'CRM export (CSV, Excel, OpenDocument)', extensions: EXPORT_EXTENSIONS },
      { name: 'CSV', extensions: ['csv', 'txt', 'tsv'] },
      { name: 'Spreadsheet', extensions: ['xlsx', 'xlsm', 'xls', 'ods'] },
    ],
  });
  return typeof picked === 'string' ? picked : null;
}

/** Native open dialog for an import profile (JSON); null when the user cancels. */
export async function chooseProfileFile(): Promise<string | null> {
  const picked = await open({
    title: 'Load an import profile',
    multiple: false,
    filters: [{ name: 'Import profile', extensions: ['json'] }],
  });
  return typeof picked === 'string' ? picked : null;
}

/** Native save dialog for a JSON file (profile) or CSV (rejected rows). */
export async function chooseSavePath(title: string, defaultPath: string, ext: 'json' | 'csv'): Promise<string | null> {
  return (await save({ title, defaultPath, filters: [{ name: ext.toUpperCase(), extensions: [ext] }] })) ?? null;
}

/** Call `handler` with the first file dropped on the window; resolves to an unlisten function. */
export function onFileDrop(handler: (path: string) => void): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((event) => {
    if (event.payload.type === 'drop' && event.payload.paths.length > 0) handler(event.payload.paths[0]);
  });
}
