import { describe, expect, it, vi } from 'vitest';
import { editShown, saveDraft } from './stale-edit';

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

describe('saveDraft', () => {
  const companyConflict = {
    code: 'conflict',
    message:
      'The company name was changed by someone else since you opened it (now "Acme Ltd"); your edit was not saved: the screen now shows their version',
  };

  it('saves the draft stating the version the form was opened on', async () => {
    const save = vi.fn((value: string, seen: number) => Promise.resolve({ company: value, company_version: seen + 1 }));
    const out = await saveDraft({ value: 'Acme', seen: 3 }, save, () => Promise.resolve(), () => null);
    expect(save).toHaveBeenCalledWith('Acme', 3);
    expect(out).toEqual({ kind: 'done', value: { company: 'Acme', company_version: 4 } });
  });

  it('on a conflict reopens the form on what the screen shows after the reload', async () => {
    let shown = { value: 'Acme', seen: 1 };
    const out = await saveDraft(
      { value: 'Acme Inc', seen: 1 },
      () => Promise.reject(companyConflict),
      async () => {
        shown = { value: 'Acme Ltd', seen: 2 };
      },
      () => shown,
    );
    expect(out).toEqual({ kind: 'conflict', error: companyConflict, draft: { value: 'Acme Ltd', seen: 2 } });
  });

  it('passes other refusals through and keeps the draft', async () => {
    const shown = vi.fn(() => null);
    const out = await saveDraft(
      { value: 'x'.repeat(200), seen: 1 },
      () => Promise.reject({ code: 'invalid_input', message: 'the company name must be one line of at most 120 characters' }),
      () => Promise.resolve(),
      shown,
    );
    expect(out.kind).toBe('failed');
    expect(shown).not.toHaveBeenCalled();
  });
});
