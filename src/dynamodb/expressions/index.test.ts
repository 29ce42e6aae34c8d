import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyUpdate,
  checkExpressionAttributeNames,
  checkExpressionAttributeValues,
  checkUnusedExpressionAttributes,
  compileCondition,
  compileProjection,
  compileUpdate,
  evaluateCondition,
  ExpressionContext,
} from './index';
import type { AttributeValue } from './types';

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return 'OK';
}

test('problems are ValidationExceptions named after the expression parameter', () => {
  const context = () => new ExpressionContext(undefined, undefined);
  for (const kind of ['ConditionExpression', 'FilterExpression', 'KeyConditionExpression'] as const) {
    const error = (() => {
      try {
        compileCondition(kind, 'a =', context());
      } catch (e) {
        return e as { name: string; message: string; status: number };
      }
      throw new Error('no error');
    })();
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.status, 400);
    assert.equal(error.message, `Invalid ${kind}: Syntax error; token: "<EOF>", near: "="`);
  }
  assert.equal(message(() => compileUpdate('SET', context())), 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"');
  assert.equal(message(() => compileProjection('a..b', context())), 'Invalid ProjectionExpression: Syntax error; token: ".", near: "..b"');
});

test('parses are cached by text; placeholders are resolved per request', () => {
  const text = 'a = :v';
  const first = compileCondition('ConditionExpression', text, new ExpressionContext(undefined, { ':v': { N: '1' } }));
  const second = compileCondition('FilterExpression', text, new ExpressionContext(undefined, { ':v': { N: '2' } }));
  assert.equal(first.syntax, second.syntax);
  assert.equal(evaluateCondition(first, { a: { N: '1' } }), true);
  assert.equal(evaluateCondition(second, { a: { N: '1' } }), false);
  // Cached problems keep the parameter name of each request.
  assert.equal(message(() => compileCondition('ConditionExpression', 'status = :v', new ExpressionContext(undefined, undefined))),
    'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
  assert.equal(message(() => compileCondition('KeyConditionExpression', 'status = :v', new ExpressionContext(undefined, undefined))),
    'Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
});

/** An UpdateItem's expression handling, in DynamoDB's order; returns the first problem or 'OK'. */
function updateItem(request: {
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}): string {
  return message(() => {
    checkExpressionAttributeNames(request.ExpressionAttributeNames);
    checkExpressionAttributeValues(request.ExpressionAttributeValues);
    const context = new ExpressionContext(request.ExpressionAttributeNames, request.ExpressionAttributeValues);
    if (request.UpdateExpression !== undefined) compileUpdate(request.UpdateExpression, context);
    if (request.ConditionExpression !== undefined) compileCondition('ConditionExpression', request.ConditionExpression, context);
    checkUnusedExpressionAttributes(context);
  });
}

test('the order of checks across one request', () => {
  assert.equal(updateItem({ UpdateExpression: '', ConditionExpression: '', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }), 'ExpressionAttributeNames must not be empty');
  assert.equal(updateItem({ UpdateExpression: '', ConditionExpression: '', ExpressionAttributeValues: {} }), 'ExpressionAttributeValues must not be empty');
  assert.equal(updateItem({ UpdateExpression: '', ConditionExpression: '' }), 'Invalid UpdateExpression: The expression can not be empty;');
  assert.equal(updateItem({ UpdateExpression: 'SET a = :v', ConditionExpression: 'b = :w' }),
    'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v');
  assert.equal(updateItem({ UpdateExpression: 'SET a = :v', ConditionExpression: 'b = :w', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
    'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :w');
  assert.equal(
    updateItem({
      UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
      ConditionExpression: 'a = :b',
      ExpressionAttributeValues: { ':a': { L: [] }, ':b': { S: 'a' } },
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
    }),
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
  );
  assert.equal(
    updateItem({ UpdateExpression: 'remove a', ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' }, ':c': { S: 'a' } } }),
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}',
  );
  assert.equal(updateItem({ UpdateExpression: 'SET a = :v', ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'id' }, ExpressionAttributeValues: { ':v': { N: '1' } } }), 'OK');
});

test('a full round: condition, update, result', () => {
  const context = new ExpressionContext({ '#c': 'count' }, { ':one': { N: '1' }, ':zero': { N: '0' }, ':max': { N: '10' } });
  const update = compileUpdate('SET #c = if_not_exists(#c, :zero) + :one', context);
  const condition = compileCondition('ConditionExpression', 'attribute_not_exists(#c) OR #c < :max', context);
  checkUnusedExpressionAttributes(context);
  let item = { id: { S: 'k' } } as Record<string, AttributeValue>;
  for (let i = 0; i < 12; i++) {
    if (evaluateCondition(condition, item)) item = applyUpdate(update, item);
  }
  assert.deepEqual(item, { id: { S: 'k' }, count: { N: '10' } });
  assert.deepEqual([...update.nestedTopLevelNames], []);
  assert.deepEqual(compileUpdate('SET a.b = :one', new ExpressionContext(undefined, { ':one': { N: '1' } })).targets, [{ clause: 'SET', path: ['a', 'b'] }]);
});

test('compiling a cached expression takes microseconds', () => {
  const names = { '#s': 'status' };
  const values: Record<string, AttributeValue> = { ':a': { S: 'x' }, ':n': { N: '3' }, ':one': { N: '1' } };
  const condition = '#s = :a AND (attribute_not_exists(deleted) OR size(nm) > :n)';
  const update = 'SET #s = :a, cnt = if_not_exists(cnt, :n) + :one REMOVE stale';
  const rounds = 20000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    const context = new ExpressionContext(names, values);
    compileCondition('ConditionExpression', condition, context);
    compileUpdate(update, context);
  }
  const microseconds = Number(process.hrtime.bigint() - started) / 1000 / rounds;
  assert.ok(microseconds < 50, `${microseconds.toFixed(2)} µs per request`);
});
