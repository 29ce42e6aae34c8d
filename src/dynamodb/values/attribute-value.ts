import { dynamoError, validationError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import { DynamoNumber, numberProblemMessage, type ValueCheckLayer } from './number';
import { compareBytes, compareStrings } from './order';

export type { ValueCheckLayer } from './number';

/**
 * DynamoDB's AttributeValue, in its wire (JSON) form: binary values are base64 text, numbers decimal text.
 * Values returned by the validators here are canonical: numbers in DynamoDB's printed form, binary in
 * standard padded base64, sets in the order they were sent (DynamoDB promises no order for sets).
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: AttributeMap }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

export interface AttributeMap {
  [name: string]: AttributeValue;
}

/** An item, a key, or ExpressionAttributeValues: attribute names to values. */
export type Item = AttributeMap;

export const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];
export type KeyAttributeType = 'S' | 'N' | 'B';

const TYPE_SET: ReadonlySet<string> = new Set(ATTRIBUTE_TYPES);

/** The type of a validated value. */
export function attributeType(value: AttributeValue): AttributeType {
  for (const key in value) if (TYPE_SET.has(key)) return key as AttributeType;
  throw new Error('attribute value without a type');
}

/** DynamoDB's document nesting limit: the attribute itself is level 1, its leaf may sit at level 32. */
export const MAX_NESTING_DEPTH = 32;

export const ATTRIBUTE_VALUE_MESSAGES = {
  empty: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
  moreThanOne: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  nullNotTrue: 'One or more parameter values were invalid: Null attribute value types must have the value of true',
  // The double space and "An string"/"An number" are DynamoDB's.
  emptyStringSet: 'One or more parameter values were invalid: An string set  may not be empty',
  emptyNumberSet: 'One or more parameter values were invalid: An number set  may not be empty',
  emptyBinarySet: 'One or more parameter values were invalid: Binary sets should not be empty',
  nesting: 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
} as const;

const INVALID = 'One or more parameter values were invalid: ';

export interface ValueCheckOptions {
  /** Which of DynamoDB's two value checkers to imitate (see `ValueCheckLayer`); default `current`. */
  layer?: ValueCheckLayer;
  /** Deepest allowed level, the attribute itself being 1; default 32. `Infinity` skips the check. */
  maxDepth?: number;
  /**
   * `{"NULL": false}`: refused with `nullNotTrue`, or accepted and stored as `{"NULL": true}`. AWS refused it
   * for years (dynalite's captures); PutItem in eu-west-2 accepts and normalises it since 2026-06. Default:
   * accept for the current layer, refuse for the legacy one.
   */
  nullFalse?: 'accept' | 'reject';
}

/**
 * Validates one attribute value the way DynamoDB does after deserialisation, and returns it canonicalised.
 * Throws DynamoDB's ValidationException (or, for wrong JSON shapes the model check should already have
 * refused, a SerializationException).
 *
 * Order (dynalite, checked against AWS): members that are null or not a type name are ignored; no type left
 * gives `empty`; each type present is then checked in the order it was sent (a bad number in
 * `{"S":"a","N":"b"}` wins over the type count); only then does a second type give `moreThanOne`.
 */
export function validateAttributeValue(value: unknown, options: ValueCheckOptions = {}): AttributeValue {
  return new Checker(options).value(value, 1);
}

/** Validates every attribute of an item (or key, or ExpressionAttributeValues), returning it canonicalised. */
export function validateItem(item: unknown, options: ValueCheckOptions = {}): Item {
  return new Checker(options).map(item, 1);
}

class Checker {
  private readonly layer: ValueCheckLayer;
  private readonly maxDepth: number;
  private readonly acceptNullFalse: boolean;

  constructor(options: ValueCheckOptions) {
    this.layer = options.layer ?? 'current';
    this.maxDepth = options.maxDepth ?? MAX_NESTING_DEPTH;
    this.acceptNullFalse = (options.nullFalse ?? (this.layer === 'current' ? 'accept' : 'reject')) === 'accept';
  }

  /** A map of values whose own values sit at `depth`. */
  map(input: unknown, depth: number): AttributeMap {
    const map = expectMap(input);
    const out: AttributeMap = {};
    for (const name in map) {
      if (!Object.prototype.hasOwnProperty.call(map, name)) continue;
      setOwn(out, name, this.value(map[name], depth));
    }
    return out;
  }

