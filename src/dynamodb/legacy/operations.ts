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

/** Expected in the 2011-12-05 form: Value and Exists only; values checked by that version's rules. */
function expectedToCurrent(expected: unknown): Input | undefined {
  if (!has(expected)) return undefined;
  const out: Input = {};
  for (const [name, raw] of Object.entries(expected as Record<string, Input | null>)) {
    const condition: Input = {};
    if (raw && has(raw.Value)) condition.Value = legacyValue(raw.Value);
    if (raw && has(raw.Exists)) condition.Exists = raw.Exists;
    Object.defineProperty(out, name, { value: condition, enumerable: true, writable: true, configurable: true });
  }
  return out;
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

const putItem: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    const item = legacyItem(input.Item);
    const expected = expectedToCurrent(input.Expected);
    const out = (await runCurrent(
      'PutItem',
      {
        TableName: input.TableName,
        Item: item,
        ...(expected && { Expected: expected }),
        ...(has(input.ReturnValues) && { ReturnValues: input.ReturnValues }),
        ReturnConsumedCapacity: 'TOTAL',
      },
      ctx,
    )) as Input;
    return { ...(out.Attributes && { Attributes: out.Attributes }), ConsumedCapacityUnits: consumedUnits(out, 1) };
  },
};

const deleteItem: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    legacyValue(input.Key.HashKeyElement);
    const expected = expectedToCurrent(input.Expected);
    const schema = await legacySchema(ctx, input.TableName);
    const out = (await runCurrent(
      'DeleteItem',
      {
        TableName: input.TableName,
        Key: keyToCurrent(input.Key, schema),
        ...(expected && { Expected: expected }),
        ...(has(input.ReturnValues) && { ReturnValues: input.ReturnValues }),
        ReturnConsumedCapacity: 'TOTAL',
      },
      ctx,
    )) as Input;
    return { ...(out.Attributes && { Attributes: out.Attributes }), ConsumedCapacityUnits: consumedUnits(out, 1) };
  },
};

const updateItem: LegacyOperation = {
  needs: [],
  async handle(input, ctx) {
    legacyValue(input.Key.HashKeyElement);
    const updates: Input = {};
    for (const [name, raw] of Object.entries(input.AttributeUpdates as Record<string, Input | null>)) {
      const update: Input = {};
      if (raw && has(raw.Value)) update.Value = legacyValue(raw.Value);
      if (raw && has(raw.Action)) update.Action = raw.Action;
      Object.defineProperty(updates, name, { value: update, enumerable: true, writable: true, configurable: true });
    }
    const expected = expectedToCurrent(input.Expected);
    const schema = await legacySchema(ctx, input.TableName);
    const out = (await runCurrent(
      'UpdateItem',
      {
        TableName: input.TableName,
        Key: keyToCurrent(input.Key, schema),
        AttributeUpdates: updates,
        ...(expected && { Expected: expected }),
        ...(has(input.ReturnValues) && { ReturnValues: input.ReturnValues }),
        ReturnConsumedCapacity: 'TOTAL',
      },
      ctx,
    )) as Input;
    return { ...(out.Attributes && { Attributes: out.Attributes }), ConsumedCapacityUnits: consumedUnits(out, 1) };
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
    Object.defineProperty(keyConditions, schema.hash.AttributeName, {
      value: { ComparisonOperator: 'EQ', AttributeValueList: [hashValue] },
      enumerable: true,
    });
    if (rangeCondition) {
      // A table without a range key has nothing for RangeKeyCondition to apply to.
      if (!schema.range) {
        throw validationError('One or more parameter values were invalid: Query can be performed only on a table with a HASH,RANGE key schema');
      }
      Object.defineProperty(keyConditions, schema.range.AttributeName, { value: rangeCondition, enumerable: true });
    }
    const out = (await runCurrent(
      'Query',
      {
        TableName: input.TableName,
        KeyConditions: keyConditions,
        ...attributesToGet(input),
        ...(input.Count === true && { Select: 'COUNT' }),
        ...(has(input.Limit) && { Limit: input.Limit }),
        ...(has(input.ConsistentRead) && { ConsistentRead: input.ConsistentRead }),
        ...(has(input.ScanIndexForward) && { ScanIndexForward: input.ScanIndexForward }),
        ...(has(input.ExclusiveStartKey) && { ExclusiveStartKey: startKey(input.ExclusiveStartKey, schema) }),
        ReturnConsumedCapacity: 'TOTAL',
      },
      ctx,
    )) as Input;
    return pageOut(out, schema, input.Count === true, false);
  },
};

