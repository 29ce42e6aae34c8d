/**
 * Where items live: under the table's item prefix (keys.ts), one tuple component per key attribute value
 * (hash, then range), each in the order-preserving encoding of `encodeKeyValue`. The value is the item as
 * JSON (canonical AttributeValues). Writes keep the table's item count and size (tables/stats.ts) up to date
 * in the same transaction.
 */
import { readDecoded, type ReadView, type Transaction } from '../../storage/engine';
import { prefixRange } from '../../storage/tuple-key';
import { tableItemKey, tableItemsPrefix } from '../keys';
import type { Scope } from '../tables/arn';
import { saveStats } from '../tables/stats';
import type { AttributeValue, Item } from '../values/attribute-value';
import { itemSize } from '../values/item-size';
import { encodeKeyValue } from '../values/order';
import type { ItemTable } from './table';
import { maintainIndexes, type SerializedItem } from '../indexes/maintain';

/** The primary key attributes of an item (or Key). */
export function extractKey(table: ItemTable, item: Item): Item {
  const key: Item = { [table.schema.hash.name]: item[table.schema.hash.name]! };
  if (table.schema.range) key[table.schema.range.name] = item[table.schema.range.name]!;
  return key;
}

export function itemStorageKey(scope: Scope, table: ItemTable, key: Item): Buffer {
  const parts: Buffer[] = [encodeKeyValue(key[table.schema.hash.name]!)];
  if (table.schema.range) parts.push(encodeKeyValue(key[table.schema.range.name]!));
  return tableItemKey(scope.accountId, scope.region, table.record.id, parts);
}

/** The storage range of one item collection (all items sharing a hash key value). */
export function collectionRange(scope: Scope, table: ItemTable, hashValue: AttributeValue): { start: Buffer; end: Buffer } {
  return prefixRange([...tableItemsPrefix(scope.accountId, scope.region, table.record.id), encodeKeyValue(hashValue)]);
}

export function decodeItem(value: Buffer): Item {
  return JSON.parse(value.toString('utf8')) as Item;
}

export async function readItem(view: ReadView, storageKey: Buffer): Promise<Item | undefined> {
  const value = await view.get(storageKey);
  return value && decodeItem(value);
}

/** readItem for callers that only read the item: it may be shared with other readers, so never mutate it. */
export function readSharedItem(view: ReadView, storageKey: Buffer): Promise<Item | undefined> {
  return readDecoded(view, storageKey, decodeItem);
}

/**
 * Replaces (or, with `next` undefined, deletes) the item at `storageKey`, whose current state is `old`,
 * and updates the table's item count and size (tables/stats.ts).
 */
export async function writeItem(tx: Transaction, scope: Scope, table: ItemTable, storageKey: Buffer, old: Item | undefined, next: Item | undefined): Promise<void> {
  writeItemNoSave(tx, scope, table, storageKey, old, next);
  await saveStats(tx, scope, table.record, table.delta);
}

/**
 * writeItem without saving the counters: the changes accumulate in `table.delta`, for callers that write
 * many items in one transaction (BatchWriteItem, transactions) and call `saveStats` once at the end.
 * Secondary indexes are kept in step here (indexes/maintain.ts), so every write path maintains them.
 */
export function writeItemNoSave(tx: Transaction, scope: Scope, table: ItemTable, storageKey: Buffer, old: Item | undefined, next: Item | undefined): void {
  let serialized: SerializedItem | undefined;
  if (next) {
    serialized = { value: Buffer.from(JSON.stringify(next), 'utf8'), size: itemSize(next) };
    tx.put(storageKey, serialized.value);
  } else if (old) tx.delete(storageKey);
  else return;
  const delta = table.delta;
  delta.items += (next ? 1 : 0) - (old ? 1 : 0);
  delta.size += (serialized ? serialized.size : 0) - (old ? itemSize(old) : 0);
  maintainIndexes(tx, scope, table, storageKey, old, next, serialized);
}
