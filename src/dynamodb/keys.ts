/**
 * Where the DynamoDB layer keeps its data in the storage engine. Every key is a tuple (see
 * `storage/tuple-key.ts`), namespaced by account and region so that one store serves many of both:
 *
 *   ('ddb', ACCOUNT, REGION, 'table', TABLE_NAME)           -> the table's record, JSON (tables/record.ts)
 *   ('ddb', ACCOUNT, REGION, 'item',  TABLE_ID, ...ITEM_KEY) -> the table's items
 *   ('ddb', ACCOUNT, REGION, 'index', TABLE_ID, INDEX, ...)  -> secondary index entries (indexes/layout.ts)
 *   ('ddb', ACCOUNT, REGION, 'stats', TABLE_ID)             -> item count and size of the table and its indexes
 *
 * Table records sort by name, so ListTables is one range scan in DynamoDB's order. Items hang off the
 * table's id, not its name: a table deleted and re-created under the same name starts empty, and
 * DeleteTable drops the whole item range at once. What follows TABLE_ID (the encoded primary key) is for
 * the item layer to define; it must stay inside `tableItemsRange`.
 */
import { encodeKey, extendKey, prefixRange, type KeyPart } from '../storage/tuple-key';

const ROOT = 'ddb';

/**
 * Recently built keys and prefixes of tables, by what they encode: every item request needs its table's
 * record, item and stats keys, and they never change. The cache starts over when full.
 */
const tableKeys = new Map<string, Buffer>();
const TABLE_KEYS_MAX = 4096;

/** `encodeKey(parts)` of a table's fixed key or prefix, cached. */
export function cachedKey(parts: readonly string[]): Buffer {
  const id = parts.join('\u0000');
  let key = tableKeys.get(id);
  if (key === undefined) {
    if (tableKeys.size >= TABLE_KEYS_MAX) tableKeys.clear();
    key = encodeKey(parts);
    tableKeys.set(id, key);
  }
  return key;
}

export function tableRecordKey(accountId: string, region: string, tableName: string): Buffer {
  return cachedKey([ROOT, accountId, region, 'table', tableName]);
}

/** Every table record of one account and region, in name order. */
export function tableRecordsRange(accountId: string, region: string): { start: Buffer; end: Buffer } {
  return prefixRange([ROOT, accountId, region, 'table']);
}

/** The tuple prefix under which the item layer stores one table's items. */
export function tableItemsPrefix(accountId: string, region: string, tableId: string): string[] {
  return [ROOT, accountId, region, 'item', tableId];
}

/** The storage key of one item: the table's item prefix, then `itemKey` (the encoded primary key values). */
export function tableItemKey(accountId: string, region: string, tableId: string, itemKey: readonly KeyPart[]): Buffer {
  return extendKey(cachedKey(tableItemsPrefix(accountId, region, tableId)), itemKey);
}

export function tableItemsRange(accountId: string, region: string, tableId: string): { start: Buffer; end: Buffer } {
  return prefixRange(tableItemsPrefix(accountId, region, tableId));
}

/** The table's item/size counters (tables/stats.ts), kept apart so item writes never rewrite the record. */
export function tableStatsKey(accountId: string, region: string, tableId: string): Buffer {
  return cachedKey([ROOT, accountId, region, 'stats', tableId]);
}
