/**
 * Model-driven request checks, in DynamoDB's order:
 *
 *  1. Deserialisation: a value of the wrong JSON type for its shape is a SerializationException. DynamoDB
 *     reads the body as a stream, so the first bad value in document order wins and its message names no path.
 *  2. A few operation-specific checks DynamoDB makes before its validator (see PRECHECKS).
 *  3. Constraints (required, length, range, pattern, enum) → one ValidationException listing up to ten
 *     violations: "N validation error(s) detected: Value 'x' at 'path' failed to satisfy constraint: ...; ...".
 *
 * Per-operation checkers are compiled once from the generated model. The valid path allocates nothing: it
 * only walks; paths and messages are built in a second pass once a violation is known to exist.
 *
 * Evidence for the messages is in the tests and the report: dynalite's test/helpers.js and test/*.js (asserted
 * against live DynamoDB), plus later captures of live responses where noted.
 */
import type { AwsError } from '../../errors/aws-error';
import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import type { Bounds, MemberDef, ShapeDef } from '../model/shape-types';
import { DYNAMODB_MODEL } from '../model/shapes.generated';

const SHAPES = DYNAMODB_MODEL.shapes;
const JAVA_PACKAGE = 'com.amazonaws.dynamodb.v20120810';
/** DynamoDB lists at most this many violations; the count in the message is of those listed. */
const MAX_LISTED = 10;
/** Deepest JSON nesting type-checked. Only AttributeValue (L, M) recurses; its own 32-level rule lies elsewhere. */
const MAX_DESERIALIZE_DEPTH = 512;

export function checkInput(operation: string, body: unknown): void {
  const checker = checkerFor(operation);
  if (checker) checker(body);
}

// ---------------------------------------------------------------------------------------------------------
// What DynamoDB does differently from the public model (each with its evidence)

/**
 * TableName members target TableArn (1..1024) since ARNs are accepted, yet DynamoDB still holds a plain name to
 * 3..255 characters of [a-zA-Z0-9_.-], in the validator's format (live capture 2026: DescribeTable '' → "2
 * validation errors ... length greater than or equal to 3; ... pattern: [a-zA-Z0-9_.-]+"; CreateTable 'ab' → the
 * length violation alone). A value starting with "arn:" is checked as a table ARN instead.
 */
const NAME_MIN = 3;
const NAME_MAX = 255;
const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const NAME_PATTERN_TEXT = '[a-zA-Z0-9_.-]+';
const ARN_FORMAT =
  "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where " +
  'Resource name must have length less than or equal to 255, Resource name must have length greater than or ' +
  'equal to 3, Resource name must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
/** Batch request maps keyed by table: dynalite test/batchGetItem.js, test/batchWriteItem.js. */
const TABLE_KEYS_TEXT =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 255, ' +
  'Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';

/** Members the public model marks required that DynamoDB leaves to the operation ("The Tag Key provided is invalid, Key: null"). */
const NOT_REQUIRED = new Set(['Tag.Key', 'Tag.Value']);
/** Members whose model constraints DynamoDB does not apply generically (ExportTableToPointInTime '' → "Invalid TableArn: Invalid Table ARN"). */
const UNCHECKED = new Set(['ExportTableToPointInTimeInput.TableArn']);
/** Lengths DynamoDB enforces that the public model omits (live capture 2026: "Value '' at 'sSESpecification.kMSMasterKeyId' ..."). */
const EXTRA_LENGTH: Record<string, Bounds> = { 'SSESpecification.KMSMasterKeyId': { min: 1 } };

/** Enum sets as DynamoDB prints them, where that order differs from the model's (dynalite tests; live captures). */
const ENUM_ORDER: Record<string, readonly string[]> = {
  Select: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'],
  ComparisonOperator: ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'],
  ConditionalOperator: ['OR', 'AND'],
  ReturnValue: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'],
  ScalarAttributeType: ['B', 'N', 'S'],
  ProjectionType: ['ALL', 'INCLUDE', 'KEYS_ONLY'],
  StreamViewType: ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'],
};

