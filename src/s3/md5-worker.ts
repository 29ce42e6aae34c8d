/**
 * The thread behind md5-offload.ts: one MD5 per upload session, read from the session's shared ring
 * buffer as the main thread announces ranges of it, each range acknowledged so its space can be reused.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

export type ToMd5Worker =
  | { type: 'open'; session: number; ring: SharedArrayBuffer }
  /** Bytes [from, to) of the session's stream, at ring offsets modulo the ring's size. */
  | { type: 'update'; session: number; from: number; to: number }
  | { type: 'digest'; session: number }
  | { type: 'drop'; session: number };

export type FromMd5Worker = { type: 'ack'; session: number; to: number } | { type: 'digest'; session: number; digest: Uint8Array };

const sessions = new Map<number, { ring: Uint8Array; hash: Hash }>();
const port = parentPort!;

port.on('message', (message: ToMd5Worker) => {
  switch (message.type) {
    case 'open':
      sessions.set(message.session, { ring: new Uint8Array(message.ring), hash: createHash('md5') });
      break;
    case 'update': {
      const s = sessions.get(message.session);
      if (!s) break;
      const size = s.ring.length;
      for (let at = message.from; at < message.to; ) {
        const offset = at % size;
        const n = Math.min(message.to - at, size - offset);
        s.hash.update(s.ring.subarray(offset, offset + n));
        at += n;
      }
      port.postMessage({ type: 'ack', session: message.session, to: message.to } satisfies FromMd5Worker);
      break;
    }
    case 'digest': {
      const s = sessions.get(message.session);
      sessions.delete(message.session);
      if (s) port.postMessage({ type: 'digest', session: message.session, digest: s.hash.digest() } satisfies FromMd5Worker);
      break;
    }
    case 'drop':
      sessions.delete(message.session);
      break;
  }
});
