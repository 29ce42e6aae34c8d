/**
 * ExecuteTransaction: up to 100 PartiQL statements as one all-or-nothing transaction, in one storage
 * transaction: every statement is first read and checked (conditions, EXISTS checks, duplicate INSERTs),
 * then, when none failed, every write is stored. A failure cancels all with TransactionCanceledException and
 * one CancellationReason per statement. Statements are either all single-item SELECTs (a read transaction)
 * or all writes and EXISTS checks.
 *
 * This runs the statements itself on `partiql/execute.ts`'s prepareWrite / commitWrite. When the shared
 * transaction machinery (`../transactions/`, TransactWriteItems) lands, the prepared writes map one to one to
 * its Put (INSERT, with an attribute_not_exists condition), Update, Delete and ConditionCheck (EXISTS) items.
 */
import { isAwsError, type AwsError } from '../../errors/aws-error';
import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { checkParameterCount, commitWrite, getBySelect, prepareWrite, type PreparedWrite } from '../partiql/execute';
import { parseStatement, type ParsedStatement } from '../partiql/parser';
import type { AttributeValue } from '../values/attribute-value';
import { checkedParameters } from './execute-statement';
import { statementErrorCode } from './batch-execute-statement';

interface ParameterizedStatement {
  Statement: string;
  Parameters?: unknown[];
  ReturnValuesOnConditionCheckFailure?: string;
}

interface ExecuteTransactionInput {
  TransactStatements: ParameterizedStatement[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: string;
}

type Reason = { Code: string; Message?: string; Item?: unknown };

function reasonOf(error: AwsError): Reason {
  const reason: Reason = { Code: statementErrorCode(error.code), Message: error.message };
  if (error.fields.Item) reason.Item = error.fields.Item;
  return reason;
}

export const executeTransaction: Operation<ExecuteTransactionInput> = {
  async handle(input, ctx) {
    const parsed: { stmt: ParsedStatement; params: AttributeValue[]; onFailure: string | undefined }[] = input.TransactStatements.map((s) => {
      const stmt = parseStatement(s.Statement);
      const params = checkedParameters(s.Parameters);
      checkParameterCount(stmt, params);
      return { stmt, params, onFailure: s.ReturnValuesOnConditionCheckFailure };
    });
    const reads = parsed.filter((p) => p.stmt.kind === 'select').length;
    if (reads > 0 && reads < parsed.length) throw validationError('Transaction requests cannot contain both read and write statements');

    if (reads > 0) {
      const Responses: Record<string, unknown>[] = [];
      for (const { stmt, params } of parsed) {
        if (stmt.kind !== 'select') continue;
        const { item } = await getBySelect(ctx, ctx.store, stmt, params);
        Responses.push(item ? { Item: item } : {});
      }
      return { Responses };
    }

    return ctx.store.transact(async (tx) => {
      const writes: (PreparedWrite | undefined)[] = [];
      const reasons: Reason[] = [];
      const seen = new Set<string>();
      let failed = false;
      for (const { stmt, params, onFailure } of parsed) {
        let write: PreparedWrite | undefined;
        let reason: Reason = { Code: 'None' };
        try {
          if (stmt.kind === 'exists') {
            const { item } = await getBySelect(ctx, tx, stmt.select, params);
            if (!item) reason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
          } else if (stmt.kind !== 'select') {
            write = await prepareWrite(ctx, tx, stmt, params, onFailure);
            const id = write.storageKey.toString('hex');
            if (seen.has(id)) throw validationError('Transaction request cannot include multiple operations on one item');
            seen.add(id);
            if (write.failure) reason = reasonOf(write.failure);
          }
        } catch (error) {
          if (!isAwsError(error) || error.code !== 'ConditionalCheckFailedException') throw error;
          reason = reasonOf(error);
        }
        if (reason.Code !== 'None') failed = true;
        writes.push(write);
        reasons.push(reason);
      }
      if (failed) {
        throw dynamoError(
          'TransactionCanceledException',
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          { CancellationReasons: reasons },
        );
      }
      for (const write of writes) if (write) commitWrite(tx, ctx, write);
      return {};
    });
  },
};
