import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Ends responses at the end of the current turn of the event loop, all together. Each write to a socket
 * whose reader sleeps costs the writer that reader's wakeup (most of a small reply's cost on loopback); a
 * burst of writes finds the reader already awake after the first. A turn busy with slow requests (large
 * Query pages) does not hold finished replies for long: once the oldest has waited MAX_WAIT_MS, the batch
 * is written at once.
 */
const MAX_WAIT_MS = 1;

let pending: { res: ServerResponse; body: Buffer }[] = [];
let oldest = 0;

function flush(): void {
  const batch = pending;
  pending = [];
  for (const { res, body } of batch) res.end(body);
}

export function endSoon(res: ServerResponse, body: Buffer): void {
  if (pending.length === 0) {
    oldest = performance.now();
    setImmediate(flush);
  }
  pending.push({ res, body });
  if (performance.now() - oldest >= MAX_WAIT_MS) flush();
}
