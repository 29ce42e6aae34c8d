import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpressionContext } from './attribute-maps';
import { compileProjection, project } from './index';
import type { Item } from './types';

const item: Item = {
  id: { S: 'k' },
  n: { N: '1' },
  l: { L: [{ S: 'a' }, { M: { x: { S: 'x0' }, y: { S: 'y0' } } }, { S: 'c' }, { L: [{ N: '0' }, { N: '1' }] }] },
  m: { M: { a: { N: '1' }, b: { M: { c: { S: 'deep' }, d: { S: 'other' } } }, 'dotted.key': { S: 'dot' } } },
};

function run(expression: string, names?: Record<string, string>): Item {
  return project(compileProjection(expression, new ExpressionContext(names, undefined)), item);
}

test('projection builds the selected part of the item', () => {
  const table: Array<[string, Item]> = [
    ['id', { id: { S: 'k' } }],
    ['id, n, absent', { id: { S: 'k' }, n: { N: '1' } }],
    ['m.b.c', { m: { M: { b: { M: { c: { S: 'deep' } } } } } }],
    ['m.b.c, m.a', { m: { M: { a: { N: '1' }, b: { M: { c: { S: 'deep' } } } } } }],
    ['l[2], l[0]', { l: { L: [{ S: 'a' }, { S: 'c' }] } }],
    ['l[1].y, l[3][1]', { l: { L: [{ M: { y: { S: 'y0' } } }, { L: [{ N: '1' }] }] } }],
    ['l[9], m.absent, absent.x', {}],
    ['l.x, m[0], n[0]', {}],
    ['id.x', {}],
    ['l[9], l[2]', { l: { L: [{ S: 'c' }] } }],
    ['m.#k', { m: { M: { 'dotted.key': { S: 'dot' } } } }],
    ['#k', {}],
  ];
  for (const [expression, expected] of table) {
    assert.deepEqual(run(expression, expression.includes('#k') ? { '#k': 'dotted.key' } : undefined), expected, expression);
  }
});
