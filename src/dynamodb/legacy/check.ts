/**
 * Request checks for the 2011-12-05 API, driven by the generated legacy model (model.generated.ts):
 *
 *  1. Deserialisation: a JSON value of the wrong type for its shape is a SerializationException (members the
 *     model does not know are skipped, as Coral's deserialiser skips them).
 *  2. Constraints (required, length, range, pattern, enum) → one ValidationException in the validator's
 *     format: "N validation error(s) detected: Value null at 'tableName' failed to satisfy constraint: ...".
 *  3. That version's value rules (legacyValue): exactly one of S, N, B, SS, NS, BS; no empty strings,
 *     binaries or sets — refused even where 2012-08-10 now accepts them.
 *
 * Members are reported in model order, paths in the validator's lowerCamel form.
 */
import type { AwsError } from '../../errors/aws-error';
import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import type { ShapeDef } from '../model/shape-types';
import { ATTRIBUTE_VALUE_MESSAGES } from '../values/attribute-value';
import { LEGACY_MODEL } from './model.generated';

const SHAPES = LEGACY_MODEL.shapes;
const MAX_LISTED = 10;
const INVALID = 'One or more parameter values were invalid: ';

/** The 2011-12-05 value rules, with the texts DynamoDB sent (dynalite's tests of that era; moto; client reports). */
export const LEGACY_VALUE_MESSAGES = {
  emptyString: `${INVALID}An AttributeValue may not contain an empty string`,
  emptyBinary: `${INVALID}An AttributeValue may not contain a null or empty binary type.`,
  empty: ATTRIBUTE_VALUE_MESSAGES.empty,
  moreThanOne: ATTRIBUTE_VALUE_MESSAGES.moreThanOne,
  emptyStringSet: ATTRIBUTE_VALUE_MESSAGES.emptyStringSet,
  emptyNumberSet: ATTRIBUTE_VALUE_MESSAGES.emptyNumberSet,
  emptyBinarySet: ATTRIBUTE_VALUE_MESSAGES.emptyBinarySet,
};

const serialization = (message: string): AwsError => dynamoError('SerializationException', message);

