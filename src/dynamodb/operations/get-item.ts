/** GetItem: one item by its key, whole or projected (ProjectionExpression or legacy AttributesToGet). */
import { readDecoded } from '../../storage/engine';
import type { Operation } from '../operation';
import { readCapacity } from '../items/capacity';
import { checkExpressionParams, checkedItem, type ReturnConsumedCapacity } from '../items/checks';
import { compileExpressions } from '../items/expressions';
import { checkAttributesToGet, pickAttributes } from '../items/legacy';
import { itemStorageKey, readSharedItem } from '../items/storage';
import { requireItemTable } from '../items/table';
import { project } from '../expressions';
import { JsonItem } from '../response';
import { validateKey } from '../values/attribute-value';
import { itemSize } from '../values/item-size';
import { storedItemSize } from '../values/stored-size';

interface GetItemInput {
  TableName: string;
  Key: Record<string, unknown>;
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

/** The stored bytes as they are: a whole item is answered with its stored JSON, never parsed. */
const storedJson = (value: Buffer): Buffer => value;

export const getItem: Operation<GetItemInput> = {
  async handle(input, ctx) {
    checkExpressionParams(input as unknown as Record<string, unknown>, ['ProjectionExpression'], ['AttributesToGet']);
    const key = checkedItem(input.Key, false);
    checkAttributesToGet(input.AttributesToGet);
    const { projection } = compileExpressions(input, false);
    const table = await requireItemTable(ctx.store, ctx, input.TableName, Date.now());
    validateKey(key, table.schema);
    const storageKey = itemStorageKey(ctx, table, key);
    const out: Record<string, unknown> = {};
    let size = (): number => 0;
    if (projection || input.AttributesToGet) {
      const item = await readSharedItem(ctx.store, storageKey);
      if (item) {
        out.Item = projection ? project(projection, item) : pickAttributes(item, input.AttributesToGet!);
        size = () => itemSize(item);
      }
    } else {
      const stored = await readDecoded(ctx.store, storageKey, storedJson);
      if (stored) {
        out.Item = new JsonItem(stored);
        size = () => storedItemSize(stored);
      }
    }
    const consumed = readCapacity(input.ReturnConsumedCapacity, table, size, input.ConsistentRead === true);
    if (consumed) out.ConsumedCapacity = consumed;
    return out;
  },
};
