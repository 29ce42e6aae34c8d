/**
 * What Query and Scan share: parameter checks, expression compilation, the Select rules, the table or
 * index read, ExclusiveStartKey, the shape of the returned items and consumed capacity.
 */
import { isAwsError } from '../../errors/aws-error';
import { validationError } from '../../errors/dynamodb-errors';
import type { ReadView } from '../../storage/engine';
import { encodedPrefixRange, extendKey } from '../../storage/tuple-key';
import {
  checkUnusedExpressionAttributes,
  compileCondition,
  compileProjection,
  evaluateCondition,
  project,
  type BoundCondition,
  type CompiledCondition,
  type CompiledProjection,
} from '../expressions';
import { evaluateCondition as evaluateBound } from '../expressions/evaluate-condition';
import type { ReturnConsumedCapacity } from '../items/checks';
import { expressionContext, type ExpressionAttributesInput } from '../items/expressions';
import { pickAttributes } from '../items/legacy';
import { itemStorageKey, decodeItem } from '../items/storage';
import type { ItemTable } from '../items/table';
import { cachedKey, tableItemsPrefix } from '../keys';
import type { Scope } from '../tables/arn';
import {
  validateAttributeValue,
  type AttributeValue,
  type Item,
  type KeyAttribute,
  type ValueCheckLayer,
} from '../values/attribute-value';
import { readCapacityUnits } from '../values/item-size';
import { encodeKeyValue } from '../values/order';
import { entryKeyParts, findIndex, indexPrefix, projectedNames, type IndexDef } from '../indexes/layout';

const INVALID = 'One or more parameter values were invalid: ';
const present = (v: unknown) => v !== undefined && v !== null;

/** Expression and legacy parameters do not mix (KeyConditions alone may travel with expressions). */
export function checkReadParams(input: Record<string, unknown>, expressions: string[], nonExpressions: string[]): void {
  const used = expressions.filter((e) => present(input[e]));
  if (used.length > 0) {
    const legacyNames = nonExpressions.filter((n) => !(n === 'KeyConditions' && !present(input.KeyConditionExpression)));
    const legacy = legacyNames.filter((n) => present(input[n]));
    if (legacy.length > 0) {
      throw validationError(
        'Can not use both expression and non-expression parameters in the same request: ' +
          `Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${used.join(', ')}}`,
      );
    }
  }
  if (present(input.ExpressionAttributeNames) && used.length === 0) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExpressions = expressions.filter((e) => e !== 'ProjectionExpression');
  if (present(input.ExpressionAttributeValues) && !valueExpressions.some((e) => present(input[e]))) {
    throw validationError(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    );
  }
}

export interface ReadExpressionInput extends ExpressionAttributesInput {
  FilterExpression?: string;
  ProjectionExpression?: string;
  KeyConditionExpression?: string;
}

export interface ReadExpressions {
  filter?: CompiledCondition;
  projection?: CompiledProjection;
  keyCondition?: CompiledCondition;
}

/**
 * Names, values (bare for Query, the legacy layer's wrapper for Scan), Filter, Projection, KeyCondition. A null
 * ExpressionAttributeNames counts as absent here.
 */
export function compileReadExpressions(input: ReadExpressionInput, layer: ValueCheckLayer): ReadExpressions {
  const context = expressionContext(input, layer === 'legacy' ? 'legacy' : false);
  const out: ReadExpressions = {};
  if (typeof input.FilterExpression === 'string') out.filter = compileCondition('FilterExpression', input.FilterExpression, context);
  if (typeof input.ProjectionExpression === 'string') out.projection = compileProjection(input.ProjectionExpression, context);
  if (typeof input.KeyConditionExpression === 'string') {
    out.keyCondition = compileCondition('KeyConditionExpression', input.KeyConditionExpression, context);
  }
  checkUnusedExpressionAttributes(context);
  return out;
}

export type SelectMode = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

/**
 * The Select rules that need no table. DynamoDB words them alike for both operations but wraps Query's in its
 * "1 validation error detected: " envelope, and Scan's not (captured from AWS by moto's aws_verified tests;
 * "Querying" stays in Scan's message too).
 */
