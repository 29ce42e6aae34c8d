import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpressionProblem } from './errors';
import { parseProjection } from './projection-parser';

function problem(expression: string): string {
  try {
    parseProjection(expression);
  } catch (error) {
    if (error instanceof ExpressionProblem) return error.body;
    throw error;
  }
  return 'OK';
}

test('projection expressions: paths separated by commas', () => {
  assert.deepEqual(
    parseProjection('a, b.c[1], #d[0][2].e').map((p) => p.elements.map((e) => (e.kind === 'index' ? e.index : e.name))),
    [['a'], ['b', 'c', 1], ['#d', 0, 2, 'e']],
  );
});

test('projection problems', () => {
  const table: Array<[string, string]> = [
    ['', 'The expression can not be empty;'],
    ['a,', 'Syntax error; token: "<EOF>", near: ","'],
    ['(a1)', 'Syntax error; token: "(", near: "(a1"'],
    ['a b', 'Syntax error; token: "b", near: "a b"'],
    ['a, size', 'Attribute name is a reserved keyword; reserved keyword: size'],
    ['a[2147483648]', 'List index is not within the allowable range; index: [2147483648]'],
    ['a.:v', 'Syntax error; token: ":v", near: ".:v"'],
    [`a${' '.repeat(4096)}`, 'Expression size has exceeded the maximum allowed size;'],
  ];
  for (const [expression, expected] of table) assert.equal(problem(expression), expected, expression.slice(0, 40));
});