  value(input: unknown, depth: number): AttributeValue {
    if (depth > this.maxDepth) throw validationError(ATTRIBUTE_VALUE_MESSAGES.nesting);
    if (input === null || input === undefined) throw validationError(ATTRIBUTE_VALUE_MESSAGES.empty);
    const value = expectStructure(input);
    let result: AttributeValue | undefined;
    let count = 0;
    for (const type in value) {
      if (!TYPE_SET.has(type) || !Object.prototype.hasOwnProperty.call(value, type)) continue;
      const member = value[type];
      if (member === null || member === undefined) continue;
      const checked = this.typed(type as AttributeType, member, depth);
      if (count === 0) result = checked;
      count++;
    }
    if (count === 0) throw validationError(ATTRIBUTE_VALUE_MESSAGES.empty);
    if (count > 1) throw validationError(ATTRIBUTE_VALUE_MESSAGES.moreThanOne);
    return result!;
  }

  private typed(type: AttributeType, member: unknown, depth: number): AttributeValue {
    switch (type) {
      case 'S':
        return { S: expectString(member, 'String') };
      case 'N':
        return { N: this.number(expectString(member, 'String')) };
      case 'B':
        return { B: canonicalBase64(member) };
      case 'BOOL':
        return { BOOL: expectBoolean(member) };
      case 'NULL':
        if (!expectBoolean(member) && !this.acceptNullFalse) throw validationError(ATTRIBUTE_VALUE_MESSAGES.nullNotTrue);
        return { NULL: true };
      case 'SS':
        return { SS: this.stringSet(member) };
      case 'NS':
        return { NS: this.numberSet(member) };
      case 'BS':
        return { BS: this.binarySet(member) };
      case 'L': {
        const list = expectList(member);
        const out: AttributeValue[] = new Array(list.length);
        for (let i = 0; i < list.length; i++) out[i] = this.value(list[i], depth + 1);
        return { L: out };
      }
      case 'M':
        return { M: this.map(member, depth + 1) };
    }
  }

  private number(text: string): string {
    const parsed = DynamoNumber.tryParse(text, this.layer);
    if (typeof parsed === 'string') throw validationError(numberProblemMessage(parsed, text, this.layer));
    return parsed.toString();
  }

  private stringSet(member: unknown): string[] {
    const list = expectList(member);
    const out: string[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = expectString(list[i], 'String');
    if (out.length === 0) throw validationError(ATTRIBUTE_VALUE_MESSAGES.emptyStringSet);
    const repeat = firstRepeat(out);
    if (repeat >= 0) throw validationError(this.duplicateMessage('SS', out, out, repeat));
    return out;
  }

  private numberSet(member: unknown): string[] {
    const list = expectList(member);
    const raw: string[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) raw[i] = expectString(list[i], 'String');
    if (raw.length === 0) throw validationError(ATTRIBUTE_VALUE_MESSAGES.emptyNumberSet);
    const out = raw.map((text) => this.number(text));
    const repeat = firstRepeat(out);
    if (repeat >= 0) throw validationError(this.duplicateMessage('NS', raw, out, repeat));
    return out;
  }

  private binarySet(member: unknown): string[] {
    const list = expectList(member);
    const raw: string[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) raw[i] = expectString(list[i], 'Blob');
    const out = raw.map((text) => canonicalBase64(text));
    if (out.length === 0) throw validationError(ATTRIBUTE_VALUE_MESSAGES.emptyBinarySet);
    const repeat = firstRepeat(out);
    if (repeat >= 0) throw validationError(this.duplicateMessage('BS', raw, out, repeat));
    return out;
  }

  /**
   * The duplicate-member message, as captured against AWS (2026-10, four regions) for SS b,a,b / BS
   * /w==,AA==,AA== / NS 2,1,2:
   *   current  `...Input collection ["a", "b", "b"] contains duplicates.`
   *            `...Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`
   *            `...Input collection contains duplicates.`
   *   legacy   `...Input collection [b, a, b] contains duplicates.`
   *            `...Input collection [/w==, AA==, AA==]of type BS contains duplicates.`
   *            `Input collection contains duplicates` (no prefix, no full stop)
   * The current layer lists the members in byte order up to the first repeat, then the repeat, then the rest
   * as sent; the legacy one lists them as sent.
   */
  private duplicateMessage(type: 'SS' | 'NS' | 'BS', raw: string[], canonical: string[], repeat: number): string {
    if (type === 'NS') {
      return this.layer === 'legacy' ? 'Input collection contains duplicates' : `${INVALID}Input collection contains duplicates.`;
    }
    if (this.layer === 'legacy') {
      const listed = `[${raw.join(', ')}]`;
      return type === 'SS'
        ? `${INVALID}Input collection ${listed} contains duplicates.`
        : `${INVALID}Input collection ${listed}of type BS contains duplicates.`;
    }
    const seen = [...new Set(canonical.slice(0, repeat))];
    if (type === 'SS') seen.sort(compareStrings);
    else seen.sort((a, b) => compareBytes(Buffer.from(a, 'base64'), Buffer.from(b, 'base64')));
    const members = [...seen, canonical[repeat]!, ...canonical.slice(repeat + 1)].map((m) => JSON.stringify(m));
    return type === 'SS'
      ? `${INVALID}Input collection [${members.join(', ')}] contains duplicates.`
      : `${INVALID}Input collection [${members.join(',')}]of type BS contains duplicates.`;
  }
}

/** Assignment that treats `__proto__` as an ordinary attribute name. */
export function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** Index of the first member equal to an earlier one, or -1. */
function firstRepeat(members: readonly string[]): number {
  if (members.length < 2) return -1;
  if (members.length === 2) return members[0] === members[1] ? 1 : -1;
  const seen = new Set<string>();
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (seen.has(m)) return i;
    seen.add(m);
  }
  return -1;
}

