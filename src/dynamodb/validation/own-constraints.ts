/**
 * The constraints a value itself must meet (length, range, pattern, enum, map keys and values), as opposed to
 * what lies inside it; compiled once per shape (or per member, where DynamoDB deviates from the model).
 */
import type { Bounds, MemberDef, ShapeDef } from '../model/shape-types';
import { DYNAMODB_MODEL } from '../model/shapes.generated';
import { countKeys, isObject, someKey, someValue } from './json-objects';
import { ENUM_ORDER, EXTRA_LENGTH, UNCHECKED } from './model-deviations';
import { patternMatcher, patternText } from './patterns';
import { TABLE_KEYS_TEXT, tableNameProblems } from './table-names';

const SHAPES = DYNAMODB_MODEL.shapes;

/** The constraints a value itself must meet (as opposed to what lies inside it). */
export interface Own {
  violated(value: unknown): boolean;
  /** Constraint texts the value violates, in the order they are checked. */
  texts(value: unknown): string[];
}

interface Rule {
  readonly broken: (value: unknown) => boolean;
  readonly text: string;
}

function ownRules(shape: ShapeDef): Rule[] {
  const rules: Rule[] = [];
  const { length, range } = shape;
  if (shape.kind === 'string' || shape.kind === 'enum') {
    lengthRules(rules, length, (v) => (typeof v === 'string' ? v.length : undefined));
    if (shape.pattern !== undefined) {
      const matches = patternMatcher(shape.pattern);
      rules.push({ broken: (v) => typeof v === 'string' && !matches(v), text: `Member must satisfy regular expression pattern: ${patternText(shape)}` });
    }
    if (shape.kind === 'enum') {
      const allowed = new Set(shape.values);
      const shown = ENUM_ORDER[shape.name] ?? shape.values ?? [];
      rules.push({ broken: (v) => typeof v === 'string' && !allowed.has(v), text: `Member must satisfy enum value set: [${shown.join(', ')}]` });
    }
  } else if (shape.kind === 'list') {
    lengthRules(rules, length, (v) => (Array.isArray(v) ? v.length : undefined));
  } else if (shape.kind === 'map') {
    lengthRules(rules, length, (v) => (isObject(v) ? countKeys(v) : undefined));
    const keyRule = mapKeyRule(shape);
    if (keyRule) rules.push(keyRule);
    const valueOwn = ownOf(shape.value!);
    if (valueOwn) {
      rules.push({
        broken: (v) => isObject(v) && someValue(v, (x) => valueOwn.violated(x)),
        text: `Map value must satisfy constraint: [${describe(SHAPES[shape.value!]).join(', ')}]`,
      });
    }
  } else if (range) {
    if (range.min !== undefined) {
      const min = range.min;
      rules.push({ broken: (v) => typeof v === 'number' && v < min, text: `Member must have value greater than or equal to ${min}` });
    }
    if (range.max !== undefined) {
      const max = range.max;
      rules.push({ broken: (v) => typeof v === 'number' && v > max, text: `Member must have value less than or equal to ${max}` });
    }
  }
  return rules;
}

function lengthRules(rules: Rule[], length: Bounds | undefined, size: (v: unknown) => number | undefined): void {
  if (length?.min !== undefined && length.min > 0) {
    const min = length.min;
    rules.push({ broken: (v) => (size(v) ?? min) < min, text: `Member must have length greater than or equal to ${min}` });
  }
  if (length?.max !== undefined) {
    const max = length.max;
    rules.push({ broken: (v) => (size(v) ?? max) > max, text: `Member must have length less than or equal to ${max}` });
  }
}

/** A key shape's constraints as "Map keys must satisfy constraint: [...]" lists them: maximum first. */
function describe(shape: ShapeDef): string[] {
  const texts: string[] = [];
  const bounds = shape.kind === 'string' || shape.kind === 'enum' || shape.kind === 'list' || shape.kind === 'map' ? shape.length : undefined;
  if (bounds?.max !== undefined) texts.push(`Member must have length less than or equal to ${bounds.max}`);
  if (bounds?.min !== undefined) texts.push(`Member must have length greater than or equal to ${bounds.min}`);
  if (shape.range?.max !== undefined) texts.push(`Member must have value less than or equal to ${shape.range.max}`);
  if (shape.range?.min !== undefined) texts.push(`Member must have value greater than or equal to ${shape.range.min}`);
  if (shape.pattern !== undefined) texts.push(`Member must satisfy regular expression pattern: ${patternText(shape)}`);
  if (shape.kind === 'enum') texts.push(`Member must satisfy enum value set: [${(ENUM_ORDER[shape.name] ?? shape.values ?? []).join(', ')}]`);
  return texts;
}

function mapKeyRule(shape: ShapeDef): Rule | null {
  const keyShape = SHAPES[shape.key!];
  if (keyShape.name === 'TableArn') {
    return { broken: (v) => isObject(v) && someKey(v, (k) => tableNameProblems(k) !== null), text: TABLE_KEYS_TEXT };
  }
  const keyOwn = ownOf(shape.key!);
  if (!keyOwn) return null;
  return {
    broken: (v) => isObject(v) && someKey(v, (k) => keyOwn.violated(k)),
    text: `Map keys must satisfy constraint: [${describe(keyShape).join(', ')}]`,
  };
}

const owns = new Map<number, Own | null>();

export function ownOf(id: number): Own | null {
  if (owns.has(id)) return owns.get(id)!;
  owns.set(id, null); // a recursive map of maps sees no own rules for itself
  const rules = ownRules(SHAPES[id]);
  const own = rules.length ? ownFromRules(rules) : null;
  owns.set(id, own);
  return own;
}

function ownFromRules(rules: readonly Rule[]): Own {
  return {
    violated: (value) => {
      for (const rule of rules) if (rule.broken(value)) return true;
      return false;
    },
    texts: (value) => rules.filter((rule) => rule.broken(value)).map((rule) => rule.text),
  };
}

/** TableName members: a plain name or a table ARN (table-names.ts), not the model's TableArn constraints. */
const TABLE_NAME_OWN: Own = {
  violated: (value) => typeof value === 'string' && tableNameProblems(value) !== null,
  texts: (value) => (typeof value === 'string' ? tableNameProblems(value) ?? [] : []),
};

export function memberOwn(structure: ShapeDef, member: MemberDef): Own | null {
  const qualified = `${structure.name}.${member.name}`;
  if (UNCHECKED.has(qualified)) return null;
  if (member.name === 'TableName' && SHAPES[member.target].name === 'TableArn') return TABLE_NAME_OWN;
  const extra = EXTRA_LENGTH[qualified];
  if (extra) return ownFromRules(ownRules({ ...SHAPES[member.target], length: { ...SHAPES[member.target].length, ...extra } }));
  return ownOf(member.target);
}
