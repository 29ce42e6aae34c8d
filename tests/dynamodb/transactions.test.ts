import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { useBasalt } from '../helpers/suite';
import { HASH, RANGE, S, tableInput } from '../helpers/tables';

const CANCELLED = 'Transaction cancelled, please refer cancellation reasons for specific reasons';

type Canceled = { name: string; message: string; CancellationReasons?: { Code?: string; Message?: string; Item?: unknown }[] };

describe('TransactWriteItems / TransactGetItems', () => {
  const suite = useBasalt();
  const A = 'txa';
  const B = 'txb';
  const IDX = 'txidx';

  before(async () => {
    await suite.ddb.send(new CreateTableCommand(tableInput(A)));
    await suite.ddb.send(new CreateTableCommand(tableInput(B, { AttributeDefinitions: [S('p'), S('r')], KeySchema: [HASH('p'), RANGE('r')] })));
    await suite.ddb.send(
      new CreateTableCommand(
        tableInput(IDX, {
          AttributeDefinitions: [S('p'), S('r'), S('g'), S('l')],
          KeySchema: [HASH('p'), RANGE('r')],
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [HASH('g')], Projection: { ProjectionType: 'ALL' } }],
          LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [HASH('p'), RANGE('l')], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        }),
      ),
    );
  });

  const get = async (table: string, key: Record<string, { S: string }>) =>
    (await suite.ddb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

  it('puts, updates, deletes and checks across tables, all at once', async () => {
    await suite.ddb.send(new PutItemCommand({ TableName: A, Item: { p: { S: 'u1' }, n: { N: '1' } } }));
    await suite.ddb.send(new PutItemCommand({ TableName: A, Item: { p: { S: 'd1' } } }));
    await suite.ddb.send(new PutItemCommand({ TableName: B, Item: { p: { S: 'c' }, r: { S: '1' }, ok: { BOOL: true } } }));
    const out = await suite.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: A, Item: { p: { S: 'new' }, v: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(p)' } },
          { Update: { TableName: A, Key: { p: { S: 'u1' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          { Delete: { TableName: A, Key: { p: { S: 'd1' } } } },
          { ConditionCheck: { TableName: B, Key: { p: { S: 'c' }, r: { S: '1' } }, ConditionExpression: 'ok = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } } },
        ],
      }),
    );
    assert.equal(out.ConsumedCapacity, undefined);
    assert.deepEqual(await get(A, { p: { S: 'new' } }), { p: { S: 'new' }, v: { S: 'x' } });
    assert.deepEqual(await get(A, { p: { S: 'u1' } }), { p: { S: 'u1' }, n: { N: '2' } });
    assert.equal(await get(A, { p: { S: 'd1' } }), undefined);
  });

  it('a failed condition cancels everything, with reasons in request order', async () => {
    await suite.ddb.send(new PutItemCommand({ TableName: A, Item: { p: { S: 'guard' }, n: { N: '5' } } }));
    const err = (await awsError(
      suite.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: A, Item: { p: { S: 'never' } } } },
            {
              Update: {
                TableName: A,
                Key: { p: { S: 'guard' } },
                UpdateExpression: 'SET n = :z',
                ConditionExpression: 'n > :ten',
                ExpressionAttributeValues: { ':z': { N: '0' }, ':ten': { N: '10' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { ConditionCheck: { TableName: A, Key: { p: { S: 'absent' } }, ConditionExpression: 'attribute_exists(p)' } },
          ],
        }),
      ),
    )) as Canceled;
    assert.equal(err.name, 'TransactionCanceledException');
    assert.equal(err.message, `${CANCELLED} [None, ConditionalCheckFailed, ConditionalCheckFailed]`);
    assert.deepEqual(err.CancellationReasons, [
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { p: { S: 'guard' }, n: { N: '5' } } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    assert.equal(await get(A, { p: { S: 'never' } }), undefined);
    assert.deepEqual(await get(A, { p: { S: 'guard' } }), { p: { S: 'guard' }, n: { N: '5' } });
  });

  it('a key that does not match the schema is a ValidationError reason', async () => {
    const err = (await awsError(
      suite.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: A, Item: { p: { S: 'k1' } } } },
            { Delete: { TableName: B, Key: { p: { S: 'x' } } } },
          ],
        }),
      ),
    )) as Canceled;
    assert.equal(err.message, `${CANCELLED} [None, ValidationError]`);
    assert.deepEqual(err.CancellationReasons, [{ Code: 'None' }, { Code: 'ValidationError', Message: 'The provided key element does not match the schema' }]);
    assert.equal(await get(A, { p: { S: 'k1' } }), undefined);
  });

  it('refuses two operations on one item, empty keys and missing tables', async () => {
    const twice = await awsError(
      suite.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: A, Item: { p: { S: 'same' } } } },
            { ConditionCheck: { TableName: A, Key: { p: { S: 'same' } }, ConditionExpression: 'attribute_not_exists(p)' } },
          ],
        }),
      ),
    );
    assert.equal(twice.name, 'ValidationException');
    assert.equal(twice.message, 'Transaction request cannot include multiple operations on one item');
    const empty = await awsError(suite.ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: A, Key: { p: { S: '' } } } }] })));
    assert.equal(empty.name, 'ValidationException');
    assert.equal(empty.message, 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p');
    const missing = await awsError(suite.ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: 'nope', Key: { p: { S: 'a' } } } }] })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, 'Requested resource not found');
    const tooMany = await awsError(
      suite.ddb.send(new TransactWriteItemsCommand({ TransactItems: Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: A, Item: { p: { S: `m${i}` } } } })) })),
    );
    assert.equal(tooMany.name, 'ValidationException');
    assert.match(tooMany.message, /Member must have length less than or equal to 100/);
    const badValue = await awsError(
      suite.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ ConditionCheck: { TableName: A, Key: { p: { S: 'a' } }, ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': { N: 'x' } } } }],
        }),
      ),
    );
    assert.equal(badValue.message, 'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :n');
  });

  it('each TransactItems entry names exactly one action', async () => {
    const none = await awsError(suite.ddb.send(new TransactWriteItemsCommand({ TransactItems: [{}] })));
    assert.equal(none.name, 'ValidationException');
    assert.equal(none.message, 'The action or operation requested is invalid. Verify that the action is typed correctly.');
    const two = await awsError(
      suite.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: A, Item: { p: { S: 'two' } } }, Delete: { TableName: A, Key: { p: { S: 'two' } } } }],
        }),
      ),
    );
    assert.equal(two.name, 'ValidationException');
    assert.equal(two.message, 'TransactItems can only contain one of Check, Put, Update or Delete');
    const unused = await awsError(
      suite.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Delete: { TableName: A, Key: { p: { S: 'u' } }, ConditionExpression: 'attribute_exists(p)', ExpressionAttributeNames: { '#x': 'x' } } }],
        }),
      ),
    );
    assert.equal(unused.name, 'ValidationException');
    assert.equal(unused.message, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}');
    assert.equal(await get(A, { p: { S: 'two' } }), undefined);
  });

  it('an update that cannot apply is a ValidationError reason; a cancelled token can be retried', async () => {
    await suite.ddb.send(new PutItemCommand({ TableName: A, Item: { p: { S: 'str' }, s: { S: 'text' } } }));
    const request = {
      ClientRequestToken: 'retry-after-cancel',
      TransactItems: [
        { Put: { TableName: A, Item: { p: { S: 'side' } } } },
        { Update: { TableName: A, Key: { p: { S: 'str' } }, UpdateExpression: 'ADD s :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      ],
    };
    const err = (await awsError(suite.ddb.send(new TransactWriteItemsCommand(request)))) as Canceled;
    assert.equal(err.message, `${CANCELLED} [None, ValidationError]`);
    assert.equal(err.CancellationReasons![1]!.Code, 'ValidationError');
    assert.match(err.CancellationReasons![1]!.Message!, /An operand in the update expression has an incorrect data type/);
    assert.equal(await get(A, { p: { S: 'side' } }), undefined);
    await suite.ddb.send(new PutItemCommand({ TableName: A, Item: { p: { S: 'str' }, s: { N: '1' } } }));
    await suite.ddb.send(new TransactWriteItemsCommand(request));
    assert.deepEqual(await get(A, { p: { S: 'str' } }), { p: { S: 'str' }, s: { N: '2' } });
    assert.deepEqual(await get(A, { p: { S: 'side' } }), { p: { S: 'side' } });
  });

  it('writes 100 items in one transaction', async () => {
    const items: TransactWriteItem[] = Array.from({ length: 100 }, (_, i) => ({ Put: { TableName: A, Item: { p: { S: `h${i}` }, i: { N: String(i) } } } }));
    await suite.ddb.send(new TransactWriteItemsCommand({ TransactItems: items }));
    const got = await suite.ddb.send(
      new TransactGetItemsCommand({ TransactItems: Array.from({ length: 100 }, (_, i) => ({ Get: { TableName: A, Key: { p: { S: `h${i}` } } } })) }),
    );
    assert.equal(got.Responses!.length, 100);
    got.Responses!.forEach((r, i) => assert.deepEqual(r.Item, { p: { S: `h${i}` }, i: { N: String(i) } }));
  });

  it('ClientRequestToken makes a retry idempotent', async () => {
    const request = {
      ClientRequestToken: 'token-1',
      ReturnConsumedCapacity: 'TOTAL' as const,
      TransactItems: [{ Update: { TableName: A, Key: { p: { S: 'idem' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }],
    };
    const first = await suite.ddb.send(new TransactWriteItemsCommand(request));
    const second = await suite.ddb.send(new TransactWriteItemsCommand(request));
    assert.deepEqual(second.ConsumedCapacity, first.ConsumedCapacity);
    assert.deepEqual(await get(A, { p: { S: 'idem' } }), { p: { S: 'idem' }, n: { N: '1' } });
    const mismatch = await awsError(
      suite.ddb.send(new TransactWriteItemsCommand({ ...request, TransactItems: [{ Delete: { TableName: A, Key: { p: { S: 'idem' } } } }] })),
    );
    assert.equal(mismatch.name, 'IdempotentParameterMismatchException');
    assert.deepEqual(await get(A, { p: { S: 'idem' } }), { p: { S: 'idem' }, n: { N: '1' } });
    await suite.ddb.send(new TransactWriteItemsCommand({ ...request, ClientRequestToken: 'token-2' }));
    assert.deepEqual(await get(A, { p: { S: 'idem' } }), { p: { S: 'idem' }, n: { N: '2' } });
  });

  it('counts capacity as DynamoDB does and keeps indexes in step', async () => {
    const big = 'x'.repeat(1500);
    const out = await suite.ddb.send(
      new TransactWriteItemsCommand({
        ReturnConsumedCapacity: 'INDEXES',
        ReturnItemCollectionMetrics: 'SIZE',
        TransactItems: [
          { Put: { TableName: IDX, Item: { p: { S: 'i' }, r: { S: '1' }, g: { S: 'G1' }, l: { S: 'L1' }, big: { S: big } } } },
          { Put: { TableName: A, Item: { p: { S: 'small' } } } },
          { ConditionCheck: { TableName: A, Key: { p: { S: 'guard' } }, ConditionExpression: 'attribute_exists(p)' } },
        ],
      }),
    );
    assert.deepEqual(out.ConsumedCapacity, [
      {
        TableName: IDX,
        CapacityUnits: 10,
        Table: { CapacityUnits: 4 },
        LocalSecondaryIndexes: { byL: { CapacityUnits: 2 } },
        GlobalSecondaryIndexes: { byG: { CapacityUnits: 4 } },
      },
      { TableName: A, CapacityUnits: 4, Table: { CapacityUnits: 4 } },
    ]);
    assert.deepEqual(Object.keys(out.ItemCollectionMetrics ?? {}), [IDX]);
    assert.deepEqual(out.ItemCollectionMetrics![IDX]![0]!.ItemCollectionKey, { p: { S: 'i' } });
    const byG = await suite.ddb.send(new QueryCommand({ TableName: IDX, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G1' } } }));
    assert.equal(byG.Count, 1);
    await suite.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Update: { TableName: IDX, Key: { p: { S: 'i' }, r: { S: '1' } }, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': { S: 'G2' } } } }],
      }),
    );
    const after1 = await suite.ddb.send(new QueryCommand({ TableName: IDX, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G1' } } }));
    const after2 = await suite.ddb.send(new QueryCommand({ TableName: IDX, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G2' } } }));
    assert.equal(after1.Count, 0);
    assert.equal(after2.Count, 1);
    await suite.ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: IDX, Key: { p: { S: 'i' }, r: { S: '1' } } } }] }));
    const gone = await suite.ddb.send(new QueryCommand({ TableName: IDX, IndexName: 'byL', KeyConditionExpression: 'p = :p', ExpressionAttributeValues: { ':p': { S: 'i' } } }));
    assert.equal(gone.Count, 0);
  });

  it('TransactGetItems: projections, missing items, capacity and cancellation', async () => {
    await suite.ddb.send(new PutItemCommand({ TableName: B, Item: { p: { S: 'g' }, r: { S: '1' }, a: { S: 'A' }, b: { S: 'B' } } }));
    const got = await suite.ddb.send(
      new TransactGetItemsCommand({
        ReturnConsumedCapacity: 'TOTAL',
        TransactItems: [
          { Get: { TableName: B, Key: { p: { S: 'g' }, r: { S: '1' } }, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'a' } } },
          { Get: { TableName: A, Key: { p: { S: 'nothing-here' } } } },
        ],
      }),
    );
    assert.deepEqual(got.Responses, [{ Item: { a: { S: 'A' } } }, {}]);
    assert.deepEqual(got.ConsumedCapacity, [
      { TableName: B, CapacityUnits: 2 },
      { TableName: A, CapacityUnits: 2 },
    ]);
    const err = (await awsError(
      suite.ddb.send(
        new TransactGetItemsCommand({
          TransactItems: [{ Get: { TableName: A, Key: { p: { S: 'a' } } } }, { Get: { TableName: A, Key: { q: { S: 'a' } } } }],
        }),
      ),
    )) as Canceled;
    assert.equal(err.name, 'TransactionCanceledException');
    assert.equal(err.message, `${CANCELLED} [None, ValidationError]`);
    assert.deepEqual(err.CancellationReasons, [{ Code: 'None' }, { Code: 'ValidationError', Message: 'The provided key element does not match the schema' }]);
    const missing = await awsError(suite.ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'nope', Key: { p: { S: 'a' } } } }] })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });
});
