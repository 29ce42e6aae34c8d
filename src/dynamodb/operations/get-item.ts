/** GetItem: one item by its key, whole or projected (ProjectionExpression or legacy AttributesToGet). */
import type { Operation } from '../operation';
import { readCapacity } from '../items/capacity';
import { checkExpressionParams, checkedItem, type ReturnConsumedCapacity } from '../items/checks';
import { compileExpressions } from '../items/expressions';
import { checkAttributesToGet, pickAttributes } from '../items/legacy';
import { itemStorageKey, readSharedItem } from '../items/storage';
import { requireItemTable } from '../items/table';
import { project } from '../expressions';
import { validateKey } from '../values/attribute-value';

interface GetItemInput {
  TableName: string;
  Key: Record<string, unknown>;
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

export const getItem: Operation<GetItemInput> = {
  async handle(input, ctx) {
    checkExpressionParams(input as unknown as Record<string, unknown>, ['ProjectionExpression'], ['AttributesToGet']);
    const key = checkedItem(input.Key, false);
    checkAttributesToGet(input.AttributesToGet);
    const { projection } = compileExpressions(input, false);
    const table = await requireItemTable(ctx.store, ctx, input.TableName, Date.now());
    validateKey(key, table.schema);
    const item = await readSharedItem(ctx.store, itemStorageKey(ctx, table, key));
    const out: Record<string, unknown> = {};
    if (item) {
      if (projection) out.Item = project(projection, item);
      else if (input.AttributesToGet) out.Item = pickAttributes(item, input.AttributesToGet);
      else out.Item = item;
    }
    const consumed = readCapacity(input.ReturnConsumedCapacity, table, item, input.ConsistentRead === true);
    if (consumed) out.ConsumedCapacity = consumed;
    return out;
  },
};
