/**
 * The thirteen 2011-12-05 operations. Each has passed the legacy model checks (check.ts); it applies that
 * version's value rules, translates its request into the current operation's input, runs the current
 * operation through the same storage, and translates the answer back into the 2011-12-05 shape.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { OperationContext } from '../operation';
import { runOperation as runCurrent } from '../service';
import { legacyItem, legacyValue } from './check';
import {
  consumedUnits,
  describeCurrent,
  describeLegacy,
  keyToCurrent,
  keyToLegacy,
  legacySchema,
  schemaOf,
  type LegacySchema,
} from './translate';

type Input = Record<string, any>;
type Output = Record<string, unknown>;

export interface LegacyOperation {
  /** Current operations this one runs on, beyond DescribeTable (Query, Scan and the batches need theirs). */
  readonly needs: readonly string[];
  handle(input: Input, ctx: OperationContext): Promise<Output>;
}

const has = (v: unknown): boolean => v !== null && v !== undefined;

/** Sets an own property, whatever its name (`__proto__` included). */
function setOwn(target: Input, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** A map with each entry converted, keeping every name as an own property. */
function mapEntries<T>(raw: Record<string, T>, convert: (value: T) => Input): Input {
  const out: Input = {};
  for (const [name, value] of Object.entries(raw)) setOwn(out, name, convert(value));
  return out;
}

/** An Expected or AttributeUpdates entry: its Value checked by the 2011-12-05 rules, and `other` as given. */
function withLegacyValue(raw: Input | null, other: 'Exists' | 'Action'): Input {
  const out: Input = {};
  if (raw && has(raw.Value)) out.Value = legacyValue(raw.Value);
  if (raw && has(raw[other])) out[other] = raw[other];
  return out;
}

/** Expected in the 2011-12-05 form: Value and Exists only; values checked by that version's rules. */
function expectedToCurrent(expected: unknown): Input | undefined {
  if (!has(expected)) return undefined;
  return mapEntries(expected as Record<string, Input | null>, (raw) => withLegacyValue(raw, 'Exists'));
}

function attributesToGet(input: Input): Input {
  return has(input.AttributesToGet) ? { AttributesToGet: input.AttributesToGet } : {};
}

/** A 2011-12-05 Condition (RangeKeyCondition, ScanFilter entries) with its values checked. */
function conditionToCurrent(raw: Input): Input {
  const out: Input = { ComparisonOperator: raw.ComparisonOperator };
  if (has(raw.AttributeValueList)) out.AttributeValueList = (raw.AttributeValueList as unknown[]).map(legacyValue);
  return out;
}

const createTable: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    const hash = input.KeySchema.HashKeyElement;
    const range = input.KeySchema.RangeKeyElement;
    const definitions = [{ AttributeName: hash.AttributeName, AttributeType: hash.AttributeType }];
    const keySchema = [{ AttributeName: hash.AttributeName, KeyType: 'HASH' }];
    if (has(range)) {
      if (range.AttributeName !== hash.AttributeName) definitions.push({ AttributeName: range.AttributeName, AttributeType: range.AttributeType });
      keySchema.push({ AttributeName: range.AttributeName, KeyType: 'RANGE' });
    }
    const out = (await runCurrent(
      'CreateTable',
      {
        TableName: input.TableName,
        AttributeDefinitions: definitions,
        KeySchema: keySchema,
        ProvisionedThroughput: input.ProvisionedThroughput,
      },
      ctx,
    )) as { TableDescription: Input };
    return { TableDescription: describeLegacy(out.TableDescription) };
  },
};

const describeTable: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    return { Table: describeLegacy(await describeCurrent(ctx, input.TableName)) };
  },
};

const updateTable: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    const out = (await runCurrent('UpdateTable', { TableName: input.TableName, ProvisionedThroughput: input.ProvisionedThroughput }, ctx)) as {
      TableDescription: Input;
    };
    return { TableDescription: describeLegacy(out.TableDescription) };
  },
};

const deleteTable: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    // The 2011-12-05 answer carries the key schema and creation time, which the current one leaves out.
    const before = await describeCurrent(ctx, input.TableName);
    const out = (await runCurrent('DeleteTable', { TableName: input.TableName }, ctx)) as { TableDescription: Input };
    return { TableDescription: describeLegacy({ ...before, ...out.TableDescription, CreationDateTime: before.CreationDateTime }, schemaOf(before)) };
  },
};

const listTables: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    const request: Input = {};
    if (has(input.ExclusiveStartTableName)) request.ExclusiveStartTableName = input.ExclusiveStartTableName;
    if (has(input.Limit)) request.Limit = input.Limit;
    const out = (await runCurrent('ListTables', request, ctx)) as Input;
    return { TableNames: out.TableNames, ...(has(out.LastEvaluatedTableName) && { LastEvaluatedTableName: out.LastEvaluatedTableName }) };
  },
};

/**
 * PutItem, DeleteItem and UpdateItem: the current write with Expected and ReturnValues added, answered with
 * the old or new attributes and the units consumed.
 */
