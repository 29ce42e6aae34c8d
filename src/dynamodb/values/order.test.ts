import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue } from './attribute-value';
import {
  attributeValuesEqual,
  compareBytes,
  compareKeyValues,
  compareScalarValues,
  compareStrings,
  decodeKeyValue,
  encodeKeyValue,
} from './order';

const utf8Order = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

test('strings compare by UTF-8 bytes', () => {
  const cases: [string, string, number][] = [
    ['a', 'A', 1], // 0x61 > 0x41
    ['¿', 'z', 1], // 0xC2BF > 0x7A
    ['😀', '｡', 1], // U+1F600 > U+FF61, though JS's < says otherwise
    ['\uE000', '😀', -1],
    ['', 'a', -1],
    ['abc', 'abd', -1],
    ['abc', 'ab', 1],
    ['héllo', 'héllo', 0],
    ['Z', 'a', -1],
    ['😀a', '😀b', -1],
    ['😁', '😀', 1],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(Math.sign(compareStrings(a, b)), expected, `${a} vs ${b}`);
    assert.equal(utf8Order(a, b), expected, `reference ${a} vs ${b}`);
  }
  assert.ok('😀' < '｡', 'JavaScript orders by UTF-16 code units');
});

test('compareStrings agrees with UTF-8 byte order on mixed text', () => {
  const samples = ['', 'a', 'A', 'z', 'é', 'ß', '¿', '中', '\uFFFD', '\uE000', '\uFF61', '😀', '😁', '𝄞', 'a😀', 'a\uFFFF', 'ab', '\u0000', '\u007F', '\u0080'];
  for (const a of samples) for (const b of samples) assert.equal(Math.sign(compareStrings(a, b)), utf8Order(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('binary compares as unsigned bytes', () => {
  assert.equal(Math.sign(compareBytes(Buffer.from([0xff]), Buffer.from([0x00]))), 1);
  assert.equal(Math.sign(compareBytes(Buffer.from([0x01]), Buffer.from([0x01, 0x00]))), -1);
  assert.equal(Math.sign(compareScalarValues({ B: '/w==' }, { B: 'AA==' })!), 1);
});

test('scalar comparison is type-sensitive', () => {
  const cases: [AttributeValue, AttributeValue, number | undefined][] = [
    [{ N: '10' }, { N: '9' }, 1],
    [{ N: '-1' }, { N: '0.5' }, -1],
    [{ N: '1.0' }, { N: '1' }, 0],
    [{ S: '10' }, { S: '9' }, -1],
    [{ S: '6' }, { N: '6' }, undefined],
    [{ N: '6' }, { S: '6' }, undefined],
    [{ B: 'AA==' }, { S: 'AA==' }, undefined],
    [{ BOOL: true }, { BOOL: false }, undefined],
    [{ SS: ['a'] }, { SS: ['a'] }, undefined],
    [{ NULL: true }, { NULL: true }, undefined],
  ];
  for (const [a, b, expected] of cases) {
    const result = compareScalarValues(a, b);
    assert.equal(result === undefined ? undefined : Math.sign(result), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  assert.throws(() => compareKeyValues({ S: 'a' }, { N: '1' }));
});

test('equality is type-sensitive and deep; sets ignore order', () => {
  const cases: [AttributeValue, AttributeValue, boolean][] = [
    [{ S: '6' }, { N: '6' }, false],
    [{ S: '6' }, { S: '6' }, true],
    [{ S: '' }, { S: '' }, true],
    [{ N: '1' }, { N: '1.0' }, true],
    [{ N: '100' }, { N: '1E2' }, true],
    [{ N: '-0' }, { N: '0' }, true],
    [{ B: 'Yg==' }, { B: 'Yg==' }, true],
    [{ B: 'Yg==' }, { B: 'Yw==' }, false],
    [{ BOOL: true }, { BOOL: true }, true],
    [{ BOOL: true }, { BOOL: false }, false],
    [{ NULL: true }, { NULL: true }, true],
    [{ NULL: true }, { BOOL: false }, false],
    [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }, true],
    [{ SS: ['a', 'b'] }, { SS: ['a'] }, false],
    [{ SS: ['a', 'b'] }, { SS: ['a', 'c'] }, false],
    [{ NS: ['1', '2.50'] }, { NS: ['2.5', '1.0'] }, true],
    [{ NS: ['1'] }, { SS: ['1'] }, false],
    [{ BS: ['AA==', '/w=='] }, { BS: ['/w==', 'AA=='] }, true],
    [{ L: [{ N: '1' }, { N: '2' }, { N: '3' }] }, { L: [{ N: '1.0' }, { N: '2' }, { N: '3e0' }] }, true],
    [{ L: [{ N: '1' }, { N: '2' }] }, { L: [{ N: '2' }, { N: '1' }] }, false],
    [{ L: [] }, { M: {} }, false],
    [{ M: { a: { S: 'x' }, b: { L: [] } } }, { M: { b: { L: [] }, a: { S: 'x' } } }, true],
    [{ M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { NULL: true } } }, false],
    [{ M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } }, false],
    [{ M: { inr: { M: { x: { S: 'y' } } } } }, { M: { inr: { M: { x: { S: 'y' } } } } }, true],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(attributeValuesEqual(a, b), expected, `${JSON.stringify(a)} = ${JSON.stringify(b)}`);
    assert.equal(attributeValuesEqual(b, a), expected, `${JSON.stringify(b)} = ${JSON.stringify(a)}`);
  }
});

test('key encoding preserves order and round-trips', () => {
  const groups: AttributeValue[][] = [
    ['', 'A', 'a', 'ab', 'b', 'z', '¿', '中', '\uFF61', '😀', '😁'].map((S) => ({ S })),
    ['-1e125', '-10', '-9.91', '-1', '-0.5', '0', '1e-130', '0.1', '0.105', '1', '10', '99.1', '9.9999999999999999999999999999999999999E+125'].map((N) => ({ N })),
    [[], [0], [0, 0], [0, 1], [1], [0x7f], [0x80], [0xff], [0xff, 0xff]].map((bytes) => ({ B: Buffer.from(bytes).toString('base64') })),
  ];
  for (const values of groups) {
    for (let i = 0; i < values.length; i++) {
      const a = values[i]!;
      const type = 'S' in a ? 'S' : 'N' in a ? 'N' : 'B';
      const decoded = decodeKeyValue(type, encodeKeyValue(a));
      if ('N' in a) assert.ok(attributeValuesEqual(decoded, a), JSON.stringify(a));
      else assert.deepEqual(decoded, a);
      for (let j = 0; j < values.length; j++) {
        const b = values[j]!;
        const expected = Math.sign(i - j);
        assert.equal(Math.sign(compareKeyValues(a, b)), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        assert.equal(Math.sign(Buffer.compare(encodeKeyValue(a), encodeKeyValue(b))), expected, `encoded ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
  }
  assert.throws(() => encodeKeyValue({ BOOL: true }));
});
