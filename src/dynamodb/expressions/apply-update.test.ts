import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpressionContext } from './attribute-maps';
import { applyUpdate, compileUpdate, updatedAttributes } from './index';
import type { AttributeValue, Item } from './types';

type Values = Record<string, AttributeValue>;

function update(item: Item, expression: string, values?: Values, names?: Record<string, string>): Item {
  return applyUpdate(compileUpdate(expression, new ExpressionContext(names, values)), item);
}

function failure(item: Item, expression: string, values?: Values, names?: Record<string, string>): string {
  try {
    update(item, expression, values, names);
  } catch (error) {
    return (error as Error).message;
  }
  return 'OK';
}

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const INCORRECT_TYPE = 'An operand in the update expression has an incorrect data type';
const MISSING = 'The provided expression refers to an attribute that does not exist in the item';

const base: Item = {
  id: { S: 'k' },
  n: { N: '5' },
  s: { S: 'str' },
  l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] },
  m: { M: { x: { N: '1' }, nest: { M: { y: { S: 'deep' } } } } },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2'] },
  bs: { BS: ['AQ==', 'Ag=='] },
};

test('SET: new and replaced attributes, nested maps, list elements', () => {
  const table: Array<[string, Values, Partial<Record<string, AttributeValue | undefined>>]> = [
    ['SET a = :v', { ':v': { S: 'new' } }, { a: { S: 'new' } }],
    ['SET n = :v', { ':v': { BOOL: true } }, { n: { BOOL: true } }],
    ['SET m.z = :v, m.nest.y = :w', { ':v': { N: '9' }, ':w': { NULL: true } }, { m: { M: { x: { N: '1' }, nest: { M: { y: { NULL: true } } }, z: { N: '9' } } } }],
    ['SET l[1] = :v', { ':v': { S: 'B' } }, { l: { L: [{ S: 'a' }, { S: 'B' }, { S: 'c' }, { S: 'd' }] } }],
    ['SET l[10] = :v', { ':v': { S: 'e' } }, { l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }, { S: 'e' }] } }],
    ['SET l[9] = :y, l[7] = :x', { ':x': { S: 'x' }, ':y': { S: 'y' } }, { l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }, { S: 'x' }, { S: 'y' }] } }],
    ['SET n = s, s = n', {}, { n: { S: 'str' }, s: { N: '5' } }],
    ['SET a = n + :one, b = :one - n', { ':one': { N: '1' } }, { a: { N: '6' }, b: { N: '-4' } }],
    ['SET a = :x + :y', { ':x': { N: '0.1' }, ':y': { N: '0.2' } }, { a: { N: '0.3' } }],
    ['SET n = if_not_exists(n, :z), a = if_not_exists(a, :z)', { ':z': { N: '0' } }, { n: { N: '5' }, a: { N: '0' } }],
    ['SET a = if_not_exists(a, :z) + :one', { ':z': { N: '0' }, ':one': { N: '1' } }, { a: { N: '1' } }],
    ['SET l = list_append(l, :t), k = list_append(:t, :t)', { ':t': { L: [{ S: 'z' }] } }, {
      l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }, { S: 'z' }] },
      k: { L: [{ S: 'z' }, { S: 'z' }] },
    }],
    ['SET l = list_append(:t, l)', { ':t': { L: [{ S: 'z' }] } }, { l: { L: [{ S: 'z' }, { S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] } }],
    ['SET a = m.nest', {}, { a: { M: { y: { S: 'deep' } } } }],
  ];
  for (const [expression, values, changes] of table) {
    const expected: Item = { ...base };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete expected[name];
      else expected[name] = value;
    }
    assert.deepEqual(update(base, expression, values), expected, expression);
  }
});

