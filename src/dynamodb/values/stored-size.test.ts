import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from './attribute-value';
import { itemSize } from './item-size';
import { storedItemSize } from './stored-size';

const stored = (item: Item) => Buffer.from(JSON.stringify(item), 'utf8');

test('stored sizes equal itemSize for every type, escapes and non-ASCII text', () => {
  const items: Item[] = [
    {},
    { a: { S: '' } },
    { 'ünï "q" \\ \n\t': { S: 'é€😀 "x" \\ / \u0001 \u001f' } },
    { lone: { S: '\ud800 \udc00 x\udbff' } },
    { n: { N: '0' }, m: { N: '-12.5E-3' }, big: { N: '12345678901234567890123456789012345678' }, e: { N: '1E125' } },
    { b: { B: '' }, b1: { B: 'AQ==' }, b2: { B: 'AQI=' }, b3: { B: 'AQID' } },
    { t: { BOOL: true }, f: { BOOL: false }, z: { NULL: true } },
    { ss: { SS: ['a', 'ü', '😀'] }, ns: { NS: ['1', '100', '-3.25'] }, bs: { BS: ['AQ==', 'AQID'] } },
    { l: { L: [] }, m: { M: {} } },
    {
      deep: {
        M: {
          list: { L: [{ S: 'x' }, { N: '7' }, { M: { k: { L: [{ NULL: true }, { BOOL: false }] } } }, { SS: ['é'] }] },
          '': { S: 'empty name' },
          '1': { N: '1' },
        },
      },
    },
  ];
  for (const item of items) assert.equal(storedItemSize(stored(item)), itemSize(item), JSON.stringify(item));
});

test('numbers: plain integers read from their digits agree with numberSize', () => {
  const numbers = ['0', '-0', '00', '7', '-7', '10', '100', '1000000', '0012', '-00120', '99', '123456789', '12345678901234567890123456789012345678'];
  const others = ['1.5', '-0.001', '1E3', '1e-3', '+5', '0.0', '12.3400', '-1.2E+10'];
  for (const n of [...numbers, ...others]) {
    const item: Item = { n: { N: n }, s: { NS: [n, '1'] } };
    assert.equal(storedItemSize(stored(item)), itemSize(item), n);
  }
});

test('escaped surrogate pairs count as one 4-byte character; whitespace is skipped', () => {
  assert.equal(storedItemSize(Buffer.from('{"a":{"S":"\\ud83d\\ude00"}}')), 1 + 4);
  assert.equal(storedItemSize(Buffer.from('{ "a" : { "L" : [ { "N" : "12" } , { "BOOL" : false } ] } , "b" : { "NULL" : true } }')), 1 + 3 + 1 + 2 + 1 + 1 + 1 + 1);
});

test('random items: stored sizes equal itemSize', () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const chars = ['a', 'Z', '0', '"', '\\', '\n', '\u0007', 'é', '€', '😀', '\ud800', ' '];
  const text = () => Array.from({ length: rand(6) }, () => chars[rand(chars.length)]).join('');
  const num = () => `${rand(2) ? '-' : ''}${rand(100000)}${rand(2) ? `.${rand(1000)}` : ''}`;
  const value = (depth: number): AttributeValue => {
    switch (rand(depth > 2 ? 6 : 8)) {
      case 0: return { S: text() };
      case 1: return { N: num() };
      case 2: return { B: Buffer.from(text()).toString('base64') };
      case 3: return { BOOL: rand(2) === 1 };
      case 4: return { NULL: true };
      case 5: return { SS: [text() + '1', text() + '2'] };
      case 6: return { L: Array.from({ length: rand(4) }, () => value(depth + 1)) };
      default: return { M: Object.fromEntries(Array.from({ length: rand(4) }, (_, i) => [`${text()}${i}`, value(depth + 1)])) };
    }
  };
  for (let i = 0; i < 500; i++) {
    const item: Item = Object.fromEntries(Array.from({ length: 1 + rand(6) }, (_, j) => [`${text()}${j}`, value(0)]));
    const json = stored(item);
    assert.equal(storedItemSize(json), itemSize(item), JSON.stringify(item));
    // Query/Scan pages rely on it to skip sizing items far from the 1 MB limit (reads/page.ts).
    assert.ok(json.length >= itemSize(item), `stored JSON shorter than the item's size: ${JSON.stringify(item)}`);
  }
});

test("an item's stored JSON is never shorter than its size, even for large numbers and empty values", () => {
  const items: Item[] = [
    { a: { N: '1' } },
    { a: { N: '-1E+125' } },
    { a: { N: '0.' + '1'.repeat(38) } },
    { '': { S: '' } },
    { a: { B: '' } },
    { a: { NS: ['1', '2', '3'] } },
    { a: { L: [] } },
    { a: { M: {} } },
    { a: { NULL: true } },
  ];
  for (const item of items) assert.ok(stored(item).length >= itemSize(item), JSON.stringify(item));
});
