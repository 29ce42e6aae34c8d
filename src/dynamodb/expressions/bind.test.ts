import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpressionContext } from './attribute-maps';
import { compileCondition, compileProjection, compileUpdate } from './index';
import type { AttributeValue } from './types';

type Names = Record<string, string>;
type Values = Record<string, AttributeValue>;

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return 'OK';
}

const condition = (expression: string, names?: Names, values?: Values) =>
  message(() => compileCondition('FilterExpression', expression, new ExpressionContext(names, values)));
const update = (expression: string, names?: Names, values?: Values) =>
  message(() => compileUpdate(expression, new ExpressionContext(names, values)));
const projection = (expression: string, names?: Names) =>
  message(() => compileProjection(expression, new ExpressionContext(names, undefined)));

const F = 'Invalid FilterExpression: ';
const U = 'Invalid UpdateExpression: ';
const ALL = '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}';

test('undefined names and values, in walk order', () => {
  const table: Array<[string, Names | undefined, Values | undefined, string]> = [
    ['attribute_exists(#Pictures.RearView, :a) and a=a', undefined, undefined, 'An expression attribute name used in the document path is not defined; attribute name: #Pictures'],
    ['begins_with(Pictures.#RearView)', undefined, undefined, 'An expression attribute name used in the document path is not defined; attribute name: #RearView'],
    ['(#P between :lo and :hi) and (#PC in (:cat1, :cat2))', undefined, undefined, 'An expression attribute name used in the document path is not defined; attribute name: #P'],
    ['#4g > a', undefined, undefined, 'An expression attribute name used in the document path is not defined; attribute name: #4g'],
    ['(a)between(b.c[45].#d)and(:a)', undefined, undefined, 'An expression attribute name used in the document path is not defined; attribute name: #d'],
    ['begins_with(:hello, #a, #b)', undefined, undefined, 'An expression attribute value used in expression is not defined; attribute value: :hello'],
    [':a < :b', undefined, undefined, 'An expression attribute value used in expression is not defined; attribute value: :a'],
    [':_ > a', undefined, undefined, 'An expression attribute value used in expression is not defined; attribute value: :_'],
    ['a = :v AND #n = :w', { '#m': 'x' }, { ':v': { S: 'x' } }, 'An expression attribute name used in the document path is not defined; attribute name: #n'],
  ];
  for (const [expression, names, values, expected] of table) assert.equal(condition(expression, names, values), F + expected, expression);
});

