/**
 * ExecuteTransaction: up to 100 PartiQL statements (the model's limit) as one all-or-nothing transaction, on
 * the transaction machinery TransactWriteItems and TransactGetItems use (`../transactions/`): one storage-engine
 * transaction, ClientRequestToken idempotency, the one-operation-per-item rule, CancellationReasons in
 * statement order and transactional ConsumedCapacity.
 *
 * Statements are either all single-item SELECTs (a read transaction, like TransactGetItems) or all writes and
 * EXISTS checks (like TransactWriteItems: INSERT is a Put that must not find its item, UPDATE an Update of an
 * existing item, DELETE a Delete, EXISTS a ConditionCheck). Every statement is read and checked first; a
 * failed condition, a failed EXISTS or a duplicate INSERT cancels the transaction with
 * TransactionCanceledException; otherwise every write is stored.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import type { ReturnConsumedCapacity } from '../items/checks';
import { checkParameterCount, getBySelect, prepareWrite } from '../partiql/execute';
import { parseStatement, type ParsedStatement } from '../partiql/parser';
import type { AttributeValue } from '../values/attribute-value';
import { conditionFailed, reasonOf } from '../transactions/cancellation';
import { TransactionCapacity } from '../transactions/capacity';
import { ItemAddresses, TransactionTables, commitActions, runTransaction, type TransactionAction } from '../transactions/run';
import { checkedParameters } from './execute-statement';

interface ParameterizedStatement {
  Statement: string;
  Parameters?: unknown[];
  ReturnValuesOnConditionCheckFailure?: string;
}

interface ExecuteTransactionInput {
  TransactStatements: ParameterizedStatement[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

interface Parsed {
  stmt: ParsedStatement;
  params: AttributeValue[];
  onFailure: string | undefined;
}

export const MIXED_TRANSACTION_MESSAGE = 'Transaction requests cannot contain both read and write statements';

export const executeTransaction: Operation<ExecuteTransactionInput> = {
  async handle(input, ctx) {
    const parsed: Parsed[] = input.TransactStatements.map((s) => {
      const stmt = parseStatement(s.Statement);
      const params = checkedParameters(s.Parameters);
      checkParameterCount(stmt, params);
      return { stmt, params, onFailure: s.ReturnValuesOnConditionCheckFailure };
    });
    const reads = parsed.filter((p) => p.stmt.kind === 'select').length;
    if (reads > 0 && reads < parsed.length) throw validationError(MIXED_TRANSACTION_MESSAGE);

    return runTransaction(ctx, 'ExecuteTransaction', input, async (tx, now) => {
      const tables = new TransactionTables(tx, ctx, now);
      const addresses = new ItemAddresses();
      const out: Record<string, unknown> = {};

      if (reads > 0) {
        const capacity = new TransactionCapacity(input.ReturnConsumedCapacity);
        const Responses: Record<string, unknown>[] = [];
        for (const { stmt, params } of parsed) {
          if (stmt.kind !== 'select') continue;
          const { table, storageKey, stored, item } = await getBySelect(ctx, tx, stmt, params, tables.resolver);
          addresses.add(table, storageKey);
          capacity.read(table, stored);
          Responses.push(item ? { Item: item } : {});
        }
        out.Responses = Responses;
        const consumed = capacity.result();
        if (consumed) out.ConsumedCapacity = consumed;
        return out;
      }

      const actions: TransactionAction[] = [];
      for (const { stmt, params, onFailure } of parsed) {
        if (stmt.kind === 'exists') {
          const { table, storageKey, stored, item } = await getBySelect(ctx, tx, stmt.select, params, tables.resolver);
          addresses.add(table, storageKey);
          const action: TransactionAction = { table, storageKey, check: true };
          if (stored) action.old = stored;
          if (!item) action.reason = conditionFailed(stored, onFailure);
          actions.push(action);
          continue;
        }
        if (stmt.kind === 'select') continue;
        const write = await prepareWrite(ctx, tx, stmt, params, onFailure, tables.resolver);
        addresses.add(write.table, write.storageKey);
        const action: TransactionAction = { table: write.table, storageKey: write.storageKey };
        if (write.old) action.old = write.old;
        if (write.next) action.next = write.next;
        if (write.failure) {
          const reason = reasonOf(write.failure);
          if (!reason) throw write.failure;
          action.reason = reason;
        }
        actions.push(action);
      }
      const consumed = await commitActions(tx, ctx, actions, tables.all(), input.ReturnConsumedCapacity);
      // A write transaction answers an empty Responses list (as recorded from DynamoDB in LocalStack's snapshots).
      out.Responses = [];
      if (consumed) out.ConsumedCapacity = consumed;
      return out;
    });
  },
};
