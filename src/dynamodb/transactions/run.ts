/**
 * The one implementation of "run these writes all or nothing, with a reason per action", shared by
 * TransactWriteItems and ExecuteTransaction (and the read side by TransactGetItems and read-only
 * ExecuteTransaction):
 *
 *   - `runTransaction`: one storage-engine transaction, with ClientRequestToken idempotency (tokens.ts) around it;
 *   - `TransactionTables`: each table loaded once (by name or ARN), so item counters accumulate on one record;
 *   - `ItemAddresses`: the one-operation-per-item rule;
 *   - `commitActions`: cancels with TransactionCanceledException when any action has a reason (cancellation.ts),
 *     otherwise stores every write, saves the touched tables and answers the ConsumedCapacity (capacity.ts).
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { ReadView, Transaction } from '../../storage/engine';
import type { OperationContext } from '../operation';
import type { ConsumedCapacity } from '../items/capacity';
import type { ReturnConsumedCapacity } from '../items/checks';
import { growsCollection, overCollectionLimit } from '../items/collection-size';
import { writeItemNoSave } from '../items/storage';
import { requireItemTable, type ItemTable } from '../items/table';
import { saveStats } from '../tables/stats';
import type { Scope } from '../tables/arn';
import type { Item } from '../values/attribute-value';
import { collectionSizeReason, MULTIPLE_OPERATIONS_MESSAGE, NONE, transactionCanceled, type CancellationReason } from './cancellation';
import { TransactionCapacity } from './capacity';
import { recordToken, replayToken, requestHash } from './tokens';

/** One action of a transaction, checked and computed, not yet applied. */
export interface TransactionAction {
  table: ItemTable;
  /** Absent when the action failed before its item was addressed (its `reason` says why). */
  storageKey?: Buffer;
  /** The stored item. */
  old?: Item;
  /** The item to store; undefined deletes `old` (or, with no `old`, does nothing). */
  next?: Item;
  /** A condition check (ConditionCheck, EXISTS): reads its item, writes nothing. */
  check?: boolean;
  /** Why the action cancels the transaction. */
  reason?: CancellationReason;
}

/**
 * Runs `body` in one storage-engine transaction. With a ClientRequestToken, a live token with the same
 * parameters answers the recorded response and runs nothing, one with other parameters is
 * IdempotentParameterMismatchException, and a successful response is recorded for ten minutes.
 */
export async function runTransaction<T>(
  ctx: OperationContext,
  operation: string,
  input: { ClientRequestToken?: string | null },
  body: (tx: Transaction, now: number) => Promise<T>,
): Promise<T> {
  const token = input.ClientRequestToken ?? undefined;
  const hash = token ? requestHash(input as Record<string, unknown>) : '';
  const now = Date.now();
  return ctx.store.transact(async (tx) => {
    if (token) {
      const replay = await replayToken(tx, ctx, operation, token, hash, now);
      if (replay) return replay.response as T;
    }
    const out = await body(tx, now);
    if (token) await recordToken(tx, ctx, operation, token, hash, out, now);
    return out;
  });
}

/** The tables of one transaction, each loaded once, by name or ARN (ResourceNotFoundException when missing). */
export class TransactionTables {
  private readonly byName = new Map<string, ItemTable>();
  private readonly byId = new Map<string, ItemTable>();

  constructor(
    private readonly view: ReadView,
    private readonly scope: Scope,
    private readonly now: number,
  ) {}

  async get(name: string): Promise<ItemTable> {
    let table = this.byName.get(name);
    if (!table) {
      const loaded = await requireItemTable(this.view, this.scope, name, this.now);
      table = this.byId.get(loaded.record.id) ?? loaded;
      this.byId.set(table.record.id, table);
      this.byName.set(name, table);
    }
    return table;
  }

  /** The resolver to hand to code that loads tables by name. */
  get resolver(): (name: string) => Promise<ItemTable> {
    return (name) => this.get(name);
  }

  all(): IterableIterator<ItemTable> {
    return this.byId.values();
  }
}

/** The one-operation-per-item rule: a second action on an item is a ValidationException. */
export class ItemAddresses {
  private readonly seen = new Set<string>();

  add(table: ItemTable, storageKey: Buffer): void {
    const id = `${table.record.id}\u0000${storageKey.toString('latin1')}`;
    if (this.seen.has(id)) throw validationError(MULTIPLE_OPERATIONS_MESSAGE);
    this.seen.add(id);
  }
}

/** Throws TransactionCanceledException, reasons in request order, when any action has a reason. */
export function cancelOnReasons(actions: readonly { reason?: CancellationReason | undefined }[]): void {
  if (actions.some((a) => a.reason)) throw transactionCanceled(actions.map((a) => a.reason ?? NONE));
}

/**
 * Cancels when any action has a reason; otherwise stores every write, then cancels when a write took its item
 * collection over the size limit (ItemCollectionSizeLimitExceeded for each such write; nothing is applied),
 * saves the tables and returns the ConsumedCapacity (undefined unless asked for).
 */
export async function commitActions(
  tx: Transaction,
  ctx: OperationContext,
  actions: readonly TransactionAction[],
  tables: Iterable<ItemTable>,
  mode: ReturnConsumedCapacity,
): Promise<ConsumedCapacity[] | undefined> {
  cancelOnReasons(actions);
  const capacity = new TransactionCapacity(mode);
  const grew: TransactionAction[] = [];
  for (const action of actions) {
    const { table } = action;
    capacity.touch(table);
    if (action.check) {
      capacity.read(table, action.old);
      continue;
    }
    writeItemNoSave(tx, ctx, table, action.storageKey!, action.old, action.next);
    if (growsCollection(table, action.old, action.next)) grew.push(action);
    capacity.write(table, action.old, action.next);
  }
  const over = new Set<TransactionAction>();
  for (const action of grew) {
    if (await overCollectionLimit(tx, ctx, action.table, action.next![action.table.schema.hash.name]!, ctx.settings.itemCollectionLimitBytes)) over.add(action);
  }
  if (over.size > 0) throw transactionCanceled(actions.map((a) => (over.has(a) ? collectionSizeReason() : NONE)));
  for (const table of tables) await saveStats(tx, ctx, table.record, table.delta);
  return capacity.result();
}
