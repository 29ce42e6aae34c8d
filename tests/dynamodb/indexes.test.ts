import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { N, S } from '../helpers/items';
import { useBasalt } from '../helpers/suite';


describe('Secondary indexes', () => {
  const suite = useBasalt();

  before(async () => {
    await suite.ddb.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [
          { AttributeName: 'customer', AttributeType: 'S' },
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'amount', AttributeType: 'N' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'day', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          { IndexName: 'byTotal', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'amount', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'day', KeyType: 'RANGE' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
          },
          { IndexName: 'statusAll', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const put = (customer: string, id: string, extra: Record<string, AttributeValue>) =>
      suite.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { customer: S(customer), id: S(id), ...extra } }));
    await put('ann', 'o1', { amount: N(30), status: S('open'), day: S('2024-01-02'), note: S('n1'), secret: S('s') });
    await put('ann', 'o2', { amount: N(10), status: S('open'), day: S('2024-01-01'), note: S('n2') });
    await put('ann', 'o3', { amount: N(20), status: S('shipped'), day: S('2024-01-01') });
    await put('bob', 'o1', { amount: N(10), status: S('open'), day: S('2024-01-01') });
    await put('bob', 'o2', { note: S('no index keys at all') });
  });

  const ids = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => `${i.customer!.S}/${i.id!.S}`);

  it('queries a local index in its sort order, sparse, with keys-only projection', async () => {
    const r = await suite.ddb.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'byTotal', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': S('ann') } }),
    );
    assert.deepEqual(r.Items, [
      { customer: S('ann'), id: S('o2'), amount: N(10) },
      { customer: S('ann'), id: S('o3'), amount: N(20) },
      { customer: S('ann'), id: S('o1'), amount: N(30) },
    ]);
    const bob = await suite.ddb.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'byTotal', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': S('bob') } }),
    );
    assert.deepEqual(ids(bob.Items), ['bob/o1']);
    // ALL_ATTRIBUTES on a local index fetches the table's items.
    const all = await suite.ddb.send(
      new QueryCommand({
        TableName: 'orders', IndexName: 'byTotal', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: 'customer = :c AND amount > :t',
        ExpressionAttributeValues: { ':c': S('ann'), ':t': N(25) },
      }),
    );
    assert.deepEqual(all.Items, [{ customer: S('ann'), id: S('o1'), amount: N(30), status: S('open'), day: S('2024-01-02'), note: S('n1'), secret: S('s') }]);
  });

  it('queries a global index with non-unique keys; LastEvaluatedKey carries table and index keys', async () => {
    const r = await suite.ddb.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } }),
    );
    assert.deepEqual(ids(r.Items), ['ann/o2', 'bob/o1', 'ann/o1']);
    assert.deepEqual(r.Items![2], { customer: S('ann'), id: S('o1'), status: S('open'), day: S('2024-01-02'), note: S('n1') });
    const page = await suite.ddb.send(
      new QueryCommand({
        TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': S('open') }, Limit: 1,
      }),
    );
    assert.deepEqual(page.LastEvaluatedKey, { customer: S('ann'), id: S('o2'), status: S('open'), day: S('2024-01-01') });
    const next = await suite.ddb.send(
      new QueryCommand({
        TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': S('open') }, ExclusiveStartKey: page.LastEvaluatedKey,
      }),
    );
    assert.deepEqual(ids(next.Items), ['bob/o1', 'ann/o1']);
    const hashOnly = await suite.ddb.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'statusAll', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } }),
    );
    assert.deepEqual(ids(hashOnly.Items), ['ann/o1', 'ann/o2', 'bob/o1']);
    assert.equal(hashOnly.Items![0]!.secret!.S, 's');
  });

  it('keeps indexes in step with updates and deletes', async () => {
    await suite.ddb.send(
      new UpdateItemCommand({
        TableName: 'orders', Key: { customer: S('ann'), id: S('o2') }, UpdateExpression: 'SET #s = :s, amount = :t',
        ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('shipped'), ':t': N(99) },
      }),
    );
    await suite.ddb.send(new DeleteItemCommand({ TableName: 'orders', Key: { customer: S('bob'), id: S('o1') } }));
    await suite.ddb.send(new UpdateItemCommand({ TableName: 'orders', Key: { customer: S('bob'), id: S('o2') }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } }));
    const open = await suite.ddb.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'statusAll', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } }),
    );
    assert.deepEqual(ids(open.Items), ['ann/o1', 'bob/o2']);
    const byStatus = await suite.ddb.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } }),
    );
    assert.deepEqual(ids(byStatus.Items), ['ann/o1'], 'bob/o2 has no day, so it is not in byStatus');
    const totals = await suite.ddb.send(
      new QueryCommand({ TableName: 'orders', IndexName: 'byTotal', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': S('ann') }, ScanIndexForward: false }),
    );
    assert.deepEqual(totals.Items!.map((i) => i.amount!.N), ['99', '30', '20']);
    const scan = await suite.ddb.send(new ScanCommand({ TableName: 'orders', IndexName: 'byStatus' }));
    assert.equal(scan.Count, 3);
    const description = (await suite.ddb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!;
    assert.equal(description.ItemCount, 4);
    const counts = Object.fromEntries([...description.LocalSecondaryIndexes!, ...description.GlobalSecondaryIndexes!].map((i) => [i.IndexName, i.ItemCount]));
    assert.deepEqual(counts, { byTotal: 3, byStatus: 3, statusAll: 4 });
    assert.ok(description.GlobalSecondaryIndexes!.every((i) => (i.IndexSizeBytes ?? 0) > 0));
  });

  it("DynamoDB's index read errors", async () => {
    const base = { TableName: 'orders', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': S('open') } };
    let err = await awsError(suite.ddb.send(new QueryCommand({ ...base, IndexName: 'byStatus', ConsistentRead: true })));
    assert.equal(err.name, 'ValidationException');
    assert.equal(err.message, 'Consistent reads are not supported on global secondary indexes');
    err = await awsError(suite.ddb.send(new QueryCommand({ ...base, IndexName: 'byStatus', Select: 'ALL_ATTRIBUTES' })));
    assert.equal(
      err.message,
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL',
    );
    err = await awsError(suite.ddb.send(new ScanCommand({ TableName: 'orders', IndexName: 'statusAll', ConsistentRead: true })));
    assert.equal(err.message, 'Consistent reads are not supported on global secondary indexes');
    err = await awsError(suite.ddb.send(new QueryCommand({ ...base, IndexName: 'byStatus', ExclusiveStartKey: { status: S('open'), day: S('x') } })));
    assert.equal(err.message, 'The provided starting key is invalid');
  });

  it('backfills a global index added to a populated table, in batches, then turns ACTIVE', async () => {
    await suite.ddb.send(
      new CreateTableCommand({
        TableName: 'events',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const total = 2600;
    for (let i = 0; i < total; i += 25) {
      const requests = [];
      for (let j = i; j < Math.min(total, i + 25); j++) {
        const item: Record<string, AttributeValue> = { id: N(j), kind: S(`k${j % 4}`) };
        if (j % 10 === 0) delete item.kind; // sparse
        requests.push({ PutRequest: { Item: item } });
      }
      await suite.ddb.send(new BatchWriteItemCommand({ RequestItems: { events: requests } }));
    }
    const update = await suite.ddb.send(
      new UpdateTableCommand({
        TableName: 'events',
        AttributeDefinitions: [{ AttributeName: 'kind', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'N' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'byKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } } },
        ],
      }),
    );
    assert.equal(update.TableDescription!.GlobalSecondaryIndexes![0]!.IndexStatus, 'CREATING');
    // Writes during the backfill are indexed exactly once.
    await suite.ddb.send(new PutItemCommand({ TableName: 'events', Item: { id: N(5000), kind: S('k1') } }));
    await suite.ddb.send(new DeleteItemCommand({ TableName: 'events', Key: { id: N(1) } }));
    let status = 'CREATING';
    for (let i = 0; i < 200 && status !== 'ACTIVE'; i++) {
      const d = await suite.ddb.send(new DescribeTableCommand({ TableName: 'events' }));
      status = d.Table!.GlobalSecondaryIndexes![0]!.IndexStatus!;
      if (status !== 'ACTIVE') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 'ACTIVE');
    const expected = Array.from({ length: total }, (_, j) => j).filter((j) => j % 10 !== 0 && j % 4 === 1 && j !== 1);
    expected.push(5000);
    const got: number[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await suite.ddb.send(
        new QueryCommand({ TableName: 'events', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': S('k1') }, ExclusiveStartKey: start, Limit: 200 }),
      );
      got.push(...page.Items!.map((i) => Number(i.id!.N)));
      start = page.LastEvaluatedKey;
    } while (start);
    assert.deepEqual(got, expected);
    const d = await suite.ddb.send(new DescribeTableCommand({ TableName: 'events' }));
    const sparse = Array.from({ length: total }, (_, j) => j).filter((j) => j % 10 !== 0 && j !== 1).length + 1;
    assert.equal(d.Table!.GlobalSecondaryIndexes![0]!.ItemCount, sparse);
    // Dropping the index removes it from reads.
    await suite.ddb.send(new UpdateTableCommand({ TableName: 'events', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byKind' } }] }));
    const err = await awsError(
      suite.ddb.send(new QueryCommand({ TableName: 'events', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': S('k1') } })),
    );
    assert.equal(err.message, 'The table does not have the specified index: byKind');
  });
});
