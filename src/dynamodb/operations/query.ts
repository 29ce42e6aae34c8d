/**
 * Query: the items of one partition of the table or of an index, in sort key order (or reverse), from a
 * storage range built from the key condition, one bounded page at a time.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import type { ReturnConsumedCapacity } from '../items/checks';
import { checkAttributesToGet, compileExpected, type ExpectedAttributeValue } from '../items/legacy';
import { requireItemTable } from '../items/table';
import { resumeBackfills } from '../indexes/backfill';
import { entryKeyItem } from '../indexes/layout';
import {
  checkReadParams,
  checkSelect,
  checkStartKeyValues,
  compileReadExpressions,
  conditionNames,
  fetchFromTable,
  matchesFilter,
  needsTableFetch,
  readConsumedCapacity,
  readSource,
  shapeItem,
  sourcePrefix,
  startKeyStorageKey,
  type FilterCheck,
  type Shaper,
} from '../reads/common';
import { keyConditionsFromExpression, keyConditionsFromLegacy, keyRange, planKeyConditions, rangeMatches, type KeyConditions, type LegacyCondition } from '../reads/key-condition';
import { readPage } from '../reads/page';
import type { Item } from '../values/attribute-value';
import { encodeKeyValue } from '../values/order';

interface QueryInput {
  TableName: string;
  IndexName?: string;
  Select?: string;
  AttributesToGet?: string[];
  Limit?: number;
  ConsistentRead?: boolean;
  KeyConditions?: Record<string, LegacyCondition>;
  QueryFilter?: Record<string, ExpectedAttributeValue>;
  ConditionalOperator?: string;
  ScanIndexForward?: boolean;
  ExclusiveStartKey?: Record<string, unknown>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ProjectionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

const ZERO = Buffer.from([0]);

export const query: Operation<QueryInput> = {
  async handle(input, ctx) {
    checkReadParams(
      input as unknown as Record<string, unknown>,
      ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
      ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
    );
    const queryFilter = compileExpected(input.QueryFilter, input.ConditionalOperator, false);
    checkAttributesToGet(input.AttributesToGet);
    const startKey = checkStartKeyValues(input.ExclusiveStartKey, 'current');
    if ((input.KeyConditions === undefined || input.KeyConditions === null) && typeof input.KeyConditionExpression !== 'string') {
      throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    }
    const expressions = compileReadExpressions(input, 'current');
    let conditions: KeyConditions;
    if (expressions.keyCondition) conditions = keyConditionsFromExpression(expressions.keyCondition.condition);
    else conditions = keyConditionsFromLegacy(input.KeyConditions!);
    if (conditions.size !== 1 && conditions.size !== 2) throw validationError('Conditions can be of length 1 or 2 only');
    const projectionParam = expressions.projection ? 'ProjectionExpression' : input.AttributesToGet ? 'AttributesToGet' : undefined;
    const select = checkSelect(input.Select, projectionParam, input.IndexName ?? undefined);

    const table = await requireItemTable(ctx.store, ctx, input.TableName, Date.now());
    resumeBackfills(ctx.store, ctx, table.record);
    const source = readSource(table, input.IndexName ?? undefined, select, input.ConsistentRead);
    const plan = planKeyConditions(conditions, source.hash, source.range);
    const keyNames = new Set([source.hash.name, ...(source.range ? [source.range.name] : [])]);
    if (expressions.filter) {
      for (const name of conditionNames(expressions.filter.condition)) {
        if (keyNames.has(name)) throw validationError(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${name}`);
      }
    }
    if (input.QueryFilter) {
      for (const name of Object.keys(input.QueryFilter)) {
        if (keyNames.has(name)) throw validationError(`QueryFilter can only contain non-primary key attributes: Primary key attribute: ${name}`);
      }
    }

    const base = [...sourcePrefix(ctx, source), encodeKeyValue(plan.hash)];
    let { start, end } = keyRange(base, plan.range);
    const forward = input.ScanIndexForward !== false;
    if (startKey) {
      const key = startKeyStorageKey(ctx, source, startKey);
      if (encodeKeyValue(startKey[source.hash.name]!).compare(encodeKeyValue(plan.hash)) !== 0) {
        throw validationError('The provided starting key is outside query boundaries based on provided conditions');
      }
      if (plan.range && source.range && !rangeMatches(plan.range, startKey[source.range.name]!)) {
        throw validationError('The provided starting key does not match the range key predicate');
      }
      if (forward) {
        const after = Buffer.concat([key, ZERO]);
        if (after.compare(start) > 0) start = after;
      } else if (key.compare(end) < 0) end = key;
    }

    const filter: FilterCheck = {};
    if (expressions.filter) filter.expression = expressions.filter;
    if (queryFilter) filter.legacy = queryFilter;
    const shaper: Shaper = { select };
    if (expressions.projection) shaper.projection = expressions.projection;
    else if (input.AttributesToGet) shaper.attributesToGet = input.AttributesToGet;
    const fetch = needsTableFetch(source, shaper);
    // Items the index lacks come from the table before filtering and shaping.
    const matched: Item[] = [];
    const pending: Item[] = [];
    const page = await readPage(ctx.store, {
      start,
      end,
      reverse: !forward,
      ...(input.Limit !== undefined && { limit: input.Limit }),
      accept: (item) => {
        if (fetch) {
          pending.push(item);
          return true;
        }
        if (!matchesFilter(filter, item)) return false;
        matched.push(item);
        return true;
      },
    });
    if (fetch && pending.length > 0) {
      for (const item of await fetchFromTable(ctx.store, ctx, source, pending)) if (matchesFilter(filter, item)) matched.push(item);
    }
    const out: Record<string, unknown> = {};
    if (select !== 'COUNT') out.Items = matched.map((item) => shapeItem(shaper, item));
    out.Count = matched.length;
    out.ScannedCount = page.scannedCount;
    if (page.lastItem) out.LastEvaluatedKey = entryKeyItem(table, source.index, page.lastItem);
    const consumed = readConsumedCapacity(input.ReturnConsumedCapacity, source, page.scannedBytes, input.ConsistentRead === true);
    if (consumed) out.ConsumedCapacity = consumed;
    return out;
  },
};
