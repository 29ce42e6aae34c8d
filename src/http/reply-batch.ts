/**
 * Writes responses at the end of the current turn of the event loop, all together. Each write to a socket
 * whose reader sleeps costs the writer that reader's wakeup (most of a small reply's cost on loopback); a
 * burst of writes finds the reader already awake after the first. Replies wait at most one turn.
 */
let pending: (() => void)[] = [];

function flush(): void {
  const batch = pending;
  pending = [];
  for (const write of batch) write();
}

/** Runs `write` (which sends one finished response) with the others of this turn. */
export function writeSoon(write: () => void): void {
  if (pending.length === 0) setImmediate(flush);
  pending.push(write);
}
