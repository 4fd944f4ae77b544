/** Report and CSV export commands. Rust side: src-tauri/src/commands/reports.rs. */
import { open, save } from '@tauri-apps/plugin-dialog';
import { call, Channel } from './core';
import type { CsvOptions } from '../bindings/CsvOptions';
import type { Progress } from '../bindings/Progress';
import type { ReportPreview } from '../bindings/ReportPreview';
import type { ReportRequest } from '../bindings/ReportRequest';

/** Typeset the report; `onProgress` hears each phase. The PDF stays on the Rust side until saved. */
export function previewReport(request: ReportRequest, onProgress: (p: Progress) => void): Promise<ReportPreview> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return call<ReportPreview>('report_preview', { request, onProgress: channel });
}

export const cancelReport = () => call<void>('report_cancel');

/** Write the previewed PDF to `path`. */
export const saveReport = (path: string) => call<void>('report_save', { path });

export const exportCsv = (dir: string, period: string, options: CsvOptions) =>
  call<string[]>('report_export_csv', { dir, period, options });

/** Native save dialog for the PDF; null when the user cancels. */
export async function choosePdfPath(defaultPath: string): Promise<string | null> {
  return (await save({ title: 'Save report', defaultPath, filters: [{ name: 'PDF', extensions: ['pdf'] }] })) ?? null;
}

/** Native folder dialog for the CSV exports; null when the user cancels. */
export async function chooseExportFolder(): Promise<string | null> {
  const picked = await open({ title: 'Export CSV files into…', directory: true, multiple: false });
  return typeof picked === 'string' ? picked : null;
}
