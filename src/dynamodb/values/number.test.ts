import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAwsError } from '../../errors/aws-error';
import { DynamoNumber, NUMBER_MESSAGES, addNumberText, canonicalNumber, numberProblemMessage, subtractNumberText, type ValueCheckLayer } from './number';

const OVERFLOW = NUMBER_MESSAGES.overflow;
const UNDERFLOW = NUMBER_MESSAGES.underflow;
const PRECISION = NUMBER_MESSAGES.precision;
const NOT_NUMERIC = NUMBER_MESSAGES.notNumeric;

function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isAwsError(err), `expected an AwsError, got ${String(err)}`);
    assert.equal(err.code, 'ValidationException');
    assert.equal(err.namespace, 'com.amazon.coral.validate');
    return err.message;
  }
  assert.fail('expected a ValidationException');
}

test('messages are DynamoDB’s', () => {
  assert.equal(OVERFLOW, 'Number overflow. Attempting to store a number with magnitude larger than supported range');
  assert.equal(UNDERFLOW, 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
  assert.equal(PRECISION, 'Attempting to store more than 38 significant digits in a Number');
  assert.equal(NOT_NUMERIC, 'The parameter cannot be converted to a numeric value');
});

test('canonical text: plain notation, no superfluous zeros or sign', () => {
  const cases: [string, string][] = [
    ['0001.500', '1.5'],
    ['1e2', '100'],
    ['1E2', '100'],
    ['100', '100'],
    ['-0', '0'],
    ['+0', '0'],
    ['0.000', '0'],
    ['-0.0e5', '0'],
    ['0e1000', '0'],
    ['00042', '42'],
    ['1.0', '1'],
    ['3.1400', '3.14'],
    ['1.5E2', '150'],
    ['15E-1', '1.5'],
    ['0.10', '0.1'],
    ['0042.1200', '42.12'],
    ['+3', '3'],
    ['.123', '0.123'],
    ['5.', '5'],
    ['-7.1234', '-7.1234'],
    ['-17e5', '-1700000'],
    ['-17.4E37', '-174' + '0'.repeat(36)],
    ['1e+5', '100000'],
    ['0001.23', '1.23'],
    ['1E125', '1' + '0'.repeat(125)],
    ['1E+125', '1' + '0'.repeat(125)],
    ['1e-130', '0.' + '0'.repeat(129) + '1'],
    ['0001.000e-130', '0.' + '0'.repeat(129) + '1'],
    ['-0001.000e-130', '-0.' + '0'.repeat(129) + '1'],
    ['9.9999999999999999999999999999999999999E+125', '9'.repeat(38) + '0'.repeat(88)],
    ['-9.9999999999999999999999999999999999999E+125', '-' + '9'.repeat(38) + '0'.repeat(88)],
    ['0009.99999999999999999999999999999999999990000e125', '9'.repeat(38) + '0'.repeat(88)],
    ['0000012345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['-00001.23456789012345678901234567890123456780000', '-1.2345678901234567890123456789012345678'],
    ['0.12345678901234567890123456789012345678', '0.12345678901234567890123456789012345678'],
    ['3.1415926535897932384626433832795028841', '3.1415926535897932384626433832795028841'],
    ['31415926535897932384626433832795028841e30', '31415926535897932384626433832795028841' + '0'.repeat(30)],
    ['1.0000000000000000000000000000000000000000', '1'],
    ['0.00000000000000000000000000000000000001', '0.00000000000000000000000000000000000001'],
  ];
  for (const [input, expected] of cases) {
    assert.equal(canonicalNumber(input), expected, input);
    assert.equal(canonicalNumber(input, 'legacy'), expected, `${input} (legacy)`);
    // Canonical text is a fixed point.
    assert.equal(canonicalNumber(expected), expected, expected);
  }
});

test('refused numbers, with the message of each layer', () => {
  const cases: [string, string, string][] = [
    // input, current layer, legacy layer
    ['abc', `${NOT_NUMERIC}: abc`, `${NOT_NUMERIC}: abc`],
    ['', `${NOT_NUMERIC}: `, NOT_NUMERIC],
    [' 1', `${NOT_NUMERIC}:  1`, `${NOT_NUMERIC}:  1`],
    ['1 ', `${NOT_NUMERIC}: 1 `, `${NOT_NUMERIC}: 1 `],
    ['1.2.3', `${NOT_NUMERIC}: 1.2.3`, `${NOT_NUMERIC}: 1.2.3`],
    ['0x10', `${NOT_NUMERIC}: 0x10`, `${NOT_NUMERIC}: 0x10`],
    ['1e', `${NOT_NUMERIC}: 1e`, `${NOT_NUMERIC}: 1e`],
    ['1e+', `${NOT_NUMERIC}: 1e+`, `${NOT_NUMERIC}: 1e+`],
    ['e5', `${NOT_NUMERIC}: e5`, `${NOT_NUMERIC}: e5`],
    ['.', `${NOT_NUMERIC}: .`, `${NOT_NUMERIC}: .`],
    ['-', `${NOT_NUMERIC}: -`, `${NOT_NUMERIC}: -`],
    ['NaN', `${NOT_NUMERIC}: NaN`, `${NOT_NUMERIC}: NaN`],
    ['-NaN', `${NOT_NUMERIC}: -NaN`, `${NOT_NUMERIC}: -NaN`],
    ['Infinity', `${NOT_NUMERIC}: Infinity`, `${NOT_NUMERIC}: Infinity`],
    ['-Infinity', `${NOT_NUMERIC}: -Infinity`, `${NOT_NUMERIC}: -Infinity`],
    ['dog', `${NOT_NUMERIC}: dog`, `${NOT_NUMERIC}: dog`],
    ['1e126', OVERFLOW, OVERFLOW],
    ['-1e126', OVERFLOW, OVERFLOW],
    ['1E+126', OVERFLOW, OVERFLOW],
    ['11e125', OVERFLOW, OVERFLOW],
    ['1e-131', UNDERFLOW, UNDERFLOW],
    ['-1e-131', UNDERFLOW, UNDERFLOW],
    ['0.9e-130', UNDERFLOW, UNDERFLOW],
    ['1e99999999999', OVERFLOW, `${NOT_NUMERIC}: 1e99999999999`],
    ['-1e99999999999', OVERFLOW, `${NOT_NUMERIC}: -1e99999999999`],
    ['1e-99999999999', UNDERFLOW, `${NOT_NUMERIC}: 1e-99999999999`],
    ['1e2147483648', OVERFLOW, `${NOT_NUMERIC}: 1e2147483648`],
    // Captured: the legacy layer wraps this exponent round to an underflow.
    ['1e2147483647', OVERFLOW, UNDERFLOW],
    // BigDecimal's scale (-exponent) must fit an int too.
    ['1e-2147483648', UNDERFLOW, `${NOT_NUMERIC}: 1e-2147483648`],
    ['1e-2147483647', UNDERFLOW, UNDERFLOW],
    ['123456789012345678901234567890123456789', PRECISION, PRECISION],
    ['-1.23456789012345678901234567890123456789', PRECISION, PRECISION],
    ['1234567890123456789012345678901234567890', PRECISION, PRECISION],
    ['3.14159265358979323846264338327950288419', PRECISION, PRECISION],
    ['314159265358979323846264338327950288419e30', PRECISION, PRECISION],
  ];
  for (const [input, current, legacy] of cases) {
    assert.equal(validationMessage(() => DynamoNumber.parse(input)), current, JSON.stringify(input));
    assert.equal(validationMessage(() => DynamoNumber.parse(input, 'legacy')), legacy, `${JSON.stringify(input)} (legacy)`);
  }
});

test('numberProblemMessage', () => {
  const cases: [Parameters<typeof numberProblemMessage>[0], string, ValueCheckLayer, string][] = [
    ['notNumeric', 'b', 'current', 'The parameter cannot be converted to a numeric value: b'],
    ['notNumeric', '', 'current', 'The parameter cannot be converted to a numeric value: '],
    ['notNumeric', '', 'legacy', 'The parameter cannot be converted to a numeric value'],
    ['overflow', 'x', 'current', OVERFLOW],
  ];
  for (const [problem, raw, layer, expected] of cases) assert.equal(numberProblemMessage(problem, raw, layer), expected);
});

test('limits: the extremes are accepted', () => {
  for (const text of ['1e-130', '-1e-130', '1E125', '9.99999999e125', '-9.9999999999999999999999999999999999999E+125', '1e-100', '1e100']) {
    assert.doesNotThrow(() => DynamoNumber.parse(text), text);
  }
  const n = DynamoNumber.parse('-1.5e3');
  assert.equal(n.sign, -1);
  assert.equal(n.precision, 2);
  assert.equal(n.exponent, 3);
  assert.equal(DynamoNumber.parse('0').sign, 0);
  assert.equal(DynamoNumber.parse('0').isZero(), true);
});

test('compare: total numeric order', () => {
  const ascending = [
    '-9.9999999999999999999999999999999999999E+125',
    '-1e125',
    '-100',
    '-99.1',
    '-10',
    '-9.91',
    '-1.5',
    '-1',
    '-0.5',
    '-1e-130',
    '0',
    '1e-130',
    '2e-130',
    '0.00000000000000000000000000000000000001',
    '0.1',
    '0.105',
    '1',
    '1.0000000000000000000000000000000000001',
    '9',
    '10',
    '99999999999999999999999999999999999999',
    '1e38',
    '9.9999999999999999999999999999999999999E+125',
  ];
  for (let i = 0; i < ascending.length; i++) {
    for (let j = 0; j < ascending.length; j++) {
      const a = DynamoNumber.parse(ascending[i]!);
      const b = DynamoNumber.parse(ascending[j]!);
      assert.equal(Math.sign(a.compareTo(b)), Math.sign(i - j), `${ascending[i]} vs ${ascending[j]}`);
      assert.equal(a.equals(b), i === j);
    }
  }
  assert.equal(DynamoNumber.parse('1').compareTo(DynamoNumber.parse('1.0')), 0);
  assert.equal(DynamoNumber.parse('1E2').equals(DynamoNumber.parse('100')), true);
  assert.equal(DynamoNumber.parse('-0').equals(DynamoNumber.parse('0')), true);
});

test('add and subtract are exact', () => {
  const cases: [string, '+' | '-', string, string][] = [
    ['1', '+', '10000000000000000000000', '10000000000000000000001'],
    ['10000000000000000000000', '-', '1', '9999999999999999999999'],
    ['0.1', '+', '0.2', '0.3'],
    ['5', '+', '1', '6'],
    ['5', '-', '1', '4'],
    ['1.5', '-', '1.5', '0'],
    ['1E-130', '-', '1E-130', '0'],
    ['0', '+', '-3.25', '-3.25'],
    ['-3.25', '+', '0', '-3.25'],
    ['-1', '+', '0.999', '-0.001'],
    ['99999999999999999999999999999999999999', '+', '1', '100000000000000000000000000000000000000'],
    ['9.9999999999999999999999999999999999999E+125', '-', '9.9999999999999999999999999999999999999E+125', '0'],
    ['1e125', '+', '1e125', '2' + '0'.repeat(125)],
    ['1E-130', '+', '1E-130', '0.' + '0'.repeat(129) + '2'],
    ['12345678901234567890123456789012345678', '-', '12345678901234567890123456789012345677', '1'],
  ];
  for (const [a, op, b, expected] of cases) {
    assert.equal(op === '+' ? addNumberText(a, b) : subtractNumberText(a, b), expected, `${a} ${op} ${b}`);
  }
});

test('arithmetic beyond DynamoDB’s numbers is refused', () => {
  const cases: [string, '+' | '-', string, string][] = [
    ['9e125', '+', '9e125', OVERFLOW],
    ['9e125', '-', '-9e125', OVERFLOW],
    ['9.9e125', '+', '9.9e125', OVERFLOW],
    ['5E125', '+', '5E125', OVERFLOW],
    // An inexact result is reported as an overflow (a Scylla test against AWS records this for 1e50 +/- 1).
    ['1e50', '+', '1', OVERFLOW],
    ['1e50', '-', '1', OVERFLOW],
    ['12345678901234567890123456789012345678', '+', '0.1', OVERFLOW],
    ['99999999999999999999999999999999999999', '+', '0.1', OVERFLOW],
    ['2E-130', '-', '1.5E-130', UNDERFLOW],
  ];
  for (const [a, op, b, expected] of cases) {
    assert.equal(validationMessage(() => (op === '+' ? addNumberText(a, b) : subtractNumberText(a, b))), expected, `${a} ${op} ${b}`);
  }
});

/** A small deterministic generator of valid numbers. */
function* randomNumbers(count: number): Generator<string> {
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    if (next(20) === 0) {
      yield '0';
      continue;
    }
    const length = 1 + next(38);
    let digits = String(1 + next(9));
    for (let d = 1; d < length; d++) digits += String(next(10));
    const exponent = -130 + next(256); // exponent of the leading digit
    const clamped = Math.min(exponent, 125);
    yield `${next(2) ? '-' : ''}${digits[0]}.${digits.slice(1) || '0'}e${clamped}`;
  }
}

/** Reference order through BigInt on a common scale (independent of compareTo). */
function referenceCompare(a: DynamoNumber, b: DynamoNumber): number {
  const scaled = (n: DynamoNumber) => {
    if (n.isZero()) return 0n;
    const v = BigInt(n.digits) * 10n ** BigInt(n.point - n.digits.length + 200);
    return n.negative ? -v : v;
  };
  const x = scaled(a);
  const y = scaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

test('encoding: memcmp order is numeric order, and decode inverts it', () => {
  const numbers = [...randomNumbers(600), '0', '1', '-1', '10', '-10', '0.1', '-0.1', '0.105', '-0.105', '1e-130', '-1e-130', '9.9999999999999999999999999999999999999E+125', '-9.9999999999999999999999999999999999999E+125', '-99.1', '-9.91'].map((t) =>
    DynamoNumber.parse(t),
  );
  for (const n of numbers) {
    const encoded = n.encode();
    assert.ok(encoded.length <= 22);
    assert.equal(DynamoNumber.decode(encoded).toString(), n.toString());
  }
  for (let i = 0; i < numbers.length; i++) {
    for (let j = i; j < numbers.length; j += 7) {
      const a = numbers[i]!;
      const b = numbers[j]!;
      const expected = referenceCompare(a, b);
      assert.equal(Math.sign(a.compareTo(b)), expected, `${a} vs ${b}`);
      assert.equal(Math.sign(Buffer.compare(a.encode(), b.encode())), expected, `encoded ${a} vs ${b}`);
    }
  }
});

test('encoding examples', () => {
  assert.deepEqual([...DynamoNumber.parse('0').encode()], [0x02]);
  assert.deepEqual([...DynamoNumber.parse('1').encode()], [0x03, 130, 11]);
  assert.deepEqual([...DynamoNumber.parse('-1').encode()], [0x01, 125, 91, 0xff]);
  assert.deepEqual([...DynamoNumber.parse('123').encode()], [0x03, 132, 13, 31]);
  assert.throws(() => DynamoNumber.decode(Buffer.from([0x04])));
  assert.throws(() => DynamoNumber.decode(Buffer.from([0x03, 130, 0])));
});
