import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpressionContext } from './attribute-maps';
import { compileCondition, evaluateCondition } from './index';
import type { AttributeValue, Item } from './types';

const item: Item = {
  id: { S: 'k1' },
  s: { S: 'hello world' },
  blank: { S: '' },
  n: { N: '10' },
  dnum: { N: '2.50' },
  neg: { N: '-3' },
  b: { B: Buffer.from([0x01, 0xff, 0x10]).toString('base64') },
  t: { BOOL: true },
  nul: { NULL: true },
  ss: { SS: ['red', 'green'] },
  ns: { NS: ['1', '2.5', '-7'] },
  bs: { BS: [Buffer.from([1, 2]).toString('base64'), Buffer.from([3]).toString('base64')] },
  l: { L: [{ S: 'x' }, { N: '5' }, { M: { k: { S: 'v' } } }, { L: [{ N: '1' }] }] },
  m: { M: { a: { N: '1' }, b: { M: { c: { S: 'deep' } } }, 'dotted.name': { S: 'dot' } } },
  emoji: { S: 'é𝄞' },
  big: { S: 'Z' },
  hi: { S: '\uFF61' },
  astral: { S: '\u{1F600}' },
};

function run(expression: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>, target: Item = item): boolean {
  const compiled = compileCondition('ConditionExpression', expression, new ExpressionContext(names, Object.keys(values).length ? values : undefined));
  return evaluateCondition(compiled, target);
}

test('comparisons are type-sensitive; absent attributes make them false (and <> true)', () => {
  const table: Array<[string, Record<string, AttributeValue>, boolean]> = [
    ['n = :v', { ':v': { N: '10' } }, true],
    ['n = :v', { ':v': { N: '10.000' } }, true],
    ['dnum = :v', { ':v': { N: '2.5' } }, true],
    ['n = :v', { ':v': { S: '10' } }, false],
    ['n <> :v', { ':v': { S: '10' } }, true],
    ['absent = :v', { ':v': { S: 'x' } }, false],
    ['absent <> :v', { ':v': { S: 'x' } }, true],
    ['absent = absent2', {}, false],
    ['absent <> absent2', {}, true],
    ['absent < :v', { ':v': { N: '1' } }, false],
    ['n > :v', { ':v': { N: '9.99' } }, true],
    ['neg < :v', { ':v': { N: '-2.9' } }, true],
    ['n >= :v', { ':v': { N: '1e1' } }, true],
    ['n < :v', { ':v': { S: 'z' } }, false],
    ['s < :v', { ':v': { S: 'hello worle' } }, true],
    ['big < :v', { ':v': { S: 'a' } }, true],
    ['hi < astral', {}, true],
    ['b > :v', { ':v': { B: Buffer.from([0x01, 0x7f]).toString('base64') } }, true],
    ['t = :v', { ':v': { BOOL: true } }, true],
    ['nul = :v', { ':v': { NULL: true } }, true],
    ['ss = :v', { ':v': { SS: ['green', 'red'] } }, true],
    ['ns = :v', { ':v': { NS: ['-7', '2.50', '1'] } }, true],
    ['ss = :v', { ':v': { SS: ['green'] } }, false],
    ['l[2].k = :v', { ':v': { S: 'v' } }, true],
    ['m.b.c = :v', { ':v': { S: 'deep' } }, true],
    ['m = :v', { ':v': { M: { 'dotted.name': { S: 'dot' }, b: { M: { c: { S: 'deep' } } }, a: { N: '1.0' } } } }, true],
    ['l = :v', { ':v': { L: [{ S: 'x' }] } }, false],
    ['t < :v', { ':v': { N: '1' } }, false],
    ['l[9] = :v', { ':v': { S: 'x' } }, false],
    ['s.x = :v', { ':v': { S: 'x' } }, false],
    ['m[0] = :v', { ':v': { N: '1' } }, false],
  ];
  for (const [expression, values, expected] of table) assert.equal(run(expression, values), expected, expression);
});

