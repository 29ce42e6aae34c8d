import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { S } from '../helpers/items';
import { useBasalt } from '../helpers/suite';
import { HASH, RANGE, S as defS } from '../helpers/tables';

// DynamoDB's 10 GB item collection limit, lowered to 1000 bytes with --item-collection-limit.
const LIMIT = 1000;
const TOO_BIG = { name: 'ItemCollectionSizeLimitExceededException', message: 'Collection size exceeded' };

/** An item of 414 bytes as DynamoDB sizes it (names and values), whose KEYS_ONLY entry in `lsi` is 10 bytes. */
const item = (pk: string, sk: string, data = 400): Record<string, AttributeValue> => ({ pk: S(pk), sk: S(sk), lsk: S('x'), data: S('d'.repeat(data)) });

describe('item collection size limit (tables with local secondary indexes)', () => {
  const suite = useBasalt({ args: ['--in-memory', '--item-collection-limit', String(LIMIT)] });

  const table = (name: string, projection: 'KEYS_ONLY' | 'ALL' | undefined) =>
    suite.ddb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [defS('pk'), defS('sk'), defS('lsk')],
        KeySchema: [HASH('pk'), RANGE('sk')],
        BillingMode: 'PAY_PER_REQUEST',
        ...(projection
          ? { LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [HASH('pk'), RANGE('lsk')], Projection: { ProjectionType: projection } }] }
          : { GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [HASH('lsk')], Projection: { ProjectionType: 'ALL' } }] }),
      }),
    );
  const put = (TableName: string, Item: Record<string, AttributeValue>) => suite.ddb.send(new PutItemCommand({ TableName, Item }));
  const stored = async (TableName: string, pk: string, sk: string) =>
    (await suite.ddb.send(new GetItemCommand({ TableName, Key: { pk: S(pk), sk: S(sk) }, ConsistentRead: true }))).Item;
  const refused = async (promise: Promise<unknown>) => {
    const err = await awsError(promise);
    assert.deepEqual({ name: err.name, message: err.message }, TOO_BIG);
  };

  before(async () => {
    await table('keys', 'KEYS_ONLY');
    await table('all', 'ALL');
    await table('global', undefined);
  });

  it('PutItem: a write that takes the collection over the limit is refused and not stored', async () => {
    await put('keys', item('a', '1'));
    const second = await suite.ddb.send(new PutItemCommand({ TableName: 'keys', Item: item('a', '2'), ReturnItemCollectionMetrics: 'SIZE' }));
    assert.deepEqual(second.ItemCollectionMetrics, { ItemCollectionKey: { pk: S('a') }, SizeEstimateRangeGB: [0, 1] });
    await refused(put('keys', item('a', '3'))); // 2 x 424 + 424 > 1000
    assert.equal(await stored('keys', 'a', '3'), undefined);
    await put('keys', item('b', '3')); // another collection
    await put('keys', item('a', '1', 100)); // shrinking is always allowed
    await put('keys', item('a', '3')); // and makes room
  });

  it('UpdateItem: growing an item past the limit is refused and leaves it unchanged', async () => {
    await put('keys', item('u', '1'));
    await put('keys', item('u', '2'));
    const grow = new UpdateItemCommand({ TableName: 'keys', Key: { pk: S('u'), sk: S('2') }, UpdateExpression: 'SET #d = :d', ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':d': S('d'.repeat(600)) } });
    await refused(suite.ddb.send(grow));
    assert.deepEqual(await stored('keys', 'u', '2'), item('u', '2'));
  });

  it('BatchWriteItem: the whole batch is refused', async () => {
    await put('keys', item('w', '1'));
    await put('keys', item('w', '2'));
    const batch = new BatchWriteItemCommand({ RequestItems: { keys: [{ PutRequest: { Item: item('other', '1') } }, { PutRequest: { Item: item('w', '3') } }] } });
    await refused(suite.ddb.send(batch));
    assert.equal(await stored('keys', 'other', '1'), undefined);
    assert.equal(await stored('keys', 'w', '3'), undefined);
  });

  it('TransactWriteItems: cancelled with ItemCollectionSizeLimitExceeded for the write that overflowed', async () => {
    await put('keys', item('t', '1'));
    await put('keys', item('t', '2'));
    const err = (await awsError(
      suite.ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'keys', Item: item('fine', '1') } }, { Put: { TableName: 'keys', Item: item('t', '3') } }] })),
    )) as Error & { CancellationReasons?: unknown };
    assert.equal(err.name, 'TransactionCanceledException');
    assert.equal(err.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ItemCollectionSizeLimitExceeded]');
    assert.deepEqual(err.CancellationReasons, [{ Code: 'None' }, { Code: 'ItemCollectionSizeLimitExceeded', Message: 'Collection size exceeded' }]);
    assert.equal(await stored('keys', 'fine', '1'), undefined);
  });

  it('PartiQL INSERT is held to the limit too', async () => {
    await put('keys', item('q', '1'));
    await put('keys', item('q', '2'));
    await refused(suite.ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "keys" VALUE {'pk': 'q', 'sk': '3', 'data': '${'d'.repeat(400)}'}` })));
  });

  it('entries in local indexes count: an ALL projection doubles what an item adds', async () => {
    await put('all', item('a', '1')); // 414 + 414
    await refused(put('all', item('a', '2', 100))); // 828 + 114 + 114
    const { lsk: _, ...unindexed } = item('a', '2', 100);
    await put('all', unindexed); // outside the index it adds only itself: 828 + 111
    assert.ok(await stored('all', 'a', '2'));
  });

  it('tables without local secondary indexes have no limit', async () => {
    for (const sk of ['1', '2', '3', '4']) await put('global', item('a', sk));
  });
});
