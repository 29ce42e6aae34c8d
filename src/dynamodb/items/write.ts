/** What the three write operations share: the condition check and the answer they build. */
import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import { applyUpdate, evaluateCondition, type BoundCondition, type CompiledCondition, type CompiledUpdate } from '../expressions';
import { evaluateCondition as evaluateBound } from '../expressions/evaluate-condition';
import { KEY_MESSAGES, attributeType, type Item } from '../values/attribute-value';
import { keyNames, type ItemTable } from './table';

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

const keyUpdateError = (name: string) =>
  validationError(`One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`);

/** An UpdateExpression (UpdateItem, transact Update) may not touch a primary key attribute. */
export function checkUpdateSkipsKeys(table: ItemTable, update: CompiledUpdate | undefined, legacyNames: readonly string[] = []): void {
  const keys = keyNames(table);
  if (update) {
    for (const target of update.targets) {
      const first = target.path[0];
      if (typeof first === 'string' && keys.includes(first)) throw keyUpdateError(first);
    }
  }
  for (const name of legacyNames) if (keys.includes(name)) throw keyUpdateError(name);
}

/**
 * The item an UpdateExpression leaves: applied to the stored item, or to the key when there is none. An
 * update that only removes from an absent item creates nothing (undefined).
 */
export function updatedItem(update: CompiledUpdate, key: Item, old: Item | undefined): Item | undefined {
  const next = applyUpdate(update, old ?? { ...key }) as Item;
  const removesOnly = update.targets.every((t) => t.clause === 'REMOVE' || t.clause === 'DELETE');
  return old || !removesOnly ? next : undefined;
}