test('operand counts, operand types and document paths required', () => {
  const table: Array<[string, Values | undefined, string]> = [
    ['attribute_exists(things, a) and a=a', undefined, 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2'],
    ['attribute_not_exists(things, b)', undefined, 'Incorrect number of operands for operator or function; operator or function: attribute_not_exists, number of operands: 2'],
    ['attribute_type(things)', undefined, 'Incorrect number of operands for operator or function; operator or function: attribute_type, number of operands: 1'],
    ['begins_with(things, size(a), b)', undefined, 'Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 3'],
    ['contains(things)', undefined, 'Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1'],
    ['size(things, a) > b', undefined, 'Incorrect number of operands for operator or function; operator or function: size, number of operands: 2'],
    ['attribute_type(a, size(a)) and a=a and a=:a', { ':a': { N: '1' } }, 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
    ['attribute_type(a, :a)', { ':a': { BOOL: true } }, 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: BOOL'],
    ['attribute_type(a, :a)', { ':a': { SS: ['1'] } }, 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: SS'],
    ['attribute_type(a, b)', undefined, `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${ALL}`],
    ['begins_with(a, size(a)) and a=:a', { ':a': { N: '1' } }, 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    ['begins_with(a, :a)', { ':a': { L: [] } }, 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: L'],
    ['begins_with(:a, a)', { ':a': { NULL: true } }, 'Incorrect operand type for operator or function; operator or function: begins_with, operand type: NULL'],
    ['size(size(a)) > :a', { ':a': { N: '1' } }, 'Incorrect operand type for operator or function; operator or function: size, operand type: N'],
    ['attribute_not_exists(size(:a))', { ':a': { N: '1' } }, 'Incorrect operand type for operator or function; operator or function: size, operand type: N'],
    ['size(:a) > a', { ':a': { BOOL: true } }, 'Incorrect operand type for operator or function; operator or function: size, operand type: BOOL'],
    ['a < :a', { ':a': { BOOL: true } }, 'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL'],
    ['a BETWEEN :a AND :b', { ':a': { M: {} }, ':b': { M: {} } }, 'Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: M'],
    ['attribute_exists(:a) and a=a', { ':a': { S: '1' } }, 'Operator or function requires a document path; operator or function: attribute_exists'],
    ['attribute_not_exists(size(:a))', { ':a': { S: '1' } }, 'Operator or function requires a document path; operator or function: attribute_not_exists'],
    ['attribute_type(a, :a)', { ':a': { S: '1' } }, 'Invalid attribute type name found; type: 1, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
    ['attribute_type(a, :a)', { ':a': { S: 'SS' } }, 'OK'],
    ['size(:a) > a', { ':a': { S: 'abc' } }, 'OK'],
    ['a = :a', { ':a': { BOOL: true } }, 'OK'],
    ['a IN (:a, :b)', { ':a': { L: [] }, ':b': { NULL: true } }, 'OK'],
  ];
  for (const [expression, values, expected] of table) {
    assert.equal(condition(expression, undefined, values), expected === 'OK' ? 'OK' : F + expected, expression);
  }
});

test('distinct first operand', () => {
  const names = { '#a': 'a' };
  const table: Array<[string, string]> = [
    ['a = a AND #a = b AND :views > a', 'operator: =, first operand: [a]'],
    ['#a <> a', 'operator: <>, first operand: [a]'],
    ['a > #a', 'operator: >, first operand: [a]'],
    ['((a=a) OR (a=a))', 'operator: =, first operand: [a]'],
    ['contains(ab.bc[1].a, ab.bc[1].#a)', 'operator: contains, first operand: [ab, bc, [1], a]'],
    ['attribute_type(ab.bc[1].#a, ab.bc[1].a)', 'operator: attribute_type, first operand: [ab, bc, [1], a]'],
    ['begins_with(ab.bc[1].a, ab.bc[1].#a)', 'operator: begins_with, first operand: [ab, bc, [1], a]'],
    ['a IN (b, #a)', 'operator: IN, first operand: [a]'],
    ['#a BETWEEN b AND a', 'operator: BETWEEN, first operand: [a]'],
  ];
  for (const [expression, expected] of table) {
    const values = expression.includes(':views') ? { ':views': { S: 'x' } } : undefined;
    assert.equal(
      condition(expression, expression.includes('#a') ? names : undefined, values),
      `${F}The first operand must be distinct from the remaining operands for this operator or function; ${expected}`,
      expression,
    );
  }
  assert.equal(condition(':a > :a', undefined, { ':a': { N: '1' } }), 'OK');
});

test('BETWEEN bounds, IN operand count, operator count, path depth', () => {
  assert.equal(
    condition('a between :b and :a', undefined, { ':a': { S: 'a' }, ':b': { N: '1' } }),
    `${F}The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}`,
  );
  assert.equal(
    condition('a between :b and :a', undefined, { ':a': { S: 'a' }, ':b': { S: 'b' } }),
    `${F}The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}`,
  );
  assert.equal(
    condition('a between :b and :a', undefined, { ':a': { N: '1' }, ':b': { N: '2' } }),
    `${F}The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}`,
  );
  assert.equal(condition('a between :a and :a', undefined, { ':a': { N: '1' } }), 'OK');

  const values: Values = {};
  for (let i = 0; i < 101; i++) values[`:v${i}`] = { N: String(i) };
  const list = Object.keys(values);
  assert.equal(condition(`a IN (${list.slice(0, 100).join(', ')})`, undefined, values), 'OK');
  assert.equal(condition(`a IN (${list.join(', ')})`, undefined, values), `${F}The IN operator is provided with too many operands; number of operands: 101`);

  // 150 comparisons joined by 149 ANDs are 299 operators; a NOT makes 300, the limit.
  const terms = Array.from({ length: 150 }, (_, i) => `a${i} = :v`).join(' AND ');
  assert.equal(condition(`NOT (${terms})`, undefined, { ':v': { N: '1' } }), 'OK');
  assert.equal(
    condition(`NOT NOT (${terms})`, undefined, { ':v': { N: '1' } }),
    `${F}The expression contains too many operators; operator count: 301`,
  );

  const deep = (n: number) => `attribute_exists(a${'.b'.repeat(n - 1)})`;
  assert.equal(condition(deep(32)), 'OK');
  assert.equal(condition(deep(33)), `${F}The document path has too many nesting levels; nesting levels: 33`);
  assert.equal(projection(`a${'[0]'.repeat(32)}`), 'Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33');
});

test('update: overlapping and conflicting target paths (DynamoDB adds them last-written first)', () => {
  const table: Array<[string, Names, string]> = [
    ['SET a = :v, a.b = :v', {}, 'overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    ['SET a.b = :v, a = :v', {}, 'overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]'],
    ['SET a = :v REMOVE a', {}, 'overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    ['SET #a = :v REMOVE a', { '#a': 'a' }, 'overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    ['set d[1] = :v, d.b = :v, c[1].a = :v, #c = if_not_exists(a)', { '#c': 'c', '#d': '[3]' }, 'overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]'],
    ['set #c[3].#d = :v, #c[3] = :v', { '#c': 'c', '#d': '[3]' }, 'overlap with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]'],
    ['set c.b.#c = :v, c = :v, #d = :v', { '#c': 'c', '#d': '[3]' }, 'overlap with each other; must remove or rewrite one of these paths; path one: [c, b, c], path two: [[3]]'],
    ['set a = :v remove a, #c, #d', { '#c': 'c', '#d': '[3]' }, 'overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [[3]]'],
    ['remove c, #c.a, #d', { '#c': 'c', '#d': '[3]' }, 'overlap with each other; must remove or rewrite one of these paths; path one: [c], path two: [[3]]'],
    ['set #c[3].#d = :v, #c.#d[3] = if_not_exists(a)', { '#c': 'c', '#d': '[3]' }, 'conflict with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]'],
    ['remove a.#c set a[1] = :v', { '#c': 'c' }, 'conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]'],
  ];
  for (const [expression, names, expected] of table) {
    assert.equal(update(expression, names, { ':v': { S: 'x' } }), `${U}Two document paths ${expected}`, expression);
  }
  assert.equal(projection('a, a.b'), 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
  assert.equal(projection('a[0], a.b'), 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]');
  assert.equal(projection('a.b, a.c, d[1], d[0]'), 'OK');
});

test('update: operand and ADD/DELETE checks, last action first', () => {
  const values: Values = {
    ':a': { S: 'a' }, ':b': { N: '1' }, ':c': { B: 'YQ==' }, ':d': { BOOL: false }, ':e': { NULL: true },
    ':f': { SS: ['a'] }, ':g': { NS: ['1'] }, ':h': { BS: ['YQ=='] }, ':i': { M: {} }, ':j': { L: [] },
  };
  const table: Array<[string, string]> = [
    ['set b = list_append(:a, a), c = if_not_exists(a) add a.b :a', 'Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
    ['delete a.b :a', 'Incorrect operand type for operator or function; operator: DELETE, operand type: STRING'],
    ['add a.b :e', 'Incorrect operand type for operator or function; operator: ADD, operand type: NULL'],
    ['add a.b :d', 'Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN'],
    ['delete a.b :c', 'Incorrect operand type for operator or function; operator: DELETE, operand type: BINARY'],
    ['add a.b :i', 'Incorrect operand type for operator or function; operator: ADD, operand type: MAP'],
    ['add a.b :j', 'Incorrect operand type for operator or function; operator: ADD, operand type: LIST'],
    ['delete a.b :b', 'Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
    ['set a = if_not_exists(c)', 'Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1'],
    ['set a = list_append(c)', 'Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1'],
    ['set a = if_not_exists(:a, c)', 'Operator or function requires a document path; operator or function: if_not_exists'],
    ['set a = if_not_exists(if_not_exists(a, b), c)', 'Operator or function requires a document path; operator or function: if_not_exists'],
    ['set a = if_not_exists(a, a)', 'The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand: [a]'],
    ['set a = list_append(:a, a)', 'Incorrect operand type for operator or function; operator or function: list_append, operand type: S'],
    ['set a = list_append(a, :b)', 'Incorrect operand type for operator or function; operator or function: list_append, operand type: N'],
    ['set a = list_append(:i, a)', 'Incorrect operand type for operator or function; operator or function: list_append, operand type: M'],
    ['set a = a + :a', 'Incorrect operand type for operator or function; operator or function: +, operand type: S'],
    ['set a = :a + :c', 'Incorrect operand type for operator or function; operator or function: +, operand type: S'],
    ['set a = :c - a', 'Incorrect operand type for operator or function; operator or function: -, operand type: B'],
    ['set a = a - :j', 'Incorrect operand type for operator or function; operator or function: -, operand type: L'],
    ['set a = a + a', 'OK'],
    ['SET #c = if_not_exists(:c)', 'An expression attribute name used in the document path is not defined; attribute name: #c'],
    ['SET a = if_not_exists(:zz)', 'An expression attribute value used in expression is not defined; attribute value: :zz'],
    ['SET #x = :v1, #y = :v2', 'An expression attribute name used in the document path is not defined; attribute name: #y'],
    ['SET a = :v1, b = :v2', 'An expression attribute value used in expression is not defined; attribute value: :v2'],
    ['SET a = #x, a.b = :v', 'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    ['add s :f, n :b, t :g, u :h delete s2 :f', 'OK'],
  ];
  for (const [expression, expected] of table) assert.equal(update(expression, undefined, values), expected === 'OK' ? 'OK' : U + expected, expression);
});

test('paths of a projection or update are validated from the last written to the first', () => {
  assert.equal(projection('#a, #b'), 'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #b');
  assert.equal(projection('#a, b, #b.c', { '#b': 'x' }), 'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #a');
  assert.equal(update('SET #a = :v REMOVE #b', undefined, { ':v': { N: '1' } }), `${U}An expression attribute name used in the document path is not defined; attribute name: #b`);
  // Target paths are all checked before any operand.
  assert.equal(update('SET a = #x, #y = :v', undefined, { ':v': { N: '1' } }), `${U}An expression attribute name used in the document path is not defined; attribute name: #y`);
});
