/**
 * Reading and writing table records. Reads settle the record as of `now` (lifecycle.ts), so callers only
 * ever see a table's current state; a table whose deletion has completed reads as absent.
 *
 * An engine that can (`getDecoded`, the SQLite engine) keeps the parsed record between requests until a
 * commit rewrites it, so most requests neither read nor parse it. That parsed record is shared and deeply
 * frozen: `settle` copies its top level, and writers build new objects rather than changing nested ones.
 */
import { keyAfter, readDecoded, type ReadView, type Transaction } from '../../storage/engine';
import { tableRecordKey, tableRecordsRange } from '../keys';
import type { Scope } from './arn';
import { settle } from './lifecycle';
import type { TableRecord } from './record';
import { tableNotFound } from './names';

function decode(value: Buffer): TableRecord {
  return JSON.parse(value.toString('utf8')) as TableRecord;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const decodeShared = (value: Buffer): TableRecord => deepFreeze(decode(value));

/** A record with nothing left to settle stays as it is, whatever the time, until the table changes. */
const isSettled = (record: TableRecord): boolean =>
  record.status === 'ACTIVE' && record.globalIndexes.every((index) => index.status === 'ACTIVE');

/**
 * The settled, frozen copy of a shared record whose transitions are all over, by that record. Statuses
 * settle lazily (lifecycle.ts) and the stored record keeps saying CREATING after a table is ready, so
 * without this every read of a table never updated since would settle a new copy.
 */
const settledShared = new WeakMap<TableRecord, Readonly<TableRecord>>();

/**
 * Like loadTable, for callers that only read the record: a record with nothing to settle is the shared,
 * frozen one itself, or its shared settled copy (no copy per call), so the same object comes back until
 * the table changes.
 */
export async function loadTableForReading(view: ReadView, scope: Scope, name: string, now: number): Promise<Readonly<TableRecord> | undefined> {
  const shared = await readDecoded(view, tableRecordKey(scope.accountId, scope.region, name), decodeShared);
  if (!shared || isSettled(shared)) return shared;
  const known = settledShared.get(shared);
  if (known) return known;
  const settled = settle(shared, now);
  if (settled && isSettled(settled)) settledShared.set(shared, deepFreeze(settled));
  return settled;
}

export async function loadTable(view: ReadView, scope: Scope, name: string, now: number): Promise<TableRecord | undefined> {
  const key = tableRecordKey(scope.accountId, scope.region, name);
  const shared = await readDecoded(view, key, decodeShared);
  return shared && settle(shared, now);
}

/** Like loadTable, but a missing table is DescribeTable's ResourceNotFoundException. */
export async function requireTable(view: ReadView, scope: Scope, name: string, now: number): Promise<TableRecord> {
  const record = await loadTable(view, scope, name, now);
  if (!record) throw tableNotFound(name);
  return record;
}

export function saveTable(tx: Transaction, scope: Scope, record: TableRecord): void {
  tx.put(tableRecordKey(scope.accountId, scope.region, record.name), Buffer.from(JSON.stringify(record), 'utf8'));
}

export function removeTable(tx: Transaction, scope: Scope, name: string): void {
  tx.delete(tableRecordKey(scope.accountId, scope.region, name));
}

/**
 * Names of existing tables after `exclusiveStart`, in order, at most `limit`, and whether more follow.
 * Records of finished deletions are skipped, so pages are read until full.
 */
export async function listTableNames(
  view: ReadView,
  scope: Scope,
  now: number,
  exclusiveStart: string | undefined,
  limit: number,
): Promise<{ names: string[]; more: boolean }> {
  const range = tableRecordsRange(scope.accountId, scope.region);
  let start = exclusiveStart === undefined ? range.start : keyAfter(tableRecordKey(scope.accountId, scope.region, exclusiveStart));
  const names: string[] = [];
  for (;;) {
    const batch = await view.scan({ start, end: range.end, limit: limit + 1 });
    for (const entry of batch) {
      const record = settle(decode(entry.value), now);
      if (!record) continue;
      if (names.length === limit) return { names, more: true };
      names.push(record.name);
    }
    if (batch.length < limit + 1) return { names, more: false };
    start = keyAfter(batch[batch.length - 1]!.key);
  }
}
