import { describe, expect, it } from 'vitest';
import { load } from './load.svelte';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('load', () => {
  it('exposes the value once the call resolves', async () => {
    const result = load(() => Promise.resolve(42));
    expect(result.loading).toBe(true);
    await settle();
    expect(result.data).toBe(42);
    expect(result.error).toBeNull();
    expect(result.loading).toBe(false);
  });

  it('turns a rejection into a BatonError and recovers on reload', async () => {
    let fail = true;
    const result = load(() => (fail ? Promise.reject({ code: 'not_found', message: 'gone' }) : Promise.resolve('ok')));
    await settle();
    expect(result.error).toEqual({ code: 'not_found', message: 'gone' });
    expect(result.data).toBeUndefined();
    fail = false;
    await result.reload();
    expect(result.error).toBeNull();
    expect(result.data).toBe('ok');
  });

  it('keeps only the latest of overlapping reloads', async () => {
    const resolvers: ((v: number) => void)[] = [];
    const result = load(() => new Promise<number>((resolve) => resolvers.push(resolve)));
    const second = result.reload();
    resolvers[1](2);
    await second;
    resolvers[0](1);
    await settle();
    expect(result.data).toBe(2);
  });
});
