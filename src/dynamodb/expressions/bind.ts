import type { ExpressionContext } from './attribute-maps';
import { ExpressionProblem, MESSAGES } from './errors';
import { finishTree, formatPath, insertPath, newTree, pathsEqual, setLeaf } from './paths';
import type { ParsedUpdate } from './update-parser';
import { compareScalarValues } from '../values/order';
import type {
  AttributeValue,
  BoundAction,
  BoundCondition,
  BoundOperand,
  ConditionSyntax,
  DocPath,
  OperandSyntax,
  PathSyntax,
  PathTree,
  TypeName,
  ValueSyntax,
} from './types';

/**
 * The second half of DynamoDB's validation: what depends on ExpressionAttributeNames/Values. One walk over the
 * parse tree, operands before their operator (post-order, left to right), stopping at the first problem:
 *
 *  - a document path: more than 32 elements, then each `#name` in turn must be defined;
 *  - a `:value` must be defined;
 *  - an operator or function: number of operands, then each operand's type, then (for comparisons, IN, BETWEEN,
 *    and the functions with two or more operands except list_append) the first operand, if a path, must differ
 *    from the later ones, then the operator's own rules (a path where one is required, BETWEEN bounds, at most
 *    100 IN operands, attribute_type's type name), then at most 300 operators in the expression.
 *
 * An update expression first collects its target paths (validating each, then the overlap/conflict rules), then
 * validates each action's operands and ADD/DELETE value types; both passes go through the actions from the last
 * written to the first, as DynamoDB does. A projection collects its paths the same way.
 */

export const MAX_PATH_DEPTH = 32;
export const MAX_IN_OPERANDS = 100;
export const MAX_OPERATORS = 300;

// Sets of value types as bit masks.
const S = 1;
const N = 2;
const B = 4;
const SS = 8;
const NS = 16;
const BS = 32;
const M = 64;
const L = 128;
const NULL = 256;
const BOOL = 512;
/** The result of a condition (not an attribute value type). */
const BOOLEAN = 1024;
const ALL = 1023;
const ORDERED = S | N | B;
const ITERABLE = S | B | SS | NS | BS | M | L;

const TYPE_BITS: Record<TypeName, number> = { S, N, B, SS, NS, BS, M, L, NULL, BOOL };
const TYPE_NAMES: readonly TypeName[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];
/** How DynamoDB prints "any type" (the order it was observed in; DynamoDB does not fix one). */
const ALL_TYPES_TEXT = '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}';
/** Long type names in ADD/DELETE messages. */
const LONG_TYPE_NAMES: Record<TypeName, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  L: 'LIST',
  M: 'MAP',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};
const ADD_TYPES = N | SS | NS | BS;
const DELETE_TYPES = SS | NS | BS;

export function typeOf(value: AttributeValue): TypeName {
  for (const name of TYPE_NAMES) if (name in value) return name;
  throw new Error('attribute value without a type');
}

interface OperatorRule {
  /** Exact number of operands, or the minimum when `more`. */
  readonly count: number;
  readonly more?: boolean;
  readonly types: number;
  /** Whether the first-operand-must-differ rule applies (DynamoDB: operators that accept missing operands). */
  readonly distinct: boolean;
}

const RULES: Readonly<Record<string, OperatorRule>> = {
  '=': { count: 2, types: ALL, distinct: true },
  '<>': { count: 2, types: ALL, distinct: true },
  '<': { count: 2, types: ORDERED, distinct: true },
  '<=': { count: 2, types: ORDERED, distinct: true },
  '>': { count: 2, types: ORDERED, distinct: true },
  '>=': { count: 2, types: ORDERED, distinct: true },
  BETWEEN: { count: 3, types: ORDERED, distinct: true },
  IN: { count: 1, more: true, types: ALL, distinct: true },
  attribute_exists: { count: 1, types: ALL, distinct: true },
  attribute_not_exists: { count: 1, types: ALL, distinct: true },
  attribute_type: { count: 2, types: ALL, distinct: true },
  contains: { count: 2, types: ALL, distinct: true },
  begins_with: { count: 2, types: S | B, distinct: true },
  size: { count: 1, types: ITERABLE, distinct: true },
  if_not_exists: { count: 2, types: ALL, distinct: true },
  list_append: { count: 2, types: L, distinct: false },
  '+': { count: 2, types: N, distinct: false },
  '-': { count: 2, types: N, distinct: false },
  NOT: { count: 1, types: BOOLEAN, distinct: false },
  AND: { count: 2, types: BOOLEAN, distinct: false },
  OR: { count: 2, types: BOOLEAN, distinct: false },
};

/** The types an operand can evaluate to, as DynamoDB prints them in "operand type: ...". */
const RETURNS: Readonly<Record<string, { types: number; text: string }>> = {
  size: { types: N, text: 'N' },
  '+': { types: N, text: 'N' },
  '-': { types: N, text: 'N' },
  list_append: { types: L, text: 'L' },
  if_not_exists: { types: ALL, text: ALL_TYPES_TEXT },
};

