import { describe, expect, it } from 'vitest';
import { EXPORT_EXTENSIONS } from './imports';

describe('the export file dialog', () => {
  it('offers CSV and the workbooks the import reads', () => {
    for (const ext of ['csv', 'tsv', 'txt', 'xlsx', 'xls', 'ods']) expect(EXPORT_EXTENSIONS).toContain(ext);
  });
});
