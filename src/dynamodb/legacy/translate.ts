/**
 * Conversions between the 2011-12-05 shapes and the current API's: key schemas and keys
 * (HashKeyElement / RangeKeyElement ↔ named attributes) and table descriptions.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { OperationContext } from '../operation';
import { runOperation as runCurrent } from '../service';
import { legacyValue, type LegacyValue } from './check';

const INVALID = 'One or more parameter values were invalid: ';

export interface KeyElement {
  AttributeName: string;
  AttributeType: string;
}

export interface LegacySchema {
  hash: KeyElement;
  range?: KeyElement;
}

export interface LegacyKey {
  HashKeyElement: LegacyValue;
  RangeKeyElement?: LegacyValue;
}

type Description = Record<string, any>;

/** The primary key of a current TableDescription, in the 2011-12-05 form. */
export function schemaOf(description: Description): LegacySchema {
  const types = new Map<string, string>();
  for (const d of (description.AttributeDefinitions ?? []) as { AttributeName: string; AttributeType: string }[]) {
    types.set(d.AttributeName, d.AttributeType);
  }
  const element = (keyType: string): KeyElement | undefined => {
    const key = ((description.KeySchema ?? []) as { AttributeName: string; KeyType: string }[]).find((k) => k.KeyType === keyType);
    return key && { AttributeName: key.AttributeName, AttributeType: types.get(key.AttributeName) ?? 'S' };
  };
  const hash = element('HASH')!;
  const range = element('RANGE');
  return range ? { hash, range } : { hash };
}

/** The table's current description (ResourceNotFoundException when there is none). */
export async function describeCurrent(ctx: OperationContext, tableName: string): Promise<Description> {
  const out = (await runCurrent('DescribeTable', { TableName: tableName }, ctx)) as { Table: Description };
  return out.Table;
}

export async function legacySchema(ctx: OperationContext, tableName: string): Promise<LegacySchema> {
  return schemaOf(await describeCurrent(ctx, tableName));
}

/**
 * A legacy Key as the current API names it. A key with a range element the table does not have, or without
 * one it needs, is refused as DynamoDB refused it then ("The provided key size does not match with that of
 * the schema": aws/aws-sdk-ruby#371, a 2011-12-05 GetItem).
 */
export function keyToCurrent(raw: unknown, schema: LegacySchema): Record<string, LegacyValue> {
  const key = (raw ?? {}) as Record<string, unknown>;
  const hasRange = key.RangeKeyElement !== null && key.RangeKeyElement !== undefined;
  const hash = legacyValue(key.HashKeyElement);
  const range = hasRange ? legacyValue(key.RangeKeyElement) : undefined;
  if (hasRange !== (schema.range !== undefined)) {
    throw validationError(`${INVALID}The provided key size does not match with that of the schema`);
  }
  const out: Record<string, LegacyValue> = {};
  Object.defineProperty(out, schema.hash.AttributeName, { value: hash, enumerable: true, writable: true, configurable: true });
  if (schema.range && range) {
    Object.defineProperty(out, schema.range.AttributeName, { value: range, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A current key (or whole item) as a legacy Key. */
export function keyToLegacy(key: Record<string, unknown>, schema: LegacySchema): LegacyKey {
  const out: LegacyKey = { HashKeyElement: key[schema.hash.AttributeName] as LegacyValue };
  if (schema.range) out.RangeKeyElement = key[schema.range.AttributeName] as LegacyValue;
  return out;
}

/**
 * A current TableDescription in the 2011-12-05 form. That form has no place for secondary indexes, billing
 * mode or streams: a table that has them is described by its primary key and table throughput alone (an
 * on-demand table shows 0 / 0), and its items stay reachable by primary key.
 */
export function describeLegacy(description: Description, schema: LegacySchema = schemaOf(description)): Description {
  const throughput = (description.ProvisionedThroughput ?? {}) as Description;
  const out: Description = {
    TableName: description.TableName,
    KeySchema: schema.range ? { HashKeyElement: schema.hash, RangeKeyElement: schema.range } : { HashKeyElement: schema.hash },
    TableStatus: description.TableStatus,
  };
  if (description.CreationDateTime !== undefined) out.CreationDateTime = description.CreationDateTime;
  out.ProvisionedThroughput = {
    ...(throughput.LastIncreaseDateTime !== undefined && { LastIncreaseDateTime: throughput.LastIncreaseDateTime }),
    ...(throughput.LastDecreaseDateTime !== undefined && { LastDecreaseDateTime: throughput.LastDecreaseDateTime }),
    NumberOfDecreasesToday: throughput.NumberOfDecreasesToday ?? 0,
    ReadCapacityUnits: throughput.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: throughput.WriteCapacityUnits ?? 0,
  };
  if (description.TableSizeBytes !== undefined) out.TableSizeBytes = description.TableSizeBytes;
  if (description.ItemCount !== undefined) out.ItemCount = description.ItemCount;
  return out;
}

/** The capacity a current answer reports (asked for with ReturnConsumedCapacity TOTAL). */
export function consumedUnits(out: Description, fallback: number): number {
  const consumed = out.ConsumedCapacity as { CapacityUnits?: number } | undefined;
  return consumed?.CapacityUnits ?? fallback;
}
