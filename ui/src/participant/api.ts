/**
 * The participant page's one door to the room server: plain HTTP (fetch + EventSource)
 * under the room URL `http://ADDR:PORT/r/{token}/` (see docs/room.md and the contract).
 * Never imports `@tauri-apps/*`: this page runs in any phone's browser.
 *
 * The participant's secret is kept in localStorage under `baton.room.<token>` and sent
 * as `X-Baton-Participant` on every call; the server also sets an HttpOnly cookie on
 * join, which is what identifies the EventSource (it cannot send headers).
 */
import type { ActionAck, JoinRequest, Joined, RoomState } from './types';

/** What a failed call says: the server's `{code, message}`, plus the HTTP status (0: no answer). */
export interface RoomError {
  code: string;
  message: string;
  status: number;
}

export const INVALID_LINK = 'This room link is not valid any more. Scan the code on the projector again.';
export const NO_ANSWER = 'No answer from the room. Check that you are on the same Wi-Fi as the projector.';

export function isRoomError(e: unknown): e is RoomError {
  return typeof e === 'object' && e !== null && typeof (e as RoomError).code === 'string' && typeof (e as RoomError).status === 'number';
}

/** The room a page URL belongs to: its base URL (ends with `/`) and its token. */
export function roomFromUrl(href: string): { base: string; token: string } | null {
  const url = new URL(href);
  const m = /^(.*?\/r\/([A-Za-z0-9_-]+))(?:\/|$)/.exec(url.pathname);
  if (!m) return null;
  return { base: `${url.origin}${m[1]}/`, token: m[2] };
}

/** The bits of `Storage` the page uses (localStorage may throw in private modes). */
export interface SecretStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** How long a call may take before it counts as "no answer" (ms). */
export const CALL_TIMEOUT_MS = 10_000;

export class RoomApi {
  readonly base: string;
  readonly token: string;
  private readonly fetch: Fetch;
  private readonly store: SecretStore | null;
  private memorySecret: string | null = null;

  constructor(base: string, token: string, fetchFn: Fetch, store: SecretStore | null) {
    this.base = base;
    this.token = token;
    this.fetch = fetchFn;
    this.store = store;
  }

  private get key(): string {
    return `baton.room.${this.token}`;
  }

  /** The participant secret this browser holds for the room, if any. */
  secret(): string | null {
    try {
      return this.store?.getItem(this.key) ?? this.memorySecret;
    } catch {
      return this.memorySecret;
    }
  }

  private keep(secret: string | null): void {
    this.memorySecret = secret;
    try {
      if (secret === null) this.store?.removeItem(this.key);
      else this.store?.setItem(this.key, secret);
    } catch {
      // Storage refused (private mode, full): the secret lives as long as the page, and the cookie.
    }
  }

  /** Drop the secret (after "unknown participant", or to join as someone else). */
  forget(): void {
    this.keep(null);
  }

  /** The EventSource URL (the cookie identifies the participant there). */
  eventsUrl(): string {
    return `${this.base}api/events`;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const secret = this.secret();
    if (secret) headers['X-Baton-Participant'] = secret;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), CALL_TIMEOUT_MS);
    let res: Response;
    try {
      res = await this.fetch(`${this.base}api/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: abort.signal,
      });
    } catch {
      throw { code: 'network', message: NO_ANSWER, status: 0 } satisfies RoomError;
    } finally {
      clearTimeout(timer);
    }
    if (res.ok) return (await res.json()) as T;
    throw await errorOf(res);
  }

  state(): Promise<RoomState> {
    return this.request<RoomState>('GET', 'state');
  }

  /** Join (as a new person or as one of the session's people); keeps the secret it returns. */
  async join(req: JoinRequest): Promise<Joined> {
    const joined = await this.request<Joined>('POST', 'join', req);
    this.keep(joined.participant);
    return joined;
  }

  /** One action (`diagnostic/answer`, `vote`, `draft`, `park`, `signoff`); `body` carries its `action_id`. */
  action(path: string, body: { action_id: string } & Record<string, unknown>): Promise<ActionAck> {
    return this.request<ActionAck>('POST', path, body);
  }
}

/** The `{code, message}` of a refused call, whatever the server sent. */
export async function errorOf(res: Response): Promise<RoomError> {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(await res.text());
  } catch {
    // A plain page (the 404 for a wrong token) or an empty body.
  }
  const p = parsed as Partial<RoomError> | null;
  if (p && typeof p.code === 'string' && typeof p.message === 'string') {
    return { code: p.code, message: p.message, status: res.status };
  }
  if (res.status === 404) return { code: 'not_found', message: INVALID_LINK, status: 404 };
  return { code: 'http', message: `The room answered ${res.status} ${res.statusText}`.trim(), status: res.status };
}

/** The RoomApi of the page this script runs in, or null when the URL is not a room URL. */
export function pageApi(): RoomApi | null {
  const room = roomFromUrl(window.location.href);
  if (!room) return null;
  let store: SecretStore | null;
  try {
    store = window.localStorage;
  } catch {
    store = null; // storage disabled: the secret lives in the page and the cookie
  }
  return new RoomApi(room.base, room.token, (input, init) => window.fetch(input, init), store);
}