test('REMOVE: attributes, nested values, list elements by their indexes before the update', () => {
  const table: Array<[string, Partial<Record<string, AttributeValue | undefined>>]> = [
    ['REMOVE s, absent', { s: undefined }],
    ['REMOVE m.nest.y, m.x', { m: { M: { nest: { M: {} } } } }],
    ['REMOVE l[1], l[2]', { l: { L: [{ S: 'a' }, { S: 'd' }] } }],
    ['REMOVE l[3], l[0]', { l: { L: [{ S: 'b' }, { S: 'c' }] } }],
    ['REMOVE l[7]', {}],
    ['REMOVE m.absent', {}],
    ['REMOVE l[0], l[1], l[2], l[3]', { l: { L: [] } }],
  ];
  for (const [expression, changes] of table) {
    const expected: Item = { ...base };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete expected[name];
      else expected[name] = value;
    }
    assert.deepEqual(update(base, expression), expected, expression);
  }
});

test('ADD and DELETE', () => {
  const table: Array<[string, Values, Partial<Record<string, AttributeValue | undefined>>]> = [
    ['ADD n :v', { ':v': { N: '-7.5' } }, { n: { N: '-2.5' } }],
    ['ADD c :v', { ':v': { N: '3' } }, { c: { N: '3' } }],
    ['ADD m.c :v', { ':v': { N: '3' } }, { m: { M: { x: { N: '1' }, nest: { M: { y: { S: 'deep' } } }, c: { N: '3' } } } }],
    ['ADD ss :v', { ':v': { SS: ['b', 'c'] } }, { ss: { SS: ['a', 'b', 'c'] } }],
    ['ADD ns :v', { ':v': { NS: ['2.0', '3'] } }, { ns: { NS: ['1', '2', '3'] } }],
    ['ADD bs :v', { ':v': { BS: ['Aw==', 'AQ=='] } }, { bs: { BS: ['AQ==', 'Ag==', 'Aw=='] } }],
    ['ADD newset :v', { ':v': { SS: ['x'] } }, { newset: { SS: ['x'] } }],
    ['DELETE ss :v', { ':v': { SS: ['a', 'z'] } }, { ss: { SS: ['b'] } }],
    ['DELETE ns :v', { ':v': { NS: ['1.0', '2'] } }, { ns: undefined }],
    ['DELETE absent :v', { ':v': { SS: ['a'] } }, {}],
  ];
  for (const [expression, values, changes] of table) {
    const expected: Item = { ...base };
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) delete expected[name];
      else expected[name] = value;
    }
    assert.deepEqual(update(base, expression, values), expected, expression);
  }
});

