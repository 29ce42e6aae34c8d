/**
 * Stage 1: deserialisation (messages: dynalite test/helpers.js assertType). A value of the wrong JSON type for its
 * shape is a SerializationException; DynamoDB reads the body as a stream, so the first bad value in document
 * order wins and its message names no path. Values are read as DynamoDB reads them (booleans from "true",
 * truncated integers) and written back in place.
 */
import type { AwsError } from '../../errors/aws-error';
import { dynamoError } from '../../errors/dynamodb-errors';
import type { ShapeDef } from '../model/shape-types';
import { DYNAMODB_MODEL } from '../model/shapes.generated';

const SHAPES = DYNAMODB_MODEL.shapes;
const JAVA_PACKAGE = 'com.amazonaws.dynamodb.v20120810';
/** Deepest JSON nesting type-checked. Only AttributeValue (L, M) recurses; its own 32-level rule lies elsewhere. */
const MAX_DESERIALIZE_DEPTH = 512;

/** Returns the value as DynamoDB reads it (booleans from "true", truncated integers); throws on a type error. */
export type Deserializer = (value: unknown, depth: number) => unknown;
/** A struct member's value is a "field"; list elements, map values and the body are "values". */
type Position = 'field' | 'value';

const START_OF_OBJECT = 'Start of structure or map found where not expected';
const UNEXPECTED_FIELD = 'Unexpected field type';
const UNEXPECTED_VALUE = 'Unexpected value type in payload';
const PARAMETERIZED_CAST =
  'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
  "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";

const serialization = (message: string): AwsError => dynamoError('SerializationException', message);

function javaType(shape: ShapeDef): string {
  switch (shape.kind) {
    case 'structure':
    case 'union':
      return `${JAVA_PACKAGE}.${shape.name}`;
    case 'list':
      return `java.util.List<${javaType(SHAPES[shape.member!])}>`;
    case 'map':
      return `java.util.Map<java.lang.String, ${javaType(SHAPES[shape.value!])}>`;
    case 'string':
    case 'enum':
      return 'java.lang.String';
    case 'blob':
      return 'java.nio.ByteBuffer';
    case 'timestamp':
      return 'java.util.Date';
    case 'bigInteger':
      return 'java.math.BigInteger';
    case 'bigDecimal':
      return 'java.math.BigDecimal';
    case 'document':
      return 'java.lang.Object';
    default:
      return `java.lang.${shape.kind[0].toUpperCase()}${shape.kind.slice(1)}`;
  }
}

/** What DynamoDB says of a JSON array where a non-list shape is expected. */
function collectionMessage(shape: ShapeDef): string {
  const type = javaType(shape);
  return shape.kind === 'map' ? `Unrecognized collection type ${type}` : `Unrecognized collection type class ${type}`;
}

/** "TRUE_VALUE cannot be converted to String" and the like, for a scalar of the wrong type. */
function tokenMismatch(value: unknown, shape: ShapeDef, javaName: string): AwsError {
  if (Array.isArray(value)) return serialization(collectionMessage(shape));
  if (typeof value === 'object') return serialization(START_OF_OBJECT);
  let token = 'STRING_VALUE';
  if (typeof value === 'boolean') token = value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  else if (typeof value === 'number' || typeof value === 'bigint') {
    token = Number.isInteger(Number(value)) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  }
  return serialization(`${token} cannot be converted to ${javaName}`);
}

const deserializers = new Map<string, Deserializer>();

export function deserializer(id: number, position: Position): Deserializer {
  const cacheKey = `${id}:${position}`;
  const cached = deserializers.get(cacheKey);
  if (cached) return cached;
  const shape = SHAPES[id];
  // Containers fill their children after caching themselves, so recursive shapes compile.
  switch (shape.kind) {
    case 'structure':
    case 'union': {
      const members = new Map<string, Deserializer>();
      const fn = structureDeserializer(shape, position, members);
      deserializers.set(cacheKey, fn);
      for (const m of shape.members ?? []) members.set(m.name, deserializer(m.target, 'field'));
      return fn;
    }
    case 'list':
    case 'map': {
      const child: { fn: Deserializer | null } = { fn: null };
      const fn = shape.kind === 'list' ? listDeserializer(position, child) : mapDeserializer(shape, position, child);
      deserializers.set(cacheKey, fn);
      child.fn = deserializer(shape.kind === 'list' ? shape.member! : shape.value!, 'value');
      return fn;
    }
    default: {
      const fn = scalarDeserializer(shape);
      deserializers.set(cacheKey, fn);
      return fn;
    }
  }
}

function structureDeserializer(shape: ShapeDef, position: Position, members: Map<string, Deserializer>): Deserializer {
  const scalarMessage = position === 'field' ? UNEXPECTED_FIELD : UNEXPECTED_VALUE;
  const arrayMessage = collectionMessage(shape);
  return (value, depth) => {
    if (typeof value !== 'object' || value === null) throw serialization(scalarMessage);
    if (Array.isArray(value)) throw serialization(arrayMessage);
    if (depth >= MAX_DESERIALIZE_DEPTH) return value;
    const object = value as Record<string, unknown>;
    for (const key in object) {
      const member = members.get(key);
      if (member === undefined) continue; // unknown members are ignored
      const child = object[key];
      if (child === null || child === undefined) continue; // null is absent
      const read = member(child, depth + 1);
      if (read !== child) object[key] = read;
    }
    return value;
  };
}

