import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { N, S, pkSkTable } from '../helpers/items';
import { useBasalt } from '../helpers/suite';


describe('BatchWriteItem / BatchGetItem', () => {
  const suite = useBasalt();

  before(async () => {
    await suite.ddb.send(
      new CreateTableCommand({
        TableName: 'users',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'team', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byTeam', KeySchema: [{ AttributeName: 'team', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await suite.ddb.send(
      new CreateTableCommand(pkSkTable('logs', 'N')),
    );
  });

  it('writes puts and deletes over two tables and keeps indexes and counts', async () => {
    const puts = Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { id: S(`u${i}`), team: S(i % 2 ? 'odd' : 'even'), n: N(i) } } }));
    const r = await suite.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { users: puts, logs: [{ PutRequest: { Item: { pk: S('a'), sk: N(1) } } }, { PutRequest: { Item: { pk: S('a'), sk: N(2) } } }] },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(r.UnprocessedItems, {});
    assert.deepEqual(
      [...r.ConsumedCapacity!].sort((a, b) => a.TableName!.localeCompare(b.TableName!)),
      [
        { TableName: 'logs', CapacityUnits: 2 },
        { TableName: 'users', CapacityUnits: 40 },
      ],
    );
    await suite.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { users: [{ DeleteRequest: { Key: { id: S('u0') } } }, { DeleteRequest: { Key: { id: S('nobody') } } }, { PutRequest: { Item: { id: S('u1'), n: N(100) } } }] },
      }),
    );
    const odd = await suite.ddb.send(new QueryCommand({ TableName: 'users', IndexName: 'byTeam', KeyConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': S('odd') } }));
    assert.equal(odd.Count, 9, 'u1 lost its team');
    const d = (await suite.ddb.send(new DescribeTableCommand({ TableName: 'users' }))).Table!;
    assert.equal(d.ItemCount, 19);
    assert.equal(d.GlobalSecondaryIndexes![0]!.ItemCount, 18);
    const u1 = await suite.ddb.send(new GetItemCommand({ TableName: 'users', Key: { id: S('u1') } }));
    assert.deepEqual(u1.Item, { id: S('u1'), n: N(100) });
  });

  it("BatchWriteItem's errors", async () => {
    const fail = async (input: ConstructorParameters<typeof BatchWriteItemCommand>[0], name: string, message: string) => {
      const err = await awsError(suite.ddb.send(new BatchWriteItemCommand(input)));
      assert.equal(err.name, name);
      assert.equal(err.message, message);
    };
    await fail(
      { RequestItems: { users: [{ PutRequest: { Item: { id: S('x') } } }, { DeleteRequest: { Key: { id: S('x') } } }] } },
      'ValidationException',
      'Provided list of item keys contains duplicates',
    );
    await fail({ RequestItems: { users: [{}] } }, 'ValidationException', 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    const many = (table: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: (table === 'users' ? { id: S(`m${i}`) } : { pk: S('m'), sk: N(i) }) as Record<string, AttributeValue> } }));
    await fail({ RequestItems: { users: many('users', 20), logs: many('logs', 6) } }, 'ValidationException', 'Too many items requested for the BatchWriteItem call');
    await fail({ RequestItems: { nothere: [{ PutRequest: { Item: { id: S('x') } } }] } }, 'ResourceNotFoundException', 'Requested resource not found');
    await fail({ RequestItems: { users: [{ PutRequest: { Item: { team: S('x') } } }] } }, 'ValidationException', 'One or more parameter values were invalid: Missing the key id in the item');
    await fail({ RequestItems: { users: [{ DeleteRequest: { Key: { id: S('x'), extra: S('y') } } }] } }, 'ValidationException', 'The provided key element does not match the schema');
    // Nothing of a refused batch is written.
    await fail(
      { RequestItems: { users: [{ PutRequest: { Item: { id: S('new1') } } }], logs: [{ PutRequest: { Item: { pk: S('a') } } }] } },
      'ValidationException',
      'One or more parameter values were invalid: Missing the key sk in the item',
    );
    assert.equal((await suite.ddb.send(new GetItemCommand({ TableName: 'users', Key: { id: S('new1') } }))).Item, undefined);
  });

  it('BatchGetItem reads several tables with per-table projection', async () => {
    const r = await suite.ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          users: { Keys: [{ id: S('u2') }, { id: S('u3') }, { id: S('missing') }], ProjectionExpression: 'n' },
          logs: { Keys: [{ pk: S('a'), sk: N(2) }], ConsistentRead: true, AttributesToGet: ['sk'] },
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(
      r.Responses!.users!.map((i) => i.n!.N).sort(),
      ['2', '3'],
    );
    assert.deepEqual(r.Responses!.logs, [{ sk: N(2) }]);
    assert.deepEqual(r.UnprocessedKeys, {});
    const capacity = Object.fromEntries(r.ConsumedCapacity!.map((c) => [c.TableName, c.CapacityUnits]));
    assert.deepEqual(capacity, { users: 1.5, logs: 1 });
  });

  it('reports item collection metrics for tables with local indexes', async () => {
    await suite.ddb.send(
      new CreateTableCommand({
        TableName: 'withLsi',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'alt', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [{ IndexName: 'alt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'alt', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const r = await suite.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          withLsi: [
            { PutRequest: { Item: { pk: S('a'), sk: S('1'), alt: S('z') } } },
            { PutRequest: { Item: { pk: S('a'), sk: S('2'), alt: S('y') } } },
            { PutRequest: { Item: { pk: S('b'), sk: S('1') } } },
          ],
        },
        ReturnItemCollectionMetrics: 'SIZE',
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    assert.deepEqual(r.ItemCollectionMetrics, {
      withLsi: [
        { ItemCollectionKey: { pk: S('a') }, SizeEstimateRangeGB: [0, 1] },
        { ItemCollectionKey: { pk: S('b') }, SizeEstimateRangeGB: [0, 1] },
      ],
    });
    assert.deepEqual(r.ConsumedCapacity, [{ TableName: 'withLsi', CapacityUnits: 5, Table: { CapacityUnits: 3 }, LocalSecondaryIndexes: { alt: { CapacityUnits: 2 } } }]);
    const q = await suite.ddb.send(new QueryCommand({ TableName: 'withLsi', IndexName: 'alt', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') } }));
    assert.deepEqual(q.Items!.map((i) => i.sk!.S), ['2', '1']);
  });

  it("BatchGetItem's errors", async () => {
    const fail = async (input: ConstructorParameters<typeof BatchGetItemCommand>[0], name: string, message: string) => {
      const err = await awsError(suite.ddb.send(new BatchGetItemCommand(input)));
      assert.equal(err.name, name);
      assert.equal(err.message, message);
    };
    await fail({ RequestItems: { users: { Keys: [{ id: S('a') }, { id: S('a') }] } } }, 'ValidationException', 'Provided list of item keys contains duplicates');
    await fail(
      { RequestItems: { users: { Keys: Array.from({ length: 60 }, (_, i) => ({ id: S(`k${i}`) })) }, logs: { Keys: Array.from({ length: 41 }, (_, i) => ({ pk: S('a'), sk: N(i) })) } } },
      'ValidationException',
      'Too many items requested for the BatchGetItem call',
    );
    await fail({ RequestItems: { users: { Keys: [{ id: N(1) }] } } }, 'ValidationException', 'The provided key element does not match the schema');
    await fail({ RequestItems: { nothere: { Keys: [{ id: S('a') }] } } }, 'ResourceNotFoundException', 'Requested resource not found');
    await fail(
      { RequestItems: { users: { Keys: [{ id: S('a') }], AttributesToGet: ['n'], ProjectionExpression: 'n' } } },
      'ValidationException',
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
  });
});
