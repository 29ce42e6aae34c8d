/**
 * BatchExecuteStatement: up to 25 PartiQL statements (the model's limit), each answered on its own:
 * single-item SELECTs (the full primary key in the WHERE clause) or writes, never both in one batch. A
 * statement's failure is reported in its response as `Error` ({Code, Message}); the others still run. Each
 * write is its own storage transaction. ConsumedCapacity is per table, as BatchGetItem (reads, eventually
 * consistent unless the statement asks) and BatchWriteItem (writes) compute it.
 */
import { isAwsError } from '../../errors/aws-error';
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { readCapacity, writeCapacity, type ConsumedCapacity } from '../items/capacity';
import type { ReturnConsumedCapacity } from '../items/checks';
import { checkParameterCount, commitWrite, getBySelect, prepareWrite } from '../partiql/execute';
import { itemSize } from '../values/item-size';
import { MIXED_BATCH_MESSAGE, unsupported } from '../partiql/errors';
import { parseStatement, type ParsedStatement } from '../partiql/parser';
import { checkedParameters } from './execute-statement';

interface BatchStatementRequest {
  Statement: string;
  Parameters?: unknown[];
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: string;
}

interface BatchExecuteStatementInput {
  Statements: BatchStatementRequest[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

/** BatchStatementError codes are the exception names without `Exception` (ValidationException: ValidationError). */
export function statementErrorCode(code: string): string {
  if (code === 'ValidationException') return 'ValidationError';
  if (code === 'InternalServerError') return code;
  return code.replace(/Exception$/, '');
}

type Units = Record<string, { CapacityUnits: number }>;

function addUnits(into: Units | undefined, more: Units | undefined): Units | undefined {
  if (!more) return into;
  const out: Units = { ...into };
  for (const [name, u] of Object.entries(more)) out[name] = { CapacityUnits: (out[name]?.CapacityUnits ?? 0) + u.CapacityUnits };
  return out;
}

/** Single-item capacities summed per table, in the order tables first appear. */
class CapacityByTable {
  private readonly tables = new Map<string, ConsumedCapacity>();

  add(c: ConsumedCapacity | undefined): void {
    if (!c) return;
    const entry = this.tables.get(c.TableName);
    if (!entry) {
      this.tables.set(c.TableName, structuredClone(c));
      return;
    }
    entry.CapacityUnits += c.CapacityUnits;
    if (c.Table) entry.Table = { CapacityUnits: (entry.Table?.CapacityUnits ?? 0) + c.Table.CapacityUnits };
    const local = addUnits(entry.LocalSecondaryIndexes, c.LocalSecondaryIndexes);
    const global = addUnits(entry.GlobalSecondaryIndexes, c.GlobalSecondaryIndexes);
    if (local) entry.LocalSecondaryIndexes = local;
    if (global) entry.GlobalSecondaryIndexes = global;
  }

  result(): ConsumedCapacity[] {
    return [...this.tables.values()];
  }
}

const isRead = (stmt: ParsedStatement) => stmt.kind === 'select';
const isWrite = (stmt: ParsedStatement) => stmt.kind === 'insert' || stmt.kind === 'update' || stmt.kind === 'delete';

export const batchExecuteStatement: Operation<BatchExecuteStatementInput> = {
  async handle(input, ctx) {
    // Statements that do not parse are answered on their own, below; the others decide whether the batch reads or writes.
    const parsed = input.Statements.map((request) => {
      try {
        return parseStatement(request.Statement);
      } catch (error) {
        if (!isAwsError(error)) throw error;
        return error;
      }
    });
    const statements = parsed.filter((p): p is ParsedStatement => !isAwsError(p));
    if (statements.some(isRead) && statements.some(isWrite)) throw validationError(MIXED_BATCH_MESSAGE);

    const mode = input.ReturnConsumedCapacity;
    const wanted = mode === 'TOTAL' || mode === 'INDEXES';
    const capacity = new CapacityByTable();
    const Responses: Record<string, unknown>[] = [];
    for (const [i, request] of input.Statements.entries()) {
      let tableName: string | undefined;
      try {
        const stmt = parsed[i]!;
        if (isAwsError(stmt)) throw stmt;
        if (stmt.kind !== 'exists') tableName = stmt.target.table;
        const params = checkedParameters(request.Parameters);
        checkParameterCount(stmt, params);
        if (stmt.kind === 'exists') throw unsupported('EXISTS is only supported in ExecuteTransaction');
        if (stmt.kind === 'select') {
          const { table, stored, item } = await getBySelect(ctx, ctx.store, stmt, params);
          if (wanted) capacity.add(readCapacity(mode, table, () => (stored ? itemSize(stored) : 0), request.ConsistentRead === true));
          Responses.push({ TableName: stmt.target.table, ...(item && { Item: item }) });
          continue;
        }
        const write = await ctx.store.transact(async (tx) => {
          const prepared = await prepareWrite(ctx, tx, stmt, params, request.ReturnValuesOnConditionCheckFailure);
          if (prepared.failure) throw prepared.failure;
          await commitWrite(tx, ctx, prepared);
          return prepared;
        });
        if (wanted) capacity.add(writeCapacity(mode, write.table, write.old, write.next));
        Responses.push({ TableName: stmt.target.table });
      } catch (error) {
        if (!isAwsError(error)) throw error;
        const Error: Record<string, unknown> = { Code: statementErrorCode(error.code), Message: error.message };
        if (error.fields.Item) Error.Item = error.fields.Item;
        Responses.push({ ...(tableName !== undefined && { TableName: tableName }), Error });
      }
    }
    const out: Record<string, unknown> = { Responses };
    if (wanted) out.ConsumedCapacity = capacity.result();
    return out;
  },
};
