/**
 * PartiQL expressions in DynamoDB's own expression language: a WHERE clause becomes a condition expression,
 * SET / REMOVE clauses an update expression, a select list a projection expression, each with generated
 * `#nN` / `:vN` placeholders, so compiling, evaluating and applying them is the expression modules' work
 * (`../expressions`), with the semantics every other operation has.
 */
import { isAwsError } from '../../errors/aws-error';
import { validationError } from '../../errors/dynamodb-errors';
import { ExpressionContext, compileCondition, compileProjection, compileUpdate, type CompiledCondition, type CompiledProjection, type CompiledUpdate } from '../expressions';
import type { AttributeValue, Item } from '../values/attribute-value';
import { validateAttributeValue } from '../values/attribute-value';
import { canonicalNumber } from '../values/number';
import { unsupported, wellFormed } from './errors';
import type { Expr, PathElement, UpdateAction } from './parser';

const CONSTANT = new Set(['string', 'number', 'bool', 'null', 'param', 'list', 'bag', 'map']);

/** Whether the expression is a value (a literal, a parameter, or a list / map / set of them). */
export function isConstant(expr: Expr): boolean {
  if (!CONSTANT.has(expr.t)) return false;
  if (expr.t === 'list' || expr.t === 'bag') return expr.items.every(isConstant);
  if (expr.t === 'map') return expr.entries.every(([k, v]) => isConstant(k) && isConstant(v));
  return true;
}

/** The AttributeValue a constant expression stands for. */
export function constantValue(expr: Expr, params: readonly AttributeValue[]): AttributeValue {
  switch (expr.t) {
    case 'string':
      return { S: expr.value };
    case 'number':
      return { N: canonicalNumber(expr.value) };
    case 'bool':
      return { BOOL: expr.value };
    case 'null':
      return { NULL: true };
    case 'param': {
      const value = params[expr.index];
      if (!value) throw validationError("Number of parameters in request and statement don't match.");
      return value;
    }
    case 'list':
      return { L: expr.items.map((e) => constantValue(e, params)) };
    case 'map': {
      const M: Record<string, AttributeValue> = {};
      for (const [k, v] of expr.entries) {
        const key = constantValue(k, params);
        if (!('S' in key)) throw unsupported('Map keys must be strings');
        Object.defineProperty(M, key.S, { value: constantValue(v, params), enumerable: true, writable: true, configurable: true });
      }
      return { M };
    }
    case 'bag': {
      const values = expr.items.map((e) => constantValue(e, params));
      if (values.length === 0) throw validationError('One or more parameter values were invalid: An string set  may not be empty');
      let set: AttributeValue;
      if (values.every((v) => 'S' in v)) set = { SS: values.map((v) => (v as { S: string }).S) };
      else if (values.every((v) => 'N' in v)) set = { NS: values.map((v) => (v as { N: string }).N) };
      else if (values.every((v) => 'B' in v)) set = { BS: values.map((v) => (v as { B: string }).B) };
      else throw unsupported('Sets must contain elements of one type: strings, numbers or binaries');
      return validateAttributeValue(set);
    }
    case 'missing':
      throw unsupported('MISSING is not a value');
    default:
      throw unsupported('Expected a value');
  }
}

/** The top-level AND terms of a condition. */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  if (expr.t === 'and') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  return [expr];
}

/** The value a term `name = constant` (either way round) pins the top-level attribute `name` to. */
export function equalityOn(term: Expr, name: string, params: readonly AttributeValue[]): AttributeValue | undefined {
  if (term.t !== 'compare' || term.op !== '=') return undefined;
  const pair = isPath(term.left, name) ? term.right : isPath(term.right, name) ? term.left : undefined;
  if (!pair || !isConstant(pair)) return undefined;
  return constantValue(pair, params);
}

export function isPath(expr: Expr, name: string): boolean {
  return expr.t === 'path' && expr.path.length === 1 && expr.path[0] === name;
}

