// Waiting for the machine to go quiet before a measured round. A system keeps working after its round ends
// (LevelDB compacting, SQLite checkpointing, the kernel writing dirty pages back), and on a small machine that
// work would be charged to whichever system is measured next.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** [busy, total] CPU ticks of the whole machine since boot, or undefined off Linux. */
function cpuTicks(): [number, number] | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = ticks[3]! + ticks[4]!; // idle + iowait
    return [total - idle, total];
  } catch {
    return undefined;
  }
}

/**
 * Flushes dirty pages, then waits until the machine is at most `busyPercent` busy over a `windowMs`
 * window, for at most `maxMs`. Returns the milliseconds waited, or -1 if it gave up.
 */
export async function waitForQuiet({ busyPercent = 15, windowMs = 250, maxMs = 20_000 } = {}): Promise<number> {
  const started = Date.now();
  try {
    execFileSync('sync');
  } catch {
    // no sync(1): the kernel's own writeback still runs, and the idle check below waits for it
  }
  for (let before = cpuTicks(); before; ) {
    await sleep(windowMs);
    const after = cpuTicks()!;
    const total = after[1] - before[1];
    if (total > 0 && (100 * (after[0] - before[0])) / total <= busyPercent) return Date.now() - started;
    if (Date.now() - started > maxMs) return -1;
    before = after;
  }
  return Date.now() - started;
}
