/**
 * Lazy status transitions. A record keeps each transitional status with the time it ends; `settle` moves
 * everything whose time has passed to its end state. CreateTable and UpdateTable answer with the record as
 * written (CREATING / UPDATING), and any later read settles it, so with a delay of 0 the next DescribeTable
 * already says ACTIVE, as DynamoDB's waiters expect.
 */
import type { GlobalIndexRecord, TableRecord, Throughput } from './record';

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Applies a pending capacity change, dating it and counting decreases per UTC day. */
export function applyPendingThroughput(throughput: Throughput, at: number): Throughput {
  const pending = throughput.pending;
  if (!pending) return throughput;
  const next: Throughput = { ...throughput, read: pending.read, write: pending.write };
  delete next.pending;
  if (pending.read > throughput.read || pending.write > throughput.write) next.lastIncreaseAt = at;
  if (pending.read < throughput.read || pending.write < throughput.write) {
    next.lastDecreaseAt = at;
    const day = utcDay(at);
    next.decreasesToday = throughput.decreasesDay === day ? throughput.decreasesToday + 1 : 1;
    next.decreasesDay = day;
  }
  return next;
}

/** The capacity as reported today: yesterday's decreases no longer count. */
export function decreasesToday(throughput: Throughput, now: number): number {
  return throughput.decreasesDay === utcDay(now) ? throughput.decreasesToday : 0;
}

function settleIndex(index: GlobalIndexRecord, now: number): GlobalIndexRecord | undefined {
  if (index.status === 'ACTIVE' || now < index.until) return index;
  // An index is not ACTIVE before its backfill has finished, however long that takes.
  if (index.status === 'CREATING' && index.backfillCursor !== undefined) return index;
  if (index.status === 'DELETING') return undefined;
  const settled: GlobalIndexRecord = { ...index, status: 'ACTIVE', throughput: applyPendingThroughput(index.throughput, index.until) };
  delete settled.allocatedAt;
  return settled;
}

/** Attribute definitions no key uses any more (after an index is gone) are dropped, as DynamoDB does. */
function pruneAttributeDefinitions(record: TableRecord): TableRecord['attributeDefinitions'] {
  const used = new Set(
    [record.keySchema, ...record.localIndexes.map((i) => i.keySchema), ...record.globalIndexes.map((i) => i.keySchema)]
      .flat()
      .map((k) => k.AttributeName),
  );
  return record.attributeDefinitions.filter((d) => used.has(d.AttributeName));
}

/** The record as of `now`, or undefined once a deleted table is gone. */
export function settle(record: TableRecord, now: number): TableRecord | undefined {
  if (record.status === 'DELETING') return now < record.until ? { ...record } : undefined;
  const globalIndexes = record.globalIndexes.map((i) => settleIndex(i, now)).filter((i): i is GlobalIndexRecord => !!i);
  let settled: TableRecord = { ...record, globalIndexes };
  if (globalIndexes.length !== record.globalIndexes.length) {
    settled.attributeDefinitions = pruneAttributeDefinitions(settled);
  }
  if (settled.status !== 'ACTIVE' && now >= settled.until) {
    settled = { ...settled, status: 'ACTIVE', throughput: applyPendingThroughput(settled.throughput, settled.until) };
  }
  return settled;
}

/** Whether an index is still being built, changed or dropped (DeleteTable and index creation wait for it). */
export function indexesInTransition(record: TableRecord): GlobalIndexRecord[] {
  return record.globalIndexes.filter((i) => i.status !== 'ACTIVE');
}
