import type { ServerResponse } from 'node:http';

/**
 * Ends responses at the end of the current turn of the event loop, all together. Each write to a socket
 * whose reader sleeps costs the writer that reader's wakeup (most of a small reply's cost on loopback); a
 * burst of writes finds the reader already awake after the first. Replies wait at most one turn.
 */
let pending: { res: ServerResponse; body: Buffer }[] = [];

function flush(): void {
  const batch = pending;
  pending = [];
  for (const { res, body } of batch) res.end(body);
}

export function endSoon(res: ServerResponse, body: Buffer): void {
  if (pending.length === 0) setImmediate(flush);
  pending.push({ res, body });
}
