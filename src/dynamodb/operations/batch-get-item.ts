/**
 * BatchGetItem: up to 100 keys over one or more tables, each table with its own projection and consistency.
 * Items are read with one snapshot read per table; past 16 MB of items the remaining keys are returned as
 * UnprocessedKeys. Duplicate keys in one table are refused.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { checkExpressionParams, type ReturnConsumedCapacity } from '../items/checks';
import { compileExpressions } from '../items/expressions';
import { checkAttributesToGet, pickAttributes } from '../items/legacy';
import { decodeItem, itemStorageKey } from '../items/storage';
import { requireItemTable, type ItemTable } from '../items/table';
import { project, type CompiledProjection } from '../expressions';
import { validateItem, validateKey, type Item } from '../values/attribute-value';
import { itemSize, readCapacityUnits } from '../values/item-size';

interface KeysAndAttributes {
  Keys: Record<string, unknown>[];
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

interface BatchGetItemInput {
  RequestItems: Record<string, KeysAndAttributes>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const MAX_KEYS = 100;
const MAX_BYTES = 16 * 1024 * 1024;

export const batchGetItem: Operation<BatchGetItemInput> = {
  async handle(input, ctx) {
    const names = Object.keys(input.RequestItems ?? {});
    const requests: { name: string; spec: KeysAndAttributes; keys: Item[]; projection?: CompiledProjection }[] = [];
    let total = 0;
    for (const name of names) {
      const spec = input.RequestItems[name]!;
      checkExpressionParams(spec as unknown as Record<string, unknown>, ['ProjectionExpression'], ['AttributesToGet']);
      checkAttributesToGet(spec.AttributesToGet);
      const { projection } = compileExpressions(spec, false);
      const keys = (spec.Keys ?? []).map((k) => validateItem(k));
      total += keys.length;
      requests.push(projection ? { name, spec, keys, projection } : { name, spec, keys });
    }
    if (total > MAX_KEYS) throw validationError('Too many items requested for the BatchGetItem call');
    const now = Date.now();
    const tables: ItemTable[] = [];
    for (const request of requests) {
      const table = await requireItemTable(ctx.store, ctx, request.name, now);
      const seen = new Set<string>();
      for (const key of request.keys) {
        validateKey(key, table.schema);
        const id = itemStorageKey(ctx, table, key).toString('latin1');
        if (seen.has(id)) throw validationError('Provided list of item keys contains duplicates');
        seen.add(id);
      }
      tables.push(table);
    }
    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, KeysAndAttributes> = {};
    const consumed: Record<string, unknown>[] = [];
    let bytes = 0;
    for (let t = 0; t < requests.length; t++) {
      const request = requests[t]!;
      const table = tables[t]!;
      const items: Item[] = [];
      responses[table.record.name] = items;
      let units = 0;
      const consistent = request.spec.ConsistentRead === true;
      if (bytes >= MAX_BYTES) {
        unprocessed[request.name] = { ...request.spec, Keys: request.keys };
        continue;
      }
      const values = await ctx.store.getMany(request.keys.map((k) => itemStorageKey(ctx, table, k)));
      const left: Item[] = [];
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (bytes >= MAX_BYTES) {
          left.push(request.keys[i]!);
          continue;
        }
        if (!value) {
          units += readCapacityUnits(0, consistent ? 'strong' : 'eventual');
          continue;
        }
        const item = decodeItem(value);
        const size = itemSize(item);
        bytes += size;
        units += readCapacityUnits(size, consistent ? 'strong' : 'eventual');
        if (request.projection) items.push(project(request.projection, item));
        else if (request.spec.AttributesToGet) items.push(pickAttributes(item, request.spec.AttributesToGet));
        else items.push(item);
      }
      if (left.length > 0) unprocessed[request.name] = { ...request.spec, Keys: left };
      if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') {
        const entry: Record<string, unknown> = { TableName: table.record.name, CapacityUnits: units };
        if (input.ReturnConsumedCapacity === 'INDEXES') entry.Table = { CapacityUnits: units };
        consumed.push(entry);
      }
    }
    const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
    if (consumed.length > 0) out.ConsumedCapacity = consumed;
    return out;
  },
};
