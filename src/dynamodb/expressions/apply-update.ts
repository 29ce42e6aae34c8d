import { validationError } from '../../errors/dynamodb-errors';
import { UPDATE_MESSAGES } from './errors';
import { childOf, hasOwn, isTree, setOwn, valueAt } from './paths';
import { addNumberText, subtractNumberText } from '../values/number';
import { attributeValuesEqual } from '../values/order';
import type { AttributeMap, AttributeValue, BoundAction, BoundOperand, Item, PathTree } from './types';

/**
 * Applies a bound update expression to an item (the item as stored, or the key alone when there is none) and
 * returns the new item; the input is not modified (the result shares unchanged values with it and with the
 * ExpressionAttributeValues, so treat both as immutable).
 *
 * DynamoDB's semantics:
 *  - Every operand is evaluated against the item as it was before the update.
 *  - The targets are visited in path order (names by UTF-16 code units, list indexes numerically), depth
 *    first; the first failure is reported:
 *      * a target whose parent is missing, or not a map (for `.name`) / list (for `[n]`):
 *        "The document path provided in the update expression is invalid for update";
 *      * SET whose value refers to a missing attribute (a path, list_append's or +/-'s operands, or
 *        if_not_exists's second operand): "The provided expression refers to an attribute that does not
 *        exist in the item";
 *      * list_append on a non-list, +/- on a non-number, ADD/DELETE on an attribute of another type:
 *        "An operand in the update expression has an incorrect data type".
 *  - SET `a[i]` beyond the end of the list appends (several such SETs append in index order); REMOVE `a[i]`
 *    beyond the end does nothing; REMOVE of several elements of one list uses the indexes before the update.
 *  - ADD to a missing attribute creates it; ADD of a number adds, of a set adds the members not yet present.
 *    DELETE removes set members, removing the attribute when none are left; DELETE on a missing attribute
 *    does nothing.
 *  - Finally a list or map nested 32 levels deep (the item itself being level 0) fails with "Nesting Levels
 *    have exceeded supported limits: ...".
 */
export function applyUpdate(tree: PathTree<BoundAction>, item: Item): Item {
  const state = { old: item, tooDeep: false };
  const result = build(tree, { M: item }, 0, state) as { M: AttributeMap };
  if (state.tooDeep) throw validationError(UPDATE_MESSAGES.nesting);
  return result.M;
}

interface State {
  readonly old: Item;
  tooDeep: boolean;
}

const MAX_CONTAINER_LEVEL = 32;

function invalidPath(): never {
  throw validationError(UPDATE_MESSAGES.invalidPath);
}

function incorrectType(): never {
  throw validationError(UPDATE_MESSAGES.incorrectType);
}

function missingAttribute(): never {
  throw validationError(UPDATE_MESSAGES.missingAttribute);
}

/** The new version of `doc` (a map or list at `level`) with the updates below `node` applied. */
function build(node: PathTree<BoundAction>, doc: AttributeValue, level: number, state: State): AttributeValue {
  const isMap = 'M' in doc;
  if (!isMap && !('L' in doc)) invalidPath();
  const results = new Map<string | number, AttributeValue | undefined>();
  for (const key of node.keys) {
    if ((typeof key === 'string') !== isMap) invalidPath();
    const current = childOf(doc, key);
    const child = node.children.get(key)!;
    let result: AttributeValue | undefined;
    if (isTree(child)) {
      if (current === undefined) invalidPath();
      result = build(child, current, level + 1, state);
    } else {
      result = actionResult(child, current, state);
      if (result !== undefined && child.clause === 'SET') {
        const depth = containerDepth(result);
        // The value sits at level + 1; its innermost map/list at level + depth.
        if (depth > 0 && level + depth >= MAX_CONTAINER_LEVEL) state.tooDeep = true;
      }
    }
    results.set(key, result);
  }
  if (isMap) {
    const map = (doc as { M: AttributeMap }).M;
    const out: AttributeMap = {};
    for (const name of Object.keys(map)) {
      if (!results.has(name)) setOwn(out, name, map[name]!);
      else {
        const value = results.get(name);
        if (value !== undefined) setOwn(out, name, value);
      }
    }
    for (const key of node.keys) {
      const value = results.get(key);
      if (value !== undefined && !hasOwn(map, key as string)) setOwn(out, key as string, value);
    }
    return { M: out };
  }
  const list = (doc as { L: AttributeValue[] }).L;
  const out: AttributeValue[] = [];
  let next = 0;
  const keys = node.keys as number[];
  for (let i = 0; i < list.length; i++) {
    while (next < keys.length && keys[next]! < i) next++;
    if (next < keys.length && keys[next] === i) {
      const value = results.get(i);
      if (value !== undefined) out.push(value);
    } else {
      out.push(list[i]!);
    }
  }
  // Targets beyond the end, in index order.
  for (const key of keys) {
    if (key >= list.length) {
      const value = results.get(key);
      if (value !== undefined) out.push(value);
    }
  }
  return { L: out };
}

