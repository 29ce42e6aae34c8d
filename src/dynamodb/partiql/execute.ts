/**
 * Running parsed PartiQL statements. SELECT reads one page from the table or an index: a Query of one
 * partition when the WHERE clause pins the partition key with `=` (and a sort key condition narrows the
 * range), a Scan otherwise, the whole WHERE clause filtering. INSERT / UPDATE / DELETE are split into a
 * `prepareWrite` (read the item, check the statement's conditions, compute the new item) and a `commitWrite`,
 * so ExecuteStatement runs one and ExecuteTransaction hands many to the transaction machinery
 * (`../transactions/run.ts`) as one all-or-nothing storage transaction. Code that loads tables once per request
 * (transactions) passes a `TableLoader`.
 */
import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import type { ReadView, Transaction } from '../../storage/engine';
import type { OperationContext } from '../operation';
import { applyUpdate, evaluateCondition, project, updatedAttributes } from '../expressions';
import { resumeBackfills } from '../indexes/backfill';
import { entryKeyItem } from '../indexes/layout';
import { itemStorageKey, readItem, writeItem } from '../items/storage';
import { keyNames, requireItemTable, type ItemTable } from '../items/table';
import { checkUpdatedIndexKeys } from '../items/write';
import type { ReturnConsumedCapacity } from '../items/checks';
import { checkCollectionLimit } from '../items/collection-size';
import { fetchFromTable, needsTableFetch, readConsumedCapacity, partitionPrefix, readSource, sourceRange, startKeyStorageKey, type SelectMode } from '../reads/common';
import { keyConditionsFromExpression, keyRange, planKeyConditions } from '../reads/key-condition';
import { readPage, startAfter } from '../reads/page';
import { attributeType, validateItemKeys, validateKey, type AttributeValue, type Item } from '../values/attribute-value';
import { checkItemSize } from '../values/item-size';
import { MISSING_KEY, duplicateItem, unsupported } from './errors';
import type { Expr, ParsedStatement, Statement } from './parser';
import { Translator, compileProjectionText, compileText, compileUpdateText, compileWhere, conjuncts, constantValue, equalityOn, isConstant, isPath } from './translate';

export interface SelectOptions {
  limit?: number;
  nextToken?: string;
  consistentRead?: boolean;
  returnConsumedCapacity?: ReturnConsumedCapacity;
}

export interface SelectResult {
  Items: Item[];
  NextToken?: string;
  LastEvaluatedKey?: Item;
  /** As a Query or Scan of the same range computes it: the evaluated items' size. */
  ConsumedCapacity?: Record<string, unknown>;
}

/** Loads a table by name or ARN (ResourceNotFoundException when missing). */
export type TableLoader = (name: string) => Promise<ItemTable>;

function loader(ctx: OperationContext, view: ReadView, tables: TableLoader | undefined): TableLoader {
  return tables ?? ((name) => requireItemTable(view, ctx, name, Date.now()));
}

type Select = Extract<Statement, { kind: 'select' }>;

function encodeToken(key: Item): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64');
}

function decodeToken(token: string): Item {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { k?: Item };
    if (parsed && typeof parsed.k === 'object' && parsed.k !== null) return parsed.k;
  } catch {
    // fall through
  }
  throw validationError('Invalid NextToken');
}

/** The sort key term that can bound the range of a Query, as key condition text. */
function rangeTerm(t: Translator, term: Expr, name: string, type: string): string | undefined {
  const valueOk = (e: Expr) => isConstant(e) && attributeType(constantValue(e, t.params)) === type;
  if (term.t === 'compare' && term.op !== '<>') {
    if (isPath(term.left, name) && valueOk(term.right)) return `${t.name(name)} ${term.op} ${t.operand(term.right)}`;
    if (isPath(term.right, name) && valueOk(term.left)) {
      const flipped = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' }[term.op];
      return `${t.name(name)} ${flipped} ${t.operand(term.left)}`;
    }
  }
  if (term.t === 'between' && !term.not && isPath(term.operand, name) && valueOk(term.lower) && valueOk(term.upper)) {
    return `${t.name(name)} BETWEEN ${t.operand(term.lower)} AND ${t.operand(term.upper)}`;
  }
  if (term.t === 'call' && term.name === 'begins_with' && type !== 'N' && term.args.length === 2 && isPath(term.args[0]!, name) && valueOk(term.args[1]!)) {
    return `begins_with(${t.name(name)}, ${t.operand(term.args[1]!)})`;
  }
  return undefined;
}

