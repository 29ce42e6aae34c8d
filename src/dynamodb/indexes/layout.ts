/**
 * Where secondary index entries live. Each index keeps a copy of the projected part of every item that has
 * the index's key attributes (a sparse index simply has no entry for the others), under
 *
 *   ('ddb', ACCOUNT, REGION, 'index', TABLE_ID, INDEX_NAME, INDEX_HASH, [INDEX_RANGE], TABLE_HASH, [TABLE_RANGE])
 *
 * every key value in the order-preserving `encodeKeyValue` form. Index keys need not be unique: the table's
 * primary key after them makes every entry's key unique and orders equal index keys by table key, as
 * DynamoDB does. A local index's hash is the table's. The value is the projected item as JSON.
 */
import { extendKey, prefixRange } from '../../storage/tuple-key';
import { cachedKey } from '../keys';
import type { Scope } from '../tables/arn';
import type { GlobalIndexRecord, LocalIndexRecord, Projection, TableRecord } from '../tables/record';
import type { ItemTable } from '../items/table';
import type { AttributeValue, Item, KeyAttribute } from '../values/attribute-value';
import { encodeKeyValue } from '../values/order';

export interface IndexDef {
  name: string;
  kind: 'local' | 'global';
  hash: KeyAttribute;
  range?: KeyAttribute;
  projection: Projection;
  /** The catalogue entry (mutable: it carries the index's counters and backfill cursor). */
  record: LocalIndexRecord | GlobalIndexRecord;
}

function keyAttribute(record: TableRecord, name: string): KeyAttribute {
  const definition = record.attributeDefinitions.find((d) => d.AttributeName === name);
  return { name, type: definition?.AttributeType ?? 'S' };
}

function definition(table: ItemTable, index: LocalIndexRecord | GlobalIndexRecord, kind: 'local' | 'global'): IndexDef {
  const hashName = index.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const rangeName = index.keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const def: IndexDef = {
    name: index.name,
    kind,
    hash: hashName ? keyAttribute(table.record, hashName) : table.schema.hash,
    projection: index.projection,
    record: index,
  };
  if (rangeName) def.range = keyAttribute(table.record, rangeName);
  return def;
}

/** Every secondary index of the table, local ones first. */
export function indexDefs(table: ItemTable): IndexDef[] {
  return [
    ...table.record.localIndexes.map((i) => definition(table, i, 'local')),
    ...table.record.globalIndexes.map((i) => definition(table, i, 'global')),
  ];
}

export function findIndex(table: ItemTable, name: string): IndexDef | undefined {
  return indexDefs(table).find((d) => d.name === name);
}

export function indexPrefix(scope: Scope, tableId: string, indexName: string): string[] {
  return ['ddb', scope.accountId, scope.region, 'index', tableId, indexName];
}

/** The whole storage range of one index's entries. */
export function indexRange(scope: Scope, tableId: string, indexName: string): { start: Buffer; end: Buffer } {
  return prefixRange(indexPrefix(scope, tableId, indexName));
}

/** Every index entry of every index of the table (for DeleteTable). */
export function tableIndexesRange(scope: Scope, tableId: string): { start: Buffer; end: Buffer } {
  return prefixRange(['ddb', scope.accountId, scope.region, 'index', tableId]);
}

const own = (item: Item, name: string) => (Object.prototype.hasOwnProperty.call(item, name) ? item[name] : undefined);

function usableKey(value: AttributeValue | undefined, type: string): boolean {
  if (!value || !(type in value)) return false;
  // Written before the index existed, an empty string or binary cannot key it (a backfill skips the item).
  return !(('S' in value && value.S === '') || ('B' in value && value.B === ''));
}

/**
 * Whether the item carries the index's key attributes with the defined types (else it is not in the index:
 * sparse indexes, and items a backfill finds with values that cannot key the index).
 */
export function inIndex(def: IndexDef, item: Item): boolean {
  if (!usableKey(own(item, def.hash.name), def.hash.type)) return false;
  return !def.range || usableKey(own(item, def.range.name), def.range.type);
}

/** The key parts of an entry: index hash, [index range], table hash, [table range]. */
export function entryKeyParts(table: ItemTable, def: IndexDef, item: Item): Buffer[] {
  const parts = [encodeKeyValue(item[def.hash.name]!)];
  if (def.range) parts.push(encodeKeyValue(item[def.range.name]!));
  parts.push(encodeKeyValue(item[table.schema.hash.name]!));
  if (table.schema.range) parts.push(encodeKeyValue(item[table.schema.range.name]!));
  return parts;
}

/** The storage key of the item's entry in the index, or undefined when the item is not in it. */
export function indexEntryKey(scope: Scope, table: ItemTable, def: IndexDef, item: Item): Buffer | undefined {
  if (!inIndex(def, item)) return undefined;
  return extendKey(cachedKey(indexPrefix(scope, table.record.id, def.name)), entryKeyParts(table, def, item));
}

/** The attribute names an index holds besides everything (undefined for ALL). */
export function projectedNames(table: ItemTable, def: IndexDef): Set<string> | undefined {
  if (def.projection.ProjectionType === 'ALL') return undefined;
  const names = new Set<string>([def.hash.name, table.schema.hash.name]);
  if (def.range) names.add(def.range.name);
  if (table.schema.range) names.add(table.schema.range.name);
  if (def.projection.ProjectionType === 'INCLUDE') for (const n of def.projection.NonKeyAttributes ?? []) names.add(n);
  return names;
}

/** The part of the item the index stores. */
export function projectEntry(table: ItemTable, def: IndexDef, item: Item): Item {
  const names = projectedNames(table, def);
  if (!names) return item;
  const out: Item = {};
  for (const name of names) {
    const value = own(item, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The key attributes (table and index) of an item, as LastEvaluatedKey carries them. */
export function entryKeyItem(table: ItemTable, def: IndexDef | undefined, item: Item): Item {
  const key: Item = { [table.schema.hash.name]: item[table.schema.hash.name]! };
  if (table.schema.range) key[table.schema.range.name] = item[table.schema.range.name]!;
  if (def) {
    key[def.hash.name] = item[def.hash.name]!;
    if (def.range) key[def.range.name] = item[def.range.name]!;
  }
  return key;
}
