/**
 * The steps Query and Scan take alike, in DynamoDB's order: the parameter and start key checks, the Select rules
 * with the table or index to read, and the page itself (filter, table fetch for a local index, item shape,
 * LastEvaluatedKey and consumed capacity). Each operation adds its own checks between them and builds its own
 * storage range.
 */
import type { BoundCondition } from '../expressions';
import type { OperationContext } from '../operation';
import type { ReturnConsumedCapacity } from '../items/checks';
import { checkAttributesToGet, compileExpected, type ExpectedAttributeValue } from '../items/legacy';
import { requireItemTable, type ItemTable } from '../items/table';
import { resumeBackfills } from '../indexes/backfill';
import { entryKeyItem } from '../indexes/layout';
import type { Item, ValueCheckLayer } from '../values/attribute-value';
import {
  checkReadParams,
  checkSelect,
  checkStartKeyValues,
  fetchFromTable,
  matchesFilter,
  needsTableFetch,
  readConsumedCapacity,
  readSource,
  shapeItem,
  type FilterCheck,
  type ReadExpressionInput,
  type ReadExpressions,
  type ReadSource,
  type SelectMode,
  type Shaper,
} from './common';
import { JsonItems } from '../response';
import { readPage, type PageResult, type Segmenting } from './page';

/** The members Query and Scan share. */
export interface ReadInput extends ReadExpressionInput {
  TableName: string;
  IndexName?: string;
  Select?: string;
  AttributesToGet?: string[];
  Limit?: number;
  ConsistentRead?: boolean;
  ConditionalOperator?: string;
  ExclusiveStartKey?: Record<string, unknown>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** The legacy parameters of one read: its filter member (QueryFilter, ScanFilter) and the others. */
export interface ReadParams {
  expressions: string[];
  nonExpressions: string[];
  filter: Record<string, ExpectedAttributeValue> | undefined;
}

export interface CheckedRead {
  /** QueryFilter or ScanFilter as a bound condition. */
  legacyFilter: BoundCondition | undefined;
  startKey: Item | undefined;
}

/** Expression and legacy parameters, the legacy filter, AttributesToGet and the ExclusiveStartKey values. */
export function checkReadInput(input: ReadInput, params: ReadParams, layer: ValueCheckLayer): CheckedRead {
  checkReadParams(input as unknown as Record<string, unknown>, params.expressions, params.nonExpressions);
  const legacyFilter = compileExpected(params.filter, input.ConditionalOperator, false);
  checkAttributesToGet(input.AttributesToGet);
  const startKey = checkStartKeyValues(input.ExclusiveStartKey, layer);
  return { legacyFilter, startKey };
}

export interface OpenRead {
  select: SelectMode;
  table: ItemTable;
  source: ReadSource;
}

/** The Select rules, then the table (its index backfills resumed) and the table or index read. */
export async function openRead(operation: 'Query' | 'Scan', input: ReadInput, expressions: ReadExpressions, ctx: OperationContext): Promise<OpenRead> {
  const projectionParam = expressions.projection ? 'ProjectionExpression' : input.AttributesToGet ? 'AttributesToGet' : undefined;
  const select = checkSelect(operation, input.Select, projectionParam, input.IndexName ?? undefined);
  const table = await requireItemTable(ctx.store, ctx, input.TableName, Date.now());
  resumeBackfills(ctx.store, ctx, table.record);
  const source = readSource(operation, table, input.IndexName ?? undefined, select, input.ConsistentRead);
  return { select, table, source };
}

export interface ReadRange {
  start: Buffer;
  end: Buffer;
  reverse?: boolean;
  segment?: Segmenting;
}

/** Reads one page of the range and answers with Items, Count, ScannedCount, LastEvaluatedKey and ConsumedCapacity. */
export async function readItems(
  input: ReadInput,
  ctx: OperationContext,
  read: OpenRead,
  expressions: ReadExpressions,
  legacyFilter: BoundCondition | undefined,
  range: ReadRange,
): Promise<Record<string, unknown>> {
  const { select, table, source } = read;
  const filter: FilterCheck = {};
  if (expressions.filter) filter.expression = expressions.filter;
  if (legacyFilter) filter.legacy = legacyFilter;
  const shaper: Shaper = { select };
  if (expressions.projection) shaper.projection = expressions.projection;
  else if (input.AttributesToGet) shaper.attributesToGet = input.AttributesToGet;
  const fetch = needsTableFetch(source, shaper);
  const out: Record<string, unknown> = {};
  let page: PageResult;
  if (!fetch && !filter.expression && !filter.legacy && !shaper.projection && !shaper.attributesToGet) {
    // Every item is returned as stored: its stored JSON goes into the answer unparsed (dynamodb/response.ts).
    const stored: Buffer[] = [];
    let count = 0;
    page = await readPage(ctx.store, {
      ...range,
      ...(input.Limit !== undefined && { limit: input.Limit }),
      acceptStored: select === 'COUNT' ? () => count++ : (value) => stored.push(value),
    });
    if (select !== 'COUNT') out.Items = new JsonItems(stored);
    out.Count = select === 'COUNT' ? count : stored.length;
  } else {
    // Items the index lacks come from the table before filtering and shaping.
    const matched: Item[] = [];
    const pending: Item[] = [];
    page = await readPage(ctx.store, {
      ...range,
      ...(input.Limit !== undefined && { limit: input.Limit }),
      accept: (item) => {
        if (fetch) pending.push(item);
        else if (matchesFilter(filter, item)) matched.push(item);
      },
    });
    if (fetch && pending.length > 0) {
      for (const item of await fetchFromTable(ctx.store, ctx, source, pending)) if (matchesFilter(filter, item)) matched.push(item);
    }
    if (select !== 'COUNT') out.Items = matched.map((item) => shapeItem(shaper, item));
    out.Count = matched.length;
  }
  out.ScannedCount = page.scannedCount;
  if (page.lastItem) out.LastEvaluatedKey = entryKeyItem(table, source.index, page.lastItem);
  const consumed = readConsumedCapacity(input.ReturnConsumedCapacity, source, page.scannedBytes, input.ConsistentRead === true);
  if (consumed) out.ConsumedCapacity = consumed;
  return out;
}
