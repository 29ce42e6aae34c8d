/**
 * ExecuteStatement: one PartiQL statement (SELECT, INSERT, UPDATE, DELETE) with `?` Parameters. A SELECT
 * consumes what the Query or Scan of its range would; a write what the same PutItem / UpdateItem / DeleteItem
 * would (items/capacity.ts).
 */
import type { Operation } from '../operation';
import { writeCapacity } from '../items/capacity';
import { checkedValue, type ReturnConsumedCapacity } from '../items/checks';
import { checkParameterCount, commitWrite, prepareWrite, runSelect } from '../partiql/execute';
import { unsupported } from '../partiql/errors';
import { parseStatement } from '../partiql/parser';
import type { AttributeValue } from '../values/attribute-value';

interface ExecuteStatementInput {
  Statement: string;
  Parameters?: unknown[];
  ConsistentRead?: boolean;
  NextToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  Limit?: number;
  ReturnValuesOnConditionCheckFailure?: string;
}

export function checkedParameters(params: unknown[] | undefined | null): AttributeValue[] {
  return (params ?? []).map((p) => checkedValue(p, false));
}

export const executeStatement: Operation<ExecuteStatementInput> = {
  async handle(input, ctx) {
    const stmt = parseStatement(input.Statement);
    const params = checkedParameters(input.Parameters);
    checkParameterCount(stmt, params);
    if (stmt.kind === 'exists') throw unsupported('EXISTS is only supported in ExecuteTransaction');
    if (stmt.kind === 'select') {
      return runSelect(ctx, ctx.store, stmt, params, {
        ...(input.Limit !== undefined && input.Limit !== null && { limit: input.Limit }),
        ...(typeof input.NextToken === 'string' && { nextToken: input.NextToken }),
        ...(input.ConsistentRead === true && { consistentRead: true }),
        returnConsumedCapacity: input.ReturnConsumedCapacity,
      });
    }
    return ctx.store.transact(async (tx) => {
      const write = await prepareWrite(ctx, tx, stmt, params, input.ReturnValuesOnConditionCheckFailure);
      if (write.failure) throw write.failure;
      await commitWrite(tx, ctx, write);
      const out: Record<string, unknown> = { Items: write.returned ? [write.returned] : [] };
      const consumed = writeCapacity(input.ReturnConsumedCapacity, write.table, write.old, write.next);
      if (consumed) out.ConsumedCapacity = consumed;
      return out;
    });
  },
};
