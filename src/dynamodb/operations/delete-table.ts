/**
 * DeleteTable. Refused while deletion protection is on, while the table is not ACTIVE and while a global
 * index is being built, changed or dropped. The items go at once (they hang off the table's id); the record
 * stays DELETING for the transition delay, and the response is DynamoDB's short description.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { tableIndexesRange } from '../indexes/layout';
import { tableItemsRange } from '../keys';
import { removeTable, requireTable, saveTable } from '../tables/catalogue';
import { removeStats, withStats } from '../tables/stats';
import { describeDeletedTable } from '../tables/describe';
import { inUse, requireActive } from '../tables/guards';
import { indexesInTransition } from '../tables/lifecycle';
import { resolveTableName } from '../tables/names';
import type { TableRecord } from '../tables/record';

interface DeleteTableInput {
  TableName: string;
}

export const deleteTable: Operation<DeleteTableInput> = {
  async handle(input, ctx) {
    const name = resolveTableName(input.TableName, ctx);
    const now = Date.now();
    const deleted = await ctx.store.transact(async (tx) => {
      const record = await requireTable(tx, ctx, name, now);
      if (record.deletionProtection) {
        throw validationError('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
      }
      requireActive(record);
      if (indexesInTransition(record).length > 0) throw inUse('Cannot delete table while indexes are being created, updated, or deleted.');
      const deleting: TableRecord = { ...record, status: 'DELETING', until: now + ctx.settings.transitionDelayMs };
      const items = tableItemsRange(ctx.accountId, ctx.region, record.id);
      tx.deleteRange(items.start, items.end);
      const indexEntries = tableIndexesRange(ctx, record.id);
      tx.deleteRange(indexEntries.start, indexEntries.end);
      const described = await withStats(tx, ctx, deleting);
      removeStats(tx, ctx, record);
      if (ctx.settings.transitionDelayMs > 0) saveTable(tx, ctx, deleting);
      else removeTable(tx, ctx, name);
      return described;
    });
    return { TableDescription: describeDeletedTable(deleted, ctx, now) };
  },
};
