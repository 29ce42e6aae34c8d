/**
 * Item collections of tables with local secondary indexes: the items sharing a partition key value, with
 * their entries in the local indexes. DynamoDB sizes one as its items plus all the attributes projected
 * into the table's local indexes (API reference, ItemCollectionMetrics), and refuses a write that would take
 * one over 10 GB with ItemCollectionSizeLimitExceededException. Basalt's limit is --item-collection-limit
 * (10 GB unless lowered for testing).
 *
 * The size is measured when a write grows a collection, and only when the whole table (its items and local
 * index entries, tables/stats.ts) is over the limit, as no collection can be otherwise: a scan of the
 * collection's items and entries, read from their stored JSON without parsing them.
 */
import { dynamoError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import { keyAfter, type ReadView } from '../../storage/engine';
import { prefixRange } from '../../storage/tuple-key';
import { indexDefs, indexPrefix, inIndex, projectEntry } from '../indexes/layout';
import type { Scope } from '../tables/arn';
import { loadStats } from '../tables/stats';
import type { AttributeValue, Item } from '../values/attribute-value';
import { itemSize } from '../values/item-size';
import { encodeKeyValue } from '../values/order';
import { storedItemSize } from '../values/stored-size';
import { collectionRange } from './storage';
import type { ItemTable } from './table';

export function collectionLimitError(): AwsError {
  return dynamoError('ItemCollectionSizeLimitExceededException');
}

/** Entries read per storage scan while measuring. */
const BATCH = 1024;

/** Whether the table's items have collections with a size limit (it has local secondary indexes). */
export function hasCollections(table: ItemTable): boolean {
  return table.record.localIndexes.length > 0;
}

/** What one item adds to its collection: its size and that of its entry in each local index holding it. */
function collectionShare(table: ItemTable, item: Item | undefined): number {
  if (!item) return 0;
  let size = itemSize(item);
  for (const def of indexDefs(table)) if (def.kind === 'local' && inIndex(def, item)) size += itemSize(projectEntry(table, def, item));
  return size;
}

/** Whether replacing `old` by `next` makes their collection larger. */
export function growsCollection(table: ItemTable, old: Item | undefined, next: Item | undefined): boolean {
  return hasCollections(table) && collectionShare(table, next) > collectionShare(table, old);
}

/** The size of the collection of partition key value `hash`, as `view` sees it. */
export async function collectionSize(view: ReadView, scope: Scope, table: ItemTable, hash: AttributeValue): Promise<number> {
  const ranges = [collectionRange(scope, table, hash)];
  for (const def of indexDefs(table)) {
    if (def.kind === 'local') ranges.push(prefixRange([...indexPrefix(scope, table.record.id, def.name), encodeKeyValue(hash)]));
  }
  let size = 0;
  for (const range of ranges) {
    for (let start = range.start; ; ) {
      const batch = await view.scan({ start, end: range.end, limit: BATCH });
      for (const entry of batch) size += storedItemSize(entry.value);
      if (batch.length < BATCH) break;
      start = keyAfter(batch[batch.length - 1]!.key);
    }
  }
  return size;
}

/** The size of all the table's collections together, this transaction's changes not saved yet included. */
async function tableSize(view: ReadView, scope: Scope, table: ItemTable): Promise<number> {
  const stats = await loadStats(view, scope, table.record);
  const { delta } = table;
  let size = stats.sizeBytes + delta.size;
  for (const index of table.record.localIndexes) size += (stats.indexes[index.name]?.[1] ?? 0) + (delta.indexes?.get(index.name)?.[1] ?? 0);
  return size;
}

/** Whether the collection of partition key value `hash` is over the limit, as `view` sees it. */
export async function overCollectionLimit(view: ReadView, scope: Scope, table: ItemTable, hash: AttributeValue, limit: number): Promise<boolean> {
  if ((await tableSize(view, scope, table)) <= limit) return false;
  return (await collectionSize(view, scope, table, hash)) > limit;
}

/**
 * After a write of `next` over `old` (already in `view`): ItemCollectionSizeLimitExceededException when it
 * grew its collection past the limit.
 */
export async function checkCollectionLimit(view: ReadView, scope: Scope, table: ItemTable, limit: number, old: Item | undefined, next: Item | undefined): Promise<void> {
  if (!next || !growsCollection(table, old, next)) return;
  if (await overCollectionLimit(view, scope, table, next[table.schema.hash.name]!, limit)) throw collectionLimitError();
}