async function writeItem(operation: string, request: Input, input: Input, expected: Input | undefined, ctx: OperationContext): Promise<Output> {
  const out = (await runCurrent(
    operation,
    {
      ...request,
      ...(expected && { Expected: expected }),
      ...(has(input.ReturnValues) && { ReturnValues: input.ReturnValues }),
      ReturnConsumedCapacity: 'TOTAL',
    },
    ctx,
  )) as Input;
  return { ...(out.Attributes && { Attributes: out.Attributes }), ConsumedCapacityUnits: consumedUnits(out, 1) };
}

const putItem: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    const item = legacyItem(input.Item);
    const expected = expectedToCurrent(input.Expected);
    return writeItem('PutItem', { TableName: input.TableName, Item: item }, input, expected, ctx);
  },
};

const deleteItem: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    legacyValue(input.Key.HashKeyElement);
    const expected = expectedToCurrent(input.Expected);
    const schema = await legacySchema(ctx, input.TableName);
    return writeItem('DeleteItem', { TableName: input.TableName, Key: keyToCurrent(input.Key, schema) }, input, expected, ctx);
  },
};

const updateItem: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    legacyValue(input.Key.HashKeyElement);
    const updates = mapEntries(input.AttributeUpdates as Record<string, Input | null>, (raw) => withLegacyValue(raw, 'Action'));
    const expected = expectedToCurrent(input.Expected);
    const schema = await legacySchema(ctx, input.TableName);
    const key = keyToCurrent(input.Key, schema);
    return writeItem('UpdateItem', { TableName: input.TableName, Key: key, AttributeUpdates: updates }, input, expected, ctx);
  },
};

const getItem: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    legacyValue(input.Key.HashKeyElement);
    const schema = await legacySchema(ctx, input.TableName);
    const out = (await runCurrent(
      'GetItem',
      {
        TableName: input.TableName,
        Key: keyToCurrent(input.Key, schema),
        ...attributesToGet(input),
        ...(has(input.ConsistentRead) && { ConsistentRead: input.ConsistentRead }),
        ReturnConsumedCapacity: 'TOTAL',
      },
      ctx,
    )) as Input;
    return { ...(out.Item && { Item: out.Item }), ConsumedCapacityUnits: consumedUnits(out, input.ConsistentRead ? 1 : 0.5) };
  },
};

const query: LegacyOperation = {
  needs: ['Query'],
  async handle(input, ctx) {
    const hashValue = legacyValue(input.HashKeyValue);
    const rangeCondition = has(input.RangeKeyCondition) ? conditionToCurrent(input.RangeKeyCondition) : undefined;
    const schema = await legacySchema(ctx, input.TableName);
    const keyConditions: Input = {};
    setOwn(keyConditions, schema.hash.AttributeName, { ComparisonOperator: 'EQ', AttributeValueList: [hashValue] });
    if (rangeCondition) {
      // A table without a range key has nothing for RangeKeyCondition to apply to.
      if (!schema.range) {
        throw validationError('One or more parameter values were invalid: Query can be performed only on a table with a HASH,RANGE key schema');
      }
      setOwn(keyConditions, schema.range.AttributeName, rangeCondition);
    }
    return readPage('Query', input, schema, { KeyConditions: keyConditions }, ctx);
  },
};

const scan: LegacyOperation = {
  needs: ['Scan'],
  async handle(input, ctx) {
    const filter = has(input.ScanFilter) ? mapEntries(input.ScanFilter as Record<string, Input>, conditionToCurrent) : undefined;
    const schema = await legacySchema(ctx, input.TableName);
    return readPage('Scan', input, schema, { ...(filter && { ScanFilter: filter }) }, ctx);
  },
};

/**
 * Query and Scan: the current read with the members both take (KeyConditions or ScanFilter given by the
 * operation; ConsistentRead and ScanIndexForward for Query only), answered in the 2011-12-05 page shape.
 */
async function readPage(operation: 'Query' | 'Scan', input: Input, schema: LegacySchema, own: Input, ctx: OperationContext): Promise<Output> {
  const isQuery = operation === 'Query';
  const out = (await runCurrent(
    operation,
    {
      TableName: input.TableName,
      ...(isQuery && own),
      ...attributesToGet(input),
      ...(input.Count === true && { Select: 'COUNT' }),
      ...(!isQuery && own),
      ...(has(input.Limit) && { Limit: input.Limit }),
      ...(isQuery && has(input.ConsistentRead) && { ConsistentRead: input.ConsistentRead }),
      ...(isQuery && has(input.ScanIndexForward) && { ScanIndexForward: input.ScanIndexForward }),
      ...(has(input.ExclusiveStartKey) && { ExclusiveStartKey: startKey(input.ExclusiveStartKey, schema) }),
      ReturnConsumedCapacity: 'TOTAL',
    },
    ctx,
  )) as Input;
  return pageOut(out, schema, input.Count === true, !isQuery);
}

function startKey(raw: Input, schema: LegacySchema): Input {
  legacyValue(raw.HashKeyElement);
  return keyToCurrent(raw, schema);
}

