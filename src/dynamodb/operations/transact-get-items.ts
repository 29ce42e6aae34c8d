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
import type { ItemTable } from '../items/table';
import { KEY_MESSAGES, validateItem, validateKey, type Item } from '../values/attribute-value';
import { asReason, type CancellationReason } from '../transactions/cancellation';
import { TransactionCapacity } from '../transactions/capacity';
import { ItemAddresses, TransactionTables, cancelOnReasons } from '../transactions/run';

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
      const tables = new TransactionTables(tx, ctx, now);
      for (const plan of plans) plan.table = await tables.get(plan.tableName);
      const addresses = new ItemAddresses();
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
        addresses.add(table, plan.storageKey);
      }
      cancelOnReasons(plans);
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