/** Builds expression strings with their placeholder maps. */
export class Translator {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameKeys = new Map<string, string>();
  private valueCount = 0;

  constructor(readonly params: readonly AttributeValue[]) {}

  name(name: string): string {
    let key = this.nameKeys.get(name);
    if (!key) {
      key = `#n${this.nameKeys.size}`;
      this.nameKeys.set(name, key);
      this.names[key] = name;
    }
    return key;
  }

  value(value: AttributeValue): string {
    const key = `:v${this.valueCount++}`;
    this.values[key] = value;
    return key;
  }

  path(path: readonly PathElement[]): string {
    let out = '';
    for (const element of path) {
      if (typeof element === 'number') out += `[${element}]`;
      else out += (out ? '.' : '') + this.name(element);
    }
    return out;
  }

  operand(expr: Expr): string {
    if (isConstant(expr)) return this.value(constantValue(expr, this.params));
    switch (expr.t) {
      case 'path':
        return this.path(expr.path);
      case 'call':
        if (expr.name === 'size' && expr.args.length === 1) return `size(${this.operand(expr.args[0]!)})`;
        throw unsupported(`Function ${expr.name} is not supported in this position`);
      default:
        throw unsupported('Expected a path, a value or size()');
    }
  }

  condition(expr: Expr): string {
    switch (expr.t) {
      case 'and':
      case 'or':
        return `(${this.condition(expr.left)}) ${expr.t.toUpperCase()} (${this.condition(expr.right)})`;
      case 'not':
        return `NOT (${this.condition(expr.operand)})`;
      case 'compare': {
        if (expr.right.t === 'missing' || expr.left.t === 'missing') {
          const other = expr.right.t === 'missing' ? expr.left : expr.right;
          if (other.t !== 'path' || (expr.op !== '=' && expr.op !== '<>')) throw unsupported('MISSING can only be compared to a path with = or <>');
          return `${expr.op === '=' ? 'attribute_not_exists' : 'attribute_exists'}(${this.path(other.path)})`;
        }
        return `${this.operand(expr.left)} ${expr.op} ${this.operand(expr.right)}`;
      }
      case 'between': {
        const text = `${this.operand(expr.operand)} BETWEEN ${this.operand(expr.lower)} AND ${this.operand(expr.upper)}`;
        return expr.not ? `NOT (${text})` : text;
      }
      case 'in': {
        let items: string[];
        const only = expr.list.length === 1 ? expr.list[0]! : undefined;
        const listValue = only && only.t === 'param' ? constantValue(only, this.params) : undefined;
        // `x IN ?` with a list parameter.
        if (listValue && 'L' in listValue) items = listValue.L.map((v) => this.value(v));
        else items = expr.list.map((e) => this.operand(e));
        if (items.length === 0) throw wellFormed('Unexpected token');
        const text = `${this.operand(expr.operand)} IN (${items.join(', ')})`;
        return expr.not ? `NOT (${text})` : text;
      }
      case 'is': {
        if (expr.operand.t !== 'path') throw unsupported('IS needs a path');
        const path = this.path(expr.operand.path);
        let text: string;
        if (expr.what === 'MISSING') text = `attribute_not_exists(${path})`;
        else if (expr.what === 'NULL') text = `(attribute_not_exists(${path}) OR attribute_type(${path}, ${this.value({ S: 'NULL' })}))`;
        else text = `${path} = ${this.value({ BOOL: expr.what === 'TRUE' })}`;
        return expr.not ? `NOT (${text})` : text;
      }
      case 'call': {
        const args = expr.args;
        switch (expr.name) {
          case 'begins_with':
          case 'contains':
            if (args.length !== 2) throw unsupported(`Function ${expr.name} takes 2 arguments`);
            return `${expr.name}(${this.operand(args[0]!)}, ${this.operand(args[1]!)})`;
          case 'attribute_type':
            if (args.length !== 2) throw unsupported('Function attribute_type takes 2 arguments');
            return `attribute_type(${this.operand(args[0]!)}, ${this.operand(args[1]!)})`;
          case 'exists':
            throw unsupported('EXISTS is only supported in ExecuteTransaction');
          default:
            throw unsupported(`Function ${expr.name} is not supported`);
        }
      }
      default:
        throw unsupported('Expected a condition');
    }
  }

