/**
 * TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions over one or more tables,
 * all or nothing. Every read, check and write happens in one storage-engine transaction, which the engine
 * serialises with every other request (transactions/cancellation.ts on isolation).
 *
 * Order of checks: the model checks; then per action, in request order, its values (legacy layer), item
 * size and expressions; then, in storage, the tables (ResourceNotFoundException), empty key values (a plain
 * ValidationException), the key schema (a ValidationError reason), the one-operation-per-item rule; then the
 * conditions and updates, which cancel the transaction with reasons in request order.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import type { CompiledCondition, CompiledUpdate } from '../expressions';
import { evaluateCondition } from '../expressions';
import type { ReturnConsumedCapacity } from '../items/checks';
import { checkExpressionParams } from '../items/checks';
import { itemCollectionMetrics, type ItemCollectionMetrics } from '../items/collection-metrics';
import { compileExpressions, type ExpressionInput } from '../items/expressions';
import { decodeItem, extractKey, itemStorageKey } from '../items/storage';
import type { ItemTable } from '../items/table';
import { checkUpdateSkipsKeys, checkUpdatedIndexKeys, updatedItem } from '../items/write';
import {
  KEY_MESSAGES,
  validateItem,
  validateItemKeys,
  validateKey,
  type Item,
  type KeySchema,
  type IndexKeySchema,
} from '../values/attribute-value';
import { checkItemSize, itemSize } from '../values/item-size';
import { asReason, conditionFailed } from '../transactions/cancellation';
import { ItemAddresses, TransactionTables, commitActions, runTransaction, type TransactionAction } from '../transactions/run';

type Kind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
const KINDS: readonly Kind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

interface ActionInput extends ExpressionInput {
  TableName: string;
  Item?: Record<string, unknown>;
  Key?: Record<string, unknown>;
  ReturnValuesOnConditionCheckFailure?: string;
}

type TransactWriteItem = Partial<Record<Kind, ActionInput>>;

interface TransactWriteItemsInput {
  TransactItems: TransactWriteItem[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
  ClientRequestToken?: string;
}

interface Action {
  kind: Kind;
  input: ActionInput;
  /** The Put item, or the Key of the others. */
  values: Item;
  condition?: CompiledCondition;
  update?: CompiledUpdate;
}

/** 4 MB: the aggregate size of the items in one transaction. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

export const TRANSACT_WRITE_MESSAGES = {
  noAction: 'The action or operation requested is invalid. Verify that the action is typed correctly.',
  moreThanOneAction: 'TransactItems can only contain one of Check, Put, Update or Delete',
  /** Not captured from AWS; the wording other emulators use. */
  tooLarge:
    'Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit',
} as const;

const present = (value: unknown) => value !== undefined && value !== null;

function checkAction(request: TransactWriteItem): Action {
  const kinds = KINDS.filter((k) => present(request?.[k]));
  if (kinds.length === 0) throw validationError(TRANSACT_WRITE_MESSAGES.noAction);
  if (kinds.length > 1) throw validationError(TRANSACT_WRITE_MESSAGES.moreThanOneAction);
  const kind = kinds[0]!;
  const input = request[kind]!;
  const raw = input as unknown as Record<string, unknown>;
  if (kind === 'Put') {
    const item = validateItem(input.Item, { layer: 'legacy' });
    checkItemSize(item, 'put');
    checkExpressionParams(raw, ['ConditionExpression'], []);
    const { condition } = compileExpressions(input, 'legacy');
    return { kind, input, values: item, ...(condition && { condition }) };
  }
  const key = validateItem(input.Key, { layer: 'legacy' });
  checkExpressionParams(raw, kind === 'Update' ? ['UpdateExpression', 'ConditionExpression'] : ['ConditionExpression'], []);
  const { condition, update } = compileExpressions(input, 'legacy');
  return { kind, input, values: key, ...(condition && { condition }), ...(update && { update }) };
}