test('runtime failures', () => {
  const values: Values = { ':a': { SS: ['a'] }, ':n': { N: '1' }, ':s': { S: 'x' }, ':l': { L: [] }, ':ns': { NS: ['1'] } };
  const table: Array<[string, string]> = [
    ['SET c = absent', MISSING],
    ['SET e = list_append(absent, :l)', MISSING],
    ['SET e = list_append(:l, absent)', MISSING],
    ['SET a = absent + :n', MISSING],
    ['SET a = if_not_exists(n, absent)', MISSING],
    ['SET e = s + :n', INCORRECT_TYPE],
    ['SET e = :n - ss', INCORRECT_TYPE],
    ['SET e = list_append(s, :l)', INCORRECT_TYPE],
    ['SET e = list_append(:l, if_not_exists(absent, :n))', INCORRECT_TYPE],
    ['ADD s :n', INCORRECT_TYPE],
    ['ADD ss :ns', INCORRECT_TYPE],
    ['ADD n :a', INCORRECT_TYPE],
    ['DELETE ss :ns', INCORRECT_TYPE],
    ['DELETE n :ns', INCORRECT_TYPE],
    ['SET absent.a = :n', INVALID_PATH],
    ['SET absent[0] = :n', INVALID_PATH],
    ['SET s.a = :n', INVALID_PATH],
    ['SET s[0] = :n', INVALID_PATH],
    ['SET m[0] = :n', INVALID_PATH],
    ['SET l.a = :n', INVALID_PATH],
    ['SET l[9].a = :n', INVALID_PATH],
    ['REMOVE absent.a', INVALID_PATH],
    ['REMOVE m[0]', INVALID_PATH],
    ['ADD absent.a :n', INVALID_PATH],
    ['DELETE l.a :a', INVALID_PATH],
    // Targets are visited in path order: a before z, whatever the order written.
    ['SET z = absent, a = s + :n', INCORRECT_TYPE],
    ['SET a = absent, z = s + :n', MISSING],
    ['SET a = n + :big', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
  ];
  for (const [expression, expected] of table) {
    assert.equal(failure(base, expression, { ...values, ...(expression.includes(':big') ? { ':big': { N: '9.9999999999999999999999999999999999999E+125' } } : {}) }), expected, expression);
  }
});

test('invalid document paths on an existing item (dynalite table)', () => {
  const item = update({ a: { S: 'key' } }, 'set b = a, c = :c, d = :d', { ':c': { M: { 1: { S: 'a' } } }, ':d': { L: [{ S: 'a' }, { S: 'b' }] } });
  const expressions = [
    'set b.a = :a, #1 = :a', 'set b[1] = :a, #1 = :a', 'set y.a = :a, #1 = :a', 'set y[1] = :a, #1 = :a', 'set c[1] = :a, #1 = :a', 'set d.#1 = :a',
    'remove b.a set #1 = :a', 'remove b[1] set #1 = :a', 'remove y.a set #1 = :a', 'remove y[1] set #1 = :a', 'remove c[1] set #1 = :a', 'remove d.#1 set #1 = :a',
    'delete b.a :a set #1 = :a', 'delete b[1] :a set #1 = :a', 'delete y.a :a set #1 = :a', 'delete y[1] :a set #1 = :a', 'delete c[1] :a set #1 = :a', 'delete d.#1 :a',
    'add b.a :a set #1 = :a', 'add b[1] :a set #1 = :a', 'add y.a :a set #1 = :a', 'add y[1] :a set #1 = :a', 'add c[1] :a set #1 = :a', 'add d.#1 :a',
  ];
  for (const expression of expressions) {
    assert.equal(failure(item, expression, { ':a': { SS: ['a'] } }, { '#1': '1' }), INVALID_PATH, expression);
  }
  assert.equal(failure({ a: { S: 'k' } }, 'set b.a = a'), INVALID_PATH);
  assert.equal(failure({ a: { S: 'k' } }, 'set b[1] = a'), INVALID_PATH);
  assert.equal(failure({ a: { S: 'k' } }, 'set c = b'), MISSING);
});

test('nesting deeper than 32 levels fails after the update is built', () => {
  let value: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < 31; i++) value = { M: { a: value } };
  // 31 maps at levels 1..31: fine.
  assert.equal(failure({}, 'SET top = :v', { ':v': value }), 'OK');
  assert.equal(
    failure({}, 'SET top = :v', { ':v': { L: [value] } }),
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  );
  assert.equal(
    failure({ top: { M: {} } }, 'SET top.below = :v', { ':v': value }),
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  );
  // Other failures come first.
  assert.equal(failure({}, 'SET top = :v, z = absent', { ':v': { L: [value] } }), MISSING);
});

test('the item is not modified; UPDATED_OLD and UPDATED_NEW project the targets', () => {
  const before = JSON.stringify(base);
  const compiled = compileUpdate('SET m.x = :v, l[9] = :v, newattr = :v REMOVE s ADD ss :ss', new ExpressionContext(undefined, { ':v': { N: '7' }, ':ss': { SS: ['q'] } }));
  const after = applyUpdate(compiled, base);
  assert.equal(JSON.stringify(base), before);
  assert.deepEqual(updatedAttributes(compiled, base), { m: { M: { x: { N: '1' } } }, s: { S: 'str' }, ss: { SS: ['a', 'b'] } });
  assert.deepEqual(updatedAttributes(compiled, after), { m: { M: { x: { N: '7' } } }, newattr: { N: '7' }, ss: { SS: ['a', 'b', 'q'] } });
});

test('attribute names that are Object.prototype members', () => {
  const item = update({}, 'SET #p = :v, #c = :v', { ':v': { S: 'x' } }, { '#p': '__proto__', '#c': 'constructor' });
  assert.deepEqual(Object.keys(item), ['__proto__', 'constructor']);
  assert.deepEqual(Object.getPrototypeOf(item), Object.prototype);
  assert.deepEqual(update(item, 'REMOVE #p', undefined, { '#p': '__proto__' }), { constructor: { S: 'x' } });
});
