/** What the three write operations share: the condition check and the answer they build. */
import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import { evaluateCondition, type BoundCondition, type CompiledCondition } from '../expressions';
import { evaluateCondition as evaluateBound } from '../expressions/evaluate-condition';
import { KEY_MESSAGES, attributeType, type Item } from '../values/attribute-value';
import type { ItemTable } from './table';

/**
 * Throws ConditionalCheckFailedException unless the stored item (undefined when there is none) satisfies the
 * request's ConditionExpression or Expected. With ReturnValuesOnConditionCheckFailure ALL_OLD the stored
 * item is returned in the error as `Item`.
 */
export function checkCondition(
  condition: CompiledCondition | undefined,
  expected: BoundCondition | undefined,
  old: Item | undefined,
  onFailure: string | undefined,
): void {
  const ok = (condition ? evaluateCondition(condition, old) : true) && (expected ? evaluateBound(expected, old ?? {}) : true);
  if (ok) return;
  const fields = onFailure === 'ALL_OLD' && old ? { Item: old } : undefined;
  throw dynamoError('ConditionalCheckFailedException', undefined, fields);
}

/** `ReturnValues can only be ALL_OLD or NONE` for PutItem and DeleteItem. */
export function checkOldOrNone(returnValues: string | undefined): void {
  if (returnValues !== undefined && returnValues !== null && returnValues !== 'ALL_OLD' && returnValues !== 'NONE') {
    throw validationError('ReturnValues can only be ALL_OLD or NONE');
  }
}

/**
 * Index key attributes an update wrote: an empty string or binary value, or a type other than the one the
 * table defines, is refused.
 */
export function checkUpdatedIndexKeys(table: ItemTable, old: Item | undefined, next: Item): void {
  const sorted = [...table.indexes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const index of sorted) {
    for (const attribute of [index.hash, index.range]) {
      if (!attribute) continue;
      const value = Object.prototype.hasOwnProperty.call(next, attribute.name) ? next[attribute.name] : undefined;
      if (value === undefined || (old && old[attribute.name] === value)) continue;
      const type = attributeType(value);
      if (type !== attribute.type) {
        throw validationError(KEY_MESSAGES.indexTypeMismatch(attribute.name, attribute.type, type, index.name));
      }
      if (('S' in value && value.S === '') || ('B' in value && value.B === '')) throw validationError(KEY_MESSAGES.updateIndexEmptyString);
    }
  }
}
