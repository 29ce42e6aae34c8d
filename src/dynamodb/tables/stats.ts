/**
 * Item count and size of a table and of each of its secondary indexes (DescribeTable's ItemCount,
 * TableSizeBytes, IndexSizeBytes). They live under their own small key (`tableStatsKey`), not in the table
 * record, so an item write updates a few bytes instead of re-serialising the record. Item writes add their
 * changes to the table's pending delta (`StatsDelta`, kept on the ItemTable) and `saveStats` folds it into
 * the stored counters once per transaction.
 *
 * Encoding: JSON `[itemCount, sizeBytes, {indexName: [itemCount, sizeBytes], ...}]`. No key, or no entry for
 * an index, means nothing has been written there yet: zero.
 */
import type { ReadView, Transaction } from '../../storage/engine';
import { tableStatsKey } from '../keys';
import type { Scope } from './arn';
import type { TableRecord } from './record';

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
  indexes: Record<string, [number, number]>;
}

/** Changes not saved yet: [count, size] per index name. */
export interface StatsDelta {
  items: number;
  size: number;
  indexes?: Map<string, [number, number]>;
}

export function emptyDelta(): StatsDelta {
  return { items: 0, size: 0 };
}

export function addIndexDelta(delta: StatsDelta, indexName: string, count: number, size: number): void {
  const indexes = (delta.indexes ??= new Map());
  const entry = indexes.get(indexName);
  if (entry) {
    entry[0] += count;
    entry[1] += size;
  } else indexes.set(indexName, [count, size]);
}

export async function loadStats(view: ReadView, scope: Scope, record: TableRecord): Promise<TableStats> {
  const value = await view.get(tableStatsKey(scope.accountId, scope.region, record.id));
  const [itemCount, sizeBytes, indexes] = value
    ? (JSON.parse(value.toString('utf8')) as [number, number, Record<string, [number, number]>])
    : [0, 0, {} as Record<string, [number, number]>];
  const stats: TableStats = { itemCount, sizeBytes, indexes: {} };
  // Only the record's current indexes count.
  for (const index of [...record.localIndexes, ...record.globalIndexes]) stats.indexes[index.name] = indexes[index.name] ?? [0, 0];
  return stats;
}

export function storeStats(tx: Transaction, scope: Scope, record: TableRecord, stats: TableStats): void {
  tx.put(tableStatsKey(scope.accountId, scope.region, record.id), Buffer.from(JSON.stringify([stats.itemCount, stats.sizeBytes, stats.indexes]), 'utf8'));
}

/** Folds `delta` into the stored counters of `record`'s table (read in `tx`) and clears it. */
export async function saveStats(tx: Transaction, scope: Scope, record: TableRecord, delta: StatsDelta): Promise<void> {
  if (delta.items === 0 && delta.size === 0 && !delta.indexes?.size) return;
  const stats = await loadStats(tx, scope, record);
  stats.itemCount = Math.max(0, stats.itemCount + delta.items);
  stats.sizeBytes = Math.max(0, stats.sizeBytes + delta.size);
  if (delta.indexes) {
    for (const [name, [count, size]] of delta.indexes) {
      const entry = stats.indexes[name];
      if (!entry) continue; // an index no longer in the record
      stats.indexes[name] = [Math.max(0, entry[0] + count), Math.max(0, entry[1] + size)];
    }
  }
  delta.items = 0;
  delta.size = 0;
  delta.indexes = undefined;
  storeStats(tx, scope, record, stats);
}

/** Sets one index's counters (a new index starts at zero; a backfill adds what it indexed). */
export async function setIndexStats(tx: Transaction, scope: Scope, record: TableRecord, indexName: string, count: number, size: number): Promise<void> {
  const stats = await loadStats(tx, scope, record);
  stats.indexes[indexName] = [count, size];
  storeStats(tx, scope, record, stats);
}

/** The record with its counters filled in from the stats, for a description. */
export async function withStats<R extends TableRecord | undefined>(view: ReadView, scope: Scope, record: R): Promise<R> {
  if (!record) return record;
  const stats = await loadStats(view, scope, record);
  const entry = (name: string) => stats.indexes[name] ?? [0, 0];
  return {
    ...record,
    itemCount: stats.itemCount,
    sizeBytes: stats.sizeBytes,
    localIndexes: record.localIndexes.map((i) => ({ ...i, itemCount: entry(i.name)[0], sizeBytes: entry(i.name)[1] })),
    globalIndexes: record.globalIndexes.map((i) => ({ ...i, itemCount: entry(i.name)[0], sizeBytes: entry(i.name)[1] })),
  };
}

export function removeStats(tx: Transaction, scope: Scope, record: TableRecord): void {
  tx.delete(tableStatsKey(scope.accountId, scope.region, record.id));
}
