/**
 * ConsumedCapacity for single-item operations. Writes cost one unit per started KB of the larger of the
 * old and new item; reads one unit per started 4 KB, half for an eventually consistent read. With INDEXES,
 * each secondary index the write changes is listed with its own units (a changed index key costs a delete
 * and a put), and the total includes them.
 */
import type { Item } from '../values/attribute-value';
import { itemSize, readCapacityUnits, writeCapacityUnits } from '../values/item-size';
import { attributeValuesEqual } from '../values/order';
import type { LocalIndexRecord } from '../tables/record';
import type { ReturnConsumedCapacity } from './checks';
import type { ItemTable } from './table';

interface Units {
  CapacityUnits: number;
}

export interface ConsumedCapacity {
  TableName: string;
  CapacityUnits: number;
  Table?: Units;
  LocalSecondaryIndexes?: Record<string, Units>;
  GlobalSecondaryIndexes?: Record<string, Units>;
}

function wanted(mode: ReturnConsumedCapacity): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES';
}

/**
 * `itemBytes`: the size of the item read (itemSize or storedItemSize), 0 when there was none; measured
 * only when the capacity is asked for.
 */
export function readCapacity(mode: ReturnConsumedCapacity, table: ItemTable, itemBytes: () => number, consistent: boolean): ConsumedCapacity | undefined {
  if (!wanted(mode)) return undefined;
  const units = readCapacityUnits(itemBytes(), consistent ? 'strong' : 'eventual');
  const out: ConsumedCapacity = { TableName: table.record.name, CapacityUnits: units };
  if (mode === 'INDEXES') out.Table = { CapacityUnits: units };
  return out;
}

/** The part of an item an index holds, or undefined when the item is not in the index. */
function indexEntry(table: ItemTable, index: LocalIndexRecord, item: Item | undefined): Item | undefined {
  if (!item) return undefined;
  const keys = [...index.keySchema.map((k) => k.AttributeName), table.schema.hash.name];
  if (table.schema.range) keys.push(table.schema.range.name);
  for (const element of index.keySchema) if (!Object.prototype.hasOwnProperty.call(item, element.AttributeName)) return undefined;
  if (index.projection.ProjectionType === 'ALL') return item;
  const names = new Set(keys);
  if (index.projection.ProjectionType === 'INCLUDE') for (const n of index.projection.NonKeyAttributes ?? []) names.add(n);
  const out: Item = {};
  for (const name of names) if (Object.prototype.hasOwnProperty.call(item, name)) out[name] = item[name]!;
  return out;
}

function sameEntry(a: Item, b: Item): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && attributeValuesEqual(a[k]!, b[k]!));
}

function indexWriteUnits(table: ItemTable, index: LocalIndexRecord, old: Item | undefined, next: Item | undefined): number {
  const before = indexEntry(table, index, old);
  const after = indexEntry(table, index, next);
  if (!before && !after) return 0;
  if (before && after) {
    const keyChanged = index.keySchema.some((k) => !attributeValuesEqual(before[k.AttributeName]!, after[k.AttributeName]!));
    if (keyChanged) return writeCapacityUnits(itemSize(before)) + writeCapacityUnits(itemSize(after));
    if (sameEntry(before, after)) return 0;
    return writeCapacityUnits(Math.max(itemSize(before), itemSize(after)));
  }
  return writeCapacityUnits(itemSize((before ?? after)!));
}

/** Capacity of a write that replaced `old` by `next` (either may be absent). */
export function writeCapacity(mode: ReturnConsumedCapacity, table: ItemTable, old: Item | undefined, next: Item | undefined): ConsumedCapacity | undefined {
  if (!wanted(mode)) return undefined;
  const units = writeCapacityUnits(Math.max(old ? itemSize(old) : 0, next ? itemSize(next) : 0));
  let total = units;
  const out: ConsumedCapacity = { TableName: table.record.name, CapacityUnits: units };
  const local: Record<string, Units> = {};
  const global: Record<string, Units> = {};
  for (const index of table.record.localIndexes) {
    const u = indexWriteUnits(table, index, old, next);
    if (u > 0) {
      local[index.name] = { CapacityUnits: u };
      total += u;
    }
  }
  for (const index of table.record.globalIndexes) {
    const u = indexWriteUnits(table, index, old, next);
    if (u > 0) {
      global[index.name] = { CapacityUnits: u };
      total += u;
    }
  }
  out.CapacityUnits = total;
  if (mode === 'INDEXES') {
    out.Table = { CapacityUnits: units };
    if (Object.keys(local).length) out.LocalSecondaryIndexes = local;
    if (Object.keys(global).length) out.GlobalSecondaryIndexes = global;
  }
  return out;
}
