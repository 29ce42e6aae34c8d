import { validationError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';

/**
 * DynamoDB's number type (N): an exact decimal of at most 38 significant digits whose magnitude is 0 or lies
 * between 1E-130 and 9.9999999999999999999999999999999999999E+125. Values are kept as a digit string and a
 * decimal point position, never as a JavaScript double; arithmetic goes through BigInt.
 *
 * What DynamoDB accepts on the wire (captured against AWS): an optional sign, ASCII digits with at most one
 * point, at least one digit, and an optional exponent `e`/`E` with an optional sign and at least one digit.
 * So `+3`, `.123`, `5.`, `0001.23`, `1e+5`, `-17.4E37` and `0e1000` are numbers, and `NaN`, `Infinity`,
 * `0x10`, `1e`, `1.2.3`, ` 1`, `1 ` and the empty string are not. Leading and trailing zeros are not
 * significant. DynamoDB prints every number in plain notation with no exponent, no superfluous zeros and no
 * `+`: `0001.500` reads back as `1.5`, `1E2` as `100`, `-0` as `0`, `1E125` as a 1 and 125 zeros, `1E-130` as
 * `0.` then 129 zeros and a 1.
 */

export const MAX_SIGNIFICANT_DIGITS = 38;
/** Largest allowed exponent of the leading digit (9.99...E+125). */
export const MAX_EXPONENT = 125;
/** Smallest allowed exponent of the leading digit (1E-130). */
export const MIN_EXPONENT = -130;

export const NUMBER_MESSAGES = {
  notNumeric: 'The parameter cannot be converted to a numeric value',
  precision: 'Attempting to store more than 38 significant digits in a Number',
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
} as const;

/**
 * DynamoDB checks attribute values in one of two code paths that word a few problems differently (captured
 * in four regions, 2026-10): `current` runs for PutItem, UpdateItem, DeleteItem, GetItem, BatchGetItem and
 * Query; `legacy` for BatchWriteItem, TransactWriteItems, TransactGetItems and Scan (eu-west-2 already runs
 * `current` for the transactions). For numbers the differences are: an empty string is reported as
 * `...numeric value: ` (current) or `...numeric value` (legacy), and legacy reads the number the way Java's
 * BigDecimal does, so an exponent beyond 32 bits is not a number and `1e2147483647` wraps to an underflow.
 */
export type ValueCheckLayer = 'current' | 'legacy';

export type NumberProblem = 'notNumeric' | 'precision' | 'overflow' | 'underflow';

/** The message DynamoDB gives for a problem with the number text `raw`. */
export function numberProblemMessage(problem: NumberProblem, raw: string, layer: ValueCheckLayer = 'current'): string {
  if (problem !== 'notNumeric') return NUMBER_MESSAGES[problem];
  if (layer === 'legacy' && raw === '') return NUMBER_MESSAGES.notNumeric;
  return `${NUMBER_MESSAGES.notNumeric}: ${raw}`;
}

const INT64_MAX = '9223372036854775807';
const INT32_LIMIT = 2147483648; // 2^31
/** Exponents beyond this are out of range for every non-zero mantissa a request can hold. */
const HUGE_EXPONENT = 1e15;

const DIGIT_0 = 48;
const DIGIT_9 = 57;

export class DynamoNumber {
  /** Zero. Zero has no sign: `-0` reads back as `0`. */
  static readonly ZERO = new DynamoNumber(false, '', 0);

  /**
   * The value is `(negative ? -1 : 1) * 0.DIGITS * 10^point`. `digits` has no leading or trailing zeros and is
   * empty exactly for zero.
   */
  private constructor(
    readonly negative: boolean,
    readonly digits: string,
    readonly point: number,
  ) {}

  /** Parses wire text, throwing DynamoDB's ValidationException for anything DynamoDB refuses. */
  static parse(text: string, layer: ValueCheckLayer = 'current'): DynamoNumber {
    const result = DynamoNumber.tryParse(text, layer);
    if (typeof result === 'string') throw validationError(numberProblemMessage(result, text, layer));
    return result;
  }

  /** Parses wire text; returns the problem instead of throwing. */
  static tryParse(text: string, layer: ValueCheckLayer = 'current'): DynamoNumber | NumberProblem {
    const len = text.length;
    let i = 0;
    let negative = false;
    let c = len > 0 ? text.charCodeAt(0) : 0;
    if (c === 43 /* + */ || c === 45 /* - */) {
      negative = c === 45;
      i = 1;
    }
    const mantissaStart = i;
    let dot = -1;
    for (; i < len; i++) {
      c = text.charCodeAt(i);
      if (c >= DIGIT_0 && c <= DIGIT_9) continue;
      if (c === 46 /* . */ && dot < 0) {
        dot = i;
        continue;
      }
      break;
    }
    const mantissaEnd = i;
    const digitCount = mantissaEnd - mantissaStart - (dot >= 0 ? 1 : 0);
    if (digitCount === 0) return 'notNumeric';

    let exponent = 0;
    if (i < len) {
      c = text.charCodeAt(i);
      if (c !== 101 /* e */ && c !== 69 /* E */) return 'notNumeric';
      i++;
      let expNegative = false;
      c = i < len ? text.charCodeAt(i) : 0;
      if (c === 43 || c === 45) {
        expNegative = c === 45;
        i++;
      }
      const expStart = i;
      for (; i < len; i++) {
        c = text.charCodeAt(i);
        if (c < DIGIT_0 || c > DIGIT_9) return 'notNumeric';
      }
      if (i === expStart) return 'notNumeric';
      let expFirst = expStart;
      while (expFirst < len - 1 && text.charCodeAt(expFirst) === DIGIT_0) expFirst++;
      const expDigits = text.slice(expFirst, len);
      if (layer === 'legacy') {
        // Java's BigDecimal keeps the exponent in an int.
        if (expDigits.length > 10 || Number(expDigits) > (expNegative ? INT32_LIMIT : INT32_LIMIT - 1)) return 'notNumeric';
      } else if (expDigits.length > 19 || (expDigits.length === 19 && expDigits > INT64_MAX)) {
        // Exponents that fit 64 bits are range-checked (captured); beyond that we report no number.
        return 'notNumeric';
      }
      exponent = Number(expDigits);
      if (exponent > HUGE_EXPONENT) exponent = HUGE_EXPONENT;
      if (expNegative) exponent = -exponent;
    }

    // The mantissa's digits without the point, and how many of them precede it.
    const intCount = (dot >= 0 ? dot : mantissaEnd) - mantissaStart;
    const all = dot >= 0 ? text.slice(mantissaStart, dot) + text.slice(dot + 1, mantissaEnd) : text.slice(mantissaStart, mantissaEnd);
    let first = 0;
    while (first < all.length && all.charCodeAt(first) === DIGIT_0) first++;
    if (first === all.length) return DynamoNumber.ZERO;
    let last = all.length - 1;
    while (all.charCodeAt(last) === DIGIT_0) last--;
    const digits = first === 0 && last === all.length - 1 ? all : all.slice(first, last + 1);
    let point = intCount - first + exponent;
    if (layer === 'legacy') {
      // BigDecimal: scale = fraction digits - exponent must fit an int, and precision - scale wraps.
      const scale = all.length - intCount - exponent;
      if (scale >= INT32_LIMIT || scale < -INT32_LIMIT) return 'notNumeric';
      point = wrapInt32(point);
    }
    return DynamoNumber.checked(negative, digits, point);
  }

  /** A number from already-normalised parts, checked against DynamoDB's limits. */
  private static checked(negative: boolean, digits: string, point: number): DynamoNumber | NumberProblem {
    if (point - 1 > MAX_EXPONENT) return 'overflow';
    if (point - 1 < MIN_EXPONENT) return 'underflow';
    if (digits.length > MAX_SIGNIFICANT_DIGITS) return 'precision';
    return new DynamoNumber(negative, digits, point);
  }

  /** -1, 0 or 1. */
  get sign(): number {
    return this.digits === '' ? 0 : this.negative ? -1 : 1;
  }

  isZero(): boolean {
    return this.digits === '';
  }

  /** Significant digits (0 for zero). */
  get precision(): number {
    return this.digits.length;
  }

  /** The decimal exponent of the leading digit, as in scientific notation (0 for zero). */
  get exponent(): number {
    return this.digits === '' ? 0 : this.point - 1;
  }

  /** DynamoDB's canonical text: plain notation, no exponent, no superfluous zeros. */
  toString(): string {
    const { digits, point } = this;
    if (digits === '') return '0';
    const n = digits.length;
    let out: string;
    if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
    else if (point >= n) out = point === n ? digits : digits + '0'.repeat(point - n);
    else out = digits.slice(0, point) + '.' + digits.slice(point);
    return this.negative ? '-' + out : out;
  }

  toJSON(): string {
    return this.toString();
  }

  negate(): DynamoNumber {
    return this.digits === '' ? this : new DynamoNumber(!this.negative, this.digits, this.point);
  }

  /** Total numeric order: negative, zero, positive. */
  compareTo(other: DynamoNumber): number {
    const a = this.sign;
    const b = other.sign;
    if (a !== b) return a < b ? -1 : 1;
    if (a === 0) return 0;
    let magnitude: number;
    if (this.point !== other.point) magnitude = this.point < other.point ? -1 : 1;
    else if (this.digits === other.digits) magnitude = 0;
    else magnitude = this.digits < other.digits ? -1 : 1;
    return a < 0 && magnitude !== 0 ? -magnitude : magnitude;
  }

  equals(other: DynamoNumber): boolean {
    return this.negative === other.negative && this.point === other.point && this.digits === other.digits;
  }

  /**
   * Exact sum, as `SET a = a + :x` and `ADD` compute it. DynamoDB does not round: a result needing more than
   * 38 significant digits is refused, and (as a Scylla test against AWS records for 1e50 + 1) with the
   * overflow message. Results out of range give the overflow or underflow message.
   */
  add(other: DynamoNumber): DynamoNumber {
    const result = DynamoNumber.sum(this, other);
    if (typeof result === 'string') throw arithmeticError(result);
    return result;
  }

  subtract(other: DynamoNumber): DynamoNumber {
    return this.add(other.negate());
  }

  /** The sum, or the problem DynamoDB would report. */
  static sum(a: DynamoNumber, b: DynamoNumber): DynamoNumber | NumberProblem {
    if (a.digits === '') return b;
    if (b.digits === '') return a;
    const expA = a.point - a.digits.length;
    const expB = b.point - b.digits.length;
    const exp = Math.min(expA, expB);
    let x = BigInt(a.digits);
    let y = BigInt(b.digits);
    if (expA > exp) x *= 10n ** BigInt(expA - exp);
    if (expB > exp) y *= 10n ** BigInt(expB - exp);
    if (a.negative) x = -x;
    if (b.negative) y = -y;
    const total = x + y;
    if (total === 0n) return DynamoNumber.ZERO;
    const negative = total < 0n;
    const text = (negative ? -total : total).toString();
    let last = text.length - 1;
    while (text.charCodeAt(last) === DIGIT_0) last--;
    const digits = last === text.length - 1 ? text : text.slice(0, last + 1);
    return DynamoNumber.checked(negative, digits, exp + text.length);
  }

  /**
   * Order-preserving binary form: for any two numbers, comparing their encodings byte-wise (memcmp) gives
   * their numeric order. Negative numbers start 0x01, zero is 0x02, positive numbers start 0x03; then one byte
   * for the exponent (point + 129, inverted for negatives; the allowed range is exactly 256 values), then the
   * digits in pairs, one byte per pair (pair + 1 for positives; 101 - pair and a closing 0xFF for negatives, so
   * that a longer digit string sorts first). At most 22 bytes.
   */
  encode(): Buffer {
    const { digits } = this;
    if (digits === '') return Buffer.from([ZERO_TAG]);
    const pairs = (digits.length + 1) >> 1;
    const out = Buffer.allocUnsafe(2 + pairs + (this.negative ? 1 : 0));
    const exponentByte = this.point + 129;
    out[0] = this.negative ? NEGATIVE_TAG : POSITIVE_TAG;
    out[1] = this.negative ? 255 - exponentByte : exponentByte;
    for (let p = 0; p < pairs; p++) {
      const hi = digits.charCodeAt(2 * p) - DIGIT_0;
      const lo = 2 * p + 1 < digits.length ? digits.charCodeAt(2 * p + 1) - DIGIT_0 : 0;
      const pair = hi * 10 + lo;
      out[2 + p] = this.negative ? 101 - pair : pair + 1;
    }
    if (this.negative) out[2 + pairs] = 0xff;
    return out;
  }

  /** Inverse of `encode`. */
  static decode(bytes: Uint8Array): DynamoNumber {
    const tag = bytes[0];
    if (tag === ZERO_TAG && bytes.length === 1) return DynamoNumber.ZERO;
    if ((tag !== POSITIVE_TAG && tag !== NEGATIVE_TAG) || bytes.length < 3) throw new Error('malformed number encoding');
    const negative = tag === NEGATIVE_TAG;
    const end = negative ? bytes.length - 1 : bytes.length;
    if (negative && bytes[end] !== 0xff) throw new Error('malformed number encoding');
    const point = (negative ? 255 - bytes[1]! : bytes[1]!) - 129;
    let digits = '';
    for (let i = 2; i < end; i++) {
      const pair = negative ? 101 - bytes[i]! : bytes[i]! - 1;
      if (pair < 0 || pair > 99) throw new Error('malformed number encoding');
      digits += pair < 10 ? '0' + pair : String(pair);
    }
    let last = digits.length - 1;
    while (last >= 0 && digits.charCodeAt(last) === DIGIT_0) last--;
    if (last < 0 || digits.charCodeAt(0) === DIGIT_0) throw new Error('malformed number encoding');
    return new DynamoNumber(negative, digits.slice(0, last + 1), point);
  }
}

const NEGATIVE_TAG = 0x01;
const ZERO_TAG = 0x02;
const POSITIVE_TAG = 0x03;

function wrapInt32(n: number): number {
  return n | 0;
}

function arithmeticError(problem: NumberProblem): AwsError {
  // An inexact result is reported as an overflow by DynamoDB.
  return validationError(problem === 'underflow' ? NUMBER_MESSAGES.underflow : NUMBER_MESSAGES.overflow);
}

/** Parses and re-prints a wire number in DynamoDB's canonical form; throws DynamoDB's ValidationException. */
export function canonicalNumber(text: string, layer: ValueCheckLayer = 'current'): string {
  return DynamoNumber.parse(text, layer).toString();
}

/** Numeric order of two wire numbers (both must be valid). */
export function compareNumberText(a: string, b: string): number {
  return DynamoNumber.parse(a).compareTo(DynamoNumber.parse(b));
}

/** `a + b` on wire numbers, with DynamoDB's errors; returns canonical text. */
export function addNumberText(a: string, b: string): string {
  return DynamoNumber.parse(a).add(DynamoNumber.parse(b)).toString();
}

/** `a - b` on wire numbers, with DynamoDB's errors; returns canonical text. */
export function subtractNumberText(a: string, b: string): string {
  return DynamoNumber.parse(a).subtract(DynamoNumber.parse(b)).toString();
}