  /** The operand of a SET: a value, a path, path ± value, list_append, if_not_exists. */
  setOperand(expr: Expr): string {
    if (expr.t === 'arith') return `${this.setOperand(expr.left)} ${expr.op} ${this.setOperand(expr.right)}`;
    if (expr.t === 'call' && (expr.name === 'list_append' || expr.name === 'if_not_exists')) {
      if (expr.args.length !== 2) throw unsupported(`Function ${expr.name} takes 2 arguments`);
      return `${expr.name}(${this.setOperand(expr.args[0]!)}, ${this.setOperand(expr.args[1]!)})`;
    }
    return this.operand(expr);
  }

  /** An update expression for SET / REMOVE actions; set_add / set_delete become ADD / DELETE. */
  update(actions: readonly UpdateAction[]): string {
    const set: string[] = [];
    const remove: string[] = [];
    const add: string[] = [];
    const del: string[] = [];
    for (const action of actions) {
      const path = this.path(action.path);
      if (action.kind === 'REMOVE') {
        remove.push(path);
        continue;
      }
      const v = action.value;
      if (v.t === 'call' && (v.name === 'set_add' || v.name === 'set_delete')) {
        if (v.args.length !== 2) throw unsupported(`Function ${v.name} takes 2 arguments`);
        const [first, second] = v.args as [Expr, Expr];
        if (first.t !== 'path' || first.path.length !== action.path.length || first.path.some((p, i) => p !== action.path[i])) {
          throw unsupported(`The first argument of ${v.name} must be the attribute being set`);
        }
        if (!isConstant(second)) throw unsupported(`The second argument of ${v.name} must be a set`);
        (v.name === 'set_add' ? add : del).push(`${path} ${this.value(constantValue(second, this.params))}`);
        continue;
      }
      set.push(`${path} = ${this.setOperand(v)}`);
    }
    const parts: string[] = [];
    if (set.length) parts.push(`SET ${set.join(', ')}`);
    if (remove.length) parts.push(`REMOVE ${remove.join(', ')}`);
    if (add.length) parts.push(`ADD ${add.join(', ')}`);
    if (del.length) parts.push(`DELETE ${del.join(', ')}`);
    return parts.join(' ');
  }

  context(): ExpressionContext {
    return new ExpressionContext(Object.keys(this.names).length ? this.names : undefined, Object.keys(this.values).length ? this.values : undefined);
  }
}

/** Expression errors carry the parameter name of the expression language; PartiQL reports the text alone. */
function plain<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isAwsError(error) && error.code === 'ValidationException') {
      const m = /^Invalid (?:ConditionExpression|FilterExpression|KeyConditionExpression|UpdateExpression|ProjectionExpression): (.*)$/s.exec(error.message);
      if (m) throw validationError(m[1]!);
    }
    throw error;
  }
}

export function compileWhere(t: Translator, where: Expr, context: ExpressionContext): CompiledCondition {
  const text = t.condition(where);
  return plain(() => compileCondition('ConditionExpression', text, context));
}

export function compileText(kind: 'ConditionExpression' | 'KeyConditionExpression', text: string, context: ExpressionContext): CompiledCondition {
  return plain(() => compileCondition(kind, text, context));
}

export function compileUpdateText(text: string, context: ExpressionContext): CompiledUpdate {
  return plain(() => compileUpdate(text, context));
}

export function compileProjectionText(text: string, context: ExpressionContext): CompiledProjection {
  return plain(() => compileProjection(text, context));
}

export type { Item };
