import { DynamoNumber } from './number';
import type { AttributeValue, KeyAttributeType } from './attribute-value';

/**
 * How DynamoDB orders and compares attribute values, in conditions and in sort keys.
 *
 * - Comparison is type-sensitive: `{"S":"6"}` and `{"N":"6"}` are never equal, and `<`, `<=`, `>`, `>=`,
 *   BETWEEN only relate two values of the same scalar type (S, N or B); anything else is no match.
 * - Strings compare by the bytes of their UTF-8 encoding (the developer guide: "a" (0x61) > "A" (0x41),
 *   "¿" (0xC2BF) > "z" (0x7A)), which is Unicode code point order, not JavaScript's UTF-16 order: U+1F600 is
 *   greater than U+FF61 in DynamoDB, smaller in `<` on JS strings.
 * - Binary compares as unsigned bytes; numbers numerically.
 * - Sets are equal when they hold the same members in any order (number members by value, binary by bytes);
 *   lists are equal element by element in order; maps when they have the same names with equal values.
 */

/** UTF-8 byte order (= code point order) of two strings, without encoding them. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF in code point order.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Unsigned byte order. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** The bytes of a base64 wire value. */
export function decodeBinary(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

/**
 * Order of two values as `<`/`>`/BETWEEN see them: a number for two S, two N or two B values, `undefined`
 * when DynamoDB would not relate them (different types, or a type without an order).
 */
export function compareScalarValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a) return 'S' in b ? compareStrings(a.S, b.S) : undefined;
  if ('N' in a) return 'N' in b ? DynamoNumber.parse(a.N).compareTo(DynamoNumber.parse(b.N)) : undefined;
  if ('B' in a) return 'B' in b ? compareBytes(decodeBinary(a.B), decodeBinary(b.B)) : undefined;
  return undefined;
}

/** Order of two key values of the same scalar type (sort key order). */
export function compareKeyValues(a: AttributeValue, b: AttributeValue): number {
  const result = compareScalarValues(a, b);
  if (result === undefined) throw new Error('key values must be of the same scalar type');
  return result;
}

/** DynamoDB's equality (`=`, `<>`, IN, EQ): type-sensitive and deep. */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && (a.N === b.N || DynamoNumber.parse(a.N).equals(DynamoNumber.parse(b.N)));
  if ('B' in a) return 'B' in b && (a.B === b.B || decodeBinary(a.B).equals(decodeBinary(b.B)));
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameMembers(a.SS, b.SS, (s) => s);
  if ('NS' in a) return 'NS' in b && sameMembers(a.NS, b.NS, (n) => DynamoNumber.parse(n).toString());
  if ('BS' in a) return 'BS' in b && sameMembers(a.BS, b.BS, (x) => decodeBinary(x).toString('base64'));
  if ('L' in a) {
    if (!('L' in b) || a.L.length !== b.L.length) return false;
    for (let i = 0; i < a.L.length; i++) if (!attributeValuesEqual(a.L[i]!, b.L[i]!)) return false;
    return true;
  }
  if ('M' in a) {
    if (!('M' in b)) return false;
    const keysA = Object.keys(a.M);
    if (keysA.length !== Object.keys(b.M).length) return false;
    for (const key of keysA) {
      const other = Object.prototype.hasOwnProperty.call(b.M, key) ? b.M[key] : undefined;
      if (other === undefined || !attributeValuesEqual(a.M[key]!, other)) return false;
    }
    return true;
  }
  return false;
}

function sameMembers(a: readonly string[], b: readonly string[], canonical: (member: string) => string): boolean {
  if (a.length !== b.length) return false;
  const members = new Set(b.map(canonical));
  if (members.size !== b.length) {
    // Not a valid set; fall back to comparing distinct members.
    const mine = new Set(a.map(canonical));
    return mine.size === members.size && [...mine].every((m) => members.has(m));
  }
  for (const member of a) if (!members.has(canonical(member))) return false;
  return true;
}

/**
 * Order-preserving bytes for a key value: comparing two encodings of values of the same type byte-wise gives
 * DynamoDB's order. S is its UTF-8 bytes, B its raw bytes, N the encoding of `DynamoNumber.encode`. Suitable
 * as a component of `storage/tuple-key` keys.
 */
export function encodeKeyValue(value: AttributeValue): Buffer {
  if ('S' in value) return Buffer.from(value.S, 'utf8');
  if ('N' in value) return DynamoNumber.parse(value.N).encode();
  if ('B' in value) return decodeBinary(value.B);
  throw new Error('only S, N and B values can be key values');
}

/** Inverse of `encodeKeyValue`, given the key's type. */
export function decodeKeyValue(type: KeyAttributeType, bytes: Uint8Array): AttributeValue {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'S':
      return { S: buffer.toString('utf8') };
    case 'N':
      return { N: DynamoNumber.decode(buffer).toString() };
    case 'B':
      return { B: buffer.toString('base64') };
  }
}