export async function runSelect(ctx: OperationContext, view: ReadView, stmt: Select, params: readonly AttributeValue[], options: SelectOptions): Promise<SelectResult> {
  const table = await requireItemTable(view, ctx, stmt.target.table, Date.now());
  resumeBackfills(ctx.store, ctx, table.record);
  const select: SelectMode = stmt.projection ? 'SPECIFIC_ATTRIBUTES' : stmt.target.index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  const source = readSource('ExecuteStatement', table, stmt.target.index, select, options.consistentRead);

  const t = new Translator(params);
  const whereText = stmt.where ? t.condition(stmt.where) : undefined;
  const projectionText = stmt.projection ? stmt.projection.map((p) => t.path(p)).join(', ') : undefined;
  // The key condition of a Query: the partition key pinned by `=`, and one sort key term.
  let keyText: string | undefined;
  const terms = conjuncts(stmt.where);
  for (const term of terms) {
    const value = equalityOn(term, source.hash.name, params);
    if (value && attributeType(value) === source.hash.type) {
      keyText = `${t.name(source.hash.name)} = ${t.value(value)}`;
      break;
    }
  }
  if (keyText && source.range) {
    for (const term of terms) {
      const text = rangeTerm(t, term, source.range.name, source.range.type);
      if (text) {
        keyText += ` AND ${text}`;
        break;
      }
    }
  }
  const context = t.context();
  const filter = whereText !== undefined ? compileText('ConditionExpression', whereText, context) : undefined;
  const projection = projectionText !== undefined ? compileProjectionText(projectionText, context) : undefined;

  let start: Buffer;
  let end: Buffer;
  let reverse = false;
  if (stmt.orderBy) {
    const [first] = stmt.orderBy.path;
    if (!keyText || stmt.orderBy.path.length !== 1 || (first !== source.hash.name && first !== source.range?.name)) {
      throw unsupported('ORDER BY needs a WHERE clause with the partition key, and can order by the key attributes only');
    }
    reverse = stmt.orderBy.descending;
  }
  if (keyText) {
    const keyCondition = compileText('KeyConditionExpression', keyText, context);
    const plan = planKeyConditions(keyConditionsFromExpression(keyCondition.condition), source.hash, source.range);
    ({ start, end } = keyRange(partitionPrefix(ctx, source, plan.hash), plan.range));
  } else ({ start, end } = sourceRange(ctx, source));

  if (options.nextToken !== undefined) {
    const key = startKeyStorageKey(ctx, source, decodeToken(options.nextToken));
    if (!reverse) start = startAfter(start, key);
    else if (key.compare(end) < 0) end = key;
  }

  const shaper = { select, ...(projection && { projection }) };
  const fetch = needsTableFetch(source, shaper);
  const matched: Item[] = [];
  const pending: Item[] = [];
  const keep = (item: Item) => !filter || evaluateCondition(filter, item);
  const page = await readPage(view, {
    start,
    end,
    reverse,
    ...(options.limit !== undefined && { limit: options.limit }),
    accept: (item) => {
      if (fetch) pending.push(item);
      else if (keep(item)) matched.push(item);
    },
  });
  if (fetch && pending.length > 0) for (const item of await fetchFromTable(view, ctx, source, pending)) if (keep(item)) matched.push(item);
  const out: SelectResult = { Items: matched.map((item) => (projection ? project(projection, item) : item)) };
  if (page.lastItem) {
    const key = entryKeyItem(table, source.index, page.lastItem);
    out.NextToken = encodeToken(key);
    out.LastEvaluatedKey = key;
  }
  const consumed = readConsumedCapacity(options.returnConsumedCapacity, source, page.scannedBytes, options.consistentRead === true);
  if (consumed) out.ConsumedCapacity = consumed;
  return out;
}

/** The full primary key a WHERE clause pins with `=` terms, or DynamoDB's error. */
export function whereKey(table: ItemTable, where: Expr | undefined, params: readonly AttributeValue[]): Item {
  const terms = conjuncts(where);
  const key: Item = {};
  for (const name of keyNames(table)) {
    let value: AttributeValue | undefined;
    for (const term of terms) {
      value = equalityOn(term, name, params);
      if (value) break;
    }
    if (!value) throw validationError(MISSING_KEY);
    key[name] = value;
  }
  validateKey(key, table.schema);
  return key;
}

/** A write, checked and computed, not yet stored. */
export interface PreparedWrite {
  table: ItemTable;
  storageKey: Buffer;
  old: Item | undefined;
  /** The item to store; undefined deletes (or, with `old` undefined too, does nothing). */
  next: Item | undefined;
  /** Why the write cannot happen, when it cannot. */
  failure?: AwsError;
  /** What RETURNING asks for. */
  returned?: Item;
}

/**
 * Reads the addressed item and computes the write. `onFailure` is ReturnValuesOnConditionCheckFailure:
 * ALL_OLD puts the stored item in a ConditionalCheckFailedException.
 */
