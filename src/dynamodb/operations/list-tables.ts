/**
 * ListTables: names in order, after ExclusiveStartTableName, at most Limit (100 by default).
 * LastEvaluatedTableName is set only when more tables follow, so paginators stop on the last page.
 */
import type { Operation } from '../operation';
import { listTableNames } from '../tables/catalogue';

interface ListTablesInput {
  ExclusiveStartTableName?: string;
  Limit?: number;
}

const DEFAULT_LIMIT = 100;

export const listTables: Operation<ListTablesInput> = {
  async handle(input, ctx) {
    const { names, more } = await listTableNames(ctx.store, ctx, Date.now(), input.ExclusiveStartTableName, input.Limit ?? DEFAULT_LIMIT);
    return { TableNames: names, ...(more && { LastEvaluatedTableName: names[names.length - 1] }) };
  },
};
