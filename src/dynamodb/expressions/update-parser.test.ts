import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpressionProblem } from './errors';
import { parseUpdate } from './update-parser';
import type { OperandSyntax, UpdateActionSyntax } from './types';

function problem(expression: string): string {
  try {
    parseUpdate(expression);
  } catch (error) {
    if (error instanceof ExpressionProblem) return error.body;
    throw error;
  }
  return 'OK';
}

const syntax = (token: string, near: string) => `Syntax error; token: "${token}", near: "${near}"`;

function operand(node: OperandSyntax): string {
  switch (node.type) {
    case 'path':
      return node.elements.map((e) => (e.kind === 'index' ? `[${e.index}]` : `.${e.name}`)).join('').slice(1).replace(/^\[/, '[');
    case 'value':
      return node.name;
    case 'call':
      return `${node.name}(${node.args.map(operand).join(', ')})`;
    case 'arith':
      return `(${operand(node.left)} ${node.op} ${operand(node.right)})`;
  }
}

function action(a: UpdateActionSyntax): string {
  const path = operand(a.path);
  if (a.clause === 'SET') return `SET ${path} = ${operand(a.value)}`;
  if (a.clause === 'REMOVE') return `REMOVE ${path}`;
  return `${a.clause} ${path} ${a.value.name}`;
}

test('clauses in any order, actions in the order written', () => {
  const table: Array<[string, string[]]> = [
    ['SET a = :v', ['SET a = :v']],
    ['set a.b[1] = b, #c = :c remove d, e[0] add f :f delete g :g', ['SET a.b[1] = b', 'SET #c = :c', 'REMOVE d', 'REMOVE e[0]', 'ADD f :f', 'DELETE g :g']],
    ['REMOVE b DELETE c :c ADD d :d, e :e SET f = :f', ['REMOVE b', 'DELETE c :c', 'ADD d :d', 'ADD e :e', 'SET f = :f']],
    ['SET a = b + :one, c = :x - d', ['SET a = (b + :one)', 'SET c = (:x - d)']],
    ['SET a = if_not_exists(a, :zero) + :one', ['SET a = (if_not_exists(a, :zero) + :one)']],
    ['SET l = list_append(if_not_exists(l, :empty), :new)', ['SET l = list_append(if_not_exists(l, :empty), :new)']],
    ['SET a = (b + c)', ['SET a = (b + c)']],
    ['SET a = (b) + (c)', ['SET a = (b + c)']],
    ['SET a = ((b) + c)', ['SET a = (b + c)']],
    ['SET a = (b)', ['SET a = b']],
    ['SET a [  2 ]. b = :v', ['SET a[2].b = :v']],
  ];
  for (const [expression, expected] of table) assert.deepEqual(parseUpdate(expression).actions.map(action), expected, expression);
});

test('syntax errors (token and near as DynamoDB reports them)', () => {
  const table: Array<[string, string]> = [
    ['SET attrName = 3', syntax('3', '= 3')],
    ['SET attrName = 34', syntax('34', '= 34')],
    ['SET MyStr[ 3', syntax('<EOF>', '3')],
    ['SET MyStr[3 )', syntax(')', '3 )')],
    ['SET MyStr[3)', syntax(')', '3)')],
    ['SET 2', syntax('2', 'SET 2')],
    ['2', syntax('2', '2')],
    ['SET )', syntax(')', 'SET )')],
    ['SET ) 3', syntax(')', 'SET ) 3')],
    ['SET MyStr[ 3 ', syntax('<EOF>', '3 ')],
    ['SET MyStr = (:_val', syntax('<EOF>', ':_val')],
    ['SET MyStr = (:_val ', syntax('<EOF>', ':_val ')],
    ['SET MyStr = [:_val', syntax('[', '= [:_val')],
    ['SET MyStr = [:_val  ', syntax('[', '= [:_val')],
    ['SET MyStr = (:_val + (:val2', syntax('<EOF>', ':val2')],
    ['SET MyStr = ):_val', syntax(')', '= ):_val')],
    ['SET MyStr = ]:_val', syntax(']', '= ]:_val')],
    ['SET MyStr = ):_val + :val2', syntax(')', '= ):_val')],
    ['RESET NonExistent', syntax('RESET', 'RESET NonExistent')],
    ['RESET NonExistent value', syntax('RESET', 'RESET NonExistent')],
    ['  RESET NonExistent value', syntax('RESET', '  RESET NonExistent')],
    ['RESET', syntax('RESET', 'RESET')],
    ['SET a[0].b = 5', syntax('5', '= 5')],
    ['SET a [  2 ]. b = 5', syntax('5', '= 5')],
    ['SET a [2][ 3  ]. b = 5', syntax('5', '= 5')],
    ['SET a . b = 5', syntax('5', '= 5')],
    ['SET a [  [2] ]. b = 5', syntax('[', '[  [2')],
    ['SET a [2 1]. b = 5', syntax('1', '2 1]')],
    ['SET #a a = 5', syntax('a', '#a a =')],
    ['SET #a.a = 5', syntax('5', '= 5')],
    ['SET MyStr = NoExist + + :_val ', syntax('+', '+ + :_val')],
    ['SET MyStr = NoExist + - :_val ', syntax('-', '+ - :_val')],
    ['REMOVE NoExist + ', syntax('+', 'NoExist + ')],
    ['ADD attr val foobar', syntax('val', 'attr val foobar')],
    ['ADD attr :val foobar', syntax('foobar', ':val foobar')],
    ['DELETE attr val', syntax('val', 'attr val')],
    ['DELETE attr :val foobar', syntax('foobar', ':val foobar')],
    ['SET path = VALUE 1', syntax('1', 'VALUE 1')],
    ['REMOVE if_not_exists(a,b)', syntax('(', 'if_not_exists(a')],
    ['set a = b + c + d', syntax('+', 'c + d')],
    ['set a = b / c', syntax('/', 'b / c')],
    ['set a[1] = "eight"', syntax('"eight"', '= "eight"')],
    ['set (a = (b + c))', syntax('(', 'set (a')],
    ['set a = (b.c).d + e', syntax('.', ').d')],
    ['set a=set', syntax('set', '=set')],
    ['SET a = :v,', syntax('<EOF>', ',')],
    ['SET a = list_append(a, b + c)', syntax('+', 'b + c')],
    ['SET a = ((b) x)', syntax('x', ') x)')],
  ];
  for (const [expression, expected] of table) assert.equal(problem(expression), expected, expression);
});

test('walk checks: redundant parentheses, functions, reserved words, repeated clauses', () => {
  const table: Array<[string, string]> = [
    ['set a = ((b))', 'The expression has redundant parentheses;'],
    ['set a = ((b + c))', 'The expression has redundant parentheses;'],
    ['set a = b + ((c))', 'The expression has redundant parentheses;'],
    ['SET a = foo(b)', 'Invalid function name; function: foo'],
    ['SET a = size(b)', 'The function is not allowed in an update expression; function: size'],
    ['SET a = attribute_exists(b)', 'The function is not allowed in an update expression; function: attribute_exists'],
    ['SET a = list_append(list_append(a, b), c)', 'The function is not allowed to be used this way in an expression; function: list_append'],
    ['SET a = if_not_exists(a, list_append(b, c))', 'The function is not allowed to be used this way in an expression; function: list_append'],
    ['SET a = list_append(a, :l) + :n', 'The function is not allowed to be used this way in an expression; function: list_append'],
    ['SET a = if_not_exists(a, if_not_exists(b, :v))', 'OK'],
    [' set #c = :c set abOrt = true ', 'Attribute name is a reserved keyword; reserved keyword: abOrt'],
    [' remove Absolute ', 'Attribute name is a reserved keyword; reserved keyword: Absolute'],
    ['set #c = if_not_exist(:c) set c = d', 'Invalid function name; function: if_not_exist'],
    ['set a = #c set c = :d', 'The "SET" section can only be used once in an update expression;'],
    ['remove #d set a = b remove e', 'The "REMOVE" section can only be used once in an update expression;'],
    ['add #d :e set a = b add e :f', 'The "ADD" section can only be used once in an update expression;'],
    ['delete #d :e set a = b delete #e :f', 'The "DELETE" section can only be used once in an update expression;'],
    ['set a = :v set b = foo(c)', 'Invalid function name; function: foo'],
    ['REMOVE a[2147483648]', 'List index is not within the allowable range; index: [2147483648]'],
    ['', 'The expression can not be empty;'],
    [`SET a = :v${' '.repeat(4087)}`, 'Expression size has exceeded the maximum allowed size;'],
    [`SET a = :v${' '.repeat(4086)}`, 'OK'],
  ];
  for (const [expression, expected] of table) assert.equal(problem(expression), expected, JSON.stringify(expression.slice(0, 60)));
});