function listDeserializer(position: Position, element: { fn: Deserializer | null }): Deserializer {
  const scalarMessage = position === 'field' ? UNEXPECTED_FIELD : PARAMETERIZED_CAST;
  return (value, depth) => {
    if (typeof value !== 'object' || value === null) throw serialization(scalarMessage);
    if (!Array.isArray(value)) throw serialization(START_OF_OBJECT);
    if (depth >= MAX_DESERIALIZE_DEPTH) return value;
    const read = element.fn!;
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (child === null || child === undefined) continue;
      const result = read(child, depth + 1);
      if (result !== child) value[i] = result;
    }
    return value;
  };
}

function mapDeserializer(shape: ShapeDef, position: Position, entry: { fn: Deserializer | null }): Deserializer {
  const scalarMessage = position === 'field' ? UNEXPECTED_FIELD : PARAMETERIZED_CAST;
  const arrayMessage = collectionMessage(shape);
  return (value, depth) => {
    if (typeof value !== 'object' || value === null) throw serialization(scalarMessage);
    if (Array.isArray(value)) throw serialization(arrayMessage);
    if (depth >= MAX_DESERIALIZE_DEPTH) return value;
    const read = entry.fn!;
    const object = value as Record<string, unknown>;
    for (const key in object) {
      const child = object[key];
      if (child === null || child === undefined) continue;
      const result = read(child, depth + 1);
      if (result !== child) object[key] = result;
    }
    return value;
  };
}

function scalarDeserializer(shape: ShapeDef): Deserializer {
  switch (shape.kind) {
    case 'string':
    case 'enum':
      return (value) => {
        if (typeof value === 'string') return value;
        throw tokenMismatch(value, shape, 'String');
      };
    case 'boolean':
      return (value) => {
        if (typeof value === 'boolean') return value;
        if (typeof value === 'string') {
          // Jackson reads the words as booleans; anything else stops the parser.
          const word = value.toLowerCase();
          if (word === 'true') return true;
          if (word === 'false') return false;
          throw serialization('Unexpected token received from parser');
        }
        throw tokenMismatch(value, shape, 'Boolean');
      };
    case 'byte':
    case 'short':
    case 'integer':
    case 'long': {
      const narrow = INTEGER_NARROWING[shape.kind];
      const javaName = javaType(shape).slice('java.lang.'.length);
      return (value) => {
        if (typeof value === 'number') return narrow(value);
        throw tokenMismatch(value, shape, javaName);
      };
    }
    case 'float':
    case 'double':
    case 'bigInteger':
    case 'bigDecimal':
    case 'timestamp': {
      const javaName = shape.kind === 'timestamp' ? 'Date' : javaType(shape).replace(/^java\.(lang|math)\./, '');
      return (value) => {
        if (typeof value === 'number') return value;
        throw tokenMismatch(value, shape, javaName);
      };
    }
    case 'blob':
      return (value) => {
        if (typeof value === 'string') return checkBase64(value);
        if (Array.isArray(value)) throw serialization(collectionMessage(shape));
        if (typeof value === 'object') throw serialization(START_OF_OBJECT);
        throw serialization('only base-64-encoded strings are convertible to bytes');
      };
    default:
      return (value) => value;
  }
}

/**
 * DynamoDB reads integers through a truncating big number: decimals lose their fraction and out-of-range values
 * keep their low-order bits (floci's probes: Limit 5.5 and 99999999999 are accepted).
 */
const INTEGER_NARROWING: Record<'byte' | 'short' | 'integer' | 'long', (n: number) => number> = {
  byte: (n) => (Math.trunc(n) << 24) >> 24,
  short: (n) => (Math.trunc(n) << 16) >> 16,
  integer: (n) => Math.trunc(n) | 0,
  long: (n) => {
    if (!Number.isFinite(n)) return 0;
    const t = Math.trunc(n);
    return Math.abs(t) < 2 ** 63 ? t + 0 : Number(BigInt.asIntN(64, BigInt(t)));
  },
};

const BASE64_BODY = /^[A-Za-z0-9+/]*$/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function checkBase64(value: string): string {
  if (value.length % 4 !== 0) {
    throw serialization(`Base64 encoded length is expected a multiple of 4 bytes but found: ${value.length}`);
  }
  let end = value.length;
  if (end > 0 && value[end - 1] === '=') end--;
  if (end > 0 && value[end - 1] === '=') end--;
  const pads = value.length - end;
  if (pads > 0) {
    // The last data character may not carry bits beyond the decoded bytes ('+/+=' and '=+/=' both fail so).
    const last = BASE64_ALPHABET.indexOf(value[end - 1]);
    if (last >= 0 && (last & (pads === 1 ? 0b11 : 0b1111)) !== 0) {
      throw serialization('Invalid last non-pad Base64 character dectected');
    }
  }
  if (!BASE64_BODY.test(end === value.length ? value : value.slice(0, end))) {
    const bad = [...value.slice(0, end)].find((c) => !BASE64_ALPHABET.includes(c)) ?? '=';
    throw serialization(`Invalid Base64 character: '${bad}'`);
  }
  return value;
}
