import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { buffersSpent } from './spent-buffers';

const MiB = 1024 * 1024;

test('a forced minor collection runs once 8 MiB of buffers are spent, not before', async () => {
  const minor: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as unknown as { detail?: { kind?: number; flags?: number } }).detail;
      // Forced ones only: the test's own allocations may fill the young generation too.
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR && (detail.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) minor.push(entry.startTime);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  try {
    // The count starts at zero: each test file runs in a process of its own.
    const start = minor.length;
    for (let i = 0; i < 7; i++) buffersSpent(MiB);
    buffersSpent(MiB - 1);
    await settle();
    assert.equal(minor.length, start);
    buffersSpent(1);
    await settle();
    assert.equal(minor.length, start + 1);
  } finally {
    observer.disconnect();
  }
});
