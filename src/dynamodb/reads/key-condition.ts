/**
 * Query's key condition, from a KeyConditionExpression or legacy KeyConditions, as one condition per key
 * attribute; then checked against the key schema of the table or index queried and turned into the storage
 * range to read. Messages are DynamoDB's.
 */
import { validationError } from '../../errors/dynamodb-errors';
import { encodedPrefixRange, extendKey } from '../../storage/tuple-key';
import type { BoundCondition, BoundOperand } from '../expressions';
import { checkedValue } from '../items/checks';
import { checkArgumentCount, checkConditionValues } from '../items/legacy';
import { KEY_MESSAGES, type AttributeValue, type KeyAttribute } from '../values/attribute-value';
import { compareScalarValues, encodeKeyValue } from '../values/order';

export type KeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH' | 'NULL' | 'NOT_NULL' | 'CONTAINS' | 'NOT_CONTAINS' | 'IN' | 'NE';

export interface KeyCondition {
  op: KeyOperator;
  values: AttributeValue[];
}

export type KeyConditions = Map<string, KeyCondition>;

const INVALID = 'One or more parameter values were invalid: ';

const FLIP: Record<string, KeyOperator> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
const SAME: Record<string, KeyOperator> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

function hasNested(operand: BoundOperand): boolean {
  return operand.k !== 'path' && operand.k !== 'value';
}

