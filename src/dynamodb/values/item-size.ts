import { validationError } from '../../errors/dynamodb-errors';
import { base64ByteLength, type AttributeValue, type Item } from './attribute-value';
import { DynamoNumber } from './number';

/**
 * Item size as DynamoDB measures it (developer guide "Item sizes and formats", dynalite, and byte-exact
 * captures of the 400 KB gate against AWS):
 *
 * - an item is the sum over its attributes of UTF-8 name bytes + value size;
 * - S: UTF-8 bytes; B: raw bytes; BOOL and NULL: 1;
 * - N: 1 byte plus one per base-100 digit of the value aligned on the decimal point (leading and trailing
 *   zeros dropped), plus 1 if negative; zero is 1. So `1` and `12` cost 2, `123` and `1234` 3, `1.5` 3,
 *   `3.14159` 5, `1E125` 2, `-42` 3, a 38-digit integer 20;
 * - SS, NS, BS: the sum of their members' sizes;
 * - L and M: 3 bytes, plus for each element 1 byte and its size (for a map, with its name's bytes).
 */

/** 400 KB: an item of exactly this many bytes is accepted, one more byte is refused. */
export const MAX_ITEM_SIZE = 409_600;

export const ITEM_SIZE_MESSAGES = {
  /** PutItem, BatchWriteItem, transact Put, PartiQL INSERT. */
  put: 'Item size has exceeded the maximum allowed size',
  /** UpdateItem, transact Update, PartiQL UPDATE. */
  update: 'Item size to update has exceeded the maximum allowed size',
} as const;

/** Bytes DynamoDB counts for a number in canonical or wire form. */
export function numberSize(text: string): number {
  return numberSizeOf(DynamoNumber.parse(text));
}

export function numberSizeOf(n: DynamoNumber): number {
  const count = n.digits.length;
  if (count === 0) return 1;
  // Digit i (0-based) has place value 10^(point-1-i); digits pair up by floor(place / 2).
  const pairs = Math.floor((n.point - 1) / 2) - Math.floor((n.point - count) / 2) + 1;
  return 1 + pairs + (n.negative ? 1 : 0);
}

export function utf8Size(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Size of one value (without its attribute name). */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Size(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64ByteLength(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) {
    let size = 0;
    for (const member of value.SS) size += utf8Size(member);
    return size;
  }
  if ('NS' in value) {
    let size = 0;
    for (const member of value.NS) size += numberSize(member);
    return size;
  }
  if ('BS' in value) {
    let size = 0;
    for (const member of value.BS) size += base64ByteLength(member);
    return size;
  }
  if ('L' in value) {
    let size = 3;
    for (const element of value.L) size += 1 + attributeValueSize(element);
    return size;
  }
  if ('M' in value) {
    let size = 3;
    for (const name in value.M) size += 1 + utf8Size(name) + attributeValueSize(value.M[name]!);
    return size;
  }
  throw new Error('attribute value without a type');
}

/** Size of an attribute: its name's UTF-8 bytes plus its value. */
export function attributeSize(name: string, value: AttributeValue): number {
  return utf8Size(name) + attributeValueSize(value);
}

/** Size of an item (or of any attribute map, e.g. a key). */
export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += utf8Size(name) + attributeValueSize(item[name]!);
  return size;
}

/**
 * Throws DynamoDB's ValidationException when the item is over 400 KB, in the put wording or the update
 * wording. (Standalone UpdateItem measures something slightly different from the finished item; that is the
 * update operation's business.) Returns the size.
 */
export function checkItemSize(item: Item, wording: keyof typeof ITEM_SIZE_MESSAGES = 'put'): number {
  const size = itemSize(item);
  if (size > MAX_ITEM_SIZE) throw validationError(ITEM_SIZE_MESSAGES[wording]);
  return size;
}

/** Write capacity units for writing an item of `size` bytes: one per started KB, at least 1 (2x in a transaction). */
export function writeCapacityUnits(size: number, transactional = false): number {
  const units = Math.max(1, Math.ceil(size / 1024));
  return transactional ? units * 2 : units;
}

/**
 * Read capacity units for reading an item of `size` bytes (0 for a missing item): one per started 4 KB, at
 * least 1; half for an eventually consistent read, double in a transaction.
 */
export function readCapacityUnits(size: number, consistency: 'eventual' | 'strong' | 'transactional' = 'strong'): number {
  const units = Math.max(1, Math.ceil(size / 4096));
  if (consistency === 'eventual') return units / 2;
  if (consistency === 'transactional') return units * 2;
  return units;
}
