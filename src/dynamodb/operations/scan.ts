/**
 * Scan: every item of the table or of an index, in storage order, one bounded page at a time. A parallel
 * scan's segments split the partitions by a hash of the partition key value (reads/page.ts), so the
 * segments of one TotalSegments cover the table exactly once, with no overlap and no gap.
 */
import { validationError } from '../../errors/dynamodb-errors';
import { encodeKey } from '../../storage/tuple-key';
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
  fetchFromTable,
  matchesFilter,
  needsTableFetch,
  readConsumedCapacity,
  readSource,
  shapeItem,
  sourcePrefix,
  sourceRange,
  startKeyStorageKey,
  type FilterCheck,
  type Shaper,
} from '../reads/common';
import { readPage, segmentOf, type Segmenting } from '../reads/page';
import type { Item } from '../values/attribute-value';

interface ScanInput {
  TableName: string;
  IndexName?: string;
  AttributesToGet?: string[];
  Limit?: number;
  Select?: string;
  ScanFilter?: Record<string, ExpectedAttributeValue>;
  ConditionalOperator?: string;
  ExclusiveStartKey?: Record<string, unknown>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  TotalSegments?: number;
  Segment?: number;
  ProjectionExpression?: string;
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ConsistentRead?: boolean;
}

const ZERO = Buffer.from([0]);
const present = (v: unknown) => v !== undefined && v !== null;

export const scan: Operation<ScanInput> = {
  async handle(input, ctx) {
    checkReadParams(input as unknown as Record<string, unknown>, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
    const scanFilter = compileExpected(input.ScanFilter, input.ConditionalOperator, false);
    checkAttributesToGet(input.AttributesToGet);
    const startKey = checkStartKeyValues(input.ExclusiveStartKey, 'legacy');
    if (present(input.Segment) && !present(input.TotalSegments)) {
      throw validationError('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    }
    if (present(input.TotalSegments) && !present(input.Segment)) {
      throw validationError('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    }
    if (present(input.Segment) && input.Segment! >= input.TotalSegments!) {
      throw validationError(
        `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is out of bounds for TotalSegments: ${input.TotalSegments}`,
      );
    }
    const expressions = compileReadExpressions(input, 'legacy');
    const projectionParam = expressions.projection ? 'ProjectionExpression' : input.AttributesToGet ? 'AttributesToGet' : undefined;
    const select = checkSelect(input.Select, projectionParam, input.IndexName ?? undefined);

    const table = await requireItemTable(ctx.store, ctx, input.TableName, Date.now());
    resumeBackfills(ctx.store, ctx, table.record);
    const source = readSource(table, input.IndexName ?? undefined, select, input.ConsistentRead);
    const range = sourceRange(ctx, source);
    let start = range.start;
    const end = range.end;
    let segment: Segmenting | undefined;
    if (present(input.TotalSegments) && input.TotalSegments! > 1) {
      segment = { segment: input.Segment!, total: input.TotalSegments!, offset: encodeKey(sourcePrefix(ctx, source)).length };
    }
    if (startKey) {
      const key = startKeyStorageKey(ctx, source, startKey);
      if (segment && segmentOf(key, segment.offset, segment.total) !== segment.segment) {
        throw validationError(
          'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. ' +
            `TotalSegments: ${segment.total} Segment: ${segment.segment}`,
        );
      }
      const after = Buffer.concat([key, ZERO]);
      if (after.compare(start) > 0) start = after;
    }

    const filter: FilterCheck = {};
    if (expressions.filter) filter.expression = expressions.filter;
    if (scanFilter) filter.legacy = scanFilter;
    const shaper: Shaper = { select };
    if (expressions.projection) shaper.projection = expressions.projection;
    else if (input.AttributesToGet) shaper.attributesToGet = input.AttributesToGet;
    const fetch = needsTableFetch(source, shaper);
    const matched: Item[] = [];
    const pending: Item[] = [];
    const page = await readPage(ctx.store, {
      start,
      end,
      ...(input.Limit !== undefined && { limit: input.Limit }),
      ...(segment && { segment }),
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
