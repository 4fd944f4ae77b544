import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomApi, type SecretStore } from './api';
import { BASE, FakeRoom, settle } from './fake-room.test-util';
import { EVENTSOURCE_CLOSED, RoomClient, type RoomView } from './room';

class MemoryStore implements SecretStore {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

function setup(store = new MemoryStore()) {
  const room = new FakeRoom();
  const api = new RoomApi(BASE, 'tok_abc', room.fetch, store);
  const views: RoomView[] = [];
  const client = new RoomClient({ api, openEvents: room.openEvents, onchange: (v) => views.push(v), probeDelay: 1_000, reopenDelay: () => 500 });
  const view = () => client.view();
  return { room, api, client, view, store, views };
}

async function joined() {
  const t = setup();
  await t.client.start();
  t.room.lastEvents.emit('open');
  await settle();
  await t.client.join({ name: 'Dana', team: 'sales' });
  t.room.lastEvents.emit('open');
  await settle();
  return t;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RoomClient: joining and following', () => {
  it('shows the join form to a browser without an identity, live once the stream opens', async () => {
    const { client, room, view } = setup();
    await client.start();
    expect(view().phase).toBe('join');
    expect(view().connected).toBe(false);
    room.lastEvents.emit('open');
    await settle();
    expect(view().connected).toBe(true);
    expect(room.lastEvents.url).toBe(`${BASE}api/events`);
  });

  it('after joining follows the room as that person, on a fresh stream carrying the cookie', async () => {
    const { room, view, store } = await joined();
    expect(view().phase).toBe('room');
    expect(view().state?.me?.name).toBe('Dana');
    expect(store.getItem('baton.room.tok_abc')).toMatch(/^secret-/);
    expect(room.events.length).toBe(2);
    expect(room.events[0].closed).toBe(true);
  });

  it('comes back as the same person after a reload (the secret from localStorage)', async () => {
    const first = await joined();
    const again = new RoomClient({ api: new RoomApi(BASE, 'tok_abc', first.room.fetch, first.store), openEvents: first.room.openEvents, onchange: () => {} });
    await again.start();
    expect(again.view().phase).toBe('room');
    expect(again.view().state?.me?.name).toBe('Dana');
    expect(first.room.secrets.size).toBe(1);
  });

  it('refetches the state on each change event, one fetch at a time', async () => {
    const { room, view } = await joined();
    const before = room.calls.filter((c) => c.path === 'api/state').length;
    room.state = { ...room.state, joined: 5, version: 40 };
    room.lastEvents.emit('change');
    room.lastEvents.emit('change');
    room.lastEvents.emit('change');
    await settle(30);
    expect(view().state?.joined).toBe(5);
    const fetches = room.calls.filter((c) => c.path === 'api/state').length - before;
    expect(fetches).toBeGreaterThanOrEqual(1);
    expect(fetches).toBeLessThanOrEqual(2);
  });

  it('says "Reconnecting" (not connected) while the stream is down and catches up when it reopens', async () => {
    const { room, view } = await joined();
    room.lastEvents.emit('error', 0);
    expect(view().connected).toBe(false);
    room.state = { ...room.state, joined: 3, version: 50 };
    room.lastEvents.emit('open');
    await settle(30);
    expect(view().connected).toBe(true);
    expect(view().state?.joined).toBe(3);
  });

  it('opens a new stream when the browser gave up on it', async () => {
    const { room, view } = await joined();
    const count = room.events.length;
    room.lastEvents.emit('error', EVENTSOURCE_CLOSED);
    await settle();
    expect(view().connected).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(room.events.length).toBe(count + 1);
    room.lastEvents.emit('open');
    await settle(30);
    expect(view().connected).toBe(true);
  });
});

