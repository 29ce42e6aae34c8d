/**
 * BatchExecuteStatement: up to 25 PartiQL statements, each answered on its own: single-item SELECTs (the
 * full primary key in the WHERE clause) or writes. A statement's failure is reported in its response as
 * `Error` ({Code, Message}); the others still run. Each write is its own storage transaction.
 */
import { isAwsError } from '../../errors/aws-error';
import type { Operation } from '../operation';
import { checkParameterCount, commitWrite, getBySelect, prepareWrite } from '../partiql/execute';
import { unsupported } from '../partiql/errors';
import { parseStatement } from '../partiql/parser';
import { checkedParameters } from './execute-statement';

interface BatchStatementRequest {
  Statement: string;
  Parameters?: unknown[];
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: string;
}

interface BatchExecuteStatementInput {
  Statements: BatchStatementRequest[];
  ReturnConsumedCapacity?: string;
}

/** BatchStatementError codes are the exception names without `Exception` (ValidationException: ValidationError). */
export function statementErrorCode(code: string): string {
  if (code === 'ValidationException') return 'ValidationError';
  if (code === 'InternalServerError') return code;
  return code.replace(/Exception$/, '');
}

export const batchExecuteStatement: Operation<BatchExecuteStatementInput> = {
  async handle(input, ctx) {
    const Responses: Record<string, unknown>[] = [];
    for (const request of input.Statements) {
      let tableName: string | undefined;
      try {
        const stmt = parseStatement(request.Statement);
        if (stmt.kind !== 'exists') tableName = stmt.target.table;
        const params = checkedParameters(request.Parameters);
        checkParameterCount(stmt, params);
        if (stmt.kind === 'exists') throw unsupported('EXISTS is only supported in ExecuteTransaction');
        if (stmt.kind === 'select') {
          const { item } = await getBySelect(ctx, ctx.store, stmt, params);
          Responses.push({ TableName: stmt.target.table, ...(item && { Item: item }) });
          continue;
        }
        await ctx.store.transact(async (tx) => {
          const write = await prepareWrite(ctx, tx, stmt, params, request.ReturnValuesOnConditionCheckFailure);
          if (write.failure) throw write.failure;
          commitWrite(tx, ctx, write);
        });
        Responses.push({ TableName: stmt.target.table });
      } catch (error) {
        if (!isAwsError(error)) throw error;
        const Error: Record<string, unknown> = { Code: statementErrorCode(error.code), Message: error.message };
        if (error.fields.Item) Error.Item = error.fields.Item;
        Responses.push({ ...(tableName !== undefined && { TableName: tableName }), Error });
      }
    }
    return { Responses };
  },
};
