import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCondition } from './condition-parser';
import { ExpressionProblem } from './errors';
import type { ConditionSyntax, OperandSyntax } from './types';

function problem(expression: string): string {
  try {
    parseCondition(expression);
  } catch (error) {
    if (error instanceof ExpressionProblem) return error.body;
    throw error;
  }
  return 'OK';
}

const syntax = (token: string, near: string) => `Syntax error; token: "${token}", near: "${near}"`;

/** A compact rendering of a parse tree, to check structure and precedence. */
function show(node: ConditionSyntax | OperandSyntax): string {
  switch (node.type) {
    case 'path':
      return node.elements.map((e) => (e.kind === 'index' ? `[${e.index}]` : e.name)).join('.').replace(/\.\[/g, '[');
    case 'value':
      return node.name;
    case 'call':
      return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'arith':
      return `(${show(node.left)} ${node.op} ${show(node.right)})`;
    case 'compare':
      return `(${show(node.left)} ${node.op} ${show(node.right)})`;
    case 'between':
      return `(${show(node.operand)} BETWEEN ${show(node.lower)} AND ${show(node.upper)})`;
    case 'in':
      return `(${show(node.operand)} IN ${node.list.map(show).join(', ')})`;
    case 'function':
      return show(node.call);
    case 'not':
      return `NOT ${show(node.operand)}`;
    case 'and':
      return `{${show(node.left)} AND ${show(node.right)}}`;
    case 'or':
      return `{${show(node.left)} OR ${show(node.right)}}`;
  }
}

test('grammar and precedence: comparisons, IN, BETWEEN, functions, NOT, AND, OR, parentheses', () => {
  const table: Array<[string, string]> = [
    ['a = :v', '(a = :v)'],
    ['a.b[2].#c <> :v', '(a.b[2].#c <> :v)'],
    [':v < a', '(:v < a)'],
    ['a BETWEEN :lo AND :hi', '(a BETWEEN :lo AND :hi)'],
    ['a IN (:x, :y, b)', '(a IN :x, :y, b)'],
    ['attribute_exists(a)', 'attribute_exists(a)'],
    ['size(a) > :n', '(size(a) > :n)'],
    ['a = :v OR b = :v AND c = :v', '{(a = :v) OR {(b = :v) AND (c = :v)}}'],
    ['(a = :v OR b = :v) AND c = :v', '{{(a = :v) OR (b = :v)} AND (c = :v)}'],
    ['NOT a = :v AND b = :v', '{NOT (a = :v) AND (b = :v)}'],
    ['NOT (a = :v AND b = :v)', 'NOT {(a = :v) AND (b = :v)}'],
    ['NOT NOT attribute_exists(a)', 'NOT NOT attribute_exists(a)'],
    ['a = :v AND b = :v AND c = :v', '{(a = :v) AND {(b = :v) AND (c = :v)}}'],
    ['a BETWEEN :x AND :y AND b = :v', '{(a BETWEEN :x AND :y) AND (b = :v)}'],
    ['(a) = (:v)', '(a = :v)'],
    ['(a)between(b.c)and(c)', '(a BETWEEN b.c AND c)'],
    ['(size(a)) = :v', '(size(a) = :v)'],
    ['begins_with(a, :p) or contains(b, :q)', '{begins_with(a, :p) OR contains(b, :q)}'],
    ['((a = :v) AND b = :w)', '{(a = :v) AND (b = :w)}'],
    ['\ta\n=\r:v ', '(a = :v)'],
  ];
  for (const [expression, expected] of table) assert.equal(show(parseCondition(expression)), expected, expression);
});

test('syntax errors name the first token no parse can continue with', () => {
  const table: Array<[string, string]> = [
    ['foo', syntax('<EOF>', 'foo')],
    ['a = ', syntax('<EOF>', '= ')],
    ['a = :v AND', syntax('<EOF>', 'AND')],
    ['a == :v', syntax('=', '== :v')],
    ['a = :v b', syntax('b', ':v b')],
    ['things are not gonna be ok', syntax('are', 'things are not')],
    ['a > 4', syntax('4', '> 4')],
    ['a in b', syntax('b', 'in b')],
    ['a in (b,c,)', syntax(')', ',)')],
    ['a > between', syntax('between', '> between')],
    ['attribute_exists(Pictures-RearView)', syntax('-', 'Pictures-RearView')],
    ['attribute_exists(asdf[a])', syntax('a', '[a]')],
    ['attribute_not_exists(_c)', syntax('_', '(_c')],
    ['size(a).b > a', syntax('.', ').b')],
    ['(a)between(b.(c.d))and(c)', syntax('(', '.(c')],
    ['(a)between(b.c.d)and((c)', syntax('<EOF>', ')')],
    ['b[#_] > a', syntax('#_', '[#_]')],
    ['ü > a', syntax('ü', 'ü >')],
    ['a > "x"', syntax('"x"', '> "x"')],
    ['(a) AND b = :c', syntax('AND', ') AND b')],
    ['((a)) x', syntax('x', ') x')],
    ['((a))', syntax('<EOF>', ')')],
    ['attribute_exists(a) x', syntax('x', ') x')],
    ['size() > :v', syntax(')', '() >')],
    ['a = :v)', syntax(')', ':v)')],
    ['remove = :v', syntax('remove', 'remove =')],
    ['   ', syntax('<EOF>', '   ')],
  ];
  for (const [expression, expected] of table) assert.equal(problem(expression), expected, expression);
});

test('redundant parentheses are reported where the parser passes them', () => {
  const table = [
    '((a = :v))',
    '((a)) = :v',
    'a=a and a > ((views))',
    '(a)between(((b.c)).d)and(c)',
    'a > whatever((:things), ((a)))',
    'a=a AND ((a=a AND a=a)) AND a=a',
    'a=a OR ((a=a OR (a=a OR a=a)))',
    '((attribute_exists(a)))',
    '((a = :v)) AND',
    '((a)) = ',
    '(((a) = :v))',
  ];
  for (const expression of table) assert.equal(problem(expression), 'The expression has redundant parentheses;', expression);
});

test('function names and where functions may be used', () => {
  const table: Array<[string, string]> = [
    ['foo(a)', 'Invalid function name; function: foo'],
    ['a=a and whatever((:things)) > a', 'Invalid function name; function: whatever'],
    ['attRIbute_exIsts((views), #a)', 'Invalid function name; function: attRIbute_exIsts'],
    ['if_not_exists(a, :v) = :v', 'The function is not allowed in a condition expression; function: if_not_exists'],
    ['list_append(a, b)', 'The function is not allowed in a condition expression; function: list_append'],
    ['size(things)', 'The function is not allowed to be used this way in an expression; function: size'],
    ['NOT size(a)', 'The function is not allowed to be used this way in an expression; function: size'],
    ['attribute_not_exists(things) > b', 'The function is not allowed to be used this way in an expression; function: attribute_not_exists'],
    ['a=a and attribute_exists((views), (#a)) > b', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['size(contains(a, b)) > a', 'The function is not allowed to be used this way in an expression; function: contains'],
    ['a between b and attribute_exists(things)', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['a in (b, attribute_exists(things))', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['contains(size(a), :v)', 'OK'],
  ];
  for (const [expression, expected] of table) assert.equal(problem(expression), expected, expression);
});

test('reserved words and list indexes, in walk order', () => {
  const table: Array<[string, string]> = [
    ['status = :v', 'Attribute name is a reserved keyword; reserved keyword: status'],
    [':a < abOrT', 'Attribute name is a reserved keyword; reserved keyword: abOrT'],
    ['attribute_exists(views, #a)', 'Attribute name is a reserved keyword; reserved keyword: views'],
    ['a.Data = :v', 'Attribute name is a reserved keyword; reserved keyword: Data'],
    ['#status = :v', 'OK'],
    ['foo(a) AND status = :v', 'Invalid function name; function: foo'],
    ['status = :v AND foo(a)', 'Attribute name is a reserved keyword; reserved keyword: status'],
    ['a[2147483647] = :v', 'OK'],
    ['a[2147483648] = :v', 'List index is not within the allowable range; index: [2147483648]'],
    ['a[ 99999999999 ].status = :v', 'List index is not within the allowable range; index: [99999999999]'],
  ];
  for (const [expression, expected] of table) assert.equal(problem(expression), expected, expression);
});

test('empty and oversized expressions', () => {
  assert.equal(problem(''), 'The expression can not be empty;');
  const long = `a = :v${' '.repeat(4090)}`;
  assert.equal(long.length, 4096);
  assert.equal(problem(long), 'OK');
  assert.equal(problem(`${long} `), 'Expression size has exceeded the maximum allowed size; expression size: 4097');
});

test('deep nesting: the deepest valid expressions parse, deeper ones fail cleanly', () => {
  assert.equal(problem(`${'(NOT'.repeat(818)}a=:v${')'.repeat(818)}`), 'OK');
  assert.equal(problem(`${'NOT '.repeat(1020)}a = :v`), 'OK');
  assert.equal(problem(`${'('.repeat(2040)}a = :v${')'.repeat(2040)}`), 'The expression has redundant parentheses;');
  assert.equal(problem(`${'('.repeat(2040)}a${')'.repeat(2040)} = :v`), 'The expression has redundant parentheses;');
});