// ---- Shape guards -------------------------------------------------------------------------------------
// The model-derived check (SerializationException) runs before any of this and refuses wrong JSON shapes;
// these guards keep the validator total and answer in Coral's words if something slips through.

function serialization(message: string): AwsError {
  return dynamoError('SerializationException', message);
}

function jsonKind(value: unknown): string {
  if (typeof value === 'string') return 'STRING_VALUE';
  if (typeof value === 'number' || typeof value === 'bigint') return 'NUMBER_VALUE';
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  return 'VALUE';
}

function notExpected(value: unknown, target: string): AwsError {
  if (Array.isArray(value)) return serialization('Start of list found where not expected');
  if (value !== null && typeof value === 'object') return serialization('Start of structure or map found where not expected.');
  return serialization(`${jsonKind(value)} cannot be converted to ${target}`);
}

function expectString(value: unknown, target: 'String' | 'Blob'): string {
  if (typeof value === 'string') return value;
  throw notExpected(value, target);
}

function expectBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw notExpected(value, 'Boolean');
}

function expectList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') throw serialization('Start of structure or map found where not expected.');
  throw notExpected(value, 'List');
}

function expectMap(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw notExpected(value, 'Map');
}

function expectStructure(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw notExpected(value, 'AttributeValue');
}

const BASE64_CHAR = /^[A-Za-z0-9+/]$/;

/**
 * Standard padded base64, as DynamoDB's deserialiser requires it (messages from dynalite's captures of
 * Coral; the model check normally reports these first). Returns the text unchanged when valid.
 */
export function canonicalBase64(value: unknown): string {
  const text = expectString(value, 'Blob');
  const blob = (detail: string) => serialization(`'${text}' can not be converted to a Blob: ${detail}`);
  if (text.length % 4 !== 0) {
    throw blob(`Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`);
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '=') {
      if (i >= text.length - 2 && (i === text.length - 1 || text[i + 1] === '=')) continue;
      throw blob(`Invalid Base64 character: '${ch}'`);
    }
    if (!BASE64_CHAR.test(ch)) throw blob(`Invalid Base64 character: '${ch}'`);
  }
  const canonical = Buffer.from(text, 'base64').toString('base64');
  if (canonical !== text) throw blob('Invalid last non-pad Base64 character dectected');
  return text;
}

// ---- Keys ---------------------------------------------------------------------------------------------

export const HASH_KEY_MAX_BYTES = 2048;
export const RANGE_KEY_MAX_BYTES = 1024;

