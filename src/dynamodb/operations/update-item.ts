/**
 * UpdateItem: edits one item (creating it from its key when absent) with an UpdateExpression or legacy
 * AttributeUpdates, optionally under a condition; the read, the condition and the write are one transaction.
 */
import type { Operation } from '../operation';
import { updatedAttributes } from '../expressions';
import {
  attributeUpdatedItem,
  checkAttributeUpdates,
  pickAttributes,
  updatedNames,
  type AttributeValueUpdate,
} from '../items/legacy';
import { checkUpdateSkipsKeys, checkUpdatedIndexKeys, runItemWrite, updatedItem, type ItemWriteInput } from '../items/write';
import { validateKey, type Item } from '../values/attribute-value';
import { checkItemSize } from '../values/item-size';

interface UpdateItemInput extends ItemWriteInput {
  Key: Record<string, unknown>;
  AttributeUpdates?: Record<string, AttributeValueUpdate>;
}

export const updateItem: Operation<UpdateItemInput> = {
  async handle(input, ctx) {
    return runItemWrite(ctx, input, {
      expressionParams: ['UpdateExpression', 'ConditionExpression'],
      legacyParams: ['AttributeUpdates', 'Expected'],
      target: input.Key,
      prepare: () => checkAttributeUpdates(input.AttributeUpdates, true),
      checkTable: (table, { target, prepared, update }) => {
        validateKey(target, table.schema);
        checkUpdateSkipsKeys(table, update, prepared.map((u) => u.name));
      },
      next: (table, old, { target, prepared, update }) => {
        // Removing from an item that does not exist creates nothing.
        const written = update ? updatedItem(update, target, old) : attributeUpdatedItem(prepared, target, old);
        if (written) {
          checkUpdatedIndexKeys(table, old, written);
          checkItemSize(written, 'update');
        }
        return written;
      },
      returned: (old, written, { prepared, update }) =>
        returnedAttributes(input.ReturnValues, old, written, (item) =>
          update ? (updatedAttributes(update, item) as Item) : pickAttributes(item, updatedNames(prepared)),
        ),
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
