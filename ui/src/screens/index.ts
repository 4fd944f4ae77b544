/**
 * The sidebar, in order. To plug in a screen: replace `screens/<Name>.svelte`; its
 * entry here already exists. Its `<Screen title=…>` must equal `label` (e2e checks it).
 */
import type { Component } from 'svelte';
import Overview from './Overview.svelte';
import Personas from './Personas.svelte';
import Vocabulary from './Vocabulary.svelte';
import Goals from './Goals.svelte';
import Funnel from './Funnel.svelte';
import Diagnostic from './Diagnostic.svelte';
import Workshop from './Workshop.svelte';
import Imports from './Imports.svelte';
import Reports from './Reports.svelte';

export interface ScreenEntry {
  /** URL hash and e2e id: `#/funnel`, `[data-screen="funnel"]`. */
  id: string;
  label: string;
  component: Component;
}

export const screens: readonly ScreenEntry[] = [
  { id: 'overview', label: 'Overview', component: Overview },
  { id: 'personas', label: 'Personas', component: Personas },
  { id: 'vocabulary', label: 'Vocabulary & SLAs', component: Vocabulary },
  { id: 'goals', label: 'Goals', component: Goals },
  { id: 'funnel', label: 'Funnel', component: Funnel },
  { id: 'diagnostic', label: 'Diagnostic', component: Diagnostic },
  { id: 'workshop', label: 'Workshop', component: Workshop },
  { id: 'imports', label: 'Imports', component: Imports },
  { id: 'reports', label: 'Reports', component: Reports },
];

export function screenFromHash(hash: string): ScreenEntry {
  const id = hash.replace(/^#\/?/, '');
  return screens.find((s) => s.id === id) ?? screens[0];
}
