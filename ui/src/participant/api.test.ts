import { describe, expect, it } from 'vitest';
import { INVALID_LINK, NO_ANSWER, RoomApi, errorOf, roomFromUrl, type SecretStore } from './api';
import { BASE, FakeRoom } from './fake-room.test-util';

class MemoryStore implements SecretStore {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

describe('roomFromUrl', () => {
  it('finds the room base and token in the page URL', () => {
    expect(roomFromUrl('http://192.168.1.20:7420/r/AbC-d_9/')).toEqual({ base: 'http://192.168.1.20:7420/r/AbC-d_9/', token: 'AbC-d_9' });
    expect(roomFromUrl('http://192.168.1.20:7420/r/AbC/participant.html?x=1#y')?.base).toBe('http://192.168.1.20:7420/r/AbC/');
    expect(roomFromUrl('http://192.168.1.20:7420/r/AbC')?.token).toBe('AbC');
  });
  it('is null outside a room URL', () => {
    expect(roomFromUrl('http://192.168.1.20:7420/')).toBeNull();
    expect(roomFromUrl('http://192.168.1.20:7420/room/abc/')).toBeNull();
  });
});

describe('RoomApi', () => {
  it('keeps the secret from join under baton.room.<token> and sends it as X-Baton-Participant', async () => {
    const room = new FakeRoom();
    const store = new MemoryStore();
    const api = new RoomApi(BASE, 'tok_abc', room.fetch, store);
    expect(api.secret()).toBeNull();
    const joined = await api.join({ name: 'Dana', team: 'sales' });
    expect(store.getItem('baton.room.tok_abc')).toBe(joined.participant);
    await api.state();
    const last = room.calls[room.calls.length - 1];
    expect(last.path).toBe('api/state');
    expect(last.secret).toBe(joined.participant);
    api.forget();
    expect(store.getItem('baton.room.tok_abc')).toBeNull();
  });

  it('still works when storage throws (private mode): the secret lives in memory', async () => {
    const room = new FakeRoom();
    const broken: SecretStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const api = new RoomApi(BASE, 'tok_abc', room.fetch, broken);
    const joined = await api.join({ person_id: 1 });
    expect(api.secret()).toBe(joined.participant);
  });

  it('posts actions as JSON with their action id', async () => {
    const room = new FakeRoom();
    const api = new RoomApi(BASE, 'tok_abc', room.fetch, new MemoryStore());
    await api.join({ person_id: 1 });
    const ack = await api.action('vote', { action_id: 'a1', vote_id: 7, dots: [1, 2, 0] });
    expect(ack.ok).toBe(true);
    expect(room.calls[room.calls.length - 1]).toMatchObject({ method: 'POST', path: 'api/vote', body: { action_id: 'a1', vote_id: 7, dots: [1, 2, 0] } });
  });

  it('turns refusals into {code, message, status}', async () => {
    const room = new FakeRoom();
    const api = new RoomApi(BASE, 'tok_abc', room.fetch, new MemoryStore());
    room.state.locked = true;
    await expect(api.join({ name: 'X', team: 'other' })).rejects.toEqual({ code: 'forbidden', message: 'The room is locked to new joins.', status: 403 });
    room.online = false;
    await expect(api.state()).rejects.toEqual({ code: 'network', message: NO_ANSWER, status: 0 });
  });

  it('reads the plain 404 page of a wrong token as "scan the code again"', async () => {
    const e = await errorOf(new Response('<html>This room link is not valid</html>', { status: 404 }));
    expect(e).toEqual({ code: 'not_found', message: INVALID_LINK, status: 404 });
    const other = await errorOf(new Response('', { status: 502, statusText: 'Bad Gateway' }));
    expect(other).toEqual({ code: 'http', message: 'The room answered 502 Bad Gateway', status: 502 });
  });
});