/** Patterns DynamoDB prints with their anchors; the model anchors all of them, DynamoDB mostly does not (S3Bucket: live capture). */
const ANCHORED_PATTERN_TEXT = new Set(['S3Bucket']);

/**
 * Members are validated in Java HashMap order of their lowerCamel names; members sharing a bucket keep
 * insertion order, which is model order except where observed otherwise (dynalite test/query.js lists
 * returnConsumedCapacity before queryFilter, both in bucket 9).
 */
const INSERTION_FIRST: Record<string, readonly string[]> = { QueryInput: ['ReturnConsumedCapacity', 'QueryFilter'] };

/** Checks DynamoDB makes after deserialisation and before its validator; each throws alone. */
const PRECHECKS: Record<string, (body: Record<string, unknown>) => void> = {};
for (const op of ['CreateTable', 'DescribeTable', 'DeleteTable', 'UpdateTable']) {
  // dynalite test/createTable.js etc.; still so for CreateTable in a 2026 live suite
  PRECHECKS[op] = (body) => {
    if (body.TableName == null) throw validationError("The parameter 'TableName' is required but was not present in the request");
  };
}
for (const op of ['TagResource', 'UntagResource', 'ListTagsOfResource']) {
  // dynalite test/tagResource.js, untagResource.js, listTagsOfResource.js
  PRECHECKS[op] = (body) => {
    if (body.ResourceArn == null) throw validationError('Invalid TableArn');
  };
}
/** Older name checks with their own wording (live capture 2026: legacy global tables, restore, contributor insights). */
const LEGACY_NAME_CHECKS: Record<string, readonly [member: string, label: string]> = {
  DescribeGlobalTable: ['GlobalTableName', 'TableName'],
  DescribeGlobalTableSettings: ['GlobalTableName', 'TableName'],
  RestoreTableFromBackup: ['TargetTableName', 'TableName'],
  DescribeContributorInsights: ['IndexName', 'IndexName'],
  UpdateContributorInsights: ['IndexName', 'IndexName'],
};
for (const [op, [member, label]] of Object.entries(LEGACY_NAME_CHECKS)) {
  PRECHECKS[op] = (body) => {
    const value = body[member];
    if (typeof value === 'string' && (value.length < NAME_MIN || value.length > NAME_MAX)) {
      throw validationError(`${label} must be at least 3 characters long and at most 255 characters long`);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// Per-operation checker

type Checker = (body: unknown) => void;
const checkers = new Map<string, Checker>();

/** Null for names the model does not know (the dispatcher answers those); only model operations are cached. */
function checkerFor(operation: string): Checker | null {
  let checker = checkers.get(operation);
  if (checker === undefined) {
    if (!Object.prototype.hasOwnProperty.call(DYNAMODB_MODEL.operations, operation)) return null;
    checker = compileOperation(operation, DYNAMODB_MODEL.operations[operation]);
    checkers.set(operation, checker);
  }
  return checker;
}

function compileOperation(operation: string, input: number): Checker {
  const deserialize = deserializer(input, 'value');
  const precheck = PRECHECKS[operation];
  const validate = validator(input);
  return (body) => {
    // An empty or null body is an input with no members.
    const value = body === null || body === undefined ? {} : body;
    deserialize(value, 0);
    if (precheck) precheck(value as Record<string, unknown>);
    if (!validate || validate(value, '', null)) return;
    const out: string[] = [];
    validate(value, '', out);
    throw validationError(`${out.length} validation error${out.length === 1 ? '' : 's'} detected: ${out.join('; ')}`);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Stage 1: deserialisation (messages: dynalite test/helpers.js assertType)

/** Returns the value as DynamoDB reads it (booleans from "true", truncated integers); throws on a type error. */
type Deserializer = (value: unknown, depth: number) => unknown;
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

function deserializer(id: number, position: Position): Deserializer {
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

// ---------------------------------------------------------------------------------------------------------
// Stage 3: constraints

/**
 * Walks a value of one shape. With `out` null it stops at the first violation and builds nothing; with `out`
 * it appends DynamoDB's messages (at most MAX_LISTED). Returns false if anything is violated.
 */
type Validator = (value: unknown, path: string, out: string[] | null) => boolean;

/** The constraints a value itself must meet (as opposed to what lies inside it). */
interface Own {
  violated(value: unknown): boolean;
  /** Constraint texts the value violates, in the order they are checked. */
  texts(value: unknown): string[];
}

interface Rule {
  readonly broken: (value: unknown) => boolean;
  readonly text: string;
}

/** Shapes whose inside the validator leaves alone: attribute values have their own rules elsewhere. */
const OPAQUE = new Set(['AttributeValue']);

const lowerFirst = (name: string): string => name[0].toLowerCase() + name.slice(1);

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

function ownOf(id: number): Own | null {
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

/** Plain-name violations, or the single ARN violation, of a TableName value; null when it is fine. */
function tableNameProblems(value: string): string[] | null {
  if (value.startsWith('arn:')) {
    const problem = tableArnProblem(value);
    return problem === null ? null : [problem];
  }
  const texts: string[] = [];
  if (value.length < NAME_MIN) texts.push(`Member must have length greater than or equal to ${NAME_MIN}`);
  if (value.length > NAME_MAX) texts.push(`Member must have length less than or equal to ${NAME_MAX}`);
  if (!NAME_PATTERN.test(value)) texts.push(`Member must satisfy regular expression pattern: ${NAME_PATTERN_TEXT}`);
  return texts.length ? texts : null;
}

/** arn:<partition>:<vendor>:<region>:<account>:table/<name> (messages as ExtendDB captured them from DynamoDB). */
function tableArnProblem(arn: string): string | null {
  let at = 0;
  for (let colons = 0; colons < 5; colons++) {
    at = arn.indexOf(':', at) + 1;
    if (at === 0) return ARN_FORMAT;
  }
  const resource = arn.slice(at);
  const slash = resource.indexOf('/');
  if (resource === '' || slash < 0) return ARN_FORMAT;
  if (resource.slice(0, slash) !== 'table') return 'Invalid resource type';
  const name = resource.slice(slash + 1);
  if (name.length < NAME_MIN) return 'Table name of ARN must have length greater than or equal to 3';
  if (name.length > NAME_MAX || !NAME_PATTERN.test(name)) return ARN_FORMAT;
  return null;
}

const TABLE_NAME_OWN: Own = {
  violated: (value) => typeof value === 'string' && tableNameProblems(value) !== null,
  texts: (value) => (typeof value === 'string' ? tableNameProblems(value) ?? [] : []),
};

function memberOwn(structure: ShapeDef, member: MemberDef): Own | null {
  const qualified = `${structure.name}.${member.name}`;
  if (UNCHECKED.has(qualified)) return null;
  if (member.name === 'TableName' && SHAPES[member.target].name === 'TableArn') return TABLE_NAME_OWN;
  const extra = EXTRA_LENGTH[qualified];
  if (extra) return ownFromRules(ownRules({ ...SHAPES[member.target], length: { ...SHAPES[member.target].length, ...extra } }));
  return ownOf(member.target);
}

// Java patterns → JS. The model's patterns only need these two rewrites; S3Bucket's would backtrack badly on
// long input, so it gets an equivalent linear test.
function patternMatcher(pattern: string): (value: string) => boolean {
  if (pattern === '^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$') {
    const edge = /^[a-z0-9A-Z]$/;
    const middle = /^[.\-\w]*$/;
    return (v) => v.length >= 2 && edge.test(v[0]) && edge.test(v[v.length - 1]) && middle.test(v);
  }
  const js = pattern
    .replace(/\[([^\]]*)\\p\{Print\}/g, '[$1\\x20-\\x7E')
    .replace(/\\p\{Print\}/g, '[\\x20-\\x7E]')
    .replace(/\\uD800\\uDC00-\\uDBFF\\uDFFF/g, '\\uD800-\\uDFFF');
  const re = new RegExp(js);
  return (v) => re.test(v);
}

function patternText(shape: ShapeDef): string {
  const pattern = shape.pattern ?? '';
  if (ANCHORED_PATTERN_TEXT.has(shape.name)) return pattern;
  return pattern.replace(/^\^/, '').replace(/\$$/, '');
}

// -- walking --------------------------------------------------------------------------------------------

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

function validator(id: number): Validator | null {
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

// -- Java ordering ----------------------------------------------------------------------------------------
// DynamoDB's validator iterates HashMaps and HashSets, so its order is Java's bucket order (Java 8 hashing).

function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Table size of a HashMap after `size` puts from the default 16 with load factor 0.75. */
function javaCapacity(size: number): number {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

function javaHashOrder<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const mask = javaCapacity(items.length) - 1;
  return items
    .map((item, index) => {
      const h = javaHash(keyOf(item));
      return { item, index, bucket: (h ^ (h >>> 16)) & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.item);
}

function javaMemberOrder(shape: ShapeDef): MemberDef[] {
  const members = [...(shape.members ?? [])];
  const first = INSERTION_FIRST[shape.name] ?? [];
  const rank = (m: MemberDef): number => (first.includes(m.name) ? first.indexOf(m.name) - first.length : 0);
  const inserted = members.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map((e) => e.m);
  return javaHashOrder(inserted, (m) => lowerFirst(m.name));
}

function javaMapKeys(map: Record<string, unknown>): string[] {
  return javaHashOrder(Object.keys(map), (k) => k);
}

// -- rendering values the way Java's toString does (for "Value '...'") ------------------------------------

const MAX_RENDER_DEPTH = 64;

function render(shape: ShapeDef, value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (depth > MAX_RENDER_DEPTH) return '...';
  switch (shape.kind) {
    case 'list': {
      if (!Array.isArray(value)) break;
      const element = SHAPES[shape.member!];
      return `[${value.map((v: unknown) => render(element, v, depth + 1)).join(', ')}]`;
    }
    case 'map': {
      if (!isObject(value)) break;
      const entry = SHAPES[shape.value!];
      return `{${javaMapKeys(value).map((k) => `${k}=${render(entry, value[k], depth + 1)}`).join(', ')}}`;
    }
    case 'structure':
    case 'union': {
      if (!isObject(value)) break;
      const fields = (shape.members ?? []).map((m) => `${lowerFirst(m.name)}=${render(SHAPES[m.target], value[m.name], depth + 1)}`);
      return `${shape.name}(${fields.join(', ')})`;
    }
    case 'blob':
      if (typeof value !== 'string') break;
      return `java.nio.HeapByteBuffer[pos=0 lim=${Buffer.byteLength(value, 'base64')} cap=${Buffer.byteLength(value, 'base64')}]`;
    case 'float':
    case 'double':
      if (typeof value === 'number') return javaDouble(value);
      break;
    default:
      break;
  }
  return typeof value === 'object' ? '' : String(value);
}

function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(n);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

// -- small helpers --------------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function countKeys(object: Record<string, unknown>): number {
  let n = 0;
  for (const _ in object) n++;
  return n;
}

function someKey(object: Record<string, unknown>, test: (key: string) => boolean): boolean {
  for (const key in object) if (test(key)) return true;
  return false;
}

function someValue(object: Record<string, unknown>, test: (value: unknown) => boolean): boolean {
  for (const key in object) {
    const value = object[key];
    if (value !== null && value !== undefined && test(value)) return true;
  }
  return false;
}
