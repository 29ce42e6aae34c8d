/**
 * Query: the items of one partition of the table or of an index, in sort key order (or reverse), from a
 * storage range built from the key condition, one bounded page at a time.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import type { ExpectedAttributeValue } from '../items/legacy';
import { compileReadExpressions, conditionNames, partitionPrefix, startKeyStorageKey } from '../reads/common';
import { keyConditionsFromExpression, keyConditionsFromLegacy, keyRange, planKeyConditions, rangeMatches, type KeyConditions, type LegacyCondition } from '../reads/key-condition';
import { startAfter } from '../reads/page';
import { checkReadInput, openRead, readItems, type ReadInput } from '../reads/run';
import { encodeKeyValue } from '../values/order';

interface QueryInput extends ReadInput {
  KeyConditions?: Record<string, LegacyCondition>;
  QueryFilter?: Record<string, ExpectedAttributeValue>;
  ScanIndexForward?: boolean;
  KeyConditionExpression?: string;
}

export const query: Operation<QueryInput> = {
  async handle(input, ctx) {
    const { legacyFilter, startKey } = checkReadInput(
      input,
      {
        expressions: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
        nonExpressions: ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
        filter: input.QueryFilter,
      },
      'current',
    );
    if ((input.KeyConditions === undefined || input.KeyConditions === null) && typeof input.KeyConditionExpression !== 'string') {
      throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    }
    const expressions = compileReadExpressions(input, 'current');
    let conditions: KeyConditions;
    if (expressions.keyCondition) conditions = keyConditionsFromExpression(expressions.keyCondition.condition);
    else conditions = keyConditionsFromLegacy(input.KeyConditions!);
    if (conditions.size !== 1 && conditions.size !== 2) throw validationError('Conditions can be of length 1 or 2 only');

    const read = await openRead('Query', input, expressions, ctx);
    const { source } = read;
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

    let { start, end } = keyRange(partitionPrefix(ctx, source, plan.hash), plan.range);
    const forward = input.ScanIndexForward !== false;
    if (startKey) {
      const key = startKeyStorageKey(ctx, source, startKey);
      if (encodeKeyValue(startKey[source.hash.name]!).compare(encodeKeyValue(plan.hash)) !== 0) {
        throw validationError('The provided starting key is outside query boundaries based on provided conditions');
      }
      if (plan.range && source.range && !rangeMatches(plan.range, startKey[source.range.name]!)) {
        throw validationError('The provided starting key does not match the range key predicate');
      }
      if (forward) start = startAfter(start, key);
      else if (key.compare(end) < 0) end = key;
    }
    return readItems(input, ctx, read, expressions, legacyFilter, { start, end, reverse: !forward });
  },
};
