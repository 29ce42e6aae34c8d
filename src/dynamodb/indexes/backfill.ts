/**
 * Backfill of a global index added to a populated table by UpdateTable. The index record carries a cursor
 * (`backfillCursor`: the table storage key from which items are not indexed yet); each step reads a bounded
 * batch of items from the cursor in one transaction, writes their entries, counts them and moves the cursor.
 * Writes running meanwhile maintain the index only behind the cursor (maintain.ts), so every item is
 * indexed exactly once. When the cursor reaches the end it is dropped and the index may become ACTIVE
 * (tables/lifecycle.ts). Nothing holds more than one batch in memory.
 *
 * The first steps run inside UpdateTable's own transaction (small tables are indexed at once); the rest run
 * in the background, one transaction per batch. A backfill left unfinished by a restart is resumed the next
 * time the table is described, queried or scanned (`resumeBackfills`).
 */
import { keyAfter, type StorageEngine, type Transaction } from '../../storage/engine';
import type { Scope } from '../tables/arn';
import { loadTable, saveTable } from '../tables/catalogue';
import type { GlobalIndexRecord, TableRecord } from '../tables/record';
import { loadStats, setIndexStats, storeStats } from '../tables/stats';
import { itemTable } from '../items/table';
import { tableItemsRange } from '../keys';
import { itemSize } from '../values/item-size';
import type { Item } from '../values/attribute-value';
import { indexDefs, indexEntryKey, projectEntry } from './layout';

/** Items indexed per background transaction. */
export const BACKFILL_BATCH = 500;
/** Items UpdateTable indexes in its own transaction before handing over to the background. */
export const INLINE_BACKFILL = 1000;

/** Starts the backfill of a newly created index: its cursor at the first item, its counters at zero. */
export async function beginBackfill(tx: Transaction, scope: Scope, record: TableRecord, index: GlobalIndexRecord): Promise<void> {
  index.backfillCursor = tableItemsRange(scope.accountId, scope.region, record.id).start.toString('base64');
  index.itemCount = 0;
  index.sizeBytes = 0;
  await setIndexStats(tx, scope, record, index.name, 0, 0);
}

/**
 * Indexes up to `batch` items after the cursor of `indexName` in `record` (read in `tx`), moving the cursor
 * or dropping it at the end. Returns whether items remain. The caller saves the record.
 */
export async function backfillStep(tx: Transaction, scope: Scope, record: TableRecord, indexName: string, batch: number): Promise<boolean> {
  const position = record.globalIndexes.findIndex((i) => i.name === indexName);
  // The loaded index record may be shared (catalogue.ts): move the cursor on a copy.
  if (position >= 0) record.globalIndexes = record.globalIndexes.map((i, n) => (n === position ? { ...i } : i));
  const table = itemTable(record);
  const def = indexDefs(table).find((d) => d.name === indexName);
  const index = def?.record as GlobalIndexRecord | undefined;
  if (!def || !index || index.backfillCursor === undefined || index.status !== 'CREATING') return false;
  const range = tableItemsRange(scope.accountId, scope.region, record.id);
  const start = Buffer.from(index.backfillCursor, 'base64');
  const entries = await tx.scan({ start, end: range.end, limit: batch });
  const stats = await loadStats(tx, scope, record);
  let [count, size] = stats.indexes[indexName] ?? [0, 0];
  for (const entry of entries) {
    const item = JSON.parse(entry.value.toString('utf8')) as Item;
    const key = indexEntryKey(scope, table, def, item);
    if (!key) continue;
    const projected = projectEntry(table, def, item);
    tx.put(key, projected === item ? entry.value : Buffer.from(JSON.stringify(projected), 'utf8'));
    count++;
    size += itemSize(projected);
  }
  stats.indexes[indexName] = [count, size];
  storeStats(tx, scope, record, stats);
  if (entries.length < batch) {
    delete index.backfillCursor;
    return false;
  }
  index.backfillCursor = keyAfter(entries[entries.length - 1]!.key).toString('base64');
  return true;
}

const running = new Set<string>();

/** Runs the rest of a backfill in the background, one transaction per batch. */
export function continueBackfill(store: StorageEngine, scope: Scope, tableName: string, indexName: string): void {
  const id = `${scope.accountId}\u0000${scope.region}\u0000${tableName}\u0000${indexName}`;
  if (running.has(id)) return;
  running.add(id);
  const step = async (): Promise<boolean> =>
    store.transact(async (tx) => {
      const record = await loadTable(tx, scope, tableName, Date.now());
      if (!record) return false;
      const more = await backfillStep(tx, scope, record, indexName, BACKFILL_BATCH);
      saveTable(tx, scope, record);
      return more;
    });
  const loop = async () => {
    try {
      while (await step()) await new Promise((resolve) => setImmediate(resolve));
    } catch {
      // The store closed or the table went away; a later read resumes what is left.
    } finally {
      running.delete(id);
    }
  };
  void loop();
}

/** Resumes any backfill of the table that is not running in this process (after a restart). */
export function resumeBackfills(store: StorageEngine, scope: Scope, record: TableRecord): void {
  for (const index of record.globalIndexes) {
    if (index.backfillCursor !== undefined && index.status === 'CREATING') continueBackfill(store, scope, record.name, index.name);
  }
}
