/**
 * A body streamed through the server arrives as Buffers whose memory V8 frees only when it collects the
 * Buffer objects. Those objects are small, so the young generation fills (and is collected) only every
 * few hundred MB of body: during a 1 GiB upload about 28 MB of written chunks waited to be freed. Counting
 * the bytes of chunks that are done with and running a minor collection every COLLECT_EVERY of them bounds
 * that; one costs about 80 µs on this server's small young generation.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const COLLECT_EVERY = 8 * 1024 * 1024;

type Collect = (options: { type: 'minor' }) => void;

/** Node gives JavaScript the collector only under --expose-gc; a new context made with it on gets one. */
function minorCollector(): Collect | undefined {
  setFlagsFromString('--expose-gc');
  try {
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as Collect) : undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

const collect = minorCollector();
let spent = 0;

/** Notes that `bytes` of streamed Buffers are no longer used. */
export function buffersSpent(bytes: number): void {
  spent += bytes;
  if (spent < COLLECT_EVERY) return;
  spent = 0;
  collect?.({ type: 'minor' });
}
