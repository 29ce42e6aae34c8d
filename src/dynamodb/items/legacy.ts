/**
 * The legacy (non-expression) parameters: Expected with ConditionalOperator, AttributesToGet and
 * AttributeUpdates. Expected is translated into the expression engine's bound condition, so both condition
 * forms are evaluated by one evaluator.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { BoundCondition, BoundOperand, Comparator } from '../expressions';
import { attributeType, type AttributeValue, type Item } from '../values/attribute-value';
import { addNumberText, compareNumberText } from '../values/number';
import { attributeValuesEqual, compareScalarValues } from '../values/order';
import { checkedValue } from './checks';

const INVALID = 'One or more parameter values were invalid: ';

export interface ExpectedAttributeValue {
  Value?: unknown;
  Exists?: boolean;
  ComparisonOperator?: string;
  AttributeValueList?: unknown[];
}

/** How many values each ComparisonOperator takes (Expected, KeyConditions, Conditions maps). */
const ARG_COUNT: Record<string, (n: number) => boolean> = {
  EQ: (n) => n === 1,
  NE: (n) => n === 1,
  LE: (n) => n === 1,
  LT: (n) => n === 1,
  GE: (n) => n === 1,
  GT: (n) => n === 1,
  CONTAINS: (n) => n === 1,
  NOT_CONTAINS: (n) => n === 1,
  BEGINS_WITH: (n) => n === 1,
  NOT_NULL: (n) => n === 0,
  NULL: (n) => n === 0,
  IN: (n) => n > 0,
  BETWEEN: (n) => n === 2,
};

/** The value types each ComparisonOperator takes in Expected. */
const ALLOWED_TYPES: Record<string, readonly string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'BOOL', 'NULL'],
  NE: ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'BOOL', 'NULL'],
  LE: ['S', 'N', 'B'],
  LT: ['S', 'N', 'B'],
  GE: ['S', 'N', 'B'],
  GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L'],
  NOT_CONTAINS: ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L'],
  BEGINS_WITH: ['S', 'B'],
  IN: ['S', 'N', 'B'],
  BETWEEN: ['S', 'N', 'B'],
};

