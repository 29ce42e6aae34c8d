/**
 * What the three write operations share: the request flow (runItemWrite), the condition check and the
 * answer they build.
 */
import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import type { OperationContext } from '../operation';
import { applyUpdate, evaluateCondition, type BoundCondition, type CompiledCondition, type CompiledUpdate } from '../expressions';
import { evaluateCondition as evaluateBound } from '../expressions/evaluate-condition';
import { KEY_MESSAGES, attributeType, type Item } from '../values/attribute-value';
import { writeCapacity } from './capacity';
import { checkExpressionParams, checkedItem, type ReturnConsumedCapacity } from './checks';
import { itemCollectionMetrics } from './collection-metrics';
import { checkCollectionLimit } from './collection-size';
import { compileExpressions, type ExpressionInput } from './expressions';
import { compileExpected, type ExpectedAttributeValue } from './legacy';
import { extractKey, itemStorageKey, readItem, writeItem } from './storage';
import { keyNames, requireItemTable, type ItemTable } from './table';

/** The members PutItem, UpdateItem and DeleteItem share. */
export interface ItemWriteInput extends ExpressionInput {
  TableName: string;
  Expected?: Record<string, ExpectedAttributeValue>;
  ConditionalOperator?: string;
  ReturnValues?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

/** One write request's checked parts, as runItemWrite hands them to the operation's rules. */
export interface ItemWriteRequest<P> {
  /** The checked Item (PutItem) or Key (UpdateItem, DeleteItem). */
  target: Item;
  /** What the operation's `prepare` returned. */
  prepared: P;
  /** The compiled UpdateExpression, if the request has one. */
  update: CompiledUpdate | undefined;
}

/** What one write operation adds to the flow runItemWrite runs. */
export interface ItemWriteRules<P = void> {
  /** The operation's expression and non-expression parameters (checkExpressionParams). */
  expressionParams: string[];
  legacyParams: string[];
  /** The Item (PutItem) or Key the request addresses, as sent. */
  target: unknown;
  /** The operation's own request checks, after the target's and before Expected's. */
  prepare?(target: Item): P;
  /** In the transaction, once the table is loaded and before the stored item is read: the target against the table. */
  checkTable(table: ItemTable, request: ItemWriteRequest<P>): void;
  /** Once the condition held: the item to store in place of `old` (undefined: none). */
  next(table: ItemTable, old: Item | undefined, request: ItemWriteRequest<P>): Item | undefined;
  /**
   * The Attributes to answer with. Absent: ReturnValues may only be ALL_OLD or NONE (checked right after the
   * target), and ALL_OLD returns the stored item (PutItem, DeleteItem).
   */
  returned?(old: Item | undefined, written: Item | undefined, request: ItemWriteRequest<P>): Item | undefined;
}

/**
 * PutItem, UpdateItem and DeleteItem: the request checks (parameters, target, the operation's own, Expected,
 * expressions), then one transaction that loads the table, checks the target against it, reads the stored item,
 * checks the condition, writes, and answers with Attributes, ConsumedCapacity and ItemCollectionMetrics.
 */
export async function runItemWrite<P>(ctx: OperationContext, input: ItemWriteInput, rules: ItemWriteRules<P>): Promise<Record<string, unknown>> {
  checkExpressionParams(input as unknown as Record<string, unknown>, rules.expressionParams, rules.legacyParams);
  const target = checkedItem(rules.target, true);
  if (!rules.returned) checkOldOrNone(input.ReturnValues);
  const prepared = rules.prepare?.(target) as P;
  const expected = compileExpected(input.Expected, input.ConditionalOperator, true);
  const { update, condition } = compileExpressions(input, true);
  const request: ItemWriteRequest<P> = { target, prepared, update };
  const now = Date.now();
  return ctx.store.transact(async (tx) => {
    const table = await requireItemTable(tx, ctx, input.TableName, now);
    rules.checkTable(table, request);
    const storageKey = itemStorageKey(ctx, table, target);
    const old = await readItem(tx, storageKey);
    checkCondition(condition, expected, old, input.ReturnValuesOnConditionCheckFailure);
    const written = rules.next(table, old, request);
    await writeItem(tx, ctx, table, storageKey, old, written);
    await checkCollectionLimit(tx, ctx, table, ctx.settings.itemCollectionLimitBytes, old, written);
    const out: Record<string, unknown> = {};
    const attributes = rules.returned ? rules.returned(old, written, request) : input.ReturnValues === 'ALL_OLD' ? old : undefined;
    if (attributes && Object.keys(attributes).length > 0) out.Attributes = attributes;
    const consumed = writeCapacity(input.ReturnConsumedCapacity, table, old, written);
    if (consumed) out.ConsumedCapacity = consumed;
    const metrics = await itemCollectionMetrics(tx, ctx, table, input.ReturnItemCollectionMetrics, extractKey(table, target));
    if (metrics) out.ItemCollectionMetrics = metrics;
    return out;
  });
}

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