/** The KeyConditionExpression's conditions, one per attribute. */
export function keyConditionsFromExpression(condition: BoundCondition): KeyConditions {
  const out: KeyConditions = new Map();
  const add = (name: string, op: KeyOperator, values: AttributeValue[]) => {
    if (out.has(name)) throw validationError('KeyConditionExpressions must only contain one condition per key');
    out.set(name, { op, values });
  };
  const attributeOf = (operands: BoundOperand[]): { name?: string; index: number } => {
    let name: string | undefined;
    let index = 0;
    operands.forEach((operand, i) => {
      if (hasNested(operand)) throw validationError('KeyConditionExpressions cannot contain nested operations');
      if (operand.k !== 'path') return;
      if (name !== undefined) throw validationError('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
      if (operand.path.length > 1 || typeof operand.path[0] !== 'string') throw validationError('KeyConditionExpressions cannot have conditions on nested attributes');
      name = operand.path[0];
      index = i;
    });
    return name === undefined ? { index } : { name, index };
  };
  const values = (operands: BoundOperand[]) => operands.filter((o): o is { k: 'value'; value: AttributeValue } => o.k === 'value').map((o) => o.value);
  const walk = (c: BoundCondition): void => {
    switch (c.k) {
      case 'and':
        walk(c.left);
        walk(c.right);
        return;
      case 'or':
      case 'not':
      case 'in':
        throw validationError(`Invalid operator used in KeyConditionExpression: ${c.k.toUpperCase()}`);
      case 'attribute_exists':
      case 'attribute_not_exists':
      case 'contains':
        throw validationError(`Invalid operator used in KeyConditionExpression: ${c.k}`);
      case 'attribute_type':
        throw validationError('Invalid operator used in KeyConditionExpression: attribute_type');
      case 'compare': {
        if (c.op === '<>') throw validationError('Invalid operator used in KeyConditionExpression: <>');
        const { name, index } = attributeOf([c.left, c.right]);
        if (name === undefined) throw validationError('Invalid condition in KeyConditionExpression: No key attribute specified');
        add(name, (index === 0 ? SAME : FLIP)[c.op]!, values([c.left, c.right]));
        return;
      }
      case 'between': {
        if (c.operand.k !== 'path') {
          if (hasNested(c.operand)) throw validationError('KeyConditionExpressions cannot contain nested operations');
          throw validationError('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
        }
        const { name } = attributeOf([c.operand, c.lower, c.upper]);
        add(name!, 'BETWEEN', values([c.lower, c.upper]));
        return;
      }
      case 'begins_with': {
        if (c.left.k !== 'path') {
          if (hasNested(c.left)) throw validationError('KeyConditionExpressions cannot contain nested operations');
          throw validationError('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
        }
        const { name } = attributeOf([c.left, c.right]);
        add(name!, 'BEGINS_WITH', values([c.right]));
        return;
      }
    }
  };
  walk(condition);
  return out;
}

/** The key value types each ComparisonOperator takes in KeyConditions (narrower than Expected's). */
const ALLOWED: Record<string, readonly string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS'], NE: ['S', 'N', 'B', 'SS', 'NS', 'BS'],
  LE: ['S', 'N', 'B'], LT: ['S', 'N', 'B'], GE: ['S', 'N', 'B'], GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'], NOT_CONTAINS: ['S', 'N', 'B'], BEGINS_WITH: ['S', 'B'], IN: ['S', 'N', 'B'], BETWEEN: ['S', 'N', 'B'],
};

export interface LegacyCondition {
  ComparisonOperator?: string;
  AttributeValueList?: unknown[];
}

/** Legacy KeyConditions, checked as DynamoDB checks a Conditions map. */
export function keyConditionsFromLegacy(conditions: Record<string, LegacyCondition>): KeyConditions {
  const out: KeyConditions = new Map();
  for (const name of Object.keys(conditions)) {
    const condition = conditions[name] ?? {};
    const op = condition.ComparisonOperator ?? '';
    const values = (condition.AttributeValueList ?? []).map((v) => checkedValue(v, false));
    checkArgumentCount(op, values.length);
    checkConditionValues(op, values, ALLOWED);
    out.set(name, { op: op as KeyOperator, values });
  }
  return out;
}

export interface KeyPlan {
  hash: AttributeValue;
  range?: KeyCondition;
}

/** Checks the conditions against the key schema queried (table or index), in DynamoDB's order. */
export function planKeyConditions(conditions: KeyConditions, hash: KeyAttribute, range: KeyAttribute | undefined): KeyPlan {
  const schema = range ? [hash, range] : [hash];
  for (const element of schema) {
    if (!conditions.has(element.name)) throw validationError(`Query condition missed key schema element: ${element.name}`);
    if (conditions.size <= 1) break;
  }
  for (const condition of conditions.values()) {
    if (['NULL', 'NOT_NULL', 'CONTAINS', 'NOT_CONTAINS', 'IN', 'NE'].includes(condition.op)) {
      throw validationError('Attempted conditional constraint is not an indexable operation');
    }
  }
  const hashCondition = conditions.get(hash.name)!;
  if (hashCondition.op !== 'EQ' || (!range && conditions.size > 1)) throw validationError('Query key condition not supported');
  for (const name of conditions.keys()) {
    if (name !== hash.name && name !== range?.name) throw validationError('Query key condition not supported');
  }
  const typeOk = (attribute: KeyAttribute, c: KeyCondition) => c.values.every((v) => attribute.type in v);
  if (!typeOk(hash, hashCondition)) throw validationError(`${INVALID}Condition parameter type does not match schema type`);
  const hashValue = hashCondition.values[0]!;
  if ('S' in hashValue && hashValue.S === '') throw validationError(KEY_MESSAGES.emptyString(hash.name));
  if ('B' in hashValue && hashValue.B === '') throw validationError(KEY_MESSAGES.emptyBinary(hash.name));
  const plan: KeyPlan = { hash: hashValue };
  const rangeCondition = range && conditions.get(range.name);
  if (range && rangeCondition) {
    // begins_with on a number sort key ends here or earlier: a number operand is refused by the expression's
    // operand check ("Incorrect operand type ... begins_with, operand type: N", the message ElectroDB's tests
    // expect from DynamoDB Local) or by KeyConditions' BEGINS_WITH rule, a string one by this type check.
    if (!typeOk(range, rangeCondition)) throw validationError(`${INVALID}Condition parameter type does not match schema type`);
    plan.range = rangeCondition;
  }
  return plan;
}

/** Whether a sort key value satisfies the range condition. */
export function rangeMatches(condition: KeyCondition, value: AttributeValue): boolean {
  const [a, b] = condition.values;
  const cmp = (x: AttributeValue) => compareScalarValues(value, x) ?? NaN;
  switch (condition.op) {
    case 'EQ': return cmp(a!) === 0;
    case 'LT': return cmp(a!) < 0;
    case 'LE': return cmp(a!) <= 0;
    case 'GT': return cmp(a!) > 0;
    case 'GE': return cmp(a!) >= 0;
    case 'BETWEEN': return cmp(a!) >= 0 && cmp(b!) <= 0;
    case 'BEGINS_WITH': return encodeKeyValue(value).subarray(0, encodeKeyValue(a!).length).equals(encodeKeyValue(a!));
    default: return false;
  }
}

/** The smallest byte string greater than every string starting with `prefix` (undefined: none). */
function prefixSuccessor(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1]!++;
  return out;
}

/**
 * The storage range holding the entries whose key starts with `base` (the encoded prefix and hash key, see
 * partitionPrefix) and whose next component (the sort key) satisfies `range`.
 */
export function keyRange(base: Buffer, range: KeyCondition | undefined): { start: Buffer; end: Buffer } {
  const all = encodedPrefixRange(base);
  if (!range) return all;
  const at = (v: AttributeValue) => extendKey(base, [encodeKeyValue(v)]);
  const after = (v: AttributeValue) => encodedPrefixRange(at(v)).end;
  const [a, b] = range.values;
  switch (range.op) {
    case 'EQ': return { start: at(a!), end: after(a!) };
    case 'LT': return { start: all.start, end: at(a!) };
    case 'LE': return { start: all.start, end: after(a!) };
    case 'GT': return { start: after(a!), end: all.end };
    case 'GE': return { start: at(a!), end: all.end };
    case 'BETWEEN': return { start: at(a!), end: after(b!) };
    case 'BEGINS_WITH': {
      // The component's bytes as encodeKey writes them, without the terminator.
      const full = at(a!);
      const start = full.subarray(0, full.length - 1);
      return { start, end: prefixSuccessor(start) ?? all.end };
    }
    default: return all;
  }
}
