/**
 * Client action ids: every action a participant sends carries one, so a retry after a
 * dropped connection is recognised by the server and counted once. Made from
 * `crypto.getRandomValues`, which plain-HTTP pages have (`crypto.randomUUID` is missing
 * outside secure contexts, e.g. on `http://192.168.1.20:7420`).
 */
export interface RandomSource {
  getRandomValues(array: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
}

/** 128 random bits as 32 lowercase hex characters (well under the server's 64-char cap). */
export function actionId(random: RandomSource = globalThis.crypto): string {
  const bytes = random.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
