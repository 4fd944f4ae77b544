import { describe, expect, it, vi } from 'vitest';

// Screens are Svelte components; the registry test only needs their identity.
vi.mock('./Overview.svelte', () => ({ default: 'Overview' }));
vi.mock('./Personas.svelte', () => ({ default: 'Personas' }));
vi.mock('./Vocabulary.svelte', () => ({ default: 'Vocabulary' }));
vi.mock('./Goals.svelte', () => ({ default: 'Goals' }));
vi.mock('./Funnel.svelte', () => ({ default: 'Funnel' }));
vi.mock('./Diagnostic.svelte', () => ({ default: 'Diagnostic' }));
vi.mock('./Workshop.svelte', () => ({ default: 'Workshop' }));
vi.mock('./Imports.svelte', () => ({ default: 'Imports' }));
vi.mock('./Reports.svelte', () => ({ default: 'Reports' }));

const { screens, screenFromHash } = await import('./index');

describe('screen registry', () => {
  it('has the nine screens of the issue, with unique ids', () => {
    expect(screens.map((s) => s.label)).toEqual([
      'Overview',
      'Personas',
      'Vocabulary & SLAs',
      'Goals',
      'Funnel',
      'Diagnostic',
      'Workshop',
      'Imports',
      'Reports',
    ]);
    expect(new Set(screens.map((s) => s.id)).size).toBe(screens.length);
  });

  it('finds a screen from the URL hash and falls back to Overview', () => {
    expect(screenFromHash('#/funnel').label).toBe('Funnel');
    expect(screenFromHash('#vocabulary').label).toBe('Vocabulary & SLAs');
    expect(screenFromHash('#/nope').id).toBe('overview');
    expect(screenFromHash('').id).toBe('overview');
  });
});
