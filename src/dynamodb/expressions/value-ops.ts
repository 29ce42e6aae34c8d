import { validationError } from '../../errors/dynamodb-errors';
import type { AttributeValue } from './types';

/**
 * The one seam between the expression modules and value semantics: equality, ordering, bytes of binary values
 * and number arithmetic. Every expression module imports these from here and nowhere else.
 *
 * The names and signatures are those of `src/dynamodb/values/` (`order.ts`: attributeValuesEqual,
 * compareScalarValues, compareStrings, decodeBinary; `number.ts`: addNumberText, subtractNumberText). Until that
 * module is settled, a small self-contained implementation lives here; switching is a change of this file only:
 *
 *   export { attributeValuesEqual, compareScalarValues, compareStrings, decodeBinary } from '../values/order';
 *   export { addNumberText, subtractNumberText } from '../values/number';
 */

/** The bytes of a base64 wire value. */
export function decodeBinary(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

/** UTF-8 byte order (= code point order) of two strings, without encoding them. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogate pairs (code points above U+FFFF) sort after U+E000..U+FFFF in code point order.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Order of two values as `<`, `<=`, `>`, `>=` and BETWEEN see them: a number for two S, two N or two B values,
 * `undefined` when DynamoDB does not relate them.
 */
export function compareScalarValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a) return 'S' in b ? compareStrings(a.S, b.S) : undefined;
  if ('N' in a) return 'N' in b ? compareDecimals(parseDecimal(a.N), parseDecimal(b.N)) : undefined;
  if ('B' in a) return 'B' in b ? Buffer.compare(decodeBinary(a.B), decodeBinary(b.B)) : undefined;
  return undefined;
}

/** DynamoDB's equality (`=`, `<>`, IN, list membership): type-sensitive and deep; sets ignore order. */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && (a.N === b.N || compareDecimals(parseDecimal(a.N), parseDecimal(b.N)) === 0);
  if ('B' in a) return 'B' in b && (a.B === b.B || decodeBinary(a.B).equals(decodeBinary(b.B)));
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameMembers(a.SS, b.SS, (s) => s);
  if ('NS' in a) return 'NS' in b && sameMembers(a.NS, b.NS, (n) => printDecimal(parseDecimal(n)));
  if ('BS' in a) return 'BS' in b && sameMembers(a.BS, b.BS, (x) => decodeBinary(x).toString('base64'));
  if ('L' in a) {
    if (!('L' in b) || a.L.length !== b.L.length) return false;
    for (let i = 0; i < a.L.length; i++) if (!attributeValuesEqual(a.L[i]!, b.L[i]!)) return false;
    return true;
  }
  if ('M' in a) {
    if (!('M' in b)) return false;
    const keys = Object.keys(a.M);
    if (keys.length !== Object.keys(b.M).length) return false;
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(b.M, key)) return false;
      if (!attributeValuesEqual(a.M[key]!, b.M[key]!)) return false;
    }
    return true;
  }
  return false;
}

function sameMembers(a: readonly string[], b: readonly string[], canonical: (member: string) => string): boolean {
  if (a.length !== b.length) return false;
  const members = new Set(b.map(canonical));
  for (const member of a) if (!members.has(canonical(member))) return false;
  return true;
}

/** `a + b` on wire numbers, with DynamoDB's range errors; returns canonical text. */
export function addNumberText(a: string, b: string): string {
  return arithmetic(parseDecimal(a), parseDecimal(b), 1n);
}

/** `a - b` on wire numbers, with DynamoDB's range errors; returns canonical text. */
export function subtractNumberText(a: string, b: string): string {
  return arithmetic(parseDecimal(a), parseDecimal(b), -1n);
}

// ---------------------------------------------------------------------------------------------------------------
// A minimal exact decimal: value = coefficient × 10^exponent.
// ---------------------------------------------------------------------------------------------------------------

interface Decimal {
  coefficient: bigint;
  exponent: number;
}

const NUMBER_TEXT = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

function parseDecimal(text: string): Decimal {
  const match = NUMBER_TEXT.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw validationError(`The parameter cannot be converted to a numeric value: ${text}`);
  }
  const fraction = match[3] ?? '';
  let coefficient = BigInt((match[2] || '0') + fraction);
  if (match[1] === '-') coefficient = -coefficient;
  return { coefficient, exponent: Number(match[4] ?? '0') - fraction.length };
}

function compareDecimals(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function align(a: Decimal, b: Decimal): [bigint, bigint] {
  if (a.exponent === b.exponent) return [a.coefficient, b.coefficient];
  if (a.exponent > b.exponent) return [a.coefficient * 10n ** BigInt(a.exponent - b.exponent), b.coefficient];
  return [a.coefficient, b.coefficient * 10n ** BigInt(b.exponent - a.exponent)];
}

function arithmetic(a: Decimal, b: Decimal, sign: bigint): string {
  const [x, y] = align(a, b);
  const result: Decimal = { coefficient: x + sign * y, exponent: Math.min(a.exponent, b.exponent) };
  normalize(result);
  if (result.coefficient !== 0n) {
    const digits = (result.coefficient < 0n ? -result.coefficient : result.coefficient).toString().length;
    const leading = result.exponent + digits - 1;
    if (leading > 125 || digits > 38) {
      throw validationError('Number overflow. Attempting to store a number with magnitude larger than supported range');
    }
    if (leading < -130) {
      throw validationError('Number underflow. Attempting to store a number with magnitude smaller than supported range');
    }
  }
  return printDecimal(result);
}

function normalize(d: Decimal): void {
  if (d.coefficient === 0n) {
    d.exponent = 0;
    return;
  }
  while (d.coefficient % 10n === 0n) {
    d.coefficient /= 10n;
    d.exponent++;
  }
}

function printDecimal(d: Decimal): string {
  normalize(d);
  const negative = d.coefficient < 0n;
  const digits = (negative ? -d.coefficient : d.coefficient).toString();
  let text: string;
  if (d.exponent >= 0) text = digits + '0'.repeat(d.exponent);
  else if (-d.exponent < digits.length) text = `${digits.slice(0, digits.length + d.exponent)}.${digits.slice(digits.length + d.exponent)}`;
  else text = `0.${'0'.repeat(-d.exponent - digits.length)}${digits}`;
  return negative ? `-${text}` : text;
}
