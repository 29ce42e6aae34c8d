import { valueAt } from './paths';
import { attributeValuesEqual, compareScalarValues, decodeBinary } from '../values/order';
import type { AttributeValue, BoundCondition, BoundOperand, Comparator, Item } from './types';

/**
 * Evaluates a bound condition (ConditionExpression, FilterExpression) against an item; pass `{}` when there is
 * no item. DynamoDB's semantics:
 *
 *  - A path that leads nowhere is "missing". `=` is true only for two present, equal values (type-sensitive,
 *    deep; sets ignore order); `<>` is its negation (so true when either side is missing).
 *  - `<`, `<=`, `>`, `>=`, BETWEEN relate two values of the same type among S (UTF-8 byte order), N (numeric)
 *    and B (unsigned bytes); otherwise false. `a BETWEEN b AND c` is `a >= b AND a <= c`.
 *  - IN is `=` against any of the list.
 *  - begins_with: two S (prefix) or two B (byte prefix). contains: S in S (substring), B in B (bytes), a
 *    member of SS/NS/BS of the matching scalar type, or an element of a list equal to the operand.
 *  - attribute_type: present and of the named type.
 *  - size: string length in UTF-16 code units, bytes of B, members of a set, elements of L or M; missing
 *    for a missing operand and for N, BOOL, NULL.
 */
export function evaluateCondition(condition: BoundCondition, item: Item): boolean {
  switch (condition.k) {
    case 'compare':
      return compare(condition.op, operandValue(condition.left, item), operandValue(condition.right, item));
    case 'between': {
      const value = operandValue(condition.operand, item);
      const lower = operandValue(condition.lower, item);
      const upper = operandValue(condition.upper, item);
      if (value === undefined || lower === undefined || upper === undefined) return false;
      const low = compareScalarValues(value, lower);
      if (low === undefined || low < 0) return false;
      const high = compareScalarValues(value, upper);
      return high !== undefined && high <= 0;
    }
    case 'in': {
      const value = operandValue(condition.operand, item);
      if (value === undefined) return false;
      for (const candidate of condition.list) {
        const other = operandValue(candidate, item);
        if (other !== undefined && attributeValuesEqual(value, other)) return true;
      }
      return false;
    }
    case 'attribute_exists':
      return valueAt(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return valueAt(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = operandValue(condition.operand, item);
      return value !== undefined && condition.typeName in value;
    }
    case 'begins_with': {
      const value = operandValue(condition.left, item);
      const prefix = operandValue(condition.right, item);
      if (value === undefined || prefix === undefined) return false;
      if ('S' in value) return 'S' in prefix && value.S.startsWith(prefix.S);
      if ('B' in value) {
        if (!('B' in prefix)) return false;
        const bytes = decodeBinary(value.B);
        const start = decodeBinary(prefix.B);
        return start.length <= bytes.length && bytes.subarray(0, start.length).equals(start);
      }
      return false;
    }
    case 'contains':
      return contains(operandValue(condition.left, item), operandValue(condition.right, item));
    case 'not':
      return !evaluateCondition(condition.operand, item);
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
  }
}

/** The value of an operand of a condition, or undefined when missing. */
export function operandValue(operand: BoundOperand, item: Item): AttributeValue | undefined {
  switch (operand.k) {
    case 'value':
      return operand.value;
    case 'path':
      return valueAt(item, operand.path);
    case 'size': {
      const value = operandValue(operand.arg, item);
      if (value === undefined) return undefined;
      const size = sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
    default:
      // Update-only operators never reach a condition.
      return undefined;
  }
}

/** size(): undefined for the types it does not measure. */
export function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return value.S.length;
  if ('B' in value) return decodeBinary(value.B).length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

function compare(op: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (op === '=' || op === '<>') {
    const equal = left !== undefined && right !== undefined && attributeValuesEqual(left, right);
    return op === '=' ? equal : !equal;
  }
  if (left === undefined || right === undefined) return false;
  const order = compareScalarValues(left, right);
  if (order === undefined) return false;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

function contains(container: AttributeValue | undefined, part: AttributeValue | undefined): boolean {
  if (container === undefined || part === undefined) return false;
  if ('S' in container) return 'S' in part && container.S.includes(part.S);
  if ('B' in container) return 'B' in part && decodeBinary(container.B).includes(decodeBinary(part.B));
  if ('L' in container) {
    for (const element of container.L) if (attributeValuesEqual(element, part)) return true;
    return false;
  }
  if ('SS' in container) return 'S' in part && container.SS.includes(part.S);
  if ('NS' in container) {
    if (!('N' in part)) return false;
    for (const member of container.NS) if (attributeValuesEqual({ N: member }, part)) return true;
    return false;
  }
  if ('BS' in container) {
    if (!('B' in part)) return false;
    for (const member of container.BS) if (attributeValuesEqual({ B: member }, part)) return true;
    return false;
  }
  return false;
}
