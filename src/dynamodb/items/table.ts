/**
 * The table an item operation addresses, with its key schema in the form the value checks take. Item
 * operations on a missing table (or one still being created or deleted) get DynamoDB's bare
 * `Requested resource not found`, without the table name DescribeTable adds.
 */
import { resourceNotFound } from '../../errors/dynamodb-errors';
import type { ReadView } from '../../storage/engine';
import type { IndexKeySchema, KeyAttribute, KeySchema } from '../values/attribute-value';
import type { Scope } from '../tables/arn';
import { loadTableForReading } from '../tables/catalogue';
import { resolveTableName } from '../tables/names';
import type { KeySchemaElement, TableRecord } from '../tables/record';
import { emptyDelta, type StatsDelta } from '../tables/stats';

export interface ItemTable {
  record: TableRecord;
  schema: KeySchema;
  /** Secondary indexes with their key attributes (a local index lists only its range key). */
  indexes: (IndexKeySchema & { kind: 'local' | 'global' })[];
  /** Count and size changes of this transaction's writes, not saved yet (tables/stats.ts `saveStats`). */
  delta: StatsDelta;
}

function attribute(record: TableRecord, name: string): KeyAttribute {
  const definition = record.attributeDefinitions.find((d) => d.AttributeName === name);
  return { name, type: definition?.AttributeType ?? 'S' };
}

function keyOf(record: TableRecord, elements: KeySchemaElement[], role: 'HASH' | 'RANGE'): KeyAttribute | undefined {
  const element = elements.find((e) => e.KeyType === role);
  return element && attribute(record, element.AttributeName);
}

/** Schemas of shared (frozen, unchanging) records, so item requests do not rebuild them each time. */
const schemas = new WeakMap<TableRecord, Omit<ItemTable, 'delta'>>();

export function itemTable(record: TableRecord): ItemTable {
  const cached = schemas.get(record);
  // A literal, not a spread: this runs on every item request, and V8 builds a literal faster.
  if (cached) return { record: cached.record, schema: cached.schema, indexes: cached.indexes, delta: emptyDelta() };
  const built = buildItemTable(record);
  if (Object.isFrozen(record)) schemas.set(record, { record, schema: built.schema, indexes: built.indexes });
  return built;
}

function buildItemTable(record: TableRecord): ItemTable {
  const schema: KeySchema = { hash: keyOf(record, record.keySchema, 'HASH')! };
  const range = keyOf(record, record.keySchema, 'RANGE');
  if (range) schema.range = range;
  const indexes: ItemTable['indexes'] = [];
  for (const index of record.localIndexes) {
    const entry: ItemTable['indexes'][number] = { name: index.name, kind: 'local' };
    const r = keyOf(record, index.keySchema, 'RANGE');
    if (r) entry.range = r;
    indexes.push(entry);
  }
  for (const index of record.globalIndexes) {
    const entry: ItemTable['indexes'][number] = { name: index.name, kind: 'global' };
    const h = keyOf(record, index.keySchema, 'HASH');
    const r = keyOf(record, index.keySchema, 'RANGE');
    if (h) entry.hash = h;
    if (r) entry.range = r;
    indexes.push(entry);
  }
  return { record, schema, indexes, delta: emptyDelta() };
}

/** Loads the table for an item operation, or throws ResourceNotFoundException. */
export async function requireItemTable(view: ReadView, scope: Scope, tableName: string, now: number): Promise<ItemTable> {
  const name = resolveTableName(tableName, scope);
  const record = await loadTableForReading(view, scope, name, now);
  if (!record || record.status === 'CREATING' || record.status === 'DELETING') throw resourceNotFound();
  return itemTable(record);
}

/** The names of the table's key attributes. */
export function keyNames(table: ItemTable): string[] {
  return table.schema.range ? [table.schema.hash.name, table.schema.range.name] : [table.schema.hash.name];
}