/** Checks a request body against the legacy model; returns it (or `{}` for an empty body). */
export function checkLegacyInput(operation: string, body: unknown): Record<string, unknown> {
  const input = body === null || body === undefined ? {} : body;
  const shapeId = LEGACY_MODEL.operations[operation];
  if (shapeId === undefined) throw dynamoError('UnknownOperationException');
  deserialize(shapeId, input, 'value');
  const out: string[] = [];
  validate(shapeId, input, '', out);
  if (out.length > 0) {
    const listed = out.slice(0, MAX_LISTED);
    throw validationError(`${listed.length} validation error${listed.length === 1 ? '' : 's'} detected: ${listed.join('; ')}`);
  }
  return input as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------
// Deserialisation

function token(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

const JAVA_SCALARS: Record<string, string> = {
  string: 'String',
  enum: 'String',
  boolean: 'Boolean',
  integer: 'Integer',
  long: 'Long',
  double: 'Double',
  float: 'Float',
  blob: 'ByteBuffer',
  timestamp: 'Date',
};

function deserialize(id: number, value: unknown, position: 'field' | 'value'): void {
  if (value === null || value === undefined) return;
  const shape = SHAPES[id]!;
  switch (shape.kind) {
    case 'structure': {
      if (typeof value !== 'object') throw serialization(position === 'field' ? 'Unexpected field type' : 'Unexpected value type in payload');
      if (Array.isArray(value)) throw serialization(`Unrecognized collection type class com.amazonaws.dynamodb.v20111205.${shape.name}`);
      const object = value as Record<string, unknown>;
      for (const member of shape.members ?? []) {
        if (Object.prototype.hasOwnProperty.call(object, member.name)) deserialize(member.target, object[member.name], 'field');
      }
      return;
    }
    case 'map': {
      if (typeof value !== 'object') throw serialization(position === 'field' ? 'Unexpected field type' : 'Unexpected value type in payload');
      if (Array.isArray(value)) throw serialization('Unrecognized collection type java.util.Map<java.lang.String, java.lang.Object>');
      for (const v of Object.values(value as Record<string, unknown>)) deserialize(shape.value!, v, 'value');
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        if (typeof value === 'object') throw serialization('Start of structure or map found where not expected');
        throw serialization(position === 'field' ? 'Unexpected field type' : 'Unexpected value type in payload');
      }
      for (const v of value) deserialize(shape.member!, v, 'value');
      return;
    }
    default:
      deserializeScalar(shape, value);
  }
}

function deserializeScalar(shape: ShapeDef, value: unknown): void {
  const javaName = JAVA_SCALARS[shape.kind] ?? 'String';
  if (Array.isArray(value)) throw serialization(`Unrecognized collection type class java.lang.${javaName}`);
  if (typeof value === 'object') throw serialization('Start of structure or map found where not expected');
  switch (shape.kind) {
    case 'string':
    case 'enum':
      if (typeof value !== 'string') throw serialization(`${token(value)} cannot be converted to String`);
      return;
    case 'blob':
      if (typeof value !== 'string') throw serialization(`${token(value)} cannot be converted to Blob`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
        throw serialization('Base64 encoded length is expected a multiple of 4 bytes but found: ' + value.length);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(`${token(value)} cannot be converted to Boolean`);
      return;
    default:
      if (typeof value !== 'number') throw serialization(`${token(value)} cannot be converted to ${javaName}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Constraints

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

function shown(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.keys(value).join(', ')}}`;
  return String(value);
}

function validate(id: number, value: unknown, path: string, out: string[]): void {
  const shape = SHAPES[id]!;
  const fail = (constraint: string) => out.push(`Value '${shown(value)}' at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  if (shape.kind === 'structure') {
    const object = value as Record<string, unknown>;
    for (const member of shape.members ?? []) {
      const child = object[member.name];
      const childPath = path ? `${path}.${lowerFirst(member.name)}` : lowerFirst(member.name);
      if (child === null || child === undefined) {
        if (member.required) out.push(`Value null at '${childPath}' failed to satisfy constraint: Member must not be null`);
        continue;
      }
      validate(member.target, child, childPath, out);
    }
    return;
  }
  if (shape.kind === 'list' || shape.kind === 'map') {
    const size = shape.kind === 'list' ? (value as unknown[]).length : Object.keys(value as object).length;
    if (shape.length?.min !== undefined && size < shape.length.min) fail(`have length greater than or equal to ${shape.length.min}`);
    if (shape.length?.max !== undefined && size > shape.length.max) fail(`have length less than or equal to ${shape.length.max}`);
    if (shape.kind === 'list') {
      (value as unknown[]).forEach((v, i) => {
        if (v !== null && v !== undefined) validate(shape.member!, v, `${path}.${i + 1}.member`, out);
      });
    } else {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== null && v !== undefined) validate(shape.value!, v, `${path}.${k}.member`, out);
      }
    }
    return;
  }
  if (typeof value === 'string') {
    if (shape.length?.min !== undefined && value.length < shape.length.min) fail(`have length greater than or equal to ${shape.length.min}`);
    if (shape.length?.max !== undefined && value.length > shape.length.max) fail(`have length less than or equal to ${shape.length.max}`);
    if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`).test(value)) fail(`satisfy regular expression pattern: ${shape.pattern}`);
    if (shape.values && !shape.values.includes(value)) fail(`satisfy enum value set: [${shape.values.join(', ')}]`);
  } else if (typeof value === 'number') {
    if (shape.range?.min !== undefined && value < shape.range.min) fail(`have value greater than or equal to ${shape.range.min}`);
    if (shape.range?.max !== undefined && value > shape.range.max) fail(`have value less than or equal to ${shape.range.max}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Attribute values

/** A 2011-12-05 AttributeValue, checked by that version's rules and reduced to the members it knows. */
export type LegacyValue = { S: string } | { N: string } | { B: string } | { SS: string[] } | { NS: string[] } | { BS: string[] };

const LEGACY_TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS'] as const;

export function legacyValue(raw: unknown): LegacyValue {
  if (raw === null || raw === undefined || typeof raw !== 'object') throw validationError(LEGACY_VALUE_MESSAGES.empty);
  const object = raw as Record<string, unknown>;
  const present = LEGACY_TYPES.filter((t) => object[t] !== null && object[t] !== undefined);
  if (present.length === 0) throw validationError(LEGACY_VALUE_MESSAGES.empty);
  if (present.length > 1) throw validationError(LEGACY_VALUE_MESSAGES.moreThanOne);
  const type = present[0]!;
  const value = object[type];
  switch (type) {
    case 'S':
      if (value === '') throw validationError(LEGACY_VALUE_MESSAGES.emptyString);
      break;
    case 'B':
      if (value === '') throw validationError(LEGACY_VALUE_MESSAGES.emptyBinary);
      break;
    case 'SS':
    case 'NS':
    case 'BS': {
      const list = value as unknown[];
      if (list.length === 0) {
        throw validationError(
          type === 'SS' ? LEGACY_VALUE_MESSAGES.emptyStringSet : type === 'NS' ? LEGACY_VALUE_MESSAGES.emptyNumberSet : LEGACY_VALUE_MESSAGES.emptyBinarySet,
        );
      }
      if (type === 'SS' && list.some((v) => v === '')) throw validationError(LEGACY_VALUE_MESSAGES.emptyString);
      if (type === 'BS' && list.some((v) => v === '' || v === null)) throw validationError(LEGACY_VALUE_MESSAGES.emptyBinary);
      break;
    }
  }
  return { [type]: value } as LegacyValue;
}

/** An item or attribute map: every value checked and reduced. */
export function legacyItem(raw: unknown): Record<string, LegacyValue> {
  const out: Record<string, LegacyValue> = {};
  for (const [name, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    Object.defineProperty(out, name, { value: legacyValue(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