/** Nesting of maps/lists in a value: 0 for a scalar or set, 1 for a map/list of scalars, and so on. */
function containerDepth(value: AttributeValue): number {
  if ('M' in value) {
    let deepest = 0;
    for (const name in value.M) deepest = Math.max(deepest, containerDepth(value.M[name]!));
    return deepest + 1;
  }
  if ('L' in value) {
    let deepest = 0;
    for (const element of value.L) deepest = Math.max(deepest, containerDepth(element));
    return deepest + 1;
  }
  return 0;
}

function actionResult(action: BoundAction, current: AttributeValue | undefined, state: State): AttributeValue | undefined {
  switch (action.clause) {
    case 'SET': {
      const value = updateOperand(action.value, state.old);
      if (value === undefined) missingAttribute();
      return value;
    }
    case 'REMOVE':
      return undefined;
    case 'ADD': {
      const value = action.value;
      if (current === undefined) return value;
      if ('N' in value) {
        if (!('N' in current)) incorrectType();
        return { N: addNumberText(current.N, value.N) };
      }
      return setUnion(current, value);
    }
    case 'DELETE': {
      if (current === undefined) return undefined;
      return setDifference(current, action.value);
    }
  }
}

/** Evaluates a SET operand against the old item; undefined for a missing path. */
export function updateOperand(operand: BoundOperand, item: Item): AttributeValue | undefined {
  switch (operand.k) {
    case 'value':
      return operand.value;
    case 'path':
      return valueAt(item, operand.path);
    case 'if_not_exists': {
      const existing = valueAt(item, operand.path);
      const fallback = updateOperand(operand.fallback, item);
      if (fallback === undefined) missingAttribute();
      return existing ?? fallback;
    }
    case 'list_append': {
      const left = updateOperand(operand.left, item);
      const right = updateOperand(operand.right, item);
      if (left === undefined) missingAttribute();
      if (!('L' in left)) incorrectType();
      if (right === undefined) missingAttribute();
      if (!('L' in right)) incorrectType();
      return { L: [...left.L, ...right.L] };
    }
    case '+':
    case '-': {
      const left = updateOperand(operand.left, item);
      const right = updateOperand(operand.right, item);
      if (left === undefined) missingAttribute();
      if (!('N' in left)) incorrectType();
      if (right === undefined) missingAttribute();
      if (!('N' in right)) incorrectType();
      return { N: operand.k === '+' ? addNumberText(left.N, right.N) : subtractNumberText(left.N, right.N) };
    }
    case 'size':
      // size() is not allowed in an update expression.
      return undefined;
  }
}

function setUnion(current: AttributeValue, added: AttributeValue): AttributeValue {
  if ('SS' in added) {
    if (!('SS' in current)) incorrectType();
    return { SS: union(current.SS, added.SS, undefined) };
  }
  if ('NS' in added) {
    if (!('NS' in current)) incorrectType();
    return { NS: union(current.NS, added.NS, (member) => ({ N: member })) };
  }
  if ('BS' in added) {
    if (!('BS' in current)) incorrectType();
    return { BS: union(current.BS, added.BS, (member) => ({ B: member })) };
  }
  return incorrectType();
}

/**
 * Set members are compared by their text first (canonical wire values are equal exactly when their texts are),
 * then, for numbers and binary, by value (`wrap` builds the scalar to compare).
 */
function isMember(members: readonly string[], exact: ReadonlySet<string>, member: string, wrap?: (member: string) => AttributeValue): boolean {
  if (exact.has(member)) return true;
  if (wrap === undefined) return false;
  const value = wrap(member);
  for (const other of members) if (attributeValuesEqual(wrap(other), value)) return true;
  return false;
}

function union(current: string[], added: readonly string[], wrap: ((member: string) => AttributeValue) | undefined): string[] {
  const result = current.slice();
  const exact = new Set(current);
  for (const member of added) {
    if (isMember(result, exact, member, wrap)) continue;
    result.push(member);
    exact.add(member);
  }
  return result;
}

function setDifference(current: AttributeValue, removed: AttributeValue): AttributeValue | undefined {
  let members: string[];
  if ('SS' in removed) {
    if (!('SS' in current)) incorrectType();
    members = difference(current.SS, removed.SS, undefined);
    return members.length === 0 ? undefined : { SS: members };
  }
  if ('NS' in removed) {
    if (!('NS' in current)) incorrectType();
    members = difference(current.NS, removed.NS, (member) => ({ N: member }));
    return members.length === 0 ? undefined : { NS: members };
  }
  if ('BS' in removed) {
    if (!('BS' in current)) incorrectType();
    members = difference(current.BS, removed.BS, (member) => ({ B: member }));
    return members.length === 0 ? undefined : { BS: members };
  }
  return incorrectType();
}

function difference(current: readonly string[], removed: readonly string[], wrap: ((member: string) => AttributeValue) | undefined): string[] {
  const exact = new Set(removed);
  return current.filter((member) => !isMember(removed, exact, member, wrap));
}