const scan: LegacyOperation = {
  needs: ['Scan'],
  async handle(input, ctx) {
    let filter: Input | undefined;
    if (has(input.ScanFilter)) {
      filter = {};
      for (const [name, raw] of Object.entries(input.ScanFilter as Record<string, Input>)) {
        Object.defineProperty(filter, name, { value: conditionToCurrent(raw), enumerable: true });
      }
    }
    const schema = await legacySchema(ctx, input.TableName);
    const out = (await runCurrent(
      'Scan',
      {
        TableName: input.TableName,
        ...attributesToGet(input),
        ...(input.Count === true && { Select: 'COUNT' }),
        ...(filter && { ScanFilter: filter }),
        ...(has(input.Limit) && { Limit: input.Limit }),
        ...(has(input.ExclusiveStartKey) && { ExclusiveStartKey: startKey(input.ExclusiveStartKey, schema) }),
        ReturnConsumedCapacity: 'TOTAL',
      },
      ctx,
    )) as Input;
    return pageOut(out, schema, input.Count === true, true);
  },
};

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

/** Capacity per table from a batch answer's ConsumedCapacity list. */
function capacityByTable(out: Input): Map<string, number> {
  const map = new Map<string, number>();
  for (const c of (out.ConsumedCapacity ?? []) as { TableName: string; CapacityUnits?: number }[]) map.set(c.TableName, c.CapacityUnits ?? 0);
  return map;
}

async function schemasFor(ctx: OperationContext, tables: string[]): Promise<Map<string, LegacySchema>> {
  const map = new Map<string, LegacySchema>();
  for (const table of tables) map.set(table, await legacySchema(ctx, table));
  return map;
}

const batchGetItem: LegacyOperation = {
  needs: ['BatchGetItem'],
  async handle(input, ctx) {
    const requests = input.RequestItems as Record<string, Input>;
    for (const request of Object.values(requests)) for (const key of request.Keys as Input[]) legacyValue(key?.HashKeyElement);
    const schemas = await schemasFor(ctx, Object.keys(requests));
    const current: Input = {};
    for (const [table, request] of Object.entries(requests)) {
      const schema = schemas.get(table)!;
      current[table] = {
        Keys: (request.Keys as Input[]).map((k) => keyToCurrent(k, schema)),
        ...attributesToGet(request),
        ...(has(request.ConsistentRead) && { ConsistentRead: request.ConsistentRead }),
      };
    }
    const out = (await runCurrent('BatchGetItem', { RequestItems: current, ReturnConsumedCapacity: 'TOTAL' }, ctx)) as Input;
    const capacity = capacityByTable(out);
    const responses: Output = {};
    for (const table of Object.keys(requests)) {
      responses[table] = { Items: (out.Responses?.[table] ?? []) as unknown[], ConsumedCapacityUnits: capacity.get(table) ?? 0 };
    }
    const unprocessed: Output = {};
    for (const [table, request] of Object.entries((out.UnprocessedKeys ?? {}) as Record<string, Input>)) {
      const schema = schemas.get(table)!;
      unprocessed[table] = { ...request, Keys: (request.Keys as Input[]).map((k) => keyToLegacy(k, schema)) };
    }
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
    const current: Input = {};
    for (const [table, writes] of Object.entries(checked)) {
      const schema = schemas.get(table)!;
      current[table] = writes.map((w) => (w.DeleteRequest ? { DeleteRequest: { Key: keyToCurrent(w.DeleteRequest.Key, schema) } } : w));
    }
    const out = (await runCurrent('BatchWriteItem', { RequestItems: current, ReturnConsumedCapacity: 'TOTAL' }, ctx)) as Input;
    const capacity = capacityByTable(out);
    const responses: Output = {};
    for (const table of Object.keys(requests)) responses[table] = { ConsumedCapacityUnits: capacity.get(table) ?? 0 };
    const unprocessed: Output = {};
    for (const [table, writes] of Object.entries((out.UnprocessedItems ?? {}) as Record<string, Input[]>)) {
      const schema = schemas.get(table)!;
      unprocessed[table] = writes.map((w) => (w.DeleteRequest ? { DeleteRequest: { Key: keyToLegacy(w.DeleteRequest.Key, schema) } } : w));
    }
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