export async function prepareWrite(
  ctx: OperationContext,
  view: ReadView,
  stmt: ParsedStatement,
  params: readonly AttributeValue[],
  onFailure: string | undefined,
  tables?: TableLoader,
): Promise<PreparedWrite> {
  if (stmt.kind === 'select' || stmt.kind === 'exists') throw new Error('not a write');
  if (stmt.target.index) throw unsupported(`Writes to an index are not supported: ${stmt.target.table}.${stmt.target.index}`);
  const table = await loader(ctx, view, tables)(stmt.target.table);
  const conditionFailed = (old: Item | undefined) =>
    dynamoError('ConditionalCheckFailedException', undefined, onFailure === 'ALL_OLD' && old ? { Item: old } : undefined);

  if (stmt.kind === 'insert') {
    if (!isConstant(stmt.value)) throw unsupported('INSERT needs a value');
    const value = constantValue(stmt.value, params);
    if (!('M' in value)) throw unsupported('INSERT needs a map value');
    const item = value.M as Item;
    validateItemKeys(item, table.schema, table.indexes);
    checkItemSize(item, 'put');
    const storageKey = itemStorageKey(ctx, table, item);
    const old = await readItem(view, storageKey);
    const out: PreparedWrite = { table, storageKey, old, next: item };
    if (old) out.failure = duplicateItem();
    return out;
  }

  const key = whereKey(table, stmt.where, params);
  const storageKey = itemStorageKey(ctx, table, key);
  const t = new Translator(params);
  const whereText = stmt.where ? t.condition(stmt.where) : undefined;
  let updateText: string | undefined;
  if (stmt.kind === 'update') {
    const keys = keyNames(table);
    for (const action of stmt.actions) {
      const first = action.path[0];
      if (typeof first === 'string' && keys.includes(first)) {
        throw validationError(`One or more parameter values were invalid: Cannot update attribute ${first}. This attribute is part of the key`);
      }
    }
    updateText = t.update(stmt.actions);
  }
  const context = t.context();
  const update = updateText !== undefined ? compileUpdateText(updateText, context) : undefined;
  const condition = whereText !== undefined ? compileText('ConditionExpression', whereText, context) : undefined;
  const old = await readItem(view, storageKey);

  if (stmt.kind === 'delete') {
    const out: PreparedWrite = { table, storageKey, old, next: undefined };
    if (old && condition && !evaluateCondition(condition, old)) out.failure = conditionFailed(old);
    if (old && stmt.returning === 'ALL_OLD') out.returned = old;
    else if (stmt.returning && stmt.returning !== 'ALL_OLD') {
      throw validationError(`Invalid returning clause: only RETURNING ALL OLD * is allowed in DELETE statements`);
    }
    return out;
  }

  // UPDATE changes an existing item only.
  if (!old) return { table, storageKey, old, next: undefined, failure: conditionFailed(old) };
  if (condition && !evaluateCondition(condition, old)) return { table, storageKey, old, next: old, failure: conditionFailed(old) };
  const next = applyUpdate(update!, old);
  checkUpdatedIndexKeys(table, old, next);
  checkItemSize(next, 'update');
  const out: PreparedWrite = { table, storageKey, old, next };
  switch (stmt.returning) {
    case 'ALL_OLD':
      out.returned = old;
      break;
    case 'ALL_NEW':
      out.returned = next;
      break;
    case 'UPDATED_OLD':
      out.returned = updatedAttributes(update!, old);
      break;
    case 'UPDATED_NEW':
      out.returned = updatedAttributes(update!, next);
      break;
  }
  return out;
}

export async function commitWrite(tx: Transaction, ctx: OperationContext, write: PreparedWrite): Promise<void> {
  if (!write.old && !write.next) return;
  await writeItem(tx, ctx, write.table, write.storageKey, write.old, write.next);
  await checkCollectionLimit(tx, ctx, write.table, ctx.settings.itemCollectionLimitBytes, write.old, write.next);
}

/** Checks a statement's `?` count against the request's Parameters. */
export function checkParameterCount(stmt: ParsedStatement, params: readonly AttributeValue[]): void {
  if (stmt.parameterCount !== params.length) throw validationError("Number of parameters in request and statement don't match.");
}

/** What a single-item SELECT read. */
export interface SelectedItem {
  table: ItemTable;
  storageKey: Buffer;
  /** The stored item, whatever the WHERE clause says (capacity, ReturnValuesOnConditionCheckFailure). */
  stored: Item | undefined;
  /** The answer: the stored item when the WHERE clause holds, projected. */
  item: Item | undefined;
}

/** The item a single-item SELECT (full primary key in its WHERE clause) reads, for batches and transactions. */
export async function getBySelect(ctx: OperationContext, view: ReadView, stmt: Select, params: readonly AttributeValue[], tables?: TableLoader): Promise<SelectedItem> {
  if (stmt.target.index) throw unsupported('Batch and transaction reads from an index are not supported');
  const table = await loader(ctx, view, tables)(stmt.target.table);
  const key = whereKey(table, stmt.where, params);
  const t = new Translator(params);
  const whereText = stmt.where ? t.condition(stmt.where) : undefined;
  const projectionText = stmt.projection ? stmt.projection.map((p) => t.path(p)).join(', ') : undefined;
  const context = t.context();
  const condition = whereText !== undefined ? compileText('ConditionExpression', whereText, context) : undefined;
  const projection = projectionText !== undefined ? compileProjectionText(projectionText, context) : undefined;
  const storageKey = itemStorageKey(ctx, table, key);
  const stored = await readItem(view, storageKey);
  if (!stored || (condition && !evaluateCondition(condition, stored))) return { table, storageKey, stored, item: undefined };
  return { table, storageKey, stored, item: projection ? project(projection, stored) : stored };
}

export { compileWhere };
