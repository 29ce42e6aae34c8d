/**
 * BatchWriteItem: up to 25 puts and deletes over one or more tables, all in one storage transaction (so
 * nothing is ever left unprocessed). Values are checked by DynamoDB's legacy layer; the same key twice in
 * one table is refused.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { writeCapacity, type ConsumedCapacity } from '../items/capacity';
import type { ReturnConsumedCapacity } from '../items/checks';
import { itemCollectionMetrics, type ItemCollectionMetrics } from '../items/collection-metrics';
import { collectionLimitError, growsCollection, overCollectionLimit } from '../items/collection-size';
import { decodeItem, extractKey, itemStorageKey, writeItemNoSave } from '../items/storage';
import { requireItemTable, type ItemTable } from '../items/table';
import { saveStats } from '../tables/stats';
import { validateItem, validateItemKeys, validateKey, type AttributeValue, type Item } from '../values/attribute-value';
import { checkItemSize } from '../values/item-size';

interface WriteRequest {
  PutRequest?: { Item: Record<string, unknown> };
  DeleteRequest?: { Key: Record<string, unknown> };
}

interface BatchWriteItemInput {
  RequestItems: Record<string, WriteRequest[]>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
}

const MAX_REQUESTS = 25;

interface Checked {
  put?: Item;
  key?: Item;
}

function checkValues(map: unknown): Item {
  return validateItem(map, { layer: 'legacy' });
}

export const batchWriteItem: Operation<BatchWriteItemInput> = {
  async handle(input, ctx) {
    const tables = Object.keys(input.RequestItems ?? {});
    const checked = new Map<string, Checked[]>();
    let total = 0;
    for (const name of tables) {
      const list: Checked[] = [];
      for (const request of input.RequestItems[name] ?? []) {
        const put = request?.PutRequest;
        const del = request?.DeleteRequest;
        if ((!put && !del) || (put && del)) {
          throw validationError('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
        }
        if (put) {
          const item = checkValues(put.Item);
          checkItemSize(item, 'put');
          list.push({ put: item });
        } else {
          list.push({ key: checkValues(del!.Key) });
        }
      }
      total += list.length;
      checked.set(name, list);
    }
    if (total > MAX_REQUESTS) throw validationError('Too many items requested for the BatchWriteItem call');
    const now = Date.now();
    return ctx.store.transact(async (tx) => {
      const consumed: ConsumedCapacity[] = [];
      const metrics: Record<string, ItemCollectionMetrics[]> = {};
      const plans: { table: ItemTable; writes: { storageKey: Buffer; key: Item; next?: Item }[] }[] = [];
      for (const name of tables) {
        const table = await requireItemTable(tx, ctx, name, now);
        const seen = new Set<string>();
        const writes: { storageKey: Buffer; key: Item; next?: Item }[] = [];
        for (const request of checked.get(name)!) {
          let key: Item;
          if (request.put) {
            validateItemKeys(request.put, table.schema, table.indexes);
            key = extractKey(table, request.put);
          } else {
            validateKey(request.key!, table.schema);
            key = request.key!;
          }
          const storageKey = itemStorageKey(ctx, table, key);
          const id = storageKey.toString('latin1');
          if (seen.has(id)) throw validationError('Provided list of item keys contains duplicates');
          seen.add(id);
          writes.push(request.put ? { storageKey, key, next: request.put } : { storageKey, key });
        }
        plans.push({ table, writes });
      }
      for (const { table, writes } of plans) {
        const olds = await tx.getMany(writes.map((w) => w.storageKey));
        let tableCapacity: ConsumedCapacity | undefined;
        const grown = new Map<string, AttributeValue>(); // the partition key values of collections that grew
        for (let i = 0; i < writes.length; i++) {
          const write = writes[i]!;
          const oldValue = olds[i];
          const old = oldValue ? decodeItem(oldValue) : undefined;
          writeItemNoSave(tx, ctx, table, write.storageKey, old, write.next);
          if (growsCollection(table, old, write.next)) {
            const hash = write.key[table.schema.hash.name]!;
            grown.set(JSON.stringify(hash), hash);
          }
          const capacity = writeCapacity(input.ReturnConsumedCapacity, table, old, write.next);
          if (capacity) tableCapacity = tableCapacity ? mergeCapacity(tableCapacity, capacity) : capacity;
        }
        for (const hash of grown.values()) {
          if (await overCollectionLimit(tx, ctx, table, hash, ctx.settings.itemCollectionLimitBytes)) throw collectionLimitError();
        }
        await saveStats(tx, ctx, table.record, table.delta);
        if (tableCapacity) consumed.push(tableCapacity);
        if (input.ReturnItemCollectionMetrics === 'SIZE' && table.record.localIndexes.length > 0) {
          const list: ItemCollectionMetrics[] = [];
          const done = new Set<string>();
          for (const write of writes) {
            const hash = JSON.stringify(write.key[table.schema.hash.name]);
            if (done.has(hash)) continue;
            done.add(hash);
            const m = await itemCollectionMetrics(tx, ctx, table, 'SIZE', write.key);
            if (m) list.push(m);
          }
          metrics[table.record.name] = list;
        }
      }
      const out: Record<string, unknown> = { UnprocessedItems: {} };
      if (consumed.length > 0) out.ConsumedCapacity = consumed;
      if (input.ReturnItemCollectionMetrics === 'SIZE' && Object.keys(metrics).length > 0) out.ItemCollectionMetrics = metrics;
      return out;
    });
  },
};

function mergeUnits(a: Record<string, { CapacityUnits: number }> | undefined, b: Record<string, { CapacityUnits: number }> | undefined) {
  if (!a && !b) return undefined;
  const out: Record<string, { CapacityUnits: number }> = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) out[k] = { CapacityUnits: (out[k]?.CapacityUnits ?? 0) + v.CapacityUnits };
  return out;
}

function mergeCapacity(a: ConsumedCapacity, b: ConsumedCapacity): ConsumedCapacity {
  const out: ConsumedCapacity = { TableName: a.TableName, CapacityUnits: a.CapacityUnits + b.CapacityUnits };
  if (a.Table || b.Table) out.Table = { CapacityUnits: (a.Table?.CapacityUnits ?? 0) + (b.Table?.CapacityUnits ?? 0) };
  const local = mergeUnits(a.LocalSecondaryIndexes, b.LocalSecondaryIndexes);
  if (local) out.LocalSecondaryIndexes = local;
  const global = mergeUnits(a.GlobalSecondaryIndexes, b.GlobalSecondaryIndexes);
  if (global) out.GlobalSecondaryIndexes = global;
  return out;
}