export function checkSelect(
  operation: 'Query' | 'Scan',
  select: string | undefined,
  projectionParam: string | undefined,
  indexName: string | undefined,
): SelectMode {
  if (select === undefined || select === null) return projectionParam ? 'SPECIFIC_ATTRIBUTES' : indexName ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
  const fail = (message: string) => validationError(operation === 'Query' ? `1 validation error detected: ${message}` : message);
  if (projectionParam && select !== 'SPECIFIC_ATTRIBUTES') {
    throw fail(`Cannot specify the ${projectionParam} when choosing to get ${select === 'COUNT' ? 'only the Count' : select}`);
  }
  if (!projectionParam && select === 'SPECIFIC_ATTRIBUTES') {
    throw fail('Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !indexName) throw fail('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  return select as SelectMode;
}

/** What a read addresses: the table, or one of its indexes. */
export interface ReadSource {
  table: ItemTable;
  index?: IndexDef;
  hash: KeyAttribute;
  range?: KeyAttribute;
}

/** A read of `indexName` by Query, Scan or a PartiQL SELECT (ExecuteStatement). */
export function readSource(
  operation: 'Query' | 'Scan' | 'ExecuteStatement',
  table: ItemTable,
  indexName: string | undefined,
  select: SelectMode,
  consistentRead: boolean | undefined,
): ReadSource {
  if (indexName === undefined || indexName === null) {
    const source: ReadSource = { table, hash: table.schema.hash };
    if (table.schema.range) source.range = table.schema.range;
    return source;
  }
  const index = findIndex(table, indexName);
  if (!index || (index.kind === 'global' && (index.record as { status?: string }).status === 'DELETING')) {
    // ExecuteStatement leaves the name out (moto's aws_verified test); Query and Scan give it.
    throw validationError(`The table does not have the specified index${operation === 'ExecuteStatement' ? '' : `: ${indexName}`}`);
  }
  if (index.kind === 'global' && consistentRead === true) throw validationError('Consistent reads are not supported on global secondary indexes');
  if (select === 'ALL_ATTRIBUTES' && index.kind === 'global' && index.projection.ProjectionType !== 'ALL') {
    throw validationError(`${INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
  // DynamoDB's message, index name included, as users report it from AWS (e.g. "ValidationException: Cannot
  // read from backfilling global secondary index: key-index" in the split.io DynamoDB impressions README).
  if (index.kind === 'global' && (index.record as { status?: string }).status === 'CREATING') {
    throw validationError(`Cannot read from backfilling global secondary index: ${index.name}`);
  }
  const source: ReadSource = { table, index, hash: index.hash };
  if (index.range) source.range = index.range;
  return source;
}

/** The encoded tuple prefix of the source's entries in this account and region. */
export function sourcePrefix(scope: Scope, source: ReadSource): Buffer {
  return cachedKey(source.index ? indexPrefix(scope, source.table.record.id, source.index.name) : tableItemsPrefix(scope.accountId, scope.region, source.table.record.id));
}

/** The encoded prefix of one item collection (the entries of one hash key value) of the source. */
export function partitionPrefix(scope: Scope, source: ReadSource, hash: AttributeValue): Buffer {
  return extendKey(sourcePrefix(scope, source), [encodeKeyValue(hash)]);
}

export function sourceRange(scope: Scope, source: ReadSource): { start: Buffer; end: Buffer } {
  return encodedPrefixRange(sourcePrefix(scope, source));
}

/** The key attributes an ExclusiveStartKey must carry: the table's, then the index's. */
function startKeyAttributes(source: ReadSource): KeyAttribute[] {
  const out: KeyAttribute[] = [source.table.schema.hash];
  if (source.table.schema.range) out.push(source.table.schema.range);
  if (source.index) {
    for (const a of [source.index.hash, source.index.range]) if (a && !out.some((o) => o.name === a.name)) out.push(a);
  }
  return out;
}

/** Values of an ExclusiveStartKey: "The provided starting key is invalid: <problem>". */
export function checkStartKeyValues(key: Record<string, unknown> | undefined, layer: ValueCheckLayer): Item | undefined {
  if (!present(key)) return undefined;
  const out: Item = {};
  for (const name of Object.keys(key!)) {
    try {
      out[name] = validateAttributeValue(key![name], { layer });
    } catch (error) {
      if (isAwsError(error) && error.code === 'ValidationException') throw validationError(`The provided starting key is invalid: ${error.message}`);
      throw error;
    }
  }
  return out;
}

/** The storage key an ExclusiveStartKey stands for, after checking it against the schema. */
export function startKeyStorageKey(scope: Scope, source: ReadSource, key: Item): Buffer {
  const attributes = startKeyAttributes(source);
  const matches = Object.keys(key).length === attributes.length && attributes.every((a) => Object.prototype.hasOwnProperty.call(key, a.name) && a.type in key[a.name]!);
  if (!matches) {
    throw validationError(source.index ? 'The provided starting key is invalid' : 'The provided starting key is invalid: The provided key element does not match the schema');
  }
  if (!source.index) return itemStorageKey(scope, source.table, key);
  return extendKey(sourcePrefix(scope, source), entryKeyParts(source.table, source.index, key));
}

/** The encoded partition key value, for range building. */
export function hashPart(value: AttributeValue): Buffer {
  return encodeKeyValue(value);
}

export interface FilterCheck {
  expression?: CompiledCondition;
  legacy?: BoundCondition;
}

export function matchesFilter(filter: FilterCheck, item: Item): boolean {
  if (filter.expression && !evaluateCondition(filter.expression, item)) return false;
  if (filter.legacy && !evaluateBound(filter.legacy, item)) return false;
  return true;
}

/** Top-level attribute names a bound condition reads. */
export function conditionNames(condition: BoundCondition): Set<string> {
  const names = new Set<string>();
  const operand = (o: any): void => {
    if (!o) return;
    if (o.k === 'path') {
      if (typeof o.path[0] === 'string') names.add(o.path[0]);
    } else if (o.k === 'size') operand(o.arg);
    else if (o.k === 'if_not_exists') {
      if (typeof o.path[0] === 'string') names.add(o.path[0]);
      operand(o.fallback);
    } else if (o.left || o.right) {
      operand(o.left);
      operand(o.right);
    }
  };
  const walk = (c: any): void => {
    switch (c.k) {
      case 'and':
      case 'or':
        walk(c.left);
        walk(c.right);
        return;
      case 'not':
        walk(c.operand);
        return;
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (typeof c.path[0] === 'string') names.add(c.path[0]);
        return;
      case 'compare':
      case 'begins_with':
      case 'contains':
        operand(c.left);
        operand(c.right);
        return;
      case 'between':
        operand(c.operand);
        operand(c.lower);
        operand(c.upper);
        return;
      case 'in':
        operand(c.operand);
        for (const o of c.list) operand(o);
        return;
      case 'attribute_type':
        operand(c.operand);
        return;
    }
  };
  walk(condition);
  return names;
}

/** How returned items are shaped. */
export interface Shaper {
  select: SelectMode;
  projection?: CompiledProjection;
  attributesToGet?: string[];
}

/**
 * Whether the items must come from the table rather than the index: ALL_ATTRIBUTES, or a projection naming
 * attributes a local index does not hold (DynamoDB fetches them from the table).
 */
export function needsTableFetch(source: ReadSource, shaper: Shaper): boolean {
  if (!source.index || source.index.kind !== 'local' || source.index.projection.ProjectionType === 'ALL') return false;
  if (shaper.select === 'ALL_ATTRIBUTES') return true;
  if (shaper.select !== 'SPECIFIC_ATTRIBUTES') return false;
  const names = projectedNames(source.table, source.index)!;
  const wanted = shaper.projection ? shaper.projection.paths.map((p) => p[0]).filter((p): p is string => typeof p === 'string') : shaper.attributesToGet ?? [];
  return wanted.some((n) => !names.has(n));
}

export async function fetchFromTable(view: ReadView, scope: Scope, source: ReadSource, entries: Item[]): Promise<Item[]> {
  const keys = entries.map((e) => itemStorageKey(scope, source.table, e));
  const values = await view.getMany(keys);
  return values.map((v, i) => (v ? decodeItem(v) : entries[i]!));
}

export function shapeItem(shaper: Shaper, item: Item): Item {
  if (shaper.projection) return project(shaper.projection, item);
  if (shaper.attributesToGet) return pickAttributes(item, shaper.attributesToGet);
  return item;
}

export function readConsumedCapacity(
  mode: ReturnConsumedCapacity,
  source: ReadSource,
  bytes: () => number,
  consistent: boolean,
): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const units = readCapacityUnits(bytes(), consistent ? 'strong' : 'eventual');
  const out: Record<string, unknown> = { TableName: source.table.record.name, CapacityUnits: units };
  if (mode === 'INDEXES') {
    if (!source.index) out.Table = { CapacityUnits: units };
    else {
      out.Table = { CapacityUnits: 0 };
      out[source.index.kind === 'local' ? 'LocalSecondaryIndexes' : 'GlobalSecondaryIndexes'] = { [source.index.name]: { CapacityUnits: units } };
    }
  }
  return out;
}
