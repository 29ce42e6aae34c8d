/** PutItem: creates or replaces one item, optionally under a condition, in one transaction. */
import type { Operation } from '../operation';
import { runItemWrite, type ItemWriteInput } from '../items/write';
import { validateItemKeys } from '../values/attribute-value';
import { checkItemSize } from '../values/item-size';

interface PutItemInput extends ItemWriteInput {
  Item: Record<string, unknown>;
}

export const putItem: Operation<PutItemInput> = {
  async handle(input, ctx) {
    return runItemWrite(ctx, input, {
      expressionParams: ['ConditionExpression'],
      legacyParams: ['Expected'],
      target: input.Item,
      prepare: (item) => {
        checkItemSize(item, 'put');
      },
      checkTable: (table, { target }) => validateItemKeys(target, table.schema, table.indexes),
      next: (_table, _old, { target }) => target,
    });
  },
};
