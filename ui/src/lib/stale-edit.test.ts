import { describe, expect, it, vi } from 'vitest';
import { editShown } from './stale-edit';

const conflict = {
  code: 'conflict',
  message:
    'Persona "Ops Olivia" was changed by someone else since you opened it (its name and criteria); your edit was not saved: the screen now shows their version',
};

describe('editShown', () => {
  it('answers the saved value and reloads nothing', async () => {
    const reload = vi.fn(() => Promise.resolve());
    const out = await editShown(() => Promise.resolve({ id: 1, row_version: 2 }), reload);
    expect(out).toEqual({ kind: 'done', value: { id: 1, row_version: 2 } });
    expect(reload).not.toHaveBeenCalled();
  });

  it('reloads the row on a conflict, then answers the message that names what changed', async () => {
    const order: string[] = [];
    const out = await editShown(
      () => Promise.reject(conflict),
      async () => {
        order.push('reload');
      },
    );
    expect(order).toEqual(['reload']);
    expect(out).toEqual({ kind: 'conflict', error: conflict });
  });

  it('passes any other error through without reloading', async () => {
    const reload = vi.fn(() => Promise.resolve());
    const out = await editShown(() => Promise.reject({ code: 'invalid_input', message: 'the persona needs a name' }), reload);
    expect(out).toEqual({ kind: 'failed', error: { code: 'invalid_input', message: 'the persona needs a name' } });
    expect(reload).not.toHaveBeenCalled();
  });

  it('says so when the reload after a conflict fails', async () => {
    const out = await editShown(
      () => Promise.reject(conflict),
      () => Promise.reject({ code: 'io', message: 'the workspace went away' }),
    );
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') {
      expect(out.error.code).toBe('io');
      expect(out.error.message).toContain('was changed by someone else');
      expect(out.error.message).toContain('Reloading it failed: the workspace went away');
    }
  });
});
