import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkExpressionAttributeNames,
  checkExpressionAttributeValues,
  checkUnusedExpressionAttributes,
  ExpressionContext,
} from './attribute-maps';
import { compileCondition, compileUpdate } from './index';

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return 'OK';
}

test('ExpressionAttributeNames: empty map, key syntax', () => {
  const table: Array<[Record<string, string> | undefined, string]> = [
    [undefined, 'OK'],
    [{ '#a': 'a', '#_1': 'b' }, 'OK'],
    [{}, 'ExpressionAttributeNames must not be empty'],
    [{ a: 'a' }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'],
    [{ '#a': 'a', '#': 'b' }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#"'],
    [{ '#a-b': 'a' }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"'],
    [{ ':a': 'a' }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: ":a"'],
    [{ '': 'a' }, 'ExpressionAttributeNames contains invalid key: The expression attribute map contains an empty key;'],
    [{ [`#${'a'.repeat(255)}`]: 'a' }, 'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256'],
  ];
  for (const [names, expected] of table) assert.equal(message(() => checkExpressionAttributeNames(names)), expected, JSON.stringify(names));
});

test('ExpressionAttributeValues: empty map, key syntax, then values', () => {
  const table: Array<[Record<string, { S: string }> | undefined, string]> = [
    [{ ':a': { S: 'x' } }, 'OK'],
    [{}, 'ExpressionAttributeValues must not be empty'],
    [{ ':b': { S: 'x' }, b: { S: 'a' } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"'],
    [{ [`:${'a'.repeat(255)}`]: { S: 'x' } }, 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;'],
  ];
  for (const [values, expected] of table) assert.equal(message(() => checkExpressionAttributeValues(values)), expected, JSON.stringify(values));
  // Keys are all checked before any value.
  const seen: string[] = [];
  assert.equal(
    message(() => checkExpressionAttributeValues({ ':a': { S: '' }, b: { S: 'x' } }, (key) => { seen.push(key); })),
    'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
  );
  assert.equal(seen.length, 0);
  checkExpressionAttributeValues({ ':a': { S: '' }, ':b': { S: 'x' } }, (key) => { seen.push(key); });
  assert.deepEqual(seen, [':a', ':b']);
});

test('unused names are reported before unused values, across all expressions of the request', () => {
  const context = new ExpressionContext({ '#a': 'a', '#b': 'b', '#c': 'c' }, { ':a': { S: 'a' }, ':b': { S: 'b' }, ':c': { S: 'c' } });
  compileUpdate('remove #a set b = :a', context);
  compileCondition('ConditionExpression', '#b = :b', context);
  assert.equal(
    message(() => checkUnusedExpressionAttributes(context)),
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#c}',
  );
  const values = new ExpressionContext(undefined, { ':a': { S: 'a' }, ':b': { S: 'b' }, ':c': { S: 'c' } });
  compileCondition('ConditionExpression', 'a = :b', values);
  assert.equal(
    message(() => checkUnusedExpressionAttributes(values)),
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}',
  );
  const all = new ExpressionContext({ '#n': 'n' }, { ':v': { N: '1' } });
  compileCondition('ConditionExpression', '#n = :v', all);
  assert.equal(message(() => checkUnusedExpressionAttributes(all)), 'OK');
});

test('placeholder lookups ignore inherited properties', () => {
  const context = new ExpressionContext({ '#a': 'a' }, { ':a': { S: 'a' } });
  assert.equal(context.name('#constructor'), undefined);
  assert.equal(context.value(':toString'), undefined);
  assert.equal(message(() => compileCondition('ConditionExpression', 'a = :toString', context)),
    'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :toString');
});
