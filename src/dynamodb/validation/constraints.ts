/**
 * Stage 3: constraints (required, length, range, pattern, enum) → one ValidationException listing up to ten
 * violations. Validators walk a value of one shape; what a single value must meet is in own-constraints.ts.
 */
import type { MemberDef, ShapeDef } from '../model/shape-types';
import { DYNAMODB_MODEL } from '../model/shapes.generated';
import { javaHashOrder, javaMapKeys, javaMemberOrder, lowerFirst } from './java-order';
import { render } from './java-render';
import { isObject } from './json-objects';
import { NOT_REQUIRED } from './model-deviations';
import { memberOwn, ownOf, type Own } from './own-constraints';

const SHAPES = DYNAMODB_MODEL.shapes;
/** DynamoDB lists at most this many violations; the count in the message is of those listed. */
const MAX_LISTED = 10;

/**
 * Walks a value of one shape. With `out` null it stops at the first violation and builds nothing; with `out`
 * it appends DynamoDB's messages (at most MAX_LISTED). Returns false if anything is violated.
 */
export type Validator = (value: unknown, path: string, out: string[] | null) => boolean;

/** Shapes whose inside the validator leaves alone: attribute values have their own rules elsewhere. */
const OPAQUE = new Set(['AttributeValue']);

const validators = new Map<number, Validator | null>();
const walks = new Map<number, boolean>();

/** Whether anything inside a value of this shape (beyond its own constraints) needs checking. */
function needsWalk(id: number): boolean {
  const known = walks.get(id);
  if (known !== undefined) return known;
  walks.set(id, false); // cycles contribute nothing new
  const shape = SHAPES[id];
  let needed = false;
  if (OPAQUE.has(shape.name)) needed = false;
  else if (shape.kind === 'structure' || shape.kind === 'union') {
    needed = (shape.members ?? []).some((m) => requiredIn(shape, m) || memberOwn(shape, m) !== null || needsWalk(m.target));
  } else if (shape.kind === 'list') needed = ownOf(shape.member!) !== null || needsWalk(shape.member!);
  else if (shape.kind === 'map') needed = needsWalk(shape.value!);
  walks.set(id, needed);
  return needed;
}

function requiredIn(structure: ShapeDef, member: MemberDef): boolean {
  return member.required === true && !NOT_REQUIRED.has(`${structure.name}.${member.name}`);
}

export function validator(id: number): Validator | null {
  if (validators.has(id)) return validators.get(id)!;
  if (!needsWalk(id)) {
    validators.set(id, null);
    return null;
  }
  const shape = SHAPES[id];
  // Registered before children compile so recursive shapes find it.
  const slot: { fn: Validator | null } = { fn: null };
  const fn: Validator = (value, path, out) => slot.fn!(value, path, out);
  validators.set(id, fn);
  slot.fn =
    shape.kind === 'list' ? listValidator(shape) : shape.kind === 'map' ? mapValidator(shape) : structureValidator(shape);
  return fn;
}

interface MemberCheck {
  readonly name: string;
  readonly segment: string;
  readonly shape: ShapeDef;
  readonly required: boolean;
  readonly own: Own | null;
  readonly walk: Validator | null;
}

function structureValidator(shape: ShapeDef): Validator {
  const checks: MemberCheck[] = javaMemberOrder(shape)
    .map((m) => ({
      name: m.name,
      segment: lowerFirst(m.name),
      shape: SHAPES[m.target],
      required: requiredIn(shape, m),
      own: memberOwn(shape, m),
      walk: validator(m.target),
    }))
    .filter((c) => c.required || c.own !== null || c.walk !== null);
  return (value, path, out) => {
    if (!isObject(value)) return true;
    let ok = true;
    for (const check of checks) {
      const child = value[check.name];
      const at = out ? (path ? `${path}.${check.segment}` : check.segment) : '';
      if (!checkValue(check.shape, check.own, check.required, child, at, out)) {
        ok = false;
        if (!out || out.length >= MAX_LISTED) return false;
      }
      if (check.walk && child !== null && child !== undefined && !check.walk(child, at, out)) {
        ok = false;
        if (!out || out.length >= MAX_LISTED) return false;
      }
    }
    return ok;
  };
}

function listValidator(shape: ShapeDef): Validator {
  const elementShape = SHAPES[shape.member!];
  const own = ownOf(shape.member!);
  const walk = validator(shape.member!);
  return (value, path, out) => {
    if (!Array.isArray(value)) return true;
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (child === null || child === undefined) continue;
      const at = out ? `${path}.${i + 1}.member` : '';
      if (own && !checkValue(elementShape, own, false, child, at, out)) {
        ok = false;
        if (!out || out.length >= MAX_LISTED) return false;
      }
      if (walk && !walk(child, at, out)) {
        ok = false;
        if (!out || out.length >= MAX_LISTED) return false;
      }
    }
    return ok;
  };
}

/** Map values' own constraints are reported on the map ("Map value must satisfy"); here only their insides. */
function mapValidator(shape: ShapeDef): Validator {
  const walk = validator(shape.value!)!;
  return (value, path, out) => {
    if (!isObject(value)) return true;
    if (!out) {
      for (const key in value) {
        const child = value[key];
        if (child !== null && child !== undefined && !walk(child, '', null)) return false;
      }
      return true;
    }
    let ok = true;
    for (const key of javaMapKeys(value)) {
      const child = value[key];
      if (child === null || child === undefined) continue;
      if (!walk(child, `${path}.${key}.member`, out)) {
        ok = false;
        if (out.length >= MAX_LISTED) return false;
      }
    }
    return ok;
  };
}

/** A member's (or element's) own checks; reports them in Java HashSet order of the full messages. */
function checkValue(shape: ShapeDef, own: Own | null, required: boolean, value: unknown, path: string, out: string[] | null): boolean {
  if (value === null || value === undefined) {
    if (!required) return true;
    if (out) emit(out, [`Value null at '${path}' failed to satisfy constraint: Member must not be null`]);
    return false;
  }
  if (!own || !own.violated(value)) return true;
  if (out) {
    const shown = render(shape, value, 0);
    emit(out, own.texts(value).map((text) => `Value '${shown}' at '${path}' failed to satisfy constraint: ${text}`));
  }
  return false;
}

function emit(out: string[], lines: string[]): void {
  for (const line of lines.length > 1 ? javaHashOrder(lines, (l) => l) : lines) {
    if (out.length >= MAX_LISTED) return;
    out.push(line);
  }
}