export const KEY_MESSAGES = {
  schemaMismatch: 'The provided key element does not match the schema',
  missing: (name: string) => `${INVALID}Missing the key ${name} in the item`,
  typeMismatch: (name: string, expected: string, actual: string) =>
    `${INVALID}Type mismatch for key ${name} expected: ${expected} actual: ${actual}`,
  emptyString: (name: string) =>
    `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
  emptyBinary: (name: string) =>
    `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`,
  // Sic: no space in "of2048".
  hashKeyTooLarge: `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
  rangeKeyTooLarge: `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
  indexTypeMismatch: (name: string, expected: string, actual: string, indexName: string) =>
    `${INVALID}Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: ${indexName}`,
  indexEmptyString: (name: string, indexName: string) =>
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
    `The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${indexName}, IndexKey: ${name}`,
  /** Inferred from the string form; not captured. */
  indexEmptyBinary: (name: string, indexName: string) =>
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
    `The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: ${indexName}, IndexKey: ${name}`,
  /** UpdateItem / transact Update setting an index key to an empty string (no index or key named). */
  updateIndexEmptyString:
    'One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. ' +
    'The AttributeValue for a key attribute cannot contain an empty string value.',
} as const;

export interface KeyAttribute {
  name: string;
  type: KeyAttributeType;
}

export interface KeySchema {
  hash: KeyAttribute;
  range?: KeyAttribute;
}

export interface IndexKeySchema {
  name: string;
  /** A local index's hash key is the table's; listing it is harmless. */
  hash?: KeyAttribute;
  range?: KeyAttribute;
}

export type KeyRole = 'HASH' | 'RANGE';

function isEmptyKeyValue(value: AttributeValue): 'S' | 'B' | undefined {
  if ('S' in value && value.S === '') return 'S';
  if ('B' in value && value.B === '') return 'B';
  return undefined;
}

/** UTF-8 bytes of an S key value, raw bytes of a B one; numbers have no key size limit. */
function keyValueBytes(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return base64ByteLength(value.B);
  return 0;
}

/** Raw byte length of (valid, padded) base64 text, without decoding it. */
export function base64ByteLength(base64: string): number {
  const n = base64.length;
  if (n === 0) return 0;
  const padding = base64.charCodeAt(n - 1) === 61 ? (base64.charCodeAt(n - 2) === 61 ? 2 : 1) : 0;
  return (n / 4) * 3 - padding;
}

function checkKeySize(value: AttributeValue, role: KeyRole): void {
  const bytes = keyValueBytes(value);
  if (role === 'HASH' && bytes > HASH_KEY_MAX_BYTES) throw validationError(KEY_MESSAGES.hashKeyTooLarge);
  if (role === 'RANGE' && bytes > RANGE_KEY_MAX_BYTES) throw validationError(KEY_MESSAGES.rangeKeyTooLarge);
}

/**
 * One key attribute of an item being written (PutItem, BatchWriteItem Put, transact Put): missing, wrong
 * type, empty string/binary, too large — in that order, with DynamoDB's messages.
 */
export function validateKeyAttribute(name: string, value: AttributeValue | undefined, expectedType: KeyAttributeType, role: KeyRole): void {
  if (value === undefined) throw validationError(KEY_MESSAGES.missing(name));
  if (!(expectedType in value)) throw validationError(KEY_MESSAGES.typeMismatch(name, expectedType, attributeType(value)));
  const empty = isEmptyKeyValue(value);
  if (empty) throw validationError(empty === 'S' ? KEY_MESSAGES.emptyString(name) : KEY_MESSAGES.emptyBinary(name));
  checkKeySize(value, role);
}

/** One index key attribute of an item being written; absent is fine (the item is just not in the index). */
export function validateIndexKeyAttribute(name: string, value: AttributeValue | undefined, expectedType: KeyAttributeType, indexName: string): void {
  if (value === undefined) return;
  if (!(expectedType in value)) {
    throw validationError(KEY_MESSAGES.indexTypeMismatch(name, expectedType, attributeType(value), indexName));
  }
  const empty = isEmptyKeyValue(value);
  if (empty) {
    throw validationError(empty === 'S' ? KEY_MESSAGES.indexEmptyString(name, indexName) : KEY_MESSAGES.indexEmptyBinary(name, indexName));
  }
}

function keyAttributes(schema: KeySchema): [KeyAttribute, KeyRole][] {
  const out: [KeyAttribute, KeyRole][] = [[schema.hash, 'HASH']];
  if (schema.range) out.push([schema.range, 'RANGE']);
  return out;
}

function indexAttributes(indexes: readonly IndexKeySchema[]): [KeyAttribute, string][] {
  const out: [KeyAttribute, string][] = [];
  // When an attribute keys several indexes, AWS names the alphabetically first one.
  const sorted = [...indexes].sort((a, b) => compareStrings(a.name, b.name));
  for (const index of sorted) {
    if (index.hash) out.push([index.hash, index.name]);
    if (index.range) out.push([index.range, index.name]);
  }
  return out;
}

/**
 * The key checks on an item being written. AWS refuses empty key values up front (a transaction reports them
 * as a plain ValidationException) and the schema mismatches later (a transaction cancels with them), so
 * empty table-key and index-key values are reported before missing keys and type mismatches.
 */
export function validateItemKeys(item: Item, schema: KeySchema, indexes: readonly IndexKeySchema[] = []): void {
  const own = (name: string) => (Object.prototype.hasOwnProperty.call(item, name) ? item[name] : undefined);
  for (const [attribute] of keyAttributes(schema)) {
    const value = own(attribute.name);
    const empty = value && attribute.type in value ? isEmptyKeyValue(value) : undefined;
    if (empty) throw validationError(empty === 'S' ? KEY_MESSAGES.emptyString(attribute.name) : KEY_MESSAGES.emptyBinary(attribute.name));
  }
  const indexKeys = indexAttributes(indexes);
  for (const [attribute, indexName] of indexKeys) {
    const value = own(attribute.name);
    const empty = value && attribute.type in value ? isEmptyKeyValue(value) : undefined;
    if (empty) {
      throw validationError(
        empty === 'S' ? KEY_MESSAGES.indexEmptyString(attribute.name, indexName) : KEY_MESSAGES.indexEmptyBinary(attribute.name, indexName),
      );
    }
  }
  for (const [attribute, role] of keyAttributes(schema)) validateKeyAttribute(attribute.name, own(attribute.name), attribute.type, role);
  for (const [attribute, indexName] of indexKeys) validateIndexKeyAttribute(attribute.name, own(attribute.name), attribute.type, indexName);
}

/**
 * A `Key` parameter (GetItem, DeleteItem, UpdateItem, BatchGetItem, transact Get/Update/Delete/ConditionCheck):
 * empty key values first, then any difference from the schema (other attributes, a missing key, a wrong
 * type) as `The provided key element does not match the schema`, then the size limits.
 */
export function validateKey(key: Item, schema: KeySchema): void {
  const attributes = keyAttributes(schema);
  for (const [attribute] of attributes) {
    const value = Object.prototype.hasOwnProperty.call(key, attribute.name) ? key[attribute.name] : undefined;
    const empty = value && attribute.type in value ? isEmptyKeyValue(value) : undefined;
    if (empty) throw validationError(empty === 'S' ? KEY_MESSAGES.emptyString(attribute.name) : KEY_MESSAGES.emptyBinary(attribute.name));
  }
  if (Object.keys(key).length !== attributes.length) throw validationError(KEY_MESSAGES.schemaMismatch);
  for (const [attribute] of attributes) {
    const value = Object.prototype.hasOwnProperty.call(key, attribute.name) ? key[attribute.name] : undefined;
    if (value === undefined || !(attribute.type in value)) throw validationError(KEY_MESSAGES.schemaMismatch);
  }
  for (const [attribute, role] of attributes) checkKeySize(key[attribute.name]!, role);
}

// ---- Message envelopes ---------------------------------------------------------------------------------

/**
 * The current layer reports a bad value in PutItem, UpdateItem and DeleteItem inside this envelope (wherever
 * the value sits); GetItem, BatchGetItem and Query report it bare (captured, 2026-10).
 */
export function oneValidationError(message: string): string {
  return `1 validation error detected: ${message}`;
}

/** The legacy layer's wrapper for a bad ExpressionAttributeValues entry (BatchWriteItem, transactions, Scan). */
export function expressionAttributeValueError(key: string, message: string): string {
  return `ExpressionAttributeValues contains invalid value: ${message} for key ${key}`;
}
