import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAwsError } from '../../errors/aws-error';
import type { AttributeValue, Item } from './attribute-value';
import {
  ITEM_SIZE_MESSAGES,
  MAX_ITEM_SIZE,
  attributeValueSize,
  checkItemSize,
  itemSize,
  numberSize,
  readCapacityUnits,
  writeCapacityUnits,
} from './item-size';

test('number sizes measured against AWS, to the byte (400 KB gate captures)', () => {
  const cases: [string, number][] = [
    ['0', 1],
    ['1', 2],
    ['12', 2],
    ['123', 3],
    ['1234', 3],
    ['12345678901234567890123456789012345678', 20],
    ['0042', 2],
    ['100', 2],
    ['1010', 3],
    ['0.0000001', 2],
    ['1E125', 2],
    ['1E-100', 2],
    ['1.5', 3],
    ['15', 2],
    ['1.2', 3],
    ['1.200', 3],
    ['1.234', 4],
    ['3.14159', 5],
    ['123456', 4],
    ['100.5', 4],
    ['0.15', 2],
    ['-42', 3],
    ['-0', 1],
  ];
  for (const [literal, bytes] of cases) assert.equal(numberSize(literal), bytes, literal);
});

test('number sizes from dynalite’s boundary items', () => {
  const cases: [string, number][] = [
    ['1'.repeat(38) + '0'.repeat(88), 20],
    ['1' + '0'.repeat(125), 2],
    ['11' + '0'.repeat(124), 2],
    ['11111' + '0'.repeat(121), 4],
    ['111111' + '0'.repeat(120), 4],
    ['1111111' + '0'.repeat(119), 5],
    ['-56.789', 5],
    ['-12345', 5],
    ['0.15', 2],
    // Base-100 digits aligned on the point (dynalite's rule; AWS not captured for these).
    ['120', 3],
    ['0.015', 3],
  ];
  for (const [literal, bytes] of cases) assert.equal(numberSize(literal), bytes, literal);
});

test('value sizes', () => {
  const cases: [AttributeValue, number][] = [
    [{ S: '' }, 0],
    [{ S: 'abc' }, 3],
    [{ S: '£' }, 2],
    [{ S: '😀' }, 4],
    [{ B: '' }, 0],
    [{ B: 'Yg==' }, 1],
    [{ B: Buffer.alloc(17).toString('base64') }, 17],
    [{ BOOL: true }, 1],
    [{ NULL: true }, 1],
    [{ SS: ['a', 'bc', ''] }, 3],
    [{ NS: ['1', '-42'] }, 5],
    [{ BS: ['Yg==', 'YWI='] }, 3],
    [{ L: [] }, 3],
    [{ M: {} }, 3],
    [{ L: [{ S: 'a' }, { N: '12' }] }, 3 + (1 + 1) + (1 + 2)],
    [{ M: { ab: { S: 'c' }, d: { BOOL: false } } }, 3 + (1 + 2 + 1) + (1 + 1 + 1)],
    [{ M: { a: { M: {} }, b: { L: [] } } }, 3 + (1 + 1 + 3) + (1 + 1 + 3)],
  ];
  for (const [value, bytes] of cases) assert.equal(attributeValueSize(value), bytes, JSON.stringify(value).slice(0, 60));
});

test('item sizes count attribute names in UTF-8 bytes', () => {
  const cases: [Item, number][] = [
    [{}, 0],
    [{ pk: { S: 'k' } }, 3],
    [{ pk: { S: 'k' }, n: { N: '42' } }, 3 + 1 + 2],
    [{ '£': { S: '' } }, 2],
    [{ id: { S: 'abc' }, n: { N: '12345' } }, 5 + 1 + 4],
  ];
  for (const [item, bytes] of cases) assert.equal(itemSize(item), bytes, JSON.stringify(item));
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isAwsError(err));
    assert.equal(err.code, 'ValidationException');
    return err.message;
  }
  assert.fail('expected a ValidationException');
}

test('the 400 KB gate: 409,600 bytes accepted, 409,601 refused', () => {
  assert.equal(MAX_ITEM_SIZE, 409600);
  assert.equal(ITEM_SIZE_MESSAGES.put, 'Item size has exceeded the maximum allowed size');
  assert.equal(ITEM_SIZE_MESSAGES.update, 'Item size to update has exceeded the maximum allowed size');
  const sized = (bytes: number): Item => ({ pk: { S: 'k' }, p: { S: 'x'.repeat(bytes - 3 - 1) } });
  assert.equal(checkItemSize(sized(409600)), 409600);
  assert.equal(messageOf(() => checkItemSize(sized(409601))), ITEM_SIZE_MESSAGES.put);
  assert.equal(messageOf(() => checkItemSize(sized(409601), 'update')), ITEM_SIZE_MESSAGES.update);
  // dynalite: a 38-digit number with exponent 125 costs 20 bytes.
  const key = 'k'.repeat(10);
  const padding = (extra: number) => 'a'.repeat(MAX_ITEM_SIZE - key.length - 1 - 1 - 1 - extra);
  const big = '1'.repeat(38) + '0'.repeat(88);
  assert.equal(checkItemSize({ a: { S: key }, b: { S: padding(20) }, c: { N: big } }), MAX_ITEM_SIZE);
  assert.equal(messageOf(() => checkItemSize({ a: { S: key }, b: { S: padding(19) }, c: { N: big } })), ITEM_SIZE_MESSAGES.put);
});

test('capacity units', () => {
  const writes: [number, number][] = [[0, 1], [1, 1], [1024, 1], [1025, 2], [2048, 2], [409600, 400]];
  for (const [size, units] of writes) assert.equal(writeCapacityUnits(size), units, `write ${size}`);
  assert.equal(writeCapacityUnits(1025, true), 4);
  const reads: [number, 'eventual' | 'strong' | 'transactional', number][] = [
    [0, 'strong', 1],
    [0, 'eventual', 0.5],
    [4096, 'strong', 1],
    [4097, 'strong', 2],
    [4097, 'eventual', 1],
    [10000, 'eventual', 1.5],
    [4097, 'transactional', 4],
    [409600, 'strong', 100],
  ];
  for (const [size, consistency, units] of reads) assert.equal(readCapacityUnits(size, consistency), units, `read ${size} ${consistency}`);
});