const COMPARATOR: Record<string, Comparator> = { EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' };

/** A ComparisonOperator given a number of values it does not take (ARG_COUNT) is refused. */
export function checkArgumentCount(op: string, count: number): void {
  if (!(ARG_COUNT[op]?.(count) ?? false)) {
    throw validationError(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
}

/**
 * The checks on a ComparisonOperator's checked values, in DynamoDB's order: all of one type, each of a type the
 * operator takes (`allowed`, per operator; an operator not listed takes any), and BETWEEN's bounds in order.
 */
export function checkConditionValues(op: string, values: readonly AttributeValue[], allowed: Record<string, readonly string[]>): void {
  if (values.length > 1) {
    const first = attributeType(values[0]!);
    if (values.some((v) => attributeType(v) !== first)) {
      throw validationError(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
    }
  }
  const types = allowed[op];
  if (types) {
    for (const v of values) {
      const type = attributeType(v);
      if (!types.includes(type)) throw validationError(`${INVALID}ComparisonOperator ${op} is not valid for ${type} AttributeValue type`);
    }
  }
  if (op === 'BETWEEN' && (compareScalarValues(values[0]!, values[1]!) ?? 0) > 0) {
    throw validationError('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

/**
 * Checks an Expected map and returns it as one bound condition (undefined when there is no Expected).
 * Value errors are reported in the operation's envelope (`wrapValues`).
 */
export function compileExpected(
  expected: Record<string, ExpectedAttributeValue> | undefined | null,
  conditionalOperator: string | undefined,
  wrapValues: boolean,
): BoundCondition | undefined {
  if (expected === undefined || expected === null) return undefined;
  const parts: BoundCondition[] = [];
  for (const name of Object.keys(expected)) {
    const condition = expected[name] ?? {};
    const has = (member: keyof ExpectedAttributeValue) => condition[member] !== undefined && condition[member] !== null;
    const path: BoundOperand = { k: 'path', path: [name] };
    if (has('AttributeValueList') && has('Value')) {
      throw validationError(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    }
    if (has('ComparisonOperator')) {
      const op = condition.ComparisonOperator!;
      if (has('Exists')) throw validationError(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      const raw = has('AttributeValueList') ? condition.AttributeValueList! : has('Value') ? [condition.Value] : [];
      checkArgumentCount(op, raw.length);
      const values = raw.map((v) => checkedValue(v, wrapValues));
      checkConditionValues(op, values, ALLOWED_TYPES);
      parts.push(operatorCondition(op, path, values));
    } else if (has('AttributeValueList')) {
      throw validationError(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
    } else {
      const exists = condition.Exists === undefined || condition.Exists === null || condition.Exists;
      if (exists && !has('Value')) {
        throw validationError(
          condition.Exists === true
            ? `${INVALID}Exists is set to TRUE for attribute ${name}, Value must also be set`
            : `${INVALID}Value must be provided when Exists is null for Attribute: ${name}`,
        );
      }
      if (!exists && has('Value')) throw validationError(`${INVALID}Value cannot be used when Exists is false for attribute ${name}`);
      if (exists) {
        const value = checkedValue(condition.Value, wrapValues);
        parts.push({ k: 'compare', op: '=', left: path, right: { k: 'value', value } });
      } else {
        parts.push({ k: 'attribute_not_exists', path: [name] });
      }
    }
  }
  if (parts.length === 0) return undefined;
  const k = conditionalOperator === 'OR' ? 'or' : 'and';
  return parts.reduce((left, right) => ({ k, left, right }));
}

function operatorCondition(op: string, path: BoundOperand, values: AttributeValue[]): BoundCondition {
  const value = (v: AttributeValue): BoundOperand => ({ k: 'value', value: v });
  const comparator = COMPARATOR[op];
  if (comparator) return { k: 'compare', op: comparator, left: path, right: value(values[0]!) };
  const attribute = (path as { path: readonly (string | number)[] }).path;
  switch (op) {
    case 'NOT_NULL':
      return { k: 'attribute_exists', path: attribute };
    case 'NULL':
      return { k: 'attribute_not_exists', path: attribute };
    case 'CONTAINS':
      return { k: 'contains', left: path, right: value(values[0]!) };
    case 'NOT_CONTAINS':
      // The attribute must exist and not contain the value.
      return {
        k: 'and',
        left: { k: 'attribute_exists', path: attribute },
        right: { k: 'not', operand: { k: 'contains', left: path, right: value(values[0]!) } },
      };
    case 'BEGINS_WITH':
      return { k: 'begins_with', left: path, right: value(values[0]!) };
    case 'IN':
      return { k: 'in', operand: path, list: values.map(value) };
    case 'BETWEEN':
      return { k: 'between', operand: path, lower: value(values[0]!), upper: value(values[1]!) };
  }
  throw validationError(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
}

/** AttributesToGet: duplicates are refused; the result keeps the listed top-level attributes. */
export function checkAttributesToGet(names: string[] | undefined | null): void {
  if (!names) return;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw validationError(`${INVALID}Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
}

export function pickAttributes(item: Item, names: readonly string[]): Item {
  const out: Item = {};
  for (const name of names) if (Object.prototype.hasOwnProperty.call(item, name)) out[name] = item[name]!;
  return out;
}

export interface AttributeValueUpdate {
  Value?: unknown;
  Action?: 'PUT' | 'ADD' | 'DELETE' | string;
}

export interface CheckedAttributeUpdate {
  name: string;
  action: 'PUT' | 'ADD' | 'DELETE';
  value?: AttributeValue;
}

/** Checks AttributeUpdates (values in the operation's envelope) and returns them in order. */
export function checkAttributeUpdates(updates: Record<string, AttributeValueUpdate> | undefined | null, wrapValues: boolean): CheckedAttributeUpdate[] {
  if (!updates) return [];
  const out: CheckedAttributeUpdate[] = [];
  for (const name of Object.keys(updates)) {
    const update = updates[name] ?? {};
    const action = (update.Action ?? 'PUT') as CheckedAttributeUpdate['action'];
    const value = update.Value === undefined || update.Value === null ? undefined : checkedValue(update.Value, wrapValues);
    if (value === undefined && action !== 'DELETE') {
      throw validationError(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
    }
    if (value !== undefined && action === 'DELETE') {
      const type = attributeType(value);
      if (type !== 'SS' && type !== 'NS' && type !== 'BS') throw validationError(`${INVALID}DELETE action with value is not supported for the type ${type}`);
    }
    if (value !== undefined && action === 'ADD') {
      const type = attributeType(value);
      if (!['L', 'SS', 'NS', 'BS', 'N'].includes(type)) throw validationError(`${INVALID}ADD action is not supported for the type ${type}`);
    }
    out.push(value === undefined ? { name, action } : { name, action, value });
  }
  return out;
}

const TYPE_MISMATCH = 'Type mismatch for attribute to update';

/** Applies checked AttributeUpdates to an item (the stored one, or the Key alone). */
export function applyAttributeUpdates(item: Item, updates: readonly CheckedAttributeUpdate[]): Item {
  const next: Item = { ...item };
  for (const { name, action, value } of updates) {
    const current = Object.prototype.hasOwnProperty.call(next, name) ? next[name] : undefined;
    if (action === 'PUT') {
      next[name] = value!;
    } else if (action === 'DELETE') {
      if (value === undefined) {
        delete next[name];
      } else if (current !== undefined) {
        const type = attributeType(value);
        if (attributeType(current) !== type) throw validationError(`${INVALID}${TYPE_MISMATCH}`);
        const remove = (value as Record<string, string[]>)[type]!;
        const members = (current as Record<string, string[]>)[type]!.filter((m) => !remove.some((r) => attributeValuesEqual({ [type]: [m] } as AttributeValue, { [type]: [r] } as AttributeValue)));
        if (members.length === 0) delete next[name];
        else next[name] = { [type]: members } as AttributeValue;
      }
    } else {
      const type = attributeType(value!);
      if (current === undefined) {
        next[name] = value!;
      } else if (attributeType(current) !== type) {
        throw validationError(`${INVALID}${TYPE_MISMATCH}`);
      } else if (type === 'N') {
        next[name] = { N: addNumberText((current as { N: string }).N, (value as { N: string }).N) };
      } else if (type === 'L') {
        next[name] = { L: [...(current as { L: AttributeValue[] }).L, ...(value as { L: AttributeValue[] }).L] };
      } else {
        const existing = (current as Record<string, string[]>)[type]!;
        const added = (value as Record<string, string[]>)[type]!;
        const same = (a: string, b: string) => (type === 'NS' ? compareNumberText(a, b) === 0 : a === b);
        const members = [...existing];
        for (const m of added) if (!members.some((e) => same(e, m))) members.push(m);
        next[name] = { [type]: members } as AttributeValue;
      }
    }
  }
  return next;
}

/**
 * The item AttributeUpdates leave: applied to the stored item, or to the key when there is none. Updates that
 * only DELETE from an absent item create nothing (undefined).
 */
export function attributeUpdatedItem(updates: readonly CheckedAttributeUpdate[], key: Item, old: Item | undefined): Item | undefined {
  const next = applyAttributeUpdates(old ?? { ...key }, updates);
  const removesOnly = updates.length > 0 && updates.every((u) => u.action === 'DELETE');
  return old || !removesOnly ? next : undefined;
}

/** The top-level attribute names AttributeUpdates touches, for UPDATED_OLD / UPDATED_NEW. */
export function updatedNames(updates: readonly CheckedAttributeUpdate[]): string[] {
  return updates.map((u) => u.name);
}