/** A validated operand with what the operator checks need to know about it. */
interface Checked {
  readonly bound: BoundOperand;
  readonly types: number;
  readonly text: string;
  readonly path?: DocPath;
  readonly value?: AttributeValue;
}

const CONDITION_OPERAND: Checked = {
  bound: { k: 'value', value: { NULL: true } },
  types: BOOLEAN,
  text: 'BOOL',
};

export class Binder {
  private operators = 0;
  /** Top-level attributes reached through `.` or `[n]` somewhere in the expression (for the key checks). */
  readonly nestedTopLevel = new Set<string>();

  constructor(private readonly context: ExpressionContext) {}

  // -------------------------------------------------------------------------------------------------------------
  // Paths and values
  // -------------------------------------------------------------------------------------------------------------

  path(path: PathSyntax): DocPath {
    const elements = path.elements;
    if (elements.length > MAX_PATH_DEPTH) throw new ExpressionProblem(MESSAGES.pathTooDeep(elements.length));
    const resolved: (string | number)[] = new Array(elements.length);
    for (let i = 0; i < elements.length; i++) {
      const element = elements[i]!;
      if (element.kind === 'id') resolved[i] = element.name;
      else if (element.kind === 'index') resolved[i] = element.index;
      else {
        const name = this.context.name(element.name);
        if (name === undefined) throw new ExpressionProblem(MESSAGES.nameUndefined(element.name));
        resolved[i] = name;
      }
    }
    if (resolved.length > 1) this.nestedTopLevel.add(resolved[0] as string);
    return resolved;
  }