test('BETWEEN and IN', () => {
  const table: Array<[string, Record<string, AttributeValue>, boolean]> = [
    ['n BETWEEN :a AND :b', { ':a': { N: '10' }, ':b': { N: '10' } }, true],
    ['n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '9' } }, false],
    ['s BETWEEN :a AND :b', { ':a': { S: 'a' }, ':b': { S: 'i' } }, true],
    ['s BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '2' } }, false],
    ['absent BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '2' } }, false],
    ['n BETWEEN :a AND dnum', { ':a': { N: '1' } }, false],
    ['n IN (:a, :b)', { ':a': { S: '10' }, ':b': { N: '10' } }, true],
    ['n IN (:a, absent)', { ':a': { S: '10' } }, false],
    ['absent IN (:a)', { ':a': { S: '10' } }, false],
    ['ss IN (:a)', { ':a': { SS: ['red', 'green'] } }, true],
  ];
  for (const [expression, values, expected] of table) assert.equal(run(expression, values), expected, expression);
});

test('functions', () => {
  const table: Array<[string, Record<string, AttributeValue>, boolean]> = [
    ['attribute_exists(m.b.c)', {}, true],
    ['attribute_exists(m.b.x)', {}, false],
    ['attribute_not_exists(absent)', {}, true],
    ['attribute_not_exists(l[3][0])', {}, false],
    ['attribute_exists(#d)', {}, false],
    ['attribute_exists(m.#d)', {}, true],
    ['attribute_type(ns, :t)', { ':t': { S: 'NS' } }, true],
    ['attribute_type(ns, :t)', { ':t': { S: 'N' } }, false],
    ['attribute_type(nul, :t)', { ':t': { S: 'NULL' } }, true],
    ['attribute_type(absent, :t)', { ':t': { S: 'S' } }, false],
    ['begins_with(s, :p)', { ':p': { S: 'hello' } }, true],
    ['begins_with(s, :p)', { ':p': { S: '' } }, true],
    ['begins_with(s, :p)', { ':p': { S: 'world' } }, false],
    ['begins_with(b, :p)', { ':p': { B: Buffer.from([0x01, 0xff]).toString('base64') } }, true],
    ['begins_with(b, :p)', { ':p': { B: Buffer.from([0xff]).toString('base64') } }, false],
    ['begins_with(n, :p)', { ':p': { S: '1' } }, false],
    ['begins_with(ss, :p)', { ':p': { S: 'red' } }, false],
    ['contains(s, :p)', { ':p': { S: 'o w' } }, true],
    ['contains(s, :p)', { ':p': { S: 'x' } }, false],
    ['contains(b, :p)', { ':p': { B: Buffer.from([0xff, 0x10]).toString('base64') } }, true],
    ['contains(ss, :p)', { ':p': { S: 'red' } }, true],
    ['contains(ss, :p)', { ':p': { S: 're' } }, false],
    ['contains(ns, :p)', { ':p': { N: '2.500' } }, true],
    ['contains(ns, :p)', { ':p': { S: '1' } }, false],
    ['contains(bs, :p)', { ':p': { B: Buffer.from([3]).toString('base64') } }, true],
    ['contains(l, :p)', { ':p': { N: '5.0' } }, true],
    ['contains(l, :p)', { ':p': { M: { k: { S: 'v' } } } }, true],
    ['contains(l, :p)', { ':p': { S: 'v' } }, false],
    ['contains(m, :p)', { ':p': { S: 'a' } }, false],
    ['contains(n, :p)', { ':p': { N: '1' } }, false],
    ['contains(:p, :q)', { ':p': { S: 'abc' }, ':q': { S: 'b' } }, true],
    ['size(s) = :n', { ':n': { N: '11' } }, true],
    ['size(blank) = :n', { ':n': { N: '0' } }, true],
    ['size(emoji) = :n', { ':n': { N: '3' } }, true],
    ['size(b) = :n', { ':n': { N: '3' } }, true],
    ['size(ss) = :n', { ':n': { N: '2' } }, true],
    ['size(l) = :n', { ':n': { N: '4' } }, true],
    ['size(m) = :n', { ':n': { N: '3' } }, true],
    ['size(n) = :n', { ':n': { N: '2' } }, false],
    ['size(n) <> :n', { ':n': { N: '2' } }, true],
    ['size(absent) < :n', { ':n': { N: '2' } }, false],
    ['size(:s) = :n', { ':s': { SS: ['a', 'b'] }, ':n': { N: '2' } }, true],
    ['size(l[3]) > :n', { ':n': { N: '0' } }, true],
  ];
  for (const [expression, values, expected] of table) {
    assert.equal(run(expression, values, expression.includes('#d') ? { '#d': 'dotted.name' } : undefined), expected, expression);
  }
});

test('NOT, AND, OR and precedence', () => {
  const v = { ':t': { BOOL: true }, ':f': { BOOL: false } };
  const table: Array<[string, boolean]> = [
    ['t = :t OR t = :f AND t = :f', true],
    ['(t = :t OR t = :f) AND t = :f', false],
    ['NOT t = :f AND t = :t', true],
    ['NOT (t = :t AND t = :f)', true],
    ['NOT NOT t = :t', true],
    ['t = :f OR NOT attribute_exists(absent)', true],
  ];
  for (const [expression, expected] of table) assert.equal(run(expression, v), expected, expression);
});

test('a missing item is an empty item', () => {
  const compiled = compileCondition('ConditionExpression', 'attribute_not_exists(id)', new ExpressionContext(undefined, undefined));
  assert.equal(evaluateCondition(compiled, undefined), true);
  assert.equal(evaluateCondition(compiled, item), false);
});
