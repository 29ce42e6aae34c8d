/** DescribeTable: the table as of now, in any status until its deletion completes. */
import type { Operation } from '../operation';
import { resumeBackfills } from '../indexes/backfill';
import { requireTable } from '../tables/catalogue';
import { withStats } from '../tables/stats';
import { describeTable as describe } from '../tables/describe';
import { resolveTableName } from '../tables/names';

interface DescribeTableInput {
  TableName: string;
}

export const describeTable: Operation<DescribeTableInput> = {
  async handle(input, ctx) {
    const now = Date.now();
    const record = await requireTable(ctx.store, ctx, resolveTableName(input.TableName, ctx), now);
    resumeBackfills(ctx.store, ctx, record);
    return { Table: describe(await withStats(ctx.store, ctx, record), ctx, now) };
  },
};
