/**
 * Scan: every item of the table or of an index, in storage order, one bounded page at a time. A parallel
 * scan's segments split the partitions by a hash of the partition key value (reads/page.ts), so the
 * segments of one TotalSegments cover the table exactly once, with no overlap and no gap.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import type { ExpectedAttributeValue } from '../items/legacy';
import { compileReadExpressions, sourcePrefix, sourceRange, startKeyStorageKey } from '../reads/common';
import { segmentOf, startAfter, type Segmenting } from '../reads/page';
import { checkReadInput, openRead, readItems, type ReadInput } from '../reads/run';

interface ScanInput extends ReadInput {
  ScanFilter?: Record<string, ExpectedAttributeValue>;
  TotalSegments?: number;
  Segment?: number;
}

const present = (v: unknown) => v !== undefined && v !== null;

export const scan: Operation<ScanInput> = {
  async handle(input, ctx) {
    const { legacyFilter, startKey } = checkReadInput(
      input,
      { expressions: ['ProjectionExpression', 'FilterExpression'], nonExpressions: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'], filter: input.ScanFilter },
      'legacy',
    );
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

    const read = await openRead('Scan', input, expressions, ctx);
    const { source } = read;
    const range = sourceRange(ctx, source);
    let start = range.start;
    const end = range.end;
    let segment: Segmenting | undefined;
    if (present(input.TotalSegments) && input.TotalSegments! > 1) {
      segment = { segment: input.Segment!, total: input.TotalSegments!, offset: sourcePrefix(ctx, source).length };
    }
    if (startKey) {
      const key = startKeyStorageKey(ctx, source, startKey);
      if (segment && segmentOf(key, segment.offset, segment.total) !== segment.segment) {
        throw validationError(
          'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. ' +
            `TotalSegments: ${segment.total} Segment: ${segment.segment}`,
        );
      }
      start = startAfter(start, key);
    }
    return readItems(input, ctx, read, expressions, legacyFilter, { start, end, ...(segment && { segment }) });
  },
};
