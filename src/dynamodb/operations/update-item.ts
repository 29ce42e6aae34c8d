/**
 * UpdateItem: edits one item (creating it from its key when absent) with an UpdateExpression or legacy
 * AttributeUpdates, optionally under a condition; the read, the condition and the write are one transaction.
 */
import type { Operation } from '../operation';
import { applyUpdate, updatedAttributes } from '../expressions';
import { itemCollectionMetrics } from '../items/collection-metrics';
import { writeCapacity } from '../items/capacity';
import { checkExpressionParams, checkedItem, type ReturnConsumedCapacity } from '../items/checks';
import { compileExpressions } from '../items/expressions';
import {
  applyAttributeUpdates,
  checkAttributeUpdates,
  compileExpected,
  pickAttributes,
  updatedNames,
  type AttributeValueUpdate,
  type ExpectedAttributeValue,
} from '../items/legacy';
import { itemStorageKey, readItem, writeItem } from '../items/storage';
import { requireItemTable } from '../items/table';
import { checkCondition, checkUpdateSkipsKeys, checkUpdatedIndexKeys } from '../items/write';
import { validateKey, type Item } from '../values/attribute-value';
import { checkItemSize } from '../values/item-size';

interface UpdateItemInput {
  TableName: string;
  Key: Record<string, unknown>;
  AttributeUpdates?: Record<string, AttributeValueUpdate>;
  Expected?: Record<string, ExpectedAttributeValue>;
  ConditionalOperator?: string;
  ReturnValues?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ReturnValuesOnConditionCheckFailure?: string;
}

export const updateItem: Operation<UpdateItemInput> = {
  async handle(input, ctx) {
    checkExpressionParams(input as unknown as Record<string, unknown>, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']);
    const key = checkedItem(input.Key, true);
    const legacyUpdates = checkAttributeUpdates(input.AttributeUpdates, true);
    const expected = compileExpected(input.Expected, input.ConditionalOperator, true);
    const { update, condition } = compileExpressions(input, true);
    const now = Date.now();
    return ctx.store.transact(async (tx) => {
      const table = await requireItemTable(tx, ctx, input.TableName, now);
      validateKey(key, table.schema);
      checkUpdateSkipsKeys(table, update, legacyUpdates.map((u) => u.name));
      const storageKey = itemStorageKey(ctx, table, key);
      const old = await readItem(tx, storageKey);
      checkCondition(condition, expected, old, input.ReturnValuesOnConditionCheckFailure);
      const base: Item = old ?? { ...key };
      let next: Item;
      let removesOnly: boolean;
      if (update) {
        next = applyUpdate(update, base) as Item;
        removesOnly = update.targets.every((t) => t.clause === 'REMOVE' || t.clause === 'DELETE');
      } else {
        next = applyAttributeUpdates(base, legacyUpdates);
        removesOnly = legacyUpdates.length > 0 && legacyUpdates.every((u) => u.action === 'DELETE');
      }
      const out: Record<string, unknown> = {};
      // Removing from an item that does not exist creates nothing.
      const written = old || !removesOnly ? next : undefined;
      if (written) {
        checkUpdatedIndexKeys(table, old, written);
        checkItemSize(written, 'update');
        writeItem(tx, ctx, table, storageKey, old, written);
      }
      const attributes = returnedAttributes(input.ReturnValues, old, written, (item) =>
        update ? (updatedAttributes(update, item) as Item) : pickAttributes(item, updatedNames(legacyUpdates)),
      );
      if (attributes && Object.keys(attributes).length > 0) out.Attributes = attributes;
      const consumed = writeCapacity(input.ReturnConsumedCapacity, table, old, written);
      if (consumed) out.ConsumedCapacity = consumed;
      const metrics = await itemCollectionMetrics(tx, ctx, table, input.ReturnItemCollectionMetrics, key);
      if (metrics) out.ItemCollectionMetrics = metrics;
      return out;
    });
  },
};

function returnedAttributes(mode: string | undefined, old: Item | undefined, next: Item | undefined, updated: (item: Item) => Item): Item | undefined {
  switch (mode) {
    case 'ALL_OLD':
      return old;
    case 'ALL_NEW':
      return next;
    case 'UPDATED_OLD':
      return old && updated(old);
    case 'UPDATED_NEW':
      return next && updated(next);
    default:
      return undefined;
  }
}
