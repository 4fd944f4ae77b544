/** What the preview says a mapping will import, in the words of the Imports screen. */
import type { PreviewCounts } from './bindings/PreviewCounts';
import { formatCount, plural } from './format';

export interface OutcomeStage {
  /** Stage id, `lost`, or '' for records without a stage. */
  stage: string;
  name: string;
  records: number;
}

export interface Outcome {
  headline: string;
  /** Records per current stage (only stages with records), then those without a stage. */
  stages: OutcomeStage[];
  /** Rejected, skipped and repeated rows, when there are any. */
  notes: string[];
  /** More than half of the rows would be rejected: say so before Import. */
  warning: string | null;
}

export function describeOutcome(c: PreviewCounts): Outcome {
  const kind = c.kind === 'record' ? 'record' : `${c.kind} record`;
  const from = c.all_rows ? `from the ${plural(c.rows, 'row')} of the file` : `from the first ${plural(c.rows, 'row')} (the import reads them all)`;
  const stages: OutcomeStage[] = c.stages.filter((s) => s.records > 0).map((s) => ({ stage: s.stage, name: s.name, records: s.records }));
  if (c.no_stage > 0) stages.push({ stage: '', name: 'No stage', records: c.no_stage });
  const notes: string[] = [];
  if (c.rejected > 0) {
    const first = c.rejects.length > 0 ? `: ${c.rejects.join('; ')}` : '';
    notes.push(`${plural(c.rejected, 'row')} would be rejected${first}.`);
  }
  if (c.repeated > 0) {
    const verb = c.repeated === 1 ? 'repeats a record id seen earlier and updates' : 'repeat a record id seen earlier and update';
    notes.push(`${plural(c.repeated, 'row')} ${verb} that record.`);
  }
  if (c.skipped > 0) notes.push(`${plural(c.skipped, 'blank or footer row')} skipped.`);
  const warning = c.too_many_rejected
    ? `More than half of the rows would be rejected (${formatCount(c.rejected)} of ${formatCount(c.rejected + c.records + c.repeated)}): the file is probably not read as intended. Check the preset, the delimiter and the column mapping; a partial import asks before keeping the rest.`
    : null;
  return { headline: `${plural(c.records, kind)} ${from}`, stages, notes, warning };
}
