import { describe, expect, it } from 'vitest';

// Every source file the participant page could reach, as text.
const sources = {
  ...import.meta.glob<string>('./**/*.{ts,svelte}', { query: '?raw', import: 'default', eager: true }),
  ...import.meta.glob<string>('../lib/**/*.{ts,svelte}', { query: '?raw', import: 'default', eager: true }),
} as Record<string, string>;

/** Resolve `spec` imported from `from` (both relative to this folder) to a key of `sources`. */
function resolve(from: string, spec: string): string | null {
  const parts = from.split('/').slice(0, -1);
  for (const p of spec.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.') parts.push(p);
  }
  let path = parts.join('/');
  if (!path.startsWith('.')) path = `./${path}`;
  for (const c of [path, `${path}.ts`, `${path}/index.ts`]) if (c in sources) return c;
  return null;
}

/** Every module the participant page's entry reaches, with what it imports from outside. */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (files.has(f)) continue;
    files.add(f);
    for (const m of sources[f].matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) {
        const r = resolve(f, spec);
        if (r) todo.push(r);
      } else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('the participant page', () => {
  it('reaches no Tauri module and no lib/backend file (it runs in any browser, over HTTP)', () => {
    const { files, packages } = reach('./main.ts');
    expect(files.has('./api.ts')).toBe(true);
    expect(files.has('./Participant.svelte')).toBe(true);
    expect([...packages].filter((p) => p.startsWith('@tauri-apps'))).toEqual([]);
    expect([...files].filter((f) => f.includes('/lib/backend/'))).toEqual([]);
  });

  it('the check itself sees a backend import (the desktop entry reaches one)', () => {
    const { files } = reach('../lib/changes.ts');
    expect([...files].some((f) => f.includes('/lib/backend/'))).toBe(true);
  });

  it('calls no API missing on plain HTTP (randomUUID, service workers, clipboard)', () => {
    const { files } = reach('./main.ts');
    for (const f of files) {
      const code = sources[f].replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/randomUUID\s*\(|serviceWorker|navigator\.clipboard/);
    }
  });
});
