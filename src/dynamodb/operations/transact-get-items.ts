/**
 * TransactGetItems: up to 100 gets over one or more tables, read from one snapshot (one storage-engine
 * transaction, serialised with every write, so no transaction is seen half applied). Keys and values are
 * checked by DynamoDB's legacy layer; a key that does not match its table's schema cancels the request
 * with a ValidationError reason; a missing table is ResourceNotFoundException.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { project, type CompiledProjection } from '../expressions';
import { checkExpressionParams, type ReturnConsumedCapacity } from '../items/checks';
import { compileExpressions } from '../items/expressions';
import { decodeItem, itemStorageKey } from '../items/storage';
import { requireItemTable, type ItemTable } from '../items/table';
import { KEY_MESSAGES, validateItem, validateKey, type Item } from '../values/attribute-value';
import { MULTIPLE_OPERATIONS_MESSAGE, NONE, asReason, transactionCanceled, type CancellationReason } from '../transactions/cancellation';
import { TransactionCapacity } from '../transactions/capacity';

interface GetInput {
  TableName: string;
  Key: Record<string, unknown>;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

interface TransactGetItemsInput {
  TransactItems: { Get: GetInput }[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

interface Planned {
  key: Item;
  tableName: string;
  projection?: CompiledProjection;
  table?: ItemTable;
  storageKey?: Buffer;
  reason?: CancellationReason;
}

export const transactGetItems: Operation<TransactGetItemsInput> = {
  async handle(input, ctx) {
    const plans: Planned[] = (input.TransactItems ?? []).map(({ Get: get }) => {
      const key = validateItem(get.Key, { layer: 'legacy' });
      checkExpressionParams(get as unknown as Record<string, unknown>, ['ProjectionExpression'], []);
      const { projection } = compileExpressions(get, 'legacy');
      return { key, tableName: get.TableName, ...(projection && { projection }) };
    });
    const now = Date.now();
    return ctx.store.transact(async (tx) => {
      const tables = new Map<string, ItemTable>();
      for (const plan of plans) {
        let table = tables.get(plan.tableName);
        if (!table) {
          table = await requireItemTable(tx, ctx, plan.tableName, now);
          tables.set(plan.tableName, table);
        }
        plan.table = table;
      }
      const seen = new Set<string>();
      for (const plan of plans) {
        const table = plan.table!;
        for (const attribute of table.schema.range ? [table.schema.hash, table.schema.range] : [table.schema.hash]) {
          const v = Object.prototype.hasOwnProperty.call(plan.key, attribute.name) ? plan.key[attribute.name] : undefined;
          if (v && 'S' in v && v.S === '' && attribute.type === 'S') throw validationError(KEY_MESSAGES.emptyString(attribute.name));
          if (v && 'B' in v && v.B === '' && attribute.type === 'B') throw validationError(KEY_MESSAGES.emptyBinary(attribute.name));
        }
        const reason = asReason(() => validateKey(plan.key, table.schema));
        if (reason) {
          plan.reason = reason;
          continue;
        }
        plan.storageKey = itemStorageKey(ctx, table, plan.key);
        const id = `${table.record.id}\u0000${plan.storageKey.toString('latin1')}`;
        if (seen.has(id)) throw validationError(MULTIPLE_OPERATIONS_MESSAGE);
        seen.add(id);
      }
      if (plans.some((p) => p.reason)) throw transactionCanceled(plans.map((p) => p.reason ?? NONE));
      const values = await tx.getMany(plans.map((p) => p.storageKey!));
      const capacity = new TransactionCapacity(input.ReturnConsumedCapacity);
      const responses = plans.map((plan, i) => {
        const raw = values[i];
        const item = raw ? decodeItem(raw) : undefined;
        capacity.read(plan.table!, item);
        if (!item) return {};
        return { Item: plan.projection ? project(plan.projection, item) : item };
      });
      const out: Record<string, unknown> = { Responses: responses };
      const consumed = capacity.result();
      if (consumed) out.ConsumedCapacity = consumed;
      return out;
    });
  },
};
