/**
 * Keeps every secondary index in step with a write, inside the write's transaction: the old entry goes
 * when the item left the index or its index key changed, the new entry is written, and the index's
 * ItemCount / IndexSizeBytes follow in the table's pending stats delta (the caller saves it). Indexes being
 * dropped are skipped (their entries were removed when the drop began); an index being backfilled is kept
 * only for items the backfill has passed, the rest it will pick up itself.
 */
import type { Transaction } from '../../storage/engine';
import type { Scope } from '../tables/arn';
import type { GlobalIndexRecord } from '../tables/record';
import type { ItemTable } from '../items/table';
import { addIndexDelta } from '../tables/stats';
import type { Item } from '../values/attribute-value';
import { itemSize } from '../values/item-size';
import { indexDefs, indexEntryKey, projectEntry } from './layout';

export interface SerializedItem {
  value: Buffer;
  size: number;
}

export function maintainIndexes(
  tx: Transaction,
  scope: Scope,
  table: ItemTable,
  storageKey: Buffer,
  old: Item | undefined,
  next: Item | undefined,
  serialized?: SerializedItem,
): void {
  if (table.record.localIndexes.length === 0 && table.record.globalIndexes.length === 0) return;
  for (const def of indexDefs(table)) {
    const record = def.record as GlobalIndexRecord;
    if (def.kind === 'global' && record.status === 'DELETING') continue;
    if (record.backfillCursor !== undefined && Buffer.compare(storageKey, Buffer.from(record.backfillCursor, 'base64')) >= 0) continue;
    const oldKey = old && indexEntryKey(scope, table, def, old);
    const newKey = next && indexEntryKey(scope, table, def, next);
    if (!oldKey && !newKey) continue;
    let delta = 0;
    let sizeDelta = 0;
    if (oldKey) {
      delta--;
      sizeDelta -= itemSize(projectEntry(table, def, old!));
      if (!newKey || !oldKey.equals(newKey)) tx.delete(oldKey);
    }
    if (newKey) {
      const all = def.projection.ProjectionType === 'ALL';
      const entry = all ? next! : projectEntry(table, def, next!);
      const value = all && serialized ? serialized.value : Buffer.from(JSON.stringify(entry), 'utf8');
      tx.put(newKey, value);
      delta++;
      sizeDelta += all && serialized ? serialized.size : itemSize(entry);
    }
    addIndexDelta(table.delta, def.name, delta, sizeDelta);
  }
}
