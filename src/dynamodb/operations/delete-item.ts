/** DeleteItem: removes one item by its key, optionally under a condition, in one transaction. */
import type { Operation } from '../operation';
import { runItemWrite, type ItemWriteInput } from '../items/write';
import { validateKey } from '../values/attribute-value';

interface DeleteItemInput extends ItemWriteInput {
  Key: Record<string, unknown>;
}

export const deleteItem: Operation<DeleteItemInput> = {
  async handle(input, ctx) {
    return runItemWrite(ctx, input, {
      expressionParams: ['ConditionExpression'],
      legacyParams: ['Expected'],
      target: input.Key,
      checkTable: (table, { target }) => validateKey(target, table.schema),
      next: () => undefined,
    });
  },
};
