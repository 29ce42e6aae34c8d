/** PutItem: creates or replaces one item, optionally under a condition, in one transaction. */
import type { Operation } from '../operation';
import { itemCollectionMetrics } from '../items/collection-metrics';
import { writeCapacity } from '../items/capacity';
import { checkExpressionParams, checkedItem, type ReturnConsumedCapacity } from '../items/checks';
import { compileExpressions } from '../items/expressions';
import { compileExpected, type ExpectedAttributeValue } from '../items/legacy';
import { extractKey, itemStorageKey, readItem, writeItem } from '../items/storage';
import { requireItemTable } from '../items/table';
import { checkCondition, checkOldOrNone } from '../items/write';
import { validateItemKeys } from '../values/attribute-value';
import { checkItemSize } from '../values/item-size';

interface PutItemInput {
  TableName: string;
  Item: Record<string, unknown>;
  Expected?: Record<string, ExpectedAttributeValue>;
  ConditionalOperator?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ReturnValues?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

export const putItem: Operation<PutItemInput> = {
  async handle(input, ctx) {
    checkExpressionParams(input as unknown as Record<string, unknown>, ['ConditionExpression'], ['Expected']);
    const item = checkedItem(input.Item, true);
    checkOldOrNone(input.ReturnValues);
    checkItemSize(item, 'put');
    const expected = compileExpected(input.Expected, input.ConditionalOperator, true);
    const { condition } = compileExpressions(input, true);
    const now = Date.now();
    return ctx.store.transact(async (tx) => {
      const table = await requireItemTable(tx, ctx, input.TableName, now);
      validateItemKeys(item, table.schema, table.indexes);
      const storageKey = itemStorageKey(ctx, table, item);
      const old = await readItem(tx, storageKey);
      checkCondition(condition, expected, old, input.ReturnValuesOnConditionCheckFailure);
      writeItem(tx, ctx, table, storageKey, old, item);
      const out: Record<string, unknown> = {};
      if (input.ReturnValues === 'ALL_OLD' && old) out.Attributes = old;
      const consumed = writeCapacity(input.ReturnConsumedCapacity, table, old, item);
      if (consumed) out.ConsumedCapacity = consumed;
      const metrics = await itemCollectionMetrics(tx, ctx, table, input.ReturnItemCollectionMetrics, extractKey(table, item));
      if (metrics) out.ItemCollectionMetrics = metrics;
      return out;
    });
  },
};