/** Empty key values are refused before anything else, as a plain ValidationException (values/attribute-value.ts). */
function checkEmptyKeys(values: Item, schema: KeySchema, indexes: readonly IndexKeySchema[], put: boolean): void {
  const own = (name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined);
  const empty = (name: string, type: string): 'S' | 'B' | undefined => {
    const v = own(name);
    if (!v || !(type in v)) return undefined;
    if ('S' in v && v.S === '') return 'S';
    if ('B' in v && v.B === '') return 'B';
    return undefined;
  };
  for (const attribute of schema.range ? [schema.hash, schema.range] : [schema.hash]) {
    const e = empty(attribute.name, attribute.type);
    if (e) throw validationError(e === 'S' ? KEY_MESSAGES.emptyString(attribute.name) : KEY_MESSAGES.emptyBinary(attribute.name));
  }
  if (!put) return;
  const sorted = [...indexes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const index of sorted) {
    for (const attribute of [index.hash, index.range]) {
      if (!attribute) continue;
      const e = empty(attribute.name, attribute.type);
      if (e) {
        throw validationError(
          e === 'S' ? KEY_MESSAGES.indexEmptyString(attribute.name, index.name) : KEY_MESSAGES.indexEmptyBinary(attribute.name, index.name),
        );
      }
    }
  }
}

interface Planned extends TransactionAction {
  action: Action;
  table: ItemTable;
  key?: Item;
}

export const transactWriteItems: Operation<TransactWriteItemsInput> = {
  async handle(input, ctx) {
    const actions = (input.TransactItems ?? []).map(checkAction);
    let total = 0;
    for (const action of actions) total += itemSize(action.values);
    if (total > MAX_TRANSACTION_BYTES) throw validationError(TRANSACT_WRITE_MESSAGES.tooLarge);
    return runTransaction(ctx, 'TransactWriteItems', input, async (tx, now) => {
      const tables = new TransactionTables(tx, ctx, now);
      const plans: Planned[] = [];
      for (const action of actions) plans.push({ action, table: await tables.get(action.input.TableName), check: action.kind === 'ConditionCheck' });
      const addresses = new ItemAddresses();
      for (const plan of plans) {
        const { action, table } = plan;
        const put = action.kind === 'Put';
        checkEmptyKeys(action.values, table.schema, table.indexes, put);
        if (action.kind === 'Update') checkUpdateSkipsKeys(table, action.update);
        const reason = asReason(() => (put ? validateItemKeys(action.values, table.schema, table.indexes) : validateKey(action.values, table.schema)));
        if (reason) {
          plan.reason = reason;
          continue;
        }
        plan.key = put ? extractKey(table, action.values) : action.values;
        plan.storageKey = itemStorageKey(ctx, table, plan.key);
        addresses.add(table, plan.storageKey);
      }
      const addressed = plans.filter((p) => p.storageKey);
      const stored = await tx.getMany(addressed.map((p) => p.storageKey!));
      addressed.forEach((p, i) => {
        const value = stored[i];
        if (value) p.old = decodeItem(value);
      });
      for (const plan of addressed) {
        const { action, table, old } = plan;
        if (action.condition && !evaluateCondition(action.condition, old)) {
          plan.reason = conditionFailed(old, action.input.ReturnValuesOnConditionCheckFailure);
          continue;
        }
        if (action.kind === 'Put') plan.next = action.values;
        else if (action.kind === 'Update') {
          let next: Item | undefined;
          const reason = asReason(() => {
            next = updatedItem(action.update!, plan.key!, old);
            if (next) checkUpdatedIndexKeys(table, old, next);
          });
          if (reason) {
            plan.reason = reason;
            continue;
          }
          if (next) checkItemSize(next, 'update');
          plan.next = next;
        }
      }
      const consumed = await commitActions(tx, ctx, plans, tables.all(), input.ReturnConsumedCapacity);

      const out: Record<string, unknown> = {};
      if (consumed) out.ConsumedCapacity = consumed;
      if (input.ReturnItemCollectionMetrics === 'SIZE') {
        const metrics: Record<string, ItemCollectionMetrics[]> = {};
        const done = new Set<string>();
        for (const plan of plans) {
          const { table } = plan;
          if (plan.action.kind === 'ConditionCheck' || table.record.localIndexes.length === 0) continue;
          const hashId = `${table.record.id}\u0000${JSON.stringify(plan.key![table.schema.hash.name])}`;
          if (done.has(hashId)) continue;
          done.add(hashId);
          const m = await itemCollectionMetrics(tx, ctx, table, 'SIZE', plan.key!);
          if (m) (metrics[table.record.name] ??= []).push(m);
        }
        if (Object.keys(metrics).length > 0) out.ItemCollectionMetrics = metrics;
      }
      return out;
    });
  },
};