describe('RoomClient: actions', () => {
  it('shows an action as pending until the server acknowledges it, with a client action id', async () => {
    const { client, room, view } = await joined();
    const done = client.act('vote:7', 'vote', { vote_id: 7, dots: [2, 1, 0] });
    expect(view().pending).toHaveLength(1);
    expect(view().pending[0].status).toBe('sending');
    expect(await done).toBe(true);
    expect(view().pending).toHaveLength(0);
    const sent = room.calls.find((c) => c.path === 'api/vote');
    expect(sent?.body?.action_id).toMatch(/^[0-9a-f]{32}$/);
    expect(view().state?.me?.voted).toBe(true);
  });

  it('offline mid-vote: the reply is lost, the same action id is sent again on reconnect, the ballot counts once', async () => {
    const { client, room, view } = await joined();
    room.dropNextReply = true; // the server commits the ballot, the phone never hears back
    let result: boolean | null = null;
    void client.act('vote:7', 'vote', { vote_id: 7, dots: [1, 1, 1] }).then((r) => (result = r));
    await settle(30);
    expect(view().connected).toBe(false);
    expect(view().pending[0].status).toBe('waiting');
    expect(result).toBeNull();
    // A minute later the phone is back on the Wi-Fi and the stream reopens.
    room.online = true;
    room.lastEvents.emit('error', 0);
    room.lastEvents.emit('open');
    await settle(60);
    expect(result).toBe(true);
    const ids = room.calls.filter((c) => c.path === 'api/vote').map((c) => c.body?.action_id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect(room.ballots).toEqual([[1, 1, 1]]);
    expect([...room.applied.values()]).toEqual([1]);
    expect(view().pending).toHaveLength(0);
    expect(view().state?.vote?.ballots_cast).toBe(1);
  });

  it('an action that never reached the server waits, then goes out once when a probe gets an answer', async () => {
    const { client, room, view } = await joined();
    room.online = false;
    const done = client.act('park', 'park', { text: 'Pricing page', anonymous: false });
    await settle(30);
    expect(view().pending[0].status).toBe('waiting');
    expect(view().connected).toBe(false);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(view().pending[0].status).toBe('waiting'); // still offline: still waiting
    room.online = true;
    await vi.advanceTimersByTimeAsync(1_100);
    expect(await done).toBe(true);
    expect(room.calls.filter((c) => c.path === 'api/park')).toHaveLength(1);
    expect(view().connected).toBe(true);
  });

  it('a refused action fails with the server message and resolves false', async () => {
    const { client, room, view } = await joined();
    room.ballots.push([3, 0, 0]);
    const ok = await client.act('vote:7', 'vote', { vote_id: 7, dots: [1, 0, 0] });
    expect(ok).toBe(false);
    expect(view().pending[0]).toMatchObject({ key: 'vote:7', status: 'failed', error: { code: 'conflict', message: 'You have already voted.' } });
    expect(view().error).toBeNull();
    client.clearFailed('vote:7');
    expect(view().pending).toHaveLength(0);
  });
});

describe('RoomClient: the room ends', () => {
  it('shows "removed" when the server says so and stops listening', async () => {
    const { room, view } = await joined();
    const es = room.lastEvents;
    es.emit('removed');
    expect(view().phase).toBe('removed');
    expect(es.closed).toBe(true);
  });

  it('a removed participant reconnecting gets 401 removed and the removed page', async () => {
    const { client, room, view, store } = await joined();
    room.secrets.get(store.getItem('baton.room.tok_abc')!)!.removed = true;
    await client.refresh();
    expect(view().phase).toBe('removed');
    client.joinAgain();
    await settle(30);
    expect(view().phase).toBe('join');
    expect(store.getItem('baton.room.tok_abc')).toBeNull();
  });

  it('shows "closed" when the room closes, and settles actions still waiting as not done', async () => {
    const { client, room, view } = await joined();
    room.online = false;
    const done = client.act('park', 'park', { text: 'x', anonymous: false });
    await settle(30);
    room.lastEvents.emit('closed');
    expect(await done).toBe(false);
    expect(view().phase).toBe('closed');
    expect(view().pending).toHaveLength(0);
  });

  it('a closed room that opens again (the host restarted) is followed again, same identity', async () => {
    const { room, view } = await joined();
    room.lastEvents.emit('closed');
    expect(view().phase).toBe('closed');
    room.online = false; // the app is down
    await vi.advanceTimersByTimeAsync(5_100);
    expect(view().phase).toBe('closed');
    room.online = true; // restarted, the room opened again on the same URL
    const streams = room.events.length;
    await vi.advanceTimersByTimeAsync(5_100);
    expect(view().phase).toBe('room');
    expect(view().state?.me?.name).toBe('Dana');
    expect(room.events.length).toBe(streams + 1);
  });

  it('a wrong token (plain 404 page) says to scan the code again', async () => {
    const { client, room, view } = setup();
    room.override = { status: 404, body: '<html>not valid</html>' };
    await client.start();
    expect(view().phase).toBe('invalid');
  });

  it('an unknown secret (a different room) forgets it and shows the join form', async () => {
    const { client, view, store } = setup();
    store.setItem('baton.room.tok_abc', 'stale');
    await client.start();
    await settle(30);
    expect(view().phase).toBe('join');
    expect(store.getItem('baton.room.tok_abc')).toBeNull();
  });

  it('a locked room refuses the join with the server message', async () => {
    const { client, room, view } = setup();
    await client.start();
    room.state.locked = true;
    expect(await client.join({ name: 'Lee', team: 'marketing' })).toBe(false);
    expect(view().phase).toBe('join');
    expect(view().error).toMatchObject({ code: 'forbidden', status: 403 });
  });
});