function pageOut(out: Input, schema: LegacySchema, countOnly: boolean, scanned: boolean): Output {
  const result: Output = {};
  if (!countOnly) result.Items = out.Items ?? [];
  result.Count = out.Count ?? 0;
  if (scanned) result.ScannedCount = out.ScannedCount ?? 0;
  if (out.LastEvaluatedKey) result.LastEvaluatedKey = keyToLegacy(out.LastEvaluatedKey, schema);
  result.ConsumedCapacityUnits = consumedUnits(out, 0.5);
  return result;
}

type KeyConvert = (key: Input, schema: LegacySchema) => Input;

/** Each table's entry converted with that table's key schema. */
function perTable<T>(map: Record<string, T>, schemas: Map<string, LegacySchema>, convert: (value: T, schema: LegacySchema) => unknown): Output {
  const out: Output = {};
  for (const [table, value] of Object.entries(map)) out[table] = convert(value, schemas.get(table)!);
  return out;
}

/** A batch's current form, with each table's capacity from its ConsumedCapacity list. */
async function runBatch(operation: string, requestItems: Input, ctx: OperationContext): Promise<{ out: Input; capacity: Map<string, number> }> {
  const out = (await runCurrent(operation, { RequestItems: requestItems, ReturnConsumedCapacity: 'TOTAL' }, ctx)) as Input;
  const capacity = new Map<string, number>();
  for (const c of (out.ConsumedCapacity ?? []) as { TableName: string; CapacityUnits?: number }[]) capacity.set(c.TableName, c.CapacityUnits ?? 0);
  return { out, capacity };
}

async function schemasFor(ctx: OperationContext, tables: string[]): Promise<Map<string, LegacySchema>> {
  const map = new Map<string, LegacySchema>();
  for (const table of tables) map.set(table, await legacySchema(ctx, table));
  return map;
}

/** A BatchGetItem table request's keys, converted. */
const convertKeys = (request: Input, schema: LegacySchema, convert: KeyConvert): Input[] => (request.Keys as Input[]).map((k) => convert(k, schema));

/** BatchWriteItem writes with their DeleteRequest keys converted. */
const writeKeys = (convert: KeyConvert) => (writes: Input[], schema: LegacySchema): Input[] =>
  writes.map((w) => (w.DeleteRequest ? { DeleteRequest: { Key: convert(w.DeleteRequest.Key, schema) } } : w));

const batchGetItem: LegacyOperation = {
  needs: ['BatchGetItem'],
  async handle(input, ctx) {
    const requests = input.RequestItems as Record<string, Input>;
    for (const request of Object.values(requests)) for (const key of request.Keys as Input[]) legacyValue(key?.HashKeyElement);
    const schemas = await schemasFor(ctx, Object.keys(requests));
    const current = perTable(requests, schemas, (request, schema) => ({
      Keys: convertKeys(request, schema, keyToCurrent),
      ...attributesToGet(request),
      ...(has(request.ConsistentRead) && { ConsistentRead: request.ConsistentRead }),
    }));
    const { out, capacity } = await runBatch('BatchGetItem', current, ctx);
    const responses: Output = {};
    for (const table of Object.keys(requests)) {
      responses[table] = { Items: (out.Responses?.[table] ?? []) as unknown[], ConsumedCapacityUnits: capacity.get(table) ?? 0 };
    }
    const unprocessed = perTable((out.UnprocessedKeys ?? {}) as Record<string, Input>, schemas, (request, schema) => ({
      ...request,
      Keys: convertKeys(request, schema, keyToLegacy),
    }));
    return { Responses: responses, UnprocessedKeys: unprocessed };
  },
};

const batchWriteItem: LegacyOperation = {
  needs: ['BatchWriteItem'],
  async handle(input, ctx) {
    const requests = input.RequestItems as Record<string, Input[]>;
    const checked: Record<string, Input[]> = {};
    for (const [table, writes] of Object.entries(requests)) {
      checked[table] = writes.map((w) => {
        if (has(w?.PutRequest)) return { PutRequest: { Item: legacyItem(w.PutRequest.Item) } };
        if (has(w?.DeleteRequest)) {
          legacyValue(w.DeleteRequest.Key.HashKeyElement);
          return { DeleteRequest: { Key: w.DeleteRequest.Key } };
        }
        return {};
      });
    }
    const schemas = await schemasFor(ctx, Object.keys(requests));
    const current = perTable(checked, schemas, writeKeys(keyToCurrent));
    const { out, capacity } = await runBatch('BatchWriteItem', current, ctx);
    const responses: Output = {};
    for (const table of Object.keys(requests)) responses[table] = { ConsumedCapacityUnits: capacity.get(table) ?? 0 };
    const unprocessed = perTable((out.UnprocessedItems ?? {}) as Record<string, Input[]>, schemas, writeKeys(keyToLegacy));
    return { Responses: responses, UnprocessedItems: unprocessed };
  },
};

export const legacyOperations: Record<string, LegacyOperation> = {
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DeleteItem: deleteItem,
  DeleteTable: deleteTable,
  DescribeTable: describeTable,
  GetItem: getItem,
  ListTables: listTables,
  PutItem: putItem,
  Query: query,
  Scan: scan,
  UpdateItem: updateItem,
  UpdateTable: updateTable,
};