  value(value: ValueSyntax): AttributeValue {
    const resolved = this.context.value(value.name);
    if (resolved === undefined) throw new ExpressionProblem(MESSAGES.valueUndefined(value.name));
    return resolved;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Operands and operators
  // -------------------------------------------------------------------------------------------------------------

  private operand(operand: OperandSyntax): Checked {
    switch (operand.type) {
      case 'path': {
        const path = this.path(operand);
        return { bound: { k: 'path', path }, types: ALL, text: ALL_TYPES_TEXT, path };
      }
      case 'value': {
        const value = this.value(operand);
        const type = typeOf(value);
        return { bound: { k: 'value', value }, types: TYPE_BITS[type], text: type, value };
      }
      case 'arith': {
        const left = this.operand(operand.left);
        const right = this.operand(operand.right);
        this.operator(operand.op, [left, right]);
        return { bound: { k: operand.op, left: left.bound, right: right.bound }, ...RETURNS[operand.op]! };
      }
      case 'call': {
        const args = operand.args.map((arg) => this.operand(arg));
        const name = operand.name;
        this.operator(name, args);
        // The walk before binding allows only size (conditions) and if_not_exists/list_append (updates) here.
        const returns = RETURNS[name]!;
        if (name === 'size') return { bound: { k: 'size', arg: args[0]!.bound }, ...returns };
        if (name === 'if_not_exists') return { bound: { k: 'if_not_exists', path: args[0]!.path!, fallback: args[1]!.bound }, ...returns };
        return { bound: { k: 'list_append', left: args[0]!.bound, right: args[1]!.bound }, ...returns };
      }
    }
  }

  /** DynamoDB's checks of one operator or function, its operands already validated. */
  private operator(name: string, operands: readonly Checked[]): void {
    const rule = RULES[name]!;
    const count = operands.length;
    if (rule.more ? count < rule.count : count !== rule.count) throw new ExpressionProblem(MESSAGES.operandCount(name, count));
    for (const operand of operands) {
      if ((operand.types & rule.types) === 0) throw new ExpressionProblem(MESSAGES.operandType(name, operand.text));
    }
    const first = operands[0]!.path;
    if (rule.distinct && count > 1 && first !== undefined) {
      for (let i = 1; i < count; i++) {
        const later = operands[i]!.path;
        if (later !== undefined && pathsEqual(first, later)) throw new ExpressionProblem(MESSAGES.distinct(name, formatPath(first)));
      }
    }
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
      case 'if_not_exists':
        if (first === undefined) throw new ExpressionProblem(MESSAGES.requiresPath(name));
        break;
      case 'attribute_type': {
        const type = operands[1]!;
        if (type.value === undefined || !('S' in type.value)) throw new ExpressionProblem(MESSAGES.operandType(name, type.text));
        if (!Object.prototype.hasOwnProperty.call(TYPE_BITS, type.value.S)) throw new ExpressionProblem(MESSAGES.invalidTypeName(type.value.S));
        break;
      }
      case 'BETWEEN': {
        const lower = operands[1]!.value;
        const upper = operands[2]!.value;
        if (lower !== undefined && upper !== undefined) {
          if (typeOf(lower) !== typeOf(upper)) throw new ExpressionProblem(MESSAGES.betweenTypes(printValue(lower), printValue(upper)));
          if ((compareScalarValues(lower, upper) ?? 0) > 0) {
            throw new ExpressionProblem(MESSAGES.betweenOrder(printValue(lower), printValue(upper)));
          }
        }
        break;
      }
      case 'IN':
        if (count - 1 > MAX_IN_OPERANDS) throw new ExpressionProblem(MESSAGES.tooManyInOperands(count - 1));
        break;
    }
    if (++this.operators > MAX_OPERATORS) throw new ExpressionProblem(MESSAGES.tooManyOperators(this.operators));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Conditions
  // -------------------------------------------------------------------------------------------------------------

  condition(condition: ConditionSyntax): BoundCondition {
    switch (condition.type) {
      case 'compare': {
        const left = this.operand(condition.left);
        const right = this.operand(condition.right);
        this.operator(condition.op, [left, right]);
        return { k: 'compare', op: condition.op, left: left.bound, right: right.bound };
      }
      case 'between': {
        const operands = [this.operand(condition.operand), this.operand(condition.lower), this.operand(condition.upper)];
        this.operator('BETWEEN', operands);
        return { k: 'between', operand: operands[0]!.bound, lower: operands[1]!.bound, upper: operands[2]!.bound };
      }
      case 'in': {
        const operands = [this.operand(condition.operand)];
        for (const operand of condition.list) operands.push(this.operand(operand));
        this.operator('IN', operands);
        return { k: 'in', operand: operands[0]!.bound, list: operands.slice(1).map((operand) => operand.bound) };
      }
      case 'function': {
        const name = condition.call.name;
        const args = condition.call.args.map((arg) => this.operand(arg));
        this.operator(name, args);
        switch (name) {
          case 'attribute_exists':
          case 'attribute_not_exists':
            return { k: name, path: args[0]!.path! };
          case 'attribute_type':
            return { k: 'attribute_type', operand: args[0]!.bound, typeName: (args[1]!.value as { S: string }).S };
          default:
            return { k: name as 'begins_with' | 'contains', left: args[0]!.bound, right: args[1]!.bound };
        }
      }
      case 'not': {
        const operand = this.condition(condition.operand);
        this.operator('NOT', [CONDITION_OPERAND]);
        return { k: 'not', operand };
      }
      case 'and':
      case 'or': {
        const left = this.condition(condition.left);
        const right = this.condition(condition.right);
        this.operator(condition.type === 'and' ? 'AND' : 'OR', [CONDITION_OPERAND, CONDITION_OPERAND]);
        return { k: condition.type, left, right };
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Updates and projections
  // -------------------------------------------------------------------------------------------------------------

  update(parsed: ParsedUpdate): { tree: PathTree<BoundAction>; paths: DocPath[] } {
    const actions = parsed.actions;
    const tree = newTree<BoundAction | null>();
    const paths: DocPath[] = new Array(actions.length);
    for (let i = actions.length - 1; i >= 0; i--) {
      const path = this.path(actions[i]!.path);
      paths[i] = path;
      insertPath(tree, path, null);
    }
    for (let i = actions.length - 1; i >= 0; i--) {
      const action = actions[i]!;
      let bound: BoundAction;
      if (action.clause === 'SET') {
        bound = { clause: 'SET', value: this.operand(action.value).bound };
      } else if (action.clause === 'REMOVE') {
        bound = { clause: 'REMOVE' };
      } else {
        const value = this.value(action.value);
        const type = typeOf(value);
        if ((TYPE_BITS[type] & (action.clause === 'ADD' ? ADD_TYPES : DELETE_TYPES)) === 0) {
          throw new ExpressionProblem(MESSAGES.actionOperandType(action.clause, LONG_TYPE_NAMES[type]));
        }
        bound = { clause: action.clause, value };
      }
      setLeaf(tree, paths[i]!, bound);
    }
    finishTree(tree);
    return { tree: tree as PathTree<BoundAction>, paths };
  }

  projection(paths: readonly PathSyntax[]): { tree: PathTree<null>; paths: DocPath[] } {
    const tree = newTree<null>();
    const resolved: DocPath[] = new Array(paths.length);
    for (let i = paths.length - 1; i >= 0; i--) {
      resolved[i] = this.path(paths[i]!);
      insertPath(tree, resolved[i]!, null);
    }
    finishTree(tree);
    return { tree, paths: resolved };
  }
}

/** How DynamoDB prints a value in BETWEEN messages: `AttributeValue: {N:1}`. */
function printValue(value: AttributeValue): string {
  const type = typeOf(value);
  return `AttributeValue: {${type}:${String((value as Record<string, unknown>)[type])}}`;
}
