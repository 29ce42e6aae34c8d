import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { rejectedWith as rejects, stringKeyTable } from '../helpers/items';
import { dynamoCall } from '../helpers/raw';
import { useBasalt } from '../helpers/suite';

const INVALID = 'One or more parameter values were invalid: ';
const FAILED = 'The conditional request failed';

describe('conditions and projections on PutItem / GetItem / DeleteItem', () => {
  const suite = useBasalt();
  const T = 'cond';

  before(async () => {
    await suite.ddb.send(new CreateTableCommand(stringKeyTable(T, 'id')));
  });

  const put = (input: Omit<PutItemCommandInput, 'TableName'>) => suite.ddb.send(new PutItemCommand({ TableName: T, ...input }));

  it('attribute_not_exists on the partition key prevents replacing an item', async () => {
    const input = { Item: { id: { S: 'once' }, v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(id)' };
    await put(input);
    await rejects(put({ ...input, Item: { id: { S: 'once' }, v: { N: '2' } } }), 'ConditionalCheckFailedException', FAILED);
    const got = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'once' } } }));
    assert.deepEqual(got.Item, { id: { S: 'once' }, v: { N: '1' } });
  });

  it('replaces an item only if it has certain attribute values', async () => {
    await put({ Item: { id: { S: 'p' }, status: { S: 'old' } } });
    await put({
      Item: { id: { S: 'p' }, status: { S: 'new' } },
      ConditionExpression: '#s = :old',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':old': { S: 'old' } },
    });
    await rejects(
      put({ Item: { id: { S: 'p' }, status: { S: 'x' } }, ConditionExpression: '#s = :old', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':old': { S: 'old' } } }),
      'ConditionalCheckFailedException',
      FAILED,
    );
  });

  it('the seed\'s IN example with #P placeholders', async () => {
    await put({ Item: { id: { S: 'prod' }, ProductStatus: { S: 'Backordered' }, Percentile: { N: '90' } } });
    await put({
      Item: { id: { S: 'prod' }, ProductStatus: { S: 'Available' } },
      ConditionExpression: 'ProductStatus IN (:avail, :back, :disc) AND #P = :val',
      ExpressionAttributeNames: { '#P': 'Percentile' },
      ExpressionAttributeValues: { ':avail': { S: 'Available' }, ':back': { S: 'Backordered' }, ':disc': { S: 'Discontinued' }, ':val': { N: '90' } },
    });
  });

  it('ReturnValuesOnConditionCheckFailure ALL_OLD returns the item in the error', async () => {
    await put({ Item: { id: { S: 'rv' }, a: { S: 'b' } } });
    const err = (await rejects(
      put({ Item: { id: { S: 'rv' } }, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      'ConditionalCheckFailedException',
      FAILED,
    )) as { Item?: unknown };
    assert.deepEqual(err.Item, { id: { S: 'rv' }, a: { S: 'b' } });
    const plain = (await rejects(put({ Item: { id: { S: 'rv' } }, ConditionExpression: 'attribute_not_exists(id)' }), 'ConditionalCheckFailedException', FAILED)) as { Item?: unknown };
    assert.equal(plain.Item, undefined);
    const del = (await rejects(
      suite.ddb.send(new DeleteItemCommand({ TableName: T, Key: { id: { S: 'rv' } }, ConditionExpression: 'a = :x', ExpressionAttributeValues: { ':x': { S: 'no' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      'ConditionalCheckFailedException',
      FAILED,
    )) as { Item?: unknown };
    assert.deepEqual(del.Item, { id: { S: 'rv' }, a: { S: 'b' } });
  });

  it('conditional delete', async () => {
    await put({ Item: { id: { S: 'cd' }, n: { N: '3' } } });
    await rejects(
      suite.ddb.send(new DeleteItemCommand({ TableName: T, Key: { id: { S: 'cd' } }, ConditionExpression: 'n > :v', ExpressionAttributeValues: { ':v': { N: '5' } } })),
      'ConditionalCheckFailedException',
      FAILED,
    );
    await suite.ddb.send(new DeleteItemCommand({ TableName: T, Key: { id: { S: 'cd' } }, ConditionExpression: 'n < :v', ExpressionAttributeValues: { ':v': { N: '5' } } }));
    const got = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'cd' } } }));
    assert.equal(got.Item, undefined);
  });

  it('null expression attribute maps count as absent, as every null member does', async () => {
    const res = await dynamoCall(
      suite.basalt.endpoint,
      'DynamoDB_20120810.PutItem',
      JSON.stringify({ TableName: T, Item: { id: { S: 'nulls' } }, ConditionExpression: 'attribute_not_exists(id)', ExpressionAttributeNames: null, ExpressionAttributeValues: null }),
    );
    assert.equal(res.status, 200, res.body);
    const again = await dynamoCall(
      suite.basalt.endpoint,
      'DynamoDB_20120810.DeleteItem',
      JSON.stringify({ TableName: T, Key: { id: { S: 'nulls' } }, ConditionExpression: '#i = :v', ExpressionAttributeNames: null, ExpressionAttributeValues: { ':v': { S: 'nulls' } } }),
    );
    assert.equal(again.status, 400);
    assert.deepEqual(JSON.parse(again.body), {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #i',
    });
  });

  it('expression errors', async () => {
    await rejects(
      put({ Item: { id: { S: 'e' } }, ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { S: 'x' }, ':w': { S: 'y' } } }),
      'ValidationException',
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}',
    );
    await rejects(put({ Item: { id: { S: 'e' } }, ConditionExpression: 'a = :v' }), 'ValidationException', 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v');
    await rejects(
      put({ Item: { id: { S: 'e' } }, ExpressionAttributeNames: { '#a': 'a' } }),
      'ValidationException',
      'ExpressionAttributeNames can only be specified when using expressions',
    );
    await rejects(
      put({ Item: { id: { S: 'e' } }, ExpressionAttributeValues: { ':a': { S: 'a' } } }),
      'ValidationException',
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    await rejects(
      put({ Item: { id: { S: 'e' } }, ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { N: 'x' } } }),
      'ValidationException',
      '1 validation error detected: The parameter cannot be converted to a numeric value: x',
    );
  });

  describe('legacy Expected', () => {
    it('Value / Exists', async () => {
      await put({ Item: { id: { S: 'x1' }, a: { S: 'one' } } });
      await put({ Item: { id: { S: 'x1' }, a: { S: 'two' } }, Expected: { a: { Value: { S: 'one' } } } });
      await rejects(put({ Item: { id: { S: 'x1' } }, Expected: { a: { Value: { S: 'one' } } } }), 'ConditionalCheckFailedException', FAILED);
      await rejects(put({ Item: { id: { S: 'x1' } }, Expected: { id: { Exists: false } } }), 'ConditionalCheckFailedException', FAILED);
      await put({ Item: { id: { S: 'x2' } }, Expected: { id: { Exists: false } } });
      await put({ Item: { id: { S: 'x2' } }, Expected: { id: { Exists: true, Value: { S: 'x2' } } } });
    });

    it('ComparisonOperator and ConditionalOperator', async () => {
      await put({ Item: { id: { S: 'c1' }, n: { N: '5' }, s: { S: 'hello' }, set: { SS: ['a', 'b'] } } });
      const ok = async (Expected: PutItemCommandInput['Expected'], ConditionalOperator?: 'AND' | 'OR') =>
        put({ Item: { id: { S: 'c1' }, n: { N: '5' }, s: { S: 'hello' }, set: { SS: ['a', 'b'] } }, Expected, ConditionalOperator });
      const fails = async (Expected: PutItemCommandInput['Expected'], ConditionalOperator?: 'AND' | 'OR') =>
        rejects(ok(Expected, ConditionalOperator), 'ConditionalCheckFailedException', FAILED);
      await ok({ n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '5' }] } });
      await ok({ n: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '6' }] } });
      await ok({ n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '4' }] } });
      await ok({ n: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '5' }] } });
      await ok({ n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '6' }] } });
      await ok({ n: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '5' }] } });
      await ok({ n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '9' }] } });
      await ok({ n: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { N: '5' }] } });
      await ok({ s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'he' }] } });
      await ok({ s: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'ell' }] } });
      await ok({ set: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'a' }] } });
      await ok({ set: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'z' }] } });
      await ok({ n: { ComparisonOperator: 'NOT_NULL' } });
      await ok({ zz: { ComparisonOperator: 'NULL' } });
      await fails({ n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '5' }] } });
      await fails({ n: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: '5' }] } });
      await fails({ n: { ComparisonOperator: 'NULL' } });
      await fails({ n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '5' }] }, zz: { ComparisonOperator: 'NOT_NULL' } });
      await ok({ n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '5' }] }, zz: { ComparisonOperator: 'NOT_NULL' } }, 'OR');
    });

    it('invalid combinations', async () => {
      await rejects(put({ Item: { id: { S: 'v' } }, Expected: { id: { Exists: true } } }), 'ValidationException', `${INVALID}Exists is set to TRUE for attribute id, Value must also be set`);
      await rejects(
        put({ Item: { id: { S: 'v' } }, Expected: { id: { Exists: false, Value: { S: 'v' } } } }),
        'ValidationException',
        `${INVALID}Value cannot be used when Exists is false for attribute id`,
      );
      await rejects(
        put({ Item: { id: { S: 'v' } }, Expected: { a: { Value: { S: 'v' }, AttributeValueList: [{ S: 'v' }], ComparisonOperator: 'EQ' } } }),
        'ValidationException',
        `${INVALID}Value and AttributeValueList cannot be used together for Attribute: a`,
      );
      await rejects(
        put({ Item: { id: { S: 'v' } }, Expected: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'v' }, { S: 'w' }] } } }),
        'ValidationException',
        `${INVALID}Invalid number of argument(s) for the EQ ComparisonOperator`,
      );
      await rejects(
        put({ Item: { id: { S: 'v' } }, Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_exists(a)' }),
        'ValidationException',
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
      );
    });
  });

  describe('GetItem projections', () => {
    before(async () => {
      await put({ Item: { id: { S: 'proj' }, a: { S: 'A' }, b: { M: { c: { N: '1' }, d: { N: '2' } } }, l: { L: [{ S: 'x' }, { S: 'y' }, { S: 'z' }] } } });
    });

    it('ProjectionExpression with nested paths and list elements', async () => {
      const got = await suite.ddb.send(
        new GetItemCommand({ TableName: T, Key: { id: { S: 'proj' } }, ProjectionExpression: 'a, #b.c, l[2], l[0], nope', ExpressionAttributeNames: { '#b': 'b' } }),
      );
      assert.deepEqual(got.Item, { a: { S: 'A' }, b: { M: { c: { N: '1' } } }, l: { L: [{ S: 'x' }, { S: 'z' }] } });
    });

    it('AttributesToGet', async () => {
      const got = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'proj' } }, AttributesToGet: ['a', 'nothing'] }));
      assert.deepEqual(got.Item, { a: { S: 'A' } });
    });

    it('nothing selected is an empty Item', async () => {
      const got = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'proj' } }, ProjectionExpression: 'nothing' }));
      assert.deepEqual(got.Item, {});
    });

    it('projection errors', async () => {
      await rejects(
        suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'proj' } }, AttributesToGet: ['a'], ProjectionExpression: 'a' })),
        'ValidationException',
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
      );
      await rejects(
        suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'proj' } }, AttributesToGet: ['a', 'a'] })),
        'ValidationException',
        `${INVALID}Duplicate value in attribute name: a`,
      );
      await rejects(
        suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'proj' } }, ProjectionExpression: 'a', ExpressionAttributeNames: { '#x': 'x' } })),
        'ValidationException',
        'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}',
      );
    });
  });
});
